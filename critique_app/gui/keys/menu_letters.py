"""Alt letters (mnemonics) for the menus: one per menu of the bar, one per item of a menu.

The letters are written in the texts (gui/actions.py, and the few actions panels make); what a
panel adds without one (a dock's Panels entry, a recent file) gets the first letter still free
in its menu, a word's initial first, when the menu opens: so two items never share a letter,
whoever added them, and a letter written by hand is never moved.
"""

from __future__ import annotations

from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import QMenu, QMenuBar, QWidget

HOOKED = "critique_letters"  # a Qt property: this menu gives its items letters as it opens


def letter_of(text: str) -> str | None:
    """The Alt letter of a text (`&File` → "f"), lower-cased; None without one (`&&` is an
    ampersand, not a letter)."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 2
            continue
        i += 1
    return None


def with_letter(text: str, taken: set[str]) -> str:
    """`text` with an Alt letter not in `taken`: a word's initial first, then any letter."""
    initials = [
        i for i, ch in enumerate(text) if ch.isalnum() and (i == 0 or not text[i - 1].isalnum())
    ]
    others = [i for i, ch in enumerate(text) if ch.isalnum() and i not in initials]
    for i in initials + others:
        if text[i].lower() not in taken:
            return f"{text[:i]}&{text[i:]}"
    return text  # every letter taken: the item is still reachable with the arrows


def items(owner: QWidget) -> list[QAction]:
    """The entries of a menu or a menu bar that can have a letter."""
    return [a for a in owner.actions() if not a.isSeparator() and a.text()]


def give_letters(owner: QMenu | QMenuBar) -> None:
    """Give every entry of `owner` without an Alt letter the first free one."""
    entries = items(owner)
    taken = {found for a in entries if (found := letter_of(a.text())) is not None}
    for action in entries:
        if letter_of(action.text()) is None:
            text = with_letter(action.text(), taken)
            found = letter_of(text)
            if found is not None:
                taken.add(found)
                action.setText(text)
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            _hook(submenu)


def _hook(menu: QMenu) -> None:
    if menu.property(HOOKED):
        return
    menu.setProperty(HOOKED, True)
    menu.aboutToShow.connect(lambda: give_letters(menu))
    give_letters(menu)


def letter_every_menu(bar: QMenuBar | None) -> None:
    """Letters for the bar's menus and their items now, and again each time a menu opens
    (what was added since gets its letter before anyone can look for it)."""
    if bar is not None:
        give_letters(bar)
