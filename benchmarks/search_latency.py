"""Search as you type on a big project (issue 26): one keystroke ("m", which most notes of a
class's year match) in the annotation table's search field, on a film with N annotations
against the same film with 100, in the same run, as ratios big / small.

Each figure is time the GUI thread is busy, measured as edit_latency.py does (the action, then
`QApplication.processEvents()` and a `window.repaint()`):

- keystroke: the key itself (the table waits for typing to pause before it searches);
- search: what runs once typing has paused (the query, the table's rows, the count, the
  repaint) - measured after sleeping past the pause, so nothing else is in it;
- total: both, what one typed letter costs the student in all;
- more: the next window of hits, listed when the view scrolls to the end of the first;
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
PAUSE_S = 0.3  # longer than the table's pause after typing (150 ms)


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
    project = window.session.project
    assert project is not None

    def settle() -> None:
        while keeper.busy:
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()

    def timed(action: Any) -> float:
        start = time.perf_counter()
        action()
        QApplication.processEvents()
        window.repaint()
        return (time.perf_counter() - start) * 1000

    def fts() -> float:
        start = time.perf_counter()
        project.project.db.conn.execute(
            "SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?", [f'"{TYPED}"*']
        ).fetchall()
        return (time.perf_counter() - start) * 1000

    settle()
    window.activateWindow()
    table.search.setFocus()
    names = ("keystroke", "search", "total", "more", "fts")
    times: dict[str, list[float]] = {k: [] for k in names}
    shown, hits, label = 0, 0, ""
    for _ in range(repeats):
        table.search.clear()
        QTest.keyClick(table.search, Qt.Key.Key_Return)  # back to every row, not timed
        time.sleep(PAUSE_S)
        settle()
        key = timed(lambda: QTest.keyClick(table.search, TYPED))
        time.sleep(PAUSE_S)  # typing paused: the search is due
        search = timed(lambda: None)
        if table.search.text() != TYPED:
            raise RuntimeError(f"the search field holds {table.search.text()!r}")
        shown, label = table.model.rowCount(), table.count.text()
        hits = getattr(table.model, "matches", shown)
        times["keystroke"].append(key)
        times["search"].append(search)
        times["total"].append(key + search)
        if table.model.canFetchMore(QModelIndex()):
            times["more"].append(timed(table.model.fetchMore))
        times["fts"].append(fts())
    window.close()
    app.processEvents()
    figures: dict[str, Any] = {k: round(statistics.median(v), 2) for k, v in times.items() if v}
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
        for k in ("keystroke", "search", "total")
    }
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
