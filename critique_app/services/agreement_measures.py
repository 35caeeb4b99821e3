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
    bounds = np.unique(np.concatenate(cuts)) if len(spans.start) or reviewed else np.zeros(0)
    n = max(len(bounds) - 1, 0)
    values = np.zeros((n, coders), dtype=np.int32)
    seg_start = bounds[:-1].astype(np.int64)
    length = np.diff(bounds).astype(np.int64)
    overlapped = painted = 0
    if n and len(spans.start):
        first = np.searchsorted(bounds, spans.start)
        last = np.searchsorted(bounds, spans.stop)  # exclusive segment index
        cover = _per_segment(first, last, spans.coder, np.ones_like(spans.coder), n, coders)
        # Where one interval alone covers a cell, the sum of covering ids names it.
        ident = np.arange(1, len(first) + 1, dtype=np.int64)
        who = _per_segment(first, last, spans.coder, ident, n, coders)
        single = cover == 1
        values[single] = spans.value[who[single] - 1]
        crowded = cover >= 2
        if crowded.any():
            # Intervals touching a crowded cell: paint them longest first, so the shortest
            # covering interval is the one left on every cell.
            seen = np.zeros((n + 1, coders), dtype=np.int64)
            seen[1:] = np.cumsum(crowded, axis=0)
            involved = np.flatnonzero(seen[last, spans.coder] - seen[first, spans.coder] > 0)
            overlapped = len(involved)
            # Equal lengths: the interval given first (the older annotation) wins.
            order = involved[np.lexsort((-involved, -(spans.stop - spans.start)[involved]))]
            for i in order.tolist():
                values[first[i] : last[i], spans.coder[i]] = spans.value[i]
            painted = len(order)
    if reviewed is not None and n:
        first = np.searchsorted(bounds, reviewed.start)
        last = np.searchsorted(bounds, reviewed.stop)
        seen_cover = _per_segment(
            first, last, reviewed.coder, np.ones_like(reviewed.coder), n, coders
        )
        values[seen_cover == 0] = MISSING
    return Segments(seg_start, length, values, overlapped, painted)


def _per_segment(
    first: IntArray, last: IntArray, coder: IntArray, weight: IntArray, n: int, coders: int
) -> IntArray:
    """Sum of `weight` over the intervals covering each (segment, coder) cell."""
    size = (n + 1) * coders
    delta = np.bincount(first * coders + coder, weights=weight, minlength=size)
    delta -= np.bincount(last * coders + coder, weights=weight, minlength=size)
    return np.cumsum(delta.reshape(n + 1, coders)[:n], axis=0).round().astype(np.int64)


def value_counts(values: NDArray[np.int32], n_values: int) -> IntArray:
    """Per segment, how many coders gave each value 0..n_values-1 (MISSING not counted)."""
    rows, cols = np.nonzero(values >= 0)
    flat = rows * n_values + values[rows, cols]
    return np.bincount(flat, minlength=len(values) * n_values).reshape(len(values), n_values)


def frame_counts(counts: IntArray, length: IntArray) -> IntArray:
    """One row per unit frame (segments repeated by their length), pairable units only."""
    pairable = counts.sum(axis=1) >= 2
    return np.repeat(counts[pairable], length[pairable], axis=0)


def nominal_alpha(counts: IntArray) -> float | None:
    """Krippendorff's alpha (nominal) of a unit x value count matrix; None when undefined
    (no unit with two values, or a single value used throughout)."""
    used = counts.sum(axis=0) > 0
    counts = counts[:, used]
    counts = counts[counts.sum(axis=1) >= 2]
    if counts.shape[1] < 2 or len(counts) == 0:
        return None
    value = float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))
    return None if np.isnan(value) else value


def one_against_rest(counts: IntArray, value: int) -> IntArray:
    """Counts collapsed to two values: `value`, and everything else (none included)."""
    chosen = counts[:, value]
    return np.stack([chosen, counts.sum(axis=1) - chosen], axis=1)


def confusion(
    values: NDArray[np.int32], length: IntArray, a: int, b: int, n_values: int
) -> NDArray[np.int64]:
    """Frames where coder a gave value i and coder b value j (both reviewed), as [i, j]."""
    va, vb = values[:, a], values[:, b]
    both = (va >= 0) & (vb >= 0)
    flat = va[both].astype(np.int64) * n_values + vb[both]
    table = np.bincount(flat, weights=length[both], minlength=n_values * n_values)
    return table.round().astype(np.int64).reshape(n_values, n_values)


def cohen_kappa(table: NDArray[np.int64]) -> float | None:
    """Cohen's kappa of a confusion table; None when chance agreement is total (undefined)."""
    total = table.sum()
    if total == 0:
        return None
    observed = np.trace(table) / total
    expected = float((table.sum(axis=1) * table.sum(axis=0)).sum()) / float(total) ** 2
    if expected >= 1.0:
        return None
    return float((observed - expected) / (1.0 - expected))


def category_iou(table: NDArray[np.int64], value: int) -> float | None:
    """Frames both gave `value` over frames either gave it; None when neither did."""
    both = int(table[value, value])
    either = int(table[value, :].sum() + table[:, value].sum()) - both
    return None if either == 0 else both / either


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
