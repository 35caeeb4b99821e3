"""The kind of every transition between shots, from the small grey frames shots already use.

Cuts come from `shots.find_cuts` (one frame that stands out). Gradual transitions are found by
twin comparison (Zhang, Kankanhalli and Smoliar, 1993): a *passage* is a run of frames that
each change noticeably more than the quiet frames around them; a passage whose two ends differ
over most of the picture, with no single frame carrying most of the change, and calm frames
on both sides inside its shots (a camera moving all through a shot is not a transition), is a
transition.
Its kind is then read from its two end frames (A, the last frame before it, and B, the frame
where it ends) and the frames between them, on 32x32 grey frames:

- fade_out / fade_in: B (or A) is a flat colour and the other end is not;
- dissolve: every middle frame is explained as a mix of A and B: a least-squares fit of the
  frame on A, B and a constant leaves little of the change unexplained;
- morph: large change, no jump, and the middle frames are *not* a mix of the ends (a warp,
  a zoom, a turn: something moved rather than faded).

A fade out straight into a fade in (a dip to black with no held black frame) is split at its
flat frames into the two fades. The thresholds and the reasons for them: docs/montage-lens.md.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from critique_app.domain.rhythm import CUT, DISSOLVE, FADE_IN, FADE_OUT, MORPH, Transition
from critique_app.media.shots import CUT_FACTOR

LOW_FLOOR = 0.5  # grey levels (64x64 mean absolute difference): quieter frames never move a passage
LOW_FACTOR = 2.0  # a passage's frames change this many times more than the quiet level around them
QUIET_WINDOW = 48  # frames each side where the quiet level is measured...
QUIET_QUANTILE = 25.0  # ...as their lower quartile: passages up to ~3 s leave it quiet
GAP = 1  # a passage bridges this many quieter frames (a slow dissolve's codec noise)
SMOOTH = 5  # frames of the running mean the second look sees the film through (grain / 5)
MIN_PASSAGE = 4  # frames: shorter changes are left to the cut detector
MIN_CHANGE = 12.0  # grey levels between the two ends (as shots.CUT_FLOOR): else nothing changed
COVER_LEVEL = 10  # grey levels a 32x32 cell must change by to count as changed...
MIN_COVER = 0.5  # ...over at least this share of the picture: a figure crossing a still shot is not
CALM = 3  # frames each side of a passage, in its shots, that must change LOW_FACTOR times less
JUMP_SHARE = (
    0.5  # one frame carrying this share of a passage's change makes it a cut, not a passage
)
FLAT_STD = 4.0  # grey levels of standard deviation under which a frame is a flat colour
MIX_FIT = 0.2  # unexplained RMS / RMS of the whole change: at most this, the middle is a mix
METHOD = (
    f"passages low_floor={LOW_FLOOR:g} low_factor={LOW_FACTOR:g} quiet=q{QUIET_QUANTILE:g}"
    f"±{QUIET_WINDOW} gap={GAP} smooth={SMOOTH} min_passage={MIN_PASSAGE} min_change={MIN_CHANGE:g} "
    f"cover={MIN_COVER:g}@{COVER_LEVEL} calm={CALM} jump={JUMP_SHARE:g} flat_std={FLAT_STD:g} "
    f"mix_fit={MIX_FIT:g}"
)


def quiet_level(diffs: NDArray[np.float32]) -> NDArray[np.float32]:
    """Lower quartile of the differences within QUIET_WINDOW frames of each frame, in chunks
    so that a feature film's window view never holds more than a few megabytes."""
    n = len(diffs)
    padded = np.pad(diffs, QUIET_WINDOW, mode="edge")
    out = np.empty(n, dtype=np.float32)
    width = 2 * QUIET_WINDOW + 1
    for start in range(0, n, 4096):
        stop = min(n, start + 4096)
        view = np.lib.stride_tricks.sliding_window_view(padded[start : stop + width - 1], width)
        out[start:stop] = np.percentile(view, QUIET_QUANTILE, axis=1)
    return out


def smoothed_steps(small: NDArray[np.uint8]) -> NDArray[np.float32]:
    """The change per frame of the film seen through a running mean of SMOOTH frames. The
    difference of two consecutive means is (f[i + h] - f[i - h - 1]) / SMOOTH: grain that
    changes every frame stays as large over five frames as over one and is divided by five,
    while a dissolve's steady change adds up over the five and stays whole."""
    n, h = len(small), SMOOTH // 2
    out = np.zeros(n, dtype=np.float32)
    for start in range(1, n, 4096):
        i = np.arange(start, min(n, start + 4096))
        later = small[np.minimum(i + h, n - 1)].astype(np.int16)
        earlier = small[np.maximum(i - h - 1, 0)].astype(np.int16)
        out[i] = np.abs(later - earlier).reshape(len(i), -1).mean(axis=1) / SMOOTH
    return out


def _runs(active: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Inclusive (first, last) of every run of active frames, bridging gaps of GAP frames."""
    where = np.flatnonzero(active)
    runs: list[tuple[int, int]] = []
    for i in where.tolist():
        if runs and i - runs[-1][1] <= GAP + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def mix_residual(
    middle: NDArray[np.float32], first: NDArray[np.float32], last: NDArray[np.float32]
) -> float:
    """How much of the change the best mix of the two ends leaves unexplained in the middle
    frames: RMS of the least-squares residual of each frame on (first, last, 1), over the RMS
    of last - first; the median over the middle half of the passage (its ends are near A or B
    whatever the transition, so they would flatter a morph)."""
    basis = np.stack([first.ravel(), last.ravel(), np.ones(first.size, np.float32)], axis=1)
    targets = middle.reshape(len(middle), -1).T.astype(np.float64)
    coef, *_ = np.linalg.lstsq(basis.astype(np.float64), targets, rcond=None)
    residual = targets - basis @ coef
    rms = np.sqrt((residual**2).mean(axis=0))
    scale = float(np.sqrt(((last - first).astype(np.float64) ** 2).mean())) or 1.0
    k = len(rms)
    core = rms[k // 4 : k - k // 4] if k >= 4 else rms
    return float(np.median(core)) / scale


class _Film:
    """The per-frame measures a passage is judged on."""

    def __init__(
        self,
        diffs: NDArray[np.float32],
        steps: NDArray[np.float32],
        small: NDArray[np.uint8],
        cuts: list[int],
    ) -> None:
        self.diffs = diffs  # frame against frame: where the cuts are
        self.steps = steps  # the change per frame the passage is measured by (maybe smoothed)
        self.cuts = cuts
        self.small = small  # uint8, 1 KB a frame; floats only for the frames a passage reads
        self.flat = np.concatenate(
            [
                small[i : i + 4096].reshape(-1, small[0].size).std(axis=1) < FLAT_STD
                for i in range(0, len(small), 4096)
            ]
        )

    def frames(self, a: int, b: int) -> NDArray[np.float32]:
        return self.small[a:b].astype(np.float32)

    def passages(self, a: int, b: int) -> list[Transition]:
        """Transitions in the run of changing frames a..b (d[i] is frame i against i - 1)."""
        if b - a + 1 < MIN_PASSAGE or a < 1:
            return []
        j = self.jump(a, b)
        if j is not None:  # a cut: the cut detector's; what is on either side may be a passage
            return self.passages(a, j - 1) + self.passages(j + 1, b)
        if not self.flat[a - 1] and not self.flat[b]:
            inner = np.flatnonzero(self.flat[a:b])
            if len(inner):  # a dip through a flat colour: a fade out, then a fade in
                return self.passages(a, a + int(inner[0])) + self.passages(
                    a + int(inner[-1]) + 1, b
                )
        first, last = self.frames(a - 1, a)[0], self.frames(b, b + 1)[0]
        change = np.abs(last - first)
        if float(change.mean()) < MIN_CHANGE or float((change > COVER_LEVEL).mean()) < MIN_COVER:
            return []
        if not self.calm_around(a, b):
            return []
        return [Transition(self.kind(a, b), a, b)]

    def jump(self, a: int, b: int) -> int | None:
        """The frame of a..b that is a cut rather than a step of a gradual change: a cut the
        cut detector found that stands CUT_FACTOR times above the passage's median step (a
        fast pan leaves no calm around its cuts, so they sit inside runs of changing frames;
        a fast fade's steps all look alike), or any frame carrying JUMP_SHARE of the change."""
        seg = self.diffs[a : b + 1]
        inside = [c for c in self.cuts if a <= c <= b]
        if inside:
            c = max(inside, key=lambda c: float(self.diffs[c]))
            rest = np.delete(seg, c - a)
            if float(self.diffs[c]) >= CUT_FACTOR * float(np.median(rest)):
                return c
        j = int(np.argmax(seg))
        return a + j if seg[j] >= JUMP_SHARE * float(seg.sum()) else None

    def calm_around(self, a: int, b: int) -> bool:
        """The passage starts and ends inside shots that are calmer than it: CALM frames on
        each side change LOW_FACTOR times less (a cut among them, the film's edge, or a camera
        that moves all through its shot fails this). A side that is a flat colour is calm
        whatever follows it: a fade to black may be cut straight to the next shot."""
        inside = float(self.steps[a : b + 1].mean())
        sides = (
            (self.steps[max(a - CALM, 1) : a], self.flat[a - 1]),
            (self.steps[b + 1 : b + 1 + CALM], self.flat[b]),
        )
        for frames, flat in sides:
            if flat:
                continue
            if len(frames) < CALM or LOW_FACTOR * float(frames.mean()) > inside:
                return False
        return True

    def kind(self, a: int, b: int) -> str:
        if self.flat[b] and not self.flat[a - 1]:
            return FADE_OUT
        if self.flat[a - 1] and not self.flat[b]:
            return FADE_IN
        ends = self.frames(a - 1, b + 1)
        fit = mix_residual(ends[1:-1], ends[0], ends[-1])
        return DISSOLVE if fit <= MIX_FIT else MORPH


def find_transitions(
    diffs: NDArray[np.float32], small: NDArray[np.uint8], cuts: list[int]
) -> list[Transition]:
    """Every transition of a film, in order, from its frame differences (64x64, as for the
    cuts), its 32x32 grey frames and the cuts `find_cuts` found. A cut inside a gradual passage
    (a fast fade can stand out like one) is part of that passage, not a cut of its own."""
    n = min(len(diffs), len(small))
    if n < 2:
        return [Transition(CUT, c, c) for c in cuts]
    d = np.asarray(diffs[:n], dtype=np.float32).copy()
    d[0] = 0.0
    active = d >= np.maximum(LOW_FLOOR, LOW_FACTOR * quiet_level(d))
    film = _Film(d, d, small[:n], cuts)
    gradual = [t for a, b in _runs(active) for t in film.passages(a, b)]
    # a second look through a running mean, for what grain hid: only where the first found nothing
    steps = smoothed_steps(small[:n])
    active = steps >= np.maximum(LOW_FLOOR, LOW_FACTOR * quiet_level(steps))
    grainy = _Film(d, steps, small[:n], cuts)
    for a, b in _runs(active):
        if not any(a <= t.end_frame + SMOOTH and b >= t.start_frame - SMOOTH for t in gradual):
            gradual += grainy.passages(a, b)
    inside = [(t.start_frame, t.end_frame) for t in gradual]
    found = gradual + [
        Transition(CUT, c, c) for c in cuts if not any(s <= c <= e for s, e in inside)
    ]
    return sorted(found, key=lambda t: t.start_frame)
