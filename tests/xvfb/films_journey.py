"""What every journey's window tells about itself (the Films panel's rows first, hence the
name): title, status bar, the dialog or menu open and where its entries are, the Films panel's
rows and where they are. The teacher's and the jury's window (tests/xvfb/workbench_window.py)
publishes this and more; the student's (tests/xvfb/student_journey.py) takes its menus.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QRect, QTimer
from PyQt6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMenu, QWidget

from critique_app.gui.main_window import MainWindow

PUBLISH_MS = 150


def _global(widget: QWidget, rect: QRect) -> list[int]:
    top_left = widget.mapToGlobal(rect.topLeft())
    return [top_left.x(), top_left.y(), rect.width(), rect.height()]


def _menu_entries(menu: Any) -> list[dict[str, Any]]:
    return [
        {
            "text": action.text(),
            "enabled": action.isEnabled(),
            "keys": action.shortcut().toString(),  # what the menu shows beside the entry
            "rect": _global(menu, menu.actionGeometry(action)),
        }
        for action in menu.actions()
        if action.text()
    ]


def what_is_shown(window: MainWindow) -> dict[str, Any]:
    session, films = window.session, window.films
    bar = window.menuBar()
    status = window.statusBar()
    modal = QApplication.activeModalWidget()
    popup = QApplication.activePopupWidget()
    panel = films.panel
    shown: dict[str, Any] = {
        "title": window.windowTitle(),
        "active": window.isActiveWindow(),
        "project": str(session.project.path) if session.project is not None else None,
        "film": session.film.title if session.film is not None else None,
        "message": status.currentMessage() if status is not None else "",
        "modal": modal.windowTitle() if modal is not None else None,
        "popup": _menu_entries(popup) if isinstance(popup, QMenu) else None,
        "menubar": _menu_entries(bar) if bar is not None else [],
        "films_visible": films.dock.isVisible(),
        "films": None,
        "add_button": None,
        "film_rows": [],
        "dialog_path": None,  # what the file dialog's name field holds
        "dialog_ready": False,  # the dialog is the active window and its name field has the keys
    }
    if isinstance(modal, QFileDialog):
        field = modal.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog names it so
        if field is not None:
            shown["dialog_path"] = field.text()
            shown["dialog_ready"] = modal.isActiveWindow() and field.hasFocus()
    if panel is not None and films.dock.isVisible():
        model = panel.model
        shown["films"] = [
            [model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
        shown["add_button"] = _global(panel.add_button, panel.add_button.rect())
        viewport = panel.table.viewport()
        assert viewport is not None
        shown["film_rows"] = [  # where each row's title is, to double-click it
            _global(viewport, panel.table.visualRect(model.index(r, 0)))
            for r in range(model.rowCount())
        ]
    return shown


def publish_while_running(
    app: QApplication, window: MainWindow, out: Path, shown: Callable[[MainWindow], Any]
) -> int:
    """Run the app, writing `shown(window)` to `out` every PUBLISH_MS, and end the GUI as the
    app does: every journey's window publishes its state this one way."""
    from critique_app.gui.app import end_gui

    alive = [window]  # emptied before the window goes

    def publish() -> None:
        if not alive or alive[0].is_shut_down:
            return
        partial = out.with_suffix(".partial")
        partial.write_text(json.dumps(shown(alive[0])), encoding="utf-8")
        os.replace(partial, out)  # the test never reads half a file

    timer = QTimer()
    timer.timeout.connect(publish)
    timer.start(PUBLISH_MS)
    code = app.exec()
    timer.stop()
    alive.clear()
    sys.excepthook = sys.__excepthook__
    del window
    end_gui(app)
    return code
