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
        fraction = f"{info.rate.numerator}/{info.rate.denominator}"
        rate = _("{fps} fps ({fraction})").format(fps=fps, fraction=fraction)
        if info.vfr:
            rate = _("variable: average {rate}; frames follow the file's own timestamps").format(
                rate=rate
            )
        end = frame_to_smpte(info.frame_count, info.rate, drop_frame=info.drop_frame)
        if info.start_timecode:
            kind = _("drop-frame") if info.drop_frame else _("non-drop")
            timecode = _("starts at {timecode} ({kind})").format(
                timecode=info.start_timecode, kind=kind
            )
        else:
            timecode = _("none in the file; counted from 00:00:00:00")
        video = f"{info.codec} {info.width}x{info.height}"
        if info.rotation:
            video = _("{video}, shown rotated {degrees}°").format(
                video=video, degrees=info.rotation
            )
        lines = [
            (_("file:"), str(info.path)),
            (_("container:"), info.container),
            (_("video:"), video),
            (_("frames:"), info.counting_sentence()),
            (_("rate:"), rate),
            (_("duration:"), f"{info.duration:.3f} s ({end})"),
            (_("timecode:"), timecode),
            (_("audio:"), _("yes") if info.has_audio else _("no")),
        ]
        width = max(11, *(len(label) + 1 for label, _value in lines))  # the values in one column
        for label, value in lines:
            print(f"{label:{width}s}{value}")
    if info.problem:
        print(f"critique-app: {info.problem}", file=sys.stderr)
        return 1
    return 0
