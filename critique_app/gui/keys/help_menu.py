"""The Help menu: Keyboard shortcuts (a sheet printed from the action table, as the README's
table is), the messages of this session and About Critique."""

from __future__ import annotations

from PyQt6.QtCore import PYQT_VERSION_STR, QT_VERSION_STR, Qt
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from critique_app import __version__
from critique_app.gui.actions import (
    HELP,
    ActionCollection,
    add_menu,
    menu_title,
    plain,
    shortcut_menus,
    shortcut_table,
)
from critique_app.gui.keys.session_messages import SessionMessages
from critique_app.i18n import N_, _

FOCUS_RULE = N_(
    "Single keys (letters, Space, arrows, Home, End, Delete) act when the picture, the "
    "timeline or the annotation table has the focus; in a text field they are typing. "
    "Esc brings the focus back to the picture. Keys with Ctrl or Alt, and F1, work everywhere."
)
# The About box's sentences go to the catalogue without their markup (names and versions stay).
ABOUT_WHAT = N_(
    "Annotate and critique AI-generated sequences in films, frame by frame; check their "
    "provenance; turn annotations into seminar material."
)
ABOUT_LICENCE = N_("Free software under the GNU General Public License, version 3 or later.")
ABOUT = "<h3>Critique {version}</h3><p>{what}</p><p>{licence}</p><p>Qt {qt} · PyQt {pyqt}</p>"


class ShortcutSheet(QDialog):
    """Every key of the window, menu by menu, read from gui/actions.py's table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutSheet")
        self.setWindowTitle(_("Keyboard shortcuts"))
        rule = QLabel(_(FOCUS_RULE))
        rule.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("ShortcutTable")
        self.table.setHorizontalHeaderLabels([_("Keys"), _("What they do")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        vertical = self.table.verticalHeader()
        if vertical is not None:
            vertical.setVisible(False)
        header = self.table.horizontalHeader()
        if header is not None:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        self._fill()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        column = QVBoxLayout(self)
        column.addWidget(rule)
        column.addWidget(self.table, 1)
        column.addWidget(buttons)
        self.resize(560, 620)  # fits a 1280×800 screen with room around it

    def _fill(self) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        for menu in shortcut_menus():
            row = self.table.rowCount()
            self.table.insertRow(row)
            section = QTableWidgetItem(plain(menu_title(menu)))
            section.setFont(bold)
            self.table.setItem(row, 0, section)
            self.table.setSpan(row, 0, 1, 2)
            for keys, text in shortcut_table(menu):
                row = self.table.rowCount()
                self.table.insertRow(row)
                self.table.setItem(row, 0, QTableWidgetItem(keys))
                self.table.setItem(row, 1, QTableWidgetItem(plain(text)))

    def rows(self) -> list[tuple[str, str]]:
        """What the sheet shows, row by row (a menu's own row has an empty second cell)."""
        return [(self._cell(row, 0), self._cell(row, 1)) for row in range(self.table.rowCount())]

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""


class HelpMenu:
    """The last menu of the bar; the sheet and the About box are made when first asked for."""

    def __init__(
        self, window: QMainWindow, actions: ActionCollection, messages: SessionMessages
    ) -> None:
        self.window = window
        self.sheet: ShortcutSheet | None = None
        self.about_box: QMessageBox | None = None
        self.messages = messages  # the window's status bar adds to it
        bar = window.menuBar()
        assert bar is not None
        self.menu = add_menu(bar, HELP)
        assert self.menu is not None
        for action in actions.in_menu(HELP):
            self.menu.addAction(action)
        actions["keyboard_shortcuts"].triggered.connect(self.show_shortcuts)
        actions["messages"].triggered.connect(lambda: self.messages.show(self.window))
        actions["about"].triggered.connect(self.show_about)

    def show_shortcuts(self) -> ShortcutSheet:
        if self.sheet is None:
            self.sheet = ShortcutSheet(self.window)
        self.sheet.show()
        self.sheet.raise_()
        self.sheet.activateWindow()
        return self.sheet

    def show_about(self) -> QMessageBox:
        if self.about_box is None:
            box = QMessageBox(self.window)
            box.setWindowTitle(_("About Critique"))
            box.setTextFormat(Qt.TextFormat.RichText)
            box.setText(
                ABOUT.format(
                    version=__version__,
                    what=_(ABOUT_WHAT),
                    licence=_(ABOUT_LICENCE),
                    qt=QT_VERSION_STR,
                    pyqt=PYQT_VERSION_STR,
                )
            )
            box.setStandardButtons(QMessageBox.StandardButton.Close)
            self.about_box = box
        self.about_box.open()  # not exec(): the window keeps running behind it
        return self.about_box


def install_help(
    window: QMainWindow, actions: ActionCollection, messages: SessionMessages
) -> HelpMenu:
    """Add the Help menu; call it after the other menus so that it stays the last one."""
    return HelpMenu(window, actions, messages)
