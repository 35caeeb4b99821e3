"""The screenshot of Annotate ▸ Track the region forward to the out point for
docs/region-tracking.md and the README.

    .venv/bin/python scripts/tracking_screenshot.py [--out docs/region-tracking.png] [--language fr]

Renders offscreen on the tests' 1280×800 screen (scripts/offscreen_window.py), on a generated
film (tests/decor_clips.py): a textured square in greys (so that the reader sees it)
walks across a set that pans the other way. An
annotation's rectangle is drawn around the square on frame 8 only, the passage 8 → 40 is
marked, the region is tracked forward to the out point, and the window is shown on frame 24,
the middle of the passage, where the tracked region sits on the square.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from offscreen_window import REPO, offscreen_window, use_language

DRAWN, OUT, SHOWN = 8, 40, 24  # the frame the region is drawn on, the out point, the one shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "region-tracking.png")
    parser.add_argument("--language", help="en, fr (default: the computer's language)")
    args = parser.parse_args()
    use_language(args.language)

    from tests.decor_clips import make_decor_clip
    from tests.gui.annotation_projects import with_square_annotation

    with tempfile.TemporaryDirectory() as home, offscreen_window(Path(home)) as shown:
        # 101 frames: the project's other annotations end on frame 100
        clip = make_decor_clip(Path(home) / "square.mp4", frames=101, mover=(4, 2), mover_grey=True)
        project, ident = with_square_annotation(Path(home), clip, DRAWN)
        if not shown.open(project):
            return 1
        window, c = shown.window, shown.controller
        window.annotations.select(ident)
        c.marks.mark_range(DRAWN, OUT)
        shown.show_frame(DRAWN)
        tracker = window.region_tracker
        window.action_table["track_forward"].trigger()
        shown.pump_until(lambda: tracker.task is None)
        said = window.statusBar().currentMessage()  # the run's last word, before the frame moves
        shown.show_frame(SHOWN)
        window.statusBar().showMessage(said)
        shown.shoot(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
