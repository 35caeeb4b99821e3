"""One record for an annotation in every file: every field is carried or said not to be, and a
record comes back as the annotation it was written from."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given
from hypothesis import strategies as st

from critique_app.domain.annotation_record import CARRIED, NOT_CARRIED, from_record, to_record
from critique_app.domain.model import (
    CONFIDENCES,
    STATUSES,
    Annotation,
    FrameRange,
    Keyframe,
    Region,
)

text = st.text(max_size=30)
point = st.tuples(
    st.floats(0, 1, allow_nan=False, width=32), st.floats(0, 1, allow_nan=False, width=32)
)
region = st.builds(
    Region,
    st.just("rectangle"),
    st.lists(
        st.builds(Keyframe, st.integers(0, 10_000), st.tuples(point, point)),
        min_size=1,
        max_size=3,
        unique_by=lambda k: k.frame,
    ).map(lambda ks: tuple(sorted(ks, key=lambda k: k.frame))),
    st.none() | text,
)


@st.composite
def annotations(draw: st.DrawFn) -> Annotation:
    start = draw(st.integers(0, 100_000))
    return Annotation(
        id=None,
        uuid=draw(st.uuids()).hex,
        film_id=0,
        tier_id=0,
        range=FrameRange(start, start + draw(st.integers(0, 5_000))),
        tags=tuple(draw(st.lists(text.filter(str.strip), max_size=4))),
        note=draw(text),
        status=draw(st.sampled_from(STATUSES)),
        confidence=draw(st.sampled_from(CONFIDENCES)),
        evidence=draw(st.none() | text.filter(bool)),
        author=draw(text),
        created_at="2026-12-05T07:00:00+00:00",
        modified_at="2026-12-05T07:01:00+00:00",
        regions=tuple(draw(st.lists(region, max_size=2))),
        value=draw(text),
        parent_uuid=draw(st.none() | st.uuids().map(lambda u: u.hex)),
    )


def test_every_field_is_carried_or_said_not_to_be() -> None:
    """A field added to Annotation must be written by the record or named as not carried,
    never dropped by one format and kept by another."""
    record = to_record(Annotation(id=None, uuid="u", film_id=0, tier_id=0, range=FrameRange(0, 1)))
    for f in dataclasses.fields(Annotation):
        names = CARRIED.get(f.name, (f.name,))
        assert f.name in NOT_CARRIED or all(n in record for n in names), f.name


@given(annotations())
def test_a_record_comes_back_as_its_annotation_through_json(a: Annotation) -> None:
    back = from_record(json.loads(json.dumps(to_record(a))))
    assert back.content() == a.content()
    assert (back.status, back.confidence, back.evidence, back.author) == (
        a.status,
        a.confidence,
        a.evidence,
        a.author,
    )
    assert (back.value, back.parent_uuid, back.regions) == (a.value, a.parent_uuid, a.regions)


def test_a_note_kept_outside_the_record_wins() -> None:
    a = Annotation(id=None, uuid="u", film_id=0, tier_id=0, range=FrameRange(3, 9), note="old")
    assert from_record(to_record(a), note="ELAN's own text").note == "ELAN's own text"


def test_a_cut_down_record_still_comes_in_with_a_new_annotation_s_defaults() -> None:
    a = from_record({"uuid": "u", "start": "3", "end": 9})
    assert (a.range, a.status, a.confidence, a.evidence, a.tags) == (
        FrameRange(3, 9),
        "observed",
        "medium",
        None,
        (),
    )
