"""Markers for editors: EDL, FCP 7 XML and FCPXML read back by OpenTimelineIO's adapters, to the
frame, at 24, 25, 29.97 drop-frame and 23.976; a timeline longer than 24 hours; real EDLs.

These formats never read the media, so the films here are plain values (no clip is encoded).
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree as ET

import opentimelineio as otio
import pytest

from critique_app.domain.model import Annotation, Category, Film, FrameRange
from critique_app.domain.timecode import frame_to_smpte
from critique_app.services import export as service
from exporters.document import ExportDocument, ExportItem
from exporters.markers import marker_text

FOREIGN = Path(__file__).parent / "foreign"

# rate, drop-frame, start timecode of the film
RATES = {
    "24": (Fraction(24), False, None),
    "25": (Fraction(25), False, "10:00:00:00"),
    "29.97DF": (Fraction(30000, 1001), True, "01:00:00;00"),
    "23.976": (Fraction(24000, 1001), False, "00:59:59:00"),
}
DRIFT = Category("drift", "Identity drift", id=1)
TEXT = Category("text", "Hallucinated text", id=2)


def film(rate: Fraction, drop: bool, start: str | None, n: int = 1, frames: int = 200_000) -> Film:
    return Film(
        n,
        f"Film {n}",
        f"/archive/films/film {n}.mov",
        f"{n:02d}" * 32,
        1,
        rate,
        frames,
        width=1920,
        height=1080,
        start_timecode=start,
        drop_frame=drop,
    )


def editors_doc(key: str) -> ExportDocument:
    """Four passages; one crosses the first minute, where drop-frame skips two labels."""
    rate, drop, start = RATES[key]
    f = film(rate, drop, start)
    specs = [
        (FrameRange(12, 47), DRIFT, "The face morphs without a cut\nand the eyes drift"),
        (FrameRange(1790, 1815), TEXT, "2 signs | R0ZA"),
        (FrameRange(17980, 18010), None, "Ten minutes in: the wall breathes"),
    ]
    items = []
    for n, (frames, category, note) in enumerate(specs, start=1):
        a = Annotation.create(
            1, 1, frames, note=note, category_id=category.id if category else None
        )
        items.append(ExportItem(n, f, frames, a, category))
    items.append(ExportItem(4, f, FrameRange(30000, 30099), prompt="Where is the camera?"))
    return ExportDocument(f"Editors {key}", tuple(items))


def expected_text(item: ExportItem) -> str:
    return marker_text(item.annotation, item.category_label) or item.prompt


def record_starts(doc: ExportDocument) -> list[int]:
    starts, at = [], 0
    for item in doc.items:
        starts.append(at)
        at += item.range.length
    return starts


@pytest.mark.parametrize("key", list(RATES))
def test_edl_read_back_by_otio_to_the_frame(key: str, tmp_path: Path) -> None:
    doc = editors_doc(key)
    rate, drop, _ = RATES[key]
    out = service.export(doc, "edl", tmp_path / "passages.edl")
    text = out.read_text()
    assert text.splitlines()[1] == ("FCM: DROP FRAME" if drop else "FCM: NON-DROP FRAME")
    timeline = otio.adapters.read_from_file(str(out), adapter_name="cmx_3600", rate=float(rate))
    clips = list(timeline.find_clips())
    assert len(clips) == len(doc.items)
    locators = re.findall(r"^\* LOC: (\S+) (\w+) +(.*)$", text, flags=re.M)
    for clip, item, start, loc in zip(clips, doc.items, record_starts(doc), locators, strict=True):
        film_ = item.film
        assert clip.source_range.start_time.to_frames() - film_.start_frame == item.range.start
        assert clip.source_range.duration.to_frames() == item.range.length
        assert clip.range_in_parent().start_time.to_frames() == start
        assert clip.name == "film 1.mov"
        assert clip.media_reference.target_url == film_.path
        # Avid's locator sits at the event's record in; OTIO's timecode parser reads it.
        tc, colour, name = loc
        assert otio.opentime.from_timecode(tc, float(rate)).to_frames() == start
        assert name == expected_text(item)
        # Resolve's marker line: colour, "Category: value" (bars are field separators), frames
        resolve = [c for c in clip.metadata["cmx_3600"]["comments"] if c.startswith("|C:")]
        assert resolve == [
            f"|C:ResolveColor{colour.title().replace('Magenta', 'Fuchsia')} "
            f"|M:{expected_text(item).replace('|', '/')} |D:{item.range.length}"
        ]
        if not drop:
            # OTIO's reader knows locators only with ':' (not a drop-frame ';'), as markers
            (marker,) = clip.markers
            assert marker.marked_range.start_time.to_frames() == start
            assert marker.name == expected_text(item)
            assert marker.color == colour
    assert locators[0][2] == "Identity drift: The face morphs without a cut"
    assert locators[3][2] == "Where is the camera?"


@pytest.mark.parametrize("key", list(RATES))
def test_fcp7_xml_read_back_by_otio_to_the_frame(key: str, tmp_path: Path) -> None:
    doc = editors_doc(key)
    rate, drop, _ = RATES[key]
    out = service.export(doc, "fcp7", tmp_path / "passages.xml")
    timeline = otio.adapters.read_from_file(str(out), adapter_name="fcp_xml")
    clips = list(timeline.find_clips())
    assert len(clips) == len(doc.items)
    for clip, item, start in zip(clips, doc.items, record_starts(doc), strict=True):
        assert clip.source_range.start_time.to_frames() - item.film.start_frame == item.range.start
        assert clip.source_range.duration.to_frames() == item.range.length
        assert clip.range_in_parent().start_time.to_frames() == start
        assert clip.media_reference.target_url == Path(item.film.path).as_uri()
        # FCP 7 counts a clip's markers in frames of its media, like the clip's in and out
        (marker,) = clip.markers
        assert marker.marked_range.start_time.to_frames() == item.range.start
        assert marker.marked_range.duration.to_frames() == item.range.length
        assert marker.name == expected_text(item)
        if item.annotation:
            assert marker.metadata["fcp_xml"]["comment"] == " ".join(item.text.split())
    tc = ET.parse(out).find(".//file/timecode")
    assert tc is not None
    assert tc.findtext("displayformat") == ("DF" if drop else "NDF")
    assert tc.findtext("string") == doc.items[0].film.timecode(0)


def _seconds(value: str | None) -> Fraction:
    return Fraction((value or "0s").rstrip("s"))


@pytest.mark.parametrize("key", list(RATES))
def test_fcpxml_read_back_to_the_frame(key: str, tmp_path: Path) -> None:
    """The frames are checked from the file's exact rational times, then with OTIO's reader.
    That reader truncates 29.97 and 23.976 to 29 and 23 frames per second (OTIO issue #903)
    and cuts seconds x rate with int(): at 25 fps about one position in 20 comes back one frame
    early however the time is written (917979.99… -> 917979); at 24 fps it is exact."""
    doc = editors_doc(key)
    rate, drop, _ = RATES[key]
    out = service.export(doc, "fcpxml", tmp_path / "passages.fcpxml")
    root = ET.parse(out).getroot()
    assert (
        root.find("./resources/format").get("frameDuration")
        == (f"{rate.denominator}/{rate.numerator}s" if rate.denominator > 1 else None)
        or rate.denominator == 1
    )
    sequence = root.find("./event/project/sequence")
    assert sequence is not None and sequence.get("tcFormat") == ("DF" if drop else "NDF")
    spine = sequence.findall("./spine/clip")
    assert len(spine) == len(doc.items)
    for element, item, start in zip(spine, doc.items, record_starts(doc), strict=True):
        first = item.film.start_frame + item.range.start
        assert _seconds(element.get("offset")) * rate == start
        assert _seconds(element.get("start")) * rate == first
        assert _seconds(element.get("duration")) * rate == item.range.length
        (marker,) = element.findall("marker")
        assert _seconds(marker.get("start")) * rate == first
        assert _seconds(marker.get("duration")) * rate == item.range.length
        assert marker.get("value") == expected_text(item)
    read = otio.adapters.read_from_file(str(out), adapter_name="fcpx_xml")
    clips = list(read.find_clips())
    assert [m.name for c in clips for m in c.markers] == [expected_text(i) for i in doc.items]
    if rate.denominator == 1:
        slack = 0 if rate == 24 else 1  # the reader's int() truncation, never later

        def close(read_frames: int, exact: int) -> bool:
            return exact - slack <= read_frames <= exact

        for clip, item, start in zip(clips, doc.items, record_starts(doc), strict=True):
            first = item.film.start_frame + item.range.start
            assert close(clip.source_range.start_time.to_frames(), first)
            assert close(clip.source_range.duration.to_frames(), item.range.length)
            assert close(clip.range_in_parent().start_time.to_frames(), start)
            assert close(clip.markers[0].marked_range.start_time.to_frames(), first)


def long_doc() -> ExportDocument:
    """30 h of 10 h passages, then one passage of 30 h: longer than any record timecode."""
    rate = Fraction(25)
    f = film(rate, False, "00:00:00:00", frames=4_000_000)
    hours = 90_000
    ranges = [FrameRange(0, 10 * hours - 1)] * 3 + [FrameRange(0, 30 * hours - 1)]
    items = tuple(
        ExportItem(n, f, r, Annotation.create(1, 1, r, note=f"Long {n}"), DRIFT)
        for n, r in enumerate(ranges, start=1)
    )
    return ExportDocument("Marathon", items)


def test_a_timeline_longer_than_24_hours_is_split_into_edls(tmp_path: Path) -> None:
    doc = long_doc()
    done = service.export_files(doc, "edl", tmp_path / "marathon.edl")
    names = [p.name for p in done.files]
    assert names == ["marathon.edl", "marathon-2.edl", "marathon-3.edl", "marathon-4.edl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temporary left
    assert "split into 4 EDLs" in done.notes[0] and "marathon-2.edl (passages 3–3)" in done.notes[0]
    assert done.notes[1] == (
        "Passage 4 lasts more than 24 hours (2700000 frames): it is cut into 2 events."
    )
    day = 24 * 3600 * 25
    seen: dict[int, int] = {}
    for path in done.files:
        timeline = otio.adapters.read_from_file(str(path), adapter_name="cmx_3600", rate=25)
        for clip in timeline.find_clips():
            rng = clip.range_in_parent()
            assert rng.end_time_exclusive().to_frames() < day  # never 24:00:00:00 or beyond
            name = re.search(r"M:Identity drift: Long (\d)", str(clip.metadata)).group(1)
            seen[int(name)] = seen.get(int(name), 0) + clip.source_range.duration.to_frames()
    assert seen == {i.position: i.range.length for i in doc.items}  # nothing lost


def test_a_timeline_longer_than_24_hours_in_fcp_xml_and_fcpxml(tmp_path: Path) -> None:
    doc = long_doc()
    total = sum(i.range.length for i in doc.items)
    xml = service.export(doc, "fcp7", tmp_path / "marathon.xml")
    timeline = otio.adapters.read_from_file(str(xml), adapter_name="fcp_xml")
    assert timeline.duration().to_frames() == total
    fcpxml = service.export(doc, "fcpxml", tmp_path / "marathon.fcpxml")
    read = otio.adapters.read_from_file(str(fcpxml), adapter_name="fcpx_xml")
    (timeline,) = read.find_children(descended_from_type=otio.schema.Timeline)
    assert timeline.duration().to_frames() == total


def test_more_than_999_events_start_a_new_edl(tmp_path: Path) -> None:
    f = film(Fraction(24), False, None)
    items = tuple(ExportItem(n, f, FrameRange(n, n + 1)) for n in range(1, 1002))
    done = service.export_files(ExportDocument("Many", items), "edl", tmp_path / "many.edl")
    assert [p.name for p in done.files] == ["many.edl", "many-2.edl"]
    first = otio.adapters.read_from_file(str(done.files[0]), adapter_name="cmx_3600", rate=24)
    assert len(list(first.find_clips())) == 999
    assert re.findall(r"^(\d+) ", done.files[1].read_text(), flags=re.M) == ["001", "002"]


def test_real_edl_and_ours_are_read_alike_by_otio(tmp_path: Path) -> None:
    """OTIO's Avid sample and our EDL for the same cuts: same clips, same FCM line, locators
    in record timecode inside their event, comments OTIO files under the same keys."""
    sample = (FOREIGN / "screening_example.edl").read_text()
    theirs = otio.adapters.read_from_string(sample, adapter_name="cmx_3600", rate=24)
    their_clips = list(theirs.find_clips())
    assert len(their_clips) == 9
    rate = Fraction(24)
    f = film(rate, False, "00:00:00:00")
    items = []
    for n, clip in enumerate(their_clips, start=1):
        first = clip.source_range.start_time.to_frames()
        frames = FrameRange(first, first + clip.source_range.duration.to_frames() - 1)
        a = (
            Annotation.create(1, 1, frames, note=m.name)
            if (m := next(iter(clip.markers), None))
            else None
        )
        items.append(ExportItem(n, f, frames, a))
    ours_path = service.export(
        ExportDocument("Example_Screening.01", tuple(items)), "edl", tmp_path / "s.edl"
    )
    ours = otio.adapters.read_from_file(str(ours_path), adapter_name="cmx_3600", rate=24)
    our_clips = list(ours.find_clips())
    assert (
        sample.splitlines()[1].strip()
        == ours_path.read_text().splitlines()[1]
        == ("FCM: NON-DROP FRAME")
    )
    for theirs_clip, ours_clip in zip(their_clips, our_clips, strict=True):
        assert ours_clip.source_range == theirs_clip.source_range
        for clip in (theirs_clip, ours_clip):
            track = clip.parent()
            origin = -track.source_range.start_time.to_frames() if track.source_range else 0
            for marker in clip.markers:  # record timecode, within the event's record range
                rec_in = origin + clip.range_in_parent().start_time.to_frames()
                at = marker.marked_range.start_time.to_frames()
                assert rec_in <= at < rec_in + clip.source_range.duration.to_frames()
        # every passage of ours carries one marker (a plain range says "Passage n")
        assert len(ours_clip.markers) == 1
        if theirs_clip.markers and theirs_clip.markers[0].name:
            assert ours_clip.markers[0].name == theirs_clip.markers[0].name
        assert ours_clip.range_in_parent() == theirs_clip.range_in_parent()
    assert sum(len(c.markers) for c in their_clips) == 3
    # The 25 fps sample: record from 00:00:00:00 and FCM, as ours
    edl25 = (FOREIGN / "25fps.edl").read_text()
    first_event = next(line for line in edl25.splitlines() if line[:3].isdigit())
    assert first_event.split()[-2] == "00:00:00:00"
    assert "FCM: NON-DROP FRAME" in edl25
    assert frame_to_smpte(0, Fraction(25)) == "00:00:00:00"


def test_real_fcpxml_markers_use_the_clip_source_time_as_ours(tmp_path: Path) -> None:
    """In Final Cut's own file, a picture clip's marker starts in the clip's source time
    [start, start + duration); so do ours (checked above), and OTIO reads both."""
    root = ET.parse(FOREIGN / "fcpx_example.fcpxml").getroot()
    checked = 0
    for clip in root.iter("clip"):
        if clip.get("start") is None or clip.find("video") is None:
            continue  # clips like ours: picture, with a source start
        for marker in clip.findall("marker"):
            start = _seconds(clip.get("start"))
            assert start <= _seconds(marker.get("start")) < start + _seconds(clip.get("duration"))
            checked += 1
    assert checked >= 1
    assert otio.adapters.read_from_file(
        str(FOREIGN / "fcpx_example.fcpxml"), adapter_name="fcpx_xml"
    )
    doc = editors_doc("24")
    ours = service.export(doc, "fcpxml", tmp_path / "ours.fcpxml")
    sequence = ET.parse(ours).getroot().find("./event/project/sequence")
    theirs_seq = next(root.iter("sequence"))
    assert {"tcStart", "tcFormat"} <= set(sequence.attrib) & set(theirs_seq.attrib)


def test_cli_exports_a_seminar_with_several_rates_to_fcp_xml(
    sample, tmp_path: Path, capsys
) -> None:
    from critique_app.cli import main

    project = str(sample.project.path)
    for fmt, name in (("fcp7", "seminar.xml"), ("fcpxml", "seminar.fcpxml")):
        assert (
            main(
                [
                    "export",
                    project,
                    "-f",
                    fmt,
                    "--seminar",
                    "New visual regimes",
                    "-o",
                    str(tmp_path / name),
                ]
            )
            == 0
        )
        assert f"wrote {tmp_path / name}" in capsys.readouterr().err
    timeline = otio.adapters.read_from_file(str(tmp_path / "seminar.xml"), adapter_name="fcp_xml")
    assert len(list(timeline.find_clips())) == 5
    film_doc = service.film_document(sample.project, sample.films[1].id)
    assert (
        main(
            [
                "export",
                project,
                "-f",
                "edl",
                "--film",
                str(sample.films[1].id),
                "-o",
                str(tmp_path / "f.edl"),
            ]
        )
        == 0
    )
    text = (tmp_path / "f.edl").read_text()
    assert "FCM: DROP FRAME" in text and text.count("|C:ResolveColor") == len(film_doc.items)
