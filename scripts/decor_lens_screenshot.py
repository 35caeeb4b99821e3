"""The screenshot of View ▸ Lenses ▸ Instability lens for docs/decor-lens.md and the README.

    .venv/bin/python scripts/decor_lens_screenshot.py [--out docs/decor-lens-window.png]

Renders offscreen on the tests' 1280×800 screen (tests/laptop_screen.json) with a settings file
of its own, on a generated film (tests/decor_clips.py): a pan over a still set where one patch
re-samples its texture every frame and a sign's letter changes every eight frames.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault(
    "QT_QPA_PLATFORM", f"offscreen:configfile={REPO / 'tests' / 'laptop_screen.json'}"
)
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "decor-lens-window.png")
    args = parser.parse_args()

    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.gui.settings import Settings
    from critique_app.player.exact_engine import ExactEngine
    from tests.decor_clips import make_decor_clip

    app = make_app()

    def pump_until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    with tempfile.TemporaryDirectory() as home:
        film = make_decor_clip(
            Path(home) / "boiling-set.mp4", frames=48, boil=(300, 150, 120, 90), letter=(420, 40)
        )
        settings = Settings(Path(home) / "settings.ini")
        engine = ExactEngine()
        window = MainWindow(settings=settings, engines=(engine, engine))
        window.show()
        if not window.open_path(film.path):
            return 1
        c = window.controller
        pump_until(lambda: c.info is not None and c.mode == "exact")
        c.show_frame(24)  # a letter changes here: its box is outlined beside the patch's
        pump_until(lambda: c.mode == "exact" and window.video.picture.index == c.current)
        lens = window.instability
        window.action_table["instability_lens"].trigger()
        lens.measure()
        pump_until(lambda: lens.result is not None)
        for _ in range(30):
            app.processEvents()
            time.sleep(0.02)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(args.out))
        print(f"wrote {args.out} ({window.width()}×{window.height()})")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
