"""Open (or create) a project file: one SQLite file per project, ready to edit.

WAL so the GUI can read while a worker writes, foreign keys on, a busy timeout, and the
migrations this version knows. Every way a file can be unusable ends in one UserError
sentence that names the file, and so does every write that a full, read-only or failing
disk refuses (the transaction is rolled back: what was saved before is kept).
"""

from __future__ import annotations

import collections
import contextlib
import os
import sqlite3
import threading
from collections.abc import Generator
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from critique_app.domain.commands import UndoStack
from critique_app.errors import UserError
from critique_app.progress import NO_PROGRESS, Progress
from db.repository import Repository
from db.schema import latest_version, migrate, schema_version

SQLITE_HEADER = b"SQLite format 3\x00"
OUR_TABLES = {"films", "annotations", "tiers"}


_commits_lock = threading.Lock()
_commits_here: collections.Counter[str] = collections.Counter()  # by project file, this process


def _file_key(path: Path | None) -> str:
    return str(path.resolve()) if path is not None else ""


class ProjectDatabase(Database):
    """The project's sqlite_utils.Database: a write the disk refuses (full, read-only, I/O
    error) is rolled back and raised as one UserError sentence naming the project."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        read_only: bool = False,
        shared: bool = False,
        **kw: Any,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.commits = 0  # transactions this connection committed
        self._file = _file_key(path)  # resolved once: commits count per file, by this key
        if path is None:
            super().__init__(**kw)
        elif read_only:
            # WAL needs a -shm file beside the project; on a read-only disk it cannot be made.
            # With no pending -wal the file is complete, and SQLite may read it as immutable,
            # unless another process writes it meanwhile (`shared`: a window holds it).
            wal = Path(f"{path}-wal")
            whole = not shared and (not wal.exists() or wal.stat().st_size == 0)
            uri = f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if whole else ''}"
            super().__init__(sqlite3.connect(uri, uri=True), **kw)
        else:
            super().__init__(path, **kw)

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        try:
            if self.conn.in_transaction or self.read_only:
                with super().atomic():  # a savepoint; rolls back first, then the error reaches us
                    yield self
            else:
                with self._immediate():
                    yield self
        except sqlite3.Error as err:
            sentence = write_problem(self.path, err)
            if sentence is None:
                raise
            raise UserError(sentence) from None

    @contextlib.contextmanager
    def _immediate(self) -> Generator[None, None, None]:
        """A transaction that takes the write lock when it begins, waiting up to the busy
        timeout for another writer. A deferred BEGIN that reads first and writes later cannot
        wait: when another connection (the window, a worker) committed in between, SQLite
        refuses the write at once with "database is locked" (SQLITE_BUSY_SNAPSHOT)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.rollback()
            raise
        # Counted before it lands: a window that sees the commit (data_version moved) must
        # see it counted as this process's, or it blames another program for its own import
        # (the count, taken after, could be read in between).
        self._counted(1)
        try:
            self._commit()
        except BaseException:
            self._counted(-1)
            if self.conn.in_transaction:
                self.conn.rollback()
            raise

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _counted(self, step: int) -> None:
        self.commits += step
        with _commits_lock:
            _commits_here[self._file] += step

    def commits_by_other_connections_here(self) -> int:
        """How many transactions other connections of this process (the window's workers)
        committed into this file: what moves data_version without another program."""
        with _commits_lock:
            return _commits_here[self._file] - self.commits

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as err:
            sentence = write_problem(self.path, err)
            if sentence is None:
                raise
            if self.conn.in_transaction and not _in_savepoint(sql):
                with contextlib.suppress(sqlite3.Error):
                    self.conn.rollback()
            raise UserError(sentence) from None


def _in_savepoint(sql: str) -> bool:
    # atomic() runs SAVEPOINT/RELEASE/COMMIT through execute and rolls back itself
    return sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT"))


class Project:
    """An open project: `db` is the sqlite_utils.Database, `repo` returns domain objects,
    `undo` is the project's one undo/redo history (push commands from domain.commands).

    `read_only` is None, or the sentence saying why edits cannot be saved (a project on a
    read-only disk opens for reading; every edit then fails with that sentence)."""

    def __init__(self, db: Database, path: Path | None, read_only: str | None = None) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self.repo = Repository(db)
        self.undo = UndoStack(self.repo)

    @property
    def schema_version(self) -> int:
        return schema_version(self.db.conn)

    def data_version(self) -> int:
        """Changes whenever another connection (another process, a worker) committed."""
        return int(self.db.conn.execute("PRAGMA data_version").fetchone()[0])

    def background_commits(self) -> int:
        """Transactions this process's other connections (workers) committed into the file."""
        db = self.db
        return db.commits_by_other_connections_here() if isinstance(db, ProjectDatabase) else 0

    def edit_counts(self) -> dict[str, int]:
        """How often each topic was written (annotations, structure, library, screening), by
        any process: the difference tells what another writer changed."""
        try:
            rows = self.db.conn.execute("SELECT topic, n FROM edit_counters").fetchall()
        except sqlite3.OperationalError:  # an older project opened read-only: no counters
            return {}
        return {str(topic): int(n) for topic, n in rows}

    def close(self) -> None:
        if self.read_only is None:
            # Fold what the WAL holds into the file as far as no reader needs it (PASSIVE:
            # never waits, never truncates). Another process (a window, a terminal command)
            # may still read this project: only SQLite's own close of the last connection
            # removes the -wal and -shm, after folding them in completely.
            with contextlib.suppress(sqlite3.Error, UserError):
                self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self.path) if self.path else ':memory:'})"


def _configure(db: Database, timeout: float) -> None:
    db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    db.execute("PRAGMA foreign_keys = ON")


def _seed(project: Project) -> None:
    from db.defaults import install_default_vocabulary

    install_default_vocabulary(project.repo)


# SQLite's quick_check reads the whole file: 0.46 s at open for 37 MB (100,000 annotations) on
# the 2-core machine, 8x the rest of opening it; above this a worker checks it after it opened.
QUICK_CHECK_LIMIT = 8 * 1024 * 1024


def open_project(
    path: str | Path,
    *,
    timeout: float = 5.0,
    default_vocabulary: bool = True,
    check_limit: int | None = None,
    read_only_because: str | None = None,
) -> Project:
    """Open a `*.critique` project, creating an empty one when the file does not exist yet.

    `read_only_because` opens an existing project for reading only, whatever the disk allows;
    every edit then fails with that sentence.

    Files up to `check_limit` bytes (default QUICK_CHECK_LIMIT) get SQLite's quick_check (a
    damaged file is refused at once); above that it would cost a noticeable part of a second at
    open, so the window runs `check_integrity` on a worker instead.
    """
    if check_limit is None:
        check_limit = QUICK_CHECK_LIMIT
    path = Path(path).expanduser()
    name = path.name
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a project file (*.critique).")
    if not path.parent.is_dir():
        raise UserError(
            f"Cannot create the project {name}: the folder {path.parent} does not exist."
        )
    is_new = not path.exists() or path.stat().st_size == 0
    # The header is read by SQLite itself, never by opening the file here: closing any other
    # descriptor on the project drops every POSIX lock this process holds on it (the window's
    # own connection included). Another process closing last would then believe nobody reads
    # the project, fold and delete its -wal and -shm, and the window's next edit would be
    # written into the deleted WAL and lost.
    if not is_new and not os.access(path, os.R_OK):
        raise UserError(f"Cannot read the project {path}: permission denied.")
    read_only = write_problem(path, _READ_ONLY) if _cannot_write(path) else None
    if read_only_because is not None:  # e.g. another window holds the project and edits it
        if is_new:
            raise UserError(f"{path} does not exist.")
        read_only = read_only_because
    if read_only is not None and is_new:
        raise UserError(read_only)
    db: Database | None = None
    try:
        db = ProjectDatabase(
            path, read_only=read_only is not None, shared=read_only_because is not None
        )
        _configure(db, timeout)
        version = schema_version(db.conn)
        tables = set(db.table_names())
        if version > latest_version():
            raise UserError(
                f"{path} was saved by a newer version of Critique (project format {version}; "
                f"this version reads up to {latest_version()}). Update Critique to open it."
            )
        if version == 0 and tables:
            raise UserError(
                f"{path} is an SQLite database but not a Critique project "
                f"(it holds the tables {', '.join(sorted(tables)[:5])})."
            )
        if version > 0 and not tables >= OUR_TABLES:
            raise UserError(f"{path} is damaged: tables of the project are missing.")
        if read_only is not None:
            # Readable, never writable: open it to read; every edit says why it is not saved.
            if version < latest_version():
                raise UserError(
                    f"{read_only} (It also needs updating to this version's project format.)"
                )
        else:
            if db.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.enable_wal()
            migrate(db.conn)
            # Fail now, not at the first edit, when another program holds the write lock.
            db.conn.execute("BEGIN IMMEDIATE")
            db.conn.execute("ROLLBACK")
        check = "ok"
        if path.stat().st_size <= check_limit:
            check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok":
            raise UserError(
                f"{path} is damaged (SQLite reports: {check}); open a backup copy instead."
            )
        project = Project(db, path, read_only)
        if is_new and default_vocabulary:
            _seed(project)
        return project
    except UserError:
        if db is not None:
            db.close()
        raise
    except sqlite3.DatabaseError as err:
        if db is not None:
            db.close()
        raise UserError(_explain(path, err)) from None


def open_reader(path: str | Path) -> Project:
    """A second connection that only reads (a worker's, beside the window's): it never takes
    nor waits for the write lock. On a disk it cannot write, opened as the window opened it."""
    if _cannot_write(Path(path)):
        return open_project(path, check_limit=0)  # read-only anyway, and said so the same way
    return open_project(path, check_limit=0, read_only_because=_READING)


_READING = "read by a worker"  # never said: a reader makes no edit to refuse


def needs_background_check(path: str | Path) -> bool:
    """True for a project too large to be checked at open (see open_project)."""
    try:
        return Path(path).stat().st_size > QUICK_CHECK_LIMIT
    except OSError:
        return False


def check_integrity(path: str | Path, progress: Progress = NO_PROGRESS) -> str | None:
    """None when SQLite's quick_check finds the project sound, else a sentence saying what to
    do. Reads through its own read-only connection, so it can run beside the open project.
    A Cancel interrupts SQLite itself (raises Cancelled): closing the window never waits."""
    path = Path(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as err:
        return _explain(path, err)
    conn.set_progress_handler(lambda: int(progress.cancelled), 10_000)
    try:
        check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as err:
        progress.check()  # "interrupted" because of a Cancel
        return _explain(path, err)
    finally:
        conn.close()
    if check == "ok":
        return None
    return (
        f"{path.name} is damaged (SQLite reports: {check}). What you see was read before the "
        "damaged part; save nothing more here and open a backup copy."
    )


_READ_ONLY = sqlite3.OperationalError("attempt to write a readonly database")


def _disk_is_read_only(path: Path) -> bool:
    """The project's folder is on a file system mounted read-only."""
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _cannot_write(path: Path) -> bool:
    """A read-only disk, or a file or folder (WAL writes beside the file) we may not write."""
    if _disk_is_read_only(path):
        return True
    if path.exists() and not os.access(path, os.W_OK):
        return True
    return not os.access(path.parent, os.W_OK | os.X_OK)


def _disk_is_full(path: Path) -> bool:
    try:
        stats = os.statvfs(path.parent)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def write_problem(path: Path | None, err: sqlite3.Error) -> str | None:
    """The sentence for a write the disk refused (full, read-only, I/O error), else None."""
    text = str(err).lower()
    name = path.name if path is not None else "The project"
    where = f" ({path.parent})" if path is not None else ""
    full = "disk is full" in text or "database or disk is full" in text
    io_error = "disk i/o error" in text
    if full or (io_error and path is not None and _disk_is_full(path)):
        return (
            f"The disk holding {name}{where} is full: this change was not saved, and what "
            "was saved before is kept. Free some space on that disk and try again."
        )
    if (
        "readonly" in text
        or "read-only" in text
        or (
            path is not None and _disk_is_read_only(path) and ("unable to open" in text or io_error)
        )
    ):
        return (
            f"{name} is on a read-only disk or cannot be written{where}: nothing was changed. "
            "Copy the project to a folder you can write to, and edit the copy."
        )
    if io_error:
        return (
            f"The disk holding {name}{where} failed while writing (disk I/O error): this "
            "change was not saved, and what was saved before is kept. Check the disk, or copy "
            "the project somewhere else."
        )
    return None


def _explain(path: Path, err: sqlite3.Error) -> str:
    problem = write_problem(path, err)
    if problem is not None:
        return problem
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return (
            f"{path} is locked by another program (another Critique window or a sync tool); "
            "close it there and try again."
        )
    if "not a database" in text:
        return f"{path} is not a Critique project: it is not an SQLite database file."
    if "malformed" in text or "corrupt" in text:
        return f"{path} is damaged (the database structure is corrupt); open a backup copy instead."
    if "unable to open" in text:
        return f"Cannot open the project {path}: the file or its folder is not accessible."
    return f"Cannot open the project {path}: {err}."


def memory_project(*, default_vocabulary: bool = False) -> Project:
    """A throw-away project in memory (tests, previews), with the full schema."""
    db = ProjectDatabase(memory=True)
    _configure(db, 1.0)
    migrate(db.conn)
    project = Project(db, None)
    if default_vocabulary:
        _seed(project)
    return project
