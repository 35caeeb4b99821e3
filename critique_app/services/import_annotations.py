"""`critique-app import`: annotations from ELAN, W3C JSON, WebVTT/SRT or this app's CSV.

Films are matched by SHA-256 (else the film named with --film, else the project's only film),
tiers by name (created when missing), categories by key then label. An annotation whose uuid
is already in the project is skipped, so importing the same file twice adds nothing.

All of a file's annotations are created in one transaction; given the window's undo stack they
are one command, so one Ctrl+Z takes the whole import back (tiers it created stay, empty).
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from critique_app.domain.commands import CreateAnnotations, UndoStack
from critique_app.domain.model import Annotation, Film
from critique_app.errors import UserError
from critique_app.progress import NO_PROGRESS, Progress
from exporters.document import Imported

READERS = {
    ".eaf": "elan",
    ".json": "w3c",
    ".jsonld": "w3c",
    ".vtt": "subtitles",
    ".srt": "subtitles",
    ".csv": "csv_table",
}


@dataclass
class ImportSummary:
    added: int = 0
    already_present: int = 0
    outside_film: int = 0
    new_tiers: list[str] = field(default_factory=list)
    unknown_categories: set[str] = field(default_factory=set)
    film_ids: list[int] = field(default_factory=list)  # the films annotations went onto

    def sentence(self, name: str) -> str:
        parts = [f"{self.added} annotation{'s' if self.added != 1 else ''} imported from {name}"]
        if self.already_present:
            parts.append(f"{self.already_present} already in the project")
        if self.outside_film:
            parts.append(f"{self.outside_film} skipped (beyond the end of the film)")
        if self.new_tiers:
            parts.append("new tiers: " + ", ".join(self.new_tiers))
        if self.unknown_categories:
            parts.append(
                "categories not in the vocabulary: " + ", ".join(sorted(self.unknown_categories))
            )
        return "; ".join(parts) + "."


def read_file(path: str | Path, film: Film | None = None) -> list[Imported]:
    """Parse a file by its extension; one sentence for unknown or unreadable files."""
    import importlib

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} does not exist.")
    module_name = READERS.get(path.suffix.lower())
    if module_name is None:
        raise UserError(
            f"{path.name}: Critique imports {', '.join(sorted(READERS))} files, "
            f"not '{path.suffix or 'files without extension'}'."
        )
    module = importlib.import_module(f"exporters.{module_name}")
    if module_name in ("elan", "subtitles"):
        return list(module.read(path, film.rate if film else None))
    return list(module.read(path))


def _film_for(
    project: Any, found: Imported, default: Film | None, films: list[Film], name: str
) -> Film:
    if found.film_sha256:
        match = project.repo.film_by_sha256(found.film_sha256)
        if match is not None:
            return match  # type: ignore[no-any-return]
    if default is not None:
        return default
    if len(films) == 1:
        return films[0]
    title = found.film_title or "its film"
    raise UserError(
        f"{name}: {title} is not in this project; add the film, or choose the film "
        "to import onto with --film."
    )


def import_file(
    project: Any,
    path: str | Path,
    *,
    film: str | int | None = None,
    progress: Progress = NO_PROGRESS,
    stack: UndoStack | None = None,
) -> ImportSummary:
    from critique_app.services.export import find_film

    path = Path(path)
    default = find_film(project, film) if film is not None else None
    films = project.repo.films()
    found = read_file(path, default or (films[0] if len(films) == 1 else None))
    return import_entries(
        project, found, path.name, default=default, progress=progress, stack=stack
    )


def import_entries(
    project: Any,
    found: list[Imported],
    name: str,
    *,
    default: Film | None = None,
    progress: Progress = NO_PROGRESS,
    stack: UndoStack | None = None,
) -> ImportSummary:
    """Add what `read_file` found; through `stack` (one undoable step) when given."""
    summary = ImportSummary()
    repo = project.repo
    films = repo.films()
    new: list[Annotation] = []
    seen: set[str] = set()
    for n, entry in enumerate(found):
        progress.update(n, len(found), entry.annotation.uuid)
        uuid = entry.annotation.uuid
        if uuid in seen or repo.annotation_by_uuid(uuid) is not None:
            summary.already_present += 1
            continue
        target = _film_for(project, entry, default, films, name)
        if entry.annotation.range.end >= target.frame_count:
            summary.outside_film += 1
            continue
        tier = repo.tier_by_name(entry.tier)
        if tier is None:
            tier = repo.add_tier(entry.tier, author=entry.tier_author)
            summary.new_tiers.append(entry.tier)
        category = repo.category_by_key(entry.category_key) if entry.category_key else None
        if category is None and entry.category_label:
            category = next(
                (c for c in repo.categories() if entry.category_label in (c.label_en, c.label_fr)),
                None,
            )
        if category is None and (entry.category_key or entry.category_label):
            summary.unknown_categories.add(entry.category_key or entry.category_label or "")
        seen.add(uuid)
        new.append(
            dataclasses.replace(
                entry.annotation,
                film_id=target.id or 0,
                tier_id=tier.id or 0,
                category_id=category.id if category else None,
            )
        )
        if target.id not in summary.film_ids:
            summary.film_ids.append(target.id or 0)
    db = getattr(repo, "db", None)
    if new:
        # one transaction: all of them or none (and one disk sync, not one per annotation)
        with db.atomic() if db is not None else contextlib.nullcontext():
            if stack is not None:
                n = len(new)
                stack.push(
                    CreateAnnotations(
                        new, label=f"Import {n} annotation{'s' if n != 1 else ''} from {name}"
                    )
                )
            else:
                for a in new:
                    repo.add_annotation(a)
    summary.added = len(new)
    progress.update(len(found), len(found), "done")
    return summary
