"""The Screening panel: one row per submission, ranked so what needs a human eye comes first.

A thin view over services/screening_table.py (rows, ranking, filters are there, Qt-free).
Sortable by any column, filtered by text and "needs an eye"; a double click asks the window to
open the film at its first match. File ▸ Screen a folder… fills it (gui/panels/screening/screening_dock.py).
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, pyqtSignal
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from critique_app.gui import colours
from critique_app.i18n import _, ngettext
from critique_app.services.screening_table import (
    COLUMNS,
    ScreeningRow,
    cell_text,
    cell_tip,
    filter_rows,
    ranked,
    sort_rows,
)

Index = QModelIndex | QPersistentModelIndex


class ScreeningModel(QAbstractTableModel):
    """The rows shown (filtered and sorted from all rows); row data in Qt.UserRole."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[ScreeningRow] = []
        self._shown: list[ScreeningRow] = []
        self._text = ""
        self._needs_eye = False
        self._sort: tuple[str, bool] = ("rank_reason", False)

    # -- what the panel sets
    def set_rows(self, rows: list[ScreeningRow]) -> None:
        self._all = ranked(rows)
        self._refresh()

    def set_filter(self, text: str = "", needs_eye: bool = False) -> None:
        self._text, self._needs_eye = text, needs_eye
        self._refresh()

    def _refresh(self) -> None:
        self.beginResetModel()
        rows = filter_rows(self._all, text=self._text, needs_eye=self._needs_eye)
        self._shown = sort_rows(rows, *self._sort)
        self.endResetModel()

    def row_at(self, row: int) -> ScreeningRow:
        return self._shown[row]

    # -- QAbstractTableModel
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        row, key = self._shown[index.row()], COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tip(row, key)
        # the "Why" column: tinted by rank, with its own text colour so it reads in every theme
        why = colours.current().why.get(row.rank) if key == "rank_reason" else None
        if role == Qt.ItemDataRole.BackgroundRole and why is not None:
            return QColor(why[0])
        if role == Qt.ItemDataRole.ForegroundRole and why is not None:
            return QColor(why[1])
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section][1])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)
        self._shown = sort_rows(self._shown, *self._sort)
        self.layoutChanged.emit()


class ScreeningPanel(QWidget):
    """The table with a filter field; double click → open_film_requested(path, frame)."""

    open_film_requested = pyqtSignal(str, int)  # film path, first matched frame (0: none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScreeningPanel")
        self.model = ScreeningModel(self)
        self.summary = QLabel(_("No screening yet: File ▸ Screen a folder…"))
        self.summary.setWordWrap(True)  # a long sentence never widens the right column
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter: name, signer, generator, match…"))
        self.needs_eye = QCheckBox(_("Only what needs an eye"))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(  # type: ignore[union-attr]
            QHeaderView.ResizeMode.Interactive
        )
        self.table.horizontalHeader().setStretchLastSection(True)  # type: ignore[union-attr]
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # type: ignore[union-attr]
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.needs_eye)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.filter.textChanged.connect(self._filter_changed)
        self.needs_eye.toggled.connect(self._filter_changed)
        self.table.doubleClicked.connect(self._open)

    def show_rows(self, rows: list[ScreeningRow]) -> None:
        self.model.set_rows(rows)
        eye = sum(r.needs_eye for r in rows)
        count = len(rows)
        submissions = ngettext("{count} submission", "{count} submissions", count).format(
            count=count
        )
        self.summary.setText(
            ngettext(
                "{submissions}; {eye} needs a human eye (listed first).",
                "{submissions}; {eye} need a human eye (listed first).",
                eye,
            ).format(submissions=submissions, eye=eye)
        )

    def _filter_changed(self, *_: object) -> None:
        self.model.set_filter(self.filter.text(), self.needs_eye.isChecked())

    def _open(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        self.open_film_requested.emit(row.path, row.first_match_frame or 0)
