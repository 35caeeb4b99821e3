"""A read-only connection of a project file for one search on a worker thread.

`open_project` checks the schema (and a small file's integrity) before it hands a project
over: right for a worker that writes, far too slow for each letter a student types. A search
only reads, on a project the window already opened and checked, so it gets a bare read-only
connection, closed when the search ends.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from critique_app.errors import Cancelled
from critique_app.progress import Progress
from db.repository import Repository


@contextlib.contextmanager
def reading(path: Path, progress: Progress, timeout: float = 5.0) -> Iterator[Repository]:
    """The project's repository on a read-only connection of its own. Cancel (a newer search
    supersedes this one) interrupts the statement running: `Cancelled` at once."""
    progress.check()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)

    def interrupt() -> None:
        with contextlib.suppress(sqlite3.ProgrammingError):  # closed: nothing left to stop
            conn.interrupt()

    progress.on_cancel(interrupt)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        yield Repository(Database(conn))
    except sqlite3.OperationalError:
        if progress.cancelled:
            raise Cancelled() from None
        raise
    finally:
        conn.close()
