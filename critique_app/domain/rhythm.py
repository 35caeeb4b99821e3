"""The rhythm of a film's montage: its transitions, its shots and their statistics.

Plain Python (no NumPy here): `media/transitions.py` finds the transitions on small grey
frames; this module turns them into shots and measures the shot lengths the way film scholars
do (Cinemetrics, Barry Salt): the average shot length (ASL) is the film's length divided by its
number of shots, the median beside it because shot lengths are skewed, and the coefficient of
variation is the standard deviation over the mean. The standard deviation is the population
one: a film's shots are all its shots, not a sample of them.

Where a gradual transition puts the boundary between two shots follows Cinemetrics' advice to
its users: in the middle of a dissolve (or a morph). A fade out that goes into a fade in (with
only flat frames between them) is one boundary, in the middle of the whole passage; a lone fade
(a film that begins in black, or a fade out ended by a cut) is inside its shot and moves no
boundary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from critique_app.i18n import _

CUT, DISSOLVE, FADE_OUT, FADE_IN, MORPH = "cut", "dissolve", "fade_out", "fade_in", "morph"
KINDS = (CUT, DISSOLVE, FADE_OUT, FADE_IN, MORPH)


def kind_name(kind: str) -> str:
    """A transition's kind in words, as the plot's legend, the timeline and the panels say it."""
    return {
        CUT: _("cut"),
        DISSOLVE: _("dissolve"),
        FADE_OUT: _("fade out"),
        FADE_IN: _("fade in"),
        MORPH: _("morph"),
    }[kind]


@dataclass(frozen=True)
class Transition:
    """One passage from a picture to another: a cut has start_frame == end_frame (the first
    frame of the new shot); a gradual one runs from its first changed frame to the frame where
    the change is complete."""

    kind: str
    start_frame: int
    end_frame: int

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "start_frame": self.start_frame, "end_frame": self.end_frame}


def shot_boundaries(transitions: list[Transition]) -> list[tuple[int, Transition]]:
    """First frame of every shot after the first, with the transition that begins it (for a
    fade out into a fade in, the fade in), from the film's transitions."""
    found: dict[int, Transition] = {}
    pending_fade: Transition | None = None
    for t in sorted(transitions, key=lambda t: t.start_frame):
        if t.kind == CUT:
            found.setdefault(t.start_frame, t)
        elif t.kind in (DISSOLVE, MORPH):
            found.setdefault((t.start_frame + t.end_frame + 1) // 2, t)
        elif t.kind == FADE_OUT:
            pending_fade = t
            continue
        elif t.kind == FADE_IN and pending_fade is not None:
            found.setdefault((pending_fade.start_frame + t.end_frame + 1) // 2, t)
        pending_fade = None
    return sorted((frame, t) for frame, t in found.items() if frame > 0)


def shot_starts(transitions: list[Transition]) -> list[int]:
    """First frame of every shot after the first, from the film's transitions."""
    return [frame for frame, _ in shot_boundaries(transitions)]


def shot_spans(starts: list[int], frame_count: int) -> list[tuple[int, int]]:
    """(first, last) frame of every shot, from the first frames of the shots after the first."""
    firsts = [0, *[s for s in starts if 0 < s < frame_count]]
    lasts = [s - 1 for s in firsts[1:]] + [frame_count - 1]
    return list(zip(firsts, lasts, strict=True))


def spans_within(spans: list[tuple[int, int]], first: int, last: int) -> list[tuple[int, int]]:
    """The shots of a passage (frames first..last): those it overlaps, cut to its ends (a
    passage that starts mid-shot counts that shot from its in point, as a viewer sees it)."""
    return [(max(a, first), min(b, last)) for a, b in spans if b >= first and a <= last]


@dataclass(frozen=True)
class ShotStatistics:
    shots: int
    asl_seconds: float  # average shot length: the film's length over its number of shots
    median_seconds: float
    shortest_seconds: float
    longest_seconds: float
    cv: float  # coefficient of variation: population standard deviation / ASL

    def to_json(self) -> dict[str, object]:
        return {
            "shots": self.shots,
            "asl_seconds": self.asl_seconds,
            "median_seconds": self.median_seconds,
            "shortest_seconds": self.shortest_seconds,
            "longest_seconds": self.longest_seconds,
            "cv": self.cv,
        }


def shot_statistics(frames: list[int], rate: Fraction) -> ShotStatistics:
    """Cinemetrics' figures for shots of these lengths (in frames) at this frame rate."""
    if not frames:
        return ShotStatistics(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    seconds = sorted(float(Fraction(n) / rate) for n in frames)
    count = len(seconds)
    mean = math.fsum(seconds) / count
    half = count // 2
    median = seconds[half] if count % 2 else (seconds[half - 1] + seconds[half]) / 2
    spread = math.sqrt(math.fsum((s - mean) ** 2 for s in seconds) / count)
    return ShotStatistics(
        shots=count,
        asl_seconds=mean,
        median_seconds=median,
        shortest_seconds=seconds[0],
        longest_seconds=seconds[-1],
        cv=spread / mean if mean else 0.0,
    )


HISTOGRAM_BINS = 12


def length_histogram(seconds: list[float], top: float, bins: int = HISTOGRAM_BINS) -> list[int]:
    """How many shots last each of `bins` equal steps of 0 to `top` seconds (give two films
    the longer of their longest shots, and their histograms read on one scale); a shot of
    exactly `top` seconds counts in the last step."""
    counts = [0] * bins
    if top <= 0:
        return counts
    for s in seconds:
        counts[min(bins - 1, max(0, int(s / top * bins)))] += 1
    return counts
