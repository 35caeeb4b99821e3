"""Sub-rows of a tier's track: overlapping annotations never share one, and no more are used
than the busiest frame needs (plain Python, no widget)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from critique_app.gui.timeline.timeline_rows import pack_rows, row_count

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
