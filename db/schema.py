"""Versioned migrations: db/migrations/NNNN_name.sql applied in order, one transaction each.

The schema version lives in `PRAGMA user_version`, so a file says by itself which
migrations it has had; a file from a newer Critique is refused, never downgraded.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([\w-]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with this version, in order (versions 1, 2, ... without gaps)."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path.read_text("utf-8")))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"Migration {migration.name} should be number {expected}.")
    return found


def latest_version() -> int:
    return len(migrations())


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, upto: int | None = None) -> list[int]:
    """Apply the missing migrations (up to `upto`), each in its own transaction.

    Returns the versions applied. A failing migration is rolled back entirely and the
    file stays at the previous version. Each migration takes the write lock first (BEGIN
    IMMEDIATE) and reads the version again under it: when the window and a terminal command
    open an older project at the same moment, one of them migrates and the other waits, then
    finds the work done, instead of running the same migration twice.
    """
    applied = []
    for migration in migrations():
        if upto is not None and migration.version > upto:
            break
        if migration.version <= schema_version(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if migration.version <= schema_version(conn):  # another process did it meanwhile
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied


def _statements(sql: str) -> list[str]:
    """A migration's text as single statements (a trigger body's semicolons stay inside its
    statement: sqlite3.complete_statement knows where a CREATE TRIGGER ends)."""
    statements: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip().strip(";").strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip() and not _only_comments(pending):
        raise RuntimeError(f"A migration ends in an unfinished statement: {pending.strip()[:60]}")
    return statements


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())
