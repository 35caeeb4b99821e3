"""Which library frame each film frame of a passage shows: the cheapest monotonic path.

A line fitted to per-frame nearest library frames fails where copies are made: on slow or
static material every library frame is about as close, and pulldown, blended or doubled
frames make the nearest frame wander. A path through the whole distance matrix does not:
from one film frame to the next it moves 0-3 library frames per film frame, forward or (a
reversed passage) backward, and may jump elsewhere in the item only at a cut of the film
(re-ordered shots), at a price. Its cost is the sum of the distances it passes through,
plus a small price for moving at another speed than the rates say, which settles the ties
of static material. Where many item frames are about as close as the closest (a slow pan, a
narrow slice of a frame: pHash changes by 0-2 bits a second there), their distances are
made equal, so that the price of speed decides and the noise does not cut the passage into
forward / held / forward pieces; a freeze found then is put on the frame closest to all
its rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import NDArray

from critique_app.domain.passage_words import FORWARD, HELD, REVERSED
from critique_app.media.fingerprint import hamming

MOST_PER_FRAME = 3  # library frames a film frame may move on (slow motion to 3x)
SPEED_PRICE = 0.25  # bits per film frame, per library frame away from the expected speed
CUT_BITS = 16  # consecutive film pictures this far apart may be a cut
SPARE_BITS = 4  # a frame's distance counts up to the frame threshold plus this (a flash)
JUMP_SHOTS = 2  # a jump costs this many frame thresholds
PATH_ROWS = 600  # rows of a passage looked at at once (25 s of film)...
HOLD_SPLIT = 24  # film frames on one library frame inside a passage: a freeze, said apart
JOIN_SLACK = 12  # library frames between two blocks' pieces that still continue each other
TIE_BITS = 4.0  # distances this close to a row's closest are a tie where there are...
WIDE = 8  # ...this many or more of them (a slow pan; a freeze or moving shot has fewer)
TIE_SHARE = 0.0625  # ...where the true distances still count this much (the offset of a pan)
TIE_NUDGE = 0.01  # of the price of speed: what settles a tie between moves
SETTLE_ROUNDS = 3  # a freeze's frame, then its rows, found again this many times
HOLD_REACH = 8  # item frames around a freeze's frame that may be the one it holds
MOST_COLUMNS = 6000  # ...against at most this many item frames (memory: ~40 MB at most)
LINE_ROWS = 48  # a run this long is tried on a line...
OFF_SPEED = 0.1  # ...at the expected speed when within this share of it, otherwise...
LINE_SPEEDS = 0.25  # ...at speeds within this share of its own (51 of them),
LINE_REACH = 20  # ...starting within this many item frames of where it starts,
LINE_SLACK = 2.0  # ...and taken when it costs at most this many bits a row more than the path:
# one step of a distance (a pHash has as many bits set as clear, so distances are even),
# what a dim or near-still picture's rows gain on a library frame that is not theirs
STILL_BITS = 2  # library frames this close to a frame (median over the item's pictures)...
STILL_FRAMES = 48  # ...this many or more in a row show one still picture (issue 24, s. 15):
# one step of a distance is what a codec's refresh flips on a still; a slow pan or zoom over a
# photograph, the turning Earth, stayed that close for 25 library frames at most


@dataclass(frozen=True)
class Piece:
    """Rows `lo:hi` of a passage, shown in one direction without a jump."""

    lo: int
    hi: int
    item_frames: NDArray[np.int64]  # the library frame each row shows
    order: str  # FORWARD, REVERSED or HELD
    speed: float  # library frames per film frame
    held_frames: int  # film frames of the longest stretch on one library frame


def distances(
    pictures: list[NDArray[np.uint64]], grid: NDArray[np.uint64], cap: int
) -> NDArray[np.float32]:
    """Rows x item frames: the distances of a row's pictures (0 = none) to the closest variant
    of an item frame (grid: variants x item frames), each counted up to `cap`, added up: two
    pictures of a frame (whole, centre) tell apart the near-identical frames of static
    material that one alone leaves tied."""
    out = np.zeros((len(pictures[0]), grid.shape[1]), np.float32)
    seen = np.zeros(len(pictures[0]), bool)
    for q in pictures:
        present = q != 0
        if not present.any():
            continue
        d = hamming(q[present][:, None, None], grid.T[None, :, :]).min(axis=2)
        out[present] += np.minimum(d, cap)
        seen |= present
    out[~seen] = cap
    return out


def film_cuts(
    pictures: list[NDArray[np.uint64]], gaps: NDArray[np.int64], step: int = 1
) -> NDArray[np.bool_]:
    """Rows where the film may cut: a picture changes by CUT_BITS or more since the row
    before (or the one before it: a blended copy spreads a cut over two frames), or frames
    between them were left out (rows `step` film frames apart are next to each other)."""
    cut = gaps > step
    for q in pictures:
        for back in (1, 2):
            both = (q[back:] != 0) & (q[:-back] != 0)
            cut[back:] |= both & (hamming(q[back:], q[:-back]) >= CUT_BITS)
    cut[0] = False
    return cut


def cheapest_path(
    cost: NDArray[np.float32],
    gaps: NDArray[np.int64],
    cuts: NDArray[np.bool_],
    expected: float,
    jump: float,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """Per row, the column (item frame), the direction (+1 forward, -1 reversed) and whether
    the path jumped there, for the cheapest path: consecutive rows `gap` film frames apart
    move 0..MOST_PER_FRAME * gap columns in the row's direction; a jump (any column, either
    direction) costs `jump` and is allowed only where `cuts` says."""
    rows, n = cost.shape
    most = min(MOST_PER_FRAME * int(gaps.max(initial=1)), n - 1)
    # The previous row's totals sit in a buffer walled with infinity, seen through two views
    # [k, j]: forward from column j - k, reversed from column j + k. No copy and few NumPy
    # calls a row (their number, not the columns, is what a long passage costs); the moves
    # are found again on the way back, one column a row, from the totals kept.
    buf = np.full((2, n + 2 * most), np.inf)
    size = buf.itemsize
    ahead = as_strided(buf[0, most:], (most + 1, n), (-size, size), writeable=False)
    behind = as_strided(buf[1, most:], (most + 1, n), (size, size), writeable=False)
    totals = np.empty((rows, 2, n), np.float32)
    totals[0] = cost[0]
    prices: list[NDArray[np.float64]] = []
    for t in range(1, rows):
        buf[:, most : most + n] = totals[t - 1]
        price = _prices(prices, int(gaps[t]), most, expected)[:, None]
        k = len(price)
        forward = (ahead[:k] + price).min(axis=0)
        backward = (behind[:k] + price).min(axis=0)
        if cuts[t]:
            leap = float(totals[t - 1].min()) + jump
            np.minimum(forward, leap, out=forward)
            np.minimum(backward, leap, out=backward)
        totals[t, 0] = forward + cost[t]
        totals[t, 1] = backward + cost[t]
    direction, column = divmod(int(np.argmin(totals[-1])), n)
    out = np.zeros(rows, np.int64)
    sense = np.zeros(rows, np.int64)
    jumped = np.zeros(rows, bool)
    for t in range(rows - 1, -1, -1):
        out[t], sense[t] = column, 1 - 2 * direction
        if t == 0:
            break
        before = totals[t - 1, direction]
        price = _prices(prices, int(gaps[t]), most, expected)
        came = column - np.arange(len(price)) * (1 if direction == 0 else -1)
        ok = (came >= 0) & (came < n)
        options = np.where(ok, before[np.clip(came, 0, n - 1)] + price, np.inf)
        # ties (every move on static material) go to the move nearest the expected speed:
        # the smallest one would put a whole passage's holds at its start
        k = int((options + TIE_NUDGE * price).argmin())
        leap = float(totals[t - 1].min()) + jump if cuts[t] else np.inf
        if leap < options[k]:
            jumped[t] = True
            direction, column = divmod(int(np.argmin(totals[t - 1])), n)
        else:
            column = int(came[k])
    return out, sense, jumped


def ties_evened(cost: NDArray[np.float32]) -> NDArray[np.float32]:
    """Rows where many item frames are about as close as the closest, made equal there."""
    floor = cost.min(axis=1, keepdims=True) + TIE_BITS
    wide = (cost <= floor).sum(axis=1, keepdims=True) >= WIDE
    return np.where(wide, np.maximum(cost, floor) + TIE_SHARE * cost, cost)


def _settle_holds(
    column: NDArray[np.int64],
    cost: NDArray[np.float32],
    film: NDArray[np.int64],
    jumped: NDArray[np.bool_],
) -> None:
    """Each freeze (HOLD_SPLIT film frames or more on one item frame or two) moved, in place, onto
    the item frame closest to all its rows (within HOLD_REACH): evened ties let a path hold
    anywhere among near-identical frames, and the sum over a freeze tells them apart."""
    for a, b in _near_holds(column):
        if film[b - 1] - film[a] + 1 < HOLD_SPLIT:
            continue
        held = int(column[a])
        for _ in range(SETTLE_ROUNDS):  # the frame, then the rows that show it as well
            lo, hi = max(held - HOLD_REACH, 0), min(held + HOLD_REACH + 1, cost.shape[1])
            held = lo + int(cost[a:b, lo:hi].sum(axis=0).argmin())
            fits = cost[np.arange(len(column)), held] <= cost[np.arange(len(column)), column]
            while a > 0 and not jumped[a] and fits[a - 1]:
                a -= 1
            while b < len(column) and not jumped[b] and fits[b]:
                b += 1
            column[a:b] = held


def _on_a_line(
    column: NDArray[np.int64],
    cost: NDArray[np.float32],
    film: NDArray[np.int64],
    lo: int,
    hi: int,
    expected: float,
) -> None:
    """Rows `lo:hi` of a run put, in place, on the line (one speed, one start) closest to all
    of them, unless it costs LINE_SLACK bits a row more than the path. On evened ties the
    price of speed decides row by row: it pulls a run at another speed towards the expected
    one (a 1.6x passage started 16 frames late, a 0.56x one held for a second, then ran too
    fast), and lets a run at the expected speed lose or gain a few frames at a static start
    or end. The distances summed over the whole run tell both apart; a run within OFF_SPEED
    of the expected speed is tried at that speed only, the others around their own.
    A freeze costs far more than the slack on a line, and stays."""
    shown = column[lo:hi]
    rows, span = hi - lo, int(film[hi - 1] - film[lo])
    moved = int(shown[-1]) - int(shown[0])
    if rows < LINE_ROWS or abs(moved) <= 1:
        return
    speed = moved / span
    if abs(abs(speed) - expected) <= OFF_SPEED * expected:
        speeds = np.array([np.sign(speed) * expected])[None, :, None]
    else:
        speeds = speed * (1 + np.linspace(-LINE_SPEEDS, LINE_SPEEDS, 51))[None, :, None]
    x = (film[lo:hi] - film[lo]).astype(np.float64)[:, None, None]
    starts = int(shown[0]) + np.arange(-LINE_REACH, LINE_REACH + 1)[None, None, :]
    lines = np.rint(starts + speeds * x).astype(np.int64).reshape(rows, -1)
    n = cost.shape[1]
    inside = ((lines >= 0) & (lines < n)).all(axis=0)
    part = cost[lo:hi]
    totals = np.take_along_axis(part, np.clip(lines, 0, n - 1), axis=1).sum(axis=0)
    totals[~inside] = np.inf
    best = int(totals.argmin())
    if totals[best] <= float(part[np.arange(rows), shown].sum()) + LINE_SLACK * rows:
        column[lo:hi] = lines[:, best]


def library_still(grid: NDArray[np.uint64], shown: NDArray[np.int64]) -> tuple[int, int] | None:
    """The first and last library frames of the still picture around the middle of the
    library frames `shown` (columns of `grid`: variants x frames), None when that frame is not
    part of STILL_FRAMES frames or more in a row that show one picture."""
    middle = int(np.median(shown))
    kept = grid[:, middle] != 0
    if not kept.any():
        return None
    off = np.median(hamming(grid[kept], grid[kept, middle : middle + 1]), axis=0) > STILL_BITS
    first = int(np.flatnonzero(off[:middle])[-1]) + 1 if off[:middle].any() else 0
    last = middle + int(np.argmax(off[middle:])) - 1 if off[middle:].any() else len(off) - 1
    return (first, last) if last - first + 1 >= STILL_FRAMES else None


def shows_a_still(
    pictures: list[NDArray[np.uint64]],
    grid: NDArray[np.uint64],
    shown: NDArray[np.int64],
    frame_threshold: int,
) -> tuple[int, int] | None:
    """The library still (its first and last frames, with the path's own frames past its
    ends: a copy may start on the last moving frames before it) a piece's rows show, None when
    they do not: the one place Match and Compare decide it. The library frames `shown` lie in a
    still (HOLD_REACH frames past its ends at most, as a freeze may stray), and holding its
    picture costs the rows at most LINE_SLACK bits a row more than their own path: any
    stretch of it fits them, so the passage shows the still, not a place in it (a copy
    played forward through it cannot be told from one that holds it). A path through the
    moving frames before or after it is not a still, however far its rows are from all of
    them (an inset of a scaled panel is near the cap everywhere)."""
    still = library_still(grid, shown)
    if (
        still is None
        or not still[0] - HOLD_REACH <= shown.min() <= shown.max() <= still[1] + HOLD_REACH
    ):
        return None
    first, last = min(still[0], int(shown.min())), max(still[1], int(shown.max()))
    cost = distances(pictures, grid[:, first : last + 1], frame_threshold + SPARE_BITS)
    middle = int(np.median(shown)) - first
    own = float(cost[np.arange(len(shown)), shown - first].mean())
    return (first, last) if float(cost[:, middle].mean()) <= own + LINE_SLACK else None


def _near_holds(column: NDArray[np.int64]) -> list[tuple[int, int]]:
    """Rows on one item frame, two such stretches next to each other taken as one when they
    are on neighbouring frames and each HOLD_SPLIT / 4 rows or more: a freeze of a frame
    between two near-identical ones may be split between them for the price of speed."""
    bounds = np.r_[0, np.flatnonzero(np.diff(column) != 0) + 1, len(column)].tolist()
    out: list[tuple[int, int]] = []
    merged = False
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if out and not merged:
            pa, pb = out[-1]
            both = min(pb - pa, b - a) >= HOLD_SPLIT // 4
            if both and abs(int(column[a]) - int(column[pa])) == 1:
                out[-1], merged = (pa, b), True
                continue
        out.append((a, b))
        merged = False
    return out


def _prices(
    known: list[NDArray[np.float64]], gap: int, most: int, expected: float
) -> NDArray[np.float64]:
    """What moving 0, 1, ... columns costs between rows `gap` film frames apart."""
    while len(known) <= gap:
        g = len(known)
        known.append(
            SPEED_PRICE * np.abs(np.arange(min(MOST_PER_FRAME * g, most) + 1) - expected * g)
        )
    return known[gap]


def source_pieces(
    pictures: list[NDArray[np.uint64]],
    film_frames: NDArray[np.int64],
    grid: NDArray[np.uint64],
    matched: NDArray[np.int64],
    *,
    expected: float,
    frame_threshold: int,
    reach: int,
    step: int = 1,
) -> list[Piece]:
    """The passage's rows (film frames `film_frames`, their pictures) cut into pieces, each
    with the library frames it shows. `grid` is the item's hashes (variants x frames),
    `matched` the item frame each row matched on its own: the path is looked for within
    `reach` frames of those, PATH_ROWS rows at a time (a whole film copied would not fit
    in memory), pieces continuing across two such blocks are joined."""
    pieces: list[Piece] = []
    for lo in range(0, len(film_frames), PATH_ROWS):
        hi = min(lo + PATH_ROWS, len(film_frames))
        first, last = _columns(matched[lo:hi], reach, grid.shape[1])
        for piece in _block_pieces(
            [q[lo:hi] for q in pictures],
            film_frames[lo:hi],
            grid[:, first : last + 1],
            expected,
            frame_threshold,
            step,
        ):
            shown = piece.item_frames + first
            a, b = lo + piece.lo, lo + piece.hi
            before = pieces[-1] if pieces else None
            if before is not None and before.hi == a and _continues(before, shown, piece.order):
                a, shown = before.lo, np.r_[before.item_frames, shown]
                pieces.pop()
            pieces.append(_piece(a, b, shown, _sense(shown, piece.order), film_frames[a:b]))
    return [part for piece in pieces for part in _held_apart(piece, film_frames)]


def _held_apart(piece: Piece, film_frames: NDArray[np.int64]) -> list[Piece]:
    """A piece with a freeze of HOLD_SPLIT film frames or more inside, cut around it: a jury
    is told "held for N s" apart from "played forward"."""
    shown = piece.item_frames
    if piece.order == HELD or len(shown) < 2:
        return [piece]
    film = film_frames[piece.lo : piece.hi]
    change = np.flatnonzero(np.diff(shown) != 0) + 1
    bounds = np.r_[0, change, len(shown)]
    cuts = {0, len(shown)}
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if film[b - 1] - film[a] + 1 >= HOLD_SPLIT:
            cuts |= {int(a), int(b)}
    if len(cuts) == 2:
        return [piece]
    edges = sorted(cuts)
    sense = 1 if piece.order == FORWARD else -1
    return [
        _piece(piece.lo + a, piece.lo + b, shown[a:b], sense, film[a:b])
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]


def _columns(matched: NDArray[np.int64], reach: int, frames: int) -> tuple[int, int]:
    """The item frames a block's path is looked for in: around those its rows matched on
    their own (a stray match far off does not widen it past MOST_COLUMNS)."""
    first, last = int(matched.min()) - reach, int(matched.max()) + reach
    if last - first + 1 > MOST_COLUMNS:
        middle = int(np.median(matched))
        first, last = middle - MOST_COLUMNS // 2, middle + MOST_COLUMNS // 2 - 1
    return max(first, 0), min(last, frames - 1)


def _continues(before: Piece, shown: NDArray[np.int64], order: str) -> bool:
    """Whether a block's first piece goes on from the previous block's last: the ends of a
    block are free, so on static material they may stray by a few frames (JOIN_SLACK)."""
    step = int(shown[0]) - int(before.item_frames[-1])
    if HELD in (order, before.order) or order == before.order:
        return abs(step) <= JOIN_SLACK
    return False


def _sense(shown: NDArray[np.int64], order: str) -> int:
    if order == HELD:
        return 1 if shown[-1] >= shown[0] else -1
    return 1 if order == FORWARD else -1


def _block_pieces(
    pictures: list[NDArray[np.uint64]],
    film_frames: NDArray[np.int64],
    grid: NDArray[np.uint64],
    expected: float,
    frame_threshold: int,
    step: int,
) -> list[Piece]:
    gaps = np.diff(film_frames, prepend=film_frames[:1])
    if grid.shape[1] == 1:
        return [_piece(0, len(film_frames), np.zeros(len(film_frames), np.int64), 1, film_frames)]
    cost = distances(pictures, grid, frame_threshold + SPARE_BITS)
    cuts = film_cuts(pictures, gaps, step)
    jump = JUMP_SHOTS * frame_threshold
    column, sense, jumped = cheapest_path(ties_evened(cost), gaps, cuts, expected, jump)
    _settle_holds(column, cost, film_frames, jumped)
    starts = [0, *np.flatnonzero(jumped).tolist(), len(film_frames)]
    for lo, hi in zip(starts[:-1], starts[1:], strict=True):
        _on_a_line(column, cost, film_frames, lo, hi, expected)
    return [
        _piece(lo, hi, column[lo:hi], int(sense[lo]), film_frames[lo:hi])
        for lo, hi in zip(starts[:-1], starts[1:], strict=True)
    ]


def _piece(
    lo: int, hi: int, shown: NDArray[np.int64], sense: int, film: NDArray[np.int64]
) -> Piece:
    span = int(film[-1] - film[0])
    moved = int(abs(int(shown[-1]) - int(shown[0])))
    change = np.flatnonzero(np.diff(shown) != 0)
    bounds = np.r_[0, change + 1, len(shown)]
    held = max(int(film[b - 1] - film[a]) + 1 for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    if moved <= 1:
        order = HELD
    else:
        order = FORWARD if sense > 0 else REVERSED
    return Piece(lo, hi, shown, order, round(moved / span, 3) if span else 0.0, held)
