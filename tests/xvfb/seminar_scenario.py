"""A teacher gathers passages in a real window at 1280×800 (Xvfb, openbox, real libvlc), with the
mouse and keys going through the X server (xdotool): one annotation through Annotate ▸ Add to
seminar… (naming the project's first seminar in the dialog), another through a right click on
its row of the table.

`python -m tests.xvfb.seminar_scenario PROJECT OUT.json`: writes what the window showed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint
from PyQt6.QtWidgets import QApplication, QMenu, QWidget

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from tests.xvfb.failed_open_scenario import keys, settled, xdotool
from tests.xvfb.scenarios import pump, wait_for

WIDTH, HEIGHT = 1280, 800


def click(app: QApplication, widget: QWidget, point: QPoint, button: int = 1) -> dict[str, int]:
    """A real click of `button` (3: right) at a point of `widget`, through the X server."""
    where = widget.mapToGlobal(point)
    if not (0 <= where.x() < WIDTH and 0 <= where.y() < HEIGHT):
        raise AssertionError(f"{point} of {type(widget).__name__} is off the screen: {where}")
    xdotool(app, "mousemove", "--sync", str(where.x()), str(where.y()))
    xdotool(app, "click", str(button))
    pump(app, 0.05)
    return {"x": where.x(), "y": where.y()}


def row_point(window: MainWindow, annotation_id: int) -> tuple[QWidget, QPoint]:
    table = window.annotations.table
    row = table.model.row_of(annotation_id)
    assert row is not None
    rect = table.view.visualRect(table.model.index(row, 4))  # the Category column
    viewport = table.view.viewport()
    assert viewport is not None
    return viewport, rect.center()


def message(window: MainWindow) -> str:
    bar = window.statusBar()
    return bar.currentMessage() if bar is not None else ""


def main(project: str, out: str) -> int:
    app = make_app()
    window = MainWindow()
    window.resize(WIDTH, HEIGHT)
    window.show()
    pump(app, 0.5)
    window.open_path(project)
    settled(app, window)
    c = window.controller
    wait_for(app, lambda: c.info is not None and c.mode == "exact", timeout=60)
    table = window.annotations.table
    wait_for(app, lambda: table.model.rowCount() >= 4)
    wid = xdotool(app, "search", "--sync", "--onlyvisible", "--pid", str(os.getpid())).split()[-1]
    xdotool(app, "windowactivate", "--sync", wid)
    pump(app, 0.3)
    ids = {table.model.annotation(r).range.start: i for r, i in enumerate(table.model.ids)}  # type: ignore[union-attr]
    morph, hands = ids[10], ids[45]
    result: dict[str, Any] = {"morph": morph, "hands": hands, "clicks": []}
    action = window.action_table["add_to_seminar"]
    adder = window.seminars.adder

    # 1. select the morphing passage in the table, then Annotate ▸ Add to seminar…
    result["clicks"].append(click(app, *row_point(window, morph)))
    wait_for(app, lambda: window.annotations.selected_id == morph)
    bar = window.menuBar()
    assert bar is not None
    annotate = next(m for m in bar.findChildren(QMenu) if m.title() == "&Annotate")
    result["clicks"].append(click(app, bar, bar.actionGeometry(annotate.menuAction()).center()))
    wait_for(app, annotate.isVisible)
    pump(app, 0.2)
    result["menu_entry"] = next(a.text() for a in annotate.actions() if a is action)
    result["menu_keys"] = action.shortcut().toString()
    result["clicks"].append(click(app, annotate, annotate.actionGeometry(action).center()))
    # the project has no seminar yet: the dialog asks for the first one's name
    wait_for(app, lambda: adder.dialog is not None and QApplication.activeWindow() is adder.dialog)
    pump(app, 0.2)
    dialog = adder.dialog
    assert dialog is not None
    result["question"] = dialog.labelText()
    keys(app, "ctrl+a")
    xdotool(app, "type", "--delay", "40", "Week 3")
    keys(app, "Return")
    wait_for(app, lambda: adder.dialog is None)
    result["after_menu"] = message(window)

    # 2. right-click the hands row, then click Add to seminar… in the menu that opened there
    status = window.statusBar()
    assert status is not None
    status.clearMessage()  # the same sentence comes again: wait for it to reappear
    result["clicks"].append(click(app, *row_point(window, hands), button=3))
    menus = window.annotations.menus
    wait_for(app, lambda: menus.menu is not None and menus.menu.isVisible())
    pump(app, 0.2)
    menu = menus.menu
    assert menu is not None
    result["selected_by_right_click"] = window.annotations.selected_id
    result["context_entries"] = [a.text() for a in menu.actions() if not a.isSeparator()]
    result["context_keys"] = [a.shortcut().toString() for a in menu.actions() if a is action]
    result["clicks"].append(click(app, menu, menu.actionGeometry(action).center()))
    wait_for(app, lambda: bool(message(window)))
    result["after_right_click"] = message(window)
    geometry = window.frameGeometry()
    result["window"] = [geometry.x(), geometry.y(), geometry.width(), geometry.height()]
    Path(out).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    window.close()
    end_gui(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
