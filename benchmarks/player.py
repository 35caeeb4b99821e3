"""Player benchmark: keypress-to-painted-frame latency for → and ← at 1080p, and thumbnail-strip
throughput against plain decoding of the same film with the same sampling, in the same run.

Goals (issue 3): → median <= 40 ms, ← median <= 60 ms; thumbnails >= 0.8x the decode-only rate.
Issue 11 (no regression): with `--against REV` (default: the commit before the window's task
runner) the same benchmark of that commit runs in a git worktree, alternating with this tree in
the same run, and the figures are compared as ratios (this tree / REV; <= 1.1 is no regression).
Issue 16: the locked compare view (a second 1080p copy of the film beside it, matched by the
comparison service) must step at <= 1.5x the time of the single pane, measured in the same run.
Usage: .venv/bin/python benchmarks/player.py [--steps 60] [--against REV | --alone]
       [--quick] [--out FILE.json]  (prints, writes results/player.json)
`--quick` (this tree alone, 3 s films at 320x180 in a temporary folder, 3 steps, one thumbnail
round) only shows that it still runs and writes its JSON, in a few seconds; its figures mean
nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "benchmarks" / "results"


# Where the films are made and how: a quick run makes small ones in a temporary folder.
MEDIA = {"folder": RESULTS, "frames": 240, "size": (1920, 1080), "name": "1080p"}


def film_1080p() -> Path:
    """A 10 s 1080p H.264 film (GOP 48, B-frames), generated once."""
    from tests.media_factory import make_coded_clip

    folder: Path = MEDIA["folder"]  # type: ignore[assignment]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"player-{MEDIA['name']}.mp4"
    if not path.exists():
        print(f"generating the {MEDIA['name']} film once…", file=sys.stderr)
        make_coded_clip(
            path.with_suffix(".tmp.mp4"), frames=MEDIA["frames"], size=MEDIA["size"], gop=48
        )
        path.with_suffix(".tmp.mp4").rename(path)
    return path


def copy_1080p() -> Path:
    """The same pictures encoded again (other GOP): a second copy to compare with."""
    from tests.media_factory import make_coded_clip

    folder: Path = MEDIA["folder"]  # type: ignore[assignment]
    path = folder / f"player-{MEDIA['name']}-copy.mp4"
    if not path.exists():
        print(f"generating the {MEDIA['name']} copy once…", file=sys.stderr)
        make_coded_clip(
            path.with_suffix(".tmp.mp4"), frames=MEDIA["frames"], size=MEDIA["size"], gop=24
        )
        path.with_suffix(".tmp.mp4").rename(path)
    return path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def key_latency(film: Path, steps: int) -> dict[str, dict[str, float]]:
    from PyQt6.QtCore import Qt
    from PyQt6.QtTest import QTest

    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.player.fake_engine import FakeEngine

    app = make_app()
    window = MainWindow(engines=(FakeEngine(), None))
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    window.open_path(film)
    c, picture = window.controller, window.video.picture

    def wait_painted(index: int, painted_before: int) -> None:
        deadline = time.monotonic() + 10
        while not (picture.index == index and picture.paint_count > painted_before):
            app.processEvents()
            if time.monotonic() > deadline:
                raise TimeoutError(f"frame {index} never painted")

    wait_painted(0, -1)
    c.show_frame(60)
    wait_painted(60, picture.paint_count - 1)
    figures: dict[str, dict[str, float]] = {}
    for name, key, delta in (("right", Qt.Key.Key_Right, 1), ("left", Qt.Key.Key_Left, -1)):
        times = []
        for _ in range(steps):
            target, painted = c.current + delta, picture.paint_count
            start = time.perf_counter()
            QTest.keyClick(window.video, key)
            wait_painted(target, painted)
            times.append((time.perf_counter() - start) * 1000)
        figures[name] = {
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "steps": steps,
        }
    figures["compare_right"] = compare_latency(window, copy_1080p(), steps)
    figures["compare_right"]["ratio_to_single"] = round(
        figures["compare_right"]["median_ms"] / figures["right"]["median_ms"], 3
    )
    window.close()
    return figures


def compare_latency(window, copy: Path, steps: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """→ with View ▸ Compare with… locked to a second copy: until both panes show the frame
    (the compare panel stands in for the window's picture: its pane A is the film on screen)."""
    from PyQt6.QtCore import Qt
    from PyQt6.QtTest import QTest
    from PyQt6.QtWidgets import QApplication

    app, c, dock = QApplication.instance(), window.controller, window.compare
    dock.compare_with(copy)
    deadline = time.monotonic() + 300
    while dock.comparison is None and dock.unrelated is None:
        app.processEvents()  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            raise TimeoutError("the copies were never matched")
    view = dock.panel.view
    # Frames the single-pane runs did not decode (the frame server caches recent pictures).
    first = min(60 + steps + 30, c.last_frame - steps - 1)
    c.show_frame(first)

    def both_painted(index: int, painted_before: int) -> None:
        end = time.monotonic() + 10
        while not (
            view.a.index == index
            and dock.wanted_b is not None
            and view.painted_b == dock.wanted_b
            and view.paint_count > painted_before
        ):
            app.processEvents()  # type: ignore[union-attr]
            if time.monotonic() > end:
                raise TimeoutError(f"frame {index} never painted in both panes")

    both_painted(first, -1)
    times = []
    for _ in range(steps):
        target, painted = c.current + 1, view.paint_count
        start = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_Right)
        both_painted(target, painted)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "steps": steps,
        "locked_by": "mapping" if dock.comparison is not None else "frame number",
    }


def thumbnail_throughput(film: Path, rounds: int = 3) -> dict[str, float]:
    from critique_app.media import thumbnails
    from critique_app.media.probe import probe

    info = probe(film)
    frames = thumbnails.sample_frames(info.frame_count, float(info.rate))
    decode, thumbs = [], []
    for _ in range(rounds):  # alternate so both see the same cache and CPU state
        start = time.perf_counter()
        thumbnails.decode_only(film, frames)
        decode.append(time.perf_counter() - start)
        start = time.perf_counter()
        made = thumbnails.generate_thumbnails(film, frames)
        thumbs.append(time.perf_counter() - start)
        assert len(made) == len(frames)
    decode_s, thumbs_s = min(decode), min(thumbs)
    return {
        "sampled_frames": len(frames),
        "film_frames": info.frame_count,
        "decode_only_s": round(decode_s, 3),
        "thumbnails_s": round(thumbs_s, 3),
        "decode_only_fps": round(info.frame_count / decode_s, 1),
        "thumbnails_fps": round(info.frame_count / thumbs_s, 1),
        "ratio_vs_decode": round(decode_s / thumbs_s, 3),
    }


def machine() -> dict[str, str | int]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count() or 0,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


BEFORE_TASK_RUNNER = "4a18ca2"  # main just before issue 11's task runner
FIGURES = (
    ("right key median ms", ("key_to_painted_frame", "right", "median_ms")),
    ("left key median ms", ("key_to_painted_frame", "left", "median_ms")),
    # thumbnails over plain decoding of the same frames, each measured in its own tree
    ("thumbnail strip / decode", ("thumbnail_strip", "decode_over_thumbs")),
    ("compare right median ms", ("key_to_painted_frame", "compare_right", "median_ms")),
)


def _figure(result: dict, path: tuple[str, ...]) -> float:
    if path[-1] == "decode_over_thumbs":  # older trees only wrote the inverse
        return 1.0 / _figure(result, (*path[:-1], "ratio_vs_decode"))
    for key in path:
        result = result[key]
    return float(result)  # type: ignore[arg-type]


def against(rev: str, steps: int, rounds: int = 2) -> int:
    """This tree and REV, alternately, each in its own process; best of `rounds` each."""
    import subprocess
    import tempfile

    tree = Path(tempfile.mkdtemp(prefix="critique-baseline-")) / "tree"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), rev],
        check=True,
        capture_output=True,
    )
    runs: dict[str, list[dict]] = {"this tree": [], rev: []}
    film = film_1080p()  # both trees play the same film (their generators may differ)
    (tree / "benchmarks" / "results").mkdir(parents=True, exist_ok=True)
    shutil.copy(film, tree / "benchmarks" / "results" / film.name)
    try:
        for _ in range(rounds):
            for label, root in ((rev, tree), ("this tree", REPO)):
                subprocess.run(
                    [sys.executable, str(root / "benchmarks" / "player.py"), "--steps",
                     str(steps), "--alone"] if root == REPO else
                    [sys.executable, str(root / "benchmarks" / "player.py"), "--steps", str(steps)],
                    check=True, capture_output=True, cwd=root,
                )  # fmt: skip
                runs[label].append(
                    json.loads((root / "benchmarks" / "results" / "player.json").read_text())
                )
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
            capture_output=True,
        )
    comparison = {}
    print(f"this tree against {rev} (best of {rounds} alternating runs each):")
    for name, path in FIGURES:
        try:
            now = min(_figure(r, path) for r in runs["this tree"])
            before = min(_figure(r, path) for r in runs[rev])
        except KeyError:  # a figure one of the trees does not measure (older: no compare view)
            print(f"  {name:<22} not measured by both trees: not compared")
            continue
        ratio = now / before if before else float("inf")
        comparison[name] = {"this_tree": now, rev: before, "ratio": round(ratio, 3)}
        verdict = "no regression" if ratio <= 1.1 else "REGRESSION"
        print(f"  {name:<22} {now:8.2f} vs {before:8.2f}  ratio {ratio:.2f}  {verdict}")
    out = RESULTS / "player-regression.json"
    out.write_text(json.dumps({"against": rev, "rounds": rounds, "figures": comparison}, indent=2))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--against", default=BEFORE_TASK_RUNNER, help="a git revision")
    parser.add_argument("--alone", action="store_true", help="this tree only, no comparison")
    parser.add_argument("--quick", action="store_true", help="this tree, tiny films, 3 steps")
    parser.add_argument("--out", type=Path, default=RESULTS / "player.json")
    args = parser.parse_args()
    if args.quick:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="player-quick-") as tmp:
            MEDIA.update(folder=Path(tmp), frames=72, size=(320, 180), name="320x180")
            args.steps = 3
            return alone(args, rounds=1)
    if not args.alone:
        return against(args.against, args.steps)
    return alone(args)


def alone(args: argparse.Namespace, rounds: int = 3) -> int:
    film = film_1080p()
    latency = key_latency(film, args.steps)
    thumbs = thumbnail_throughput(film, rounds)
    w, h = MEDIA["size"]  # type: ignore[misc]
    result = {
        "machine": machine(),
        "quick": args.quick,
        "film": f"{w}x{h} H.264 GOP 48 with B-frames, {MEDIA['frames']} frames, 24 fps",
        "key_to_painted_frame": latency,
        "thumbnail_strip": thumbs,
        "goals": {
            "right_median_ms<=40": latency["right"]["median_ms"] <= 40,
            "left_median_ms<=60": latency["left"]["median_ms"] <= 60,
            "thumbnails>=0.8x_decode": thumbs["ratio_vs_decode"] >= 0.8,
            "compare_step<=1.5x_single": latency["compare_right"]["ratio_to_single"] <= 1.5,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"machine: {result['machine']['cpu']} ({result['machine']['cores']} cores)")
    for name in ("right", "left"):
        f = latency[name]
        print(
            f"{name:>5} key → painted frame: median {f['median_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms"
        )
    f = latency["compare_right"]
    print(
        f"compare → both panes painted: median {f['median_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms"
        f" = {f['ratio_to_single']:.2f}x the single pane (locked by {f['locked_by']})"
    )
    print(
        f"thumbnail strip ({thumbs['sampled_frames']} of {thumbs['film_frames']} frames): "
        f"{thumbs['thumbnails_fps']} fps vs decode-only {thumbs['decode_only_fps']} fps "
        f"= {thumbs['ratio_vs_decode']:.2f}x"
    )
    print(
        "goals:", ", ".join(f"{k}: {'met' if v else 'MISSED'}" for k, v in result["goals"].items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
