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
    file stays at the previous version.
    """
    applied = []
    current = schema_version(conn)
    for migration in migrations():
        if migration.version <= current or (upto is not None and migration.version > upto):
            continue
        # executescript() commits any open transaction first, then runs the text as-is:
        # the explicit BEGIN/COMMIT makes the migration and its version bump one unit.
        script = f"BEGIN;\n{migration.sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
        try:
            conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
