"""Screening results in the project (table screenings), keyed by file content and settings.

Only the client that runs `screen` writes here, one transaction per file, so an interrupted
run keeps every file already screened and the next run skips them.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from critique_app.domain.model import now_iso
from critique_app.domain.screening import ScreeningResult

TABLE = "screenings"


def store_result(
    db: Database,
    result: ScreeningResult,
    *,
    rank: int,
    rank_reason: str,
    mtime_ns: int | None,
) -> None:
    """Keep one file's result (replacing an earlier one for the same content and settings)."""
    c2pa = result.c2pa
    with db.atomic():
        db.execute(
            "INSERT OR REPLACE INTO screenings (sha256, settings_key, path, size, mtime_ns, "
            "sidecar, rank, rank_reason, reason, ai_signal, match_count, problem, result_json, "
            "screened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                result.sha256,
                result.settings_key,
                result.path,
                result.size,
                mtime_ns,
                result.sidecar,
                rank,
                rank_reason,
                c2pa.get("reason"),
                c2pa.get("ai_signal"),
                len(result.matches),
                result.problem,
                json.dumps(result.to_json(), ensure_ascii=False, sort_keys=True),
                now_iso(),
            ],
        )
        if mtime_ns is not None and result.size is not None:
            _remember_path(
                db,
                result.path,
                result.settings_key,
                result.size,
                mtime_ns,
                str(result.sha256),
            )


def _remember_path(
    db: Database, path: str, settings_key: str, size: int, mtime_ns: int, sha256: str
) -> None:
    db.execute(
        "INSERT OR REPLACE INTO screening_paths (path, settings_key, size, mtime_ns, sha256) "
        "VALUES (?, ?, ?, ?, ?)",
        [path, settings_key, size, mtime_ns, sha256],
    )


def same_content(
    db: Database, sha256: str, settings_key: str, path: str, size: int, mtime_ns: int
) -> None:
    """A file whose content was screened already under another name (moved or copied): its
    path is remembered as done, the stored result (first path) stays as it is."""
    with db.atomic():
        _remember_path(db, path, settings_key, size, mtime_ns, sha256)


def done_files(db: Database, settings_key: str) -> set[tuple[str, int, int]]:
    """(path, size, mtime_ns) of files screened with these settings: skipped without reading."""
    return {
        (r[0], r[1], r[2])
        for r in db.execute(
            "SELECT path, size, mtime_ns FROM screening_paths WHERE settings_key = ?",
            [settings_key],
        ).fetchall()
    }


def done_digests(db: Database, settings_key: str) -> frozenset[str]:
    rows = db.execute("SELECT sha256 FROM screenings WHERE settings_key = ?", [settings_key])
    return frozenset(r[0] for r in rows.fetchall())


def results(db: Database, settings_key: str | None = None) -> list[ScreeningResult]:
    """Stored results in rank order (all settings, or one); rows of older versions too."""
    where, args = ("WHERE settings_key = ?", [settings_key]) if settings_key else ("", [])
    rows = db.execute(
        f"SELECT result_json FROM screenings {where} ORDER BY rank, match_count DESC, path", args
    ).fetchall()
    return [ScreeningResult.from_json(json.loads(r[0])) for r in rows]


def latest_settings_key(db: Database) -> str | None:
    row = db.execute(
        "SELECT settings_key FROM screenings ORDER BY screened_at DESC LIMIT 1"
    ).fetchone()
    return row[0] if row else None
