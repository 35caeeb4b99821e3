"""Each format read back by its real consumer: OpenTimelineIO, pympi (ELAN), webvtt-py."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import opentimelineio as otio
import pympi
import webvtt

from critique_app.services import export as service
from exporters.markers import item_marker_text


def test_otio_source_ranges_match_frames_at_the_films_rate(sample, tmp_path: Path) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    out = service.export(doc, "otio", tmp_path / "seminar.otio")
    timeline = otio.adapters.read_from_file(str(out))
    clips = list(timeline.find_clips())
    assert len(clips) == len(doc.items) == 5
    for clip, item in zip(clips, doc.items, strict=True):
        rng = clip.source_range
        assert rng.start_time.rate == float(item.film.rate)
        first = rng.start_time.to_frames() - item.film.start_frame
        assert (first, first + rng.duration.to_frames() - 1) == (item.range.start, item.range.end)
        assert clip.media_reference.target_url == Path(item.film.path).as_uri()
        marker = clip.markers[0]
        assert marker.name == item_marker_text(item)
        assert marker.name != f"Passage {item.position}" or not (item.text or item.prompt)
        assert marker.metadata["critique"]["note"] == item.text
        assert marker.metadata["critique"]["prompt"] == item.prompt
    # the 29.97 film starts at 01:00:00;00: editors see the film's own timecode
    wall = next(c for c, i in zip(clips, doc.items, strict=True) if i.film.start_timecode)
    assert otio.opentime.to_timecode(wall.source_range.start_time).startswith("01:00:00")


def test_edl_read_back_by_the_cmx_adapter(sample, tmp_path: Path) -> None:
    doc = service.film_document(sample.project, sample.films[1].id)  # one rate: 30000/1001
    out = service.export(doc, "edl", tmp_path / "wall.edl")
    text = out.read_text()
    assert "TITLE:" in text
    rate = float(Fraction(30000, 1001))
    timeline = otio.adapters.read_from_file(str(out), adapter_name="cmx_3600", rate=rate)
    clips = list(timeline.find_clips())
    assert len(clips) == len(doc.items) == 2
    for clip, item in zip(clips, doc.items, strict=True):
        first = clip.source_range.start_time.to_frames() - item.film.start_frame
        assert first == item.range.start
        assert clip.source_range.duration.to_frames() == item.range.length


def test_eaf_read_by_pympi_with_tiers_times_and_vocabulary(sample, tmp_path: Path) -> None:
    film = sample.films[0]
    doc = service.film_document(sample.project, film.id)
    out = service.export(doc, "eaf", tmp_path / "drift.eaf")
    eaf = pympi.Elan.Eaf(str(out))
    assert {"Alice", "Regimes", "Alice · note", "Regimes · note"} <= set(eaf.get_tier_names())
    assert eaf.get_parameters_for_tier("Alice")["PARTICIPANT"] == "Alice Martin"
    ((start, end, value),) = eaf.get_annotation_data_for_tier("Alice")
    alice = next(i for i in doc.items if i.tier.name == "Alice")
    # ELAN counts milliseconds: in-frame start and out-frame end, at 24 fps
    assert (start, end) == (
        round(alice.range.start * 1000 / 24),
        round((alice.range.end + 1) * 1000 / 24),
    )
    assert value == alice.category.label_en
    (note,) = eaf.get_ref_annotation_data_for_tier("Alice · note")
    assert note[2] == alice.annotation.note
    assert list(eaf.get_controlled_vocabulary_names()) == [doc.vocabulary.key]
    entries = eaf.get_cv_entries(doc.vocabulary.key)
    assert len(entries) == len(doc.vocabulary.categories)
    labels = {v[0] for values, _ in entries.values() for v in values if v[1] == "eng"}
    assert alice.category.label_en in labels
    lt = eaf.get_parameters_for_linguistic_type("critique-category")
    assert lt["CONTROLLED_VOCABULARY_REF"] == doc.vocabulary.key


def test_vtt_read_by_webvtt_py(sample, tmp_path: Path) -> None:
    film = sample.films[1]
    doc = service.film_document(sample.project, film.id)
    out = service.export(doc, "vtt", tmp_path / "wall.vtt")
    cues = list(webvtt.read(str(out)))
    assert len(cues) == 2
    for cue, item in zip(cues, sorted(doc.items, key=lambda i: i.range.start), strict=True):
        assert cue.identifier == item.annotation.uuid
        start = Fraction(cue.start_in_seconds) + Fraction(int(cue.start.split(".")[1][:3]), 1000)
        assert round(start * film.rate) == item.range.start
        assert item.category_label in cue.text
        assert item.annotation.note.splitlines()[0] in cue.text
    srt = service.export(doc, "srt", tmp_path / "wall.srt")
    assert list(webvtt.from_srt(str(srt)))[0].text == cues[0].text
