"""Where the picture is inside each small grey frame: bars per run of frames, and an inset.

The film-wide crop (letterbox.py) removes bars that every frame has. Festival copies and
video essays also bring material with bars of its own: an AI insert letterboxed only inside
the insert, a 4:3 shot pillarboxed in a 16:9 film, a picture shown smaller on another
background (picture-in-picture). Both are found here on the 64x64 grey frames the decode
pass already makes (no second decode), per run of frames: a run ends at a cut found in the
same batch, and long shots are split every RUN_FRAMES frames, so bars that come and go
inside a shot are followed.

- Bars: rows and columns at the edges that are dark in every usable frame of the run.
- Inset: the rectangle framed by strong edges in most frames of the run (the border between
  the inset and its background; the frame's own edge may be one or two of its sides). Its
  picture is hashed as a second region.
- Centre: the middle of the picture, clear of subtitles, logos and timecode at the edges. When
  something is burned into the middle itself (static sharp detail over moving pictures: a
  translucent "PRESS COPY", a sticker), the whole picture with it painted over is hashed
  there instead.

A region is resampled to 32x32 (area average, or linear when it is smaller than 32 pixels:
pHash keeps only the lowest 8x8 frequencies, which a 20-pixel inset still holds).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from critique_app.media.fingerprint import GREY_SIZE, pool_to_32
from critique_app.media.screen_in_frame import held_back, keystoned, rectified, run_screen

SIDE = 64  # the grey frames' side
RUN_FRAMES = 48  # a long shot is looked at in runs of this many frames
DARK_MEAN = 24  # the same bar test as letterbox.py, on the small frames
DARK_MAX = 56
MIN_BAR = 2  # pixels of 64 (3%): thinner dark edges are not bars
SCREEN_BAR_SLACK = 2  # pixels of 64 two bars of a filmed screen may differ by
MIN_PICTURE = 0.3  # never keep less than 30% of a side (a pillarboxed phone clip: letterbox.py)
INSET_MIN, INSET_MAX = 18, 52  # inset sides in pixels of 64 (28%-81% of the frame)
INSET_ASPECT = 1.2  # inset width/height (in frame-relative units) within 1/1.2..1.2
INSET_EDGE = 5.0  # grey levels three sides must stand above their surroundings, on average
DARK_FRAME = 16.0  # mean grey under which a frame says nothing about bars


DEFAULT_ASPECT = 16 / 9  # what a picture is taken to be when its proportions are unknown


@dataclass(frozen=True)
class Box:
    """A rectangle of the 64x64 grey frame: columns x0..x1-1, rows y0..y1-1."""

    x0: float  # whole pixels, except an inset's sides (found to a tenth of a pixel)
    y0: float
    x1: float
    y1: float

    @property
    def full(self) -> bool:
        return (self.x0, self.y0, self.x1, self.y1) == (0, 0, SIDE, SIDE)


FULL = Box(0, 0, SIDE, SIDE)


def _leading(flags: NDArray[np.bool_]) -> NDArray[np.int64]:
    """How many True values each row of an N x L array starts with."""
    return np.where(flags.all(axis=1), flags.shape[1], np.argmin(flags, axis=1))


def run_bars(grey: NDArray[np.uint8]) -> Box:
    """The picture inside the bars common to a run of 64x64 grey frames (FULL without bars)."""
    g = grey.astype(np.int16)
    lit = g.reshape(len(g), -1).mean(axis=1) > DARK_FRAME
    if not lit.any():
        return FULL
    g = g[lit]
    rows = (g.mean(axis=2) <= DARK_MEAN) & (g.max(axis=2) <= DARK_MAX)  # N x 64
    cols = (g.mean(axis=1) <= DARK_MEAN) & (g.max(axis=1) <= DARK_MAX)
    top, bottom = int(_leading(rows).min()), int(_leading(rows[:, ::-1]).min())
    left, right = int(_leading(cols).min()), int(_leading(cols[:, ::-1]).min())
    top, bottom, left, right = (v if v >= MIN_BAR else 0 for v in (top, bottom, left, right))
    if SIDE - top - bottom < MIN_PICTURE * SIDE or SIDE - left - right < MIN_PICTURE * SIDE:
        return FULL
    return Box(left, top, SIDE - right, SIDE - bottom)


def screen_bars(shown: NDArray[np.uint8]) -> Box:
    """The bars of a clip shown on a filmed screen (rectified): a letterbox or a pillarbox,
    bars in pairs of about one width. A dark side of the picture alone, darker still at the
    monitor's gamma, is no bar: cut off, it left the rest of a slow zoom over a photograph
    10-30 % wider than the library's frame, 70-120 frames off (issue 24, session 14)."""
    box = run_bars(shown)
    top, bottom, left, right = box.y0, SIDE - box.y1, box.x0, SIDE - box.x1
    rows = _paired(top, bottom)
    cols = _paired(left, right)
    return Box(
        left if cols else 0, top if rows else 0, box.x1 if cols else SIDE, box.y1 if rows else SIDE
    )


def _paired(a: float, b: float) -> bool:
    """Two bars a rectified screen can show: both there, within SCREEN_BAR_SLACK of each
    other (a corner found a pixel off widens one)."""
    return a > 0 and b > 0 and abs(a - b) <= SCREEN_BAR_SLACK + 0.25 * max(a, b)


def _ridge(d: NDArray[np.float32], axis: int) -> NDArray[np.float32]:
    """How much each boundary (or the one after it) stands above the boundaries two away."""
    pad = np.pad(d, ((0, 0), (3, 3)))  # zeros: a border a pixel from the frame's edge counts
    here = np.maximum(pad[:, 3:-3], pad[:, 4:-2])
    around = np.maximum(pad[:, 1:-5], pad[:, 5:-1])
    return np.clip(here - around, 0, None).astype(np.float32)


def _side_sums(edge: NDArray[np.float32], axis: int) -> NDArray[np.float32]:
    """Cumulative sums along `axis` with a leading zero, for sums over any interval."""
    c = np.cumsum(edge, axis=axis, dtype=np.float32)
    pad = [(0, 0), (0, 0)]
    pad[axis] = (1, 0)
    return np.pad(c, pad)


def run_inset(grey: NDArray[np.uint8]) -> Box | None:
    """The rectangle framed by strong edges in most frames of the run, to a tenth of a pixel.

    An inset away from the frame's edges needs three strong sides (the fourth may fade where
    inset and background happen to be alike). An inset that touches one or two edges of the
    frame (a corner, as trailers and video essays place them) needs every other side strong."""
    g = grey.astype(np.float32)
    # Mean step between neighbouring columns (rows) over the run, at each boundary b (between
    # pixels b and b+1). Moving content averages to a smooth field; the border between an
    # inset and its background stays a ridge, one or two boundaries wide (area scaling).
    dx = np.abs(np.diff(g, axis=2)).mean(axis=0)  # 64 x 63
    dy = np.abs(np.diff(g, axis=1)).mean(axis=0)  # 63 x 64
    # The frame's own edges are boundaries -1 and 63: sides an inset may lean on. They are
    # given exactly INSET_EDGE, so that they count as present but never outscore real edges.
    vx = _with_borders(_ridge(dx, 1), axis=1)  # 64 x 65: column j is boundary j-1
    hy = _with_borders(_ridge(dy.T, 1).T, axis=0)  # 65 x 64
    cv = _side_sums(vx, 0)  # 65 x 65: cv[y, j] = sum of vx[:y, j]
    ch = _side_sums(hy, 1)  # 65 x 65
    # A side at least INSET_MIN long that is an edge on average has a stretch of INSET_MIN
    # pixels that nearly is: only boundaries with such a stretch can be sides.
    k = INSET_MIN
    cols = np.flatnonzero(((cv[k:] - cv[:-k]) / k).max(axis=0) >= 0.9 * INSET_EDGE)
    rows = np.flatnonzero(((ch[:, k:] - ch[:, :-k]) / k).max(axis=1) >= 0.9 * INSET_EDGE)
    if len(cols) < 2 or len(rows) < 2:
        return None
    # index j = boundary j-1: a box starts at pixel j and ends before pixel j'
    lb, rb = np.meshgrid(cols, cols, indexing="ij")
    w = rb - lb
    ok = (w >= INSET_MIN) & (w <= INSET_MAX)
    lb, rb, w = lb[ok], rb[ok], w[ok]
    tb, bb = np.meshgrid(rows, rows, indexing="ij")
    h = bb - tb
    ok = (h >= INSET_MIN) & (h <= INSET_MAX)
    tb, bb, h = tb[ok], bb[ok], h[ok]
    if not len(w) or not len(h):
        return None
    x0, x1, wc = lb[None, :], rb[None, :], w[None, :]
    y0, y1, hc = tb[:, None], bb[:, None], h[:, None]
    left = (cv[y1, x0] - cv[y0, x0]) / hc
    right = (cv[y1, x1] - cv[y0, x1]) / hc
    top = (ch[y0, x1] - ch[y0, x0]) / wc
    bottom = (ch[y1, x1] - ch[y1, x0]) / wc
    sides = np.stack([left, right, top, bottom])
    borders = (x0 == 0).astype(int) + (x1 == SIDE) + (y0 == 0) + (y1 == SIDE)
    ranked = np.sort(sides, axis=0)
    valid = np.where(borders == 0, ranked[1] >= INSET_EDGE, ranked[0] >= INSET_EDGE)
    valid &= borders <= 2
    valid &= (wc <= hc * INSET_ASPECT) & (hc <= wc * INSET_ASPECT)
    if not valid.any():
        return None
    # Among the boxes that qualify, the one whose four sides stand out most.
    score = np.where(valid, sides.sum(axis=0), -1.0)
    i, j = np.unravel_index(int(np.argmax(score)), score.shape)
    bx0, bx1, by0, by1 = int(lb[j]), int(rb[j]), int(tb[i]), int(bb[i])
    # Each side where the step really is, to a tenth of a pixel: an inset of 20 pixels placed
    # half a pixel off gives another pHash.
    return Box(
        _edge(dx[by0:by1].mean(axis=0), bx0),
        _edge(dy[:, bx0:bx1].mean(axis=1), by0),
        _edge(dx[by0:by1].mean(axis=0), bx1),
        _edge(dy[:, bx0:bx1].mean(axis=1), by1),
    )


def _with_borders(ridge: NDArray[np.float32], axis: int) -> NDArray[np.float32]:
    pad = [(0, 0), (0, 0)]
    pad[axis] = (1, 1)
    return np.pad(ridge, pad, constant_values=INSET_EDGE)


def _edge(profile: NDArray[np.float32], at: int) -> float:
    """Where a step lies near pixel position `at` (0 and SIDE are the frame's own edges):
    the centroid of the steps at the boundaries around it, above their surroundings. A pixel
    that is part inset, part background splits the step between its two boundaries."""
    if at <= 0 or at >= SIDE:
        return float(at)
    near = np.arange(at - 2, at + 2)  # boundaries b (position b+1) around position `at`
    near = near[(near >= 0) & (near < len(profile))]
    far = np.array([at - 4, at - 3, at + 2, at + 3])
    far = far[(far >= 0) & (far < len(profile))]
    base = float(np.median(profile[far])) if len(far) else 0.0
    weight = np.clip(profile[near] - base, 0, None)
    if weight.sum() <= 1e-6:
        return float(at)
    return round(float((weight * (near + 1)).sum() / weight.sum()), 1)


def _resample_matrix(
    lo: float, hi: float, out: int = GREY_SIZE, side: int = SIDE
) -> NDArray[np.float64]:
    """out x `side` weights taking the span lo..hi (pixel p covers p..p+1) to `out` pixels
    (area, or linear upscaling)."""
    n = hi - lo
    m = np.zeros((out, side), np.float64)
    if n >= out:
        edges = lo + np.arange(out + 1) * n / out
        for j in range(out):
            a, b = edges[j], edges[j + 1]
            for p in range(int(np.floor(a)), min(int(np.ceil(b)), side)):
                m[j, p] = min(b, p + 1) - max(a, p)
            m[j] /= m[j].sum()
    else:
        centres = lo - 0.5 + (np.arange(out) + 0.5) * n / out
        centres = np.clip(centres, max(lo - 0.5, 0), min(hi - 0.5, side - 1))
        left = np.floor(centres).astype(int)
        frac = centres - left
        right = np.minimum(left + 1, side - 1)
        m[np.arange(out), left] += 1 - frac
        m[np.arange(out), right] += frac
    return m


def crop_to_32(grey: NDArray[np.uint8], box: Box) -> NDArray[np.uint8]:
    """N x 64 x 64 frames -> N x 32 x 32 pictures of the box (pool_to_32 when it is FULL)."""
    if box.full:
        return pool_to_32(grey)
    ry = _matrix(box.y0, box.y1, GREY_SIZE)
    rx = _matrix(box.x0, box.x1, GREY_SIZE)
    out = np.matmul(np.matmul(ry, grey.astype(np.float32)), rx.T)  # two small BLAS products
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def crops_to_32(grey: NDArray[np.uint8], boxes: list[Box]) -> NDArray[np.uint8]:
    """N x H x W frames of any size (the boxes in their pixels) -> len(boxes) x N x 32 x 32
    pictures, resampled as crop_to_32 does. Each span of rows is resampled once for all the
    boxes sharing it, and every product is one 2D BLAS call: as many stacked small products
    as crop_to_32 makes took 0.45 s a window for 150 frames of 256x64 (a busy machine)."""
    n, h, w = grey.shape
    frames = grey.astype(np.float32).transpose(1, 0, 2).reshape(h, n * w)
    out = np.empty((len(boxes), n, GREY_SIZE, GREY_SIZE), np.uint8)
    rows: dict[tuple[float, float], NDArray[np.float32]] = {}
    for k, box in enumerate(boxes):
        span = (box.y0, box.y1)
        if span not in rows:
            lines = _matrix(box.y0, box.y1, GREY_SIZE, h) @ frames  # 32 x N*W
            rows[span] = lines.reshape(GREY_SIZE, n, w).transpose(1, 0, 2).reshape(-1, w)
        picture = rows[span] @ _matrix(box.x0, box.x1, GREY_SIZE, w).T  # N*32 x 32
        out[k] = np.clip(np.rint(picture), 0, 255).astype(np.uint8).reshape(n, GREY_SIZE, -1)
    return out


@functools.lru_cache(maxsize=1024)
def _matrix(lo: float, hi: float, out: int, side: int = SIDE) -> NDArray[np.float32]:
    # Bounded: inset sides fall on tenths of a pixel, so a long film meets thousands of spans.
    return _resample_matrix(lo, hi, out, side).astype(np.float32)


def run_bounds(count: int, cuts: list[int], run: int = RUN_FRAMES) -> list[tuple[int, int]]:
    """Runs [a, b) covering 0..count: split at every cut and every `run` frames in between."""
    edges = sorted({0, count, *(c for c in cuts if 0 < c < count)})
    out = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        pieces = max(1, round((b - a) / run))
        bounds = [a + round(i * (b - a) / pieces) for i in range(pieces + 1)]
        out += list(zip(bounds[:-1], bounds[1:], strict=True))
    return out


@dataclass(frozen=True)
class FramePictures:
    """What each frame's hashes are taken from."""

    picture: NDArray[np.uint8]  # N x 32 x 32, bars removed
    inset: NDArray[np.uint8]  # N x 32 x 32, the inset's picture (zeros where none)
    has_inset: NDArray[np.bool_]
    centre: NDArray[np.uint8]  # N x 32 x 32, the middle (CENTRE), or the picture cleaned of
    # what is burned into its middle (without_overlays)
    inset_middle: NDArray[np.uint8]  # N x 32 x 32, the inset's second picture (middle_slice)
    has_inset_middle: NDArray[np.bool_]  # not for a filmed screen, rectified or square-on
    screen_middle: NDArray[np.uint8]  # N x 32 x 32, a filmed screen's middle (middle_slice)
    has_screen_middle: NDArray[np.bool_]
    screen: NDArray[np.float32] | None = None  # the last run's screen, for the next batch


def frame_pictures(
    grey: NDArray[np.uint8],
    cuts: list[int],
    *,
    insets: bool = True,
    aspect: float = DEFAULT_ASPECT,
    screen: NDArray[np.float32] | None = None,
) -> FramePictures:
    """Bars removed per run, and the inset of each run where one is framed by edges (with
    its second picture; `aspect`: the frames' shown proportions).
    `screen`: the screen of the batch before, when the same shot goes on into this one (a
    batch ends wherever 256 frames do, not where the shot does)."""
    n = len(grey)
    picture = np.empty((n, GREY_SIZE, GREY_SIZE), np.uint8)
    inset = np.zeros((n, GREY_SIZE, GREY_SIZE), np.uint8)
    inset_middle = np.zeros((n, GREY_SIZE, GREY_SIZE), np.uint8)
    has_middle = np.zeros(n, bool)
    screen_middle = np.zeros((n, GREY_SIZE, GREY_SIZE), np.uint8)
    has_screen_middle = np.zeros(n, bool)
    centre = np.empty((n, GREY_SIZE, GREY_SIZE), np.uint8)
    has = np.zeros(n, bool)
    bounds = run_bounds(n, cuts)
    screens = _screens(grey, bounds, cuts, screen) if insets else [None] * len(bounds)
    for (a, b), screen in zip(bounds, screens, strict=True):
        run = grey[a:b]
        box = run_bars(run)
        picture[a:b] = crop_to_32(run, box)
        cleaned = without_overlays(run, box)
        centre[a:b] = (
            crop_to_32(run, centre_of(box)) if cleaned is None else crop_to_32(cleaned, box)
        )
        if insets:
            found = run_inset(run)
            # a screen filmed in the frame (keystone wins over a box)
            if (
                screen is not None
                and not _bars_again(screen, box)  # the bars' picture: `picture` holds it
                and (found is None or _same(found, box) or keystoned(screen))
            ):
                shown = rectified(run, screen)  # without the bars the library drops too
                bars = screen_bars(shown)
                inset[a:b] = crop_to_32(shown, bars)
                has[a:b] = True
                # a monitor is taken to be 16:9 (DEFAULT_ASPECT): its picture's proportions
                # are lost where it is rectified to a square
                middle = middle_slice(bars, DEFAULT_ASPECT)
                if middle is not None:
                    screen_middle[a:b] = crop_to_32(shown, middle)
                    has_screen_middle[a:b] = True
            elif found is not None and not _same(found, box):
                inset[a:b] = crop_to_32(run, found)
                has[a:b] = True
                # a screen filmed square-on is taken by its box: still a filmed screen,
                # whose middle (gamma, moire, the phone's blur) is 8-12 bits from the
                # library's centre slice where the whole screen is 4 (issue 24, session 13):
                # it is a screen's middle, asked only beyond MEDIAN_THRESHOLD (session 15)
                middle = middle_slice(found, aspect)
                if middle is not None:
                    into, where = (
                        (inset_middle, has_middle)
                        if screen is None
                        else (screen_middle, has_screen_middle)
                    )
                    into[a:b] = crop_to_32(run, middle)
                    where[a:b] = True
    last = screens[-1] if screens else screen
    return FramePictures(
        picture,
        inset,
        has,
        centre,
        inset_middle,
        has_middle,
        screen_middle,
        has_screen_middle,
        last,
    )


def _screens(
    grey: NDArray[np.uint8],
    bounds: list[tuple[int, int]],
    cuts: list[int],
    screen: NDArray[np.float32] | None,
) -> list[NDArray[np.float32] | None]:
    """The filmed screen of each run, held through a shot both ways: carried forward from
    the run before, then back from the run after where that one's border is the stronger."""
    screens = []
    for a, b in bounds:
        screen = run_screen(grey[a:b], None if a in cuts else screen)
        screens.append(screen)
    for j in range(len(bounds) - 2, -1, -1):
        if bounds[j + 1][0] not in cuts:
            a, b = bounds[j]
            screens[j] = held_back(grey[a:b], screens[j], screens[j + 1])
    return screens


# The middle of a picture, clear of what copies burn in: subtitles (bottom fifth), logos and
# timecode (corners), a channel's bug. Hashed on both sides (film frames and library frames).
CENTRE = (0.14, 0.14, 0.86, 0.80)


OVERLAY_ENERGY = 4.0  # grey levels of static sharpness from which a pixel is burned in
OVERLAY_MAX = 0.4  # more of the picture than this "burned in": a still shot, not an overlay
OVERLAY_IN_CENTRE = 0.02  # share of the centre an overlay must cover to be removed


def overlay_energy(grey: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Where a run has sharp detail that does not move: burned-in text, logos, stickers.

    Detail of moving pictures averages out in the run's mean picture; what is burned in stays
    sharp there. The energy is that sharpness, minus half of what single frames have anyway,
    so that a still shot does not look burned in everywhere."""
    g = grey.astype(np.float32)
    mean = g.mean(axis=0)
    static = np.abs(mean - _blur(mean[None], 2)[0])
    some = g[:: max(1, len(g) // 8)]  # what single frames have: eight of them tell it
    each = np.abs(some - _blur(some, 2)).mean(axis=0)
    return np.clip(static - 0.5 * each, 0, None)


def without_overlays(grey: NDArray[np.uint8], box: Box) -> NDArray[np.uint8] | None:
    """The run with what is burned into the middle of its picture (a translucent "PRESS
    COPY", a sticker) painted over from the pixels around it, or None when there is nothing
    there. Its whole picture is then hashed into the frames' "centre" slot: the centre
    window cannot step around an overlay that sits in the centre, and at pHash's 8x8
    frequencies the painted picture is close to the original's."""
    if len(grey) < 8:  # too few frames to tell burned-in from filmed
        return None
    energy = overlay_energy(grey)
    inside = np.zeros(energy.shape, bool)  # the picture, not its bars' edges
    x0, y0, x1, y1 = (int(round(v)) for v in (box.x0, box.y0, box.x1, box.y1))
    inside[y0 + 1 : y1 - 1, x0 + 1 : x1 - 1] = True
    burned = (energy > max(OVERLAY_ENERGY, 3 * float(np.median(energy[inside])))) & inside
    burned = (_blur(burned[None].astype(np.float32), 1)[0] > 0) & inside  # their soft edges
    share = burned[inside].mean()
    c = centre_of(box)
    middle = burned[int(c.y0) : int(c.y1), int(c.x0) : int(c.x1)].mean()
    if share > OVERLAY_MAX or middle < OVERLAY_IN_CENTRE:
        return None
    g = grey.astype(np.float32)
    keep = (~burned).astype(np.float32)
    kept = g * keep[None]
    out, done = g.copy(), np.zeros(burned.shape, bool)
    for r in (2, 4, 8, 16):  # nearest first: a wider ring only where a narrow one is empty
        weight = _blur(keep[None], r)[0]
        fill = burned & ~done & (weight > 0.3)
        if fill.any():
            out[:, fill] = _blur(kept, r)[:, fill] / weight[fill]
            done |= fill
        if done[burned].all():
            break
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _blur(x: NDArray[np.float32], r: int) -> NDArray[np.float32]:
    """Mean of N x H x W pictures over a (2r+1)^2 window (at the edges, of its part inside)."""
    k = 2 * r + 1

    def window_sums(a: NDArray[np.float32]) -> NDArray[np.float32]:
        c = np.pad(a, ((0, 0), (r + 1, r), (r + 1, r))).cumsum(1).cumsum(2)
        return c[:, k:, k:] - c[:, :-k, k:] - c[:, k:, :-k] + c[:, :-k, :-k]

    count = window_sums(np.ones((1, *x.shape[1:]), np.float32))
    return (window_sums(x) / count).astype(np.float32)


def reframe_window(box: Box, aspect: float, target: float, place: float) -> Box:
    """The largest window of proportions `target` inside `box` (a picture shown at `aspect`,
    width / height), at `place` along the side it shortens; sub-pixel, as pHash needs."""
    w, h = box.x1 - box.x0, box.y1 - box.y0
    if target < aspect:
        cw = w * target / aspect
        x = box.x0 + place * (w - cw)
        return Box(x, box.y0, x + cw, box.y1)
    ch = h * aspect / target
    y = box.y0 + place * (h - ch)
    return Box(box.x0, y, box.x1, y + ch)


# The second picture of a panel or an inset (issue 24, session 12): its middle, full height,
# at 9:16, which is the library's 9:16 centre slice whenever the panel or inset shows a
# picture scaled into it or the centre of one cropped to a slice wider than 9:16 (the halves
# of a split screen, the 9:8 halves of a 9:16 stack). A second pHash of another window at
# another scale, compared with the same library frame, as the whole frame and its centre
# confirm each other. A panel wider than MIDDLE_WIDEST (a 16:9 film's top half, cropped) has
# no such slice in the library: it keeps no second picture.
MIDDLE_SLICE = 9 / 16
MIDDLE_WIDEST = 2.0  # shown width / height: a 16:9 picture, and a little more
MIDDLE_NARROWEST = 9.0  # pixels of the 64 hashed: a 16:9 picture scaled into a third of a
# split screen leaves 7, and its middle then missed a true passage (tests/fingerprint)


def middle_slice(box: Box, aspect: float) -> Box | None:
    """The second picture of `box` (a panel or an inset of a 64x64 frame shown at `aspect`,
    width / height), or None when the library has no counterpart of it."""
    shown = aspect * (box.x1 - box.x0) / (box.y1 - box.y0)
    middle = reframe_window(box, shown, MIDDLE_SLICE, 0.5)
    if shown > MIDDLE_WIDEST or middle.x1 - middle.x0 < MIDDLE_NARROWEST:
        return None
    return middle


def centre_of(box: Box) -> Box:
    w, h = box.x1 - box.x0, box.y1 - box.y0
    x0, y0, x1, y1 = CENTRE
    return Box(
        box.x0 + round(w * x0),
        box.y0 + round(h * y0),
        box.x0 + round(w * x1),
        box.y0 + round(h * y1),
    )


def _bars_again(screen: NDArray[np.float32], box: Box) -> bool:
    """A screen that is an upright rectangle where the bars end is the bars' picture."""
    (x0, y0), (x1, y1) = screen.min(axis=0), screen.max(axis=0)
    return not keystoned(screen) and _same(Box(x0, y0, x1, y1), box)


def _same(a: Box, b: Box, slack: int = 3) -> bool:
    """An inset that is just the picture inside bars adds nothing."""
    return all(
        abs(p - q) <= slack
        for p, q in zip((a.x0, a.y0, a.x1, a.y1), (b.x0, b.y0, b.x1, b.y1), strict=True)
    )


# Library-side variants: a copy cropped by 5-20% (anywhere in the frame, zoomed back or
# stretched) lies close to one of these windows; a copy turned by a few degrees (black
# corners, as editors' tools leave them) close to one of the rotations.
CROP_KEEPS = (0.9, 0.8)
CROP_PLACES = (0.0, 0.5, 1.0)
ROTATIONS = (-4.0, 4.0)
CENTRE_CROP = 0.86  # the centre of copies cropped off-centre (subtitles burned in after)
LIBRARY_VARIANTS: tuple[str, ...] = (
    *(
        f"crop{round((1 - k) * 100)}@{px:g},{py:g}"
        for k in CROP_KEEPS
        for py in CROP_PLACES
        for px in CROP_PLACES
    ),
    *(f"rotate{a:+g}" for a in ROTATIONS),
    *(f"centre-of-crop{round((1 - k) * 100)}" for k in (1.0, *CROP_KEEPS)),
    *(
        f"centre-of-crop{round((1 - CENTRE_CROP) * 100)}@{px:g},{py:g}"
        for py in CROP_PLACES
        for px in CROP_PLACES
        if (px, py) != (0.5, 0.5)
    ),
)


def _window(box: Box, keep: float, px: float, py: float) -> Box:
    w, h = box.x1 - box.x0, box.y1 - box.y0
    cw, ch = round(w * keep), round(h * keep)
    x, y = box.x0 + round(px * (w - cw)), box.y0 + round(py * (h - ch))
    return Box(x, y, x + cw, y + ch)


def _rotation_taps(angle: float) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Bilinear taps (4 source pixels and weights per output pixel) turning a 64x64 frame
    by `angle` degrees about its centre, black outside (an index of SIDE*SIDE)."""
    t = np.deg2rad(angle)
    c = (SIDE - 1) / 2
    yy, xx = np.mgrid[0:SIDE, 0:SIDE].astype(np.float64)
    # The frame is shown 16:9: turn in display proportions, not in the square grid.
    aspect = 16 / 9
    dx, dy = (xx - c) * aspect, yy - c
    sx = (np.cos(t) * dx - np.sin(t) * dy) / aspect + c
    sy = np.sin(t) * dx + np.cos(t) * dy + c
    x0, y0 = np.floor(sx).astype(np.int64), np.floor(sy).astype(np.int64)
    fx, fy = sx - x0, sy - y0
    index, weight = [], []
    for ox, oy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                      (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):  # fmt: skip
        x, y = x0 + ox, y0 + oy
        inside = (x >= 0) & (x < SIDE) & (y >= 0) & (y < SIDE)
        index.append(np.where(inside, y * SIDE + x, SIDE * SIDE).ravel())
        weight.append(w.ravel().astype(np.float32))
    return np.stack(index), np.stack(weight)


_TAPS = {a: _rotation_taps(a) for a in ROTATIONS}


def rotate_64(grey: NDArray[np.uint8], angle: float) -> NDArray[np.uint8]:
    """N x 64 x 64 frames turned by one of ROTATIONS (black corners)."""
    index, weight = _TAPS[angle]
    flat = np.concatenate(
        [grey.reshape(len(grey), -1).astype(np.float32), np.zeros((len(grey), 1), np.float32)],
        axis=1,
    )
    out = (flat[:, index] * weight[None]).sum(axis=1)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8).reshape(len(grey), SIDE, SIDE)


def library_pictures(
    grey: NDArray[np.uint8], cuts: list[int]
) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """Library frames (64x64 grey) as 32x32 pictures without their bars, and K x N x 32 x 32
    variants (LIBRARY_VARIANTS), paid once when material is added so that a crop or a slight
    rotation costs the query nothing."""
    n = len(grey)
    picture = np.empty((n, GREY_SIZE, GREY_SIZE), np.uint8)
    variants = np.empty((len(LIBRARY_VARIANTS), n, GREY_SIZE, GREY_SIZE), np.uint8)
    for a, b in run_bounds(n, cuts):
        run = grey[a:b]
        box = run_bars(run)
        picture[a:b] = crop_to_32(run, box)
        k = 0
        for keep in CROP_KEEPS:
            for py in CROP_PLACES:
                for px in CROP_PLACES:
                    variants[k, a:b] = crop_to_32(run, _window(box, keep, px, py))
                    k += 1
        inner = run if box.full else _to_64(run, box)
        for angle in ROTATIONS:
            variants[k, a:b] = pool_to_32(rotate_64(inner, angle))
            k += 1
        for keep in (1.0, *CROP_KEEPS):  # what a copy's centre shows, uncropped or cropped
            variants[k, a:b] = crop_to_32(run, centre_of(_window(box, keep, 0.5, 0.5)))
            k += 1
        for py in CROP_PLACES:
            for px in CROP_PLACES:
                if (px, py) != (0.5, 0.5):
                    window = _window(box, CENTRE_CROP, px, py)
                    variants[k, a:b] = crop_to_32(run, centre_of(window))
                    k += 1
    return picture, variants


def _to_64(grey: NDArray[np.uint8], box: Box) -> NDArray[np.uint8]:
    """The box's picture resampled to 64x64."""
    out = np.matmul(np.matmul(_matrix(box.y0, box.y1, SIDE), grey.astype(np.float32)),
                    _matrix(box.x0, box.x1, SIDE).T)  # fmt: skip
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)
