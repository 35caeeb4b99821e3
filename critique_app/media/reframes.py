"""Re-frames and split screens: the windows of a picture that copies show on their own.

A 16:9 or 2.39 film re-framed for social media (9:16, 4:5, 1:1) keeps a full-height slice of
each frame and drops the rest; a split screen shows two or three films side by side, each
cropped to its panel or scaled into it. Both are handled where the missing information is:

- Re-frames on the library side. A copy's portrait frame cannot be widened back to the
  original, but the original can be cut to the slice a copy keeps. The slices are computed
  once, when material is added, from the picture's real aspect (a 9:16 slice of a 2.39 film is
  narrower than one of a 16:9 film), so they cost the query nothing. pHash is very sensitive
  to where a narrow slice lies (a shift of 2% of the frame's width moved a 9:16 slice by 16
  bits of 64 on photographs), so slices are taken at the places editors put them: the
  centre, each edge and the quarter points between, at sub-pixel positions.
- Split screens on the query side. Which films a split screen shows is unknown, but its
  panels are where they always are: the halves and thirds of the picture. Each panel (bars
  above and below it removed, for a picture scaled into it) is hashed as its own picture and
  searched on its own, so every panel can be found; a panel cropped from a 16:9 film is
  the library's 8:9 (halves) or 16:27 (thirds) centre slice.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from critique_app.media.fingerprint import GREY_SIZE
from critique_app.media.regions import (
    DARK_FRAME,
    DARK_MAX,
    DARK_MEAN,
    Box,
    _edge,
    _ridge,
    _to_64,
    crop_to_32,
    run_bars,
    run_bounds,
)

# (width / height of the slice, places along the dropped side: 0 left or top, 1 right or bottom)
EDGE_AND_QUARTERS = (0.0, 0.25, 0.5, 0.75, 1.0)
REFRAMES: tuple[tuple[str, float, tuple[float, ...]], ...] = (
    ("9:16", 9 / 16, EDGE_AND_QUARTERS),
    ("4:5", 4 / 5, EDGE_AND_QUARTERS),
    ("1:1", 1.0, EDGE_AND_QUARTERS),
    ("16:27", 16 / 27, (0.5,)),  # a third of a 16:9 split screen
    ("8:9", 8 / 9, (0.5,)),  # half of a 16:9 split screen
)
REFRAME_VARIANTS: tuple[str, ...] = tuple(
    f"reframe{name}@{place:g}" for name, _aspect, places in REFRAMES for place in places
)
DEFAULT_ASPECT = 16 / 9  # what a picture is taken to be when its proportions are unknown


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


def reframe_pictures(grey: NDArray[np.uint8], box: Box, aspect: float) -> list[NDArray[np.uint8]]:
    """One run of 64x64 library frames as each re-frame's 32x32 slice (REFRAME_VARIANTS
    order). `aspect` is the whole 64x64 frame's shown proportions; `box` its picture."""
    shown = aspect * (box.x1 - box.x0) / (box.y1 - box.y0)
    return [
        _as_a_copy_shows_it(grey, reframe_window(box, shown, target, place))
        for _name, target, places in REFRAMES
        for place in places
    ]


def _dark_edge(picture: NDArray[np.uint8]) -> bool:
    """Whether an edge row or column of a run of 32x32 pictures is dark (run_bars' test) in
    every lit one: the only slices in which a copy could find bars."""
    lit = picture.reshape(len(picture), -1).mean(axis=1) > DARK_FRAME
    g = picture[lit]
    edges = (g[:, 0], g[:, -1], g[:, :, 0], g[:, :, -1])
    return bool(len(g)) and any(
        bool(((e.mean(axis=1) <= DARK_MEAN) & (e.max(axis=1) <= DARK_MAX)).all()) for e in edges
    )


def _as_a_copy_shows_it(grey: NDArray[np.uint8], window: Box) -> NDArray[np.uint8]:
    """The window's 32x32 picture without the bars a copy of it alone would be found to
    have: a slice of a dark shot (a lit subject on black, the whole frame too dark to say
    anything about bars) can be lit, and the copy's own frames then lose the black at the
    slice's edge to run_bars (the Earth on black in 9:16 at 0.75, issue 24)."""
    picture = crop_to_32(grey, window)
    if not _dark_edge(picture):  # most slices: no bars, and no second resampling
        return picture
    alone = _to_64(grey, window)
    inner = run_bars(alone)
    return picture if inner.full else crop_to_32(alone, inner)


# The panels of a split screen, as named query pictures searched beside the whole frame.
PANELS: tuple[tuple[str, int, int], ...] = (
    ("half-left", 2, 0),
    ("half-right", 2, 1),
    ("third-left", 3, 0),
    ("third-middle", 3, 1),
    ("third-right", 3, 2),
)
PANEL_NAMES = tuple(name for name, _n, _i in PANELS)
MIN_PANEL_HEIGHT = 0.25  # of the picture: a picture scaled into a third keeps a third


def panel_box(grey: NDArray[np.uint8], box: Box, parts: int, index: int) -> Box:
    """Panel `index` of `parts` side by side in `box`, without the dark rows above and below
    it in every lit frame of the run (a picture scaled into its panel)."""
    w = (box.x1 - box.x0) / parts
    x0, x1 = box.x0 + index * w, box.x0 + (index + 1) * w
    cols = slice(int(np.ceil(x0)), int(np.floor(x1)))
    rows = slice(int(box.y0), int(box.y1))
    g = grey[:, rows, cols].astype(np.int16)
    lit = g.reshape(len(g), -1).mean(axis=1) > DARK_FRAME
    if not lit.any() or g.shape[2] == 0:
        return Box(x0, box.y0, x1, box.y1)
    g = g[lit]
    dark = ((g.mean(axis=2) <= DARK_MEAN) & (g.max(axis=2) <= DARK_MAX)).all(axis=0)
    top = int(np.argmin(dark)) if not dark.all() else 0
    bottom = int(np.argmin(dark[::-1])) if not dark.all() else 0
    height = len(dark) - top - bottom
    if height < MIN_PANEL_HEIGHT * len(dark) or dark.all():
        return Box(x0, box.y0, x1, box.y1)
    if not top and not bottom:
        return Box(x0, box.y0, x1, box.y1)
    # Each bar's edge where the step really is, to a tenth of a pixel (as an inset's sides):
    # a picture of 20 pixels taken half a pixel off gives another pHash.
    steps = np.abs(np.diff(grey[:, :, cols].astype(np.float32), axis=1)).mean(axis=(0, 2))
    y0, y1 = int(box.y0) + top, int(box.y0) + top + height
    return Box(x0, _edge(steps, y0) if top else y0, x1, _edge(steps, y1) if bottom else y1)


def picture_aspect(width: int, height: int) -> float:
    """Shown proportions of a decoded picture (DEFAULT_ASPECT when unknown)."""
    return width / height if width > 0 and height > 0 else DEFAULT_ASPECT


def library_reframes(grey: NDArray[np.uint8], cuts: list[int], aspect: float) -> NDArray[np.uint8]:
    """len(REFRAME_VARIANTS) x N x 32 x 32 slices of 64x64 library frames, bars removed per
    run as for the library's other variants."""
    out = np.empty((len(REFRAME_VARIANTS), len(grey), GREY_SIZE, GREY_SIZE), np.uint8)
    for a, b in run_bounds(len(grey), cuts):
        run = grey[a:b]
        out[:, a:b] = np.stack(reframe_pictures(run, run_bars(run), aspect))
    return out


SEAM_EDGE = 2.0  # grey levels a seam between panels stands above the columns around it
# (measured: 21-24 between two cropped films, 4-5 between three scaled ones; 0-0.9 in
# unrelated footage and in re-framed copies)


def seam_strength(grey: NDArray[np.uint8], box: Box, parts: int) -> float:
    """How much the weakest seam between `parts` panels of `box` stands out over the run:
    the mean step across it minus the steps two columns away, over the lit rows (a picture
    scaled into its panel leaves dark rows that say nothing)."""
    g = grey[:, int(box.y0) : int(box.y1)].astype(np.float32)
    lit = g.mean(axis=(0, 2)) > DARK_MEAN
    if not lit.any():
        return 0.0
    ridge = _ridge(np.abs(np.diff(g[:, lit], axis=2)).mean(axis=0), 1).mean(axis=0)
    w = (box.x1 - box.x0) / parts
    seams = [round(box.x0 + k * w) for k in range(1, parts)]
    return min(float(ridge[max(x - 2, 0) : x + 1].max()) for x in seams)


def film_panels(
    grey: NDArray[np.uint8], cuts: list[int]
) -> tuple[NDArray[np.uint8], NDArray[np.bool_]]:
    """N x len(PANELS) x 32 x 32 panel pictures of 64x64 film frames, per run of frames, and
    where each is a panel: in runs whose seams between halves (thirds) stand out. Elsewhere
    they are not searched: the search stays as fast, and unrelated footage cut in pieces
    gets no more chances to look like something."""
    out = np.zeros((len(grey), len(PANELS), GREY_SIZE, GREY_SIZE), np.uint8)
    present = np.zeros((len(grey), len(PANELS)), bool)
    for a, b in run_bounds(len(grey), cuts):
        run = grey[a:b]
        box = run_bars(run)
        split = {n: seam_strength(run, box, n) >= SEAM_EDGE for n in {p for _, p, _ in PANELS}}
        for k, (_name, parts, index) in enumerate(PANELS):
            if split[parts]:
                out[a:b, k] = crop_to_32(run, panel_box(run, box, parts, index))
                present[a:b, k] = True
    return out, present
