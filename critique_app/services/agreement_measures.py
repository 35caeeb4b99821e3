"""The numbers of class agreement, by interval arithmetic over frames (NumPy, no per-frame loop).

Annotations become labelled intervals per annotator ("coder"). Every start and end of every
interval cuts the film into elementary segments inside which no coder's value changes, so a
segment of L frames stands for L identical units. A coder's value on a segment is the code of
the category of their annotation covering it, NONE (0) when they left it unmarked, or MISSING
(-1) outside the frames they reviewed (by default the whole film). When one coder's annotations
overlap, the shortest one covering the frames gives the value: the most specific remark wins.

Krippendorff's alpha itself comes from the `krippendorff` package, fed a value-count matrix
(one row per unit frame), never a frames x coders matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import krippendorff
import numpy as np
from numpy.typing import NDArray

NONE = 0  # the coder left the frame unmarked
MISSING = -1  # the coder did not review the frame: no value at all

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Spans:
    """Labelled intervals of every coder: frames start..stop-1 carry `value` (>= 1)."""

    coder: IntArray
    start: IntArray
    stop: IntArray
    value: IntArray

    @classmethod
    def of(cls, rows: list[tuple[int, int, int, int]]) -> Spans:
        """From (coder, first frame, last frame inclusive, value) tuples."""
        a = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        return cls(a[:, 0], a[:, 1], a[:, 2] + 1, a[:, 3])


@dataclass(frozen=True)
class Segments:
    """The film cut where any value changes: `values[i, c]` holds on frames
    start[i] .. start[i] + length[i] - 1 for coder c."""

    start: IntArray
    length: IntArray
    values: NDArray[np.int32]  # segments x coders
    overlapped: int  # annotations that overlap another one of the same coder
    painted: int  # of which decided by the shortest-wins rule (the only Python loop)

    @property
    def units(self) -> NDArray[np.bool_]:
        """Segments that at least one coder marked: the units of every measure."""
        return np.asarray((self.values > NONE).any(axis=1))


def segment_values(spans: Spans, coders: int, reviewed: Spans | None = None) -> Segments:
    """Cut the film into segments and give each coder's value on each.

    `reviewed`, when given, holds for each coder the frame ranges they looked at (value
    ignored); outside them their value is MISSING. Coders without any reviewed range have
    reviewed nothing.
    """
    cuts = [spans.start, spans.stop]
    if reviewed is not None:
        cuts += [reviewed.start, reviewed.stop]
    bounds = np.sort(np.concatenate(cuts)).astype(np.int64)
    bounds = bounds[np.r_[True, bounds[1:] != bounds[:-1]]] if len(bounds) else bounds
    n = max(len(bounds) - 1, 0)
    grid = np.zeros((coders, n), dtype=np.int32)  # coder-major: one coder's run is contiguous
    overlapped = painted = 0
    if n and len(spans.start):
        first = np.searchsorted(bounds, spans.start)
        last = np.searchsorted(bounds, spans.stop)  # exclusive segment index
        cover = _per_segment(first, last, spans.coder, None, n, coders)
        crowded = cover >= 2
        seen = np.zeros((coders, n + 1), dtype=np.int32)
        np.cumsum(crowded, axis=1, out=seen[:, 1:])
        involved = np.flatnonzero(seen[spans.coder, last] - seen[spans.coder, first] > 0)
        overlapped = len(involved)
        if overlapped * 2 < len(first):
            # Where one interval alone covers a cell, the sum of covering ids names it.
            ident = np.arange(1, len(first) + 1, dtype=np.float64)
            who = _per_segment(first, last, spans.coder, ident, n, coders)
            single = cover == 1
            grid[single] = spans.value[who[single] - 1]
        else:  # overlaps everywhere: painting every interval is cheaper than naming them
            involved = np.arange(len(first))
        if len(involved):
            # Paint longest first, so the shortest covering interval is the one left on
            # every cell (one slice per interval, never a loop over frames). Equal lengths:
            # the interval given first (the older annotation) wins.
            order = involved[np.lexsort((-involved, -(spans.stop - spans.start)[involved]))]
            rows, lo, hi, vals = (
                spans.coder[order].tolist(),
                first[order].tolist(),
                last[order].tolist(),
                spans.value[order].tolist(),
            )
            for c, a, b, v in zip(rows, lo, hi, vals, strict=True):
                grid[c, a:b] = v
            painted = len(order)
    if reviewed is not None and n:
        first = np.searchsorted(bounds, reviewed.start)
        last = np.searchsorted(bounds, reviewed.stop)
        grid[_per_segment(first, last, reviewed.coder, None, n, coders) == 0] = MISSING
    values = np.ascontiguousarray(grid.T)
    return Segments(bounds[:-1], np.diff(bounds), values, overlapped, painted)


def _per_segment(
    first: IntArray,
    last: IntArray,
    coder: IntArray,
    weight: NDArray[np.float64] | None,
    n: int,
    coders: int,
) -> IntArray:
    """Sum of `weight` (1 when None) over the intervals covering each (coder, segment) cell."""
    if weight is None:
        delta = np.zeros((coders, n + 1), np.int32)
        np.add.at(delta, (coder, first), 1)
        np.add.at(delta, (coder, last), -1)
        return np.cumsum(delta[:, :n], axis=1, dtype=np.int32)
    size = coders * (n + 1)
    flat = np.bincount(coder * (n + 1) + first, weights=weight, minlength=size)
    flat -= np.bincount(coder * (n + 1) + last, weights=weight, minlength=size)
    return np.cumsum(flat.reshape(coders, n + 1)[:, :n], axis=1).round().astype(np.int64)


def value_counts(values: NDArray[np.int32], n_values: int) -> IntArray:
    """Per segment, how many coders gave each value 0..n_values-1 (MISSING not counted)."""
    width = n_values + 1  # column 0 collects MISSING, dropped
    flat = (np.arange(len(values), dtype=np.int64)[:, None] * width + (values + 1)).ravel()
    counts = np.bincount(flat, minlength=len(values) * width).reshape(len(values), width)
    return counts[:, 1:]


def frame_counts(counts: IntArray, length: IntArray) -> IntArray:
    """One row per unit frame (segments repeated by their length), pairable units only."""
    pairable = counts.sum(axis=1) >= 2
    return np.repeat(counts[pairable], length[pairable], axis=0)


# The package's coincidence step (krippendorff 0.9.0) holds units x values x values numbers in
# memory at once (its issue #38, fixed on its main branch, not yet released): 172,800 unit
# frames x 14 values take seconds. Above this many cells the same coincidence matrix is summed
# from the segments, weighted by their length, in one pass; a test holds both
# paths equal to 1e-12 and both equal to a matrix written out by hand.
PACKAGE_CELLS = 2_000_000


def nominal_alpha(counts: IntArray, length: IntArray | None = None) -> float | None:
    """Krippendorff's alpha (nominal) of units x value counts, each row standing for
    `length` identical units (1 when not given); None when undefined (no unit with two
    values, or a single value used throughout)."""
    weights = np.ones(len(counts), np.int64) if length is None else np.asarray(length)
    pairable = counts.sum(axis=1) >= 2
    counts, weights = counts[pairable], weights[pairable]
    counts = counts[:, counts.sum(axis=0) > 0]
    if counts.shape[1] < 2 or len(counts) == 0:
        return None
    if int(weights.sum()) * counts.shape[1] ** 2 <= PACKAGE_CELLS:
        rows = np.repeat(counts, weights, axis=0)
        value = float(krippendorff.alpha(value_counts=rows, level_of_measurement="nominal"))
    else:
        value = alpha_from_coincidences(coincidences(counts, weights))
    return None if np.isnan(value) else value


def coincidences(counts: IntArray, weights: IntArray) -> NDArray[np.float64]:
    """Krippendorff's coincidence matrix: sum over units of (n n' - diag n) / (m - 1)."""
    c = counts.astype(np.float64)
    scaled = c * (weights / (c.sum(axis=1) - 1.0))[:, None]
    # einsum's own loop, not BLAS: a threaded BLAS stalls on a busy 2-core machine.
    return np.einsum("si,sj->ij", scaled, c) - np.diag(scaled.sum(axis=0))


def alpha_from_coincidences(o: NDArray[np.float64]) -> float:
    """Nominal alpha = 1 - (n - 1) * (off-diagonal coincidences) / (sum of n_c n_k, c != k)."""
    n_c = o.sum(axis=1)
    n = n_c.sum()
    expected = n * n - (n_c * n_c).sum()
    if expected == 0:
        return float("nan")
    return float(1.0 - (n - 1.0) * (o.sum() - np.trace(o)) / expected)


def one_against_rest(counts: IntArray, value: int) -> IntArray:
    """Counts collapsed to two values: `value`, and everything else (none included)."""
    chosen = counts[:, value]
    return np.stack([chosen, counts.sum(axis=1) - chosen], axis=1)


class PairTables:
    """What Cohen's kappa and the frame IoU of every pair of coders need, by interval
    arithmetic: each coder's values become runs on the axis of unit frames, and a pair's
    agreement is the overlap of their runs (shifted by value, so that only equal values can
    overlap). Cost per pair: the two coders' runs, never the frames.

    agree(a, b)[v]: frames where a and b both gave v; given(a, b)[v]: frames where a gave v
    and b reviewed the frame; both(a, b): frames both reviewed."""

    def __init__(self, values: NDArray[np.int32], length: IntArray, n_values: int) -> None:
        self.n_values = n_values
        stop = np.cumsum(length)
        start = stop - length
        self.total = int(stop[-1]) if len(stop) else 0
        self.runs = [_runs(values[:, c], start, stop) for c in range(values.shape[1])]
        self.reviewed = [_Runs(r.start, r.stop, np.zeros_like(r.value)) for r in self.runs]
        self.reviewed = [_merge(r) for r in self.reviewed]
        self.shifted = [r.shifted(self.total + 1) for r in self.runs]
        self.all_reviewed = bool((values >= 0).all())

    def agree(self, a: int, b: int) -> NDArray[np.float64]:
        ra = self.shifted[a]
        counts = np.bincount(ra.value, _overlap(ra, self.shifted[b]), minlength=self.n_values)
        return counts.astype(np.float64)

    def given(self, a: int, b: int) -> NDArray[np.float64]:
        ra = self.runs[a]
        weights = (
            (ra.stop - ra.start).astype(np.float64)
            if self.all_reviewed
            else _overlap(ra, self.reviewed[b])
        )
        return np.bincount(ra.value, weights, minlength=self.n_values).astype(np.float64)

    def both(self, a: int, b: int) -> int:
        if self.all_reviewed:
            return self.total
        return int(_overlap(self.reviewed[a], self.reviewed[b]).sum())

    def pair(self, a: int, b: int) -> tuple[float | None, int, list[float | None]]:
        """(Cohen's kappa, frames both reviewed, IoU per value) of coders a and b; kappa is
        None when chance agreement is total, an IoU None when neither gave that value."""
        total = self.both(a, b)
        agree, ga, gb = self.agree(a, b), self.given(a, b), self.given(b, a)
        either = ga + gb - agree
        iou = [None if either[v] == 0 else float(agree[v] / either[v]) for v in range(len(agree))]
        if total == 0:
            return None, 0, iou
        observed = float(agree.sum()) / total
        expected = float((ga * gb).sum()) / float(total) ** 2
        kappa = None if expected >= 1.0 else (observed - expected) / (1.0 - expected)
        return kappa, total, iou


@dataclass(frozen=True)
class _Runs:
    """Disjoint runs [start, stop) sorted by start, each with one value."""

    start: IntArray
    stop: IntArray
    value: IntArray

    def shifted(self, offset: int) -> _Runs:
        """The runs moved by value x offset: runs of different values can no longer meet."""
        order = np.argsort(self.value * offset + self.start, kind="stable")
        shift = self.value[order] * offset
        return _Runs(self.start[order] + shift, self.stop[order] + shift, self.value[order])


def _runs(column: NDArray[np.int32], start: IntArray, stop: IntArray) -> _Runs:
    """One coder's values over consecutive units as runs of equal value (MISSING left out)."""
    if len(column) == 0:
        empty = np.zeros(0, np.int64)
        return _Runs(empty, empty, empty)
    first = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    last = np.r_[first[1:] - 1, len(column) - 1]
    value = column[first].astype(np.int64)
    keep = value >= 0
    return _Runs(start[first][keep], stop[last][keep], value[keep])


def _merge(runs: _Runs) -> _Runs:
    """Touching runs joined (the reviewed frames of a coder, whatever the values)."""
    if len(runs.start) == 0:
        return runs
    new = np.r_[True, runs.start[1:] != runs.stop[:-1]]
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, len(runs.start) - 1]
    return _Runs(runs.start[first], runs.stop[last], runs.value[first])


def _overlap(a: _Runs, b: _Runs) -> NDArray[np.float64]:
    """For each run of a, how many of its frames lie in runs of b (b disjoint and sorted)."""
    if len(b.start) == 0 or len(a.start) == 0:
        return np.zeros(len(a.start), np.float64)
    size = b.stop - b.start
    below = np.r_[0, np.cumsum(size)]

    def covered(x: IntArray) -> IntArray:  # frames of b before position x
        k = np.searchsorted(b.start, x, side="right") - 1
        inside = np.clip(x - b.start[np.maximum(k, 0)], 0, size[np.maximum(k, 0)])
        return np.where(k >= 0, below[np.maximum(k, 0)] + inside, 0)

    return (covered(a.stop) - covered(a.start)).astype(np.float64)


def unit_disagreement(counts: IntArray) -> NDArray[np.float64]:
    """Share of pairs of values that differ, per unit (NaN when fewer than two values)."""
    m = counts.sum(axis=1).astype(np.float64)
    same = (counts * (counts - 1)).sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(m >= 2, 1.0 - same / (m * (m - 1)), np.nan)


@dataclass(frozen=True)
class Passage:
    """Frames start..end (inclusive) where the coders disagree most."""

    start: int
    end: int
    disagreement: float  # mean over the passage's frames, 0..1
    weight: float  # disagreement x frames: how the passages are ranked
    segments: IntArray  # indices of the segments inside it


def disagreement_passages(
    seg: Segments, counts: IntArray, *, threshold: float = 0.5, gap: int = 12, limit: int = 10
) -> list[Passage]:
    """Runs of frames where at least `threshold` of the pairs of values differ, joined across
    gaps of fewer than `gap` frames, ranked by disagreement x length (largest first)."""
    d = unit_disagreement(counts)
    hot = np.flatnonzero(np.nan_to_num(d, nan=0.0) >= threshold)
    if len(hot) == 0:
        return []
    starts, ends = seg.start[hot], seg.start[hot] + seg.length[hot]
    breaks = np.flatnonzero(starts[1:] - ends[:-1] >= gap) + 1
    groups = np.split(np.arange(len(hot)), breaks)
    passages = []
    for g in groups:  # one iteration per passage, not per frame
        idx = hot[g]
        frames = seg.length[idx]
        weight = float((d[idx] * frames).sum())
        passages.append(
            Passage(
                int(starts[g[0]]),
                int(ends[g[-1]] - 1),
                weight / float(frames.sum()),
                weight,
                np.arange(idx[0], idx[-1] + 1),
            )
        )
    passages.sort(key=lambda p: (-p.weight, p.start))
    return passages[:limit]


def dominant_values(seg: Segments, segments: IntArray, n_values: int) -> list[tuple[int, int]]:
    """For each coder, (value, frames) of the value they gave most over these segments."""
    out = []
    for c in range(seg.values.shape[1]):
        v = seg.values[segments, c]
        ok = v >= 0
        if not ok.any():
            out.append((MISSING, 0))
            continue
        frames = np.bincount(v[ok], weights=seg.length[segments][ok], minlength=n_values)
        best = int(np.argmax(frames))
        out.append((best, int(round(frames[best]))))
    return out
