"""A real window (Xvfb, openbox, real libvlc) whose opens fail, driven by real keys (xdotool).

`python -m tests.xvfb.failed_open_scenario PROJECT OUT.json BAD...`: open PROJECT, step with →,
then open each BAD path; after each failure press → again and record what the X server shows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

from PyQt6.QtWidgets import QApplication, QWidget

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from critique_app.media.frame_server import FrameServer
from tests.xvfb.display import keyboard_to
from tests.xvfb.scenarios import check, pump, wait_for


def xdotool(app: QApplication, *args: str) -> str:
    """Run xdotool while the window keeps answering (its events are pumped meanwhile)."""
    proc = subprocess.Popen(["xdotool", *args], stdout=subprocess.PIPE, text=True)
    wait_for(app, lambda: proc.poll() is not None, timeout=60)
    out = proc.stdout.read() if proc.stdout is not None else ""
    return out.strip()


def bring_forward(app: QApplication, widget: QWidget) -> None:
    """Give `widget`'s window the keyboard, as a user's click would, and check that it has it;
    its X window is asked of Qt, never searched by title or process."""
    keyboard_to(
        lambda: [str(int(widget.winId()))],
        partial(xdotool, app),
        partial(pump, app),
        repr(widget.windowTitle()),
    )


def keys(app: QApplication, *names: str) -> None:
    """Real key presses through the X server (XTEST) to the focused window: no --window."""
    for name in names:
        xdotool(app, "key", "--delay", "60", name)
        pump(app, 0.05)


def step_right(app: QApplication, window: MainWindow, times: int = 1) -> None:
    """→ pressed `times`, then waited for until the frame moved that far: under load the X
    server delivers a key a little later, and a check made before would see the frame the
    keys left (a check after them sees where they led, one frame too far included)."""
    c = window.controller
    start = c.current
    keys(app, *["Right"] * times)
    wait_for(app, lambda: c.current - start >= times, timeout=60)


def settled(app: QApplication, window: MainWindow) -> None:
    wait_for(app, lambda: window.session.opening is None, timeout=60)


def main(project: str, out: str, *bad: str) -> int:
    app = make_app()
    window = MainWindow()
    window.resize(960, 680)
    window.show()
    pump(app, 0.5)
    window.open_path(project)
    settled(app, window)
    c = window.controller
    wait_for(app, lambda: c.info is not None and c.mode == "exact", timeout=30)
    bring_forward(app, window)
    assert c.path is not None
    server = FrameServer(c.path)
    step_right(app, window, 4)
    result: dict[str, Any] = {
        "engine": c.forward.name,
        "first": check(app, window, server, "4 x right"),
    }
    result["title"] = window.windowTitle()
    attempts = []
    for path in bad:
        window.open_path(path)
        settled(app, window)
        attempt = {"path": path, "message": window.statusBar().currentMessage()}  # type: ignore[union-attr]
        attempt["title"] = window.windowTitle()
        attempt["film"] = str(c.path)
        bring_forward(app, window)
        step_right(app, window)
        attempt["after_right"] = check(app, window, server, f"right after {Path(path).name}")
        attempts.append(attempt)
    result["attempts"] = attempts
    Path(out).write_text(json.dumps(result, indent=2))
    server.close()
    window.close()
    end_gui(app)
    return 0


if __name__ == "__main__":
    # ends as the app does: windows shut down while the QApplication exists, then the
    # interpreter's ordinary teardown (no os._exit)
    sys.exit(main(*sys.argv[1:]))
