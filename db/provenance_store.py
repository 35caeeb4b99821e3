"""Provenance reports kept in the project (table provenance_reports), and what changed since.

Each row holds the report as `verify --json` prints it, with the tool versions and the dated
trust lists, so a re-check months later can say *why* a verdict moved (new trust list, new
library, or a changed file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

TABLE = "provenance_reports"


@dataclass
class StoredReport:
    id: int
    film_id: int | None
    path: str
    sha256: str
    checked_at: str
    report: dict[str, Any]  # the `verify --json` object

    @property
    def state(self) -> str | None:
        return self.report["c2pa"]["state"]

    @property
    def reason(self) -> str:
        return self.report["c2pa"]["reason"]


def save_report(
    db: sqlite_utils.Database, report: dict[str, Any], film_id: int | None = None
) -> int:
    """Store one report (the dict from ProvenanceReport.to_json()); returns its row id."""
    c2pa = report["c2pa"]
    row = {
        "film_id": film_id,
        "path": report["path"],
        "sha256": report["sha256"],
        "checked_at": report["checked_at"],
        "state": c2pa["state"],
        "reason": c2pa["reason"],
        "ai_signal": c2pa["ai_signal"],
        "trust_list": c2pa["trust_list"],
        "tool_versions_json": json.dumps(report.get("tool_versions", {}), sort_keys=True),
        "trust_dates_json": json.dumps(report.get("trust_dates", {}), sort_keys=True),
        "report_json": json.dumps(report, ensure_ascii=False),
    }
    with db.conn:
        table = db[TABLE]
        assert isinstance(table, sqlite_utils.db.Table)
        table.insert(row)
        return int(table.last_pk or 0)


def _stored(row: dict[str, Any]) -> StoredReport:
    return StoredReport(
        id=row["id"],
        film_id=row["film_id"],
        path=row["path"],
        sha256=row["sha256"],
        checked_at=row["checked_at"],
        report=json.loads(row["report_json"]),
    )


def history(
    db: sqlite_utils.Database,
    *,
    sha256: str | None = None,
    film_id: int | None = None,
    path: str | None = None,
) -> list[StoredReport]:
    """Reports for one file (by content, or by where it lies: a file changed since its last
    check has new content at the same path) or one film, oldest first."""
    if sha256 is None and film_id is None and path is None:
        raise ValueError("give sha256, film_id or path")
    args: list[str | int | None]
    if sha256:
        where, args = "sha256 = ?", [sha256]
    elif path:
        where, args = "path = ?", [path]
    else:
        where, args = "film_id = ?", [film_id]
    rows = db[TABLE].rows_where(where, args, order_by="checked_at, id")
    return [_stored(r) for r in rows]


def latest(
    db: sqlite_utils.Database,
    *,
    sha256: str | None = None,
    film_id: int | None = None,
    path: str | None = None,
) -> StoredReport | None:
    found = history(db, sha256=sha256, film_id=film_id, path=path)
    return found[-1] if found else None


FIELDS = (
    ("sha256", ("sha256",)),
    ("state", ("c2pa", "state")),
    ("reason", ("c2pa", "reason")),
    ("trust list", ("c2pa", "trust_list")),
    ("AI signal", ("c2pa", "ai_signal")),
    ("AI signal source", ("c2pa", "ai_signal_source")),
    ("generator", ("c2pa", "generator")),
    ("failures", ("c2pa", "failures")),
    ("ingredient failures", ("c2pa", "ingredient_failures")),
    ("metadata AI hints", ("metadata", "ai_hints")),
    ("trust lists", ("trust_dates",)),
    ("trust files", ("trust_files",)),
    ("identities", ("c2pa", "identities")),
    ("tool versions", ("tool_versions",)),
)


def _get(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        obj = obj.get(k) if isinstance(obj, dict) else None  # type: ignore[assignment]
    return obj


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any

    def sentence(self) -> str:
        return f"{self.field}: {self.before!r} → {self.after!r}"


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """What a re-check changed, in the order a jury reads it (empty list: nothing changed)."""
    out = []
    for name, keys in FIELDS:
        a, b = _get(before, keys), _get(after, keys)
        if a != b:
            out.append(Change(name, a, b))
    return out
