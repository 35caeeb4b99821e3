"""Where the picture changes without moving: the décor lens, measured on reduced grey frames.

For each pair of consecutive frames, DIS dense optical flow (OpenCV) estimates where every
point of the current picture was in the previous one; the previous picture is warped onto the
current one along that motion, and what still differs is the *leftover change*: a camera pan
or a walking figure is followed and leaves almost nothing, while a texture that re-samples
itself ("boils"), an object that appears, or a letter that mutates stays. This is an aid to
look, not a detector: parallax, motion blur, reflections and fast motion leave change too.

Frames are decoded by FFmpeg straight to grey at WORK_WIDTH pixels wide (the lens costs a few
times a plain decode, not tens), and regions are scaled back to the film's pixels. Pairs across
a shot cut (the app's own cut test on 64x64 frames) are skipped: a cut is all change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from critique_app.media.grey_frames import (
    DecodingStopped,
    StreamLayout,
    grey_batches,
    read_layout,
)
from critique_app.media.shots import CUT_FLOOR, find_cuts, frame_differences

WORK_WIDTH = 480  # pixels: DIS at this size runs well above decode speed on two cores
# Grey levels (0-255) of leftover change that make a place "hot". Flow on a clean pan leaves
# 2-6 levels along sharp edges (sub-pixel interpolation) and codec noise; a re-sampled texture
# leaves 20 and more. Measured on the generated clips of tests/media/test_instability.py.
HOT_LEVEL = 14.0
SMOOTH_SIGMA = 2.0  # working pixels: turns pixel noise into areas before thresholding
EDGE_MARGIN = 2  # working pixels: points whose motion comes from outside the picture are unknown
MIN_REGION_SHARE = 0.0005  # of the picture (~65 px at 480x270): smaller specks are noise
REGIONS_PER_FRAME = 3  # the hottest connected areas kept per frame
BATCH = 32  # working frames decoded together (480x270 grey: 4 MB)
METHOD = (
    f"dis-flow warp residual width={WORK_WIDTH} hot={HOT_LEVEL:g} sigma={SMOOTH_SIGMA:g} "
    f"min_region={MIN_REGION_SHARE:g} regions={REGIONS_PER_FRAME}"
)


@dataclass(frozen=True)
class HotRegion:
    """A connected area of leftover change on one frame, in film pixels."""

    frame: int
    x: int
    y: int
    width: int
    height: int
    score: float  # mean leftover change inside the area, grey levels 0-255

    def to_json(self) -> dict[str, int | float]:
        return {
            "frame": self.frame,
            "x": self.x,
            "y": self.y,
            "w": self.width,
            "h": self.height,
            "score": round(self.score, 2),
        }


@dataclass
class InstabilityResult:
    """Per-frame scores, hot regions and the heat over a passage."""

    start: int
    stop: int  # one past the last frame measured
    film_size: tuple[int, int]  # width, height
    work_size: tuple[int, int]
    scores: dict[int, float] = field(default_factory=dict)  # frame -> % of the picture hot
    regions: list[HotRegion] = field(default_factory=list)
    cuts: list[int] = field(default_factory=list)  # frames not compared with the one before
    heat: NDArray[np.float32] | None = None  # working size: share of compared frames hot, 0-1
    problem: str | None = None  # the file broke off early: what was measured is kept


def work_size(width: int, height: int, widest: int = WORK_WIDTH) -> tuple[int, int]:
    """The reduced size a lens computes at: `widest` wide (never enlarged), even sides."""
    if width <= widest:
        w, h = width, height
    else:
        w, h = widest, round(height * widest / width)
    return max(2, w - w % 2), max(2, h - h % 2)


class InstabilityMeter:
    """Feeds on consecutive working-size grey frames; measures each against the one before."""

    def __init__(self, work: tuple[int, int], film: tuple[int, int]) -> None:
        self.work, self.film = work, film
        w, h = work
        self._flow = cv2.DISOpticalFlow.create(cv2.DISOpticalFlow_PRESET_FAST)
        self._grid_x, self._grid_y = np.meshgrid(
            np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32)
        )
        self._hot_sum = np.zeros((h, w), np.float32)
        self._flow_out = np.zeros((h, w, 2), np.float32)  # reused; DIS takes no initial guess
        self._compared = 0
        self._min_area = max(4, int(MIN_REGION_SHARE * w * h))

    def leftover(self, previous: NDArray[np.uint8], current: NDArray[np.uint8]) -> NDArray:
        """Leftover change (grey levels, float32, working size) after following the motion."""
        h, w = current.shape
        # flow from the current picture to the previous one: current(p) ~ previous(p + flow(p))
        flow = np.asarray(self._flow.calc(current, previous, self._flow_out), np.float32)
        map_x = self._grid_x + flow[..., 0]
        map_y = self._grid_y + flow[..., 1]
        warped = cv2.remap(previous, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        raw = cv2.absdiff(current, warped).astype(np.float32)
        change = np.asarray(cv2.GaussianBlur(raw, (0, 0), SMOOTH_SIGMA), np.float32)
        # what entered the picture at its edges during a pan has no "before": unknown, not hot
        m = EDGE_MARGIN
        outside = (map_x < m) | (map_x > w - 1 - m) | (map_y < m) | (map_y > h - 1 - m)
        change[outside] = 0.0
        return change

    def measure(
        self, index: int, previous: NDArray[np.uint8], current: NDArray[np.uint8]
    ) -> tuple[float, list[HotRegion], NDArray[np.uint8]]:
        """Score (% of the picture hot) and hottest regions of frame `index`; adds to the heat."""
        change = self.leftover(previous, current)
        hot = (change >= HOT_LEVEL).astype(np.uint8)
        self._hot_sum += hot
        self._compared += 1
        score = 100.0 * float(hot.mean())
        return score, self._regions(index, change, hot), hot

    def forget(self, hot: NDArray[np.uint8]) -> None:
        """Take back a frame measured across what turned out to be a cut."""
        self._hot_sum -= hot
        self._compared -= 1

    def _regions(self, index: int, change: NDArray, hot: NDArray[np.uint8]) -> list[HotRegion]:
        count, labels, stats, _centres = cv2.connectedComponentsWithStats(hot, connectivity=8)
        if count <= 1:
            return []
        areas = stats[1:, cv2.CC_STAT_AREA]
        sums = np.bincount(labels.ravel(), weights=change.ravel(), minlength=count)[1:]
        found: list[tuple[float, int]] = []
        for position in np.flatnonzero(areas >= self._min_area):
            found.append((float(sums[position]), int(position) + 1))
        found.sort(reverse=True)  # hottest = most leftover change in all (strength x extent)
        sx, sy = self.film[0] / self.work[0], self.film[1] / self.work[1]
        regions = []
        for total, label in found[:REGIONS_PER_FRAME]:
            x, y, w, h, area = (int(v) for v in stats[label][:5])
            left, top = int(x * sx), int(y * sy)
            right = min(self.film[0], int(np.ceil((x + w) * sx)))
            bottom = min(self.film[1], int(np.ceil((y + h) * sy)))
            regions.append(HotRegion(index, left, top, right - left, bottom - top, total / area))
        return regions

    def heat(self) -> NDArray[np.float32]:
        """Share (0-1) of the compared frames on which each working pixel was hot."""
        return (self._hot_sum / max(1, self._compared)).astype(np.float32)


def _small(frame: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The 64x64 grey frame the app's cut test compares (critique_app.media.shots)."""
    return np.asarray(cv2.resize(frame, (64, 64), interpolation=cv2.INTER_AREA), np.uint8)


def working_frames(
    path: Path, start: int, stop: int, layout: StreamLayout, size: tuple[int, int], check
) -> Iterator[tuple[int, NDArray[np.uint8]]]:
    """(index, working-size grey frame) for frames start..stop-1, in order."""
    for first, batch in grey_batches(
        path, start=start, stop=stop, layout=layout, check=check, size=size, batch=BATCH
    ):
        for offset, frame in enumerate(batch):
            yield first + offset, frame


def measure_instability(
    path: str | Path,
    start: int,
    stop: int,
    *,
    layout: StreamLayout | None = None,
    check: Callable[[], None] | None = None,
    on_frame: Callable[[int], None] | None = None,
) -> InstabilityResult:
    """Measure frames start..stop-1, each against the one before (the passage's first frame
    against its predecessor when there is one). One streaming decode: memory does not grow
    with the passage. A file that breaks off early keeps what was measured (`problem`)."""
    path = Path(path)
    layout = layout or read_layout(path)
    stop = min(stop, layout.frame_count)
    film = (layout.width, layout.height)
    work = work_size(*film)
    result = InstabilityResult(start, stop, film, work)
    meter = InstabilityMeter(work, film)
    first = max(0, start - 1)  # the frame before the passage, to score its first frame
    diffs: list[float] = []  # mean change of 64x64 frames, for the app's cut test
    maybe_cut: dict[int, NDArray[np.uint8]] = {}  # hot maps of frames that could be cuts
    previous: tuple[int, NDArray[np.uint8], NDArray[np.uint8]] | None = None
    try:
        for index, frame in working_frames(path, first, stop, layout, work, check):
            small = _small(frame)
            if previous is not None:
                diff = float(frame_differences(small[None], previous[2])[0])
                diffs.append(diff)
                score, regions, hot = meter.measure(index, previous[1], frame)
                result.scores[index] = score
                result.regions.extend(regions)
                if diff >= CUT_FLOOR:  # below it find_cuts never cuts
                    maybe_cut[index] = hot
            else:
                diffs.append(0.0)
            previous = (index, frame, small)
            if on_frame is not None:
                on_frame(index)
    except DecodingStopped as err:
        result.problem = str(err)
    # a cut is all change: its frame is not compared with the one before, nor heats the map
    for position in find_cuts(np.asarray(diffs, np.float32)):
        index = first + position
        if index in maybe_cut:
            result.cuts.append(index)
            result.scores.pop(index, None)
            meter.forget(maybe_cut[index])
    cut = set(result.cuts)
    result.regions = [r for r in result.regions if r.frame not in cut]
    result.heat = meter.heat()
    return result


def heat_colours(heat: NDArray[np.float32]) -> NDArray[np.uint8]:
    """The heat as RGBA (working size): inferno colours where any frame was hot (dark purple
    on few frames, yellow on nearly all; the rarest still shows), transparent elsewhere."""
    level = np.clip(0.2 + 0.8 * heat, 0.0, 1.0)
    colours = cv2.applyColorMap((level * 255).astype(np.uint8), cv2.COLORMAP_INFERNO)
    rgba = np.empty((*heat.shape, 4), np.uint8)
    rgba[..., :3] = colours[..., ::-1]
    rgba[..., 3] = np.where(heat > 0.005, 255, 0)
    return rgba


def paint_heat(picture: NDArray[np.uint8], heat: NDArray[np.float32]) -> NDArray[np.uint8]:
    """The heat over a film picture (RGB, film size): the picture dimmed to grey so that colour
    means heat, and where any frame was hot the share of frames (inferno: dark red rare, yellow
    always). The heat, computed at the working size, is enlarged to the picture's size."""
    height, width = picture.shape[:2]
    grey = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY)
    base = cv2.cvtColor((grey * 0.6).astype(np.uint8), cv2.COLOR_GRAY2RGB).astype(np.float32)
    big = cv2.resize(heat.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    level = np.clip(0.2 + 0.8 * big, 0.0, 1.0)  # the rarest hot place still shows
    colours = cv2.applyColorMap((level * 255).astype(np.uint8), cv2.COLORMAP_INFERNO)
    colours = cv2.cvtColor(colours, cv2.COLOR_BGR2RGB).astype(np.float32)
    alpha = np.where(big > 0.005, 0.75, 0.0).astype(np.float32)[..., None]
    return (base * (1.0 - alpha) + colours * alpha).astype(np.uint8)
