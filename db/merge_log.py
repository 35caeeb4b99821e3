"""Which students' project files were merged into a project, and when (table `merges`).

A file merged twice is recognised by its SHA-256, so the teacher is told instead of wondering
why nothing new appeared.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from critique_app.domain.model import now_iso


def merged_at(db: Database, sha256: str) -> str | None:
    """When a file with this SHA-256 was first merged into this project, or None."""
    row = db.execute(
        "SELECT merged_at FROM merges WHERE source_sha256 = ? ORDER BY id LIMIT 1", [sha256]
    ).fetchone()
    return str(row[0]) if row else None


def record_merge(
    db: Database, source_path: str, sha256: str, authors: list[str], summary: dict[str, Any]
) -> None:
    """Note one merged file with the authors found in it and the counts the merge reported."""
    db.execute(
        "INSERT INTO merges (source_path, source_sha256, authors, summary_json, merged_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [source_path, sha256, ", ".join(authors), json.dumps(summary), now_iso()],
    )
