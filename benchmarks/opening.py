"""Opening a big project (issue 26): 30 authors' N annotations on a two-hour film against the
same film with 100, in the same run, as ratios big / small.

"Usable" is measured from `window.open_path(path)` until all of these hold, then one
`QApplication.processEvents()` and a `window.repaint()` (the first screen painted, the window
accepts the next key): the project is switched in (`session.project`), the film's first exact
frame is shown (`controller.info`), the table lists its first rows, and the timeline knows its
tiers, so its lanes can be drawn (their bars may still be loading, and say so). "complete" runs
on until the open's own work on the task runner is done too (the lanes' bars, thumbnails, the
large project's background check). Each figure comes as wall time and ("_gui") the GUI
thread's own CPU time, which the load of other programs hardly moves; "peak_mb" is the peak
resident memory of the process that opened it. Each project is opened in a process of its
own, so that peaks and caches do not mix. The projects are built as `edit_latency.py` builds
them and kept under benchmarks/results/opening/ (git-ignored) for the next run.

    .venv/bin/python benchmarks/opening.py [--annotations 100000] [--repeats 3]
                                           [--quick] [--out FILE.json]

`--quick` (2,000 annotations, one opening each, built afresh in a temporary folder) only shows
that it still runs and writes its JSON; its figures mean nothing. Prints figures and writes
benchmarks/results/opening.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RESULTS = REPO / "benchmarks" / "results"
SMALL = 100
FIGURES = tuple(f"{k}{kind}" for k in ("usable", "complete") for kind in ("", "_gui"))


def measure(path: Path) -> dict[str, Any]:
    """Open `path` once in this process (a fresh window) and time it; see the docstring."""
    from PyQt6.QtWidgets import QApplication

    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.player.fake_engine import FakeEngine

    app = make_app()
    window = MainWindow(engines=(FakeEngine(), None))
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    session, canvas = window.session, window.timeline.canvas
    table = window.annotations.table.view.model()
    assert table is not None
    deadline = time.monotonic() + 600  # a guard against a hung open, not a time bound

    def wait(until: Any) -> None:
        while not until():
            app.processEvents()
            time.sleep(0.001)
            if time.monotonic() > deadline:
                raise TimeoutError("the project never opened")

    def opening_work() -> bool:
        return any(t.running for t in window.tasks.tasks("project") + window.tasks.tasks("film"))

    start, gui = time.perf_counter(), time.thread_time()
    window.open_path(path)
    wait(
        lambda: (
            session.project is not None
            and window.controller.info is not None
            and table.rowCount() > 0
            and len(canvas.tiers) > 0
        )
    )
    QApplication.processEvents()
    window.repaint()
    figures = {
        "usable": (time.perf_counter() - start) * 1000,
        "usable_gui": (time.thread_time() - gui) * 1000,
    }
    wait(lambda: not opening_work() and not getattr(window.tracks, "loading", False))
    QApplication.processEvents()
    window.repaint()
    figures["complete"] = (time.perf_counter() - start) * 1000
    figures["complete_gui"] = (time.thread_time() - gui) * 1000
    bars = sum(len(b) for b in canvas.all_bars())
    window.close()
    app.processEvents()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        **{k: round(v, 1) for k, v in figures.items()},
        "peak_mb": peak_kb // 1024,
        "bars": bars,
    }


def open_in_own_process(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"opening {path.name} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def projects(folder: Path, big: int, fresh: bool) -> dict[str, tuple[int, Path]]:
    """The small and the big project on one clip, built once (kept unless `fresh`)."""
    from benchmarks.edit_latency import build
    from tests.media_factory import make_coded_clip

    folder.mkdir(parents=True, exist_ok=True)
    clip = folder / "film.mp4"
    if fresh or not clip.is_file():
        make_coded_clip(clip, frames=120)
    made = {}
    for name, count in (("small", SMALL), ("big", big)):
        path = folder / f"{name}-{count}.critique"
        if fresh or not path.is_file():
            path.unlink(missing_ok=True)
            build(path, clip, count)
        made[name] = (count, path)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a small project, opened once")
    parser.add_argument("--out", type=Path, default=RESULTS / "opening.json")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure)))
        return 0
    if args.quick:
        args.annotations, args.repeats = 2_000, 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) if args.quick else RESULTS / "opening"
        built = projects(folder, args.annotations, fresh=args.quick)
        figures: dict[str, Any] = {}
        for _ in range(args.repeats):  # alternated, so that the load of the machine hits both
            for name, (_count, path) in built.items():
                run = open_in_own_process(path)
                for key, value in run.items():
                    figures.setdefault(name, {}).setdefault(key, []).append(value)
        for name, (count, _path) in built.items():
            figures[name] = {
                "annotations": count,
                **{k: statistics.median(v) for k, v in figures[name].items()},
            }
            print(f"{count:>7} annotations (median ms): {figures[name]}", flush=True)
    ratios = {
        k: round(figures["big"][k] / max(figures["small"][k], 0.01), 2)
        for k in (*FIGURES, "peak_mb")
    }
    print(f"big / small: {ratios}")
    result = {
        "benchmark": "opening",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "repeats": args.repeats,
        "figures": figures,
        "ratio_big_to_small": ratios,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
