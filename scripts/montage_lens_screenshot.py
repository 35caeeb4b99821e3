"""Screenshots of View ▸ Lenses ▸ Rhythm lane and Compare the rhythm… for docs/montage-lens.md
and the README.

    .venv/bin/python scripts/montage_lens_screenshot.py [--out docs]

Renders offscreen on the tests' 1280×800 screen (tests/laptop_screen.json) with a settings file
of its own, on the generated film of known transitions (tests/media/montage_films.py: cuts, two
dissolves, a fade out into a fade in, a morph) in a project of its own. Writes
montage-lens-lane.png (the lane under the picture) and montage-lens-compare.png (the whole film
beside its in → out passage, frames 150 to 429).
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
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()

    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.gui.settings import Settings
    from critique_app.player.exact_engine import ExactEngine
    from critique_app.services.films import add_film
    from db.project import open_project
    from tests.media.montage_films import make_montage_film

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
        film = make_montage_film(Path(home))
        project = Path(home) / "montage.critique"
        with open_project(project) as opened:
            add_film(opened, film, title="Known transitions")
        settings = Settings(Path(home) / "settings.ini")
        engine = ExactEngine()
        window = MainWindow(settings=settings, engines=(engine, engine))
        window.show()
        if not window.open_path(project):
            return 1
        c = window.controller
        pump_until(lambda: c.info is not None and c.mode == "exact")
        c.show_frame(392)  # the middle of the morph
        pump_until(lambda: c.mode == "exact" and window.video.picture.index == c.current)
        lane = window.rhythm
        window.action_table["rhythm_lane"].trigger()
        pump_until(lambda: lane.rhythm is not None)
        settle()
        args.out.mkdir(parents=True, exist_ok=True)
        shots = args.out / "montage-lens-lane.png"
        window.grab().save(str(shots))
        print(f"wrote {shots} ({window.width()}×{window.height()})")
        comparison = window.rhythm_comparison
        window.action_table["compare_rhythm"].trigger()
        assert comparison.panel is not None
        c.marks.mark_range(150, 429)
        comparison.panel.sides["B"].passage.setChecked(True)
        comparison.compare()
        pump_until(lambda: len(comparison.rhythms) == 2)
        settle()
        compared = args.out / "montage-lens-compare.png"
        window.grab().save(str(compared))
        print(f"wrote {compared} ({window.width()}×{window.height()})")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
