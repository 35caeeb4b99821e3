"""`critique-app library add PROJECT PATH... [--label L] [--note N]`, `library list PROJECT` and
`library remove PROJECT ITEM...`.

Reference material to match films against: known AI-generated stills and clips, each with a
label and a note on its source, hashed once and kept in the project.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import _, ngettext


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "library",
        help=_("reference stills and clips (known AI material) to match films against"),
        description=_(
            "Manage the project's reference library of known AI-generated stills and clips."
        ),
    )
    sub = p.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add",
        help=_("hash stills and clips (folders too) into the library"),
        description=_(
            "Hash stills and clips (folders: every file inside) into the "
            "project's library. A PROJECT that does not exist is created (`created P` on stderr). Files that are "
            "not images or videos are reported and skipped."
        ),
    )
    add.add_argument("project", metavar="PROJECT", help=_("project file (*.critique)"))
    add.add_argument("paths", nargs="+", metavar="PATH", help=_("images, videos or folders"))
    add.add_argument("--label", metavar="L", help=_("label (default: the file name)"))
    add.add_argument("--note", default="", metavar="N", help=_("where the material comes from"))
    add.set_defaults(func=run_add)
    ls = sub.add_parser(
        "list", help=_("list the library"), description=_("List the project's library items.")
    )
    ls.add_argument("project", metavar="PROJECT", help=_("project file (*.critique)"))
    ls.add_argument("--json", action="store_true", help=_("machine-readable list on stdout"))
    ls.set_defaults(func=run_list)
    rm = sub.add_parser(
        "remove",
        help=_("take items out of the library"),
        description=_(
            "Take items out of the project's library, with the matches stored with them. "
            "ITEM is an item's number (3 or #3, as `library list` shows it) or its label. "
            "Their files stay where they are; adding a file again brings its item back."
        ),
    )
    rm.add_argument("project", metavar="PROJECT", help=_("project file (*.critique)"))
    rm.add_argument("items", nargs="+", metavar="ITEM", help=_("an item's number or label"))
    rm.set_defaults(func=run_remove)


def _item_json(item: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "label": item.label,
        "source_note": item.source_note,
        "path": item.path,
        "sha256": item.sha256,
        "kind": item.kind,
        "frames": item.frame_count,
        "too_plain": item.too_plain,  # too plain for its copies to be found
    }


def run_add(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import project_to_use
    from critique_app.progress import TerminalProgress
    from critique_app.services.fingerprinting import add_to_library

    progress = TerminalProgress("library")
    with project_to_use(args.project) as project:
        try:
            report = add_to_library(
                project, args.paths, label=args.label, note=args.note, progress=progress
            )
        finally:
            progress.finish()
    for item in report.added:
        if item.kind == "still":
            line = _("added #{id} {label} (still)")
        else:
            line = ngettext(
                "added #{id} {label} (clip, {count} frame)",
                "added #{id} {label} (clip, {count} frames)",
                item.frame_count,
            )
        print(line.format(id=item.id, label=item.label, count=item.frame_count))
    for item in report.already:
        print(
            _("already in the library: #{id} {label} ({path})").format(
                id=item.id, label=item.label, path=item.path
            )
        )
    for sentence in report.problems + report.skipped:
        print(f"critique-app: {sentence}", file=sys.stderr)
    return 1 if report.skipped else 0


def run_list(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import project_to_use
    from db.fingerprint_store import library_rows

    with project_to_use(args.project, needs=_("it has no library to list")) as project:
        items = library_rows(project.db)  # words and counts, not the hashes
    if args.json:
        json.dump([_item_json(i) for i in items], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for i in items:
            kind = _("still") if i.kind == "still" else _("clip")
            line = ngettext(
                "#{id} {label} [{kind}, {count} frame] {path}  {note}",
                "#{id} {label} [{kind}, {count} frames] {path}  {note}",
                i.frame_count,
            )
            line = line.format(
                id=i.id,
                label=i.label,
                kind=kind,
                count=i.frame_count,
                path=i.path,
                note=i.source_note,
            )
            if i.too_plain:
                line = _("{line}  (too plain for its copies to be found)").format(
                    line=line.rstrip()
                )
            print(line)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import UsageError, project_to_use
    from critique_app.errors import UserError
    from critique_app.services.library_list import find_item, remove_from_library, removed_sentence

    with project_to_use(args.project, needs=_("it has no library to take items out of")) as project:
        try:  # every name is checked before anything is removed
            chosen = [find_item(project, wanted) for wanted in args.items]
        except UserError as err:
            raise UsageError(str(err)) from err
        done: set[int] = set()
        for entry in chosen:
            if entry.id in done:  # named twice (by number and by label)
                continue
            print(removed_sentence(remove_from_library(project, entry.id)))
            done.add(entry.id)
    return 0
