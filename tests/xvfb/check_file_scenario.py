"""A jury's Provenance ▸ Check a file… in a real window (Xvfb 1280×800, openbox), driven by
real clicks and keys through the X server (xdotool): the menu is clicked, the path typed into
the file dialog (and read back from its name field), Return pressed.

`python -m tests.xvfb.check_file_scenario STILL OUT.json`: records what the provenance panel
then shows, and where on the screen.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint, QTimer
from PyQt6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from critique_app.gui.panels.provenance.provenance_check import TITLE
from critique_app.i18n import _
from tests.xvfb.failed_open_scenario import bring_forward, keys, xdotool
from tests.xvfb.scenarios import pump, wait_for

TYPINGS = 3  # the path typed again (over what is there) when a key was lost
RETURNS = 3  # the first Return may only close the name completer's list


def click_at(app: QApplication, point: QPoint) -> None:
    xdotool(app, "mousemove", "--sync", str(point.x()), str(point.y()))
    xdotool(app, "click", "1")
    pump(app, 0.05)


def answer_file_dialog(app: QApplication, title: str, path: str) -> dict[str, Any]:
    """Once the file dialog titled `title` shows, type `path` into it as a user does and
    press Return. The dialog is modal (its own event loop): a timer started before it opens
    does this inside that loop. The returned record fills in: `typed` (what its name field
    held when Return was pressed) and `typings` once the dialog took it, else `problem`."""
    record: dict[str, Any] = {}
    timer = QTimer(app)

    def look() -> None:
        dialog = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QFileDialog) and w.isVisible() and w.windowTitle() == title
            ),
            None,
        )
        if dialog is None:
            return
        timer.stop()
        try:
            type_into(app, dialog, path, record)
        except TimeoutError as e:
            record["problem"] = str(e)
            dialog.reject()

    timer.timeout.connect(look)
    timer.start(100)
    return record


def type_into(app: QApplication, dialog: QFileDialog, path: str, record: dict[str, Any]) -> None:
    """Type the path into the dialog's name field and press Return, checking each step: the
    dialog has the keyboard, the field holds the whole path, the dialog closed."""
    field = dialog.findChild(QLineEdit, "fileNameEdit")
    assert field is not None
    for typing in range(1, TYPINGS + 1):
        bring_forward(app, dialog)
        if field.text():
            keys(app, "ctrl+a")  # what a lost key left is typed over
        xdotool(app, "type", "--delay", "20", path)
        try:
            wait_for(app, lambda: field.text() == path, timeout=10)
        except TimeoutError:
            continue
        record["typed"] = field.text()
        for _press in range(RETURNS):
            keys(app, "Return")
            try:
                wait_for(app, lambda: not dialog.isVisible(), timeout=5)
                record["typings"] = typing
                return
            except TimeoutError:
                continue
    raise TimeoutError(f"the file dialog never took the path (typed {TYPINGS} times)")


def on_screen(widget: QWidget) -> dict[str, Any]:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return {
        "visible": widget.isVisible(),
        "x": top_left.x(),
        "y": top_left.y(),
        "width": widget.width(),
        "height": widget.height(),
    }


def main(still: str, out: str) -> int:
    app = make_app()
    window = MainWindow()
    window.showMaximized()
    pump(app, 0.5)
    bring_forward(app, window)
    bar = window.menuBar()
    assert bar is not None
    menu_action = next(a for a in bar.actions() if a.text().replace("&", "") == "Provenance")
    menu = menu_action.menu()
    assert menu is not None
    typist = answer_file_dialog(app, _(TITLE), still)
    click_at(app, bar.mapToGlobal(bar.actionGeometry(menu_action).center()))
    wait_for(app, menu.isVisible, timeout=30)
    item = window.action_table["check_file"]
    click_at(app, menu.mapToGlobal(menu.actionGeometry(item).center()))
    wait_for(app, lambda: "typings" in typist or "problem" in typist, timeout=120)
    if "problem" in typist:
        raise RuntimeError(typist["problem"])
    wait_for(
        app,
        lambda: window.provenance.panel is not None and window.provenance.panel.report is not None,
        timeout=120,
    )
    panel = window.provenance.panel
    pump(app, 0.3)
    screen = app.primaryScreen()
    assert screen is not None
    geometry = screen.geometry()
    result = {
        "typed": typist["typed"],
        "typings": typist["typings"],
        "screen": [geometry.width(), geometry.height()],
        "checked": Path(panel.report.path).name,
        "badge": panel.badge.text(),
        "trust": panel.trust_label.text(),
        "signer": panel.signer_label.text(),
        "trust_on_screen": on_screen(panel.trust_label),
        "badge_on_screen": on_screen(panel.badge),
    }
    Path(out).write_text(json.dumps(result, indent=2))
    window.close()
    end_gui(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
