"""`critique-app fingerprint MEDIA --project P`: per-frame hashes and shot cuts into a project.

Resumes an interrupted run where it stopped; progress on stderr; Ctrl-C keeps what was done.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import _, ngettext


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "fingerprint",
        help=_("hash every frame of a film (pHash, mirrored pHash, dHash) and find its shots"),
        description=_(
            "Hash every frame of a film into the project (letterbox removed first) and "
            "find its shot cuts from the same decode. An interrupted run resumes where it stopped."
        ),
    )
    p.add_argument("media", metavar="MEDIA", help=_("the film"))
    p.add_argument(
        "--project",
        required=True,
        metavar="P",
        help=_("project file (*.critique); created when missing (says `created P`)"),
    )
    p.add_argument(
        "--restart", action="store_true", help=_("forget earlier fingerprints of this film")
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help=_("decoding processes (default: 2 on 2+ cores)"),
    )
    p.add_argument("--json", action="store_true", help=_("machine-readable summary on stdout"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import project_to_use
    from critique_app.errors import Cancelled
    from critique_app.progress import TerminalProgress
    from critique_app.services.fingerprinting import fingerprint_film

    progress = TerminalProgress("fingerprint")
    with project_to_use(args.project) as project:
        try:
            s = fingerprint_film(
                project, args.media, progress, workers=args.workers, restart=args.restart
            )
        except (Cancelled, KeyboardInterrupt):
            progress.finish()
            print(
                _(
                    "critique-app: stopped; the frames hashed so far are kept and the next run resumes."
                ),
                file=sys.stderr,
            )
            return 130
        finally:
            progress.finish()
        film = project.repo.get_film(s.film_id)
    out = {
        "film": film.path,
        "frame_count": s.frame_count,
        "hashed": s.hashed,
        "resumed_from": s.resumed_from,
        "crop": s.crop.to_json() if s.crop else None,
        "cuts": s.cuts,
        "complete": s.complete,
        "problem": s.problem,
    }
    if args.json:
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(
            ngettext(
                "{film}: {hashed} of {count} frame fingerprinted; {shots} shots.",
                "{film}: {hashed} of {count} frames fingerprinted; {shots} shots.",
                s.frame_count,
            ).format(film=film.title, hashed=s.hashed, count=s.frame_count, shots=len(s.cuts) + 1)
        )
        if s.resumed_from:
            print("  " + _("resumed at frame {frame}").format(frame=s.resumed_from))
        if s.crop:
            print(
                "  "
                + _("black bars removed (picture {width}x{height} at {x},{y})").format(
                    width=s.crop.width, height=s.crop.height, x=s.crop.x, y=s.crop.y
                )
            )
    if s.problem:
        print(f"critique-app: {s.problem}", file=sys.stderr)
        return 1
    return 0
