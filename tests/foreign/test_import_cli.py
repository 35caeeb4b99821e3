"""The import command says the size of a long import first, and an import is all or nothing."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.cli import main
from critique_app.errors import UserError
from critique_app.services.import_annotations import import_file
from critique_app.services.workspace import ProjectWorkspace
from db.project import memory_project, open_project
from tests.foreign.conftest import HERE


def test_a_long_import_says_its_size_first(tmp_path: Path, capsys) -> None:
    sample = (HERE / "subtitles" / "webvttpy_sample.vtt").read_text("utf-8")
    cues = sample.split("\n\n")[1:]
    # a real file's cues, repeated an hour later each time, as a long film's subtitles are
    lines = ["WEBVTT"]
    for hour in range(69):
        for cue in cues:
            lines.append(cue.replace("00:0", f"{hour:02d}:0", 2).strip("\n"))
    long = tmp_path / "long.vtt"
    long.write_text("\n\n".join(lines) + "\n", "utf-8")
    path = tmp_path / "p.critique"
    with open_project(path) as project:
        project.repo.add_film(
            "/f.mp4", sha256="c" * 64, size=1, rate=Fraction(25), frame_count=10**7
        )
    assert main(["import", str(path), str(long)]) == 0
    err = capsys.readouterr().err
    assert "long.vtt holds 1,104 annotations; importing them" in err
    assert "1,104 annotations imported from long.vtt" in err and "read as UTF-8" in err


def test_an_import_that_fails_leaves_nothing_behind() -> None:
    with memory_project() as project:
        for sha in ("1" * 64, "2" * 64):
            project.repo.add_film(
                f"/{sha[0]}.mp4", sha256=sha, size=1, rate=Fraction(25), frame_count=1000
            )
        path = HERE / "elan" / "poio_turkish_2.6.eaf"  # names turkish.wav: not in the project
        with pytest.raises(UserError, match="turkish.wav is not in this project"):
            import_file(project, path)
        assert project.repo.count_annotations() == 0
        assert project.repo.tiers() == [] and project.repo.vocabularies() == []


def test_plain_string_targets_are_not_a_python_message(tmp_path: Path) -> None:
    with memory_project() as project:
        project.repo.add_film(
            "/a.mp4", sha256="3" * 64, size=1, rate=Fraction(25), frame_count=1000
        )
        odd = tmp_path / "odd.json"
        odd.write_text(json.dumps({"type": "Annotation", "id": 7, "target": 12, "body": [None, 3]}))
        summary = import_file(project, odd)
        assert summary.added == 1  # whole film, nothing to read in the bodies


def test_media_descriptors_choose_the_film_and_a_merge_keeps_the_elan_structure(
    tmp_path: Path,
) -> None:
    from critique_app.services.merge import merge_projects

    student = tmp_path / "student.critique"
    with open_project(student, default_vocabulary=False) as project:
        project.repo.add_film(
            "/x/other.mp4", sha256="4" * 64, size=1, rate=Fraction(25), frame_count=10**5
        )
        wav = project.repo.add_film(
            "/y/turkish.wav", sha256="5" * 64, size=1, rate=Fraction(25), frame_count=10**5
        )
        import_file(project, HERE / "elan" / "poio_turkish_2.6.eaf")  # names turkish.wav
        before = project.repo.annotations()
        assert {a.film_id for a in before} == {wav.id}
        tiers = {t.id: t for t in project.repo.tiers()}
        shape = {(tiers[a.tier_id].name, a.value, a.parent_uuid, a.range) for a in before}
        hierarchy = {
            (
                t.name,
                tiers[t.parent_id].name if t.parent_id else None,
                t.linguistic_type,
                t.constraint,
            )
            for t in tiers.values()
        }
    with open_project(tmp_path / "teacher.critique", default_vocabulary=False) as teacher:
        merge_projects(teacher, [student])
        tiers = {t.id: t for t in teacher.repo.tiers()}
        assert {
            (tiers[a.tier_id].name, a.value, a.parent_uuid, a.range)
            for a in teacher.repo.annotations()
        } == shape
        assert {
            (
                t.name,
                tiers[t.parent_id].name if t.parent_id else None,
                t.linguistic_type,
                t.constraint,
            )
            for t in tiers.values()
        } == hierarchy


def test_the_table_shows_values_and_which_annotation_a_child_belongs_to(qtbot) -> None:
    from PyQt6.QtCore import Qt

    from critique_app.gui.annotate.annotation_table import COLUMNS, AnnotationTableModel

    with memory_project() as project:
        project.repo.add_film(
            "/t.wav", sha256="6" * 64, size=1, rate=Fraction(25), frame_count=10**5
        )
        import_file(project, HERE / "elan" / "poio_turkish_2.6.eaf")
        model = AnnotationTableModel()
        model.bind(ProjectWorkspace(project))
        value = COLUMNS.index("Value")
        texts = [model.data(model.index(r, value)) for r in range(model.rowCount())]
        assert len(texts) == 340 and all(texts)
        child = next(r for r, t in enumerate(texts) if t.startswith("↳ "))
        tip = model.data(model.index(child, value), Qt.ItemDataRole.ToolTipRole)
        assert "part of: " in tip
        model.bind(None)
