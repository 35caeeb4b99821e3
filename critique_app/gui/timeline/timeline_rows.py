"""Overlapping annotations of one tier share its track in sub-rows, so no bar hides another.

Plain Python, no Qt: the packing runs once when the tracks are loaded (never per paint), and it
is deterministic, so a bar keeps its sub-row from one repaint to the next.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Protocol


def pack_rows(spans: Sequence[tuple[int, int]]) -> list[int]:
    """The sub-row of each (start, end) span (end inclusive), in the order given.

    Greedy interval packing in order of start (then end, then position): each span goes into
    the lowest sub-row whose last span ended before it starts. This uses as few sub-rows as
    the busiest frame needs (the most spans covering one frame), and two spans share a sub-row
    only when they share no frame.
    """
    order = sorted(range(len(spans)), key=spans.__getitem__)  # stable: ties keep their order
    rows = [0] * len(spans)
    busy: list[tuple[int, int]] = []  # (last frame, sub-row) of the sub-rows in use
    free: list[int] = []  # sub-rows whose last span has ended, lowest first
    push, pop = heapq.heappush, heapq.heappop
    count = 0
    for i in order:
        start, end = spans[i]
        while busy and busy[0][0] < start:
            push(free, pop(busy)[1])
        if free:
            row = pop(free)
        else:
            row, count = count, count + 1
        rows[i] = row
        push(busy, (end if end > start else start, row))
    return rows


def row_count(rows: Sequence[int]) -> int:
    """How many sub-rows a track needs (at least one, even when empty)."""
    return max(rows, default=0) + 1


class Packed(Protocol):
    """A span with the sub-row `pack_rows` gave it (a timeline bar)."""

    start: int
    end: int
    row: int


def _place(busy: dict[int, int], start: int, end: int) -> int:
    """`pack_rows`'s choice, said another way: the lowest sub-row whose last span ended before
    `start` (a sub-row never used counts as ended)."""
    row = 0
    while busy.get(row, -1) >= start:
        row += 1
    busy[row] = max(start, end)
    return row


def _same_ahead(mine: dict[int, int], theirs: dict[int, int], start: int) -> bool:
    """Whether two packings in the middle of the same spans decide alike from here on: the
    same sub-rows still busy at `start`, busy up to the same frame."""
    return {r: e for r, e in mine.items() if e >= start} == {
        r: e for r, e in theirs.items() if e >= start
    }


def repack_rows(
    old: Sequence[Packed],
    new: Sequence[Packed],
    first: int,
    old_stop: int,
    new_stop: int,
    rows: int,
) -> list[tuple[int, int]]:
    """After an edit, the sub-rows `pack_rows` would give `new`, found without packing it all.

    `old` is the list as packed (each span's `row` set, `rows` sub-rows in all), `new` the
    list after the edit (both in `pack_rows`'s order): they hold the same spans before
    `first`, and the same from `old_stop` / `new_stop` to their ends. Returns (index in `new`,
    sub-row) for every span of the edited stretch and every later span whose sub-row
    changes; the others keep theirs. Packing 3,000 annotations of a tier again took several
    milliseconds a key press: this packs the edited stretch, then follows both packings only
    until they decide alike again (usually a few spans later)."""
    before: dict[int, int] = {}  # sub-row -> where its last span before `first` ends
    for i in range(first - 1, -1, -1):
        span = old[i]
        if span.row not in before:
            before[span.row] = max(span.start, span.end)
            if len(before) == rows:
                break
    mine, theirs = dict(before), before
    changes = [(j, _place(mine, new[j].start, new[j].end)) for j in range(first, new_stop)]
    for i in range(first, old_stop):
        theirs[old[i].row] = max(old[i].start, old[i].end)
    for j in range(new_stop, len(new)):
        span = new[j]  # the very span old[j + old_stop - new_stop] is, with its old sub-row
        if _same_ahead(mine, theirs, span.start):
            break
        row = _place(mine, span.start, span.end)
        theirs[span.row] = max(span.start, span.end)
        if row != span.row:
            changes.append((j, row))
    return changes
