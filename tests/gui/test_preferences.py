"""Edit ▸ Preferences and the first-run dialog: the name typed becomes the author of new
annotations (and the name of the tier N makes), the theme applies at once, the language and
the default folders are kept in the Settings; a window made by a test asks nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication, QDialogButtonBox

from critique_app.gui.settings import Settings
from critique_app.gui.welcome import WelcomeDialog, ask_name_on_first_run, suggest_initials
from critique_app.paths import resource
from db.project import open_project
from tests.gui.annotation_projects import make_project

K = Qt.Key
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def app_look(qapp: QApplication) -> Iterator[QApplication]:
    """The shared QApplication's stylesheet put back after a test that changes the theme."""
    sheet, theme = qapp.styleSheet(), qapp.property("critique_theme")
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setProperty("critique_theme", theme)
    hints = qapp.styleHints()
    if hints is not None and hasattr(hints, "unsetColorScheme"):
        hints.unsetColorScheme()


def authors_on_disk(path: Path) -> dict[int, tuple[str, str]]:
    """annotation id -> (author, tier name), read by a second connection as another program."""
    with open_project(path) as project:
        tiers = {t.id: t.name for t in project.repo.tiers()}
        return {a.id: (a.author, tiers[a.tier_id]) for a in project.repo.annotations()}


def empty_project(folder: Path, clip: Path) -> Path:
    """A project with one film and no tier yet (a student's first project)."""
    from critique_app.services.films import add_film

    path = folder / "first.critique"
    with open_project(path) as project:
        add_film(project, clip, title="Coded clip")
    return path


def test_the_name_in_preferences_is_the_author_of_a_new_annotation(
    open_window: Any, clip: Path, tmp_path: Path, app_look: QApplication
) -> None:
    path = empty_project(tmp_path, clip)
    h = open_window(path)
    window = h.window
    window.action_table["preferences"].trigger()
    dialog = window.preferences.dialog
    assert dialog is not None and dialog.isVisible()
    h.qtbot.keyClicks(dialog.fields.name, "Agnes Varda")
    assert dialog.fields.initials.text() == "AV"  # suggested while the name is typed
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    h.qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.settings.user_name == "Agnes Varda"
    assert window.settings.user_initials == "AV"
    assert "Agnes Varda" in window.statusBar().currentMessage()
    badge = window.preferences.badge  # the initials say who is annotating, at all times
    assert badge.isVisible() and badge.text() == "AV"
    assert "Agnes Varda" in badge.toolTip()

    window.activateWindow()  # back from the dialog: the window's keys work again
    h.qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    h.controller.show_frame(12)
    h.at(12)
    h.key(K.Key_N, SHIFT)  # a new annotation on this frame
    new = window.annotations.selected_id
    assert new is not None
    # the tier N makes on a project without tiers is named after the user too
    assert authors_on_disk(path)[new] == ("Agnes Varda", "Agnes Varda")


def test_preferences_beat_the_project_setting_which_beats_the_login_name(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    import getpass

    path = make_project(tmp_path, clip)
    h = open_window(path)
    bench = h.window.annotations
    assert bench.annotator == getpass.getuser()
    h.window.session.project.project.repo.set_setting("annotator", "Lab machine 4")
    assert bench.annotator == "Lab machine 4"
    h.window.settings.user_name = "Chantal Akerman"
    assert bench.annotator == "Chantal Akerman"


def test_the_badge_shows_own_initials_and_opens_preferences(
    open_window: Any, clip: Path, tmp_path: Path, app_look: QApplication
) -> None:
    h = open_window(make_project(tmp_path, clip))
    window = h.window
    window.settings.user_name, window.settings.user_initials = "Jean-Luc Godard", "JLuG"
    badge = window.preferences.badge
    badge.refresh()
    assert badge.text() == "JLuG"  # the initials the user chose, not suggested ones
    h.qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    dialog = window.preferences.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.fields.initials.setText("JLG")
    dialog.accept()
    assert badge.text() == "JLG" and "Jean-Luc Godard" in badge.toolTip()


def test_the_theme_applies_at_once_and_cancel_puts_the_old_one_back(
    open_window: Any, app_look: QApplication
) -> None:
    h = open_window(None)
    window = h.window
    app_look.setStyleSheet(resource("qss", "dark.qss").read_text(encoding="utf-8"))
    bar = window.statusBar()

    def lightness() -> int:
        app_look.processEvents()
        return int(bar.grab().toImage().pixelColor(2, 2).lightness())

    assert lightness() < 80
    dialog = window.preferences.open()
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    assert app_look.property("critique_theme") == "light"
    assert lightness() > 180  # the window is light already, before OK
    dialog.reject()
    assert app_look.property("critique_theme") == "dark"
    assert lightness() < 80
    assert window.settings.theme == "dark"

    dialog = window.preferences.open()
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.accept()
    assert window.settings.theme == "light"
    assert Settings().theme == "light"  # in the file, for the next start
    assert lightness() > 180


def test_language_and_default_folders_are_kept(
    open_window: Any, tmp_path: Path, app_look: QApplication
) -> None:
    """(OK applies the theme too: `app_look` puts the shared app's look back afterwards.)"""
    h = open_window(None)
    dialog = h.window.preferences.open()
    assert "after a restart" in dialog.language_note.text()
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    (tmp_path / "films").mkdir()
    dialog.films.edit.setText(str(tmp_path / "films"))
    dialog.exports.edit.setText(str(tmp_path / "out"))
    dialog.accept()
    stored = Settings()
    assert stored.language == "fr"
    assert stored.films_folder == tmp_path / "films"
    assert stored.exports_folder == tmp_path / "out"
    assert stored.user_name == ""  # an empty name field stores no name


def test_first_run_asks_the_name_and_stores_it(qtbot: Any, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    from PyQt6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    dialog = ask_name_on_first_run(window, settings)
    assert isinstance(dialog, WelcomeDialog) and dialog.isVisible()
    assert not dialog.ok.isEnabled()  # nothing to store yet
    qtbot.keyClicks(dialog.fields.name, "Jean-Luc Godard")
    assert dialog.fields.initials.text() == "JLG"
    results: list[int] = []
    dialog.finished.connect(results.append)
    qtbot.keyClick(dialog.fields.name, K.Key_Return)  # Enter: Start annotating
    assert results == [1]
    again = Settings(tmp_path / "settings.ini")
    assert (again.user_name, again.user_initials) == ("Jean-Luc Godard", "JLG")
    assert ask_name_on_first_run(window, again) is None  # asked once


def test_later_stores_nothing_and_own_initials_are_kept(qtbot: Any, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    dialog = WelcomeDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.fields.name, "Agnes")
    dialog.reject()
    assert settings.user_name == ""
    dialog = WelcomeDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.fields.initials, "AgV")
    qtbot.keyClicks(dialog.fields.name, "Agnes Varda")
    assert dialog.fields.initials.text() == "AgV"  # typed initials are never overwritten
    dialog.accept()
    assert (settings.user_name, settings.user_initials) == ("Agnes Varda", "AgV")
    assert suggest_initials("  ") == ""
    assert suggest_initials("Agnès Varda") == "AV"
    settings.user_name = "Agnès Varda"  # any alphabet, kept as typed
    settings.sync()
    assert Settings(tmp_path / "settings.ini").user_name == "Agnès Varda"


def test_windows_made_by_tests_and_scripts_ask_nothing(
    open_window: Any, qapp: QApplication
) -> None:
    h = open_window(None)
    assert h.window.settings.user_name == ""
    assert qapp.activeModalWidget() is None


# -- the light theme is readable ----------------------------------------------------------------


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_on_its_background_in_the_light_theme_passes_aa() -> None:
    text = re.sub(r"/\*.*?\*/", "", resource("qss", "light.qss").read_text(), flags=re.S)
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", text)
    base: dict[str, str] = {}
    checked = 0
    for selector, body in rules:
        props = dict(
            (k.strip(), v.strip())
            for k, _, v in (p.partition(":") for p in body.split(";"))
            if v.strip().startswith("#")
        )
        if selector.strip() == "QWidget":
            base = props
        fg = props.get("color")
        bg = props.get("background") or props.get("background-color")
        if fg and bg:
            assert contrast(fg, bg) >= 4.5, (selector.strip(), fg, bg, contrast(fg, bg))
            checked += 1
        elif fg and "#VideoView" not in selector:  # text on the window's own background
            assert contrast(fg, base["background"]) >= 4.5, (selector.strip(), fg)
            checked += 1
        sel_fg, sel_bg = props.get("selection-color"), props.get("selection-background-color")
        if sel_fg and sel_bg:
            assert contrast(sel_fg, sel_bg) >= 4.5
    assert checked > 15


def test_a_live_theme_switch_repaints_the_colours_the_table_paints_itself(
    open_window: Any, clip: Path, tmp_path: Path, app_look: QApplication
) -> None:
    """Status words in the annotation table are painted from gui/colours.py, not the
    stylesheet: after Dark → Light they are drawn in the light palette at once."""
    from PyQt6.QtGui import QColor

    from critique_app.gui import colours, theme

    def painted(widget: Any) -> set[str]:
        image = widget.grab().toImage()
        return {
            QColor(image.pixel(x, y)).name()
            for x in range(image.width())
            for y in range(0, image.height(), 2)
        }

    h = open_window(make_project(tmp_path, clip))
    viewport = h.window.annotations.table.view.viewport()
    theme.apply_theme(app_look, "dark")
    dark = painted(viewport)
    assert colours.DARK.view in dark and colours.DARK.status["declared"] in dark
    theme.apply_theme(app_look, "light")
    light = painted(viewport)
    assert colours.LIGHT.view in light and colours.DARK.view not in light
    for status in ("declared", "contested"):  # the words the demo annotations carry
        assert colours.LIGHT.status[status] in light
        assert colours.DARK.status[status] not in light
