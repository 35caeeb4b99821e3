"""A whole, consistent copy of a project file, made with SQLite's backup API.

A project in WAL mode is the file *and* its -wal: copying the file alone loses the edits
the WAL still holds, and opening or closing the file from here (outside SQLite) could drop
this process's locks on it (see db.project.open_project). SQLite's backup reads a snapshot
through a connection of its own, WAL content included.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from critique_app.errors import UserError
from critique_app.progress import NO_PROGRESS, Progress
from db.project import write_problem

PAGES_PER_STEP = 4096  # about 16 MB between progress reports (and chances to cancel)


def _reader(source: Path) -> sqlite3.Connection:
    """A connection that only reads the project. Opened read-write where it may be (never
    creating the file): the last connection to close folds and removes the -wal and -shm,
    which a read-only one would leave beside a project nobody has open."""
    uri = source.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=rw", uri=True, timeout=30)
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError:  # a read-only file or disk
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30)


def backup_project(
    source: str | Path, target: str | Path, progress: Progress = NO_PROGRESS
) -> Path:
    """Copy the project `source` to `target` (replaced only once the copy is whole); the
    copy's path. A Cancel stops it with nothing left behind; every failure is a UserError
    sentence that names the file."""
    source, target = Path(source), Path(target)
    partial = target.with_name(f".{target.name}.partial")
    src = dst = None
    try:
        src = _reader(source)
        dst = sqlite3.connect(partial)

        def report(_status: int, remaining: int, total: int) -> None:
            # raises Cancelled after a Cancel: SQLite abandons the backup
            progress.update(total - remaining, total, f"Copying {source.name}")

        src.backup(dst, pages=PAGES_PER_STEP, progress=report)
        dst.close()
        dst = None
        os.replace(partial, target)
    except sqlite3.Error as err:
        problem = write_problem(target, err)
        raise UserError(problem or f"Could not copy {source.name} to {target}: {err}.") from None
    except OSError as err:
        raise UserError(f"Could not write the copy {target}: {err.strerror or err}.") from None
    finally:
        if dst is not None:
            dst.close()
        if src is not None:
            src.close()
        for leftover in (
            partial,
            *(Path(f"{partial}{end}") for end in ("-journal", "-wal", "-shm")),
        ):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return target
