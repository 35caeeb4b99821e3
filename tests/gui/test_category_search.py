"""Choosing a category by typing part of its name in the editor's Category field: the names
that contain it are listed, Return takes the highlighted one (or the first found), and what
was typed never becomes a category nor is left in the field when nothing matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication, QWidget

from tests.gui.annotation_projects import make_project

K = Qt.Key


def on_plain_annotation(open_window: Any, clip: Path, tmp_path: Path) -> tuple[Any, int]:
    """The study project, its annotation without a category selected, the field focused."""
    h = open_window(make_project(tmp_path, clip))
    bench = h.window.annotations
    plain = next(a.id for a in bench.bound.annotations() if a.category_id is None)
    bench.select(plain)
    field = bench.editor.category
    h.window.activateWindow()
    field.setFocus(Qt.FocusReason.MouseFocusReason)
    h.qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    line = field.lineEdit()
    # the name shown is selected: what is typed replaces it
    h.qtbot.waitUntil(lambda: line.selectedText() == "— no category —")
    return h, plain


def press(h: Any, key: Qt.Key) -> None:
    """A key as the keyboard gives it: to the list of names found while it is open."""
    editor = h.window.annotations.editor
    popup = editor.category_finder.popup()
    target: QWidget = popup if popup.isVisible() else editor.category
    h.qtbot.keyClick(target, key)


def category_of(h: Any, ident: int) -> str | None:
    bench = h.window.annotations
    a = bench.bound.annotation(ident)
    return bench.bound.category(a.category_id).label_en if a.category_id else None


def test_return_takes_the_first_category_whose_name_holds_the_typed_part(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, ident = on_plain_annotation(open_window, clip, tmp_path)
    editor, stack = h.window.annotations.editor, h.window.session.undo_stack
    steps = len(stack)
    h.qtbot.keyClicks(editor.category, "MORPH")  # case aside, inside the name
    popup = editor.category_finder.popup()
    h.qtbot.waitUntil(popup.isVisible)
    found = [popup.model().index(r, 0).data().strip() for r in range(popup.model().rowCount())]
    assert found == ["Morphing without a cut"]
    press(h, K.Key_Return)
    h.qtbot.waitUntil(lambda: category_of(h, ident) == "Morphing without a cut")
    assert editor.category.lineEdit().text() == "Morphing without a cut"  # not indented
    assert len(stack) == steps + 1 and stack.undo_label == "Change category"  # one step
    assert editor.title.text().endswith("Morphing without a cut")


def test_down_and_return_take_the_name_highlighted_in_the_list(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, ident = on_plain_annotation(open_window, clip, tmp_path)
    editor = h.window.annotations.editor
    h.qtbot.keyClicks(editor.category, "drift")
    popup = editor.category_finder.popup()
    h.qtbot.waitUntil(popup.isVisible)
    press(h, K.Key_Down)
    assert popup.currentIndex().data().strip() == "Identity drift"
    press(h, K.Key_Return)
    h.qtbot.waitUntil(lambda: category_of(h, ident) == "Identity drift")
    assert not popup.isVisible()
    h.qtbot.waitUntil(lambda: editor.category.lineEdit().text() == "Identity drift")  # not indented


def test_a_name_found_nowhere_changes_nothing_and_says_so(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, ident = on_plain_annotation(open_window, clip, tmp_path)
    editor, stack = h.window.annotations.editor, h.window.session.undo_stack
    steps = len(stack)
    h.qtbot.keyClicks(editor.category, "zebra")
    press(h, K.Key_Return)
    h.qtbot.waitUntil(lambda: editor.category.lineEdit().text() == "— no category —")
    assert category_of(h, ident) is None and len(stack) == steps
    assert "zebra" in h.window.statusBar().currentMessage()

    # typed, then left for the note: nothing chosen, the field shows the category again
    h.qtbot.keyClicks(editor.category, "hand")
    assert editor.category.lineEdit().text().endswith("hand")
    editor.note.setFocus()
    h.qtbot.waitUntil(lambda: editor.category.lineEdit().text() == "— no category —")
    assert category_of(h, ident) is None and len(stack) == steps


def test_the_lists_of_names_found_go_with_their_fields(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """Quitting deletes every window without a parent: a completer's list left without one was
    deleted twice (a crash on quit once it had been shown)."""
    h, _ident = on_plain_annotation(open_window, clip, tmp_path)
    editor = h.window.annotations.editor
    assert editor.category_finder.popup().parent() is editor.category
    assert editor.tags.completer().popup().parent() is editor.tags
    assert editor.tag_names.stringList()  # the project's tags, offered while typing
