"""The annotation model: inclusive frame ranges, normalised regions and their interpolation."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from critique_app.domain.model import Annotation, FrameRange, Keyframe, Region, Relation, trusted

unit = st.floats(min_value=0, max_value=1, allow_nan=False)


def test_frame_range_is_inclusive() -> None:
    r = FrameRange(10, 12)
    assert r.length == 3 and 10 in r and 12 in r and 13 not in r
    assert FrameRange.single(5).is_single_frame and FrameRange.single(5).length == 1
    assert FrameRange(0, 10).overlaps(FrameRange(10, 20))
    assert not FrameRange(0, 9).overlaps(FrameRange(10, 20))
    with pytest.raises(ValueError, match="end on or after"):
        FrameRange(5, 4)
    with pytest.raises(ValueError, match="before frame 0"):
        FrameRange(-1, 4)


def test_rectangle_moves_linearly_between_keyframes() -> None:
    r = Region(
        "rectangle",
        (Keyframe(0, ((0.0, 0.0), (0.2, 0.2))), Keyframe(10, ((0.5, 0.4), (0.7, 0.6)))),
    )
    assert r.interpolate(-5) == ((0.0, 0.0), (0.2, 0.2))  # held before the first keyframe
    assert [c for p in r.interpolate(5) for c in p] == pytest.approx([0.25, 0.2, 0.45, 0.4])
    assert r.interpolate(99) == ((0.5, 0.4), (0.7, 0.6))
    assert r.bounds(10) == (0.5, 0.4, 0.7, 0.6)
    # On another resolution, the same picture area.
    assert [c for p in r.to_pixels(10, 1920, 1080) for c in p] == pytest.approx(
        [960, 432, 1344, 648]
    )
    assert [c for p in r.to_pixels(10, 1280, 720) for c in p] == pytest.approx([640, 288, 896, 432])


def test_region_rules() -> None:
    with pytest.raises(ValueError, match="fractions of the picture"):
        Region.still("rectangle", [(0.1, 0.1), (1.2, 0.5)])
    with pytest.raises(ValueError, match="not a region shape"):
        Region.still("star", [(0.1, 0.1), (0.2, 0.5)])
    with pytest.raises(ValueError, match="exactly two"):
        Region.still("ellipse", [(0.1, 0.1), (0.2, 0.5), (0.3, 0.3)])
    with pytest.raises(ValueError, match="at least 3"):
        Region.still("polygon", [(0.1, 0.1), (0.2, 0.5)])
    with pytest.raises(ValueError, match="distinct frames"):
        Region("freehand", (Keyframe(3, ((0, 0), (1, 1))), Keyframe(3, ((0, 0), (1, 1)))))


def test_outlines_of_different_sizes_hold_until_next_keyframe() -> None:
    r = Region(
        "freehand",
        (Keyframe(0, ((0.1, 0.1), (0.2, 0.2))), Keyframe(4, ((0.3, 0.3), (0.4, 0.4), (0.5, 0.5)))),
    )
    assert r.interpolate(2) == ((0.1, 0.1), (0.2, 0.2))
    assert len(r.interpolate(4)) == 3


@given(
    a=st.tuples(unit, unit, unit, unit),
    b=st.tuples(unit, unit, unit, unit),
    span=st.integers(1, 500),
    at=st.integers(0, 500),
)
def test_interpolated_points_stay_inside_the_picture_and_between_keys(
    a: tuple[float, float, float, float],
    b: tuple[float, float, float, float],
    span: int,
    at: int,
) -> None:
    r = Region(
        "rectangle",
        (Keyframe(0, ((a[0], a[1]), (a[2], a[3]))), Keyframe(span, ((b[0], b[1]), (b[2], b[3])))),
    )
    for (x, y), (ax, ay), (bx, by) in zip(
        r.interpolate(min(at, span)), r.keyframes[0].points, r.keyframes[1].points, strict=True
    ):
        assert min(ax, bx) - 1e-12 <= x <= max(ax, bx) + 1e-12
        assert min(ay, by) - 1e-12 <= y <= max(ay, by) + 1e-12
    assert Region.from_json("rectangle", r.to_json()) == r


def test_annotation_checks_and_normalises() -> None:
    a = Annotation.create(1, 1, FrameRange(0, 0), tags=[" b", "a", "b", ""])
    assert a.tags == ("a", "b")
    with pytest.raises(ValueError, match="not a status"):
        Annotation.create(1, 1, FrameRange(0, 0), status="maybe")
    with pytest.raises(ValueError, match="not a confidence"):
        Annotation.create(1, 1, FrameRange(0, 0), confidence="total")
    b = a.with_changes(note="x")
    assert b.uuid == a.uuid and b.note == "x" and a.note == ""


def test_relation_reads_both_ways() -> None:
    rel = Relation(1, source_id=7, target_id=9, kind="counter-reading of")
    assert rel.label_from(7) == "counter-reading of"
    assert rel.label_from(9) == "has counter-reading"
    assert Relation(2, 7, 9, "echoes").label_from(9) == "echoes (inverse)"


def test_a_placed_annotation_is_the_replaced_one() -> None:
    read = Annotation.create(0, 0, FrameRange(0, 0), tags=("vtt-id:7", "voice:Léa"), value="Non.")
    placed = read.placed(FrameRange(25, 61), 3, 4, None)
    assert placed == dataclasses.replace(
        read, range=FrameRange(25, 61), film_id=3, tier_id=4, category_id=None
    )
    assert read.range == FrameRange(0, 0) and read.film_id == 0  # the one read is left as it was


def test_a_trusted_annotation_is_the_checked_one() -> None:
    fields = dict(
        id=None,
        uuid="u",
        film_id=0,
        tier_id=0,
        range=FrameRange(0, 0),
        tags=("vtt-id:1",),
        value="words",
        created_at="2026-01-01T00:00:00+00:00",
        modified_at="2026-01-01T00:00:00+00:00",
    )
    made = trusted(Annotation, **fields)
    assert made == Annotation(**fields)  # type: ignore[arg-type]
    assert dataclasses.asdict(made) == dataclasses.asdict(Annotation(**fields))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="created_at, modified_at"):
        trusted(Annotation, id=None, uuid="u", film_id=0, tier_id=0, range=FrameRange(0, 0))
