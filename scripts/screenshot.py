"""Take the README's screenshot of the main window on a project (the demo by default).

    .venv/bin/python scripts/screenshot.py [--project P.critique] [--out docs/screenshot-main.png]

Renders offscreen (no display needed); the picture is the exact frame, as when paused.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="a .critique project (default: the demo)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot-main.png")
    parser.add_argument("--size", default="1440x900", help="window size, WxH")
    parser.add_argument("--provenance", action="store_true", help="show the provenance panel")
    parser.add_argument(
        "--seminars", action="store_true", help="the Seminars tab in front of the editor's"
    )
    args = parser.parse_args()

    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.player.exact_engine import ExactEngine
    from critique_app.progress import TerminalProgress

    project = args.project
    if project is None:
        from critique_app.services.demo import ensure_demo

        project = ensure_demo(progress=TerminalProgress("Building the demo")).project
    app = make_app()
    engine = ExactEngine()  # no native VLC surface offscreen: what is shown is the paused frame
    window = MainWindow(engines=(engine, engine))
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()

    def pump_until(condition, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    if not window.open_path(project):
        print(window.statusBar().currentMessage(), file=sys.stderr)
        return 1
    c, tracks = window.controller, window.tracks
    pump_until(lambda: c.info is not None and c.mode == "exact")
    pump_until(lambda: tracks.thumb_task is None or not tracks.thumb_task.running)
    bars = sorted(
        (b for bars in window.timeline.canvas._bars.values() for b in bars), key=lambda b: b.start
    )
    if bars:  # stop inside an annotated passage, with its range marked in and out
        bar = bars[len(bars) // 2]
        c.show_frame(bar.start)
        c.marks.set_in()
        c.show_frame(bar.end)
        c.marks.set_out()
        c.show_frame((bar.start + bar.end) // 2)
        window.annotations.select(bar.id)  # its editor filled in, its bar outlined
    window.seminars.show()  # its tab beside the editor's; in front only with --seminars
    pump_until(lambda: window.seminars.panel is not None)
    window.seminars.panel.items.setCurrentRow(0)
    if not args.seminars:
        window.annotations.editor_dock.raise_()
    pump_until(lambda: c.mode == "exact" and window.video.picture.index == c.current)
    if args.provenance:
        window.matches.actions["check_provenance"].trigger()  # its tab in front
        pump_until(
            lambda: window.provenance.panel is not None and not window.provenance.panel.busy_now
        )
    window.show_message("Paused on the exact frame — ← → step, J K L shuttle, I O mark in and out")
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(args.out))
    print(f"wrote {args.out}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
