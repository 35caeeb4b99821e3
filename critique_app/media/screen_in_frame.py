"""A picture shown on a screen inside the frame: a phone filming a monitor, a TV in a room.

The screen is a quadrilateral (keystone: the phone is rarely square to it), brighter or
darker than the room, with moiré, another gamma and blur on top. It is found on the same
64x64 grey frames the decode pass makes, once per run of frames (regions.run_bounds: a
screen filmed by hand rarely moves within a shot, and a run is two seconds at most), on the
run's median frame, where moving content averages out and the screen's border stays:

- candidate outlines: contours of the median frame thresholded (Otsu: a lit screen in a dim
  room, or the reverse), of the run's activity (moving pictures in a still room) and of the
  median frame's edges (Canny); each contour's hull is brought down to 4 sides by dropping
  its shortest bends (a dark corner of the picture bites a corner off a bright region; the
  sides next to the bite, extended, meet where the screen's corner is);
- plausible ones: convex, 15-90% of the frame, an aspect near 4:3..2.39 once rectified
  (allowing for keystone), and a border that really is an edge in most frames of the run;
- the best one (the strongest border, with the moving picture inside it rather than outside)
  wins; the screen of the run before, in the same shot, stays unless this run's best border
  is much stronger, and a run takes the next run's screen when that border is stronger on it;
- that screen is rectified from just inside its border (getPerspectiveTransform /
  warpPerspective); regions.frame_pictures removes its picture's bars, as a library run's
  are, and hashes it into the inset slot: it is then searched like any inset.

OpenCV on 64x64 pictures costs well under a millisecond per run; `SCREEN_COST` counts it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from critique_app.media.fingerprint import pool_to_32

SIDE = 64  # the grey frames' side
UPSCALE = 4  # corners are found on the median frame scaled up, to a quarter of a pixel
MIN_AREA, MAX_AREA = 0.15, 0.90  # share of the frame a screen covers
# Width/height of the rectified screen, in display units of a 16:9 frame: 4:3 (1.33) to 2.39,
# with room for the foreshortening a keystone leaves in the side lengths.
MIN_ASPECT, MAX_ASPECT = 1.0, 3.0
FRAME_ASPECT = 16 / 9  # the 64x64 grid is a frame shown 16:9
EDGE_STEP = 6.0  # grey levels across the border, in the median frame, on average
EDGE_SHARE = 0.6  # share of the run's frames whose border steps at least EDGE_STEP / 2
MIN_SIDE = 8.0  # pixels of 64: a shorter side is a corner of the frame, not a screen
DARK_LEVELS = np.array([1.0, 0.6])  # shares of Otsu's level the median frame is cut at
# Activity is scaled to its brightest pixel: one lively spot raises Otsu's level above the
# rest of the screen, while the still room stays near zero, so lower cuts outline it whole.
ACTIVITY_LEVELS = np.array([1.0, 0.6, 0.3, 0.15])
# Share of the hull's outline that may lie off its 4 sides: bites off a screen's corners are
# short, while a blob of the picture cut down to 4 sides leaves long stretches off them.
MAX_OFF_OUTLINE = 0.2
STILL_ROOM = 1.0  # how much a still room around the border weighs in a candidate's score
# Share of the screen (from its centre) rectified: clear of its border. Every share cut off
# scales the picture: at 0.97 a slow zoom over a photograph came out 4-60 frames off (a
# 25 % zoom in 4 s: 27), at 0.985 within 3; at 1.0 two passages were lost (issue 24).
INSIDE_BORDER = 0.985
# Where the border is searched for again, from the first outline (pixels of 64, outwards):
# dark picture at the screen's edge merges with the bezel, and the outline follows the edge
# of that picture instead: a side up to 6 pixels inside the bezel, or across it. The outermost
# step of at least OUTER_SHARE of the side's usual one is the bezel against the room.
OUTER_REACH = (-4.0, 8.0)
OUTER_SHARE = 0.5
OUTER_LEAST = 1.0  # pixels of 64 a corner must move for the wider outline to be taken
OUTER_ROOM = 2.0  # pixels of 64 of room seen beyond a side, or it is the frame's edge
CARRY_SHARE = 0.7  # the previous run's screen stays while its border scores this share of the best


@dataclass
class ScreenCost:
    """What looking for screens cost: runs looked at, screens found, seconds spent."""

    runs: int = 0
    found: int = 0
    seconds: float = 0.0


SCREEN_COST = ScreenCost()


def run_screen(
    grey: NDArray[np.uint8], previous: NDArray[np.float32] | None = None
) -> NDArray[np.float32] | None:
    """The 4 corners (x, y in pixels of 64; top-left, top-right, bottom-right, bottom-left)
    of a screen shown in a run of 64x64 grey frames, or None. `previous`: the screen found in
    the run before, when no cut lies between them."""
    t0 = time.perf_counter()
    try:
        return _find(grey, previous)
    finally:
        SCREEN_COST.runs += 1
        SCREEN_COST.seconds += time.perf_counter() - t0


def _find(
    grey: NDArray[np.uint8], previous: NDArray[np.float32] | None
) -> NDArray[np.float32] | None:
    if len(grey) == 0:
        return None
    median = np.median(grey[:: max(1, len(grey) // 12)], axis=0).astype(np.uint8)
    if float(median.std()) < 6.0:  # dark or flat: nothing to outline
        return None
    masks = _masks(_big(median)) + _masks(_big(_activity(grey)), dark=False)
    best: tuple[float, NDArray[np.float32]] | None = None
    for mask in masks:
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            if cv2.contourArea(c) < MIN_AREA * (SIDE * UPSCALE) ** 2 / 2:
                continue  # cheaper than its hull (bites out of a screen leave more)
            quad = _quad(np.asarray(c, np.int32))
            if quad is None:
                continue
            score = _border_score(grey, median, quad)
            if score is not None and (best is None or score > best[0]):
                best = (score, quad)
    if previous is not None:
        # A phone filming a screen is held steady through a shot: the screen of the run before
        # stays unless this run's best border is much stronger (dark picture at the screen's
        # edge lets a quad through the picture outscore the true border for a run or two).
        kept = _border_score(grey, median, previous)
        if kept is not None and (best is None or kept >= CARRY_SHARE * best[0]):
            best = (kept, previous)
    if best is None:
        return None
    SCREEN_COST.found += 1
    # the sides are placed on the run's mean: moving pictures blur there, the border does not
    mean = grey.mean(axis=0)
    first = _refined(mean, best[1])
    wider = _outer_sides(mean, first)
    if wider is None:
        return first
    before, after = _border_score(grey, median, first), _border_score(grey, median, wider)
    if after is None or (before is not None and after <= before):
        return first
    found = _refined(mean, wider)
    # within a pixel, the first outline is on the bezel already: each search places the
    # side a little differently, and a slow zoom over a photograph moved 60 frames for a
    # third of a pixel (the monitor film's passage 0)
    return first if np.abs(found - first).max() < OUTER_LEAST else found


def held_back(
    grey: NDArray[np.uint8], screen: NDArray[np.float32] | None, later: NDArray[np.float32] | None
) -> NDArray[np.float32] | None:
    """The screen for a run: the one found there, or the one a later run of the same shot
    found, whichever border is the stronger step on this run's frames. A shot's first run has
    no screen to carry from, and dark picture at the screen's edge can put a corner of it
    3-6 pixels of 64 off, while the next runs, where the picture lights that edge, find it."""
    if later is None:
        return screen
    t0 = time.perf_counter()
    try:
        median = np.median(grey[:: max(1, len(grey) // 12)], axis=0).astype(np.uint8)
        other = _border_score(grey, median, later)
        own = None if screen is None else _border_score(grey, median, screen)
        if other is None or (own is not None and own >= other):
            return screen
        return _refined(grey.mean(axis=0), later)
    finally:
        SCREEN_COST.seconds += time.perf_counter() - t0


def _big(picture: NDArray[np.uint8]) -> NDArray[np.uint8]:
    big = cv2.resize(picture, (SIDE * UPSCALE, SIDE * UPSCALE), interpolation=cv2.INTER_LINEAR)
    return np.asarray(cv2.GaussianBlur(big, (5, 5), 0), np.uint8)


def _activity(grey: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """How much each pixel changes over the run: a screen's moving pictures in a still room."""
    frames = grey[:: max(1, len(grey) // 12)].astype(np.float32)
    std = frames.std(axis=0)
    return np.clip(std * (255 / max(float(std.max()), 1.0)), 0, 255).astype(np.uint8)


def _masks(big: NDArray[np.uint8], dark: bool = True) -> list[NDArray[np.uint8]]:
    """Regions that may be a screen: above (or below) Otsu's level and a lower one, holes
    left by the picture's own dark or still parts closed; and the picture's edges."""
    level, _ = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    out: list[NDArray[np.uint8]] = []
    close = np.ones((2 * UPSCALE + 1, 2 * UPSCALE + 1), np.uint8)
    for t in level * (DARK_LEVELS if dark else ACTIVITY_LEVELS):
        _, raw = cv2.threshold(big, t, 255, cv2.THRESH_BINARY)
        mask = np.asarray(cv2.morphologyEx(raw, cv2.MORPH_CLOSE, close), np.uint8)
        out += [mask, (255 - mask).astype(np.uint8)] if dark else [mask]
    if dark:
        edges = cv2.dilate(cv2.Canny(big, 30, 90), np.ones((3, 3), np.uint8))
        out.append(np.asarray(edges, np.uint8))
    return out


def _quad(contour: NDArray[np.int32]) -> NDArray[np.float32] | None:
    """The contour as 4 ordered corners in pixels of 64, when it could be a screen."""
    # The hull: dark parts of the picture at the screen's edge bite into a bright region.
    hull = cv2.convexHull(contour)
    area = cv2.contourArea(hull) / (UPSCALE * UPSCALE)
    if not MIN_AREA * SIDE * SIDE <= area <= MAX_AREA * SIDE * SIDE:
        return None
    perimeter = cv2.arcLength(hull, True)
    bends = np.asarray(cv2.approxPolyDP(hull, 0.01 * perimeter, True), np.float64)
    approx = _four_sides(bends.reshape(-1, 2))
    if approx is None or cv2.contourArea(approx) > 1.15 * cv2.contourArea(hull):
        return None  # the sides met far out: a rounded blob, not a screen
    if _off_outline(bends.reshape(-1, 2), approx) > MAX_OFF_OUTLINE * perimeter:
        return None
    # contour points lie on the region's outer pixels: the border is half a pixel out
    pts = _ordered((np.asarray(approx, np.float32).reshape(4, 2) / UPSCALE).astype(np.float32))
    centre = pts.mean(axis=0)
    out = pts + 0.5 * np.sign(pts - centre) / UPSCALE
    sides = np.linalg.norm(out - np.roll(out, -1, axis=0), axis=1)
    if sides.min() < MIN_SIDE:
        return None
    scale = np.array([FRAME_ASPECT, 1.0], np.float32)
    shown = out * scale
    width = float(np.linalg.norm(shown[1] - shown[0]) + np.linalg.norm(shown[2] - shown[3]))
    height = float(np.linalg.norm(shown[3] - shown[0]) + np.linalg.norm(shown[2] - shown[1]))
    if not MIN_ASPECT <= width / max(height, 1e-6) <= MAX_ASPECT:
        return None
    if _fills_frame(out):
        return None
    return out.astype(np.float32)


def _four_sides(polygon: NDArray[np.float64]) -> NDArray[np.float32] | None:
    """A convex polygon brought down to 4 corners by dropping, one at a time, the side whose
    neighbours meet adding the least area: where dark picture bites a corner off the bright
    region, the bite is a short side and its neighbours, extended, meet at the real corner."""
    pts = [(float(x), float(y)) for x, y in polygon]  # plain floats: a few dozen bends
    while len(pts) > 4:
        best: tuple[float, int, tuple[float, float]] | None = None
        n = len(pts)
        for i in range(n):  # side i runs from pts[i] to pts[i + 1]
            (ax, ay), (bx, by) = pts[i - 1], pts[i]
            (cx, cy), (dx, dy) = pts[(i + 1) % n], pts[(i + 2) % n]
            ux, uy, vx, vy = bx - ax, by - ay, dx - cx, dy - cy
            det = ux * vy - uy * vx
            if abs(det) < 1e-9:
                continue
            wx, wy = dx - ax, dy - ay  # a + s u = d + t (c - d), solved by Cramer's rule
            s, t = (wx * vy - wy * vx) / det, (ux * wy - uy * wx) / det
            if s < 1 or t < 1:  # the neighbours meet behind the side: no corner there
                continue
            mx, my = ax + s * ux, ay + s * uy
            added = abs((bx - mx) * (cy - my) - (by - my) * (cx - mx)) / 2
            if best is None or added < best[0]:
                best = (added, i, (mx, my))
        if best is None:
            return None
        _, i, meet = best
        pts[i] = meet
        del pts[(i + 1) % n]
    if len(pts) != 4:
        return None
    return np.array(pts, np.float32).reshape(-1, 1, 2)


def _off_outline(polygon: NDArray[np.float64], quad: NDArray[np.float32]) -> float:
    """The length of the polygon's sides whose middle is more than 1.5 pixels of 64 off the
    quad's outline."""
    off = 0.0
    for (ax, ay), (bx, by) in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        middle = (float(ax + bx) / 2, float(ay + by) / 2)
        if abs(cv2.pointPolygonTest(quad, middle, True)) > 1.5 * UPSCALE:
            off += float(np.hypot(bx - ax, by - ay))
    return off


def _sample(picture: NDArray[np.float32], pts: NDArray[np.float64]) -> NDArray[np.float64]:
    """Bilinear samples of a picture at (x, y) points (pixel centres at whole numbers)."""
    x = np.clip(pts[..., 0], 0, SIDE - 1.001)
    y = np.clip(pts[..., 1], 0, SIDE - 1.001)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    p = picture
    top = p[y0, x0] * (1 - fx) + p[y0, x0 + 1] * fx
    bottom = p[y0 + 1, x0] * (1 - fx) + p[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def _refined(mean: NDArray[np.floating], quad: NDArray[np.float32]) -> NDArray[np.float32]:
    """Each side moved onto the strongest step across it (within 2 pixels), to a tenth of a
    pixel, and the corners where the sides meet: thresholds and blur leave a corner a pixel
    or two off, which a 30-pixel screen's hash does not forgive."""
    g = mean.astype(np.float32)
    corners = quad.astype(np.float64) - 0.5  # boundaries -> pixel-centre coordinates
    offsets = np.arange(-2.0, 2.01, 0.25)
    lines = []
    for k in range(4):
        base, normal, pts = _across(corners[k], corners[(k + 1) % 4], offsets)
        profile = _sample(g, pts)  # 31 x len(offsets)
        step = np.abs(np.diff(profile, axis=1))
        moved = base + _peak(step, offsets)[:, None] * normal[None]
        strong = step.max(axis=1) >= np.median(step.max(axis=1)) * 0.5
        lines.append(_line(moved[strong]))
    refined = _meeting(lines)
    if refined is None or np.abs(refined - quad).max() > 3:  # the sides wandered off
        return quad
    return refined


def _outer_sides(
    mean: NDArray[np.floating], quad: NDArray[np.float32]
) -> NDArray[np.float32] | None:
    """The quad with each side moved onto the outermost strong step across it (within
    OUTER_REACH): a side that follows the edge of dark picture inside the screen, instead of
    the bezel, is moved out to the bezel where the room around it is lit (issue 24)."""
    g = mean.astype(np.float32)
    corners = quad.astype(np.float64) - 0.5
    offsets = np.arange(OUTER_REACH[0], OUTER_REACH[1] + 0.01, 0.5)
    lines, normals = [], []
    for k in range(4):
        base, normal, pts = _across(corners[k], corners[(k + 1) % 4], offsets, corners)
        normals.append(normal)
        inside = np.asarray(((pts >= 0) & (pts <= SIDE - 1)).all(axis=2), bool)
        if inside[:, np.searchsorted(offsets, OUTER_ROOM)].mean() < 0.5:
            # the frame's edge, not a room, lies beyond this side: a screen filmed in a room
            # is seen with the room all round it; this is a panel of a stacked frame (the
            # picture's own steps inside it swung the outline 6-10 pixels of 64)
            return None
        step = np.abs(np.diff(_sample(g, pts), axis=1)) * (inside[:, 1:] & inside[:, :-1])
        strong = step >= OUTER_SHARE * np.median(step.max(axis=1))
        seen = strong.any(axis=1)
        if seen.sum() < 6:
            return None
        last = step.shape[1] - 1 - np.argmax(strong[:, ::-1], axis=1)
        moved = base + ((offsets[last] + offsets[last + 1]) / 2)[:, None] * normal[None]
        lines.append(_line(moved[seen]))
    wider = _meeting(lines)
    if wider is None:
        return None
    # Each corner must stay within the reach searched across both its sides: a side fitted
    # through steps of the picture at one end and of the bezel at the other swings, and its
    # corner lands beyond anything searched (6 pixels of 64 inwards on a stacked panel)
    moved_by = wider.astype(np.float64) - quad
    lo, hi = OUTER_REACH
    for k in range(4):
        for normal in (normals[k - 1], normals[k]):
            if not lo <= float(moved_by[k] @ normal) <= hi:
                return None
    return wider


def _across(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    offsets: NDArray[np.float64],
    corners: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """31 points along the side a-b, its normal (outwards, given the quad's corners) and the
    points across it at `offsets` along that normal (31 x len(offsets) x 2). The points run
    up to the corners: a corner is placed by its two sides' ends most of all."""
    along = b - a
    normal = np.array([-along[1], along[0]]) / max(float(np.linalg.norm(along)), 1e-6)
    if corners is not None and np.dot(normal, (a + b) / 2 - corners.mean(axis=0)) < 0:
        normal = -normal
    base = a[None] + along[None] * np.linspace(0.05, 0.95, 31)[:, None]
    return base, normal, base[:, None, :] + offsets[None, :, None] * normal[None, None, :]


def _line(points: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A point and a direction of the line fitted through points (robust to strays)."""
    vx, vy, x0, y0 = cv2.fitLine(points.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01)
    return np.array([x0[0], y0[0]]), np.array([vx[0], vy[0]])


def _meeting(
    lines: list[tuple[NDArray[np.float64], NDArray[np.float64]]],
) -> NDArray[np.float32] | None:
    """The corners where 4 sides (pixel-centre coordinates) meet, as pixel boundaries."""
    out = []
    for k in range(4):  # corner k lies on side k-1 and side k
        (p1, d1), (p2, d2) = lines[k - 1], lines[k]
        m = np.array([d1, -d2]).T
        if abs(np.linalg.det(m)) < 1e-6:
            return None
        s_ = np.linalg.solve(m, p2 - p1)
        out.append(p1 + s_[0] * d1)
    return (np.array(out) + 0.5).astype(np.float32)


def _peak(step: NDArray[np.float64], offsets: NDArray[np.float64]) -> NDArray[np.float64]:
    """Where each row's strongest step lies, between the sampled offsets: the parabola
    through the strongest step and its two neighbours (a quarter-pixel grid alone leaves
    an eighth of a pixel, a bit or two of pHash on a small screen)."""
    rows = np.arange(len(step))
    j = np.clip(step.argmax(axis=1), 1, step.shape[1] - 2)
    left, centre, right = step[rows, j - 1], step[rows, j], step[rows, j + 1]
    bend = left - 2 * centre + right
    shift = 0.5 * (left - right) / np.where(np.abs(bend) > 1e-6, bend, -1.0)
    spacing = float(offsets[1] - offsets[0])
    return (offsets[j] + offsets[j + 1]) / 2 + np.clip(shift, -0.5, 0.5) * spacing


def _ordered(pts: NDArray[np.float32]) -> NDArray[np.float32]:
    """Top-left, top-right, bottom-right, bottom-left."""
    s, d = pts.sum(axis=1), pts[:, 0] - pts[:, 1]
    return np.array(
        [pts[np.argmin(s)], pts[np.argmax(d)], pts[np.argmax(s)], pts[np.argmin(d)]], np.float32
    )


def _fills_frame(quad: NDArray[np.float32], slack: float = 2.0) -> bool:
    """A quad hugging the frame's own edges is the frame (or its bars), not a screen."""
    near = (quad <= slack) | (quad >= SIDE - slack)
    return bool(near.all(axis=1).sum() >= 3)


def _border_score(
    grey: NDArray[np.uint8], median: NDArray[np.uint8], quad: NDArray[np.float32]
) -> float | None:
    """How strongly the quad's border is an edge: the mean step across it in the median
    frame, when most frames of the run step there too; None when it is no border."""
    centre = quad.mean(axis=0)
    inner = centre + (quad - centre) * 0.88
    outer = centre + (quad - centre) * 1.10
    ti = np.linspace(0, 1, 12, endpoint=False)
    inside, outside = [], []
    for k in range(4):
        a_i, b_i = inner[k], inner[(k + 1) % 4]
        a_o, b_o = outer[k], outer[(k + 1) % 4]
        inside.append(a_i[None] + (b_i - a_i)[None] * ti[:, None])
        outside.append(a_o[None] + (b_o - a_o)[None] * ti[:, None])
    pin, pout = np.concatenate(inside), np.concatenate(outside)
    ok = (pout >= 0).all(axis=1) & (pout <= SIDE - 1).all(axis=1)
    if ok.mean() < 0.5:
        return None
    pin, pout = pin[ok], pout[ok]
    xi, yi = np.rint(pin).astype(int).T
    xo, yo = np.rint(pout).astype(int).T
    step = np.abs(median[yi, xi].astype(np.float32) - median[yo, xo].astype(np.float32))
    if float(step.mean()) < EDGE_STEP:
        return None
    frames = grey[:: max(1, len(grey) // 8)].astype(np.float32)
    each = np.abs(frames[:, yi, xi] - frames[:, yo, xo]).mean(axis=1)
    if float(np.mean(each >= EDGE_STEP / 2)) < EDGE_SHARE:
        return None
    # A screen's pictures move inside its border and the room stays still outside it; a quad
    # cut through the picture has moving picture on both sides.
    moving_in = float(frames[:, yi, xi].std(axis=0).mean())
    moving_out = float(frames[:, yo, xo].std(axis=0).mean())
    inside_share = (moving_in + 1.0) / (moving_in + moving_out + 2.0)
    area = float(cv2.contourArea(quad.reshape(-1, 1, 2)))
    return float(step.mean()) * area**0.5 * inside_share**STILL_ROOM


def keystoned(quad: NDArray[np.float32], tolerance: float = 1.0) -> bool:
    """Whether a screen's corners stray from an upright rectangle by more than `tolerance`
    pixels of 64 (a rectangle is found more precisely by regions.run_inset)."""
    x0, x1 = (quad[0, 0] + quad[3, 0]) / 2, (quad[1, 0] + quad[2, 0]) / 2
    y0, y1 = (quad[0, 1] + quad[1, 1]) / 2, (quad[2, 1] + quad[3, 1]) / 2
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    return bool(np.abs(quad - box).max() > tolerance)


def rectified(grey: NDArray[np.uint8], quad: NDArray[np.float32]) -> NDArray[np.uint8]:
    """N x 64 x 64 frames -> N x 64 x 64 pictures of what the screen shows, made square
    again (linear), from just inside its border (INSIDE_BORDER): a corner a pixel off leaves
    a sliver of bezel or room along a side, which hides the picture's own dark bars from
    regions.run_bars (a library clip's frames are hashed without them)."""
    centre = quad.mean(axis=0)
    inner = centre + (quad - centre) * INSIDE_BORDER
    dst = np.array([[0, 0], [SIDE, 0], [SIDE, SIDE], [0, SIDE]], np.float32) - 0.5
    src = inner - 0.5  # corners are pixel boundaries; OpenCV maps pixel centres
    m = cv2.getPerspectiveTransform(src.astype(np.float32), dst)
    out = np.empty((len(grey), SIDE, SIDE), np.uint8)
    for i, g in enumerate(grey):
        out[i] = cv2.warpPerspective(
            g, m, (SIDE, SIDE), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
    return out


def rectify_to_32(grey: NDArray[np.uint8], quad: NDArray[np.float32]) -> NDArray[np.uint8]:
    """N x 64 x 64 frames -> N x 32 x 32 pictures of what the screen shows (`rectified`),
    pooled like a whole frame."""
    return pool_to_32(rectified(grey, quad))
