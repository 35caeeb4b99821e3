"""The annotation table on real project files: a sound Qt model, filters and full-text search
that change the rows, double-click landing on the exact frame, selection shared with the
timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint, Qt

from critique_app.gui.annotate.annotation_table import AnnotationTableModel, TableFilters
from critique_app.services.workspace import ProjectWorkspace
from db.project import open_project
from tests.gui.annotation_projects import make_project

LEFT = Qt.MouseButton.LeftButton


def notes(table: Any) -> list[str]:
    model = table.model
    return [model.annotation(row).note for row in range(model.rowCount())]


def choose(box: Any, text: str) -> None:
    index = next(i for i in range(box.count()) if box.itemText(i).strip() == text)
    box.setCurrentIndex(index)


def test_model_passes_qtmodeltester(qtmodeltester: Any, clip: Path, tmp_path: Path) -> None:
    with open_project(make_project(tmp_path, clip)) as project:
        model = AnnotationTableModel()
        model.bind(ProjectWorkspace(project))
        assert model.rowCount() == 4
        qtmodeltester.check(model)
        model.set_filters(TableFilters(search="window"))
        assert model.rowCount() == 2
        qtmodeltester.check(model)
        model.set_filters(TableFilters(statuses=("contested",)))
        assert [model.data(model.index(0, 5)) for _ in range(1)] == ["contested"]
        assert model.data(model.index(0, 0)) == "00:00:02:12"  # frame 60 at 24 fps
        qtmodeltester.check(model)


def test_filters_and_full_text_search_change_the_rows(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, clip))
    table = h.window.annotations.table
    h.qtbot.waitUntil(lambda: table.model.rowCount() == 4)
    assert table.count.text() == "4"
    resets: list[int] = []
    table.model.modelReset.connect(lambda: resets.append(1))
    h.qtbot.keyClicks(table.search, "window")  # FTS5 over notes and tags, prefix matching
    h.qtbot.waitUntil(lambda: table.model.rowCount() == 2)  # once typing pauses
    assert len(resets) == 1  # six keys, one search
    assert sorted(notes(table)) == [
        "A window frame bends like rubber.",
        "The **door** melts into a window without any cut.",
    ]
    assert table.count.text() == "2 of 4"
    table.search.clear()
    h.qtbot.keyClicks(table.search, "morp")  # a half-typed tag
    h.qtbot.waitUntil(lambda: table.model.rowCount() == 1)
    assert notes(table) == ["The **door** melts into a window without any cut."]
    table.search.clear()
    h.qtbot.keyClicks(table.search, "elephant")
    h.qtbot.keyClick(table.search, Qt.Key.Key_Return)  # Enter searches without the pause
    h.qtbot.waitUntil(lambda: not table.searching)  # on the window's task runner
    assert notes(table) == []
    table.search.clear()

    choose(table.tier_box, "Anna")
    assert [table.model.annotation(r).range.start for r in range(2)] == [10, 60]
    choose(table.tier_box, "All tiers")
    choose(table.category_box, "Temporal regime")  # a level shows everything under it
    assert table.model.rowCount() == 2
    choose(table.category_box, "Hands")
    assert notes(table) == ["Six fingers on the railing."]
    choose(table.category_box, "All categories")
    choose(table.author_box, "Bruno")
    assert table.model.rowCount() == 2
    choose(table.status_box, "observed")
    assert notes(table) == ["A window frame bends like rubber."]
    choose(table.author_box, "All authors")
    choose(table.status_box, "Any status")
    assert table.model.rowCount() == 4


def test_double_click_lands_on_the_exact_in_frame(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, clip))
    table = h.window.annotations.table
    h.qtbot.waitUntil(lambda: table.model.rowCount() == 4)
    for start in (45, 90, 10):
        row = next(r for r in range(4) if table.model.annotation(r).range.start == start)
        rect = table.view.visualRect(table.model.index(row, 3))
        viewport = table.view.viewport()
        h.qtbot.mouseClick(viewport, LEFT, pos=rect.center())
        h.qtbot.mouseDClick(viewport, LEFT, pos=rect.center())
        h.at(start)  # index shown, picture decoded and painted: the same exact frame


def test_selection_is_shared_with_timeline_and_editor(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, clip))
    bench = h.window.annotations
    table, canvas = bench.table, h.window.timeline.canvas
    h.qtbot.waitUntil(lambda: table.model.rowCount() == 4 and len(canvas.tiers) == 2)
    # table -> timeline and editor
    table.view.selectRow(2)
    chosen = table.model.ids[2]
    assert canvas.selected == chosen
    assert bench.editor.annotation is not None and bench.editor.annotation.id == chosen
    # timeline -> table: click the bar of the 'hands' annotation (tier row 1, frames 45-80)
    y = int(canvas._tracks_top() + 24 * 1 + 12)
    h.qtbot.mouseClick(canvas, LEFT, pos=QPoint(int(canvas.x_of(60)), y))
    hands = next(
        i
        for i in table.model.ids
        if table.model.annotation(table.model.row_of(i)).range.start == 45
    )
    assert table.selected_id() == hands
    assert canvas.selected == hands
    assert bench.editor.title.text().endswith("Hands")
    h.at(45)
