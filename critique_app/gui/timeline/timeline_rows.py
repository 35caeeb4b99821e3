"""Overlapping annotations of one tier share its track in sub-rows, so no bar hides another.

Plain Python, no Qt: the packing runs once when the tracks are loaded (never per paint), and it
is deterministic, so a bar keeps its sub-row from one repaint to the next.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence


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
