"""The reference library as a jury reviews it (Panels ▸ Reference library, `library list`),
and taking an item out of it (`library remove`, the panel's Remove…).

An item's label and note are the jury's own words: what a removal takes with it is said
before (the window asks) and after (the sentence names the label and the note, in the
terminal and in Help ▸ Messages), and the item comes back by adding its file again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from critique_app.errors import UserError
from critique_app.i18n import _, ngettext
from critique_app.progress import Progress
from critique_app.services.workspace import worker_project
from db import fingerprint_store as store
from db.project import Project


@dataclass(frozen=True)
class LibraryEntry:
    """One row of the Reference library panel: plain data, read on a worker."""

    id: int
    label: str
    note: str
    path: str
    kind: str  # 'still' or 'clip'
    frames: int
    added_at: str
    too_plain: bool  # too plain for its copies to be found (fingerprint.mostly_plain)
    matches: int  # stored matches of the project's films with it
    present: bool  # the file is still where it was added from


def _entry(row: store.LibraryRow) -> LibraryEntry:
    return LibraryEntry(
        id=row.id,
        label=row.label,
        note=row.source_note,
        path=row.path,
        kind=row.kind,
        frames=row.frame_count,
        added_at=row.added_at,
        too_plain=row.too_plain,
        matches=row.matches,
        present=Path(row.path).is_file(),
    )


def library_entries(project: Project) -> list[LibraryEntry]:
    return [_entry(row) for row in store.library_rows(project.db)]


def list_library(progress: Progress, project_path: str | Path) -> list[LibraryEntry]:
    """Every library item with its facts (for a worker: its own connection; it looks at each
    item's file on disk, which may sit on a slow network share)."""
    progress.update(0, 1, _("Listing the reference library"))
    with worker_project(project_path) as project:
        return library_entries(project)


def find_item(project: Project, wanted: str) -> LibraryEntry:
    """The item a jury names on the command line: its number (`3` or `#3`, as `library list`
    shows it) or its label, when one item has it; `3` naming both item #3 and another item
    labelled "3" is refused as ambiguous."""
    entries = library_entries(project)
    number = wanted[1:] if wanted.startswith("#") else wanted
    found = [e for e in entries if number.isdigit() and e.id == int(number)]
    if not found or wanted.isdigit() and any(e.label == wanted for e in entries):
        # a label may be digits too ("2024"): named bare, both are checked
        found += [e for e in entries if e.label == wanted and e not in found]
    if len(found) == 1:
        return found[0]
    if not found:
        missing = (
            _("No library item has the number #{number}").format(number=number)
            if number.isdigit()
            else _("No library item is labelled {label}").format(
                label=_("“{label}”").format(label=wanted)
            )
        )
        raise UserError(
            _("{missing}: `critique-app library list` shows each item's number and label.").format(
                missing=missing
            )
        )
    raise UserError(
        _("{count} library items are labelled {label}: name one by its number ({numbers}).").format(
            count=len(found),
            label=_("“{label}”").format(label=wanted),
            numbers=", ".join(f"#{e.id}" for e in found),
        )
    )


def removal_question(entry: LibraryEntry) -> str:
    """What the window asks before an item leaves the library."""
    text = _(
        "Take {label} out of the reference library? Films are no longer matched against it; "
        "its file stays where it is, and adding it again brings it back."
    ).format(label=_("“{label}”").format(label=entry.label))
    if entry.note:
        text += " " + _("Its note goes with it: “{note}”.").format(note=entry.note)
    if entry.matches:
        text += " " + ngettext(
            "The {count} match stored with it goes too (Find matches finds it again if the "
            "item is added again).",
            "The {count} matches stored with it go too (Find matches finds them again if the "
            "item is added again).",
            entry.matches,
        ).format(count=entry.matches)
    return text


def removed_sentence(entry: LibraryEntry) -> str:
    """What is said once an item is out: its number, label and note, so that nothing the
    jury wrote is gone without a trace, and how to bring it back."""
    text = _("Took #{id} {label} out of the reference library.").format(
        id=entry.id, label=_("“{label}”").format(label=entry.label)
    )
    if entry.note:
        text += " " + _("Its note was: “{note}”.").format(note=entry.note)
    if entry.matches:
        text += " " + ngettext(
            "{count} stored match went with it.",
            "{count} stored matches went with it.",
            entry.matches,
        ).format(count=entry.matches)
    text += " " + _("Adding {path} again brings it back.").format(path=entry.path)
    return text


def remove_from_library(project: Project, item_id: int) -> LibraryEntry:
    """Take the item out of the library, with the stored matches of films with it; what it
    was (for the sentence). Its file stays on disk."""
    if project.read_only is not None:
        raise UserError(project.read_only)
    entry = next((e for e in library_entries(project) if e.id == item_id), None)
    if entry is None or not store.remove_library_item(project.db, item_id):
        raise UserError(
            _("That item is not in the reference library any more (removed by another program?).")
        )
    return entry


def remove_in_worker(progress: Progress, project_path: str | Path, item_id: int) -> str:
    """For the window's task runner: remove on a worker's own connection; the sentence."""
    progress.update(0, 1, _("Taking the item out of the reference library"))
    with worker_project(project_path) as project:
        return removed_sentence(remove_from_library(project, item_id))
