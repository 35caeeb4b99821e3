"""The real window for the Films journey (tests/xvfb/test_films_journey.py), started empty as
`critique-app` starts without a project, telling what it shows.

`python -m tests.xvfb.films_journey STATE.json`: the app runs as `run_gui(None)` does; a
timer writes, several times a second, what is on screen (title, status bar, the dialog or menu
open and where its entries are, the Films panel's rows) so the test, which drives the window
with real keys and clicks through xdotool, knows what to press and can check what it sees.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QRect, QTimer
from PyQt6.QtWidgets import QApplication, QMenu, QWidget

from critique_app.gui.app import end_gui, error_hook, make_app
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
    }
    if panel is not None and films.dock.isVisible():
        model = panel.model
        shown["films"] = [
            [model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
        shown["add_button"] = _global(panel.add_button, panel.add_button.rect())
    return shown


def main(state: str) -> int:
    app = make_app()
    window = MainWindow()
    sys.excepthook = error_hook(window)
    window.show()
    out = Path(state)
    alive = [window]  # emptied before the window goes

    def publish() -> None:
        if not alive or alive[0].is_shut_down:
            return
        partial = out.with_suffix(".partial")
        partial.write_text(json.dumps(what_is_shown(alive[0])), encoding="utf-8")
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
