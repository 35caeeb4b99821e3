"""History: Edit ▸ Undo / Redo name the step they will take back or bring back, and the Undo
history panel lists the steps, marks the current one, and goes to any step clicked (the
project file on disk follows)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from critique_app.domain import commands as cmd
from critique_app.domain.model import FrameRange
from critique_app.gui.undo_history import START
from db.project import open_project
from tests.gui.annotation_projects import make_project

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def notes_on_disk(path: Path) -> dict[int, str]:
    with open_project(path) as project:
        return {a.id: a.note for a in project.repo.annotations()}


def rows(history: Any) -> list[tuple[str, bool, bool]]:
    """(text, bold: the current step, italic: undone) of every row of the panel."""
    out = []
    for row in range(history.list.count()):
        item = history.list.item(row)
        out.append((item.text(), item.font().bold(), item.font().italic()))
    return out


def click_row(h: Any, row: int) -> None:
    view = h.window.history.list
    rect = view.visualItemRect(view.item(row))
    h.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_undo_and_redo_say_what_they_do(open_window: Any, clip: Path, tmp_path: Path) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    window, bench = h.window, h.window.annotations
    undo, redo = window.action_table["undo"], window.action_table["redo"]
    assert (undo.text(), redo.text()) == ("&Undo", "&Redo")

    new = bench.create(FrameRange(5, 8))
    assert undo.text() == "&Undo New annotation"
    bench.push(cmd.set_note(new, "A second shadow", typing=True))
    bench.push(cmd.set_note(new, "A second shadow falls", typing=True))  # same step
    assert undo.text() == "&Undo Edit note"
    bench.delete(new)
    assert undo.text() == "&Undo Delete annotation"
    assert redo.text() == "&Redo"

    h.key(K.Key_Z, CTRL)
    assert undo.text() == "&Undo Edit note"
    assert redo.text() == "&Redo Delete annotation"
    assert undo.toolTip() == "Undo Edit note (Ctrl+Z)"
    assert notes_on_disk(path)[new] == "A second shadow falls"

    window.session.close_project()  # no project: plain again
    assert (undo.text(), redo.text()) == ("&Undo", "&Redo")


def test_the_history_panel_lists_marks_and_goes_to_a_step(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    window, bench = h.window, h.window.annotations
    history = window.history
    assert history.dock.toggleViewAction() in window.panels_menu.actions()
    history.dock.toggleViewAction().trigger()  # Panels ▸ Undo history
    h.qtbot.waitUntil(history.list.isVisible)
    assert rows(history) == [(START, True, False)]

    first = min(notes_on_disk(path))
    bench.push(cmd.set_note(first, "One"))
    bench.push(cmd.set_status(first, "contested"))
    bench.push(cmd.set_note(first, "Three"))
    assert rows(history) == [
        (START, False, False),
        ("Edit note", False, False),
        ("Change status", False, False),
        ("Edit note", True, False),
    ]

    click_row(h, 1)  # back to just after the first note
    assert history.current_row == 1
    assert notes_on_disk(path)[first] == "One"
    assert rows(history) == [
        (START, False, False),
        ("Edit note", True, False),
        ("Change status", False, True),
        ("Edit note", False, True),
    ]
    assert window.action_table["redo"].text() == "&Redo Change status"

    click_row(h, 3)  # forward again, every step redone
    assert notes_on_disk(path)[first] == "Three"
    assert history.current_row == 3

    click_row(h, 0)  # the project as it was opened
    assert notes_on_disk(path)[first] == "The **door** melts into a window without any cut."
    assert window.action_table["undo"].text() == "&Undo"

    bench.push(cmd.set_note(first, "A new branch"))  # a new edit drops the undone steps
    assert [r[0] for r in rows(history)] == [START, "Edit note"]
