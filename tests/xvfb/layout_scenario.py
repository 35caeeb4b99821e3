"""The window as it first opens on a 1280×800 screen under a window manager (openbox).

`python -m tests.xvfb.layout_scenario PROJECT OUT_DIR` opens PROJECT in a window with no saved
layout, selects its first annotation, and writes OUT_DIR/layout.json (the screen's available
geometry, the window's frame, and where each editor control lies on the screen once scrolled
to) and OUT_DIR/screen.png, a screenshot of the whole screen for a human to look at.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint, QRect
from PyQt6.QtWidgets import QApplication, QDockWidget, QScrollArea, QWidget

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from tests.xvfb.scenarios import pump, wait_for


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def scroll_to(scroll: QScrollArea, widget: QWidget) -> None:
    """Scroll until the whole widget shows (ensureWidgetVisible shows a line edit's cursor only)."""
    where = widget.mapTo(scroll.widget(), QPoint(0, 0))
    half_w, half_h = widget.width() // 2, widget.height() // 2
    scroll.ensureVisible(where.x() + half_w, where.y() + half_h, half_w + 1, half_h + 1)


def main(project: str, out_dir: str) -> int:
    app = make_app()
    out = Path(out_dir)
    window = MainWindow()  # the settings of a first run: nothing saved yet
    window.show()
    window.activateWindow()
    window.raise_()
    window.open_path(project)
    c = window.controller
    wait_for(app, lambda: c.info is not None and c.mode == "exact", timeout=60)
    try:  # the window manager's frame (title bar) arrives after the window is mapped
        wait_for(app, lambda: window.frameGeometry() != window.geometry(), timeout=10)
    except TimeoutError:
        pass  # reported as is: the test says what it found
    bench = window.annotations
    first = bench.table.model.annotation(0)
    bench.select(first.id if first is not None else None)
    pump(app, 0.5)
    editor = bench.editor
    named: dict[str, QWidget] = {
        "Go to in": editor.go_in,
        "Preview": editor.preview_button,
        "Remove region": editor.remove_region,
        "Delete annotation": editor.delete_button,
        "Note": editor.note,
        "Tags": editor.tags,
    }
    for group in (editor.status, editor.confidence):
        for button in group.buttons():
            named[button.text()] = button
    controls: dict[str, Any] = {}
    viewport = editor.form_scroll.viewport()
    for name, widget in named.items():
        scroll_to(editor.form_scroll, widget)
        pump(app, 0.05)
        controls[name] = {
            "visible": widget.isVisible(),
            "screen_rect": rect(on_screen(widget)),
            "inside_editor": on_screen(viewport).contains(on_screen(widget)),
            "editor_rect": rect(on_screen(viewport)),
        }
    editor.form_scroll.verticalScrollBar().setValue(0)
    pump(app, 0.3)
    screen = QApplication.primaryScreen()
    assert screen is not None
    screen.grabWindow(0).save(str(out / "screen.png"))
    report = {
        "screen": rect(screen.geometry()),
        "available": rect(screen.availableGeometry()),
        "frame": rect(window.frameGeometry()),
        "geometry": rect(window.geometry()),
        "editor_visible": not editor.visibleRegion().isEmpty(),
        "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        "minimum_widths": {  # what makes the window as wide as it is, when it is too wide
            "transport": window.transport.minimumSizeHint().width(),
            "timeline": window.timeline.minimumSizeHint().width(),
            **{
                f"transport {type(c).__name__} {c.objectName()}": c.minimumSizeHint().width()
                for c in window.transport.findChildren(QWidget)
                if c.isVisible() and c.parentWidget() is window.transport
            },
            **{
                d.objectName(): d.minimumSizeHint().width()
                for d in window.findChildren(QDockWidget)
                if d.isVisible()
            },
        },
        "controls": controls,
    }
    (out / "layout.json").write_text(json.dumps(report, indent=2))
    window.close()
    end_gui(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
