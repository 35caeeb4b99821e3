"""The whole window in the pseudo-locale (docs/translation.md): every string that went through
the catalogue comes out wrapped in ⟦…⟧, so a visible text with a word outside the marks is a
string never marked for translation. The window opens a project with a film; every menu, every
panel and the main dialogs are shown (never exec()), and every label, button, action, group box,
dock, tab, header, placeholder and window title is read.

What may stay outside the marks is listed here, each with its reason: the project's own data
(film title, tiers, authors, categories, notes), numbers, timecodes and keys, and names that are
the same in every language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QTextDocument
from PyQt6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTableView,
    QTabWidget,
    QTreeView,
    QTreeWidget,
    QWidget,
)

from critique_app import i18n
from critique_app.gui import file_dialogs
from critique_app.gui.actions import plain
from critique_app.gui.you_badge import YouBadge
from tests.gui.annotation_projects import VOCABULARY, make_project
from tests.gui.test_menus_and_help import all_menus, lettered

# The project's own data, shown as its users wrote it (never translated): annotation_projects.py
# makes the film, tiers, authors, vocabulary and notes these come from.
PROJECT_DATA = (
    "Coded clip",  # the film's title
    "coded.mp4",  # the film's file name (Provenance: the file checked)
    "study",  # the project's file name, in the window title
    "Anna",
    "Bruno",
    "Theme: hands",  # tiers and authors
)
# Names that are the same in every language.
SAME_EVERYWHERE = (
    "Critique",  # the program's name (window title, About)
    "English",
    "Français",  # each language by its own name (Preferences)
    "PyQt",
    "Qt",  # versions in the About box
    "sha256",
    "mp4",  # a hash's and a container's names (Provenance: the file checked)
)
# Units and symbols a number carries, in every language: SMPTE timecodes stay SMPTE and the
# frame rate is said in frames per second ("24 fps") as editing software does.
UNITS = re.compile(r"\b(fps|s|[0-9a-f]{12,})\b")  # the last: a hash's digits, in hexadecimal
# Qt's own words for standard buttons, translated by the catalogue Qt ships (qtbase_fr.qm); the
# pseudo-locale has none, so they stay as Qt writes them. A standard button whose text the
# window sets itself (Start annotating, Later) must be wrapped.
QT_OWN = ("OK", "&OK", "Cancel", "&Cancel", "Close", "&Close")
NO_BUTTON = QDialogButtonBox.StandardButton.NoButton
WRAPPED = re.compile(re.escape(i18n.PSEUDO_OPEN) + r"[^⟦⟧]*" + re.escape(i18n.PSEUDO_CLOSE))
LETTER = re.compile(r"[^\W\d_]")


def category_names() -> list[str]:
    """The vocabulary's names in both languages (the project's data)."""
    names = [VOCABULARY["name"]["en"], VOCABULARY["name"]["fr"]]  # type: ignore[index]
    for level in VOCABULARY["levels"]:  # type: ignore[union-attr]
        names += [level["label"]["en"], level["label"]["fr"]]
        for kind in level["types"]:
            names += [kind["label"]["en"], kind["label"]["fr"]]
            names += list(kind.get("definition", {}).values())
    return names


def outside_the_marks(text: str, data: list[str]) -> str:
    """What of `text` is neither wrapped nor data nor a number: '' when all is well."""
    rest = text
    while WRAPPED.search(rest):  # a sentence may wrap another one: innermost first
        rest = WRAPPED.sub(" ", rest)
    for known in sorted(data, key=len, reverse=True):
        rest = rest.replace(known, " ")
    rest = UNITS.sub(" ", rest)
    return rest.strip() if LETTER.search(rest) else ""


def texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every visible text the user reads on `widget` and its children."""
    if widget.isWindow() and widget.windowTitle():
        yield f"{type(widget).__name__} title", widget.windowTitle()
    for child in [widget, *widget.findChildren(QWidget)]:
        name = f"{type(child).__name__} {child.objectName()!r}"
        if isinstance(child, QLabel) and child.text():
            text = child.text()
            if Qt.mightBeRichText(text):
                document = QTextDocument()
                document.setHtml(text)
                text = document.toPlainText()
            yield name, text
        elif isinstance(child, YouBadge):
            continue  # the user's initials (their data), in the status bar
        elif isinstance(child, QAbstractButton) and child.text():
            box = child.parent()
            standard = isinstance(box, QDialogButtonBox) and box.standardButton(child) != NO_BUTTON
            if standard and child.text() in QT_OWN:
                continue  # Qt's own OK/Cancel/Close: Qt's catalogue (gui/translation.py)
            yield name, plain(child.text())
        elif isinstance(child, QGroupBox) and child.title():
            yield name, child.title()
        elif isinstance(child, QDockWidget):
            yield name, child.windowTitle()
        elif isinstance(child, (QTabWidget, QTabBar)):
            for i in range(child.count()):
                yield f"{name} tab {i}", child.tabText(i)
        elif isinstance(child, (QLineEdit, QPlainTextEdit)) and child.placeholderText():
            yield f"{name} placeholder", child.placeholderText()
        if isinstance(child, QTreeWidget):
            header = child.headerItem()
            for i in range(child.columnCount() if header is not None else 0):
                yield f"{name} header {i}", header.text(i)  # type: ignore[union-attr]
        elif isinstance(child, (QTableView, QTreeView)):
            model = child.model()
            if model is not None:
                for i in range(model.columnCount()):
                    header = model.headerData(i, Qt.Orientation.Horizontal)
                    if header:
                        yield f"{name} header {i}", str(header)
        for action in child.actions():
            # a recent file's entry ("&1 study.critique") is a file's name
            shown = action.text() and not action.isSeparator()
            if shown and action.objectName() != "RecentFile":
                yield f"{name} action", plain(action.text())


@pytest.fixture
def pseudo() -> Iterator[None]:
    i18n.use(i18n.PSEUDO, explicit=True)
    yield
    i18n.use(i18n.SOURCE)


def test_every_text_of_the_window_goes_through_the_catalogue(
    open_window: Any, clip: Path, tmp_path: Path, pseudo: None, monkeypatch: Any
) -> None:
    asked: list[tuple[str, str]] = []  # the file dialogs' titles and filters

    def ask_user(
        _parent: Any, _purpose: str, title: str, filters: str, *_a: Any, **_k: Any
    ) -> list:
        asked.append((title, filters))
        return []  # cancelled

    monkeypatch.setattr(file_dialogs, "ask_user", ask_user)
    project = make_project(tmp_path, clip)
    harness = open_window(project)
    window = harness.window
    qtbot = harness.qtbot
    data = [*PROJECT_DATA, *SAME_EVERYWHERE, *category_names()]

    # an annotation selected: the editor shows its form, the table its rows
    first = window.annotations.table.model.ids[0]
    window.annotations.select(first)
    for dock in window.findChildren(QDockWidget):
        dock.show()
        dock.raise_()
        qtbot.wait(10)
    bar = window.menuBar()
    assert bar is not None
    for _where, menu in all_menus(bar, ""):
        menu.aboutToShow.emit()  # menus filled when opened (Open Recent)

    a = window.action_table
    a["preferences"].trigger()
    a["keyboard_shortcuts"].trigger()
    a["about"].trigger()
    a["new_project"].trigger()  # a file dialog: its title and filters are read below
    a["add_film"].trigger()
    a["open"].trigger()
    window.annotations.open_vocabulary_editor()
    window.annotations.open_merge_dialog()
    from critique_app.gui.panels.exports.annotation_export import FormatChooser
    from critique_app.gui.welcome import WelcomeDialog

    chooser = FormatChooser("Coded clip", "eaf", window)
    chooser.show()
    welcome = WelcomeDialog(window.settings, window)
    welcome.show()
    qtbot.wait(50)

    shown: list[QWidget] = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert {type(w).__name__ for w in shown} >= {
        "MainWindow",
        "PreferencesDialog",
        "ShortcutSheet",
        "QMessageBox",
        "VocabularyEditor",
        "MergeDialog",
        "FormatChooser",
        "WelcomeDialog",
    }
    unwrapped: list[str] = []
    for top in shown:
        for where, text in texts_of(top):
            left = outside_the_marks(text, data)
            if left:
                unwrapped.append(f"{where}: {text!r} ({left!r} outside the marks)")
    for where, menu in all_menus(bar, ""):
        for action in lettered(menu):
            if action.objectName() == "RecentFile":
                continue
            left = outside_the_marks(plain(action.text()), data)
            if left:
                unwrapped.append(f"menu {where}: {action.text()!r}")
    assert len(asked) >= 3
    for title, filters in asked:
        for text in (title, filters):
            if outside_the_marks(text, data):
                unwrapped.append(f"file dialog: {text!r}")
    for top in shown:
        if top is not window:
            top.close()
    assert not unwrapped, "\n".join(unwrapped)
