"""The menus of a fully built window: one Alt letter per menu of the bar and per item of each
menu, never shared; Help ▸ Keyboard shortcuts prints the action table, menu by menu; Help ▸
About Critique names the version."""

from __future__ import annotations

from typing import Any

from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QLabel, QMenu

from critique_app import __version__
from critique_app.gui.actions import (
    HELP,
    SPECS,
    acts_everywhere,
    is_single_key,
    menu_title,
    plain,
    shortcut_menus,
    shortcut_table,
)
from critique_app.gui.keys.help_menu import FOCUS_RULE
from critique_app.gui.keys.menu_letters import give_letters, letter_of, with_letter


def lettered(owner: Any) -> list[QAction]:
    return [a for a in owner.actions() if not a.isSeparator() and a.text()]


def letters_of(owner: Any, where: str) -> list[str]:
    """Every entry's Alt letter, failing on an entry without one or a letter used twice."""
    found: dict[str, str] = {}
    for action in lettered(owner):
        letter = letter_of(action.text())
        assert letter is not None, f"{where}: '{action.text()}' has no Alt letter"
        assert letter not in found, (
            f"{where}: '{action.text()}' and '{found[letter]}' share Alt+{letter.upper()}"
        )
        found[letter] = action.text()
    return list(found)


def all_menus(owner: Any, path: str) -> list[tuple[str, QMenu]]:
    menus = []
    for action in lettered(owner):
        menu = action.menu()
        if isinstance(menu, QMenu):
            where = f"{path} ▸ {plain(action.text())}".lstrip(" ▸")
            menus.append((where, menu))
            menus += all_menus(menu, where)
    return menus


def test_every_menu_and_every_item_has_its_own_alt_letter(open_window: Any) -> None:
    window = open_window(None).window  # every panel installed: Annotate, Provenance, Panels...
    bar = window.menuBar()
    titles = [plain(a.text()) for a in lettered(bar)]
    for name in ("File", "Playback", "Annotate", "Provenance", "Panels", "Help"):
        assert name in titles
    assert titles[-1] == "Help"
    letters_of(bar, "the menu bar")
    menus = all_menus(bar, "")
    assert len(menus) >= 9
    for where, menu in menus:
        menu.aboutToShow.emit()  # what opens a menu: late entries get their letters
        letters_of(menu, where)


def test_menus_added_later_get_free_letters_and_keep_written_ones(qtbot: Any) -> None:
    menu = QMenu()
    qtbot.addWidget(menu)
    for text in ("&Play / pause", "Previous frame", "Pause here", "Pp"):
        menu.addAction(text)
    give_letters(menu)
    texts = [a.text() for a in menu.actions()]
    assert texts == ["&Play / pause", "Previous &frame", "Pause &here", "Pp"]  # Pp: none left
    assert with_letter("Tom && Jerry", {"t"}) == "Tom && &Jerry"
    assert letter_of("Tom && Jerry") is None and letter_of("P&rovenance") == "r"


def test_menu_titles_are_lettered_apart() -> None:
    titles = ["File", "Edit", "Playback", "Marks", "View", "Annotate", "Provenance", "Panels", HELP]
    letters = [letter_of(menu_title(t)) for t in titles]
    assert None not in letters and len(set(letters)) == len(letters)


def test_single_keys_are_told_apart_from_keys_that_act_everywhere() -> None:
    single = {k for s in SPECS for k in s.shortcuts if is_single_key(k)}
    assert {"Space", "J", "K", "L", "N", "Shift+N", "F", "Left", "Home", "Delete", "V"} <= single
    everywhere = {k for s in SPECS for k in s.shortcuts if not is_single_key(k)}
    assert {"Esc", "Ctrl+G", "Alt+X", "F1", "Ctrl+Shift+Z", "Alt+Left"} <= everywhere
    assert acts_everywhere(QKeySequence("F5")[0]) and not acts_everywhere(QKeySequence("+")[0])


def test_the_sheet_of_shortcuts_is_the_action_table_menu_by_menu(open_window: Any) -> None:
    h = open_window(None)
    window = h.window
    window.action_table["keyboard_shortcuts"].trigger()
    sheet = window.help_menu.sheet
    h.qtbot.waitUntil(sheet.isVisible)
    expected: list[tuple[str, str]] = []
    for menu in shortcut_menus():
        expected.append((menu, ""))
        expected += [(keys, plain(text)) for keys, text in shortcut_table(menu)]
    assert sheet.rows() == expected
    every = {(keys, plain(text)) for keys, text in shortcut_table()}
    assert every <= set(expected)  # the README's rows, all of them
    assert ("Esc", "Back to the picture (and out of full screen)") in expected
    assert ("F1", "Keyboard shortcuts") in expected
    assert any(label.text() == FOCUS_RULE for label in sheet.findChildren(QLabel))
    sheet.close()


def test_about_critique_names_the_version(open_window: Any) -> None:
    h = open_window(None)
    window = h.window
    window.action_table["about"].trigger()
    box = window.help_menu.about_box
    h.qtbot.waitUntil(box.isVisible)
    assert f"Critique {__version__}" in box.text()
    assert box.windowTitle() == "About Critique"
    box.close()


def test_the_lenses_open_from_a_submenu_of_view(open_window: Any) -> None:
    from critique_app.gui.actions import LENSES, find_menu

    window = open_window(None).window
    view = find_menu(window.menuBar(), "View")
    assert view is not None
    lenses = find_menu(view, LENSES)
    assert lenses is not None and plain(lenses.title()) == "Lenses"
    table = window.action_table
    assert lenses.actions() == table.in_menu(LENSES)
    lensed = {table["instability_lens"], table["rhythm_lane"], table["compare_rhythm"]}
    assert lensed <= set(lenses.actions())
    assert table["instability_lens"] not in view.actions()
    assert table["compare_with"] in view.actions()  # not a lens: a way to look at two films
