"""Search as you type on a big project (issue 26): one keystroke ("m", which most notes of a
class's year match) in the annotation table's search field, on a film with N annotations
against the same film with 100, in the same run, as ratios big / small.

The search runs on the window's task runner; each figure is wall time from the key press until
the table holds the new rows and its rows are repainted (`view.viewport().repaint()`):

- typed: "m" typed in the field; the table waits for typing to pause (150 ms) before it
  searches, so this is what the student waits for after the last key;
- enter: "m" already in the field, Enter pressed (a search without the pause): the search
  itself, worker and model update;
- stall: the longest the GUI thread was busy at one time during "enter" (one event-loop pass,
  in the GUI thread's own CPU time): a frame the window could not draw;
- more, more_stall: the next window of hits, listed on a worker when the view scrolls to the
  end of the first, and the GUI thread's longest pass meanwhile;
- fts: the bare FTS5 query for the same letter (every hit's rowid), in the same process, for
  scale.

The big project is edit_latency.py's (30 authors' tiers over a two-hour film), with notes of
three words from a small vocabulary, four of whose twelve words hold an "m".

    .venv/bin/python benchmarks/search_latency.py [--annotations 100000] [--repeats 5]
                                                  [--quick] [--out FILE.json]

`--quick` (2,000 annotations, 2 repeats) only shows that it still runs and writes its JSON; its
figures mean nothing. Prints figures and writes benchmarks/results/search_latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.edit_latency import SMALL, build  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
WORDS = (
    "match",
    "mirror",
    "montage",
    "medium",
    "light",
    "door",
    "hands",
    "window",
    "cut",
    "zoom",
    "pan",
    "shadow",
)
TYPED = "m"


def note_of(rng: random.Random, _n: int) -> str:
    return " ".join(rng.sample(WORDS, 3))


def measure(path: Path, repeats: int) -> dict[str, Any]:
    from PyQt6.QtCore import QModelIndex, Qt
    from PyQt6.QtTest import QTest
    from PyQt6.QtWidgets import QApplication

    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.player.fake_engine import FakeEngine

    app = make_app()
    window = MainWindow(engines=(FakeEngine(), None))
    window.resize(1280, 800)
    window.show()
    window.open_path(path)
    deadline = time.monotonic() + 600
    while window.session.film is None or window.controller.info is None:
        app.processEvents()
        if time.monotonic() > deadline:
            raise TimeoutError("the project never opened")
    keeper = window.anchor_keeper
    table = window.annotations.table
    model = table.model
    viewport = table.view.viewport()
    project = window.session.project
    assert project is not None and viewport is not None

    def settle() -> None:
        while keeper.busy or table.searching:
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()

    def listing() -> bool:
        return table.searching or model.filters.search != TYPED

    def until(start: float, waiting: Any = listing) -> tuple[float, float]:
        """(ms from `start` until the rows are in and repainted, the longest event-loop pass
        in the GUI thread's own CPU time: the load of other programs hardly moves it)."""
        longest = 0.0
        while waiting():
            began = time.thread_time()
            QApplication.processEvents()
            longest = max(longest, time.thread_time() - began)
            time.sleep(0.0002)  # as an idle event loop would, leave the worker the GIL
        viewport.repaint()
        return (time.perf_counter() - start) * 1000, longest * 1000

    def fts() -> float:
        start = time.perf_counter()
        project.project.db.conn.execute(
            "SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?", [f'"{TYPED}"*']
        ).fetchall()
        return (time.perf_counter() - start) * 1000

    def cleared() -> None:
        table.search.clear()
        QTest.keyClick(table.search, Qt.Key.Key_Return)  # back to every row, not timed
        settle()

    settle()
    window.activateWindow()
    table.search.setFocus()
    names = ("typed", "enter", "stall", "more", "more_stall", "fts")
    times: dict[str, list[float]] = {k: [] for k in names}
    shown, hits, label = 0, 0, ""
    for _ in range(repeats):
        cleared()
        start = time.perf_counter()
        QTest.keyClick(table.search, TYPED)
        times["typed"].append(until(start)[0])
        if table.search.text() != TYPED:
            raise RuntimeError(f"the search field holds {table.search.text()!r}")
        shown, label, hits = model.rowCount(), table.count.text(), model.matches
        if model.canFetchMore(QModelIndex()):
            start = time.perf_counter()
            model.fetchMore()
            more, stall = until(start, lambda: model.fetching)
            times["more"].append(more)
            times["more_stall"].append(stall)
        cleared()
        table.search.blockSignals(True)  # "m" in the field without a search due
        table.search.setText(TYPED)
        table.search.blockSignals(False)
        start = time.perf_counter()
        QTest.keyClick(table.search, Qt.Key.Key_Return)
        enter, stall = until(start)
        times["enter"].append(enter)
        times["stall"].append(stall)
        times["fts"].append(fts())
    window.close()
    app.processEvents()
    figures: dict[str, Any] = {k: round(statistics.median(v), 2) for k, v in times.items() if v}
    figures["stall_worst"] = round(max(times["stall"]), 2)
    return {**figures, "hits": hits, "rows_listed": shown, "count_label": label}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a small project, a few repeats")
    parser.add_argument("--out", type=Path, default=RESULTS / "search_latency.json")
    args = parser.parse_args()
    if args.quick:
        args.annotations, args.repeats = 2_000, 2
    from tests.media_factory import make_coded_clip

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clip = make_coded_clip(folder / "film.mp4", frames=120)
        figures: dict[str, Any] = {}
        for name, count in (("small", SMALL), ("big", args.annotations)):
            path = folder / f"{name}.critique"
            build(path, clip, count, note_of=note_of)
            figures[name] = {"annotations": count, **measure(path, args.repeats)}
            print(f"{count:>7} annotations (median ms): {figures[name]}", flush=True)
    ratios = {
        k: round(figures["big"][k] / max(figures["small"][k], 0.01), 1)
        for k in ("typed", "enter", "stall")
    }
    if "more_stall" in figures["big"]:  # the small project's hits fit in one window
        ratios["more_stall"] = round(
            figures["big"]["more_stall"] / max(figures["small"]["stall"], 0.01), 1
        )
    print(f"big / small: {ratios}")
    result = {
        "benchmark": "search_latency",
        "typed": TYPED,
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
