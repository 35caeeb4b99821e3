"""Shot boundaries from the same small grey frames the fingerprints use (no second decode).

A cut is a frame whose mean absolute difference from the previous 64x64 grey frame stands
out from the differences around it: at least CUT_FACTOR times their median and never below
CUT_FLOOR, the strongest within a few frames. Fast pans raise the local median, so they do
not cut; a flash makes one cut, not two.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from critique_app.media.fingerprint import hamming

CUT_FLOOR = 12.0  # grey levels: below this no change is a cut, however still the shot around it
CUT_FACTOR = 3.0  # a cut stands this many times above the local median difference
WINDOW = 12  # frames each side for the local median
MIN_SHOT = 4  # frames: closer candidates are one event (flash, dissolve); keep the strongest
FLASH_BITS = 8  # pHash distance under which the pictures around a short change are one shot
METHOD = (
    f"mad64 floor={CUT_FLOOR:g} factor={CUT_FACTOR:g} window={WINDOW} min_shot={MIN_SHOT} "
    f"flash_bits={FLASH_BITS}"
)


def frame_differences(
    grey: NDArray[np.uint8], previous: NDArray[np.uint8] | None = None
) -> NDArray[np.float32]:
    """Mean absolute difference of each frame from the one before (0 for the very first)."""
    g = grey.astype(np.int16)
    out = np.empty(len(g), dtype=np.float32)
    if len(g) == 0:
        return out
    out[0] = 0.0 if previous is None else np.abs(g[0] - previous.astype(np.int16)).mean()
    if len(g) > 1:
        out[1:] = np.abs(np.diff(g, axis=0)).reshape(len(g) - 1, -1).mean(axis=1)
    return out


def _local_median(diffs: NDArray[np.float32]) -> NDArray[np.float32]:
    """Median of the WINDOW differences before and after each frame (itself excluded)."""
    n = len(diffs)
    padded = np.pad(diffs, WINDOW, mode="reflect" if n > WINDOW else "edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * WINDOW + 1)
    around = np.delete(windows, WINDOW, axis=1)
    return np.median(around, axis=1).astype(np.float32)


def _cut_thresholds(diffs: NDArray[np.float32]) -> NDArray[np.float32]:
    """How large each frame's difference must be to make it a cut: many times the
    differences around it, and never less than CUT_FLOOR."""
    return np.maximum(CUT_FLOOR, CUT_FACTOR * _local_median(diffs))


def _is_flash(cut: int, phash: NDArray[np.uint64]) -> bool:
    """The picture after a one- or two-frame change is the picture before it: a flash."""
    n = len(phash)
    for before, after in ((cut - 1, cut + 1), (cut - 2, cut), (cut - 1, cut + 2), (cut - 3, cut)):
        if before >= 0 and after < n and int(hamming(phash[before], phash[after])) <= FLASH_BITS:
            return True
    return False


def find_cuts(diffs: NDArray[np.float32], phash: NDArray[np.uint64] | None = None) -> list[int]:
    """First frame of every shot after the first, from the frame differences.

    With the frames' pHashes, changes that last one or two frames (flashes, lightning, a
    camera flash) are recognised because the same picture comes back, and are not cuts."""
    if len(diffs) < 2:
        return []
    diffs = np.asarray(diffs, dtype=np.float32).copy()
    diffs[0] = 0.0
    candidates = np.flatnonzero(diffs >= _cut_thresholds(diffs))
    if phash is not None:
        candidates = np.array([c for c in candidates if not _is_flash(int(c), phash)], np.int64)
    cuts: list[int] = []
    for i in candidates[np.argsort(-diffs[candidates], kind="stable")]:
        if all(abs(int(i) - c) >= MIN_SHOT for c in cuts):
            cuts.append(int(i))
    return sorted(cuts)


def opens_shot(diffs: NDArray[np.float32]) -> bool:
    """Whether a batch's first frame is a cut from the frame before it (diffs[0], which
    find_cuts leaves out: the very first frame of a film has nothing before it)."""
    if len(diffs) == 0:
        return False
    d = np.asarray(diffs, dtype=np.float32)
    return bool(d[0] >= _cut_thresholds(d)[0])


class ShotDetector:
    """Collects frame differences (and pHashes, for flashes) batch by batch, in frame order."""

    def __init__(self) -> None:
        self.diffs: list[NDArray[np.float32]] = []
        self.hashes: list[NDArray[np.uint64]] = []
        # the 32x32 frames pHash is computed from, kept for the transitions' kinds (1 KB a frame)
        self.small: list[NDArray[np.uint8]] = []
        self.last: NDArray[np.uint8] | None = None

    def feed(self, grey: NDArray[np.uint8]) -> None:
        from critique_app.media.fingerprint import phash_batch, pool_to_32

        if len(grey):
            self.diffs.append(frame_differences(grey, self.last))
            small = pool_to_32(grey)
            self.hashes.append(phash_batch(small, mirror=False)[0])
            self.small.append(small)
            self.last = grey[-1].copy()

    def cuts(self) -> list[int]:
        if not self.diffs:
            return []
        return find_cuts(np.concatenate(self.diffs), np.concatenate(self.hashes))

    def differences(self) -> NDArray[np.float32]:
        """Every frame's difference from the one before, in frame order."""
        return np.concatenate(self.diffs) if self.diffs else np.zeros(0, np.float32)

    def small_frames(self) -> NDArray[np.uint8]:
        """Every frame at 32x32, in frame order (what transitions.find_transitions reads)."""
        return np.concatenate(self.small) if self.small else np.zeros((0, 32, 32), np.uint8)
