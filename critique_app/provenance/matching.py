"""Passages of a film that match items of the reference library, as segments a jury can check.

A single frame close to a library hash proves little (dark, flat or simple frames hash
alike), so a match is a SEGMENT: consecutive usable frames that each match the same item
(plain or mirrored), at least MIN_FRAMES of them, with a low median distance. Dark and flat
frames are left out before searching. The numbers come from benchmarks/match_thresholds.py
and are explained in docs/matching-thresholds.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from critique_app.provenance.hash_index import HashIndex

FRAME_THRESHOLD = 12  # bits: a frame "matches" an item frame at this pHash distance or less
MEDIAN_THRESHOLD = 8  # bits: a segment's median distance must not exceed this
MIN_FRAMES = 5  # usable frames a segment needs, so one accidental frame raises no flag
MAX_GAP = 3  # usable frames without a match that a segment may bridge (a flash, a glitch)
MIN_CONTRAST = 6.0  # grey-level standard deviation under which a frame is flat or dark


@dataclass(frozen=True)
class ReferenceItem:
    """One library item as matching needs it: an id, a label and its per-frame pHashes."""

    id: int
    label: str
    hashes: NDArray[np.uint64]
    rate: Fraction | None = None  # clips only


class ReferenceLibrary:
    """All items' hashes in one array, with where each hash comes from."""

    def __init__(self, items: list[ReferenceItem], max_distance: int = FRAME_THRESHOLD) -> None:
        self.items = {item.id: item for item in items}
        sizes = [len(item.hashes) for item in items]
        self.hashes = (
            np.concatenate([item.hashes for item in items]) if items else np.zeros(0, np.uint64)
        )
        self.item_of = np.repeat(np.array([i.id for i in items], np.int64), sizes)
        self.frame_of = (
            np.concatenate([np.arange(n) for n in sizes]) if items else np.zeros(0, np.int64)
        )
        self.index = HashIndex(self.hashes, max_distance)

    def __len__(self) -> int:
        return len(self.hashes)


@dataclass(frozen=True)
class MatchSegment:
    item_id: int
    label: str
    variant: str  # 'plain' or 'mirror' (the film shows the item flipped left-right)
    start: int  # film frames, inclusive
    end: int
    item_start: int  # frames of the library item (0 for a still)
    item_end: int
    median_distance: float
    worst_distance: int
    threshold: int
    matched_frames: int

    def to_row(self) -> dict[str, object]:
        """The columns of the `matches` table."""
        return {
            "library_item_id": self.item_id,
            "start_frame": self.start,
            "end_frame": self.end,
            "item_start": self.item_start,
            "item_end": self.item_end,
            "median_distance": self.median_distance,
            "worst_distance": self.worst_distance,
            "threshold": self.threshold,
            "variant": self.variant,
        }


def usable_frames(
    contrast: NDArray[np.float32], min_contrast: float = MIN_CONTRAST
) -> NDArray[np.bool_]:
    return np.asarray(contrast) >= min_contrast


def _best_per_frame(
    frames: NDArray[np.int64], item_frames: NDArray[np.int64], dist: NDArray[np.uint8]
) -> tuple[NDArray[np.int64], ...]:
    """One hit per film frame: the closest item frame (ties: the earliest)."""
    order = np.lexsort((item_frames, dist, frames))
    frames, item_frames, dist = frames[order], item_frames[order], dist[order]
    first = np.ones(len(frames), bool)
    first[1:] = frames[1:] != frames[:-1]
    return frames[first], item_frames[first], dist[first].astype(np.int64)


def find_segments(
    phash: NDArray[np.uint64],
    phash_mirror: NDArray[np.uint64],
    contrast: NDArray[np.float32],
    library: ReferenceLibrary,
    *,
    frame_threshold: int = FRAME_THRESHOLD,
    median_threshold: int = MEDIAN_THRESHOLD,
    min_frames: int = MIN_FRAMES,
    max_gap: int = MAX_GAP,
    step: int = 1,
    film_rate: Fraction | None = None,
) -> list[MatchSegment]:
    """Segments of the film (per-frame hashes, every `step`-th frame) matching library items."""
    usable = usable_frames(contrast)
    frames = np.flatnonzero(usable)
    # Position among usable frames: gaps are counted in usable frames, so a fade to black
    # inside a matching passage does not split it.
    rank = np.cumsum(usable) - 1
    segments: list[MatchSegment] = []
    for variant, hashes in (("plain", phash), ("mirror", phash_mirror)):
        hits = library.index.search(hashes[frames], frame_threshold)
        if not len(hits):
            continue
        film_frame = frames[hits.query]
        items = library.item_of[hits.entry]
        for item_id in np.unique(items):
            sel = items == item_id
            f, itf, d = _best_per_frame(
                film_frame[sel], library.frame_of[hits.entry[sel]], hits.distance[sel]
            )
            breaks = np.flatnonzero(np.diff(rank[f]) > max_gap + 1) + 1
            for lo, hi in zip(np.r_[0, breaks], np.r_[breaks, len(f)], strict=True):
                if hi - lo < min_frames or np.median(d[lo:hi]) > median_threshold:
                    continue
                item = library.items[int(item_id)]
                a, b = int(f[lo]) * step, int(f[hi - 1]) * step
                item_a, item_b = _item_range(item, a, b, f[lo:hi] * step, itf[lo:hi], film_rate)
                segments.append(
                    MatchSegment(
                        item.id,
                        item.label,
                        variant,
                        a,
                        b,
                        item_a,
                        item_b,
                        float(np.median(d[lo:hi])),
                        int(d[lo:hi].max()),
                        frame_threshold,
                        int(hi - lo),
                    )
                )
    return _drop_mirror_echoes(sorted(segments, key=lambda s: (s.start, s.item_id)))


def _item_range(
    item: ReferenceItem,
    start: int,
    end: int,
    frames: NDArray[np.int64],
    item_frames: NDArray[np.int64],
    film_rate: Fraction | None,
) -> tuple[int, int]:
    """The item frames the film's start..end shows: one offset fitted to all matched frames.

    Per-frame nearest item frames wander inside slow or static passages; the offset (with
    the rate ratio when the item and film rates differ) is stable."""
    if len(item.hashes) == 1:
        return 0, 0
    ratio = float(item.rate / film_rate) if item.rate and film_rate else 1.0
    offset = float(np.median(item_frames - frames * ratio))
    last = len(item.hashes) - 1
    return (
        min(max(round(start * ratio + offset), 0), last),
        min(max(round(end * ratio + offset), 0), last),
    )


def _drop_mirror_echoes(segments: list[MatchSegment]) -> list[MatchSegment]:
    """A near-symmetric picture matches both ways: keep the closer variant where they overlap."""
    kept: list[MatchSegment] = []
    for seg in segments:
        rival = next(
            (
                k
                for k in kept
                if k.item_id == seg.item_id
                and k.variant != seg.variant
                and k.start <= seg.end
                and seg.start <= k.end
            ),
            None,
        )
        if rival is None:
            kept.append(seg)
        elif seg.median_distance < rival.median_distance:
            kept[kept.index(rival)] = seg
    return kept
