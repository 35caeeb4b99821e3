"""Regions that follow the picture: a box drawn on one frame, followed frame by frame.

A median-flow tracker (Kalal, Mikolajczyk and Matas, 2010): a grid of points inside the box
is followed from one frame to the next by pyramidal Lucas-Kanade optical flow (OpenCV), then
followed back; a point that does not come back to where it started (forward-backward error)
was lost or fooled. The box moves by the median motion of the better half of the points and
grows or shrinks by the median change of their distances. This is an aid, not a recogniser:
it follows texture, so it can slide onto the background when the thing turns, blurs, is
hidden or looks like what surrounds it.

Confidence (0-1) on each frame: the share of the box's points that came back to within
FB_TOLERANCE working pixels of where they started, times the share of the box still inside
the picture. A box that leaves the picture is clamped to it and its confidence drops.

Frames are decoded by FFmpeg straight to grey at most WORK_WIDTH pixels wide; boxes are in
the film's pixels. Backward, the passage is decoded in chunks from its end towards its start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from critique_app.media.grey_frames import DecodingStopped, StreamLayout, read_layout
from critique_app.media.instability import work_size, working_frames

WORK_WIDTH = 640  # pixels: LK at this size follows a 720p film well above 10 frames a second
GRID = 10  # points per side of the grid laid in the box
FB_TOLERANCE = 1.0  # working pixels: a point that comes back this close was followed
MIN_POINTS = 4  # fewer consistent points than this and the box holds still (lost)
MAX_SCALE_STEP = 0.1  # the box grows or shrinks by at most 10% between two frames
BACKWARD_CHUNK = 48  # frames decoded at once when going backward (640x360 grey: 11 MB)
LK_WINDOW = 15  # pixels: the patch around each point that Lucas-Kanade matches
LK_LEVELS = 3  # pyramid levels: follows motions of up to ~100 working pixels a frame
LK_STOP = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.03)
METHOD = f"median-flow lk grid={GRID} width={WORK_WIDTH} fb={FB_TOLERANCE:g}"

Box = tuple[float, float, float, float]  # x, y, w, h


@dataclass(frozen=True)
class TrackedBox:
    """Where the region is on one frame, in the film's pixels (clamped to the picture)."""

    frame: int
    x: int
    y: int
    width: int
    height: int
    confidence: float  # 0-1: see the module's docstring

    def to_json(self) -> dict[str, int | float]:
        return {
            "frame": self.frame,
            "x": self.x,
            "y": self.y,
            "w": self.width,
            "h": self.height,
            "confidence": round(self.confidence, 3),
        }


@dataclass
class TrackedPath:
    """The boxes of one tracking run, in the order they were followed (backward: descending)."""

    start: int
    end: int  # the frame tracking was asked to reach (before `start` when backward)
    film_size: tuple[int, int]
    boxes: list[TrackedBox] = field(default_factory=list)
    problem: str | None = None  # the file broke off early: the boxes followed so far are kept


def visible_part(box: Box, size: tuple[int, int]) -> Box:
    """The part of `box` inside a picture of `size` (width 0 when none of it is)."""
    x, y, w, h = box
    left, top = max(0.0, x), max(0.0, y)
    right, bottom = min(float(size[0]), x + w), min(float(size[1]), y + h)
    return left, top, max(0.0, right - left), max(0.0, bottom - top)


class MedianFlow:
    """Follows one box from frame to frame on working-size grey frames."""

    def __init__(self, box: Box, size: tuple[int, int]) -> None:
        self.box = box  # may reach outside the picture: the size is kept while it leaves
        self.size = size

    def _grid(self) -> NDArray[np.float32]:
        x, y, w, h = visible_part(self.box, self.size)
        # points a little inside the box's edges, where its own texture is
        xs = np.linspace(x + 0.1 * w, x + 0.9 * w, GRID, dtype=np.float32)
        ys = np.linspace(y + 0.1 * h, y + 0.9 * h, GRID, dtype=np.float32)
        gx, gy = np.meshgrid(xs, ys)
        return np.stack([gx.ravel(), gy.ravel()], axis=1).reshape(-1, 1, 2)

    def step(self, previous: NDArray[np.uint8], current: NDArray[np.uint8]) -> float:
        """Move the box from `previous` to `current`; the confidence of its new place."""
        x, y, w, h = self.box
        seen = visible_part(self.box, self.size)
        if seen[2] < 1 or seen[3] < 1:
            return 0.0
        grid = self._grid()
        ahead_raw, ok_ahead = _follow(previous, current, grid)
        back_raw, ok_back = _follow(current, previous, ahead_raw)
        start, ahead, back = grid.reshape(-1, 2), ahead_raw.reshape(-1, 2), back_raw.reshape(-1, 2)
        ok = ok_ahead & ok_back
        inside = (
            (ahead[:, 0] >= 0)
            & (ahead[:, 0] <= self.size[0] - 1)
            & (ahead[:, 1] >= 0)
            & (ahead[:, 1] <= self.size[1] - 1)
        )
        ok &= inside
        fb = np.linalg.norm(start - back, axis=1)
        consistent = ok & (fb <= FB_TOLERANCE)
        if int(ok.sum()) < MIN_POINTS:
            return 0.0
        # the better half of the followed points decides the motion
        keep = ok & (fb <= np.median(fb[ok]))
        if int(keep.sum()) < MIN_POINTS:
            return 0.0
        p0, p1 = start[keep], ahead[keep]
        dx, dy = np.median(p1 - p0, axis=0)
        scale = self._scale(p0, p1)
        nw, nh = w * scale, h * scale
        cx, cy = x + w / 2 + float(dx), y + h / 2 + float(dy)
        self.box = (cx - nw / 2, cy - nh / 2, nw, nh)
        seen = visible_part(self.box, self.size)
        share_inside = (seen[2] * seen[3]) / max(1e-6, nw * nh)
        return min(1.0, float(consistent.mean()) * share_inside)

    @staticmethod
    def _scale(p0: NDArray[np.float32], p1: NDArray[np.float32]) -> float:
        """Median ratio of the distances between pairs of points, after and before."""
        i, j = np.triu_indices(len(p0), k=1)
        before = np.linalg.norm(p0[i] - p0[j], axis=1)
        after = np.linalg.norm(p1[i] - p1[j], axis=1)
        usable = before > 1.0
        if not usable.any():
            return 1.0
        ratio = float(np.median(after[usable] / before[usable]))
        return float(np.clip(ratio, 1.0 - MAX_SCALE_STEP, 1.0 + MAX_SCALE_STEP))


def _follow(
    before: NDArray[np.uint8], after: NDArray[np.uint8], points: NDArray[np.float32]
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """Where `points` of `before` are in `after` (pyramidal Lucas-Kanade), and which were found."""
    moved, status, _error = cv2.calcOpticalFlowPyrLK(
        before,
        after,
        points,
        None,
        winSize=(LK_WINDOW, LK_WINDOW),
        maxLevel=LK_LEVELS,
        criteria=LK_STOP,
    )
    return np.asarray(moved, np.float32), np.asarray(status).ravel() == 1


def frames_towards(
    path: Path,
    start: int,
    end: int,
    layout: StreamLayout,
    size: tuple[int, int],
    check: Callable[[], None] | None,
) -> Iterator[tuple[int, NDArray[np.uint8]]]:
    """(index, working-size grey frame) from `start` to `end` included, in that direction."""
    if end >= start:
        yield from working_frames(path, start, end + 1, layout, size, check)
        return
    top = start + 1  # one past the highest frame still to give
    while top > end:
        low = max(end, top - BACKWARD_CHUNK)
        chunk = list(working_frames(path, low, top, layout, size, check))
        yield from reversed(chunk)
        top = low


def track_box(
    path: str | Path,
    start: int,
    box: Box,
    end: int,
    *,
    layout: StreamLayout | None = None,
    check: Callable[[], None] | None = None,
    on_frame: Callable[[int], None] | None = None,
) -> TrackedPath:
    """Follow `box` (film pixels, on frame `start`) to frame `end`, forward or backward.

    The first box is the one given, clamped, with confidence 1. A file that breaks off early
    keeps the boxes followed so far (`problem`)."""
    path = Path(path)
    layout = layout or read_layout(path)
    film = (layout.width, layout.height)
    work = work_size(*film, widest=WORK_WIDTH)
    sx, sy = work[0] / film[0], work[1] / film[1]
    x, y, w, h = box
    tracker = MedianFlow((x * sx, y * sy, w * sx, h * sy), work)
    result = TrackedPath(start, end, film)
    previous: NDArray[np.uint8] | None = None
    try:
        for index, frame in frames_towards(path, start, end, layout, work, check):
            confidence = 1.0 if previous is None else tracker.step(previous, frame)
            bx, by, bw, bh = visible_part(tracker.box, work)
            left, top = round(bx / sx), round(by / sy)
            right = min(film[0], round((bx + bw) / sx))
            bottom = min(film[1], round((by + bh) / sy))
            result.boxes.append(
                TrackedBox(index, left, top, right - left, bottom - top, confidence)
            )
            previous = frame
            if on_frame is not None:
                on_frame(index)
    except DecodingStopped as err:
        result.problem = str(err)
    return result
