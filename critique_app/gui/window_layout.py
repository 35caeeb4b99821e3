"""Where the window and its panels sit: a window that fits the screen (a 1280×800 laptop
included), the default arrangement of the panels, View ▸ Reset layout, and the arrangement
the user leaves, saved at quit and put back at the next start.

The default: the annotation editor on the right, at full height, with Seminars, Provenance,
Matches, Screening and Agreement as tabs beside it (stacked in one column, a table got two
rows and Agreement ten pixels); the annotation table below the picture and timeline.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QAbstractItemModel, QMargins, QObject, QRect, QSize, Qt
from PyQt6.QtGui import QGuiApplication
from PyQt6.QtWidgets import QDockWidget, QHeaderView, QLabel, QMainWindow, QSplitter, QWidget

from critique_app.gui.settings import Settings

# Saved arrangements carry this number; one saved by another number (docks renamed or added,
# another default) is ignored and the default is used instead.
LAYOUT_VERSION = 3  # 2: Films and Undo history joined the tabs; 3: Reference library
PREFERRED_SIZE = QSize(1600, 1000)  # on a larger screen; a smaller one gets all its room
# Room the window manager's frame (title bar, borders) may take before the window is shown and
# its real frame is known: the frame, not only the inside, must lie on the screen.
FRAME_ALLOWANCE = QMargins(6, 38, 6, 6)
RIGHT_TABS = (
    "Annotation",
    "Seminars",
    "Provenance",
    "Matches",
    "Reference library",
    "Screening",
    "Agreement",
    "Films",
    "Undo history",
)
BOTTOM = "Annotations"
EDITOR_WIDTH = 400
TABLE_HEIGHT = 190
# The smallest size (width, height) at which each panel still shows what it is for: a few table
# rows, the buttons under them. Dragged smaller, its area stops there.
MINIMUM_SIZES: dict[str, tuple[int, int]] = {
    "Annotations": (420, 150),
    "Seminars": (300, 300),
    "Provenance": (300, 300),
    "Matches": (300, 300),
    "Reference library": (300, 260),
    "Screening": (340, 320),
    "Agreement": (340, 320),
    "Films": (300, 260),
    "Undo history": (260, 200),
}


def _column_key(model: QAbstractItemModel, section: int) -> Any:
    """A column's English title (its UserRole), whatever the language shown: the widths saved
    in one language are found again in another."""
    horizontal = Qt.Orientation.Horizontal
    key = model.headerData(section, horizontal, Qt.ItemDataRole.UserRole)
    return key if key is not None else model.headerData(section, horizontal)


def frame_margins(window: QWidget) -> QMargins:
    """The frame around the window's inside: the real one once shown, else an allowance."""
    if window.isVisible():
        inside, outside = window.geometry(), window.frameGeometry()
        real = QMargins(
            inside.left() - outside.left(),
            inside.top() - outside.top(),
            outside.right() - inside.right(),
            outside.bottom() - inside.bottom(),
        )
        if real.top() > 0:  # a title bar: the window manager has framed it
            return real
    return FRAME_ALLOWANCE


def available_room(window: QWidget) -> QRect | None:
    """The available geometry (no panels, no dock of the desktop) of the screen the window is
    on; the primary screen's when the window lies on none (a screen that was unplugged)."""
    screen = QGuiApplication.screenAt(window.frameGeometry().center())
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(window: QWidget, size: QSize | None = None, centre: bool = False) -> None:
    """Size (to `size`, or as it is, never larger than the screen) and place the window so that
    its frame lies inside the screen's available geometry; a maximized or full-screen window is
    the window manager's to place."""
    if window.isMaximized() or window.isFullScreen():
        return
    room = available_room(window)
    if room is None:
        return
    inside = room.marginsRemoved(frame_margins(window))
    wanted = (size or window.size()).boundedTo(inside.size())
    if centre:
        x = inside.x() + (inside.width() - wanted.width()) // 2
        y = inside.y() + (inside.height() - wanted.height()) // 2
    else:  # where it is, moved in as little as it takes
        now = window.geometry()
        x = max(inside.left(), min(now.x(), inside.right() + 1 - wanted.width()))
        y = max(inside.top(), min(now.y(), inside.bottom() + 1 - wanted.height()))
    window.setGeometry(QRect(x, y, wanted.width(), wanted.height()))


class WindowLayout(QObject):
    """The window's geometry, its docks, the picture/timeline splitter and the annotation
    table's column widths: default, reset, saved and restored (Settings)."""

    def __init__(
        self,
        window: QMainWindow,
        settings: Settings,
        splitter: QSplitter,
        table_header: QHeaderView,
    ) -> None:
        super().__init__(window)
        self.window, self.settings = window, settings
        self.splitter, self.header = splitter, table_header
        self.default_widths = self.column_widths()  # as the table makes them
        for title, (width, height) in MINIMUM_SIZES.items():
            dock = self.dock(title)
            if dock is not None:
                dock.setMinimumSize(width, height)
        for title in RIGHT_TABS:
            dock = self.dock(title)
            placeholder = dock.widget() if dock is not None else None
            if isinstance(placeholder, QLabel):
                # "Open a project…" on one line made the column (and the window) as wide as it
                placeholder.setWordWrap(True)
            toggle = dock.toggleViewAction() if dock is not None else None
            if dock is not None and toggle is not None:
                # Panels ▸ a tab: in front of the tabs it shares, not hidden behind them
                toggle.triggered.connect(lambda on, d=dock: d.raise_() if on else None)
        self.arrange_default()

    def dock(self, title: str) -> QDockWidget | None:
        return self.window.findChild(QDockWidget, f"panel:{title}")

    # -- the default -----------------------------------------------------------------------
    def arrange_default(self) -> None:
        """The editor and its tabs on the right at full height, the table below the picture."""
        w = self.window
        w.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        w.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        right = [d for d in (self.dock(t) for t in RIGHT_TABS) if d is not None]
        table = self.dock(BOTTOM)
        for dock in [*right, table]:
            if dock is not None:
                dock.setFloating(False)
                w.removeDockWidget(dock)
        if table is not None:
            w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, table)
            table.show()
        if right:
            editor = right[0]
            w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, editor)
            for dock in right[1:]:
                w.tabifyDockWidget(editor, dock)
                dock.hide()
            editor.show()
            editor.raise_()
            w.resizeDocks([editor], [EDITOR_WIDTH], Qt.Orientation.Horizontal)
        if table is not None:
            w.resizeDocks([table], [TABLE_HEIGHT], Qt.Orientation.Vertical)

    def reset(self) -> None:
        """View ▸ Reset layout: the default arrangement, splitter and column widths."""
        self.arrange_default()
        height = max(self.splitter.height(), 4)
        self.splitter.setSizes([height * 3 // 4, height - height * 3 // 4])
        self.set_column_widths(self.default_widths)
        fit_to_screen(self.window)

    # -- column widths ---------------------------------------------------------------------
    def column_widths(self) -> dict[str, int]:
        """Each column's width by its English title (hidden columns left out)."""
        model, widths = self.header.model(), {}
        if model is None:
            return {}
        for i in range(self.header.count()):
            name = _column_key(model, i)
            if name and not self.header.isSectionHidden(i) and self.header.sectionSize(i) > 0:
                widths[str(name)] = self.header.sectionSize(i)
        return widths

    def set_column_widths(self, widths: dict[str, int]) -> None:
        model = self.header.model()
        if model is None:
            return
        for i in range(self.header.count()):
            width = widths.get(str(_column_key(model, i)))
            if width is not None and width >= self.header.minimumSectionSize():
                self.header.resizeSection(i, width)

    # -- saved and restored ----------------------------------------------------------------
    def restore(self) -> None:
        """What the user left at the last quit, inside the screen; the default when nothing
        was saved, or when it was saved by another layout version."""
        s, w = self.settings, self.window
        geometry = s.window_geometry
        if geometry is not None and w.restoreGeometry(geometry):
            fit_to_screen(w)  # saved on a larger screen, or on one unplugged since
        else:
            fit_to_screen(w, PREFERRED_SIZE, centre=True)
        state = s.window_layout
        if state is not None and not w.restoreState(state, LAYOUT_VERSION):
            self.arrange_default()  # another version's arrangement: not half of it
        for dock in w.findChildren(QDockWidget):
            if dock.isFloating():
                fit_to_screen(dock)  # a panel left floating on a screen unplugged since
        splitter = s.window_splitter
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.set_column_widths(s.table_column_widths)

    def save(self) -> None:
        s, w = self.settings, self.window
        s.window_geometry = w.saveGeometry()
        s.window_layout = w.saveState(LAYOUT_VERSION)
        s.window_splitter = self.splitter.saveState()
        s.table_column_widths = self.column_widths()


def install_window_layout(
    window: QMainWindow, settings: Settings, splitter: QSplitter, table_header: QHeaderView
) -> WindowLayout:
    """After every panel is installed: the default arrangement, then what was saved."""
    layout = WindowLayout(window, settings, splitter, table_header)
    layout.restore()
    return layout
