"""Every check of a file kept in the project, and what changed since the last one.

`verify FILE --project P` stores each report (with its tool versions, trust lists and trust
files: db.provenance_store); `--changes` says, in sentences, what moved since the previous
check of the same file (found by its place, else by its content). A jury re-checking a
submission months later learns *why* a verdict moved: a new trust list, a changed file, a
newer reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from critique_app.i18n import _, format_datetime
from critique_app.provenance.changes import change_sentences


@dataclass
class CheckRecord:
    """One stored check and how it compares with the check before it."""

    path: str
    previous_checked_at: str | None  # None: the first check of this file in the project
    changes: list[dict[str, Any]] = field(default_factory=list)  # field, before, after, sentences

    @property
    def sentences(self) -> list[str]:
        return [s for c in self.changes for s in c["sentences"]]

    def to_json(self) -> dict[str, Any]:
        return {"since": self.previous_checked_at, "changes": self.changes}

    def _when(self) -> str:
        """The previous check's moment as the language writes it (stored as ISO 8601)."""
        stamp = self.previous_checked_at or ""
        try:
            return format_datetime(datetime.fromisoformat(stamp))
        except ValueError:
            return stamp

    def heading(self) -> str:
        """One sentence before the changes (the whole story when nothing changed)."""
        if self.previous_checked_at is None:
            return _("First check of this file in the project: nothing to compare with.")
        if not self.changes:
            return _(
                "Nothing changed since the check of {when}: same verdict, trust lists, "
                "trust files and findings."
            ).format(when=self._when())
        return _("Changes since the check of {when}:").format(when=self._when())

    def lines(self) -> list[str]:
        """The command line's text, indented under the file's block."""
        return ["  " + self.heading()] + [f"    - {s}" for s in self.sentences]


def record_checks(project_path: str | Path, reports: list[dict[str, Any]]) -> list[CheckRecord]:
    """Store each report (`verify --json` objects) in the project, linked to the film of the
    same content if there is one; for each, how it compares with the file's previous check."""
    from db import provenance_store as store
    from db.project import open_project

    out = []
    with open_project(project_path) as project:
        for j in reports:
            previous = None
            if j.get("path"):
                previous = store.latest(project.db, path=j["path"])
            if previous is None and j.get("sha256"):
                previous = store.latest(project.db, sha256=j["sha256"])
            film = project.repo.film_by_sha256(j["sha256"]) if j.get("sha256") else None
            store.save_report(project.db, j, film_id=film.id if film else None)
            record = CheckRecord(j.get("path") or "", previous.checked_at if previous else None)
            if previous is not None:
                record.changes = [
                    {
                        "field": c.field,
                        "before": c.before,
                        "after": c.after,
                        "sentences": change_sentences(c.field, c.before, c.after),
                    }
                    for c in store.diff(previous.report, j)
                ]
            out.append(record)
    return out
