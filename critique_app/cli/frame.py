"""`critique-app frame MEDIA (--index N | --tc TC) -o OUT.png`: save one exact frame, full
resolution, as a lossless PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

from critique_app.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "frame",
        help=_("save the exact frame at an index or timecode as a PNG"),
        description=_(
            "Decode the exact frame (by its timestamp, never by rate x time) and save it "
            "at full resolution as a lossless PNG. --tc takes a SMPTE timecode in the film's own "
            "timecode (with its start timecode; ';' for drop-frame), or a frame number (1234f) "
            "or seconds (83.5s)."
        ),
    )
    parser.add_argument("media", metavar="MEDIA", help=_("a video file"))
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--index", type=int, metavar="N", help=_("frame index, 0 = first frame"))
    where.add_argument("--tc", metavar="TC", help=_("timecode HH:MM:SS:FF (or 1234f, 83.5s)"))
    parser.add_argument("-o", "--output", required=True, metavar="OUT.png", help=_("PNG to write"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from PIL import Image

    from critique_app.domain.timecode import frame_to_smpte, parse_position
    from critique_app.errors import UserError
    from critique_app.media.frame_cache import ONE_SHOT_CACHE_BYTES
    from critique_app.media.frame_server import FrameServer
    from critique_app.media.probe import probe

    out = Path(args.output)
    if not out.parent.is_dir():
        raise UserError(
            _("Cannot write {out}: the folder {parent} does not exist.").format(
                out=out, parent=out.parent
            )
        )
    info = probe(args.media)
    if args.tc is not None:
        try:
            index = parse_position(
                args.tc, info.rate, drop_frame=info.drop_frame, start=info.start_frame
            )
        except ValueError as err:
            raise UserError(f"{info.path}: {err}") from None
    else:
        index = args.index
    # one frame wanted: the GOP decoded on the way to it need not be kept
    with FrameServer(info.path, info, cache_bytes=ONE_SHOT_CACHE_BYTES) as server:
        frame = server.frame(index)
    try:
        Image.fromarray(frame.image, "RGB").save(out, format="PNG", compress_level=3)
    except OSError as err:
        raise UserError(
            _("Cannot write {out}: {reason}.").format(out=out, reason=err.strerror or err)
        ) from None
    timecode = frame_to_smpte(index, info.rate, drop_frame=info.drop_frame, start=info.start_frame)
    print(
        _("{out}: frame {frame} ({timecode}) of {film}, {width}x{height}").format(
            out=out,
            frame=index,
            timecode=timecode,
            film=info.path,
            width=info.width,
            height=info.height,
        )
    )
    return 0
