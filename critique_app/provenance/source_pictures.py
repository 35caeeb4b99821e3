"""A re-framed passage's source frames, looked for again on the original's own pictures.

The library's re-frame slices (media.reframes) are cut from 64x64 grey frames: a 9:16 slice
of a 16:9 picture is 20 pixels wide there, stretched to the 32 a pHash needs, while the copy's
own frame brings its 32 columns from a picture many times wider. On a slow pan the blurred
slice then matches a library frame a few frames away better than its own (the real 9:16 clip
of issue 24: 3,082 bits along the true frames against 2,368 along the reported ones), and no
path through those distances can find the truth. Once a passage is found through a slice, the
original's frames around it are decoded again, larger, every slice is cut again from them,
and the same path (provenance.source_path) runs on those distances. When the original is not
where it was added from (or no longer decodes to the frames it was hashed from), the passage
keeps the frames the library's own hashes gave.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from critique_app.errors import UserError
from critique_app.media.fingerprint import hamming, phash_batch
from critique_app.media.grey_frames import DecodingStopped, grey_batches, read_layout
from critique_app.media.letterbox import detect_film_bars
from critique_app.media.reframes import REFRAMES, reframe_window
from critique_app.media.regions import LIBRARY_VARIANTS, Box, crop_to_32
from critique_app.provenance.reference_library import clip_aspect
from critique_app.provenance.source_path import Piece, source_pieces

# The original decoded this large: a 9:16 slice of 16:9 keeps 81 columns; 64 rows are as
# many as a copy's own frame brings (and twice a half-height slice's 32).
FINE_SIZE = (256, 64)
AROUND = 48  # library frames either side of a piece's own that it may move to
FIRST_SLICE = 1 + len(LIBRARY_VARIANTS)  # grid rows: the frame, its variants, then slices


def found_through_slices(
    pictures: list[NDArray[np.uint64]], grid: NDArray[np.uint64], shown: NDArray[np.int64]
) -> bool:
    """Whether most rows of a piece (their pictures, the library frames they show) are
    closest to a re-frame slice of those frames rather than to the frame or its variants."""
    if grid.shape[0] <= FIRST_SLICE:
        return False  # hashed before the library had slices
    best = np.full(len(shown), 255, np.int64)
    row = np.zeros(len(shown), np.int64)
    for q in pictures:
        d = hamming(q[None, :], grid[:, shown]).astype(np.int64)  # variants x rows
        d[:, q == 0] = 255
        closer = d.min(axis=0) < best
        best[closer] = d.min(axis=0)[closer]
        row[closer] = d.argmin(axis=0)[closer]
    return bool(np.mean(row >= FIRST_SLICE) > 0.5)


def finer_grid(media: Path, frames: int, first: int, last: int) -> NDArray[np.uint64] | None:
    """(1 + slices) x (last - first + 1) hashes of the original's frames first..last, the whole
    picture and every re-frame slice (REFRAMES' order) cut from FINE_SIZE frames; None when the
    file is gone or does not hold the `frames` frames the library hashed."""
    try:
        stat = media.stat()
    except OSError:
        return None
    # A film showing one item many times (or Compare after Match) asks for the same frames.
    return _finer_grid(media, stat.st_mtime_ns, stat.st_size, frames, first, last)


@functools.lru_cache(maxsize=32)
def _finer_grid(
    media: Path, _mtime: int, _size: int, frames: int, first: int, last: int
) -> NDArray[np.uint64] | None:
    try:
        layout = read_layout(media)
        if layout.frame_count != frames:
            return None
        crop = detect_film_bars(media, layout)
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
    aspect = clip_aspect(crop, layout)
    whole = Box(0, 0, *FINE_SIZE)
    windows = [whole] + [
        reframe_window(whole, aspect, target, place)
        for _name, target, places in REFRAMES
        for place in places
    ]
    pictures = np.concatenate([crop_to_32(grey, w) for w in windows])
    return phash_batch(pictures, mirror=False)[0].reshape(len(windows), len(grey))


def finer_piece(
    media: Path | None,
    frames: int,
    piece: Piece,
    pictures: list[NDArray[np.uint64]],
    film_frames: NDArray[np.int64],
    *,
    expected: float,
    frame_threshold: int,
    step: int = 1,
) -> Piece | None:
    """The piece (its rows' pictures and film frames) with the library frames found again
    on the original's own slices; None when it cannot be (no file) or the finer path does
    not keep it one piece in the same direction."""
    if media is None:
        return None
    shown = piece.item_frames
    first = max(int(shown.min()) - AROUND, 0)
    last = min(int(shown.max()) + AROUND, frames - 1)
    grid = finer_grid(media, frames, first, last)
    if grid is None:
        return None
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
    return Piece(
        piece.lo,
        piece.hi,
        found.item_frames + first,
        found.order,
        found.speed,
        found.held_frames,
    )
