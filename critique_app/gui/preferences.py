"""Edit ▸ Preferences: who is annotating, the language, the theme, the default folders and the
memory for the frames of the film on screen.

The theme applies at once (Cancel puts the previous one back); the language applies after a
restart, because every window and panel is built in it.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from critique_app.gui import theme as themes
from critique_app.gui.file_dialogs import choose_folder
from critique_app.gui.settings import FRAME_CACHE_MB, Settings
from critique_app.gui.welcome import NameFields
from critique_app.gui.window_context import WindowContext
from critique_app.gui.you_badge import YouBadge
from critique_app.i18n import N_, _

# each language by its own name, never translated; "system" in the language in use
LANGUAGE_NAMES = {"system": N_("Same as the computer"), "en": "English", "fr": "Français"}
THEME_NAMES = {"dark": N_("Dark"), "light": N_("Light"), "system": N_("Same as the computer")}


def _apply(theme: str) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        themes.apply_theme(app, theme)


class FolderField(QWidget):
    """A folder typed or chosen with Choose…; empty means Documents."""

    def __init__(self, folder: Path | None, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(str(folder) if folder else "")
        self.edit.setPlaceholderText(_("Documents"))
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self._choose)
        row.addWidget(self.edit, 1)
        row.addWidget(choose)

    def _choose(self) -> None:
        folder = choose_folder(self, "preferences", self.title)
        if folder is not None:
            self.edit.setText(str(folder))

    def folder(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None


class PreferencesDialog(QDialog):
    saved = pyqtSignal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._theme_before = settings.theme
        self.setObjectName("PreferencesDialog")
        self.setWindowTitle(_("Preferences"))
        column = QVBoxLayout(self)

        you = QGroupBox(_("You"))
        you_form = QFormLayout(you)
        self.fields = NameFields(you_form, settings.user_name, settings.user_initials)
        you_form.addRow(QLabel(_("New annotations carry this name as their author.")))
        column.addWidget(you)

        look = QGroupBox(_("Language and look"))
        look_form = QFormLayout(look)
        self.language = QComboBox()
        for key, text in LANGUAGE_NAMES.items():
            self.language.addItem(_(text) if key == "system" else text, key)
        self.language.setCurrentIndex(list(LANGUAGE_NAMES).index(settings.language))
        look_form.addRow(_("Language:"), self.language)
        self.language_note = QLabel(_("A new language applies after a restart."))
        look_form.addRow(self.language_note)
        self.theme = QComboBox()
        for key, text in THEME_NAMES.items():
            self.theme.addItem(_(text), key)
        self.theme.setCurrentIndex(list(THEME_NAMES).index(settings.theme))
        self.theme.currentIndexChanged.connect(lambda _i: _apply(self.chosen_theme))
        look_form.addRow(_("Theme:"), self.theme)
        column.addWidget(look)

        folders = QGroupBox(_("Default folders (file dialogs then remember the last one used)"))
        folders_form = QFormLayout(folders)
        self.films = FolderField(settings.films_folder, _("Where are your films?"))
        self.exports = FolderField(settings.exports_folder, _("Where should exports go?"))
        folders_form.addRow(_("Films:"), self.films)
        folders_form.addRow(_("Exports:"), self.exports)
        column.addWidget(folders)

        playback = QGroupBox(_("Playback"))
        playback_form = QFormLayout(playback)
        self.frame_memory = QSpinBox()
        self.frame_memory.setRange(*FRAME_CACHE_MB)
        self.frame_memory.setSingleStep(64)
        self.frame_memory.setSuffix(_(" MB"))
        self.frame_memory.setValue(settings.frame_cache_mb)
        playback_form.addRow(_("Memory for frames:"), self.frame_memory)
        note = QLabel(
            _(
                "Frames kept decoded around the one on screen. More keeps stepping back "
                "instant on films with long groups of pictures; less spares the computer."
            )
        )
        note.setWordWrap(True)
        playback_form.addRow(note)
        column.addWidget(playback)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.setMinimumWidth(480)

    @property
    def chosen_theme(self) -> str:
        return str(self.theme.currentData())

    def accept(self) -> None:
        s = self.settings
        if self.fields.name.text().strip():  # an emptied name keeps the one stored
            self.fields.store(s)
        s.language = str(self.language.currentData())
        s.theme = self.chosen_theme
        s.films_folder = self.films.folder()
        s.exports_folder = self.exports.folder()
        s.frame_cache_mb = self.frame_memory.value()
        s.sync()
        _apply(s.theme)
        self.saved.emit()
        super().accept()

    def reject(self) -> None:
        if self.chosen_theme != self._theme_before:
            _apply(self._theme_before)  # the preview goes; the stored theme is back
        super().reject()


class Preferences(QObject):
    """Edit ▸ Preferences… in the main window."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.dialog: PreferencesDialog | None = None
        window.action_table["preferences"].triggered.connect(self.open)
        bar = window.as_widget().statusBar()
        assert bar is not None  # a QMainWindow always makes one
        self.badge = YouBadge(lambda: window.annotations.annotator, window.settings, bar)
        self.badge.clicked.connect(self.open)
        # the project's own 'annotator' setting counts when Preferences hold no name
        window.session.project_switched.connect(lambda _path: self.badge.refresh())
        window.session.project_closed.connect(self.badge.refresh)

    def open(self) -> PreferencesDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        dialog = PreferencesDialog(self.window.settings, self.window.as_widget())
        dialog.saved.connect(self._saved)
        dialog.finished.connect(self._finished)
        dialog.open()  # window-modal, no nested event loop
        self.dialog = dialog
        return dialog

    def _finished(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def _saved(self) -> None:
        self.badge.refresh()
        # the film on screen keeps frames within the new budget from its next frame on
        self.window.controller.fetcher.set_cache_bytes(self.window.settings.frame_cache_bytes)
        name = self.window.settings.user_name
        if name:
            self.window.show_message(
                _("Preferences saved: new annotations are by {name}.").format(name=name)
            )
        else:
            self.window.show_message(_("Preferences saved."))


def install_preferences(window: WindowContext) -> Preferences:
    """Wire Edit ▸ Preferences… in the main window."""
    return Preferences(window)
