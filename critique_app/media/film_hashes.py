"""Fingerprint a film's frames in order, in this process or split over worker processes.

Work comes back as `HashedRun`s in frame order (a batch in this process, a chunk from a
worker), so the caller can store each one at once: an interrupted run keeps every frame
before the interruption. Two processes, each decoding its own keyframe-aligned chunk,
keep both cores busy while the other process hashes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from critique_app.media.fingerprint import FrameHashes, hash_frames, hash_pictures, phash_batch
from critique_app.media.grey_frames import Crop, DecodingStopped, StreamLayout, grey_batches
from critique_app.media.letterbox import BarsOnTheWay, detect_film_bars
from critique_app.media.reframes import PANEL_NAMES, film_panels, picture_aspect
from critique_app.media.regions import DEFAULT_ASPECT, frame_pictures
from critique_app.media.shots import find_cuts, frame_differences, opens_shot

CHUNK_FRAMES = 2400  # per worker task: ~20 s of 1080p, so start-up cost stays negligible
PARALLEL_MIN_FRAMES = 2 * CHUNK_FRAMES
# The extra pictures hashed per frame (FrameHashes.extra, column by column): the panels of a
# split screen, each searched on its own; then the second picture of each panel and of the
# inset (plain and mirrored), never searched, only compared with the library frame a hit
# through the panel or inset found (regions.middle_slice, matching.confirming_pictures).
PANEL_MIDDLES = tuple(f"{name} middle" for name in PANEL_NAMES)
INSET_MIDDLES = ("inset middle", "inset middle mirrored")
SCREEN_MIDDLES = ("screen middle", "screen middle mirrored")  # a filmed screen's (session 15)
# Not a picture: per frame, one bit per panel (PANEL_NAMES order) set where the panel was
# hashed, lit, and can have no middle (regions.middle_slice: a 32:9 half of a stack cropped
# from its film); clear where it has one, where one was withheld (a panel too dark for its
# middle, reframes.confirmed_by_middle) or where the panel is never lit (a dark picture
# scaled into it hides its bars): the matcher holds the first as a picture alone, the others
# as before (issue 24, session 19). 0 in films fingerprinted before it.
NO_MIDDLE = "panels with no middle"
EXTRA_PICTURES: tuple[str, ...] = (
    *PANEL_NAMES,
    *PANEL_MIDDLES,
    *INSET_MIDDLES,
    *SCREEN_MIDDLES,
    NO_MIDDLE,
)


@dataclass
class HashedRun:
    """Hashes of frames start..start+len-1, and what shot detection needs of them."""

    start: int
    hashes: FrameHashes
    diffs: NDArray[np.float32]  # diffs[0] compares with the frame before `start` when known
    first_grey: NDArray[np.uint8]
    last_grey: NDArray[np.uint8]
    stopped: str | None = None  # the decoding problem that ended the film early, if any

    def __len__(self) -> int:
        return len(self.diffs)

    def without_first(self, k: int) -> HashedRun:
        """The same run minus its first k frames (already known to the caller)."""
        return HashedRun(
            self.start + k,
            self.hashes.part(k),
            self.diffs[k:],
            self.first_grey,  # approximate once trimmed; only used across run borders
            self.last_grey,
            self.stopped,
        )


def _concat(runs: list[HashedRun], start: int, stopped: str | None) -> HashedRun:
    return HashedRun(
        start,
        FrameHashes.joined([r.hashes for r in runs]),
        np.concatenate([r.diffs for r in runs]),
        runs[0].first_grey,
        runs[-1].last_grey,
        stopped,
    )


def hash_batches(
    path: Path,
    start: int,
    stop: int | None,
    crop: Crop | None,
    layout: StreamLayout,
    counter: Synchronized | None = None,
    check: Callable[[], None] | None = None,
    threads: int | None = None,
    watch: Callable[[int, av.VideoFrame], None] | None = None,
) -> Generator[HashedRun, None, None]:
    """Decode frames start..stop-1 and hash them, one HashedRun per decoded batch
    (`threads`: FFmpeg's decoding threads, None for as many as it likes)."""
    previous: NDArray[np.uint8] | None = None
    shown = crop or layout
    aspect = picture_aspect(shown.width, shown.height)
    screen: NDArray[np.float32] | None = None  # the filmed screen, held through the shot
    try:
        for first, grey in grey_batches(
            path,
            start=start,
            stop=stop,
            crop=crop,
            layout=layout,
            check=check,
            threads=threads,
            watch=watch,
        ):
            diffs = frame_differences(grey, previous)
            held = None if opens_shot(diffs) else screen
            hashes, screen = hash_grey(grey, diffs, aspect, held)
            yield HashedRun(first, hashes, diffs, grey[0], grey[-1])
            previous = grey[-1]
            if counter is not None:
                with counter.get_lock():
                    counter.value += len(grey)
    except DecodingStopped as err:
        empty = np.zeros((0, 64, 64), np.uint8)
        grey0 = previous if previous is not None else np.zeros((64, 64), np.uint8)
        # as wide as other runs' extra pictures, so that the runs can be joined
        hashes = replace(hash_frames(empty), extra=np.zeros((0, len(EXTRA_PICTURES)), np.uint64))
        yield HashedRun(err.frames_done, hashes, np.zeros(0, np.float32), grey0, grey0, str(err))


def hash_grey(
    grey: NDArray[np.uint8],
    diffs: NDArray[np.float32],
    aspect: float = DEFAULT_ASPECT,
    screen: NDArray[np.float32] | None = None,
) -> tuple[FrameHashes, NDArray[np.float32] | None]:
    """Hashes of a batch of 64x64 grey frames (shown at `aspect`), each without the bars of
    its run of frames, with the inset of runs that show a picture inside the picture. Runs
    end at the cuts found in this batch's own differences (the film's shots are found later,
    once). `screen`: the filmed screen the batch before ended on, when its shot goes on; the
    one this batch ends on is returned with the hashes."""
    cuts = find_cuts(diffs)
    pictures = frame_pictures(grey, cuts, aspect=aspect, screen=screen)
    panels, has_panels, no_middle = film_panels(grey, cuts, aspect)
    hashes = hash_pictures(
        pictures.picture, pictures.inset, pictures.has_inset, pictures.centre, panels, has_panels
    )
    middles = [
        _both_ways(pictures.inset_middle, pictures.has_inset_middle),
        _both_ways(pictures.screen_middle, pictures.has_screen_middle),
    ]
    marks = (no_middle.astype(np.uint64) << np.arange(len(PANEL_NAMES), dtype=np.uint64)).sum(
        axis=1, dtype=np.uint64
    )
    extra = np.concatenate([hashes.extra, *middles, marks[:, None]], axis=1)
    return replace(hashes, extra=extra), pictures.screen


def _both_ways(pictures: NDArray[np.uint8], has: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """N x 2 hashes, plain and mirrored, of the pictures a frame has (0 where none)."""
    out = np.zeros((len(pictures), 2), np.uint64)
    if has.any():
        plain, mirrored = phash_batch(pictures[has])
        assert mirrored is not None
        out[has, 0], out[has, 1] = plain, mirrored
    return out


def _hash_finding_bars(
    path: Path, layout: StreamLayout, bars: BarsOnTheWay, check: Callable[[], None] | None
) -> Iterator[HashedRun]:
    """Hash from frame 0 uncropped while `bars` watches the first frames; runs are held until
    it decides. No bars (the usual case): nothing was decoded twice. Bars: start again, cropped."""
    held: list[HashedRun] = []
    uncropped = hash_batches(path, 0, None, None, layout, check=check, watch=bars.see)
    try:
        for run in uncropped:
            held.append(run)
            if bars.decided or run.stopped:
                bars.decide()
                if bars.crop is not None:
                    break
                yield from held
                held = []
    finally:
        uncropped.close()
    bars.decide()
    if bars.crop is None:
        yield from held
    else:
        yield from hash_batches(path, 0, None, bars.crop, layout, check=check)


def _hash_chunk(
    path: Path, start: int, stop: int, crop: Crop | None, layout: StreamLayout
) -> HashedRun:
    runs = list(hash_batches(path, start, stop, crop, layout, _COUNTER))
    stopped = runs[-1].stopped if runs else None
    runs = [r for r in runs if len(r)] or runs
    return _concat(runs, start, stopped)


_COUNTER: Synchronized | None = None


def _init_worker(counter: Synchronized) -> None:
    global _COUNTER
    _COUNTER = counter


def plan_chunks(layout: StreamLayout, start: int, size: int | None = None) -> list[tuple[int, int]]:
    """Split frames start..end into runs that each begin on a keyframe (after the first)."""
    size = size or CHUNK_FRAMES
    bounds = [start]
    for key in layout.keyframes:
        if key - bounds[-1] >= size and layout.frame_count - key >= size // 4:
            bounds.append(key)
    bounds.append(layout.frame_count)
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def default_workers() -> int:
    return min(2, os.cpu_count() or 1)


def hash_film(
    path: Path,
    layout: StreamLayout,
    *,
    start: int = 0,
    crop: Crop | None = None,
    bars: BarsOnTheWay | None = None,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
) -> Iterator[HashedRun]:
    """HashedRuns covering frames start..end in order; the last one may report `stopped`.

    `bars` (from frame 0 only) finds the crop on the way, decided before the first run comes
    out; `crop` is then ignored. `on_progress(frames_done)` is called often; raising in it
    (Cancel) stops the workers. `check()` is called for every frame decoded here (raising in
    it stops at once).
    """
    workers = default_workers() if workers is None else workers
    chunks = plan_chunks(layout, start)
    if (
        workers < 2
        or len(chunks) < 2
        or layout.pts is None
        or layout.frame_count - start < PARALLEL_MIN_FRAMES
    ):
        if bars is not None:
            runs = _hash_finding_bars(path, layout, bars, check)
        else:
            runs = hash_batches(path, start, None, crop, layout, check=check)
        for run in runs:
            yield run
            if on_progress is not None:
                on_progress(run.start + len(run))
        return
    if bars is not None:  # seconds of a long film: decoding them twice costs little
        bars.crop, bars.decided = detect_film_bars(path, layout), True
        crop = bars.crop
    counter: Synchronized = multiprocessing.get_context("spawn").Value("q", 0)
    # spawn, not fork: the GUI process has threads (Qt, libvlc) that fork would copy broken.
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(counter,)) as pool:
        pending = [pool.apply_async(_hash_chunk, (path, a, b, crop, layout)) for a, b in chunks]
        try:
            for result in pending:
                while not result.ready():
                    result.wait(0.05)  # a Cancel raised by on_progress stops the pool promptly
                    if on_progress is not None:
                        on_progress(start + counter.value)
                    if check is not None:
                        check()
                run = result.get()
                yield run
                if run.stopped:
                    break
        finally:
            pool.terminate()
