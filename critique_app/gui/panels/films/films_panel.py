"""The Films panel's widget: the project's films in a table (title, length, rate, credentials,
fingerprints), with buttons and a right-click menu for what can be done to one film.

A thin view: it shows the rows it is given and asks, by signals, for the work to be done
(gui/panels/films/films_dock.py does it through services).
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QModelIndex, Qt, pyqtSignal
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import QHeaderView, QPushButton, QWidget

from critique_app.domain.provenance_words import trust_list_words
from critique_app.gui.panels.entry_list import EntryModel, EntryPanel
from critique_app.gui.panels.provenance.provenance_panel import BADGES
from critique_app.i18n import N_, _
from critique_app.services.film_list import FilmEntry

COLUMNS = (N_("Title"), N_("Length"), N_("Rate"), N_("Credentials"), N_("Fingerprints"))
FINGERPRINT_WORDS = {
    "complete": N_("Fingerprinted"),
    "partial": N_("Partly fingerprinted"),
    "none": N_("Not fingerprinted"),
}
NOT_CHECKED = N_("Not checked yet")
NO_PROJECT = N_("Open or make a project (File ▸ New project…) to list its films here.")
NO_FILMS = N_("No film in this project yet: Add a film… puts one in.")


def credentials_words(entry: FilmEntry) -> tuple[str, str | None]:
    """The verdict badge's words and colour, as the Provenance panel shows them."""
    if entry.credentials is None:
        return _(NOT_CHECKED), None
    words, colour = BADGES.get(
        entry.credentials, (_("Checked, with an unusual verdict"), "#757575")
    )
    if entry.credentials == "ok" and entry.trust_list:
        words = _("{verdict}, vouched for by {trust_list}").format(
            verdict=words, trust_list=trust_list_words(entry.trust_list)
        )
    return words, colour


class FilmsModel(EntryModel):
    """The project's films, one row each, read-only."""

    COLUMNS = COLUMNS

    def cell(self, entry: FilmEntry, column: int, role: int) -> Any:
        if column == 3:
            return self._credentials(entry, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                entry.title,
                entry.length,
                entry.rate,
                None,
                _(FINGERPRINT_WORDS[entry.fingerprint])
                if entry.fingerprint in FINGERPRINT_WORDS
                else entry.fingerprint,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            if entry.present:
                return entry.path
            return _("The file is not at {path} any more: Relink… finds it.").format(
                path=entry.path
            )
        return None

    @staticmethod
    def _credentials(entry: FilmEntry, role: int) -> Any:
        words, colour = credentials_words(entry)
        if role == Qt.ItemDataRole.DisplayRole:
            return words
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry.credentials is None:
                return _("Show the Provenance panel on this film to check its Content Credentials.")
            return _("The latest check stored in this project says: {verdict}.").format(
                verdict=words
            )
        if colour is not None and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(colour))
        if colour is not None and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("white"))
        return None


class FilmsPanel(EntryPanel):
    """Asks for work by signals carrying a film id; the dock does it."""

    open_requested = pyqtSignal(int)
    relink_requested = pyqtSignal(int)

    ADD = N_("Add a film…")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Films", FilmsModel(), NO_PROJECT, NO_FILMS, parent)
        self.model.setParent(self)
        header = self.table.horizontalHeader()
        assert header is not None
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for number in range(1, len(COLUMNS)):
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._double_clicked)
        self.remove_button = QPushButton(_("Remove from project…"))
        self.relink_button = QPushButton(_("Relink…"))
        self.reveal_button = QPushButton(_("Reveal in folder"))
        self.lay_out(
            [],
            [
                (self.remove_button, self.remove_requested),
                (self.relink_button, self.relink_requested),
                (self.reveal_button, self.reveal_requested),
            ],
        )

    def _double_clicked(self, index: QModelIndex) -> None:
        value = self.model.data(index, Qt.ItemDataRole.UserRole)
        if value is not None:
            self.open_requested.emit(int(value))

    def row_commands(self) -> list[tuple[str, Any]]:
        return [
            (_("Open in the window"), self.open_requested),
            (_("Remove from project…"), self.remove_requested),
            (_("Relink…"), self.relink_requested),
            (_("Reveal in folder"), self.reveal_requested),
        ]
