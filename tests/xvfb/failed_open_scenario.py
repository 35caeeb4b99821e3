"""A real window (Xvfb, openbox, real libvlc) whose opens fail, driven by real keys (xdotool).

`python -m tests.xvfb.failed_open_scenario PROJECT OUT.json BAD...`: open PROJECT, step with →,
then open each BAD path; after each failure press → again and record what the X server shows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtWidgets import QApplication, QWidget

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from critique_app.media.frame_server import FrameServer
from tests.xvfb.scenarios import check, pump, wait_for


def xdotool(app: QApplication, *args: str) -> str:
    """Run xdotool while the window keeps answering (its events are pumped meanwhile)."""
    proc = subprocess.Popen(["xdotool", *args], stdout=subprocess.PIPE, text=True)
    wait_for(app, lambda: proc.poll() is not None, timeout=60)
    out = proc.stdout.read() if proc.stdout is not None else ""
    return out.strip()


# Tries at giving a window the keyboard: under load openbox may not hand it over at once.
ACTIVATIONS = 10


def bring_forward(app: QApplication, widget: QWidget) -> None:
    """Give `widget`'s window the keyboard, as a user's click would, and check that it has it.

    Its X window is asked of Qt at each try, never searched by title or process (a search
    once found a window already gone, "BadWindow", and the keys went nowhere); an activation
    that does not take is tried again, a bounded number of times."""
    for _try in range(ACTIVATIONS):
        wid = str(int(widget.winId()))
        xdotool(app, "windowactivate", wid)
        try:
            wait_for(app, lambda w=wid: xdotool(app, "getactivewindow") == w, timeout=3)
            return
        except TimeoutError:
            continue
    raise TimeoutError(f"{widget.windowTitle()!r} never had the keyboard")


def keys(app: QApplication, *names: str) -> None:
    """Real key presses through the X server (XTEST) to the focused window: no --window."""
    for name in names:
        xdotool(app, "key", "--delay", "60", name)
        pump(app, 0.05)


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
    keys(app, "Right", "Right", "Right", "Right")
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
        keys(app, "Right")
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
