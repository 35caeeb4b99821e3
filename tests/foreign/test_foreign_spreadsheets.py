"""Spreadsheets other tools and other locales save (issue 23): a video-annotation tool's
`video_file,start_time,end_time,label` with h:mm:ss times, and a French spreadsheet with ';',
decimal commas and a cell over several lines, where the csv sniffer gives up. Each is checked
against the rows as the csv module reads them with the delimiter given by hand."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

from critique_app.domain.timecode import frame_to_seconds
from critique_app.services.import_annotations import import_file
from db.project import Project
from tests.foreign.conftest import HERE, RATE

VIDEO_ANNOTATOR = HERE / "spreadsheets" / "videoannotator_sample_video_annotations.csv"


def _seconds(text: str) -> Fraction:
    """'0:02:10' or '12,5' (a French decimal comma) in seconds, by hand."""
    total = Fraction(0)
    for part in text.replace(",", ".").split(":"):
        total = total * 60 + Fraction(part)
    return total


def _rows(text: str, delimiter: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [{k.strip(): v.strip() for k, v in row.items()} for row in reader]


def _at_frame(frame: int, cell: str) -> bool:
    """The film position `frame` is the one the cell names, to within a frame (a position in
    the film, read from the table by hand: not a measured duration)."""
    return abs(frame_to_seconds(frame, RATE) - _seconds(cell)) <= 1 / RATE


def _check(project: Project, rows: list[dict[str, str]], start: str, end: str, text: str) -> None:
    got = sorted(project.repo.annotations(), key=lambda a: a.range.start)
    assert [a.value for a in got] == [row[text] for row in rows]
    for a, row in zip(got, rows, strict=True):
        assert _at_frame(a.range.start, row[start]) and _at_frame(a.range.end, row[end])


def test_a_video_annotation_tools_csv(project: Project) -> None:
    """Before: refused, 'it has video_file, start_time, end_time, label'."""
    summary = import_file(project, VIDEO_ANNOTATOR)
    sentence = summary.sentence(VIDEO_ANNOTATOR.name)
    assert summary.added == 3 and summary.skipped == 0, sentence
    assert "read as UTF-8" in sentence
    rows = _rows(VIDEO_ANNOTATOR.read_text("utf-8"), ",")
    _check(project, rows, "start_time", "end_time", "label")


def test_the_same_with_spaces_after_the_commas(project: Project, tmp_path: Path) -> None:
    text = VIDEO_ANNOTATOR.read_text("utf-8").replace(",", ", ")
    copy = tmp_path / "spaced.csv"
    copy.write_text(text, "utf-8")
    summary = import_file(project, copy)
    assert summary.added == 3, summary.sentence(copy.name)
    _check(project, _rows(text, ","), "start_time", "end_time", "label")


# As a French LibreOffice saves it: ';' between cells, decimal commas, a note over two lines in
# quotes (the csv sniffer finds no consistent delimiter in such a sample and ',' was chosen).
FRENCH = (
    "film;in;out;value\r\n"
    'recording;12,5;14,25;"Le visage fond,\r\npuis revient"\r\n'
    "recording;0:00:20,5;0:00:22;décor, lumière\r\n"
    'recording;30,5;31,04;"un ""plan"" sans coupe"\r\n'
)


def test_a_french_spreadsheet_with_decimal_commas(project: Project, tmp_path: Path) -> None:
    """Before: refused, 'it has film;in;out;value'."""
    sheet = tmp_path / "notes.csv"
    sheet.write_bytes(FRENCH.encode("cp1252"))
    summary = import_file(project, sheet)
    sentence = summary.sentence(sheet.name)
    assert summary.added == 3 and summary.skipped == 0, sentence
    assert "read as Windows-1252" in sentence
    rows = _rows(FRENCH, ";")
    assert len(rows) == 3 and "\n" in rows[0]["value"]
    got = sorted(project.repo.annotations(), key=lambda a: a.range.start)
    # a cell over two lines keeps one newline per line break
    assert [a.value for a in got] == [r["value"].replace("\r\n", "\n") for r in rows]
    for a, row in zip(got, rows, strict=True):
        assert _at_frame(a.range.start, row["in"])


def test_a_tab_separated_table_with_synonyms(project: Project, tmp_path: Path) -> None:
    """Whole numbers are seconds in a column named for time (they are frames under 'in')."""
    text = "Start Time\tEnd Time\tannotation\n1.5\t2.5\tone, two\n3\t4\tthree; four\n"
    sheet = tmp_path / "tabs.csv"
    sheet.write_text(text, "utf-8")
    summary = import_file(project, sheet)
    assert summary.added == 2, summary.sentence(sheet.name)
    _check(project, _rows(text, "\t"), "Start Time", "End Time", "annotation")
