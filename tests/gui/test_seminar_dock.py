"""The seminar dock in the main window: an annotation dragged from the table lands in the
seminar (and in the project file), Ctrl+Z takes it out again, and Preview stands on the
passage's exact in-frame with in/out marked, opening the passage's film when it is another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPointF, Qt
from PyQt6.QtGui import QDropEvent

from critique_app.domain.model import FrameRange
from critique_app.gui.panels.seminars.seminar_panel import ANNOTATION_MIME
from critique_app.services.films import add_film
from db.project import open_project
from tests.conftest import FRAME_WAIT_MS
from tests.gui.annotation_projects import make_project


def seminar_project(folder: Path, clip: Path, other: Path) -> Path:
    """The annotation test project plus a second film and a seminar with one of its passages."""
    path = make_project(folder, clip)
    with open_project(path) as project:
        film = add_film(project, other, title="NTSC copy")
        seminar = project.repo.add_seminar("Week 3: morphing")
        project.repo.add_seminar_item(
            seminar.id, film.id, FrameRange(37, 52), prompt="Where does the cut hide?"
        )
    return path


def items_on_disk(path: Path) -> list[tuple[int | None, int, int]]:
    """(annotation id, in, out) of the seminar's passages, read by a second connection."""
    with open_project(path) as project:
        seminar = project.repo.seminars()[0]
        return [
            (i.annotation_id, i.range.start, i.range.end)
            for i in project.repo.seminar_items(seminar.id)
        ]


def _drop_on(panel: Any, mime: Any) -> None:
    """What Qt delivers when the drag is released under the passage list."""
    point = QPointF(5, panel.items.height() - 2)  # below the last passage: appended
    event = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.items.dropEvent(event)
    assert event.isAccepted()


def test_drag_from_table_into_seminar_then_preview_exact(
    open_window: Any, clip: Path, clip_2997: Path, tmp_path: Path
) -> None:
    path = seminar_project(tmp_path, clip, clip_2997)
    h = open_window(path)
    window = h.window
    docked = window.seminars
    assert docked.panel is None  # nothing built for a dock nobody opened
    docked.show()
    h.qtbot.waitUntil(lambda: docked.panel is not None)
    panel = docked.panel
    assert panel.chooser.currentText() == "Week 3: morphing"
    assert panel.items.count() == 1 and "NTSC copy" in panel.items.item(0).text()

    # the row the student would drag: the hands annotation (45-80) of the coded clip
    table = window.annotations.table
    model = table.model
    row = next(r for r in range(model.rowCount()) if model.annotation(r).range.start == 45)
    hands = model.ids[row]
    assert table.view.dragEnabled()
    mime = model.mimeData([model.index(row, 0), model.index(row, 4)])
    assert mime.hasFormat(ANNOTATION_MIME)
    _drop_on(panel, mime)
    assert items_on_disk(path)[-1] == (hands, 45, 80)
    assert panel.items.count() == 2 and "Hands" in panel.items.item(1).text()

    # Ctrl+Z in the window takes the passage out, in the file and on screen; redo puts it back
    window.action_table["undo"].trigger()
    assert [i[0] for i in items_on_disk(path)] == [None]
    h.qtbot.waitUntil(lambda: panel.items.count() == 1)
    window.action_table["redo"].trigger()
    h.qtbot.waitUntil(lambda: panel.items.count() == 2)

    # preview the passage of the other film: it opens, marks in/out, stands on the in-frame
    panel.items.setCurrentRow(0)
    panel.preview_button.click()
    h.qtbot.waitUntil(lambda: window.session.film.title == "NTSC copy", timeout=FRAME_WAIT_MS)
    h.at(37)
    assert (h.controller.in_mark, h.controller.out_mark) == (37, 52)

    # and back to the annotation's passage on the first film, by double-click
    where = panel.items.visualItemRect(panel.items.item(1)).center()
    h.qtbot.mouseClick(panel.items.viewport(), Qt.MouseButton.LeftButton, pos=where)
    h.qtbot.mouseDClick(panel.items.viewport(), Qt.MouseButton.LeftButton, pos=where)
    h.qtbot.waitUntil(lambda: window.session.film.title == "Coded clip", timeout=FRAME_WAIT_MS)
    h.at(45)
    assert (h.controller.in_mark, h.controller.out_mark) == (45, 80)


def test_deleting_an_annotation_keeps_its_passage_as_a_plain_range(
    open_window: Any, clip: Path, clip_2997: Path, tmp_path: Path
) -> None:
    path = seminar_project(tmp_path, clip, clip_2997)
    h = open_window(path)
    window = h.window
    window.seminars.dock.toggleViewAction().trigger()  # Panels ▸ Seminars: its tab in front
    h.qtbot.waitUntil(lambda: window.seminars.panel is not None)
    panel = window.seminars.panel
    morph = window.annotations.table.model.ids[0]  # 10-30, "Morphing without a cut"
    panel.add_annotations([morph])
    assert "Morphing without a cut" in panel.items.item(1).text()
    window.annotations.delete(morph)  # the passage stays, as frames 10-30 of the film
    h.qtbot.waitUntil(lambda: "Morphing" not in panel.items.item(1).text())
    assert items_on_disk(path)[1] == (None, 10, 30)
    window.action_table["undo"].trigger()  # and is linked to the annotation again
    h.qtbot.waitUntil(lambda: "Morphing without a cut" in panel.items.item(1).text())
    assert items_on_disk(path)[1] == (morph, 10, 30)
