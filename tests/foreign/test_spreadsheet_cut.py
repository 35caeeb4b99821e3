"""A table cut in the middle of its last row (issue 23): before, the row came in with its note
cut short and the summary said nothing. Now the rows before the cut are imported and the cut
one is left out and named. The expected rows are read by hand from the text, not by Critique."""

from __future__ import annotations

from pathlib import Path

from critique_app.domain.model import Annotation, FrameRange
from critique_app.services import export as service
from critique_app.services.export import film_document
from critique_app.services.import_annotations import import_file
from db.project import Project, memory_project
from exporters.csv_cut import cut_row
from tests.foreign.conftest import RATE
from tests.foreign.test_foreign_spreadsheets import FRENCH, VIDEO_ANNOTATOR


def _import(project: Project, path: Path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return import_file(project, path).sentence(path.name)


def test_a_french_sheet_cut_inside_its_last_quoted_note(project: Project, tmp_path: Path) -> None:
    cut = FRENCH[: FRENCH.index("sans coupe")]  # '…;"un ""plan"" ' and nothing more
    sentence = _import(project, tmp_path / "notes.csv", cut, "cp1252")
    assert sorted(a.value for a in project.repo.annotations()) == [
        "Le visage fond,\npuis revient",
        "décor, lumière",
    ]
    # line 5: the header, the note over lines 2 and 3, line 4, then the cut row
    assert (
        "1 row cut short at the end of the file: line 5 ends inside a quoted cell (left out)"
        in sentence
    )


def test_cut_just_after_a_line_break_inside_a_note(project: Project, tmp_path: Path) -> None:
    cut = FRENCH[: FRENCH.index("puis")]  # the file ends with a line break, inside the quotes
    sentence = _import(project, tmp_path / "notes.csv", cut, "cp1252")
    assert project.repo.annotations() == []
    assert "1 row cut short at the end of the file: line 2 ends inside a quoted cell" in sentence


def test_a_video_annotation_csv_cut_before_its_last_column(
    project: Project, tmp_path: Path
) -> None:
    text = VIDEO_ANNOTATOR.read_text("utf-8")
    cut = text[: text.rindex(",sample_label_3") - 3]  # 'sample_video.mkv,0:03:31,0:0'
    sentence = _import(project, tmp_path / "labels.csv", cut)
    assert sorted(a.value for a in project.repo.annotations()) == [
        "sample_label_1",
        "sample_label_2",
    ]
    assert (
        "1 row cut short at the end of the file: line 4 has 3 of the 4 columns (left out)"
        in sentence
    )


def test_a_whole_file_without_a_last_line_break_is_not_cut(
    project: Project, tmp_path: Path
) -> None:
    text = VIDEO_ANNOTATOR.read_text("utf-8").rstrip("\n")
    sentence = _import(project, tmp_path / "labels.csv", text)
    assert len(project.repo.annotations()) == 3
    assert "cut short" not in sentence


def test_quotes_that_do_not_begin_a_cell_are_characters() -> None:
    text = 'film,in,out,value\nrec,1,2,a 5" screen\nrec,3,4,"quoted ""twice"", whole"\n'
    assert cut_row(text, ",") is None
    assert cut_row(text[:-9], ",") is not None  # cut inside the quoted cell


def test_critiques_own_table_cut_inside_a_note_keeps_the_rows_before(
    project: Project, tmp_path: Path
) -> None:
    """Before: the cut row lost its frame numbers and the whole file was refused."""
    (film,) = project.repo.films()
    tier = project.repo.add_tier("Léa", author="Léa")
    for start, note in ((10, 'the "hand", melting'), (40, "a logo"), (90, 'said, "once"')):
        project.repo.add_annotation(
            Annotation.create(film.id, tier.id, FrameRange(start, start + 5), note=note)
        )
    written = service.export(film_document(project, film.id), "csv", tmp_path / "ours.csv")
    text = written.read_text("utf-8")
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: text.rindex("once")], "utf-8")
    with memory_project() as fresh:
        fresh.repo.add_film(
            "/films/recording.mp4", sha256="f" * 64, size=1, rate=RATE, frame_count=10**6
        )
        summary = import_file(fresh, cut)
        sentence = summary.sentence(cut.name)
        assert sorted(a.note for a in fresh.repo.annotations()) == ["a logo", 'the "hand", melting']
        assert (
            "1 row cut short at the end of the file: line 4 ends inside a quoted cell" in sentence
        )
