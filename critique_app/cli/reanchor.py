"""`critique-app reanchor PROJECT COPY --film SOURCE [--json]`: annotations onto another copy.

Aligns the copy with the annotated film by fingerprints and moves every annotation it can
place; the passages it cannot place are listed with the reason, never guessed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from critique_app.i18n import _


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "reanchor",
        help=_("move a film's annotations onto another copy of it"),
        description=_(
            "Align another copy of a film (re-encoded, rescaled, letterboxed, graded, "
            "mirrored, a few seconds more or less at the head) with the annotated film by their "
            "fingerprints, and create on it every annotation (with its regions and relations) that "
            "lands on the same pictures. Passages that cannot be placed are listed, not guessed. "
            "Exit status 1 when nothing could be placed."
        ),
    )
    p.add_argument("project", metavar="PROJECT", help=_("project file (*.critique)"))
    p.add_argument("copy", metavar="COPY", help=_("the other copy of the film (a video file)"))
    p.add_argument(
        "--film",
        required=True,
        metavar="SOURCE",
        help=_("the annotated film in the project: its id, title, file name or path"),
    )
    p.add_argument("--json", action="store_true", help=_("machine-readable result on stdout"))
    p.set_defaults(func=run)


def _source(project: Any, text: str) -> Any:
    from critique_app.services.export import find_film

    path = Path(text).expanduser()
    if path.is_file():  # a path: the film at that place, else the one with that name
        where = path.resolve()
        for film in project.repo.films():
            if Path(film.path).resolve() == where:
                return film
    return find_film(project, path.name if path.is_file() else text)


def run(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import project_to_use
    from critique_app.progress import TerminalProgress
    from critique_app.services.copies import move_annotations_to_copy

    progress = TerminalProgress("reanchor")
    with project_to_use(args.project, needs=_("there are no annotations to move")) as project:
        source = _source(project, args.film)
        try:
            result = move_annotations_to_copy(project, source.id, args.copy, progress)
        finally:
            progress.finish()
    if args.json:
        json.dump(result.to_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(result.sentence())
        if result.unplaced:
            print(_("These passages were not placed:"))
        for u in result.unplaced:
            print(
                "  "
                + _("frames {first}-{last} ({start} - {end})  {note}: {reason}").format(
                    first=u.start,
                    last=u.end,
                    start=source.timecode(u.start),
                    end=source.timecode(u.end),
                    note=u.note or _("(no note)"),
                    reason=u.reason,
                )
            )
    if not result.created and not result.already:
        print(
            _("critique-app: nothing could be placed on {name}; no annotation was moved.").format(
                name=Path(args.copy).name
            ),
            file=sys.stderr,
        )
        return 1
    return 0
