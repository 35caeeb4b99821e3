"""A student types a note in a real window (Xvfb at 1280×800, openbox, real libvlc), with real
keys and a real click through the X server (xdotool): the letters that are shortcuts on the
picture (J, K, L, N, F, Space...) are only text in the note; Esc gives the keys back to the
picture, and → then steps one frame.

`python -m tests.xvfb.typing_scenario PROJECT OUT.json`
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtWidgets import QApplication, QScrollArea, QWidget

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from critique_app.media.frame_server import FrameServer
from tests.xvfb.failed_open_scenario import bring_forward, keys, settled, step_right, xdotool
from tests.xvfb.scenarios import check, pump, wait_for

# J, K, L, N, F and Space (lower and upper case: Shift+N is a shortcut too), and R, E, V, I, O
TYPED = "Jules kicks lamps, Nora fades in JKL NF jkl nf over a vivid sky"


def click(app: QApplication, widget: QWidget) -> None:
    """A real left click in the middle of `widget`, through the X server."""
    centre = widget.mapToGlobal(widget.rect().center())
    xdotool(app, "mousemove", "--sync", str(centre.x()), str(centre.y()))
    xdotool(app, "click", "1")


def main(project: str, out: str) -> int:
    app = make_app()
    window = MainWindow()
    window.showMaximized()  # as a student's laptop shows it: the whole 1280×800 screen
    pump(app, 0.5)
    window.open_path(project)
    settled(app, window)
    c = window.controller
    wait_for(app, lambda: c.info is not None and c.mode == "exact", timeout=60)
    bring_forward(app, window)
    assert c.path is not None
    server = FrameServer(c.path)
    bench = window.annotations
    result: dict[str, Any] = {"engine": c.forward.name, "screen": _screen_size(app)}
    result["window"] = [window.frameGeometry().width(), window.frameGeometry().height()]

    # a new annotation with real keys: two frames on, I, one more, O, N
    keys(app, "Right", "Right", "i", "Right", "o", "n")
    wait_for(app, lambda: bench.selected_id is not None, timeout=30)
    made = bench.selected_id
    assert made is not None
    result["made"] = (
        bench.bound.annotation(made).range.start,
        bench.bound.annotation(made).range.end,
    )
    result["message_after_n"] = window.statusBar().currentMessage()  # type: ignore[union-attr]
    count = len(bench.bound.annotations())
    frame = c.current
    played: list[bool] = []
    full: list[bool] = []
    c.playing_changed.connect(played.append)
    window.action_table["fullscreen"].toggled.connect(full.append)

    note = bench.editor.note
    scroll = next((w for w in _ancestors(note) if isinstance(w, QScrollArea)), None)
    if scroll is not None:
        scroll.ensureWidgetVisible(note)
    pump(app, 0.3)
    click(app, note)
    wait_for(app, note.hasFocus, timeout=30)
    xdotool(app, "type", "--delay", "60", TYPED)
    wait_for(app, lambda: len(note.toPlainText()) >= len(TYPED), timeout=60)
    pump(app, 0.5)  # anything a stray shortcut would start has time to show
    stored = bench.bound.annotation(made)
    result["typing"] = {
        "note": note.toPlainText(),
        "stored": stored.note if stored is not None else None,
        "annotations_added": len(bench.bound.annotations()) - count,
        "played": played,
        "full_screen_toggles": full,
        "full_screen": window.isFullScreen(),
        "frame_moved": c.current - frame,
        "tool": bench.overlay.tool,
        "marks": [c.in_mark, c.out_mark],
    }

    keys(app, "Escape")
    wait_for(app, lambda: QApplication.focusWidget() is window.video, timeout=30)
    result["focus_after_esc"] = type(QApplication.focusWidget()).__name__
    before = c.current
    step_right(app, window)
    result["before_right"] = before
    result["after_right"] = check(app, window, server, "right after esc")
    Path(out).write_text(json.dumps(result, indent=2))
    server.close()
    window.close()
    end_gui(app)
    return 0


def _ancestors(widget: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def _screen_size(app: QApplication) -> list[int]:
    screen = app.primaryScreen()
    assert screen is not None
    size = screen.size()
    return [size.width(), size.height()]


if __name__ == "__main__":
    # ends as the app does: windows shut down while the QApplication exists, then the
    # interpreter's ordinary teardown (no os._exit)
    sys.exit(main(*sys.argv[1:3]))
