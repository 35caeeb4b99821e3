"""A file whose extension names no format (issue 23): the refusal names the format its first
bytes look like and how to read it as that format; `import --format` (and the window's Format
choice) reads it as the format chosen. Real files of other tools, saved under a .txt name."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.cli import main
from critique_app.errors import UserError
from critique_app.services.import_annotations import import_file
from db.project import Project, open_project
from tests.foreign.conftest import HERE

SAMPLES = [
    ("subtitles/webvttpy_sample.vtt", "vtt", "WebVTT", ".vtt"),
    ("subtitles/webvttpy_sample.srt", "srt", "SubRip", ".srt"),
    ("w3c/anno4.json", "json", "W3C Web Annotation", ".json"),
    ("elan/pympi_sample_3.0.eaf", "eaf", "ELAN", ".eaf"),
]


@pytest.mark.parametrize(("sample", "name", "title", "extension"), SAMPLES)
def test_a_txt_file_is_named_by_what_it_looks_like_and_read_as_chosen(
    project: Project, tmp_path: Path, sample: str, name: str, title: str, extension: str
) -> None:
    original = HERE / sample
    notes = tmp_path / "notes.txt"
    shutil.copy(original, notes)
    with pytest.raises(UserError) as refused:
        import_file(project, notes)
    assert str(refused.value) == (
        f"notes.txt looks like {title}: rename it to {extension}, or choose the format with "
        f"--format {name}."
    )
    assert project.repo.count_annotations() == 0

    chosen = import_file(project, notes, format_name=name)
    assert chosen.added > 0
    values = sorted(a.value for a in project.repo.annotations())
    for annotation in project.repo.annotations():
        project.repo.delete_annotation(annotation.id)
    named = import_file(project, original)  # the same file under its own name
    assert named.added == chosen.added
    assert sorted(a.value for a in project.repo.annotations()) == values


def test_the_window_says_where_to_choose_the_format(project: Project, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    shutil.copy(HERE / "subtitles" / "webvttpy_sample.vtt", notes)
    with pytest.raises(UserError, match="choose WebVTT as its Format in the import dialog"):
        import_file(project, notes, in_window=True)


def test_prose_is_refused_with_the_formats_critique_reads(project: Project, tmp_path: Path) -> None:
    prose = tmp_path / "notes.txt"
    prose.write_text("The door melts at 00:01.\nThen the hallway grows a second floor.\n")
    with pytest.raises(UserError, match="Critique imports .* files, not '.txt'"):
        import_file(project, prose)


def test_import_format_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "p.critique"
    with open_project(path) as project:
        project.repo.add_film(
            "/f.mp4", sha256="c" * 64, size=1, rate=Fraction(25), frame_count=10**6
        )
    notes = tmp_path / "notes.txt"
    shutil.copy(HERE / "subtitles" / "webvttpy_sample.srt", notes)
    assert main(["import", str(path), str(notes)]) != 0
    assert "--format srt" in capsys.readouterr().err
    assert main(["import", str(path), str(notes), "--format", "srt"]) == 0
    assert "annotations imported from notes.txt" in capsys.readouterr().err
    assert main(["import", str(path), str(notes), "--format", "docx"]) != 0
    assert "invalid choice" in capsys.readouterr().err
