"""What the lens screenshot scripts share: the main window drawn offscreen on the tests'
1280×800 laptop screen (tests/laptop_screen.json) with a settings file of its own, so that a
screenshot shows what a student sees on a laptop and never the maker's own settings.

    from offscreen_window import REPO, offscreen_window   # from a script in scripts/

Importing this module sets QT_QPA_PLATFORM (unless it is set) and puts the repository on the
path, so it comes before any import of Qt or of critique_app.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault(
    "QT_QPA_PLATFORM", f"offscreen:configfile={REPO / 'tests' / 'laptop_screen.json'}"
)
sys.path.insert(0, str(REPO))


def use_language(language: str | None) -> None:
    """Speak `language` (en, fr) as `critique-app --language` does; None: the computer's."""
    if language:
        from critique_app import i18n

        i18n.use(language, explicit=True)


class OffscreenWindow:
    """The window shown offscreen, and the waits a screenshot needs."""

    def __init__(self, app: Any, window: Any) -> None:
        self.app, self.window = app, window
        self.controller = window.controller

    def pump_until(self, condition: Callable[[], bool], timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while not condition() and time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def settle(self) -> None:
        """Let queued paints and late decodes land before the grab."""
        for _ in range(30):
            self.app.processEvents()
            time.sleep(0.02)

    def open(self, path: Path) -> bool:
        """Open a film or project and wait for its exact frames."""
        if not self.window.open_path(path):
            return False
        c = self.controller
        self.pump_until(lambda: c.info is not None and c.mode == "exact")
        return True

    def show_frame(self, frame: int) -> None:
        c = self.controller
        c.show_frame(frame)
        self.pump_until(lambda: c.mode == "exact" and self.window.video.picture.index == c.current)

    def shoot(self, out: Path) -> None:
        self.settle()
        out.parent.mkdir(parents=True, exist_ok=True)
        self.window.grab().save(str(out))
        print(f"wrote {out} ({self.window.width()}×{self.window.height()})")


@contextmanager
def offscreen_window(home: Path) -> Iterator[OffscreenWindow]:
    """The main window on the exact engine, its settings in `home`, closed on the way out."""
    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.gui.settings import Settings
    from critique_app.player.exact_engine import ExactEngine

    app = make_app()
    engine = ExactEngine()
    window = MainWindow(settings=Settings(home / "settings.ini"), engines=(engine, engine))
    window.show()
    try:
        yield OffscreenWindow(app, window)
    finally:
        window.close()
