"""The Films panel's widget: the project's films in a table (title, length, rate, credentials,
fingerprints), with buttons and a right-click menu for what can be done to one film.

A thin view: it shows the rows it is given and asks, by signals, for the work to be done
(gui/panels/films/films_dock.py does it through services).
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QAbstractTableModel, QModelIndex, QPoint, Qt, pyqtSignal
from PyQt6.QtGui import QBrush, QColor, QFont
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain.provenance_words import trust_list_words
from critique_app.gui.flow_layout import FlowLayout
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
MISSING_COLOUR = "#9e9e9e"
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


class FilmsModel(QAbstractTableModel):
    """The project's films, one row each, read-only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[FilmEntry] = []

    def set_entries(self, entries: list[FilmEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section])
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.UserRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry, column = self.entries[index.row()], index.column()
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
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
        if role == Qt.ItemDataRole.ForegroundRole and not entry.present:
            return QBrush(QColor(MISSING_COLOUR))
        if role == Qt.ItemDataRole.FontRole and not entry.present and column == 0:
            font = QFont()
            font.setItalic(True)
            return font
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

    def entry(self, film_id: int) -> FilmEntry | None:
        return next((e for e in self.entries if e.id == film_id), None)


class FilmsPanel(QWidget):
    """Asks for work by signals carrying a film id; the dock does it."""

    add_requested = pyqtSignal()
    open_requested = pyqtSignal(int)
    remove_requested = pyqtSignal(int)
    relink_requested = pyqtSignal(int)
    reveal_requested = pyqtSignal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FilmsPanel")
        self.model = FilmsModel(self)
        self.table = QTableView()
        self.table.setObjectName("FilmsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()  # type: ignore[union-attr]
        header = self.table.horizontalHeader()
        assert header is not None
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for number in range(1, len(COLUMNS)):
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._double_clicked)
        selection = self.table.selectionModel()
        assert selection is not None
        selection.selectionChanged.connect(lambda *_: self._update_buttons())
        self.note = QLabel(_(NO_PROJECT))
        self.note.setObjectName("FilmsNote")
        self.note.setWordWrap(True)
        self.add_button = QPushButton(_("Add a film…"))
        self.remove_button = QPushButton(_("Remove from project…"))
        self.relink_button = QPushButton(_("Relink…"))
        self.reveal_button = QPushButton(_("Reveal in folder"))
        self.add_button.clicked.connect(self.add_requested.emit)
        self.remove_button.clicked.connect(lambda: self._ask(self.remove_requested))
        self.relink_button.clicked.connect(lambda: self._ask(self.relink_requested))
        self.reveal_button.clicked.connect(lambda: self._ask(self.reveal_requested))
        row = QWidget()  # the buttons wrap: the panel must fit a laptop's right column
        buttons = FlowLayout(row, spacing=6)
        for button in (self.add_button, self.remove_button, self.relink_button, self.reveal_button):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.note)
        column.addWidget(self.table, 1)
        column.addWidget(row)
        self.set_project(False)

    # -- what it shows ------------------------------------------------------------------------
    def set_project(self, open_: bool) -> None:
        """With no project open, the panel says how to get one and offers nothing else."""
        self.has_project = open_
        if not open_:
            self.model.set_entries([])
        self.note.setText(_(NO_PROJECT) if not open_ else _(NO_FILMS))
        self.note.setVisible(not open_ or not self.model.entries)
        self.add_button.setEnabled(open_)
        self._update_buttons()

    def show_entries(self, entries: list[FilmEntry]) -> None:
        chosen = self.selected_id()
        self.model.set_entries(entries)
        self.note.setVisible(not entries)
        if chosen is not None:
            self.select(chosen)
        self._update_buttons()

    def select(self, film_id: int) -> None:
        for row, entry in enumerate(self.model.entries):
            if entry.id == film_id:
                self.table.selectRow(row)
                return

    def selected_id(self) -> int | None:
        selection = self.table.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        if not rows:
            return None
        value = self.model.data(rows[0], Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for button in (self.remove_button, self.relink_button, self.reveal_button):
            button.setEnabled(chosen)

    # -- what it asks for -----------------------------------------------------------------------
    def _ask(self, signal: Any) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            signal.emit(chosen)

    def _double_clicked(self, index: QModelIndex) -> None:
        value = self.model.data(index, Qt.ItemDataRole.UserRole)
        if value is not None:
            self.open_requested.emit(int(value))

    def context_menu_for(self, row: int) -> QMenu:
        """The right-click menu of a row (built apart so tests can read it)."""
        menu = QMenu(self)
        menu.setObjectName("FilmsMenu")
        entry = self.model.entries[row] if 0 <= row < len(self.model.entries) else None
        if entry is not None:
            self.table.selectRow(row)
            for text, signal in (
                (_("Open in the window"), self.open_requested),
                (_("Remove from project…"), self.remove_requested),
                (_("Relink…"), self.relink_requested),
                (_("Reveal in folder"), self.reveal_requested),
            ):
                action = menu.addAction(text)
                assert action is not None
                action.triggered.connect(lambda _c=False, s=signal, i=entry.id: s.emit(i))
            menu.addSeparator()
        add = menu.addAction(_("Add a film…"))
        assert add is not None
        add.setEnabled(self.has_project)
        add.triggered.connect(self.add_requested.emit)
        return menu

    def _context_menu(self, point: QPoint) -> None:
        row = self.table.indexAt(point).row()
        menu = self.context_menu_for(row)
        viewport = self.table.viewport()
        assert viewport is not None
        menu.exec(viewport.mapToGlobal(point))
        menu.deleteLater()
