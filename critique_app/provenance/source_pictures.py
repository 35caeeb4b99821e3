"""A re-framed passage's source frames, looked for again on the original's own pictures.

The library's re-frame slices (media.reframes) are cut from 64x64 grey frames: a 9:16 slice
of a 16:9 picture is 20 pixels wide there, stretched to the 32 a pHash needs, while the copy's
own frame brings its 32 columns from a picture many times wider. On a slow pan the blurred
slice then matches a library frame a few frames away better than its own (the real 9:16 clip
of issue 24: 3,082 bits along the true frames against 2,368 along the reported ones), and no
path through those distances can find the truth. Once a passage is found through a slice, the
original's frames around it are decoded again, larger, the slices it was found through are
cut again from them, and the same path (provenance.source_path) runs on those distances. When the original is not
where it was added from (or no longer decodes to the frames it was hashed from), the passage
keeps the frames the library's own hashes gave. So does a passage the finer pictures cannot
tell from the same passage a few frames earlier or later: dim product shots are as far from
every decoded frame, and a path through equal distances follows noise.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from critique_app.errors import UserError
from critique_app.media.fingerprint import hamming, phash_batch
from critique_app.media.grey_frames import (
    Crop,
    DecodingStopped,
    StreamLayout,
    grey_batches,
    read_layout,
)
from critique_app.media.letterbox import detect_film_bars
from critique_app.media.reframes import reframe_windows, whole_frame
from critique_app.media.regions import FULL, LIBRARY_VARIANTS, SIDE, Box, crops_to_32
from critique_app.provenance.reference_library import clip_aspect
from critique_app.provenance.source_path import SPARE_BITS, Piece, distances, source_pieces

# The original decoded this large: a 9:16 slice of 16:9 keeps 81 columns; 64 rows are as
# many as a copy's own frame brings (and twice a half-height slice's 32).
FINE_SIZE = (256, 64)
AROUND = 48  # library frames either side of a piece's own that it may move to
FIRST_SLICE = 1 + len(LIBRARY_VARIANTS)  # grid rows: the frame, its variants, then slices
SHIFTS = range(4, 13)  # library frames: the finer path must beat itself moved this far...
TELL_BITS = 1.0  # ...by this many bits a row (half a pHash step) on the rows with a picture


def slices_found_through(
    pictures: list[NDArray[np.uint64]], grid: NDArray[np.uint64], shown: NDArray[np.int64]
) -> set[int]:
    """The re-frame slices (REFRAME_VARIANTS indices) closest to some rows of a piece (their
    pictures, the library frames they show) when most rows are closest to a slice rather
    than to the frame or its variants; none otherwise. Only these are cut again: a copy
    shows one slice, and cutting the 19 others took half of the time of looking again."""
    if grid.shape[0] <= FIRST_SLICE:
        return set()  # hashed before the library had slices
    best = np.full(len(shown), 255, np.int64)
    row = np.zeros(len(shown), np.int64)
    for q in pictures:
        d = hamming(q[None, :], grid[:, shown]).astype(np.int64)  # variants x rows
        d[:, q == 0] = 255
        closer = d.min(axis=0) < best
        best[closer] = d.min(axis=0)[closer]
        row[closer] = d.argmin(axis=0)[closer]
    through = row >= FIRST_SLICE
    return set((row[through] - FIRST_SLICE).tolist()) if np.mean(through) > 0.5 else set()


def around(shown: NDArray[np.int64], frames: int) -> tuple[int, int]:
    """The original's frames a piece showing `shown` may move to (first, last)."""
    return max(int(shown.min()) - AROUND, 0), min(int(shown.max()) + AROUND, frames - 1)


def finer_grids(
    media: Path, frames: int, windows: list[tuple[int, int]], slices: set[int]
) -> list[NDArray[np.uint64] | None]:
    """For each window (first, last) of the original's frames, (1 + slices) x (last - first
    + 1) hashes: the whole picture and the re-frame `slices` (REFRAME_VARIANTS indices) cut
    from FINE_SIZE frames; None when the file is gone or does not hold the `frames` frames the
    library hashed. The file is read once for all the windows: overlapping ones are merged
    and each stretch is decoded once, from the keyframe before it."""
    opened = _opened(media)
    if opened is None or opened[0].frame_count != frames:
        return [None] * len(windows)
    stretches = _merged(windows)
    grids = [_finer_grid(media, *opened, sorted(slices), a, b) for a, b in stretches]
    out: list[NDArray[np.uint64] | None] = []
    for first, last in windows:
        k = next(k for k, (a, b) in enumerate(stretches) if a <= first and last <= b)
        grid, a = grids[k], stretches[k][0]
        out.append(None if grid is None else grid[:, first - a : last - a + 1])
    return out


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    stretches: list[tuple[int, int]] = []
    for first, last in sorted(windows):
        if stretches and first <= stretches[-1][1] + 1:
            stretches[-1] = (stretches[-1][0], max(stretches[-1][1], last))
        else:
            stretches.append((first, last))
    return stretches


def _opened(media: Path) -> tuple[StreamLayout, Crop | None] | None:
    try:
        stat = media.stat()
    except OSError:
        return None
    return _layout_and_bars(media, stat.st_mtime_ns, stat.st_size)


# The original's layout and bars, read once for every film matched against it (an item's file
# is demuxed from end to end and sampled for bars: the decode of a window costs less).
@functools.lru_cache(maxsize=64)
def _layout_and_bars(
    media: Path, _mtime: int, _size: int
) -> tuple[StreamLayout, Crop | None] | None:
    try:
        layout = read_layout(media)
        return layout, detect_film_bars(media, layout)
    except (UserError, DecodingStopped, OSError, ValueError):
        return None


def _finer_grid(
    media: Path, layout: StreamLayout, crop: Crop | None, slices: list[int], first: int, last: int
) -> NDArray[np.uint64] | None:
    try:
        grey = np.concatenate(
            [
                g
                for _at, g in grey_batches(
                    media, start=first, stop=last + 1, crop=crop, layout=layout, size=FINE_SIZE
                )
            ]
        )
    except (UserError, DecodingStopped, OSError, ValueError):
        return None
    if len(grey) != last - first + 1:
        return None
    # The library's own windows (a dark edge on one side is picture, not a bar: the slices
    # lie in the whole frame), taken from the 64x64 grid to the finer one.
    frame = whole_frame(layout.width, layout.height, crop)
    sx, sy = FINE_SIZE[0] / SIDE, FINE_SIZE[1] / SIDE
    cut = reframe_windows(FULL, clip_aspect(crop, layout), frame)
    windows = [
        Box(w.x0 * sx, w.y0 * sy, w.x1 * sx, w.y1 * sy) for w in [FULL, *(cut[k] for k in slices)]
    ]
    crops = crops_to_32(grey, windows)
    return phash_batch(crops.reshape(-1, *crops.shape[2:]), mirror=False)[0].reshape(
        crops.shape[:2]
    )


def finer_piece(
    grid: NDArray[np.uint64],
    first: int,
    piece: Piece,
    pictures: list[NDArray[np.uint64]],
    film_frames: NDArray[np.int64],
    *,
    expected: float,
    frame_threshold: int,
    step: int = 1,
) -> Piece | None:
    """The piece (its rows' pictures and film frames) with the library frames found again
    on the original's own slices (`grid`, from library frame `first` on); None when the finer
    path does not keep it one piece in the same direction."""
    shown = piece.item_frames
    again = source_pieces(
        pictures,
        film_frames,
        grid,
        shown - first,
        expected=expected,
        frame_threshold=frame_threshold,
        reach=AROUND,
        step=step,
    )
    if len(again) != 1 or again[0].order != piece.order or again[0].hi - again[0].lo != len(shown):
        return None
    found = again[0]
    if not tells_apart(grid, found.item_frames, pictures, frame_threshold):
        return None
    return Piece(
        piece.lo,
        piece.hi,
        found.item_frames + first,
        found.order,
        found.speed,
        found.held_frames,
    )


def tells_apart(
    grid: NDArray[np.uint64],
    shown: NDArray[np.int64],
    pictures: list[NDArray[np.uint64]],
    frame_threshold: int,
) -> bool:
    """Whether the rows' pictures are closer to the columns `shown` of `grid` than to the
    same columns moved SHIFTS frames either way (those within the grid), by TELL_BITS a row:
    when they are not, the finer path has chosen among near-equal distances."""
    seen = np.logical_or.reduce([q != 0 for q in pictures])
    if not seen.any():
        return False
    cost = distances([q[seen] for q in pictures], grid, frame_threshold + SPARE_BITS)
    rows, columns = np.arange(len(cost)), shown[seen]
    own = float(cost[rows, columns].mean())
    moved = [
        float(cost[rows, columns + s].mean())
        for shift in SHIFTS
        for s in (-shift, shift)
        if int(columns.min()) + s >= 0 and int(columns.max()) + s < grid.shape[1]
    ]
    return not moved or min(moved) - own >= TELL_BITS
