"""Vocabulary editing and the teacher's merge from the window, on real project files: edits
saved at once, import/export JSON and ELAN .ecv, and bad files (malformed, newer version)
refused with a clear sentence while the project stays exactly as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from critique_app.domain.model import Annotation, FrameRange
from critique_app.domain.vocabulary import parse_ecv, parse_vocabulary
from critique_app.gui.annotate.vocabulary_editor import VocabularyEditor
from critique_app.gui.panels.merge.merge_dialog import MergeDialog
from critique_app.services.workspace import ProjectWorkspace
from db.project import open_project
from tests.gui.annotation_projects import VOCABULARY, make_project


def vocabularies(path: Path) -> list[Any]:
    with open_project(path) as project:
        return project.repo.vocabularies()


def annotations(path: Path) -> list[Any]:
    with open_project(path) as project:
        return sorted((a.uuid, a.note, a.conflict_of) for a in project.repo.annotations())


def test_bad_vocabulary_files_change_nothing(qtbot: Any, clip: Path, tmp_path: Path) -> None:
    path = make_project(tmp_path, clip)
    before = vocabularies(path)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "critique-vocabulary", "format_version": 1, "key": ', "utf-8")
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**VOCABULARY, "format_version": 99}), "utf-8")
    not_elan = tmp_path / "notes.ecv"
    not_elan.write_text("<html><body>not a vocabulary</body></html>", "utf-8")
    binary = tmp_path / "picture.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with open_project(path) as project:
        dialog = VocabularyEditor(ProjectWorkspace(project))
        qtbot.addWidget(dialog)
        for bad, words in (
            (broken, "is not valid JSON"),
            (newer, "newer version of Critique"),
            (not_elan, "not an ELAN controlled vocabulary"),
            (binary, "not a text file"),
            (tmp_path / "missing.json", "does not exist"),
        ):
            assert dialog.import_file(bad) is False
            message = dialog.message.text()
            assert words in message and bad.name in message
    assert vocabularies(path) == before


def test_edit_import_export_vocabulary(qtbot: Any, clip: Path, tmp_path: Path) -> None:
    path = make_project(tmp_path, clip)
    with open_project(path) as project:
        repo = project.repo
        dialog = VocabularyEditor(ProjectWorkspace(project))
        qtbot.addWidget(dialog)
        changed: list[bool] = []
        dialog.changed.connect(lambda: changed.append(True))
        assert dialog.tree.topLevelItemCount() == 2
        # rename an entry in French: saved at once
        hands = dialog.tree.topLevelItem(1).child(0)
        dialog.tree.setCurrentItem(hands)
        dialog.label_fr.setText("Les mains")
        dialog.label_fr.editingFinished.emit()
        assert repo.category_by_key("anatomy.hands").label_fr == "Les mains"
        # a new entry under a level, then a category in use cannot be removed
        key = dialog.add_entry("anatomy", "Teeth")
        assert key == "anatomy.teeth" and repo.category_by_key("anatomy.teeth") is not None
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))  # 'Temporal regime', in use
        dialog.remove.click()
        assert "used by 2 annotations" in dialog.message.text()
        assert repo.category_by_key("temporal.morphing") is not None
        assert changed
        # export both formats and read them back with the domain parsers
        assert dialog.export_file(tmp_path / "out.json", "json")
        assert dialog.export_file(tmp_path / "out.ecv", "ecv")
        again = parse_vocabulary((tmp_path / "out.json").read_text("utf-8"))
        assert again.category("anatomy.hands").label_fr == "Les mains"
        elan = parse_ecv((tmp_path / "out.ecv").read_text("utf-8"))
        assert {c.key for c in elan.categories} >= {"anatomy.teeth", "temporal.identity-drift"}
        # importing the ELAN export again updates the same vocabulary (same key), name kept
        assert dialog.import_file(tmp_path / "out.ecv")
        assert "Updated 'AI visual regimes'" in dialog.message.text()
        assert [v.name for v in repo.vocabularies()] == ["AI visual regimes"]
        # another vocabulary (another key) is added beside it
        other = {**VOCABULARY, "key": "montage", "name": "Montage"}
        (tmp_path / "montage.json").write_text(json.dumps(other), "utf-8")
        assert dialog.import_file(tmp_path / "montage.json")
        assert sorted(v.key for v in repo.vocabularies()) == ["montage", "regimes"]
        assert dialog.chooser.currentData() == "montage"


def student(folder: Path, clip: Path, name: str, author: str, notes: list[str]) -> Path:
    path = folder / f"{name}.critique"
    with open_project(path, default_vocabulary=False) as project:
        from critique_app.services.films import add_film

        repo = project.repo
        film = add_film(project, clip)
        tier = repo.add_tier(author, author=author)
        for i, note in enumerate(notes):
            repo.add_annotation(
                Annotation.create(
                    film.id, tier.id, FrameRange(5 + 10 * i, 8 + 10 * i), note=note, author=author
                )
            )
    return path


def test_merge_from_the_window(open_window: Any, clip: Path, tmp_path: Path) -> None:
    teacher = make_project(tmp_path, clip, "seminar.critique")
    chloe = student(tmp_path, clip, "chloe", "Chloé", ["flicker on the wall", "hands merge"])
    malik = student(tmp_path, clip, "malik", "Malik", ["a sign with no letters"])
    h = open_window(teacher)
    bench = h.window.annotations
    h.qtbot.waitUntil(lambda: bench.table.model.rowCount() == 4)
    bench.actions["merge_projects"].trigger()
    dialog: MergeDialog = bench.merge_dialog
    before = annotations(teacher)

    # a malformed source (a copy of a text file) and a newer project: nothing merged
    bad = tmp_path / "bad.critique"
    bad.write_text("this is not a project", "utf-8")
    dialog.add_files([chloe, bad])
    dialog.start()
    h.qtbot.waitUntil(lambda: "Nothing was merged" in dialog.outcome.text(), timeout=10000)
    assert "bad.critique" in dialog.outcome.text()
    assert annotations(teacher) == before
    newer = tmp_path / "newer.critique"
    shutil.copy(malik, newer)
    with open_project(newer) as p:
        p.db.execute("PRAGMA user_version = 99")
    dialog.files.clear()
    dialog.add_files([newer])
    dialog.start()
    h.qtbot.waitUntil(lambda: "newer version" in dialog.outcome.text(), timeout=10000)
    assert annotations(teacher) == before

    # the two students' files: everything comes in, the summary says so, the table shows it
    dialog.files.clear()
    dialog.add_files([chloe, malik])
    dialog.start()
    h.qtbot.waitUntil(lambda: dialog.summary is not None, timeout=15000)
    assert dialog.summary.annotations_added == 3
    assert "Chloé" in dialog.outcome.text() and "Malik" in dialog.outcome.text()
    assert len(annotations(teacher)) == 7
    h.qtbot.waitUntil(lambda: bench.table.model.rowCount() == 7)
    assert bench.table.author_box.findText("Malik") >= 0
    # and where the class agrees: the agreement table of the film on screen, in the dialog
    h.qtbot.waitUntil(lambda: dialog.agreement.isVisible(), timeout=30_000)
    report = dialog.agreement.report
    assert report is not None and {c.name for c in report.coders} >= {"Chloé", "Malik"}
    assert dialog.agreement.pairs.rowCount() >= 1
    dialog.close()

    # the Agreement panel measures the same film on the window's task runner
    h.window.agreement.show()
    dock = h.window.agreement
    h.qtbot.waitUntil(lambda: dock.panel is not None and dock.panel.report is not None)
    assert dock.panel.report.sentence() == report.sentence()
    if dock.panel.report.passages:  # a double click marks the passage in → out
        first = dock.panel.report.passages[0].range
        dock.panel.passage_view.doubleClicked.emit(dock.panel.passages.index(0, 0))
        assert (h.controller.in_mark, h.controller.out_mark) == (first.start, first.end)
