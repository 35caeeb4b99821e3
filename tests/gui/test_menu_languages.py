"""The window's menus in the user's language: French titles and items, each menu of the bar and
each item of a menu with its own Alt letter in French too; in the pseudo-locale every title and
every item of the action table is wrapped in ⟦…⟧ (docs/translation.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PyQt6.QtWidgets import QDialogButtonBox

from critique_app import i18n
from critique_app.gui.actions import MENU_TITLES, SPECS, menu_title, plain
from tests.gui.test_menus_and_help import all_menus, lettered, letters_of


@pytest.fixture
def language() -> Iterator[Any]:
    """`language("fr")` as if given with --language; English again after the test."""
    yield lambda code: i18n.use(code, explicit=True)
    i18n.use(i18n.SOURCE)


def test_the_menus_are_french_with_their_own_alt_letters(open_window: Any, language: Any) -> None:
    language("fr")
    window = open_window(None).window
    bar = window.menuBar()
    titles = [plain(a.text()) for a in lettered(bar)]
    for title in ("Fichier", "Édition", "Lecture", "Affichage", "Annotation", "Aide"):
        assert title in titles
    assert titles[-1] == "Aide"
    letters_of(bar, "la barre de menus")
    for where, menu in all_menus(bar, ""):
        menu.aboutToShow.emit()
        letters_of(menu, where)
    for spec in SPECS:
        shown = window.action_table[spec.name].text()
        assert plain(shown) == plain(i18n._(spec.text)) != plain(spec.text), spec.name


def test_every_menu_title_has_its_own_french_alt_letter(language: Any) -> None:
    from critique_app.gui.keys.menu_letters import letter_of

    language("fr")
    letters = [letter_of(menu_title(menu)) for menu in MENU_TITLES]
    assert None not in letters and len(set(letters)) == len(letters)


def test_the_menus_of_the_action_table_are_wrapped_in_the_pseudo_locale(
    open_window: Any, language: Any
) -> None:
    language(i18n.PSEUDO)
    window = open_window(None).window
    bar = window.menuBar()
    titles = {plain(menu_title(menu)) for menu in MENU_TITLES}
    for action in lettered(bar):
        if plain(action.text()) in titles:
            assert plain(action.text()).startswith(i18n.PSEUDO_OPEN)
    names = {spec.name for spec in SPECS}
    for where, menu in all_menus(bar, ""):
        for action in lettered(menu):
            if action.objectName() in names:
                assert plain(action.text()).startswith(i18n.PSEUDO_OPEN), where


def test_qt_own_buttons_are_french(qapp: Any, language: Any) -> None:
    from critique_app.gui.translation import apply_language

    language("fr")
    apply_language(qapp, "system")
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        button = box.button(QDialogButtonBox.StandardButton.Cancel)
        assert button is not None and plain(button.text()) == "Annuler"
    finally:
        i18n.use(i18n.SOURCE)
        apply_language(qapp, "en")
