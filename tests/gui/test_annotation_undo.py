"""Undo and redo from the window through the domain UndoStack: create, edit, region, delete;
Ctrl+Z restores each step and Ctrl+Shift+Z re-applies it, and the project file on disk (read
again through a second connection) shows every step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint, Qt

from db.project import open_project
from tests.gui.annotation_projects import make_project

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton


def on_disk(path: Path) -> list[tuple[Any, ...]]:
    """What the file holds now, read back like another program would."""
    with open_project(path) as project:
        return sorted(
            (a.uuid, a.range.start, a.range.end, a.status, a.note, a.tags, a.regions)
            for a in project.repo.annotations()
        )


def test_every_edit_saved_at_once_and_undone_and_redone(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    bench = h.window.annotations
    editor = bench.editor
    states = [on_disk(path)]

    # create from the in/out marks with one key
    h.controller.show_frame(100)
    h.at(100)
    h.key(K.Key_I)
    h.key(K.Key_Right)
    h.at(101)
    for _ in range(9):
        h.key(K.Key_Right)
    h.at(110)
    h.key(K.Key_O)
    h.key(K.Key_N)
    states.append(on_disk(path))
    assert len(states[-1]) == 5
    new = bench.selected_id
    assert bench.bound.annotation(new).range.start == 100
    assert bench.table.selected_id() == new  # the new row is selected in the table

    # edit: status with a click, a note typed in the editor (one undo step), tags
    h.qtbot.mouseClick(editor.findChild(type(editor.go_in), "choice:contested"), LEFT)
    states.append(on_disk(path))
    h.qtbot.keyClicks(editor.note, "Light from two suns")
    assert h.controller.in_mark == 100  # typing 'i' in the note did not move the in point
    states.append(on_disk(path))
    assert any(s[4] == "Light from two suns" for s in states[-1])
    editor.tags.setFocus()
    h.qtbot.keyClicks(editor.tags, "light, shadow")
    h.qtbot.keyClick(editor.tags, K.Key_Return)
    states.append(on_disk(path))
    assert any(s[5] == ("light", "shadow") for s in states[-1])

    # a region drawn on the paused frame (inside the selected annotation's range)
    h.controller.show_frame(105)
    h.at(105)
    h.key(K.Key_R)
    overlay = bench.overlay
    pic = overlay.picture_rect()
    start = QPoint(int(pic.x() + 0.3 * pic.width()), int(pic.y() + 0.3 * pic.height()))
    end = QPoint(int(pic.x() + 0.6 * pic.width()), int(pic.y() + 0.7 * pic.height()))
    h.qtbot.mousePress(overlay, LEFT, pos=start)
    h.qtbot.mouseMove(overlay, end)
    h.qtbot.mouseRelease(overlay, LEFT, pos=end)
    states.append(on_disk(path))
    assert sum(1 for s in states[-1] if s[6]) == 1

    # delete with the Delete key
    h.key(K.Key_Delete)
    states.append(on_disk(path))
    assert len(states[-1]) == 4

    # Ctrl+Z walks back through every state, on disk, and says which step it undid
    for expected in reversed(states[:-1]):
        step = h.window.session.undo_stack.undo_label
        h.key(K.Key_Z, CTRL)
        assert on_disk(path) == expected
        assert h.window.statusBar().currentMessage() == (
            f"Undone: {step} (Ctrl+Shift+Z redoes it)."
        )
    h.key(K.Key_Z, CTRL)
    assert "Nothing to undo" in h.window.statusBar().currentMessage()
    # Ctrl+Shift+Z re-applies them all
    for expected in states[1:]:
        step = h.window.session.undo_stack.redo_label
        h.key(K.Key_Z, CTRL | SHIFT)
        assert on_disk(path) == expected
        assert h.window.statusBar().currentMessage() == f"Redone: {step}."
    assert bench.table.model.rowCount() == 4

    # undo the deletion: the annotation comes back everywhere (table, timeline, file)
    h.key(K.Key_Z, CTRL)
    assert bench.table.model.row_of(new) is not None
    canvas = h.window.timeline.canvas
    assert any(b.id == new for bars in canvas._bars.values() for b in bars)


def test_ctrl_z_inside_the_note_undoes_in_the_project(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    bench = h.window.annotations
    bench.table.view.selectRow(0)
    before = on_disk(path)
    editor = bench.editor
    editor.note.setFocus()
    editor.note.moveCursor(editor.note.textCursor().MoveOperation.End)
    h.qtbot.keyClicks(editor.note, " Seen twice.")
    assert on_disk(path) != before
    h.qtbot.keyClick(editor.note, K.Key_Z, CTRL)  # in the text field, as a student would
    assert on_disk(path) == before
    assert editor.note.toPlainText() == "The **door** melts into a window without any cut."
    h.qtbot.keyClick(editor.note, K.Key_Z, CTRL | SHIFT)
    assert editor.note.toPlainText().endswith("Seen twice.")


def test_the_value_is_typed_in_the_editor_searched_and_undone(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    bench = h.window.annotations
    bench.table.view.selectRow(0)
    editor = bench.editor
    ident = editor.annotation.id
    editor.value.setFocus()
    h.qtbot.keyClicks(editor.value, "porte-fenetre")  # QTest types ASCII only
    repo = h.window.session.project.project.repo
    assert repo.get_annotation(ident).value == "porte-fenetre"  # saved at once
    assert ident in repo.search("fenetre")  # the value is searchable
    h.qtbot.keyClick(editor.value, K.Key_Z, CTRL)  # the typing is one undo step
    assert repo.get_annotation(ident).value == ""
    assert editor.value.text() == ""
