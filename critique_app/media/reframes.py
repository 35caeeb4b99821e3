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
  the library's 8:9 (halves) or 16:27 (thirds) centre slice. Panels stacked top and bottom
  (a film above, a reaction below, as a 16:9 film re-framed to 9:16 often shows) and the
  quarters of a 2x2 grid are found the same way, with the seam found across the rows: a
  half-height panel cropped from a 16:9 film is the library's 32:9 centre slice (in a 16:9
  frame) or 9:8 one (in a 9:16 frame); a picture scaled into it is the whole picture once
  the dark rows and columns around it are removed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from critique_app.media.fingerprint import GREY_SIZE, MIN_CONTRAST, contrast
from critique_app.media.grey_frames import Crop
from critique_app.media.regions import (
    DARK_FRAME,
    DARK_MAX,
    DARK_MEAN,
    DEFAULT_ASPECT,
    FULL,
    MIDDLE_SLICE,
    MIN_BAR,
    SIDE,
    Box,
    _edge,
    _ridge,
    _to_64,
    crop_to_32,
    middle_slice,
    reframe_window,
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
    ("32:9", 32 / 9, (0.5,)),  # the top or bottom half of a 16:9 split screen
    ("9:8", 9 / 8, (0.5,)),  # the top or bottom half of a 9:16 one
)
REFRAME_VARIANTS: tuple[str, ...] = tuple(
    f"reframe{name}@{place:g}" for name, _aspect, places in REFRAMES for place in places
)
# The slices of split screens' panels (cropped from the frame, not from the picture).
SPLIT_SLICES = ("16:27", "8:9", "32:9", "9:8")
# The slices only split screens stacked top and bottom need (added after the others).
STACKED_SLICES = tuple(v for v in REFRAME_VARIANTS if v.startswith(("reframe32:9@", "reframe9:8@")))


def reframe_pictures(
    grey: NDArray[np.uint8], box: Box, aspect: float, frame: Box = FULL
) -> list[NDArray[np.uint8]]:
    """One run of 64x64 library frames as each re-frame's 32x32 slice (REFRAME_VARIANTS
    order). `aspect` is the whole 64x64 frame's shown proportions; `box` its picture;
    `frame` the decoded frame before the film's bars were cropped, in the same grid."""
    return [_as_a_copy_shows_it(grey, w) for w in reframe_windows(box, aspect, frame)]


def shown_at(box: Box, aspect: float) -> float:
    """The shape (width / height) of what `box` of the 64x64 grid of a picture shown at
    `aspect` shows: the grid is square, the picture is not."""
    return aspect * (box.x1 - box.x0) / (box.y1 - box.y0)


def reframe_windows(box: Box, aspect: float, frame: Box = FULL) -> list[Box]:
    """Where each re-frame's slice (REFRAME_VARIANTS order) lies on the 64x64 grid of a
    picture `box` shown at `aspect`, in the decoded `frame` (as for reframe_pictures)."""
    placed = placed_in(box, frame)
    out = []
    for name, target, places in REFRAMES:
        # A split screen's panel is cut from the decoded frame, bars and all, and shows what
        # of the picture falls in it: the street footage of issue 24 (2.35 letterboxed in
        # 16:9) cropped into a 9:8 panel shows its picture at 1.49, not the 9:8 slice of the
        # picture without its bars (14 bits apart).
        around = frame if name in SPLIT_SLICES else placed
        shown = shown_at(around, aspect)
        out += [_on_the_grid(reframe_window(around, shown, target, p)) for p in places]
    return out


def whole_frame(width: int, height: int, crop: Crop | None) -> Box:
    """The decoded frame (width x height) in the 64x64 grid of its picture cropped to `crop`:
    FULL without a crop, wider or taller than the grid with one."""
    if crop is None:
        return FULL
    sx, sy = SIDE / crop.width, SIDE / crop.height
    return Box(-crop.x * sx, -crop.y * sy, (width - crop.x) * sx, (height - crop.y) * sy)


def placed_in(box: Box, frame: Box) -> Box:
    """Where a copy places its slices: in the picture inside its bars, but along a side whose
    dark edge is one-sided, in the whole frame. Bars are centred; a dark edge on one side
    only is dark picture (the product shots of issue 24 are dark on their right, a fifth of
    the frame), which an editor's 9:16 crop of the frame's centre keeps: placed in the
    picture without it, the centre slice lay at 0.63 of it, between the stored places, and
    every frame was 12-30 bits away."""

    def one_sided(before: float, after: float) -> bool:
        return abs(before - after) > max(before, after) / 2

    x0, x1 = (
        (frame.x0, frame.x1)
        if one_sided(box.x0 - frame.x0, frame.x1 - box.x1)
        else (box.x0, box.x1)
    )
    y0, y1 = (
        (frame.y0, frame.y1)
        if one_sided(box.y0 - frame.y0, frame.y1 - box.y1)
        else (box.y0, box.y1)
    )
    return Box(x0, y0, x1, y1)


def _on_the_grid(window: Box) -> Box:
    """The part of a window that lies on the 64x64 grid (the rest was cropped as dark)."""
    return Box(max(window.x0, 0), max(window.y0, 0), min(window.x1, SIDE), min(window.y1, SIDE))


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


# The panels of a split screen, as named query pictures searched beside the whole frame:
# (name, columns, rows, column, row) of the grid the picture is cut into.
PANELS: tuple[tuple[str, int, int, int, int], ...] = (
    ("half-left", 2, 1, 0, 0),
    ("half-right", 2, 1, 1, 0),
    ("third-left", 3, 1, 0, 0),
    ("third-middle", 3, 1, 1, 0),
    ("third-right", 3, 1, 2, 0),
    ("half-top", 1, 2, 0, 0),
    ("half-bottom", 1, 2, 0, 1),
    ("quarter-top-left", 2, 2, 0, 0),
    ("quarter-top-right", 2, 2, 1, 0),
    ("quarter-bottom-left", 2, 2, 0, 1),
    ("quarter-bottom-right", 2, 2, 1, 1),
)
PANEL_NAMES = tuple(name for name, *_grid in PANELS)
MIN_PANEL_HEIGHT = 0.25  # of the picture: a picture scaled into a third keeps a third


def across(grey: NDArray[np.uint8], box: Box) -> tuple[NDArray[np.uint8], Box]:
    """The frames and box turned a quarter (rows become columns): what is found between
    panels side by side is then found between panels stacked top and bottom."""
    return grey.transpose(0, 2, 1), Box(box.y0, box.x0, box.y1, box.x1)


def without_dark_rows(grey: NDArray[np.uint8], cell: Box) -> Box:
    """`cell` without the dark rows above and below it in every lit frame of the run (a
    picture scaled into its panel)."""
    x0, x1 = cell.x0, cell.x1
    cols = slice(int(np.ceil(x0)), int(np.floor(x1)))
    first = int(np.ceil(cell.y0))
    rows = slice(first, int(np.floor(cell.y1)))
    g = grey[:, rows, cols].astype(np.int16)
    lit = g.reshape(len(g), -1).mean(axis=1) > DARK_FRAME
    if not lit.any() or g.shape[2] == 0:
        return cell
    g = g[lit]
    dark = ((g.mean(axis=2) <= DARK_MEAN) & (g.max(axis=2) <= DARK_MAX)).all(axis=0)
    top = int(np.argmin(dark)) if not dark.all() else 0
    bottom = int(np.argmin(dark[::-1])) if not dark.all() else 0
    height = len(dark) - top - bottom
    if height < MIN_PANEL_HEIGHT * len(dark) or dark.all():
        return cell
    if not top and not bottom:
        return cell
    # Each bar's edge where the step really is, to a tenth of a pixel (as an inset's sides):
    # a picture of 20 pixels taken half a pixel off gives another pHash.
    steps = np.abs(np.diff(grey[:, :, cols].astype(np.float32), axis=1)).mean(axis=(0, 2))
    y0, y1 = first + top, first + top + height
    return Box(x0, _edge(steps, y0) if top else cell.y0, x1, _edge(steps, y1) if bottom else y1)


def _whole_pixels(grey: NDArray[np.uint8], box: Box) -> NDArray[np.uint8]:
    """The run's pixels lying wholly inside `box` (frames x rows x columns)."""
    rows = slice(int(np.ceil(box.y0)), int(np.floor(box.y1)))
    return grey[:, rows, int(np.ceil(box.x0)) : int(np.floor(box.x1))]


def lit(grey: NDArray[np.uint8], box: Box) -> bool:
    """Whether a frame of the run is bright enough in `box` to say anything about bars."""
    g = _whole_pixels(grey, box)
    return bool(g.size) and bool((g.reshape(len(g), -1).mean(axis=1) > DARK_FRAME).any())


def confirmed_by_middle(grey: NDArray[np.uint8], panel: Box, aspect: float) -> bool:
    """Whether a panel's middle (regions.middle_slice) can confirm it. Not in a panel too
    dark to say anything about bars whose middle is a slice of its full height: the library
    keeps a picture that dark whole, but cuts the black above and below its subject off its
    9:16 slice as a copy of that slice alone would lose it, and which rows of a few grey
    levels the copy's middle loses, its scaling and compression decide (the Earth on black
    of issue 24: 14-24 bits from the library's slice scaled whole into a panel, 10-16 cropped
    into a 9:16 stack, against 0-2 for the panel itself). Such a panel stands on its own
    picture, as the whole frame does. A panel narrower than the slice has a middle that is
    a band across it, not the library's slice, and keeps it: without it, a dark shot's
    half of a 9:16 frame came within 4-6 bits of the Earth (session 13)."""
    shown = shown_at(panel, aspect)
    return shown <= MIDDLE_SLICE or lit(grey, panel)


def its_own_middle(panel: Box, aspect: float) -> bool:
    """Whether a panel's middle (regions.middle_slice) is the panel itself, within half a
    pixel: a 9:16 panel (a quarter of a 9:16 frame) has no second picture to ask."""
    shown = shown_at(panel, aspect)
    middle = reframe_window(panel, shown, MIDDLE_SLICE, 0.5)
    return (panel.x1 - panel.x0) - (middle.x1 - middle.x0) < 0.5 and (
        (panel.y1 - panel.y0) - (middle.y1 - middle.y0) < 0.5
    )


def worth_searching(grey: NDArray[np.uint8], panel: Box, aspect: float) -> bool:
    """Whether a panel is searched: not when no frame of the run is lit in it (its bars
    cannot be found) and its middle is itself (nothing can confirm it). A quarter of a 9:16
    stack whose top film was dim (a real clip) kept its bars and the dark half of that film:
    black with a lit sliver at one edge, 4-14 bits from the Earth's first frames (nearly
    black) in the library's 9:16 slice, for 7 frames (issue 24, session 14). Its half of the
    stack is searched as before."""
    return lit(grey, panel) or not its_own_middle(panel, aspect)


NARROWEST_FILM = 4 / 3  # a film scaled whole into a panel is at least this wide


def cut_from_a_dark_picture(grey: NDArray[np.uint8], cell: Box, panel: Box, aspect: float) -> bool:
    """Whether the lit `panel` found in `cell` is a crop of a picture too dark as a whole for
    run_bars (the whole 64x64 frame shown at `aspect`): narrower than any film scaled whole
    into it, and the cell's light, spread over the 16:9 picture of its height it was cut
    from, under DARK_FRAME in every frame. The dark rows (columns) cut off such a panel are
    its picture's own black, which the library does not cut off its frames (issue 24, the
    Earth on black cropped into a panel)."""
    shown = shown_at(panel, aspect)
    if shown >= NARROWEST_FILM or not lit(grey, panel):
        return False
    cell_shown = shown_at(cell, aspect)
    g = _whole_pixels(grey, cell)
    spread = g.reshape(len(g), -1).mean(axis=1) * min(cell_shown / DEFAULT_ASPECT, 1.0)
    return bool((spread <= DARK_FRAME).all())


def panel_middle(cell: Box, panel: Box, aspect: float) -> Box | None:
    """Where a panel's middle (regions.middle_slice) lies: placed as the library places its
    9:16 slice (placed_in), along a side whose dark edge is one-sided in the cell, not in the
    panel but in the cell. The product shots of issue 24, dark on their right, lose that
    fifth to the panel of a stack or a grid; their middle, centred on the rest, was 12-18
    bits from the library's slice, centred on the whole frame."""
    return middle_slice(placed_in(panel, cell), aspect)


def middle_picture(
    grey: NDArray[np.uint8], cell: Box, panel: Box, aspect: float
) -> NDArray[np.uint8]:
    """The 32x32 picture of a panel's middle (regions.middle_slice). The library's 9:16
    slice of a picture too dark for run_bars is taken from the whole frame, then cut as a
    copy of that slice alone would show it (_as_a_copy_shows_it); the middle of a panel
    cropped from such a picture is taken the same way, from its cell: taken from the panel
    without its black, it was 14-22 bits from that slice, against 0-4 (issue 24)."""
    middle = panel_middle(cell, panel, aspect)
    assert middle is not None
    whole = middle_slice(cell, aspect)
    if whole is not None and cut_from_a_dark_picture(grey, cell, panel, aspect):
        return _as_a_copy_shows_it(grey, whole)
    return crop_to_32(grey, middle)


def dark_picture_box(grey: NDArray[np.uint8], cell: Box, aspect: float) -> Box | None:
    """The picture of a panel too dark to tell its bars by: the DEFAULT_ASPECT window in the
    middle of `cell` (shown at `aspect`, the whole 64x64 frame's proportions), when no frame
    of the run is lit in the cell, all of it outside that window is dark, and so is the
    window's own edge (a subject on black, scaled whole into the panel); else None.

    A picture dark as a whole (the Earth on black, issue 24) has black of its own that the
    bars a scaling added cannot be told from by their grey, and in a run whose frames are
    all that dark run_bars says nothing about bars (nor does the library, which keeps such a
    picture whole). Scaled into a panel, the picture lies where its proportions put it:
    without this, the Earth was hashed squeezed into the middle half of a 32:9 panel, 10-14
    bits from its library frames. A band cropped through it (a panel filled, not fitted)
    reaches the window's edge, and keeps its panel."""
    w, h = cell.x1 - cell.x0, cell.y1 - cell.y0
    window = reframe_window(cell, aspect * w / h, DEFAULT_ASPECT, 0.5)
    if max(window.x0 - cell.x0, window.y0 - cell.y0) < MIN_BAR:
        return None  # a picture that fills its panel: no bars to place
    rows = slice(int(np.ceil(cell.y0)), int(np.floor(cell.y1)))
    cols = slice(int(np.ceil(cell.x0)), int(np.floor(cell.x1)))
    if lit(grey, cell):
        return None  # the dark rows and columns are found where they are
    g = grey[:, rows, cols]
    dark = np.all(g <= DARK_MAX, axis=0).astype(bool)  # in every frame
    seen = np.any(g > DARK_MEAN, axis=0).astype(bool)  # in some frame
    y, x = np.ogrid[rows.start : rows.stop, cols.start : cols.stop]
    inside = (x + 1 > window.x0) & (x < window.x1) & (y + 1 > window.y0) & (y < window.y1)
    within = (
        (x >= window.x0 + 1) & (x + 2 <= window.x1) & (y >= window.y0 + 1) & (y + 2 <= window.y1)
    )
    if not dark[~within].all() or not seen[inside].any():
        return None
    return window


def grid_cell(box: Box, grid: tuple[int, int, int, int]) -> Box:
    """The panel (columns, rows, column, row) of the grid cut in `box`."""
    cols, rows, col, row = grid
    w, h = (box.x1 - box.x0) / cols, (box.y1 - box.y0) / rows
    return Box(box.x0 + col * w, box.y0 + row * h, box.x0 + (col + 1) * w, box.y0 + (row + 1) * h)


def panel_box(grey: NDArray[np.uint8], box: Box, grid: tuple[int, int, int, int]) -> Box:
    """The panel (columns, rows, column, row) of the grid cut in `box`, without the dark rows
    above and below its picture and the dark columns beside it (a 16:9 picture scaled into a
    half-height panel is pillarboxed in it; the product shots of issue 24, dark on their
    right, lose that fifth as the library's frames do: kept, a half of a side-by-side split
    was 14 bits from them)."""
    turned, turned_cell = across(grey, without_dark_rows(grey, grid_cell(box, grid)))
    inner = without_dark_rows(turned, turned_cell)
    return Box(inner.y0, inner.x0, inner.y1, inner.x1)


def picture_aspect(width: int, height: int) -> float:
    """Shown proportions of a decoded picture (DEFAULT_ASPECT when unknown)."""
    return width / height if width > 0 and height > 0 else DEFAULT_ASPECT


def library_reframes(
    grey: NDArray[np.uint8], cuts: list[int], aspect: float, frame: Box = FULL
) -> NDArray[np.uint8]:
    """len(REFRAME_VARIANTS) x N x 32 x 32 slices of 64x64 library frames, bars removed per
    run as for the library's other variants; `frame` as for reframe_pictures."""
    out = np.empty((len(REFRAME_VARIANTS), len(grey), GREY_SIZE, GREY_SIZE), np.uint8)
    for a, b in run_bounds(len(grey), cuts):
        run = grey[a:b]
        out[:, a:b] = np.stack(reframe_pictures(run, run_bars(run), aspect, frame))
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


def dark_seam(grey: NDArray[np.uint8], box: Box, parts: int) -> bool:
    """Whether every seam between `parts` panels side by side in `box` is a dark band over
    the run while the middle of each panel is lit: pictures scaled into panels they do not
    fill (two 16:9 pictures stacked in a 9:16 frame) meet across dark rows, not an edge."""
    g = grey[:, int(box.y0) : int(box.y1)].astype(np.int16)
    g = g[g.reshape(len(g), -1).mean(axis=1) > DARK_FRAME]
    if not len(g):
        return False
    dark = ((g.mean(axis=1) <= DARK_MEAN) & (g.max(axis=1) <= DARK_MAX)).all(axis=0)
    w = (box.x1 - box.x0) / parts
    seams = [round(box.x0 + k * w) for k in range(1, parts)]
    middles = [int(box.x0 + (k + 0.5) * w) for k in range(parts)]
    return all(dark[x - 1] and dark[x] for x in seams) and not dark[middles].any()


def is_split(grey: NDArray[np.uint8], box: Box, parts: int) -> bool:
    """Whether the run shows `parts` panels side by side in `box` (one panel: always)."""
    if parts == 1:
        return True
    return seam_strength(grey, box, parts) >= SEAM_EDGE or dark_seam(grey, box, parts)


def film_panels(
    grey: NDArray[np.uint8], cuts: list[int], aspect: float = DEFAULT_ASPECT
) -> tuple[NDArray[np.uint8], NDArray[np.bool_], NDArray[np.bool_]]:
    """N x 2*len(PANELS) x 32 x 32 panel pictures of 64x64 film frames (shown at `aspect`),
    per run of frames, then each panel's second picture (regions.middle_slice), and where
    each is present: panels in runs whose seams between halves (thirds; top and bottom
    halves; both for a 2x2 grid's quarters) stand out or are dark bands. Elsewhere
    they are not searched: the search stays as fast, and unrelated footage cut in pieces
    gets no more chances to look like something. Last, N x len(PANELS): where a panel is
    present, lit, and can have no middle (too wide or too narrow for one), as against one
    withheld for the dark (confirmed_by_middle) or one too dark to tell its bars by."""
    out = np.zeros((len(grey), 2 * len(PANELS), GREY_SIZE, GREY_SIZE), np.uint8)
    present = np.zeros((len(grey), 2 * len(PANELS)), bool)
    no_middle = np.zeros((len(grey), len(PANELS)), bool)
    for a, b in run_bounds(len(grey), cuts):
        run = grey[a:b]
        # Panels are laid out on the frame: a letterboxed film in the top panel leaves dark
        # rows at the top of the frame only, which are its picture's, not the frame's bars.
        box = placed_in(run_bars(run), FULL)
        # The halves of a stack are the frame's: the dark rows at its top and bottom, and the
        # dark columns beside a stack's panels, are each panel's own and need not be alike
        # (the Earth on black letterboxed in the top half of a 9:16 stack: 9 rows above, 6
        # below; laid on them, the seam fell 1.5 rows low). panel_box finds each panel's.
        tall = Box(box.x0, FULL.y0, box.x1, FULL.y1)
        turned, turned_box = across(run, tall)
        side = {n: is_split(run, box, n) for n in {p[1] for p in PANELS}}
        stacked = {n: is_split(turned, turned_box, n) for n in {p[2] for p in PANELS}}
        for k, (_name, cols, rows, col, row) in enumerate(PANELS):
            if side[cols] and stacked[rows]:
                grid = (cols, rows, col, row)
                laid = box if rows == 1 else tall if cols > 1 else FULL
                cell = grid_cell(laid, grid)
                panel = dark_picture_box(run, cell, aspect) or panel_box(run, laid, grid)
                if cut_from_a_dark_picture(run, cell, panel, aspect):
                    panel = without_dark_rows(run, cell)  # its black is its own, kept whole
                if not worth_searching(run, panel, aspect):
                    continue
                out[a:b, k] = crop_to_32(run, panel)
                # A panel gone dark or flat (a fade to black in it) hashes to noise, as a
                # whole frame does: its other panel keeps the frame usable, so it is left
                # out here. A black panel of the product shots came within 4 bits of the
                # Earth's first frames for 12 frames (issue 24, session 13).
                bright = contrast(out[a:b, k]) >= MIN_CONTRAST
                present[a:b, k] = bright
                middle = panel_middle(cell, panel, aspect)
                if middle is None:
                    # a wide panel with a lit frame: its bars would have been told, so its
                    # picture is cropped to it (a 32:9 half); one never lit may be a dark
                    # picture scaled into it, whose black hides its bars (set A's Eurovox)
                    no_middle[a:b, k] = bright & lit(run, panel)
                elif confirmed_by_middle(run, panel, aspect):
                    out[a:b, len(PANELS) + k] = middle_picture(run, cell, panel, aspect)
                    present[a:b, len(PANELS) + k] = bright
    return out, present, no_middle
