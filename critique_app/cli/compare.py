"""`critique-app compare A B [--json] [--still N -o OUT.png [--mode side|wipe]] [--project P]`.

Aligns copy B with film A by their pictures (offset, frame rate, letterbox, mirror) and lists
the passages inserted in B, removed from it and changed, with a difference score per shot.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import N_, _

# a passage's kind is a code (JSON, the window's colours); the listing says it in words
PASSAGE_WORDS = {
    "inserted": N_("inserted"),
    "removed": N_("removed"),
    "changed": N_("changed"),
}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "compare",
        help=_("compare two copies of a film: mapping, passages inserted, removed, changed"),
        description=_(
            "Align copy B with film A by their fingerprints (head offset, frame-rate "
            "conform, letterbox, mirror) and report the frame mapping, the passages inserted in B, "
            "removed from it and changed (B shows other pictures), with frame ranges and "
            "timecodes, and a difference score per shot of A (0 same pictures, 1 nothing alike). "
            "--still N writes frame N of A beside (or wiped with) its frame in B as a PNG."
        ),
    )
    p.add_argument("a", metavar="A", help=_("the reference film (a video file)"))
    p.add_argument("b", metavar="B", help=_("the copy to compare with it"))
    p.add_argument("--json", action="store_true", help=_("machine-readable result on stdout"))
    p.add_argument("--still", type=int, metavar="N", help=_("write a still of frame N of A and B"))
    p.add_argument("-o", "--output", metavar="OUT.png", help=_("where --still writes its PNG"))
    p.add_argument(
        "--mode",
        choices=["side", "wipe"],
        default="side",
        help=_("the still: side by side (default) or a wipe (A left, B right)"),
    )
    p.add_argument(
        "--project",
        metavar="P",
        help=_("keep (and reuse) the fingerprints in this project file instead of recomputing"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from critique_app.errors import UserError
    from critique_app.progress import TerminalProgress
    from critique_app.services.compare import compare_files, write_still

    if (args.still is None) != (args.output is None):
        print(_("critique-app compare: --still N and -o OUT.png go together."), file=sys.stderr)
        return 2
    for path in (args.a, args.b):
        if not Path(path).is_file():
            raise UserError(_("{path} does not exist.").format(path=path))
    progress = TerminalProgress("compare")
    try:
        if args.project:
            from critique_app.cli.projects import project_to_use

            needs = _("--project keeps fingerprints in an existing project")
            with project_to_use(args.project, needs=needs) as project:
                comparison = compare_files(args.a, args.b, project=project, progress=progress)
        else:
            comparison = compare_files(args.a, args.b, progress=progress)
    finally:
        progress.finish()
    if args.still is not None:
        out = write_still(comparison, args.still, args.output, mode=args.mode)
        print(_("wrote {out}").format(out=out), file=sys.stderr)
    if args.json:
        json.dump(comparison.to_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(comparison.sentence())
        for p in comparison.passages:
            fa, fb = comparison.film_a, comparison.film_b
            a = f"A {p.a[0]}-{p.a[1]} ({fa.timecode(p.a[0])}-{fa.timecode(p.a[1])})" if p.a else ""
            b = f"B {p.b[0]}-{p.b[1]} ({fb.timecode(p.b[0])}-{fb.timecode(p.b[1])})" if p.b else ""
            where = " → ".join(x for x in (a, b) if x)
            print(f"  {_(PASSAGE_WORDS.get(p.kind, p.kind)):<8} {where}")
    return 0
