"""`critique-app shots MEDIA [--json] [--plot OUT.svg|OUT.png]`: the shots of a film, the kind of
every transition between them (cut, dissolve, fade, morph) and the film's rhythm (Cinemetrics'
figures), from one decode to small grey frames. How transitions are told apart:
docs/montage-lens.md."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from critique_app.i18n import _

if TYPE_CHECKING:
    from critique_app.domain.rhythm import ShotStatistics, Transition


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "shots",
        help=_("list the shots of a film, its transitions and its rhythm"),
        description=_(
            "Find shot cuts (mean absolute difference of consecutive 64x64 grey frames, "
            "adaptive threshold) and gradual transitions (dissolves, fades, morphs: runs of "
            "frames that change more than the frames around them, told apart by how well a mix "
            "of their two ends explains them). Prints every shot with its first frame and "
            "timecode, every transition, and the shot-length figures film scholars use "
            "(Cinemetrics: average and median shot length, shortest, longest, coefficient of "
            "variation)."
        ),
    )
    p.add_argument("media", metavar="MEDIA", help=_("the film"))
    p.add_argument("--json", action="store_true", help=_("machine-readable list on stdout"))
    p.add_argument(
        "--plot",
        metavar="OUT",
        help=_("also draw the shot lengths over the film's time to OUT (.svg or .png)"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from critique_app.domain.timecode import frame_to_smpte
    from critique_app.media.probe import probe
    from critique_app.media.shots import METHOD
    from critique_app.media.transitions import METHOD as TRANSITION_METHOD
    from critique_app.progress import TerminalProgress
    from critique_app.services.fingerprinting import detect_shots
    from critique_app.services.rhythm import rhythm_of

    info = probe(args.media)
    progress = TerminalProgress("shots")
    try:
        found = detect_shots(args.media, progress)
    finally:
        progress.finish()

    def tc(frame: int) -> str:
        return frame_to_smpte(frame, info.rate, drop_frame=info.drop_frame, start=info.start_frame)

    rhythm = rhythm_of(found, info.rate)
    spans, statistics = rhythm.spans, rhythm.statistics
    shots = [
        {
            "shot": n + 1,
            "start_frame": a,
            "end_frame": b,
            "start_timecode": tc(a),
            "frames": b - a + 1,
        }
        for n, (a, b) in enumerate(spans)
    ]
    if args.plot:
        from exporters.rhythm_plot import write_rhythm_plot

        write_rhythm_plot(
            args.plot, info.path.name, spans, found.transitions, statistics, info.rate
        )
    if args.json:
        json.dump(
            {
                "media": str(info.path),
                "frame_count": found.frame_count,
                "method": METHOD,
                "crop": found.crop.to_json() if found.crop else None,
                "cuts": found.cuts,
                "shots": shots,
                "transitions": [t.to_json() for t in found.transitions],
                "transition_method": TRANSITION_METHOD,
                "statistics": statistics.to_json(),
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
        for line in describe(found.transitions, statistics, tc):
            print(line)
    if args.plot:
        print(_("Rhythm plot written to {path}.").format(path=args.plot), file=sys.stderr)
    if found.problem:
        print(f"critique-app: {found.problem}", file=sys.stderr)
        return 1
    return 0


def describe(
    transitions: list[Transition], statistics: ShotStatistics, tc: Callable[[int], str]
) -> list[str]:
    """The transitions and the figures in sentences, as the --json output gives them."""
    from critique_app.i18n import format_number, ngettext

    def seconds(value: float) -> str:
        return format_number(round(value, 2))

    lines = []
    for t in transitions:
        where = {"start": tc(t.start_frame), "end": tc(t.end_frame)}
        words = {
            "cut": _("Cut at {start} (frame {first})."),
            "dissolve": _("Dissolve from {start} to {end} (frames {first}-{last})."),
            "fade_out": _("Fade out from {start} to {end} (frames {first}-{last})."),
            "fade_in": _("Fade in from {start} to {end} (frames {first}-{last})."),
            "morph": _(
                "Morph from {start} to {end} (frames {first}-{last}): the picture changes "
                "without a cut and is not a mix of its two ends."
            ),
        }[t.kind]
        lines.append(words.format(first=t.start_frame, last=t.end_frame, **where))
    lines.append(
        ngettext(
            "{count} shot: average shot length {asl} s, median {median} s, shortest {shortest} s, "
            "longest {longest} s, coefficient of variation {cv}.",
            "{count} shots: average shot length {asl} s, median {median} s, shortest {shortest} "
            "s, longest {longest} s, coefficient of variation {cv}.",
            statistics.shots,
        ).format(
            count=statistics.shots,
            asl=seconds(statistics.asl_seconds),
            median=seconds(statistics.median_seconds),
            shortest=seconds(statistics.shortest_seconds),
            longest=seconds(statistics.longest_seconds),
            cv=seconds(statistics.cv),
        )
    )
    return lines
