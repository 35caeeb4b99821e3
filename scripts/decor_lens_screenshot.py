"""The screenshot of View ▸ Lenses ▸ Instability lens for docs/decor-lens.md and the README.

    .venv/bin/python scripts/decor_lens_screenshot.py [--out docs/decor-lens-window.png]

Renders offscreen on the tests' 1280×800 screen (tests/laptop_screen.json) with a settings file
of its own, on a generated film (tests/decor_clips.py): a pan over a still set where one patch
re-samples its texture every frame and a sign's letter changes every eight frames.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from offscreen_window import REPO, offscreen_window


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "decor-lens-window.png")
    args = parser.parse_args()

    from tests.decor_clips import make_decor_clip

    with tempfile.TemporaryDirectory() as home, offscreen_window(Path(home)) as shown:
        film = make_decor_clip(
            Path(home) / "boiling-set.mp4", frames=48, boil=(300, 150, 120, 90), letter=(420, 40)
        )
        if not shown.open(film.path):
            return 1
        shown.show_frame(24)  # a letter changes here: its box is outlined beside the patch's
        lens = shown.window.instability
        shown.window.action_table["instability_lens"].trigger()
        lens.measure()
        shown.pump_until(lambda: lens.result is not None)
        shown.shoot(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
