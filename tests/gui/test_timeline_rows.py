"""Sub-rows of a tier's track: overlapping annotations never share one, and no more are used
than the busiest frame needs (plain Python, no widget)."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from critique_app.gui.timeline.timeline_rows import pack_rows, repack_rows, row_count

spans_strategy = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 60)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=60,
)


def busiest_frame(spans: list[tuple[int, int]]) -> int:
    covered = Counter(f for start, end in spans for f in range(start, end + 1))
    return max(covered.values(), default=0)


def test_a_tier_without_overlaps_keeps_one_row() -> None:
    assert pack_rows([(0, 10), (11, 20), (40, 40)]) == [0, 0, 0]
    assert row_count([]) == 1


def test_overlaps_stack_and_reuse_the_lowest_free_row() -> None:
    # 30-90 and 40-50 overlap 10-60; 100-120 fits on the first row again; 55-58 into row 2
    spans = [(10, 60), (30, 90), (40, 50), (100, 120), (55, 58)]
    assert pack_rows(spans) == [0, 1, 2, 0, 2]


def test_sharing_one_frame_is_overlapping() -> None:
    assert pack_rows([(0, 10), (10, 20)]) == [0, 1]  # ends are inclusive
    assert pack_rows([(5, 5), (5, 5), (6, 6)]) == [0, 1, 0]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(spans_strategy)
def test_no_two_bars_of_a_row_overlap_and_rows_are_as_few_as_possible(
    spans: list[tuple[int, int]],
) -> None:
    rows = pack_rows(spans)
    assert len(rows) == len(spans)
    for i, (a0, a1) in enumerate(spans):
        for j in range(i + 1, len(spans)):
            b0, b1 = spans[j]
            if rows[i] == rows[j]:
                assert a1 < b0 or b1 < a0, (spans[i], spans[j])
    if spans:
        assert row_count(rows) == busiest_frame(spans)
    # stable: the same data packs the same way, whatever order it arrives in
    assert pack_rows(spans) == rows
    order = sorted(range(len(spans)), key=lambda i: (spans[i], i))
    again = pack_rows([spans[i] for i in order])
    assert sorted(again) == sorted(rows)


@dataclass
class Span:
    start: int
    end: int
    id: int
    row: int = -1


def _order(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    spans_strategy,
    st.lists(st.integers(0, 10_000), max_size=3),  # which spans an edit removes
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(0, 60)).map(lambda t: (t[0], t[0] + t[1])),
        max_size=2,
    ),  # the spans it brings (a new annotation, a moved edge: a removal and an addition)
)
def test_an_edit_repacks_as_packing_everything_again(
    spans: list[tuple[int, int]], removed: list[int], added: list[tuple[int, int]]
) -> None:
    old = sorted((Span(s, e, i) for i, (s, e) in enumerate(spans)), key=_order)
    for span, row in zip(old, pack_rows([(s.start, s.end) for s in old]), strict=True):
        span.row = row
    gone = {old[i % len(old)].id for i in removed} if old else set()
    brought = [Span(s, e, len(spans) + n) for n, (s, e) in enumerate(added)]
    new = sorted([s for s in old if s.id not in gone] + brought, key=_order)
    keys = [_order(s) for s in old if s.id in gone] + [_order(s) for s in brought]
    if not keys:
        return
    first = bisect.bisect_left(new, min(keys), key=_order)
    new_stop = bisect.bisect_right(new, max(keys), key=_order)
    old_stop = bisect.bisect_right(old, max(keys), key=_order)
    rows = row_count([s.row for s in old])
    for j, row in repack_rows(old, new, first, old_stop, new_stop, rows):
        new[j].row = row
    assert [s.row for s in new] == pack_rows([(s.start, s.end) for s in new])
