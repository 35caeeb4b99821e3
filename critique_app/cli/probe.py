"""`critique-app probe MEDIA [--json]`: what a film is (codec, size, exact frame count, rate,
start timecode, variable frame rate), as lines for people or JSON for scripts."""

from __future__ import annotations

import argparse
import json
import sys

from critique_app.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "probe",
        help=_("show a film's container, codec, size, exact frame count, rate and timecode"),
        description=_(
            "Read a film's facts without decoding it: container, codec, size, rotation, "
            "the exact number of frames (counted from the stream), the frame rate as a fraction, "
            "duration, the source start timecode, audio, and whether the frame rate varies. "
            "Exit status 1 when the file cannot be read or is cut short."
        ),
    )
    parser.add_argument("media", metavar="MEDIA", help=_("a video file"))
    parser.add_argument("--json", action="store_true", help=_("write JSON on stdout"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from critique_app.domain.timecode import frame_to_smpte
    from critique_app.media.probe import probe

    info = probe(args.media)
    if args.json:
        print(json.dumps(info.to_json(), indent=2))
    else:
        fps = f"{float(info.rate):.3f}".rstrip("0").rstrip(".")
        rate = f"{fps} fps ({info.rate.numerator}/{info.rate.denominator})"
        if info.vfr:
            rate = f"variable: average {rate}; frames follow the file's own timestamps"
        end = frame_to_smpte(info.frame_count, info.rate, drop_frame=info.drop_frame)
        if info.start_timecode:
            kind = "drop-frame" if info.drop_frame else "non-drop"
            timecode = f"starts at {info.start_timecode} ({kind})"
        else:
            timecode = "none in the file; counted from 00:00:00:00"
        rotation = f", shown rotated {info.rotation}°" if info.rotation else ""
        lines = [
            ("file", str(info.path)),
            ("container", info.container),
            ("video", f"{info.codec} {info.width}x{info.height}{rotation}"),
            ("frames", f"{info.frame_count} (exact, counted from the stream)"),
            ("rate", rate),
            ("duration", f"{info.duration:.3f} s ({end})"),
            ("timecode", timecode),
            ("audio", "yes" if info.has_audio else "no"),
        ]
        for label, value in lines:
            print(f"{label + ':':11s}{value}")
    if info.problem:
        print(f"critique-app: {info.problem}", file=sys.stderr)
        return 1
    return 0
