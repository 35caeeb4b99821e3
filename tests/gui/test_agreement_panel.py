"""The agreement panel shows the service's numbers as tables and adds the passages of
disagreement to a seminar in one undoable step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from critique_app.gui.panels.agreement.agreement_panel import AgreementPanel
from critique_app.services.agreement import film_agreement
from critique_app.services.merge import merge_projects
from critique_app.services.workspace import ProjectWorkspace
from db.project import open_project
from tests.services.test_agreement import STUDENTS, _student_file


def test_panel_shows_the_tables_and_makes_a_seminar(
    qtbot: Any, qtmodeltester: Any, tmp_path: Path
) -> None:
    sources = [_student_file(tmp_path / f"{n}.critique", n, s) for n, s in STUDENTS.items()]
    target = tmp_path / "class.critique"
    with open_project(target) as project:
        merge_projects(project, sources)
        report = film_agreement(project, 1)
        panel = AgreementPanel()
        qtbot.addWidget(panel)
        panel.show_project(ProjectWorkspace(project))
        for model in (panel.categories, panel.pairs, panel.passages):
            qtmodeltester.check(model)
        assert f"{report.alpha:.3f}" in panel.summary.text()
        assert panel.pairs.rowCount() == 3
        first = panel.pairs.index(0, 2)
        assert (
            panel.pairs.data(first, Qt.ItemDataRole.DisplayRole) == f"{report.pairs[0].kappa:.3f}"
        )
        assert panel.passages.rowCount() == len(report.passages)
        looked: list[tuple[int, int, int]] = []
        panel.look_requested.connect(lambda *args: looked.append(args))
        panel._look(panel.passages.index(0, 0))
        assert looked == [(1, report.passages[0].range.start, report.passages[0].range.end)]
        panel.seminar_name.setText("Disagreements")
        with qtbot.waitSignal(panel.seminar_added) as signal:
            qtbot.mouseClick(panel.seminar_button, Qt.MouseButton.LeftButton)
        seminar_id, added = signal.args
        assert added == len(report.passages)
        assert len(project.repo.seminar_items(seminar_id)) == added
        project.undo.undo()
        assert project.repo.seminar_by_name("Disagreements") is None
