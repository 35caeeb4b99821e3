"""A start as a user makes it, in a real X window with real libvlc: open a film, play it, open
another, play it. Reports what the window said in its status bar; the test reads the stderr.

`python -m tests.xvfb.quiet_start_scenario FILM OTHER_FILM OUT.json`
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from tests.xvfb.scenarios import press, pump, wait_for


def main(film: str, other: str, out: str) -> int:
    app = make_app()
    window = MainWindow()
    bar = window.statusBar()
    assert bar is not None
    said: list[str] = []
    bar.messageChanged.connect(lambda text: said.append(text) if text else None)
    window.resize(1000, 700)
    window.show()
    window.activateWindow()
    pump(app, 0.5)
    c = window.controller
    report: dict[str, Any] = {
        "engine": c.forward.name,
        "plays_audio": bool(getattr(c.forward, "plays_audio", False)),
        "engine_note": window.engine_note.text() if window.engine_note.isVisible() else "",
        "films": [],
    }
    for path in (film, other):
        window.open_path(path)

        def shown(wanted: Path = Path(path).resolve()) -> bool:
            now = window.session.film_path
            return (
                c.info is not None
                and c.mode == "exact"
                and now is not None
                and (Path(now).resolve() == wanted)
            )

        wait_for(app, shown, timeout=60)
        press(window, Qt.Key.Key_Space)
        pump(app, 1.5)  # libvlc opens its audio and video outputs while playing
        press(window, Qt.Key.Key_Space)
        wait_for(app, lambda: c.mode == "exact" and not c.playing, timeout=60)
        report["films"].append({"path": path, "index": c.current})
    report["status_messages"] = said
    report["engine_note_after"] = (
        window.engine_note.text() if window.engine_note.isVisible() else ""
    )
    Path(out).write_text(json.dumps(report, indent=2))
    window.close()
    end_gui(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
