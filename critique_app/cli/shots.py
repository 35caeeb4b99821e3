"""`critique-app shots MEDIA [--json]`: shot cuts of a film, from one decode to small grey frames."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import _


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "shots",
        help=_("list the shot cuts of a film"),
        description=_(
            "Find shot cuts (mean absolute difference of consecutive 64x64 grey frames, "
            "adaptive threshold). Prints the first frame and timecode of every shot."
        ),
    )
    p.add_argument("media", metavar="MEDIA", help=_("the film"))
    p.add_argument("--json", action="store_true", help=_("machine-readable list on stdout"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from critique_app.domain.timecode import frame_to_smpte
    from critique_app.media.probe import probe
    from critique_app.media.shots import METHOD
    from critique_app.progress import TerminalProgress
    from critique_app.services.fingerprinting import detect_shots

    info = probe(args.media)
    progress = TerminalProgress("shots")
    try:
        found = detect_shots(args.media, progress)
    finally:
        progress.finish()

    def tc(frame: int) -> str:
        return frame_to_smpte(frame, info.rate, drop_frame=info.drop_frame, start=info.start_frame)

    starts = [0, *found.cuts]
    ends = [c - 1 for c in found.cuts] + [found.frame_count - 1]
    shots = [
        {
            "shot": n + 1,
            "start_frame": a,
            "end_frame": b,
            "start_timecode": tc(a),
            "frames": b - a + 1,
        }
        for n, (a, b) in enumerate(zip(starts, ends, strict=True))
    ]
    if args.json:
        json.dump(
            {
                "media": str(info.path),
                "frame_count": found.frame_count,
                "method": METHOD,
                "crop": found.crop.to_json() if found.crop else None,
                "cuts": found.cuts,
                "shots": shots,
                "problem": found.problem,
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for s in shots:
            print(
                _("shot {shot}  {timecode}  frames {first}-{last} ({count})").format(
                    shot=f"{s['shot']:>4}",
                    timecode=s["start_timecode"],
                    first=s["start_frame"],
                    last=s["end_frame"],
                    count=s["frames"],
                )
            )
    if found.problem:
        print(f"critique-app: {found.problem}", file=sys.stderr)
        return 1
    return 0
