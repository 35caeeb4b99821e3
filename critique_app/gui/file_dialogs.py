"""Every file dialog of the window: Qt's own dialog, styled by the app's theme, starting in the
folder last used for the same purpose (else the default folder of Preferences, else Documents).

Qt's own dialog rather than the desktop's: a native one ignores the app's stylesheet and shows
a light window in the dark app. Each purpose ("open", "film", "import", "export", "screening"…)
remembers its own folder in the Settings, so an export does not start where films are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QCoreApplication, QStandardPaths
from PyQt6.QtGui import QFont, QFontMetrics
from PyQt6.QtWidgets import QComboBox, QDialog, QFileDialog, QGridLayout, QLabel, QWidget

from critique_app.gui.settings import Settings

# Purposes whose first dialog starts in a default folder of Preferences (else Documents).
FILM_PURPOSES = frozenset({"open", "film", "compare", "copy", "relink"})
EXPORT_PURPOSES = frozenset({"export", "vocabulary"})


def documents_folder() -> Path:
    """The user's Documents folder (their home when the system names none that exists)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def settings_for(widget: QWidget | None) -> Settings:
    """The Settings of the window `widget` sits in (a panel, a dialog over the window); the
    default Settings file when it sits in none (the same file a window uses by default)."""
    while widget is not None:
        found = getattr(widget, "settings", None)
        if isinstance(found, Settings):
            return found
        widget = widget.parentWidget()
    return Settings()


def start_folder(settings: Settings, purpose: str) -> Path:
    """Where the dialog for `purpose` opens: the folder last used for it if it still exists,
    else the default folder for films or exports, else Documents."""
    candidates = [settings.last_folder(purpose)]
    if purpose in FILM_PURPOSES:
        candidates.append(settings.films_folder)
    if purpose in EXPORT_PURPOSES:
        candidates.append(settings.exports_folder)
    for folder in candidates:
        if folder is not None and folder.is_dir():
            return folder
    return documents_folder()


@dataclass
class Choice:
    """One more question asked in the dialog, under the file name (the text encoding of a
    file to import): `options` are (value, words) pairs, the first one chosen at first;
    `chosen` holds the value picked when the dialog is accepted. `name` is the list's object
    name (tests find it by that)."""

    label: str
    options: list[tuple[Any, str]]
    chosen: Any = field(default=None)
    name: str = "FileDialogChoice"

    def __post_init__(self) -> None:
        if self.options and self.chosen is None:
            self.chosen = self.options[0][0]


def _add_choice(dialog: QFileDialog, choice: Choice) -> QComboBox | None:
    """The choice as a labelled list in the rows of Qt's own dialog (a grid: look in, the
    files, the file name, the file type); None when the dialog is laid out otherwise."""
    grid = dialog.layout()
    if not isinstance(grid, QGridLayout):
        return None
    combo = QComboBox(dialog)
    combo.setObjectName(choice.name)
    for value, words in choice.options:
        combo.addItem(words, value)
    combo.setCurrentIndex(max(0, combo.findData(choice.chosen)))
    label = QLabel(choice.label, dialog)
    label.setBuddy(combo)
    row = grid.rowCount()
    grid.addWidget(label, row, 0)
    grid.addWidget(combo, row, 1)
    return combo


def _speak_our_language(dialog: QFileDialog) -> None:
    """Qt's French catalogue (qtbase_fr.qm shipped with PyQt6) knows "Look in:" and "Files of
    type:", while Qt 6's dialog asks for "&Look in:" and "Files of &type:": a French window
    showed those two in English. Qt's own words for its own dialog, from its catalogue (a
    language it has no words for keeps the labels with their Alt letter)."""
    for label, words in (
        (QFileDialog.DialogLabel.LookIn, "Look in:"),
        (QFileDialog.DialogLabel.FileType, "Files of type:"),
    ):
        said = QCoreApplication.translate("QFileDialog", words)
        if said != words and dialog.labelText(label).replace("&", "") == words:
            dialog.setLabelText(label, said)


def wide_enough_for_its_title(dialog: QWidget) -> None:
    """Qt sizes a file dialog by its contents: a French title (« Importer des annotations (sur
    le film à l’écran quand le fichier n’en nomme aucun) ») was cut in the middle of a word by
    the window manager at 1280×800. As wide as the title needs, within the screen."""
    font = QFont(dialog.font())
    font.setBold(True)
    # the title bar's buttons and margins, and a title font a little larger than the window's
    needed = int(QFontMetrics(font).horizontalAdvance(dialog.windowTitle()) * 1.15) + 160
    screen = dialog.screen()
    if screen is not None:
        needed = min(needed, screen.availableGeometry().width() - 40)
    if dialog.width() < needed:
        dialog.resize(needed, dialog.height())


def ask_user(
    parent: QWidget | None,
    purpose: str,
    title: str,
    filters: str,
    mode: QFileDialog.FileMode,
    *,
    save: bool = False,
    name: str = "",
    ask_overwrite: bool = True,
    choice: Choice | Sequence[Choice] | None = None,
) -> list[Path]:
    """Show the dialog and return what the user chose (nothing: cancelled); `choice` (one or
    several), when given, is asked too and holds the answer. Every dialog of the window comes through here:
    a test replaces this one function to answer them all."""
    settings = settings_for(parent)
    dialog = QFileDialog(parent, title, str(start_folder(settings, purpose)), filters)
    dialog.setObjectName(f"FileDialog:{purpose}")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    _speak_our_language(dialog)
    wide_enough_for_its_title(dialog)
    choices = [] if choice is None else [choice] if isinstance(choice, Choice) else list(choice)
    combos = [(c, _add_choice(dialog, c)) for c in choices]
    dialog.setFileMode(mode)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, not ask_overwrite)
        if name:
            dialog.selectFile(name)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted.value:
            return []
        chosen = [Path(p) for p in dialog.selectedFiles() if p]
        for asked, combo in combos:
            if combo is not None:
                asked.chosen = combo.currentData()
    finally:
        dialog.deleteLater()
    if chosen:
        first = chosen[0]
        folder = first if mode == QFileDialog.FileMode.Directory else first.parent
        settings.remember_folder(purpose, folder)
    return chosen


def open_file(
    parent: QWidget | None,
    purpose: str,
    title: str,
    filters: str,
    choice: Choice | Sequence[Choice] | None = None,
) -> Path | None:
    """One existing file, or None when the user cancelled; `choice` (one or several) is asked
    beside it."""
    mode = QFileDialog.FileMode.ExistingFile
    chosen = ask_user(parent, purpose, title, filters, mode, choice=choice)
    return chosen[0] if chosen else None


def open_files(parent: QWidget | None, purpose: str, title: str, filters: str) -> list[Path]:
    """Existing files (none when the user cancelled)."""
    return ask_user(parent, purpose, title, filters, QFileDialog.FileMode.ExistingFiles)


def save_file(
    parent: QWidget | None,
    purpose: str,
    title: str,
    filters: str,
    name: str = "",
    *,
    ask_overwrite: bool = True,
) -> Path | None:
    """Where to write a new file (`name` proposed), or None when the user cancelled.
    `ask_overwrite=False` when the caller refuses an existing file itself (a new project)."""
    chosen = ask_user(
        parent,
        purpose,
        title,
        filters,
        QFileDialog.FileMode.AnyFile,
        save=True,
        name=name,
        ask_overwrite=ask_overwrite,
    )
    return chosen[0] if chosen else None


def choose_folder(parent: QWidget | None, purpose: str, title: str) -> Path | None:
    """An existing folder, or None when the user cancelled."""
    chosen = ask_user(parent, purpose, title, "", QFileDialog.FileMode.Directory)
    return chosen[0] if chosen else None
