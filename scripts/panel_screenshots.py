"""Screenshots of the window at 1280×800 with each panel in front, for the README and docs/.

    .venv/bin/python scripts/panel_screenshots.py [--project P.critique] [--out docs/panels]
        [--language fr]

Renders offscreen on a 1280×800 screen (the one the tests use, tests/laptop_screen.json), with
a settings file of its own (your preferences are neither read nor changed) on the demo project
by default. One PNG per panel, named after it (its English name, in every language): what a
student sees on a laptop. The language is the computer's (LANGUAGE=fr) unless --language says.
"""

from __future__ import annotations

import argparse
import os
import re
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


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.replace("&", "").lower()).strip("-")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="a .critique project (default: the demo)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "panels")
    parser.add_argument("--language", help="en, fr (default: the computer's language)")
    args = parser.parse_args()
    if args.language:
        from critique_app import i18n

        i18n.use(args.language, explicit=True)  # as `critique-app --language` does

    from PyQt6.QtWidgets import QDockWidget

    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.gui.settings import Settings
    from critique_app.player.exact_engine import ExactEngine
    from critique_app.progress import TerminalProgress

    project = args.project
    if project is None:
        from critique_app.services.demo import ensure_demo

        project = ensure_demo(progress=TerminalProgress("Building the demo")).project
    app = make_app()

    def pump_until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def settle() -> None:
        for _ in range(30):
            app.processEvents()
            time.sleep(0.02)

    with tempfile.TemporaryDirectory() as home:
        settings = Settings(Path(home) / "settings.ini")
        if hasattr(settings, "user_name"):  # no first-run question in a script
            settings.user_name = "Camille Durand"
        engine = ExactEngine()  # no native VLC surface offscreen: the paused exact frame
        window = MainWindow(settings=settings, engines=(engine, engine))
        window.show()
        if not window.open_path(project):
            print(window.statusBar().currentMessage(), file=sys.stderr)  # type: ignore[union-attr]
            return 1
        c = window.controller
        pump_until(lambda: c.info is not None and c.mode == "exact")
        bars = sorted(
            (b for bars in window.timeline.canvas._bars.values() for b in bars),
            key=lambda b: b.start,
        )
        if bars:  # stop inside an annotated passage, its editor filled in
            bar = bars[len(bars) // 2]
            c.show_frame((bar.start + bar.end) // 2)
            window.annotations.select(bar.id)
        pump_until(lambda: c.mode == "exact" and window.video.picture.index == c.current)
        args.out.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(args.out / "window.png"))
        print(f"wrote {args.out / 'window.png'} ({window.width()}×{window.height()})")
        for dock in window.findChildren(QDockWidget):
            key = dock.objectName().removeprefix("panel:")  # the English name, in any language
            dock.show()
            dock.raise_()
            settle()
            panel = window.provenance.panel
            if key == "Provenance" and panel is not None:
                pump_until(lambda p=panel: not p.busy_now)  # type: ignore[misc]
                settle()
            out = args.out / f"{slug(key)}.png"
            window.grab().save(str(out))
            print(f"wrote {out}")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
