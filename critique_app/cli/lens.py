"""`critique-app lens instability FILM [--from A] [--to B] [--json] [--heatmap OUT.png]`.

The lenses are aids to look at a passage, each saying what it measures. The décor lens finds
where the picture changes without moving (critique_app.media.instability); other lenses can
join as further actions of this command.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import _


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "lens",
        help=_("aids to look at a passage: where the picture changes without moving"),
        description=_("Lenses measure one visible thing over a passage and say how."),
    )
    sub = p.add_subparsers(dest="lens", metavar="LENS", required=True)
    lens = sub.add_parser(
        "instability",
        help=_(
            "where the picture changes without moving (texture that boils, letters that mutate)"
        ),
        description=_(
            "Follow the motion between consecutive frames (DIS optical flow, on grey frames "
            "480 pixels wide), warp the previous frame onto the current one and measure what "
            "still differs. Prints a score per frame (the share of the picture that changes "
            "without moving) and the hottest regions of each frame, in the film's pixels. "
            "Frames just after a cut are skipped. An aid to look, not a detector."
        ),
    )
    lens.add_argument("media", metavar="FILM", help=_("the film"))
    lens.add_argument(
        "--from",
        dest="start",
        default="0",
        metavar="A",
        help=_("first frame of the passage: a frame (1234), a timecode or seconds (83.5s)"),
    )
    lens.add_argument(
        "--to",
        dest="end",
        metavar="B",
        help=_("last frame of the passage, included (default: the film's last frame)"),
    )
    lens.add_argument("--json", action="store_true", help=_("machine-readable result on stdout"))
    lens.add_argument(
        "--heatmap",
        metavar="OUT.png",
        help=_("write the passage's heat over its first frame as a PNG, at the film's size"),
    )
    lens.set_defaults(func=run_instability)


def film_position(text: str, info: Any) -> int:
    from critique_app.domain.timecode import parse_position
    from critique_app.errors import UserError

    try:
        return parse_position(text, info.rate, drop_frame=info.drop_frame, start=info.start_frame)
    except ValueError as err:
        raise UserError(f"{info.path}: {err}") from None


def run_instability(args: argparse.Namespace) -> int:
    from pathlib import Path

    from PIL import Image

    from critique_app.domain.timecode import frame_to_smpte
    from critique_app.errors import UserError
    from critique_app.media.instability import METHOD, HotRegion
    from critique_app.media.probe import probe
    from critique_app.progress import TerminalProgress
    from critique_app.services.instability_lens import (
        heat_picture,
        measure_passage,
        what_the_score_measures,
    )

    out = Path(args.heatmap) if args.heatmap else None
    if out is not None and not out.parent.is_dir():
        raise UserError(
            _("Cannot write {out}: the folder {parent} does not exist.").format(
                out=out, parent=out.parent
            )
        )
    info = probe(args.media)
    first = film_position(args.start, info)
    last = film_position(args.end, info) if args.end is not None else info.frame_count - 1
    progress = TerminalProgress("instability")
    try:
        result = measure_passage(info.path, first, last, progress)
    finally:
        progress.finish()
    if out is not None:
        try:
            Image.fromarray(heat_picture(info.path, result), "RGB").save(out, format="PNG")
        except OSError as err:
            raise UserError(
                _("Cannot write {out}: {reason}.").format(out=out, reason=err.strerror or err)
            ) from None

    def tc(frame: int) -> str:
        return frame_to_smpte(frame, info.rate, drop_frame=info.drop_frame, start=info.start_frame)

    frames = [{"frame": f, "score": round(s, 3)} for f, s in sorted(result.scores.items())]
    if args.json:
        json.dump(
            {
                "media": str(info.path),
                "from_frame": first,
                "to_frame": last,
                "width": info.width,
                "height": info.height,
                "method": METHOD,
                "frames": frames,
                "regions": [r.to_json() for r in result.regions],
                "cuts": result.cuts,
                "heatmap": str(out) if out is not None else None,
                "problem": result.problem,
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        print(what_the_score_measures())
        hottest: dict[int, HotRegion] = {}
        for region in result.regions:  # regions come hottest first within each frame
            hottest.setdefault(region.frame, region)
        lines: dict[int, str] = {}
        for entry in frames:
            frame = int(entry["frame"])
            line = f"{frame:>7}  {tc(frame)}  {float(entry['score']):6.2f}%"
            top = hottest.get(frame)
            if top is not None:
                line += "  " + _("hottest {w}x{h} at {x},{y}").format(
                    w=top.width, h=top.height, x=top.x, y=top.y
                )
            lines[frame] = line
        for frame in result.cuts:
            lines[frame] = f"{frame:>7}  {tc(frame)}  " + _(
                "cut: not compared with the frame before"
            )
        for frame in sorted(lines):
            print(lines[frame])
        if out is not None:
            print(_("Heat map: {path}").format(path=out))
    if result.problem:
        print(f"critique-app: {result.problem}", file=sys.stderr)
        return 1
    return 0
