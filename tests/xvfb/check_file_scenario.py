"""A jury's Provenance ▸ Check a file… in a real window (Xvfb 1280×800, openbox), driven by
real clicks and keys through the X server (xdotool): the menu is clicked, the path typed into
the file dialog, Return pressed.

`python -m tests.xvfb.check_file_scenario STILL OUT.json`: records what the provenance panel
then shows, and where on the screen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint
from PyQt6.QtWidgets import QApplication, QWidget

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from critique_app.gui.panels.provenance.provenance_check import TITLE
from tests.xvfb.failed_open_scenario import xdotool
from tests.xvfb.scenarios import pump, wait_for


def click_at(app: QApplication, point: QPoint) -> None:
    xdotool(app, "mousemove", "--sync", str(point.x()), str(point.y()))
    xdotool(app, "click", "1")
    pump(app, 0.05)


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
    wid = xdotool(app, "search", "--sync", "--onlyvisible", "--pid", str(os.getpid())).split()[-1]
    xdotool(app, "windowactivate", "--sync", wid)
    bar = window.menuBar()
    assert bar is not None
    menu_action = next(a for a in bar.actions() if a.text().replace("&", "") == "Provenance")
    menu = menu_action.menu()
    assert menu is not None
    # The file dialog is modal (its own event loop): a helper process waits for it to
    # appear, types the path and presses Return, as a user would.
    typist = subprocess.Popen(
        ["sh", "-c",
         'w=$(xdotool search --sync --onlyvisible --name "$1" | head -n 1) && '
         'xdotool windowactivate --sync "$w" && xdotool type --delay 20 "$2" && '
         "xdotool key Return",
         "typist", TITLE, still],
    )  # fmt: skip
    click_at(app, bar.mapToGlobal(bar.actionGeometry(menu_action).center()))
    wait_for(app, menu.isVisible, timeout=30)
    item = window.action_table["check_file"]
    click_at(app, menu.mapToGlobal(menu.actionGeometry(item).center()))
    wait_for(app, lambda: typist.poll() is not None, timeout=120)
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
        "typist": typist.returncode,
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
