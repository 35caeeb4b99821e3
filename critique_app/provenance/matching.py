"""Passages of a film that match items of the reference library, as segments a jury can check.

A single frame close to a library hash proves little (dark, flat or simple frames hash
alike), so a match is a SEGMENT: consecutive usable frames that each match the same item
(plain or mirrored), at least MIN_FRAMES of them, with a low median distance. Dark and flat
frames are left out before searching. The numbers come from benchmarks/match_thresholds.py
and are explained in docs/matching-thresholds.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from critique_app.media.film_hashes import (
    EXTRA_PICTURES,
    INSET_MIDDLES,
    NO_MIDDLE,
    PANEL_MIDDLES,
    SCREEN_MIDDLES,
)
from critique_app.media.fingerprint import MIN_CONTRAST, hamming
from critique_app.media.reframes import REFRAME_VARIANTS, STACKED_SLICES
from critique_app.provenance.hash_index import QUERY_BLOCK, HashIndex
from critique_app.provenance.source_path import (
    FORWARD,
    HELD,
    Piece,
    shows_a_still,
    source_pieces,
)
from critique_app.provenance.source_pictures import (
    FIRST_SLICE,
    around,
    finer_grids,
    finer_piece,
    slices_found_through,
)

FRAME_THRESHOLD = 12  # bits: a frame "matches" an item frame at this pHash distance or less
MEDIAN_THRESHOLD = 8  # bits: a segment's median distance must not exceed this...
STRICT_MEDIAN = 6  # ...and this unless it is long: on 34.5 min of unrelated footage, three
LONG_FRAMES = 36  # false segments (9-28 frames) had median 8; true passages last seconds
# Only a segment whose library frames move with the film is let off for being long, and
# not one found in an inset: a library frame held still is confirmed by no motion, and the
# inset detector fires on still edges of real footage (a car window). A dark product shot
# held still came within 8 bits of unrelated dark passages for 39-166 frames, a car window
# within 8 of a pan over a crater lake for 38-49 (issue 24, session 11): those are held to
# STRICT_MEDIAN however long they are. Panels keep the exception: true panels of the Earth
# on black and of dark product shots have a median of 8 over 52-169 frames, and no false
# segment came from a panel (docs/matching-thresholds.md). Nor is a piece read backwards: a
# chance alignment runs either way, a copy nearly always forward. Of the 8 long segments at
# median 8 on set C and the filmed-monitor film of issue 24 (session 17), the 6 true ran
# forward, the 2 false backwards (a dark product shot's frames 37-46 read back at 0.13x
# through a mirrored 9:16 stack; unrelated footage through a filmed room's whole frame, 50 of
# its 93 frames within 8 bits). A reversed copy still counts at STRICT_MEDIAN.
STILL_HOLD = 16  # film frames on one library frame: a passage through part of the picture
STILL_MEDIAN = 2  # that holds one this long must be a near copy of it
# A panel or the centre is a small, coarse picture: on the split films of issue 24 (session
# 11) a library shot that hardly moves came within 4-8 bits of unrelated real footage
# through a third or a half of the frame, or its centre, for 31-80 film frames, each time
# holding one library frame for 18-31 of them (a panel seam found in real footage, the
# centre of a dark product shot). No true passage there held one for more than 14, and a
# true held still is a copy of the frame (0-2 bits). The whole frame keeps the rules above.
# A picture-in-picture inset (one with a middle, not a filmed screen) follows the same rule:
# a box the inset detector drew in the black beside the Earth on black (the frame's edge,
# the planet's rim, the seam of a 9:16 stack) held frame 169 of a dark product shot within
# 6 bits for 50 film frames, its middle, black too, agreeing (issue 24, session 14).
MIN_FRAMES = 5  # usable frames a segment needs, so one accidental frame raises no flag
MAX_GAP = 3  # usable frames without a match that a segment may bridge (a flash, a glitch)
ITEM_REACH = 96  # item frames around a matched one that the frames next to it are compared with
# Film frames between two segments of one item that are still one passage. The dark start of
# a product shot is near-symmetric: it was found flipped (0-5 bits, reversed, 1-2 s) 33-40
# film frames before the same passage found the right way round, through the whole frame of
# a 9:16 copy and through an inset drawn in the black of a stack (issue 24, session 15).
ECHO_REACH = 96

# Called between chunks of a search with (done, total) chunks: the caller's Progress.update,
# which raises at a Cancel, so a long search over a big library stops between two chunks.
OnChunk = Callable[[int, int], None]


def _no_chunk(_done: int, _total: int) -> None:
    """Nobody follows the search."""


def _in_half(on_chunk: OnChunk, half: int, done: int, total: int) -> None:
    """A chunk of one of two equal halves of the work (plain pictures, then mirrored)."""
    on_chunk(half * total + done, 2 * total)


@dataclass(frozen=True)
class ReferenceItem:
    """One library item as matching needs it: an id, a label and its per-frame pHashes."""

    id: int
    label: str
    hashes: NDArray[np.uint64]
    rate: Fraction | None = None  # clips only
    # K x N hashes of the same frames, altered as copies alter them (centre crops): found
    # by the same search, they count as the frame they come from.
    variants: NDArray[np.uint64] | None = None
    provenance: dict[str, Any] | None = None  # the original's Content Credentials summary
    # the original's file, where a passage found through a re-frame slice is looked at
    # again (provenance.source_pictures); None: the library's hashes alone
    media: Path | None = None
    too_plain: bool = False  # too plain for its copies to be found (fingerprint.mostly_plain)


class ReferenceLibrary:
    """All items' hashes (and their variants) in one array, with where each hash comes from."""

    def __init__(
        self,
        items: list[ReferenceItem],
        max_distance: int = FRAME_THRESHOLD,
        seed_distance: int = MEDIAN_THRESHOLD,
    ) -> None:
        self.items = {item.id: item for item in items}
        parts: list[NDArray[np.uint64]] = []
        item_of: list[NDArray[np.int64]] = []
        frame_of: list[NDArray[np.int64]] = []
        for item in items:
            n = len(item.hashes)
            rows = [item.hashes]
            if item.variants is not None and item.variants.size:
                rows += [v for v in np.asarray(item.variants).reshape(-1, n)]
            for row in rows:
                parts.append(np.asarray(row, np.uint64))
                item_of.append(np.full(n, item.id, np.int64))
                frame_of.append(np.arange(n, dtype=np.int64))
        self.hashes = np.concatenate(parts) if parts else np.zeros(0, np.uint64)
        self.item_of = np.concatenate(item_of) if item_of else np.zeros(0, np.int64)
        self.frame_of = np.concatenate(frame_of) if frame_of else np.zeros(0, np.int64)
        self.frames = sum(len(item.hashes) for item in items)
        self.max_distance = max_distance
        bounds = np.cumsum([0] + [len(p) for p in parts])
        self.slices: dict[int, slice] = {}
        for k, ids in enumerate(item_of):
            if len(ids):
                i = int(ids[0])
                a = self.slices[i].start if i in self.slices else int(bounds[k])
                self.slices[i] = slice(a, int(bounds[k + 1]))
        # Searched in two steps (see `hits`): the index only needs the seed distance.
        self.index = HashIndex(self.hashes, min(max_distance, seed_distance))

    def hits(
        self,
        pictures: list[NDArray[np.uint64]],
        frames: NDArray[np.int64],
        frame_threshold: int,
        seed_threshold: int,
        max_gap: int,
        on_chunk: OnChunk = _no_chunk,
    ) -> FrameHits:
        """Film frames close to frames of library items, for several pictures per frame
        (whole frame, inset, centre; 0 = the frame has no such picture).

        A segment's median is at most `seed_threshold`, so at least half of its frames are
        that close: those seeds are found with the index (fast, at a small distance). From
        them a segment grows: each usable frame next to a hit (within max_gap + 1) is
        compared with the item frames around the ones its neighbour matched (a copy shows
        an item in order, at 0.5x-2x: ITEM_REACH frames plus twice the distance), at
        `frame_threshold`, until no new frame matches. A full search at `frame_threshold`
        would cost a hundred times more for the same segments.

        `on_chunk(done, total)` is called between chunks: QUERY_BLOCK frames of one picture
        searched, then one item's segments grown."""
        if frame_threshold > self.max_distance:
            raise ValueError(f"the library was prepared for distances up to {self.max_distance}")
        seed_threshold = min(seed_threshold, frame_threshold, self.index.max_distance)
        n = len(frames)
        nothing = np.zeros(0, np.int64)
        found_parts = [FrameHits(*[nothing] * len(FrameHits.FIELDS))]  # no picture, no chunk
        present_of = [np.flatnonzero(hashes != 0) for hashes in pictures]
        chunks = [
            (source, lo)
            for source, present in enumerate(present_of)
            for lo in range(0, len(present), QUERY_BLOCK)
        ]
        for k, (source, lo) in enumerate(chunks):
            on_chunk(k, len(chunks))
            present = present_of[source][lo : lo + QUERY_BLOCK]
            found = self.index.search(
                pictures[source][present], seed_threshold, check=partial(on_chunk, k, len(chunks))
            )
            found_parts.append(
                FrameHits(
                    present[found.query],
                    self.item_of[found.entry],
                    self.frame_of[found.entry],
                    found.distance.astype(np.int64),
                    np.full(len(found), source, np.int64),
                )
            )
        seeds = FrameHits(
            *(np.concatenate([getattr(h, k) for h in found_parts]) for k in FrameHits.FIELDS)
        )
        out = [seeds]
        reach = max_gap + 1
        seeded = np.unique(seeds.item)
        for grown, item_id in enumerate(seeded):
            on_chunk(len(chunks) + grown, len(chunks) + len(seeded))
            mine = _best_per_frame(
                FrameHits(*(getattr(seeds, k)[seeds.item == item_id] for k in FrameHits.FIELDS))
            )
            grid = self.grid(int(item_id))
            matched = np.full(n, -1, np.int64)  # item frame each film position matched
            matched[mine.frame] = mine.item_frame
            done = matched >= 0
            while True:
                hit = matched >= 0
                todo = (np.convolve(hit, np.ones(2 * reach + 1), mode="same") > 0) & ~done
                if not todo.any():
                    break
                at = np.flatnonzero(todo)
                done[at] = True
                best_d, best_f, best_s = _closest_near(pictures, at, frames, matched, grid, hit)
                ok = best_d <= frame_threshold
                if not ok.any():
                    break
                matched[at[ok]] = best_f[ok]
                out.append(
                    FrameHits(
                        frames[at[ok]],
                        np.full(int(ok.sum()), item_id, np.int64),
                        best_f[ok],
                        best_d[ok],
                        best_s[ok],
                    )
                )
        result = FrameHits(
            *(np.concatenate([getattr(h, k) for h in out]) for k in FrameHits.FIELDS)
        )
        # seeds are positions among usable frames; grown hits are film frames already
        result = FrameHits(
            np.concatenate([frames[seeds.frame], *(h.frame for h in out[1:])]),
            result.item,
            result.item_frame,
            result.distance,
            result.source,
        )
        return result

    def grid(self, item_id: int) -> NDArray[np.uint64]:
        """An item's hashes, variants x frames (row 0: the frames as they are)."""
        part = self.slices[item_id]
        n_item = int(self.frame_of[part].max()) + 1
        return self.hashes[part].reshape(-1, n_item)

    def __len__(self) -> int:
        return len(self.hashes)


def _closest_near(
    pictures: list[NDArray[np.uint64]],
    at: NDArray[np.int64],
    frames: NDArray[np.int64],
    matched: NDArray[np.int64],
    grid: NDArray[np.uint64],
    hit: NDArray[np.bool_],
    block: int = 256,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """For film positions `at`, the closest item frame (distance, frame, picture) among the
    item frames around what the nearest matched position matched."""
    n_item = grid.shape[1]
    where = np.flatnonzero(hit)
    best_d = np.full(len(at), 255, np.int64)
    best_f = np.zeros(len(at), np.int64)
    best_s = np.zeros(len(at), np.int64)
    offsets = np.arange(-ITEM_REACH, ITEM_REACH + 1)
    for lo in range(0, len(at), block):
        a = at[lo : lo + block]
        k = np.clip(np.searchsorted(where, a), 1, len(where)) - 1
        right = np.minimum(k + 1, len(where) - 1)
        closer = np.abs(where[right] - a) < np.abs(where[k] - a)
        anchor = np.where(closer, where[right], where[k])
        radius = np.minimum(ITEM_REACH, 2 * np.abs(frames[a] - frames[anchor]) + 2)
        cols = matched[anchor][:, None] + offsets[None, :]  # block x window
        valid = (np.abs(offsets)[None, :] <= radius[:, None]) & (cols >= 0) & (cols < n_item)
        cols = np.clip(cols, 0, n_item - 1)
        rows = np.arange(len(a))
        for source, hashes in enumerate(pictures):
            q = hashes[a]
            dist = hamming(q[None, :, None], grid[:, cols])  # variants x block x window
            dist = np.where(valid[None] & (q != 0)[None, :, None], dist, 255)
            flat = dist.transpose(1, 0, 2).reshape(len(a), -1)
            j = flat.argmin(axis=1)
            d = flat[rows, j].astype(np.int64)
            better = d < best_d[lo : lo + block]
            best_d[lo : lo + block][better] = d[better]
            best_f[lo : lo + block][better] = cols[rows, j % cols.shape[1]][better]
            best_s[lo : lo + block][better] = source
    return best_d, best_f, best_s


@dataclass(frozen=True)
class MatchSegment:
    item_id: int
    label: str
    # 'plain', 'mirror' (flipped left-right), 'inset', 'inset-mirror' (shown smaller), 'panel'
    # (one panel of a split screen)
    variant: str
    start: int  # film frames, inclusive
    end: int
    item_start: int  # frames of the library item (0 for a still)
    item_end: int
    median_distance: float
    worst_distance: int
    threshold: int
    matched_frames: int
    order: str = FORWARD  # FORWARD, REVERSED or HELD (one library frame held)
    speed: float = 1.0  # library frames per film frame
    held_frames: int = 1  # film frames of the longest stretch on one library frame
    picture: str = "frame"  # what the frames were found in: "frame", "inset" or a panel's name
    # item_start..item_end show one still picture (source_path.shows_a_still): the passage
    # shows that picture, and no place in it can be told
    library_still: bool = False

    def to_row(self) -> dict[str, object]:
        """The columns of the `matches` table."""
        return {
            "library_item_id": self.item_id,
            "start_frame": self.start,
            "end_frame": self.end,
            "item_start": self.item_start,
            "item_end": self.item_end,
            "median_distance": self.median_distance,
            "worst_distance": self.worst_distance,
            "threshold": self.threshold,
            "variant": self.variant,
        }


def usable_frames(
    contrast: NDArray[np.float32], min_contrast: float = MIN_CONTRAST
) -> NDArray[np.bool_]:
    return np.asarray(contrast) >= min_contrast


@dataclass(frozen=True)
class FrameHits:
    """Film frames (by position among usable frames) close to frames of library items."""

    frame: NDArray[np.int64]  # index into the film's hash arrays
    item: NDArray[np.int64]
    item_frame: NDArray[np.int64]
    distance: NDArray[np.int64]
    source: NDArray[np.int64]  # which query picture matched: 0 whole frame, 1 inset

    FIELDS = ("frame", "item", "item_frame", "distance", "source")


def _best_per_frame(hits: FrameHits) -> FrameHits:
    """One hit per film frame: the closest item frame (ties: the whole frame, the earliest)."""
    order = np.lexsort((hits.item_frame, hits.source, hits.distance, hits.frame))
    f = hits.frame[order]
    first = np.ones(len(f), bool)
    first[1:] = f[1:] != f[:-1]
    keep = order[first]
    return FrameHits(
        hits.frame[keep],
        hits.item[keep],
        hits.item_frame[keep],
        hits.distance[keep],
        hits.source[keep],
    )


def segments_from_hits(
    hits: FrameHits,
    usable: NDArray[np.bool_],
    library_items: dict[int, ReferenceItem],
    variant: str,
    *,
    frame_threshold: int,
    median_threshold: float,
    min_frames: int = MIN_FRAMES,
    max_gap: int = MAX_GAP,
    step: int = 1,
    film_rate: Fraction | None = None,
    strict_median: float = STRICT_MEDIAN,
    long_frames: int = LONG_FRAMES,
    film_pictures: list[NDArray[np.uint64]] | None = None,
    library: ReferenceLibrary | None = None,
    look_again: list[LookAgain] | None = None,
    boxed_insets: NDArray[np.bool_] | None = None,
    screen_middles: NDArray[np.uint64] | None = None,
    unsaid: list[MatchSegment] | None = None,
) -> list[MatchSegment]:
    """Runs of film frames matching one item each: the segment logic, for any hash kind.

    With the film's pictures (whole, inset, centre: full-length arrays) and the library, a
    run is cut where the library frames it shows jump (re-ordered shots), and the library
    frames come from the cheapest path through the run (provenance.source_path); without
    them, from a line fit. A piece is a segment when it has at least `min_frames` frames and
    a median distance of at most `strict_median`, or of at most `median_threshold` over at
    least `long_frames`. A segment found in the whole frame (with the film's pictures) whose
    item's file is known is added to `look_again` (see looked_again). `boxed_insets`: per
    film frame, whether its inset is a picture in the picture (has a middle);
    `screen_middles`: per film frame, the middle of its filmed screen (0 where none); a
    segment found through a filmed screen that does not agree with it (screen_agrees) is
    returned like the others and added to `unsaid`: it still settles which of its rivals
    and echoes stay (see find_segments), but is not reported itself."""
    rank = np.cumsum(usable) - 1
    out: list[MatchSegment] = []
    for item_id in np.unique(hits.item):
        sel = hits.item == item_id
        h = _best_per_frame(
            FrameHits(
                *(
                    getattr(hits, k)[sel]
                    for k in ("frame", "item", "item_frame", "distance", "source")
                )
            )
        )
        f, itf, d = h.frame, h.item_frame, h.distance
        item = library_items[int(item_id)]
        breaks = np.flatnonzero(np.diff(rank[f]) > max_gap + 1) + 1
        for lo, hi in zip(np.r_[0, breaks], np.r_[breaks, len(f)], strict=True):
            mapped = _mapped_with(h.source[lo:hi])
            if film_pictures is not None:
                lo, hi = _ends_in(h.source, lo, hi, mapped)
            if hi - lo < min_frames:
                continue
            run_pictures: list[NDArray[np.uint64]] = []
            if film_pictures is None or library is None:
                a, b = int(f[lo]) * step, int(f[hi - 1]) * step
                ends = _item_range(item, a, b, f[lo:hi] * step, itf[lo:hi], film_rate)
                pieces = [Piece(0, hi - lo, np.array(ends), FORWARD, 1.0, 1)]
            else:
                run_pictures = [film_pictures[k][f[lo:hi]] for k in mapped]
                pieces = source_pieces(
                    run_pictures,
                    f[lo:hi] * step,
                    library.grid(int(item_id)),
                    itf[lo:hi],
                    expected=_expected(item, film_rate),
                    frame_threshold=frame_threshold,
                    reach=ITEM_REACH,
                    step=step,
                )
            for piece in pieces:
                a_, b_ = lo + piece.lo, lo + piece.hi
                med = float(np.median(d[a_:b_])) if b_ > a_ else np.inf
                within = d[a_:b_] <= frame_threshold  # the others were not confirmed
                matched = int(within.sum())
                if matched < min_frames:  # the median is checked below (_median_ceiling)
                    continue
                name = _variant_name(h.source[a_:b_], variant)
                picture = _picture_name(h.source[a_:b_])
                boxed = boxed_insets is not None and bool(boxed_insets[f[a_:b_]].mean() > 0.5)
                ceiling = _median_ceiling(
                    h.source[a_:b_],
                    picture,
                    piece,
                    matched,
                    median_threshold=median_threshold,
                    strict_median=strict_median,
                    long_frames=long_frames,
                    boxed=boxed,
                )
                if med > ceiling:
                    core = _close_core(
                        d[a_:b_], h.source[a_:b_], picture, strict_median, min_frames
                    )
                    if core is None:
                        continue
                    piece = _part_of(piece, *core)
                    a_, b_ = lo + piece.lo, lo + piece.hi
                    med = float(np.median(d[a_:b_]))
                    within = d[a_:b_] <= frame_threshold
                    matched = int(within.sum())
                shown = piece.item_frames
                piece_pictures = [q[piece.lo : piece.hi] for q in run_pictures]
                still = None
                if piece_pictures and library is not None:
                    still = shows_a_still(
                        piece_pictures,
                        library.grid(int(item_id)),
                        shown,
                        frame_threshold,
                    )
                out.append(
                    MatchSegment(
                        item.id,
                        item.label,
                        name,
                        int(f[a_]) * step,
                        int(f[b_ - 1]) * step,
                        int(shown.min()),
                        int(shown.max()),
                        med,
                        int(d[a_:b_][within].max()),
                        frame_threshold,
                        matched,
                        piece.order,
                        piece.speed,
                        piece.held_frames,
                        picture,
                    )
                )
                if still is not None:
                    out[-1] = _as_still(out[-1], still)
                elif (
                    look_again is not None
                    and piece_pictures  # the film's pictures and the library were given
                    and picture == "frame"
                    and item.media is not None
                    and len(item.hashes) > 1
                ):
                    rows = f[lo:hi][piece.lo : piece.hi]
                    look_again.append(
                        LookAgain(
                            out[-1],
                            piece,
                            piece_pictures,
                            rows * step,
                            item,
                            _expected(item, film_rate),
                        )
                    )
                if (
                    unsaid is not None
                    and picture == "inset"
                    and not boxed
                    and max(mapped) < FIRST_EXTRA  # not a panel's picture (_mapped_with)
                    and screen_middles is not None
                    and library is not None
                    and not screen_agrees(
                        screen_middles[f[a_:b_]], itf[a_:b_], library.grid(int(item_id))
                    )
                ):
                    unsaid.append(out[-1])  # the segment as listed (a still too)
    return out


# A segment found through a filmed screen, frame by frame within 8 bits (where a screen's
# middle is not asked, see confirming_screens), must agree in the screen's middle over the
# segment as a whole: on the filmed-monitor film of issue 24 (session 17) the true passages'
# middles had a median of 6-16 bits to the library frames their screens found, against 20 or
# more for the same screens against every other library item (600 pairs: 20 at the least,
# 22.5 as a rule). A screen outlined on unrelated generated footage held a pan over a
# photograph, mirrored, within 4-8 bits for 16 frames while its middle stayed 24 bits away.
# An inset that is also a split screen's panel (a picture scaled into half a stack, boxed by
# black) is not asked: its "screen middle" is cut as a 16:9 monitor's and is no copy of the
# library's slice (a true panel at median 2 had its middle 20 bits away; set C, session 17).
SCREEN_MIDDLE_MEDIAN = 18  # bits: halfway between the farthest true (16) and unrelated (20)


def screen_agrees(
    middles: NDArray[np.uint64], item_frames: NDArray[np.int64], grid: NDArray[np.uint64]
) -> bool:
    """Whether a segment's filmed screen agrees in its middle (`middles`, per row; 0 where
    the frame's screen has none) with the library frames its rows were found at (`grid`:
    the item's variants x frames): the middles' median distance within SCREEN_MIDDLE_MEDIAN.
    A segment most of whose screens have no middle (a film fingerprinted before session 15,
    a screen too small for one) stands on its screen alone, as before."""
    near = second_distances(middles, grid, item_frames)
    if 2 * int((near >= 0).sum()) < len(near):
        return True
    return bool(np.median(near[near >= 0]) <= SCREEN_MIDDLE_MEDIAN)


def _as_still(segment: MatchSegment, still: tuple[int, int]) -> MatchSegment:
    """The segment as the showing of a library still: its first and last library frames
    (any of them is what the passage shows), held for the segment's film frames."""
    return replace(
        segment,
        item_start=still[0],
        item_end=still[1],
        order=HELD,
        speed=0.0,
        held_frames=segment.end - segment.start + 1,
        library_still=True,
    )


def _expected(item: ReferenceItem, film_rate: Fraction | None) -> float:
    """Library frames per film frame when the copy plays the item at its own speed."""
    return float(item.rate / film_rate) if item.rate and film_rate else 1.0


@dataclass(frozen=True)
class LookAgain:
    """A segment found in the whole frame, with what its library frames can be found again
    from on the original's own pictures (provenance.source_pictures)."""

    segment: MatchSegment
    piece: Piece
    pictures: list[NDArray[np.uint64]]  # its rows' pictures
    film_frames: NDArray[np.int64]
    item: ReferenceItem
    expected: float


def looked_again(
    segments: list[MatchSegment],
    asks: list[LookAgain],
    library: ReferenceLibrary,
    *,
    frame_threshold: int,
    step: int,
) -> list[MatchSegment]:
    """The segments, those of `asks` found through the library's re-frame slices with their
    library frames found again on the original's pictures. Only the final segments (after
    the echo and rival filters, which the library frames do not change) are looked at, and
    each item's file is read once for all of them; a segment keeps its frames when the file
    cannot be read or the finer path does not keep it one piece."""
    kept = {id(s) for s in segments}
    by_item: dict[int, list[LookAgain]] = {}
    slices: dict[int, set[int]] = {}
    for ask in asks:
        if id(ask.segment) not in kept:
            continue
        grid = library.grid(ask.item.id)
        through = slices_found_through(ask.pictures, grid, ask.piece.item_frames)
        if through:
            by_item.setdefault(ask.item.id, []).append(ask)
            slices.setdefault(ask.item.id, set()).update(through)
    finer: dict[int, MatchSegment] = {}
    for item_id, group in by_item.items():
        item, frames = group[0].item, len(group[0].item.hashes)
        assert item.media is not None  # segments_from_hits asks only for items with a file
        windows = [around(ask.piece.item_frames, frames) for ask in group]
        grids = finer_grids(item.media, frames, windows, slices[item_id])
        for ask, (first, _last), fine in zip(group, windows, grids, strict=True):
            piece = None
            if fine is not None:
                piece = finer_piece(
                    fine,
                    first,
                    ask.piece,
                    ask.pictures,
                    ask.film_frames,
                    expected=ask.expected,
                    frame_threshold=frame_threshold,
                    step=step,
                )
            if piece is not None:
                finer[id(ask.segment)] = replace(
                    ask.segment,
                    item_start=int(piece.item_frames.min()),
                    item_end=int(piece.item_frames.max()),
                    order=piece.order,
                    speed=piece.speed,
                    held_frames=piece.held_frames,
                )
    return [finer.get(id(s), s) for s in segments]


# A still grabbed from a slow pan (a generated shot drifting a pixel a frame) is 0 bits from
# its own frame and 8-12 from the 50 frames either side: the run's median, 8-10, failed every
# ceiling and the film raised nothing (three speeds of generated pan, session 21; a test-card
# film's frame 1200 in session 20). The frames close to it, within STRICT_MEDIAN, are then
# the segment, when there are MIN_FRAMES of them in a row and one of them is a copy of its
# library frame (within CORE_NEAREST: what a grabbed still is). Only in the whole frame: no
# unrelated real frame comes within 16 bits of a library frame through it as the matcher
# decides (docs/matching-thresholds.md, the margin); insets (6 bits), panels and the centre
# (4-8 over whole runs) keep their rules. Without CORE_NEAREST, generated filler shots gave 3
# false cores on set C (7-9 frames, every one 6 bits from a near-still stretch of the EBU
# clip, mirrored, none nearer).
CORE_BRIDGE = 2  # rows between two close rows that still leave them one core (a refresh)
CORE_NEAREST = 2  # bits: the closest frame of a core


def _close_core(
    d: NDArray[np.integer],
    sources: NDArray[np.int64],
    picture: str,
    strict_median: float,
    min_frames: int,
) -> tuple[int, int] | None:
    """Rows lo:hi of a piece whose median failed its ceiling that are a segment on their
    own: the longest stretch within `strict_median` (see CORE_BRIDGE), in the whole frame,
    holding a copy of a library frame (CORE_NEAREST)."""
    if picture != "frame" or np.mean(sources == 0) <= 0.5:
        return None
    close = np.flatnonzero(d <= strict_median)
    if len(close) < min_frames:
        return None
    groups = np.split(close, np.flatnonzero(np.diff(close) > CORE_BRIDGE) + 1)
    best = max(groups, key=len)
    lo, hi = int(best[0]), int(best[-1]) + 1
    if len(best) < min_frames or float(np.median(d[lo:hi])) > strict_median:
        return None
    if int(d[lo:hi].min()) > CORE_NEAREST:
        return None
    return lo, hi


def _part_of(piece: Piece, lo: int, hi: int) -> Piece:
    """Rows lo:hi of a piece (counted from its first row) as a piece of their own."""
    frames = piece.item_frames[lo:hi]
    same = np.flatnonzero(np.diff(frames) != 0)
    edges = np.r_[0, same + 1, len(frames)]
    held = int(np.diff(edges).max())
    return Piece(piece.lo + lo, piece.lo + hi, frames, piece.order, piece.speed, held)


def _median_ceiling(
    sources: NDArray[np.int64],
    picture: str,
    piece: Piece,
    matched: int,
    *,
    median_threshold: float,
    strict_median: float,
    long_frames: int,
    boxed: bool = False,
) -> float:
    """The highest median a piece of a run may have and still be a segment: the one place
    the segment rules on medians are decided (see the constants above). `boxed`: most of
    the piece's frames have an inset with a middle (a picture in the picture)."""
    if picture == "inset":
        through_part = boxed  # a filmed screen keeps the inset rule alone
    else:
        through_part = bool(np.mean(sources == 0) <= 0.5)  # a panel, the centre
    if through_part and piece.held_frames >= STILL_HOLD:
        return min(STILL_MEDIAN, median_threshold)
    moving = picture != "inset" and piece.order == FORWARD
    if matched >= long_frames and moving:
        return median_threshold
    return min(strict_median, median_threshold)


# The segment kind of each extra picture a frame may have (FrameHashes.extra, in the order
# of film_hashes.EXTRA_PICTURES): a passage found mostly in one panel is a split-screen panel.
EXTRA_VARIANTS = dict.fromkeys(EXTRA_PICTURES, "panel")
INSET_SOURCE = 1  # picture sources: 0 whole frame, 1 inset, 2 centre, 3.. the panels
FIRST_EXTRA = 3
PANELS = len(PANEL_MIDDLES)  # the extra pictures searched (the others confirm them)


def _variant_name(sources: NDArray[np.int64], variant: str) -> str:
    """What a segment's frames were mostly found through, as the segment's variant."""
    if np.mean(sources == 1) > 0.5:
        return "inset-" + variant if variant != "plain" else "inset"
    extra = _extra_found_in(sources)
    if extra is not None:
        return EXTRA_VARIANTS.get(EXTRA_PICTURES[extra - FIRST_EXTRA], variant)
    return variant


def _picture_name(sources: NDArray[np.int64]) -> str:
    """The picture of the frame a run was mostly found in: the frame itself (whole or
    centre), its inset (or filmed screen), or one panel of a split screen."""
    if np.mean(sources == 1) > 0.5:
        return "inset"
    extra = _extra_found_in(sources)
    return "frame" if extra is None else EXTRA_PICTURES[extra - FIRST_EXTRA]


def _extra_found_in(sources: NDArray[np.int64]) -> int | None:
    """The extra picture (its source number) most of a run's frames were found in, if any."""
    extra = sources[sources >= FIRST_EXTRA]
    return int(np.bincount(extra).argmax()) if len(extra) * 2 > len(sources) else None


def _mapped_with(sources: NDArray[np.int64]) -> tuple[int, ...]:
    """The pictures (their sources) a run of frames is mapped to library frames with: the
    panel it was found in, or the frame's own pictures. Mixing them would let a panel of a
    panning shot match a slice of a library frame further on, and bend the path (the speed,
    the source frames). A run found in a panel and in the inset, mostly the inset, is mapped
    with both: a panel scaled into its half of a stack is boxed by black, the inset detector
    draws the same picture once the other half's picture is narrower, and the frame's own
    pictures (the two halves) match nothing (issue 24, session 15: a generated shot 10
    frames off for 192, its panel's frames left out)."""
    extra = _extra_found_in(sources)
    if extra is not None:
        return (extra,)
    panels = sources[sources >= FIRST_EXTRA]
    inset = int((sources == INSET_SOURCE).sum())
    if (
        len(panels)
        and inset + len(panels) > len(sources) / 2
        and 2 * inset > len(sources) - len(panels)
    ):
        return (INSET_SOURCE, int(np.bincount(panels).argmax()))
    return tuple(range(FIRST_EXTRA))


def _ends_in(
    sources: NDArray[np.int64], lo: int, hi: int, mapped: tuple[int, ...]
) -> tuple[int, int]:
    """Rows `lo:hi` of a run without the rows at its ends found in another panel than the one
    it is mapped with: that panel shows other footage, and a run of a bottom panel that began
    with 10 frames of unrelated footage in the left half's picture was spread over them at
    0.94x (12 source frames off at its start; issue 24, session 15). Rows found in the inset
    stay: the inset of a scaled stack is one of its panels' pictures."""

    def elsewhere(row: int) -> bool:
        return int(sources[row]) >= FIRST_EXTRA and int(sources[row]) not in mapped

    while lo < hi and elsewhere(lo):
        lo += 1
    while hi > lo and elsewhere(hi - 1):
        hi -= 1
    return lo, hi


def find_segments(
    phash: NDArray[np.uint64],
    phash_mirror: NDArray[np.uint64],
    contrast: NDArray[np.float32],
    library: ReferenceLibrary,
    *,
    inset: NDArray[np.uint64] | None = None,
    inset_mirror: NDArray[np.uint64] | None = None,
    centre: NDArray[np.uint64] | None = None,
    centre_mirror: NDArray[np.uint64] | None = None,
    extra: NDArray[np.uint64] | None = None,
    frame_threshold: int = FRAME_THRESHOLD,
    median_threshold: int = MEDIAN_THRESHOLD,
    min_frames: int = MIN_FRAMES,
    max_gap: int = MAX_GAP,
    step: int = 1,
    film_rate: Fraction | None = None,
    on_chunk: OnChunk = _no_chunk,
) -> list[MatchSegment]:
    """Segments of the film (per-frame hashes, every `step`-th frame) matching library items.

    `inset`/`inset_mirror` hold, per frame, the hash of a picture shown smaller inside the
    frame (0 where there is none), `centre`/`centre_mirror` the hash of the middle of the
    picture (clear of subtitles and logos), `extra` (N x K) the hashes of the extra pictures
    of film_hashes.EXTRA_PICTURES (the panels of a split screen; 0 where none), each searched
    as a picture of its own, so that two films side by side are both found; a frame matches
    through any of them. Extra pictures are searched as shown, not mirrored. `on_chunk`
    follows the search (the plain pictures are the first half, the mirrored the second)."""
    usable = usable_frames(contrast)
    frames = np.flatnonzero(usable)
    segments: list[MatchSegment] = []
    asks: list[LookAgain] = []
    unsaid: list[MatchSegment] = []
    families = (
        ("plain", phash, inset, centre),
        ("mirror", phash_mirror, inset_mirror, centre_mirror),
    )
    for half, (variant, whole, part, middle) in enumerate(families):
        full = [np.asarray(whole, np.uint64)]
        for more in (part, middle):  # sources 1 (inset) and 2 (centre)
            ok = more is not None and len(more) == len(whole)
            full.append(np.asarray(more, np.uint64) if ok else np.zeros(len(whole), np.uint64))
        more = extra_columns(extra, len(whole))
        if variant == "plain" and more[:, :PANELS].any():
            full += list(more[:, :PANELS].T)  # sources 3.., in EXTRA_PICTURES order
        pictures = [p[frames] for p in full]
        hits = library.hits(
            pictures,
            frames,
            frame_threshold,
            median_threshold,
            max_gap,
            partial(_in_half, on_chunk, half),
        )
        confirm = confirming_pictures(full, more, half)
        screens = confirming_screens(more, half)
        hits = decided_hits(hits, confirm, library, screens, no_middle_marks(more))
        if not len(hits.frame):
            continue
        segments += segments_from_hits(
            hits,
            usable,
            library.items,
            variant,
            frame_threshold=frame_threshold,
            median_threshold=median_threshold,
            min_frames=min_frames,
            max_gap=max_gap,
            step=step,
            film_rate=film_rate,
            film_pictures=[np.asarray(p) for p in full],
            library=library,
            look_again=asks,
            boxed_insets=confirm[INSET_SOURCE] != 0,  # an inset with a middle
            screen_middles=screens[INSET_SOURCE],
            unsaid=unsaid,
        )
    ordered = sorted(segments, key=lambda s: (s.start, s.item_id))
    # flipped echoes leave only after the rivals they hide: a dark start found flipped at
    # median 0 hid another item's flipped segment at 6 (issue 24, session 15)
    final = _one_way_round(_drop_lesser_rivals(_drop_mirror_echoes(ordered)))
    # a screen that disagrees in its middle leaves last: it is no passage, but the echoes
    # and rivals it outweighed are no truer for it (a flipped echo of a dark start it hid,
    # 104 library frames off, came back when it left first; set C, session 17)
    refused = {id(u) for u in unsaid}  # the very objects: a segment's equal may be true
    final = [s for s in final if id(s) not in refused]
    return looked_again(final, asks, library, frame_threshold=frame_threshold, step=step)


# The picture that confirms a hit found through another (picture sources: 0 whole frame,
# 2 centre): a second pHash of another region at another scale, compared with the same
# library frame (its frame and every variant of it). On unrelated real footage single frames
# came within 8-10 bits of library frames through one picture (issue 24); through both at
# once far more rarely. A hit within MEDIAN_THRESHOLD stands alone: no unrelated whole or
# centre came that close, while the second picture of a re-framed, off-centre-cropped or
# overlaid copy often has no counterpart among the library's variants (the centre of a 9:16
# slice, of a crop of 12 % off-centre; a centre cleaned of an overlay against a whole frame
# with it). Insets and panels are confirmed by their middle (regions.middle_slice, the
# library's 9:16 centre slice) at every distance: through them alone unrelated real footage
# came within 10 bits, and segments through them within 4-6 (issue 24, session 12), while a
# true panel's or inset's middle is its library frame's 9:16 centre slice. A filmed screen,
# a wide panel or one too small to have a middle stands alone as before.
CONFIRMED_BY = {0: 2, 2: 0}


def extra_columns(extra: NDArray[np.uint64] | None, n: int) -> NDArray[np.uint64]:
    """The film's extra pictures as N x len(EXTRA_PICTURES) (0 for those it was not hashed
    with: fingerprints stored before them)."""
    out = np.zeros((n, len(EXTRA_PICTURES)), np.uint64)
    if extra is not None and len(extra) == n:
        have = np.asarray(extra, np.uint64)[:, : len(EXTRA_PICTURES)]
        out[:, : have.shape[1]] = have
    return out


def confirming_pictures(
    full: list[NDArray[np.uint64]], extra: NDArray[np.uint64], mirrored: int
) -> dict[int, NDArray[np.uint64]]:
    """Per picture source of one half of the search (`full`: its full-length pictures,
    `mirrored`: 0 plain, 1 mirrored), the full-length picture that confirms its hits."""
    out = {first: full[second] for first, second in CONFIRMED_BY.items()}
    out[INSET_SOURCE] = extra[:, EXTRA_PICTURES.index(INSET_MIDDLES[mirrored])]
    for k in range(len(full) - FIRST_EXTRA):
        out[FIRST_EXTRA + k] = extra[:, EXTRA_PICTURES.index(PANEL_MIDDLES[k])]
    return out


# A filmed screen's middle (session 15): 8-12 bits from its library frame's 9:16 slice where
# the screen is 4 (gamma, moiré, the phone's blur; see regions.frame_pictures), so it is asked
# only beyond MEDIAN_THRESHOLD, as the whole frame asks its centre. Through the screen alone,
# unrelated real footage came within 10 bits of library frames (issue 24, sessions 12-14).
def confirming_screens(extra: NDArray[np.uint64], mirrored: int) -> dict[int, NDArray[np.uint64]]:
    """The inset source's second picture where it is a filmed screen (full length, 0 where
    the frame has none), for `decided_hits`' hits beyond MEDIAN_THRESHOLD."""
    return {INSET_SOURCE: extra[:, EXTRA_PICTURES.index(SCREEN_MIDDLES[mirrored])]}


def confirming_distances(
    hits: FrameHits,
    confirm: dict[int, NDArray[np.uint64]],
    library: ReferenceLibrary,
    screens: bool = False,
) -> NDArray[np.int64]:
    """Per hit (film frames; `confirm`: each picture source's confirming picture, full
    length; `screens`: those pictures are filmed screens' middles), the distance of the
    frame's confirming picture to the library frame it hit (the closest of that frame's
    variants, or of those middle_rows names); -1 where the hit has no confirming picture."""
    out = np.full(len(hits.frame), -1, np.int64)
    for first, second in confirm.items():
        sel = np.flatnonzero(hits.source == first)
        if not len(sel):
            continue
        for item_id in np.unique(hits.item[sel]):
            mine = sel[hits.item[sel] == item_id]
            grid = library.grid(int(item_id))
            rows = middle_rows(first, screens, len(grid))
            if rows is not None:
                grid = grid[list(rows)]
            out[mine] = second_distances(second[hits.frame[mine]], grid, hits.item_frame[mine])
    return out


# Which of its library frame's 51 pictures a middle (regions.middle_slice: the 9:16 middle of
# a panel's or a filmed screen's picture) may be a copy of. Through the closest of all 51, the
# middles of unrelated real footage confirmed their pictures at 12 bits (issue 24, session 18):
# - a panel's middle, through the stacked panels' slices (32:9, 9:8): wide strips across the
#   frame that a portrait middle is no copy of. The middles of true panels (set A, 7,925
#   frames) came closest to the 9:16 middle slice or the 16:27 one, and to a few dozen others
#   (off-centre slices, crops: a panel cropped off-centre), to a stacked slice once;
#   comparing them with the 9:16 slice alone lost a picture squeezed into a stack's half
#   (session 15, 4cd21a0);
# - a filmed screen's middle (asked only beyond MEDIAN_THRESHOLD, confirming_screens), through
#   a centre crop: it is compared with the centred 9:16 slice, its copy, and the 4:5 one (a
#   16:9 picture shown squeezed). The filmed-monitor film's true screens lost 2 matched frames
#   of 2,963 by it, and no passage.
LIBRARY_ROWS = FIRST_SLICE + len(REFRAME_VARIANTS)  # an item's grid: the frame, variants, slices
PANEL_MIDDLE_ROWS = tuple(
    r
    for r in range(LIBRARY_ROWS)
    if r < FIRST_SLICE or REFRAME_VARIANTS[r - FIRST_SLICE] not in STACKED_SLICES
)
SCREEN_MIDDLE_ROWS = tuple(
    FIRST_SLICE + REFRAME_VARIANTS.index(f"reframe{a}@0.5") for a in ("9:16", "4:5")
)


def middle_rows(source: int, screens: bool, grid_rows: int) -> tuple[int, ...] | None:
    """The rows of its library frame's grid (`grid_rows` of them) a picture source's second
    picture is compared with (`screens`: a filmed screen's middle); None: every row (the
    whole frame's centre, the centre's whole frame, a boxed inset's middle, and any second
    picture of an item hashed before the library had all LIBRARY_ROWS)."""
    if grid_rows != LIBRARY_ROWS:
        return None
    if screens:
        return SCREEN_MIDDLE_ROWS
    return PANEL_MIDDLE_ROWS if source >= FIRST_EXTRA else None


def second_distances(
    pictures: NDArray[np.uint64], grid: NDArray[np.uint64], item_frames: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Per row, the distance of its second picture (`pictures`; 0 where it has none) to the
    closest variant of its library frame (`grid`: the item's variants x frames): -1 where
    there is no picture. What a hit is confirmed by (confirming_distances), and a filmed
    screen's segment (screen_agrees)."""
    near = hamming(pictures[None, :], grid[:, item_frames]).min(axis=0).astype(np.int64)
    return np.where(pictures != 0, near, -1)


def alone_within(source: int | NDArray[np.int64]) -> NDArray[np.int64]:
    """The distance within which a hit through picture `source` (one, or one a hit) needs no
    confirming picture: the whole frame and its centre within MEDIAN_THRESHOLD; an inset or a
    panel never (their second picture must agree, where they have one)."""
    return np.where(np.isin(source, tuple(CONFIRMED_BY)), MEDIAN_THRESHOLD, -1).astype(np.int64)


def decided_distances(
    first: NDArray[np.int64],
    second: NDArray[np.int64],
    alone: int | NDArray[np.int64] = MEDIAN_THRESHOLD,
) -> NDArray[np.int64]:
    """The distance a frame hit is accepted or refused by: both pictures must be close,
    unless the first is close enough alone (within `alone`: alone_within its picture)."""
    stands = (second < 0) | (first <= alone)
    return np.where(stands, first, np.maximum(first, second))


# An inset or a panel with no second picture cannot be confirmed beyond MEDIAN_THRESHOLD as
# every other picture is: a 32:9 half (the library has no slice for its middle), a screen in
# which middle_slice finds none, a panel too dark for one (reframes.confirmed_by_middle), a
# film fingerprinted before pictures had middles. Standing alone up to the frame threshold,
# such pictures of unrelated real footage came within 12 bits of library frames, no margin at
# all over it (the 32:9 halves of three clips; issue 24, session 18). Beyond FRAME_THRESHOLD -
# UNVOUCHED they are decided UNVOUCHED bits farther, as if a second picture had been that much
# farther: they count as matched within 10 bits. Within 8 (as every other picture) it cost a
# true passage: a dark shot scaled into a stack's half, its frames 8-10 bits off and its
# middles withheld for the dark (set A's split stacked scaled, passage 9). A segment's median
# (never above MEDIAN_THRESHOLD) is the same; only frames beyond 10 bits stop counting.
# Since session 19 the fingerprint marks the panels that can have no middle and are lit
# (film_hashes.NO_MIDDLE: a 32:9 half cropped from its film, not that dark shot, whose panel
# is never lit enough to tell its bars by): those count within 8, as a picture alone, and the
# 32:9 halves of unrelated real footage, 12 bits from library frames, are decided at 16.
UNVOUCHED = 2


def unvouched(
    decided: NDArray[np.int64],
    first: NDArray[np.int64],
    vouched: NDArray[np.bool_],
    source: int | NDArray[np.int64],
    no_middle: NDArray[np.bool_] | None = None,
) -> NDArray[np.int64]:
    """`decided` with the hits that had no second picture to vouch for them (`vouched`
    False; `first`: their own distance), through an inset or a panel and beyond
    FRAME_THRESHOLD - UNVOUCHED, decided UNVOUCHED bits farther; through a panel that can
    have no middle (`no_middle`, the film's mark: a 32:9 half), beyond MEDIAN_THRESHOLD,
    decided as far beyond the frame threshold: it counts within 8, as a picture alone."""
    lone = (first > FRAME_THRESHOLD - UNVOUCHED) & ~vouched
    lone &= ~np.isin(source, tuple(CONFIRMED_BY))
    decided = np.where(lone, np.maximum(decided, first + UNVOUCHED), decided)
    if no_middle is None:
        return decided
    alone = no_middle & ~vouched & (first > MEDIAN_THRESHOLD)
    return np.where(alone, np.maximum(decided, first + FRAME_THRESHOLD - MEDIAN_THRESHOLD), decided)


def without_middle(marks: NDArray[np.uint64], source: int | NDArray[np.int64]) -> NDArray[np.bool_]:
    """Per hit (`marks`: the film's NO_MIDDLE mark of each hit's frame, `source`: its picture
    source), whether it was found through a panel that can have no middle."""
    panel = np.asarray(source, np.int64) - FIRST_EXTRA
    bit = np.right_shift(np.asarray(marks, np.uint64), np.maximum(panel, 0).astype(np.uint64))
    return (panel >= 0) & ((bit & np.uint64(1)) == 1)


def no_middle_marks(extra: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The film's NO_MIDDLE column (extra_columns: 0 for a film fingerprinted before it)."""
    return extra[:, EXTRA_PICTURES.index(NO_MIDDLE)]


# A split screen's panel and its middle count as matched within 10 bits each, where the
# whole frame, its centre and a filmed screen count within the frame threshold (12). Cut
# into halves, thirds and quarters, unrelated real footage gave panels 14 bits from library
# frames whose middles were within 14 of the same frames (near a crop of them, where true
# middles are near the 9:16 and 16:27 slices): a margin of 2 bits over the frame threshold,
# 4 asked (issue 24, session 18). Held PANEL_HOLD bits farther beyond 10, they are decided
# at 16 or more; on the filmed monitor, set C and set A (23, 127 and 117 segments) every
# segment stayed the same; 115 of 34,663 matched frames stopped counting (session 19).
PANEL_HOLD = 2


def held_panels(distances: NDArray[np.int64], source: int | NDArray[np.int64]) -> NDArray[np.int64]:
    """Distances of a panel's picture or of its middle (`source`: the panel's picture
    source, one or one a distance), those beyond FRAME_THRESHOLD - PANEL_HOLD decided
    PANEL_HOLD bits farther; -1 (no picture) and every other picture's as they are."""
    far = (distances > FRAME_THRESHOLD - PANEL_HOLD) & (np.asarray(source) >= FIRST_EXTRA)
    return np.where(far, distances + PANEL_HOLD, distances)


def decided_hits(
    hits: FrameHits,
    confirm: dict[int, NDArray[np.uint64]],
    library: ReferenceLibrary,
    beyond: dict[int, NDArray[np.uint64]] | None = None,
    marks: NDArray[np.uint64] | None = None,
) -> FrameHits:
    """The hits with the distance they are decided by. A hit whose confirming picture is far
    is kept, beyond the frame threshold: it does not count as a matched frame and weighs on
    its segment's median, but it does not cut a passage in two either (a burned-in subtitle
    or a logo can spoil a copy's centre for a few frames)."""
    second = held_panels(confirming_distances(hits, confirm, library), hits.source)
    first = held_panels(hits.distance, hits.source)
    decided = decided_distances(first, second, alone_within(hits.source))
    vouched = second >= 0
    if beyond:  # a second picture asked only beyond MEDIAN_THRESHOLD (confirming_screens)
        more = confirming_distances(hits, beyond, library, screens=True)
        decided = decided_distances(decided, more)
        vouched |= more >= 0
    no_middle = None if marks is None else without_middle(marks[hits.frame], hits.source)
    decided = unvouched(decided, hits.distance, vouched, hits.source, no_middle)
    return FrameHits(hits.frame, hits.item, hits.item_frame, decided, hits.source)


class PerFrameHashes(Protocol):
    """What a film's frames were hashed into (media.fingerprint.FrameHashes, or the stored
    db.fingerprint_store.FilmFingerprints)."""

    @property
    def phash(self) -> NDArray[np.uint64]: ...
    @property
    def phash_mirror(self) -> NDArray[np.uint64]: ...
    @property
    def contrast(self) -> NDArray[np.float32]: ...
    @property
    def inset(self) -> NDArray[np.uint64] | None: ...
    @property
    def inset_mirror(self) -> NDArray[np.uint64] | None: ...
    @property
    def centre(self) -> NDArray[np.uint64] | None: ...
    @property
    def centre_mirror(self) -> NDArray[np.uint64] | None: ...
    @property
    def extra(self) -> NDArray[np.uint64] | None: ...


def segments_of_hashes(
    h: PerFrameHashes,
    library: ReferenceLibrary,
    *,
    step: int = 1,
    film_rate: Fraction | None = None,
    frame_threshold: int = FRAME_THRESHOLD,
    median_threshold: int = MEDIAN_THRESHOLD,
    min_frames: int = MIN_FRAMES,
    on_chunk: OnChunk = _no_chunk,
) -> list[MatchSegment]:
    """find_segments over every hash a frame has (whole, inset, centre; plain and mirrored):
    the one call `match`, `verify --project` and `screen` share, so they find the same."""
    return find_segments(
        h.phash,
        h.phash_mirror,
        h.contrast,
        library,
        inset=h.inset,
        inset_mirror=h.inset_mirror,
        centre=h.centre,
        centre_mirror=h.centre_mirror,
        extra=h.extra,
        step=step,
        film_rate=film_rate,
        frame_threshold=frame_threshold,
        median_threshold=median_threshold,
        min_frames=min_frames,
        on_chunk=on_chunk,
    )


def _item_range(
    item: ReferenceItem,
    start: int,
    end: int,
    frames: NDArray[np.int64],
    item_frames: NDArray[np.int64],
    film_rate: Fraction | None,
) -> tuple[int, int]:
    """The item frames the film's start..end shows: a line fitted to all matched frames.

    Per-frame nearest item frames wander inside slow or static passages; a line through the
    medians of the first and last third is stable, and its slope follows a copy played
    faster or slower (0.5x-2x) or conformed to another rate."""
    if len(item.hashes) == 1:
        return 0, 0
    ratio = float(item.rate / film_rate) if item.rate and film_rate else 1.0
    third = max(1, len(frames) // 3)
    span = float(np.median(frames[-third:]) - np.median(frames[:third]))
    if span >= 6:  # enough film frames to measure the speed
        slope = float(np.median(item_frames[-third:]) - np.median(item_frames[:third])) / span
        if 0.4 * ratio <= slope <= 2.5 * ratio:
            ratio = slope
    offset = float(np.median(item_frames - frames * ratio))
    last = len(item.hashes) - 1
    return (
        min(max(round(start * ratio + offset), 0), last),
        min(max(round(end * ratio + offset), 0), last),
    )


def _drop_mirror_echoes(segments: list[MatchSegment]) -> list[MatchSegment]:
    """A near-symmetric picture matches both ways: keep the closer variant where they overlap."""
    kept: list[MatchSegment] = []
    for seg in segments:
        rival = next(
            (
                k
                for k in kept
                if k.item_id == seg.item_id
                and _is_mirrored(k) != _is_mirrored(seg)
                and k.start <= seg.end
                and seg.start <= k.end
            ),
            None,
        )
        if rival is None:
            kept.append(seg)
        elif seg.median_distance < rival.median_distance:
            kept[kept.index(rival)] = seg
    return kept


def _is_mirrored(segment: MatchSegment) -> bool:
    return segment.variant.endswith("mirror")


def _one_way_round(segments: list[MatchSegment]) -> list[MatchSegment]:
    """Segments of one item less than ECHO_REACH film frames apart (one after another) are one
    passage, and a copy is flipped for the whole of it or not at all: where such a run has
    segments both ways round, only those of the way with more matched frames are kept."""
    kept: list[MatchSegment] = []
    for item_id in sorted({s.item_id for s in segments}):
        mine = sorted((s for s in segments if s.item_id == item_id), key=lambda s: s.start)
        run: list[MatchSegment] = []
        reach = -1
        for seg in [*mine, None]:
            if run and (seg is None or seg.start - reach > ECHO_REACH):
                frames = {False: 0, True: 0}
                for s in run:
                    frames[_is_mirrored(s)] += s.matched_frames
                way = frames[True] > frames[False]
                kept += [s for s in run if frames[not way] == 0 or _is_mirrored(s) == way]
                run = []
            if seg is not None:
                run.append(seg)
                reach = max(reach, seg.end) if len(run) > 1 else seg.end
    return sorted(kept, key=lambda s: (s.start, s.item_id))


def _drop_lesser_rivals(segments: list[MatchSegment]) -> list[MatchSegment]:
    """One picture shows one thing at a time: a segment lying mostly inside a segment of
    another item found in the same picture (the frame, its inset, one panel) with a lower
    median is dropped. A crater-lake pan re-framed to 1:1 (median 0) also came within 8 bits
    of a dark product shot held still for 44 frames (issue 24, session 11). Two panels of a
    split screen are two pictures, so two films side by side are both kept."""

    def inside(s: MatchSegment, k: MatchSegment) -> bool:
        shared = min(s.end, k.end) - max(s.start, k.start) + 1
        return 2 * shared > s.end - s.start + 1

    return [
        s
        for s in segments
        if not any(
            k.item_id != s.item_id
            and k.picture == s.picture
            and k.median_distance < s.median_distance
            and inside(s, k)
            for k in segments
        )
    ]
