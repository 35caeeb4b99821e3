"""`critique-app track FILM --frame N --box x,y,w,h --to M [--json]`: follow a region.

The box (film pixels) drawn on frame N is followed to frame M, forward or backward (M before
N), by critique_app.media.tracking; one box per frame, each with its confidence.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import _, format_number


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "track",
        help=_("follow a region drawn on one frame through a passage, forward or backward"),
        description=_(
            "Follow the box drawn on frame N to frame M (before N: backward) with optical flow "
            "on a grid of points inside it. Prints one box per frame in the film's pixels, with "
            "a confidence from 0 to 1. An aid: it can drift, check the boxes."
        ),
    )
    p.add_argument("media", metavar="FILM", help=_("the film"))
    p.add_argument(
        "--frame",
        required=True,
        metavar="N",
        help=_("the frame the box is drawn on: a frame (1234), a timecode or seconds (83.5s)"),
    )
    p.add_argument(
        "--box",
        required=True,
        metavar="x,y,w,h",
        help=_("the region on that frame: left, top, width and height in the film's pixels"),
    )
    p.add_argument(
        "--to",
        dest="end",
        required=True,
        metavar="M",
        help=_("the frame to follow it to, included; before N to follow it backward"),
    )
    p.add_argument("--json", action="store_true", help=_("machine-readable result on stdout"))
    p.set_defaults(func=run)


def parse_box(text: str) -> tuple[float, float, float, float]:
    from critique_app.errors import UserError

    parts = text.split(",")
    try:
        x, y, w, h = (float(part) for part in parts)
    except ValueError:
        raise UserError(
            _("'{text}' is not a box: give x,y,w,h in pixels, for example 100,80,64,48.").format(
                text=text
            )
        ) from None
    return x, y, w, h


def run(args: argparse.Namespace) -> int:
    from critique_app.cli.lens import film_position
    from critique_app.domain.timecode import frame_to_smpte
    from critique_app.media.probe import probe
    from critique_app.media.tracking import METHOD
    from critique_app.progress import TerminalProgress
    from critique_app.services.region_tracking import track_region, what_the_tracker_measures

    box = parse_box(args.box)
    info = probe(args.media)
    first = film_position(args.frame, info)
    last = film_position(args.end, info)
    progress = TerminalProgress("track")
    try:
        tracked = track_region(info.path, first, box, last, progress)
    finally:
        progress.finish()
    if args.json:
        json.dump(
            {
                "media": str(info.path),
                "frame": first,
                "to_frame": last,
                "width": info.width,
                "height": info.height,
                "method": METHOD,
                "boxes": [b.to_json() for b in tracked.boxes],
                "problem": tracked.problem,
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        print(what_the_tracker_measures())
        for b in tracked.boxes:
            tc = frame_to_smpte(
                b.frame, info.rate, drop_frame=info.drop_frame, start=info.start_frame
            )
            print(
                f"{b.frame:>7}  {tc}  "
                + _("{w}x{h} at {x},{y}, confidence {confidence}").format(
                    w=b.width,
                    h=b.height,
                    x=b.x,
                    y=b.y,
                    confidence=format_number(round(b.confidence, 2)),
                )
            )
    if tracked.problem:
        print(f"critique-app: {tracked.problem}", file=sys.stderr)
        return 1
    return 0
