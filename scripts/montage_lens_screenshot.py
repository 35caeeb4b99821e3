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
import sys
import tempfile
from pathlib import Path

from offscreen_window import REPO, offscreen_window


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()

    from critique_app.services.films import add_film
    from db.project import open_project
    from tests.media.montage_films import make_montage_film

    with tempfile.TemporaryDirectory() as home, offscreen_window(Path(home)) as shown:
        film = make_montage_film(Path(home))
        project = Path(home) / "montage.critique"
        with open_project(project) as opened:
            add_film(opened, film, title="Known transitions")
        window, c = shown.window, shown.controller
        if not shown.open(project):
            return 1
        shown.show_frame(392)  # the middle of the morph
        lane = window.rhythm
        window.action_table["rhythm_lane"].trigger()
        shown.pump_until(lambda: lane.rhythm is not None)
        shown.shoot(args.out / "montage-lens-lane.png")
        comparison = window.rhythm_comparison
        window.action_table["compare_rhythm"].trigger()
        assert comparison.panel is not None
        c.marks.mark_range(150, 429)
        comparison.panel.sides["B"].passage.setChecked(True)
        comparison.compare()
        shown.pump_until(lambda: len(comparison.rhythms) == 2)
        shown.shoot(args.out / "montage-lens-compare.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
