"""Add to seminar from anywhere: the editor's button and Annotate ▸ Add to seminar… (Ctrl+Shift+A)
add the selected annotation to the project's one seminar, ask which one when there are several
(or name a new one), offer to create the first; the status bar says where it went, the seminar
panel shows it, the project file holds it, and Ctrl+Z takes it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QMenu

from critique_app.gui.actions import SPECS
from db.project import open_project
from tests.gui.annotation_projects import make_project

ADDED = "Added to seminar “{}”."


def seminars_on_disk(path: Path) -> dict[str, list[int | None]]:
    """Each seminar's passages (their annotation ids), read by a second connection."""
    with open_project(path) as project:
        return {
            s.name: [i.annotation_id for i in project.repo.seminar_items(s.id)]
            for s in project.repo.seminars()
        }


def project_with(folder: Path, clip: Path, *names: str) -> Path:
    path = make_project(folder, clip)
    with open_project(path) as project:
        for name in names:
            project.repo.add_seminar(name)
    return path


def annotation_at(window: Any, start: int) -> int:
    model = window.annotations.table.model
    return next(i for r, i in enumerate(model.ids) if model.annotation(r).range.start == start)


def message(window: Any) -> str:
    return str(window.statusBar().currentMessage())


def test_the_command_is_in_the_action_table_with_a_key_of_its_own() -> None:
    spec = next(s for s in SPECS if s.name == "add_to_seminar")
    assert spec.menu == "Annotate" and spec.shortcuts == ("Ctrl+Shift+A",)
    keys = [k for s in SPECS for k in s.shortcuts]
    assert keys.count("Ctrl+Shift+A") == 1


def test_editor_button_adds_to_the_only_seminar_and_undo_takes_it_back(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = project_with(tmp_path, clip, "Week 3: morphing")
    h = open_window(path)
    window = h.window
    hands = annotation_at(window, 45)
    window.annotations.select(hands)
    button = window.annotations.editor.seminar_button
    assert button.isVisible() and button.text().startswith("Add to seminar")
    assert "Ctrl+Shift+A" in button.toolTip()
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seminars_on_disk(path) == {"Week 3: morphing": [hands]}
    assert message(window) == ADDED.format("Week 3: morphing")
    assert window.seminars.adder.dialog is None  # one seminar: nothing asked

    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # twice: said, not added again
    assert seminars_on_disk(path) == {"Week 3: morphing": [hands]}
    assert "already in seminar “Week 3: morphing”" in message(window)

    window.action_table["undo"].trigger()
    assert seminars_on_disk(path) == {"Week 3: morphing": []}
    window.action_table["redo"].trigger()
    assert seminars_on_disk(path) == {"Week 3: morphing": [hands]}


def test_menu_command_and_its_key_with_one_seminar_show_in_the_panel(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = project_with(tmp_path, clip, "Week 3: morphing")
    h = open_window(path)
    window = h.window
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Annotate")
    action = window.action_table["add_to_seminar"]
    assert action in menu.actions()

    action.trigger()  # nothing selected yet: a sentence, nothing added
    assert "Select an annotation first" in message(window)
    assert seminars_on_disk(path) == {"Week 3: morphing": []}

    window.seminars.show()  # the panel is built: it follows additions it did not make
    h.qtbot.waitUntil(lambda: window.seminars.panel is not None)
    panel = window.seminars.panel
    morph, hands = annotation_at(window, 10), annotation_at(window, 45)
    window.annotations.select(morph)
    action.trigger()
    window.annotations.select(hands)
    h.qtbot.keyClick(
        window.video,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert seminars_on_disk(path) == {"Week 3: morphing": [morph, hands]}
    assert message(window) == ADDED.format("Week 3: morphing")
    assert panel.items.count() == 2 and "Hands" in panel.items.item(1).text()
    window.action_table["undo"].trigger()
    h.qtbot.waitUntil(lambda: panel.items.count() == 1)


def test_several_seminars_ask_which_one_or_a_new_one(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = project_with(tmp_path, clip, "Week 3: morphing", "Week 4: hands")
    h = open_window(path)
    window = h.window
    adder = window.seminars.adder
    hands = annotation_at(window, 45)
    window.annotations.select(hands)
    window.action_table["add_to_seminar"].trigger()
    dialog = adder.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.comboBoxItems() == ["Week 3: morphing", "Week 4: hands"]
    assert dialog.isComboBoxEditable()  # a new name may be typed
    dialog.setTextValue("Week 4: hands")
    dialog.accept()
    assert adder.dialog is None
    assert seminars_on_disk(path) == {"Week 3: morphing": [], "Week 4: hands": [hands]}
    assert message(window) == ADDED.format("Week 4: hands")

    # next time the seminar used last is offered first; a typed name makes a new seminar
    morph = annotation_at(window, 10)
    window.annotations.select(morph)
    window.action_table["add_to_seminar"].trigger()
    dialog = adder.dialog
    assert dialog is not None and dialog.textValue() == "Week 4: hands"
    dialog.setTextValue("  Where the door melts ")
    dialog.accept()
    assert seminars_on_disk(path)["Where the door melts"] == [morph]
    assert message(window) == ADDED.format("Where the door melts")
    window.action_table["undo"].trigger()  # one step: the new seminar and its passage go
    assert "Where the door melts" not in seminars_on_disk(path)

    window.action_table["add_to_seminar"].trigger()  # cancelled: nothing changes
    adder.dialog.reject()
    assert adder.dialog is None
    assert seminars_on_disk(path) == {"Week 3: morphing": [], "Week 4: hands": [hands]}


def test_without_a_seminar_the_first_one_is_named_and_created(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = project_with(tmp_path, clip)
    h = open_window(path)
    window = h.window
    adder = window.seminars.adder
    hands = annotation_at(window, 45)
    window.annotations.select(hands)
    window.action_table["add_to_seminar"].trigger()
    dialog = adder.dialog
    assert dialog is not None and "no seminar yet" in dialog.labelText()
    assert dialog.textValue() == "Seminar"
    dialog.setTextValue("   ")  # no name: nothing is made
    dialog.accept()
    assert seminars_on_disk(path) == {}
    assert "needs a name" in message(window)
    window.action_table["add_to_seminar"].trigger()
    adder.dialog.setTextValue("Week 1")
    adder.dialog.accept()
    assert seminars_on_disk(path) == {"Week 1": [hands]}
    assert message(window) == ADDED.format("Week 1")
    window.action_table["undo"].trigger()
    assert seminars_on_disk(path) == {}
