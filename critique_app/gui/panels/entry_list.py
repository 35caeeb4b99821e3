"""What the Films and Reference library panels share: a project's entries (films, library
items) in a read-only table, one row each, a sentence instead of the table when there is
nothing to list, buttons that wrap in a laptop's right column, a right-click menu; and a dock
that lists them again on the task runner whenever the project changes (here, in another
window, or in a terminal).

A thin view: the panel shows the rows it is given and asks, by signals carrying an entry's id,
for the work to be done; the dock does it through services.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PyQt6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    pyqtSignal,
)
from PyQt6.QtGui import QBrush, QColor, QDesktopServices, QFont
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from critique_app.gui.flow_layout import FlowLayout
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import _
from critique_app.progress import Progress
from critique_app.services.workspace import ProjectWorkspace

MISSING_COLOUR = "#9e9e9e"  # an entry whose file has gone


def ask_with_a_dialog(parent: QWidget, title: str) -> Callable[[str, str], bool]:
    """A question before an entry goes: `text`, and a button saying what it does; Cancel is
    the default (Return or Escape keep the entry)."""

    def ask(text: str, button: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        yes = box.addButton(button, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes

    return ask


class EntryModel(QAbstractTableModel):
    """A project's entries, one row each, read-only. Each entry has an `id` and says whether
    its file is `present`; a subclass names its COLUMNS (English, N_) and says what a cell
    shows (`cell`)."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[Any] = []

    def set_entries(self, entries: list[Any]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        if role == Qt.ItemDataRole.UserRole:  # the saved layout and the tests find it by this
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry, column = self.entries[index.row()], index.column()
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        said = self.cell(entry, column, role)
        if said is None and not entry.present:  # its file has gone: greyed, named in italics
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(MISSING_COLOUR))
            if role == Qt.ItemDataRole.FontRole and column == 0:
                font = QFont()
                font.setItalic(True)
                return font
        return said

    def cell(self, entry: Any, column: int, role: int) -> Any:
        raise NotImplementedError

    def entry(self, entry_id: int) -> Any | None:
        return next((e for e in self.entries if e.id == entry_id), None)


class EntryPanel(QWidget):
    """The table, the sentence shown when it is empty (or no project is open), the buttons.

    A subclass builds its buttons, then calls `lay_out`; `row_commands` gives the right-click
    menu's commands on one entry, `ADD` the words of the command that adds one."""

    add_requested = pyqtSignal()
    remove_requested = pyqtSignal(int)
    reveal_requested = pyqtSignal(int)

    ADD = ""

    def __init__(
        self, name: str, model: EntryModel, no_project: str, nothing: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.name, self.no_project, self.nothing = name, no_project, nothing
        self.setObjectName(f"{name}Panel")
        self.model = model
        self.table = QTableView()
        self.table.setObjectName(f"{name}Table")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()  # type: ignore[union-attr]
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        selection = self.table.selectionModel()
        assert selection is not None
        selection.selectionChanged.connect(lambda *_: self._update_buttons())
        self.note = QLabel(_(no_project))
        self.note.setObjectName(f"{name}Note")
        self.note.setWordWrap(True)
        self.has_project = False
        self.add_button = QPushButton(_(self.ADD))
        self.add_button.clicked.connect(self.add_requested.emit)
        self._for_one: list[QPushButton] = []

    def lay_out(self, above: list[QWidget], for_one: list[tuple[QPushButton, Any]]) -> None:
        """The note and `above` over the table; under it the add button and `for_one`, each
        sending its signal with the selected entry's id (and greyed out without one)."""
        for button, signal in for_one:
            button.clicked.connect(lambda _c=False, s=signal: self._ask(s))
        self._for_one = [button for button, _signal in for_one]
        row = QWidget()  # the buttons wrap: the panel must fit a laptop's right column
        buttons = FlowLayout(row, spacing=6)
        for button in (self.add_button, *self._for_one):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        for widget in (self.note, *above):
            column.addWidget(widget)
        column.addWidget(self.table, 1)
        column.addWidget(row)
        self.set_project(False)

    # -- what it shows ------------------------------------------------------------------------
    def set_project(self, open_: bool) -> None:
        """With no project open, the panel says how to get one and offers nothing else."""
        self.has_project = open_
        if not open_:
            self.show_entries([])
        self.note.setText(_(self.no_project) if not open_ else _(self.nothing))
        self.note.setVisible(not open_ or not self.model.entries)
        self.add_button.setEnabled(open_)
        self._update_buttons()

    def show_entries(self, entries: list[Any]) -> None:
        chosen = self.selected_id()
        self.model.set_entries(entries)
        self.note.setVisible(not entries)
        if chosen is not None:
            self.select(chosen)
        self._update_buttons()

    def select(self, entry_id: int) -> None:
        for row, entry in enumerate(self.model.entries):
            if entry.id == entry_id:
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
        for button in self._for_one:
            button.setEnabled(chosen)

    # -- what it asks for -----------------------------------------------------------------------
    def _ask(self, signal: Any) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            signal.emit(chosen)

    def row_commands(self) -> list[tuple[str, Any]]:
        """The right-click menu's commands on one entry: their words and signals."""
        raise NotImplementedError

    def context_menu_for(self, row: int) -> QMenu:
        """The right-click menu of a row (built apart so tests can read it)."""
        menu = QMenu(self)
        menu.setObjectName(f"{self.name}Menu")
        entry = self.model.entries[row] if 0 <= row < len(self.model.entries) else None
        if entry is not None:
            self.table.selectRow(row)
            for text, signal in self.row_commands():
                action = menu.addAction(text)
                assert action is not None
                action.triggered.connect(lambda _c=False, s=signal, i=entry.id: s.emit(i))
            menu.addSeparator()
        add = menu.addAction(_(self.ADD))
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


class EntryDock(QObject):
    """Owns a panel's dock (the panel is built when first shown) and lists the entries again,
    on the task runner, when it shows and whenever `schedule_refresh` is called."""

    def __init__(self, window: WindowContext, title: str, no_project: str) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.panel: Any = None  # the EntryPanel, once shown
        self.task: Task | None = None
        # Replaced in tests: the desktop's file manager.
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        placeholder = QLabel(_(no_project))
        placeholder.setWordWrap(True)
        self.dock: QDockWidget = window.add_panel(title, placeholder)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._shown)
        toggle = self.dock.toggleViewAction()
        assert toggle is not None  # a dock always has one
        toggle.triggered.connect(lambda checked: self.dock.raise_() if checked else None)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)  # many changes in one event turn: one listing
        self._timer.timeout.connect(self.refresh)
        self.session.project_opened.connect(self._project_opened)
        self.session.project_closed.connect(self._project_closed)

    # -- what a subclass says -------------------------------------------------------------------
    def make_panel(self) -> EntryPanel:
        raise NotImplementedError

    def listing(self) -> tuple[str, Callable[[Progress, str | Path], list[Any]]]:
        """The task's name and the service function listing the entries on a worker."""
        raise NotImplementedError

    def listed(self) -> None:
        """After the rows are shown (the Films panel selects the film on screen)."""

    # -- building and listing -----------------------------------------------------------------
    def _shown(self, visible: bool) -> None:
        if visible and self.dock.isVisible():
            self.ensure_panel()
            self.refresh()

    def show(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def ensure_panel(self) -> Any:
        if self.panel is None:
            panel = self.make_panel()
            panel.set_project(self.session.project is not None)
            self.dock.setWidget(panel)
            self.panel = panel
        return self.panel

    def _project_opened(self, _project: ProjectWorkspace) -> None:
        if self.panel is not None:
            self.panel.set_project(True)
        self.schedule_refresh()

    def _project_closed(self) -> None:
        if self.task is not None:
            self.task.drop()
            self.task = None
        if self.panel is not None:
            self.panel.set_project(False)

    def schedule_refresh(self) -> None:
        self._timer.start(0)

    def refresh(self) -> Task | None:
        """List the entries again, on the task runner (nothing while the panel is hidden)."""
        project = self.session.project
        if project is None or project.path is None or not self.dock.isVisible():
            return None
        self.ensure_panel()
        if self.task is not None:
            self.task.drop()  # an older listing: something changed since it began

        def shown(entries: list[Any]) -> None:
            if self.session.project is project and self.panel is not None:
                self.panel.show_entries(entries)
                self.listed()

        name, lister = self.listing()
        self.task = self.window.tasks.run(
            name,
            lister,
            project.path,
            scope="project",
            visible=False,  # a moment: the rows appear when it is done
            on_done=shown,
            on_error=self.window.show_message,
        )
        return self.task

    def reveal_folder(self, folder: Path, gone: str) -> bool:
        """Show a folder in the desktop's file manager; `gone` is said when it is not there."""
        if not folder.is_dir():
            self.window.show_message(gone)
            return False
        if not self.open_url(QUrl.fromLocalFile(str(folder))):
            self.window.show_message(
                _("No program could show the folder {folder}.").format(folder=folder)
            )
            return False
        return True
