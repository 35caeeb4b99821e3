"""Timeline repaint time with a big class project: the GUI part of benchmarks/annotations.py.

`measure(project, film_id)` loads the film's tracks exactly as the window does (the project
session's reload) into the real timeline widget, offscreen, and times full repaints (median,
p95) at three zooms: whole film, one minute, ten seconds. The baseline measured in the same
run is the same widget painting with no annotation tracks, so the ratio says what the bars cost.
Goal: <= 30 ms for a full repaint.

    .venv/bin/python benchmarks/timeline_repaint.py [--annotations 100000] [--films 20] [--quick]

`--quick` (2,000 annotations over 2 films, 5 repaints a zoom) only shows that it still runs
and writes its JSON, in a few seconds; its figures mean nothing.

Standalone it builds (or reuses) the project of benchmarks/annotations.py, prints the figures
and writes benchmarks/results/timeline_repaint.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "benchmarks" / "results"


def _paint_times(
    canvas: Any, repeats: int, between: Callable[[], None] | None = None
) -> dict[str, float]:
    """Full repaints of the same view (what playback asks: only the playhead moves), or, with
    `between`, of a view changed before each repaint (scrolling)."""
    from PyQt6.QtGui import QImage, QPainter

    image = QImage(canvas.size(), QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for _ in range(repeats):
        if between is not None:
            between()
        painter = QPainter(image)
        start = time.perf_counter()
        canvas.render(painter)  # the widget's own paintEvent, as on screen
        times.append((time.perf_counter() - start) * 1000)
        painter.end()
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
    }


def measure(project: Any, film_id: int, repeats: int = 40, width: int = 1600) -> dict[str, Any]:
    """Repaint figures for one film of an open project (the hook benchmarks/annotations.py calls)."""
    from PyQt6.QtWidgets import QApplication

    from critique_app.gui.timeline.timeline import Timeline
    from critique_app.gui.timeline.timeline_presenter import load_tracks
    from critique_app.services.workspace import ProjectWorkspace

    app = QApplication.instance() or QApplication(sys.argv[:1])
    film = project.repo.get_film(film_id)
    timeline = Timeline()
    canvas = timeline.canvas
    timeline.resize(width, 360)
    canvas.resize(width, 340)
    canvas.set_film(film.frame_count, film.rate)
    started = time.perf_counter()
    load_tracks(canvas, ProjectWorkspace(project), film)  # what the window's reload does
    load_ms = (time.perf_counter() - started) * 1000
    bars = sum(len(b) for b in canvas._bars.values())
    # tall enough for every tier and sub-row: the repaint draws all of them
    canvas.resize(width, max(340, canvas._tracks_top() + canvas.tracks_content_height()))
    app.processEvents()

    figures: dict[str, Any] = {
        "film_annotations": bars,
        "tracks": len(canvas.tiers),
        "sub_rows": len(canvas._lines),  # overlapping annotations stacked in their tier
        "widget": f"{canvas.width()}x{canvas.height()}",
        "load_tracks_ms": round(load_ms, 1),
    }
    fps = float(film.rate)
    canvas.current = film.frame_count // 2
    for name, frames in (("whole_film", None), ("one_minute", 60 * fps), ("ten_seconds", 10 * fps)):
        if frames is None:
            canvas.zoom_fit()
        else:
            canvas.fpp = frames / canvas.track_width
            canvas.scroll_to(canvas.current - frames / 2)
        figures[name] = _paint_times(canvas, repeats)
    # scrolling a minute's view a frame at a time: every repaint a new view, nothing reused
    figures["one_minute_scrolling"] = _paint_times(
        canvas, repeats, lambda: canvas.scroll_to(canvas.offset + 1)
    )
    canvas.zoom_fit()
    figures["whole_film_after_scrolling"] = _paint_times(canvas, repeats)
    tiers = list(canvas.tiers)
    saved = [bar for row in canvas._bars.values() for bar in row]
    canvas.set_tracks(tiers, [])  # the baseline: same widget and tracks, no annotations
    canvas.zoom_fit()
    figures["baseline_no_bars"] = _paint_times(canvas, repeats)
    canvas.set_tracks(tiers, saved)
    worst = max(figures[k]["median_ms"] for k in ("whole_film", "one_minute", "ten_seconds"))
    figures["median_ms"] = worst  # the slowest zoom, what annotations.py reports
    figures["p95_ms"] = max(
        figures[k]["p95_ms"] for k in ("whole_film", "one_minute", "ten_seconds")
    )
    figures["ratio_whole_film_vs_no_bars"] = round(
        figures["whole_film"]["median_ms"] / max(0.01, figures["baseline_no_bars"]["median_ms"]), 2
    )
    figures["ratio_scrolling_vs_no_bars"] = round(
        figures["one_minute_scrolling"]["median_ms"]
        / max(0.01, figures["baseline_no_bars"]["median_ms"]),
        2,
    )
    figures["goal_le_30_ms"] = worst <= 30
    timeline.deleteLater()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--films", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="a small project, a few repaints")
    parser.add_argument("--out", type=Path, default=RESULTS / "timeline_repaint.json")
    args = parser.parse_args()
    if args.quick:
        args.annotations, args.films, args.repeats = 2_000, 2, 5
    sys.path.insert(0, str(REPO / "benchmarks"))
    import annotations as bench  # benchmarks/annotations.py builds the shared project

    from db.project import open_project

    # a quick run builds its small project beside its JSON, a full run caches it in results/
    folder = args.out.parent if args.quick else RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"annotations_{args.annotations}_{args.films}.critique"
    if not path.exists():
        bench.build(path, args.annotations, args.films)
    with open_project(path) as project:
        films = project.repo.films()
        busiest = max(films, key=lambda f: project.repo.count_annotations(f.id))
        figures = measure(project, busiest.id or 0, args.repeats)
    report = {
        "benchmark": "timeline_repaint",
        "annotations": args.annotations,
        "films": args.films,
        "quick": args.quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "qpa": os.environ.get("QT_QPA_PLATFORM"),
        "figures": figures,
    }
    print(json.dumps(report, indent=2))
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
