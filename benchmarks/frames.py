"""Exact-frame latency at 1080p H.264 (GOP 48, B-frames) against plain decoding, in one run.

Measures: a random exact-frame fetch, a forward step, a backward step (median and p95, each
including the RGB picture the GUI paints), and sequential decode throughput (thread AUTO).
Goals: forward step <= 1.5x the per-frame decode time; backward step median <= 0.25x a random
fetch; random fetch <= 1.5x the time to decode half a GOP. Prints figures and writes
benchmarks/results/frames.json. Every fetched frame is checked with its drawn frame code.

    .venv/bin/python benchmarks/frames.py [--seconds 60] [--samples 40] [--steps 10]
                                          [--quick] [--out FILE.json]

`--quick` (6 s at 320x180 in a temporary folder, 2 fetches of 2 steps) only shows that it still
runs and writes its JSON, in a few seconds; its figures mean nothing, and it ends with 0 unless
a fetched frame was the wrong one.
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
from fractions import Fraction
from pathlib import Path

import av

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from critique_app.media.frame_server import Frame, FrameServer  # noqa: E402
from tests.media_factory import make_coded_clip, read_frame_code  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"  # git-ignored: the clip is cached here too
GOP, RATE, SIZE, GRAIN = 48, Fraction(24), (1920, 1080), 10


def clip(seconds: int, size: tuple[int, int] = SIZE, folder: Path = RESULTS) -> Path:
    name = "1080p" if size == SIZE else f"{size[0]}x{size[1]}"
    path = folder / f"frames_{name}_gop{GOP}_grain{GRAIN}_{seconds}s.mp4"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"generating {path.name} (once; cached) ...", flush=True)
        partial = path.with_suffix(".part.mp4")
        make_coded_clip(
            partial,
            frames=seconds * int(RATE),
            size=size,
            rate=RATE,
            gop=GOP,
            bframes=3,
            # Film grain new on every frame: without it a panning texture makes P/B-frames ~75x
            # smaller than I-frames (real footage: ~5-10x) and every seek looks unduly costly.
            grain=GRAIN,
            options={"preset": "faster"},
        )
        partial.rename(path)
    return path


def sequential_fps(path: Path) -> tuple[float, int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        start, count = time.perf_counter(), 0
        for _frame in container.decode(stream):
            count += 1
        return count / (time.perf_counter() - start), count


def timed(server: FrameServer, index: int, got: list[tuple[int, Frame]]) -> float:
    """Latency of one fetch. The picture is checked later (`check`): checking a 1080p frame
    takes milliseconds, during which the decoder's threads would quietly work ahead and
    flatter the next step."""
    start = time.perf_counter()
    frame = server.frame(index)
    elapsed = time.perf_counter() - start
    got.append((index, frame))
    return elapsed


def check(got: list[tuple[int, Frame]], wrong: list[int]) -> None:
    for index, frame in got:
        try:
            if read_frame_code(frame.image) != index:
                wrong.append(index)
        except ValueError:
            wrong.append(index)
    got.clear()


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000, "n": len(ordered)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--samples", type=int, default=40, help="random fetches")
    parser.add_argument("--steps", type=int, default=10, help="steps after each fetch")
    parser.add_argument("--quick", action="store_true", help="a tiny clip, a few fetches")
    parser.add_argument("--out", type=Path, default=RESULTS / "frames.json")
    args = parser.parse_args()
    if not args.quick:
        return run(args, clip(args.seconds), SIZE)
    args.samples, args.steps = 2, 2
    with tempfile.TemporaryDirectory(prefix="frames-quick-") as tmp:
        return run(args, clip(6, (320, 180), Path(tmp)), (320, 180))


def run(args: argparse.Namespace, path: Path, size: tuple[int, int]) -> int:

    sequential_fps(path)  # warm the page cache so the first measurement is not a disk read
    fps_before, total = sequential_fps(path)

    rng = random.Random(2026)
    wrong: list[int] = []
    fetches, forward, backward = [], [], []
    gops = total // GOP
    done = 0
    while done < args.samples:
        # one fetch per GOP, GOPs in random order: a random fetch never hits the cache
        with FrameServer(path) as server:
            order = rng.sample(range(1, gops - 1), gops - 2)
            # neighbours of the last GOP may still be cached: keep them for a later round
            picked: list[int] = []
            for gop in order:
                if not picked or abs(gop - picked[-1]) > 2:
                    picked.append(gop)
            for gop in picked[: args.samples - done]:
                index = gop * GOP + rng.randrange(GOP)
                got: list[tuple[int, Frame]] = []
                fetches.append(timed(server, index, got))
                for step in range(1, args.steps + 1):
                    forward.append(timed(server, index + step, got))
                check(got, wrong)
                # back from where we are: through the cached GOP and past its start
                for step in range(1, 2 * args.steps + 1):
                    backward.append(timed(server, index + args.steps - step, got))
                check(got, wrong)
                done += 1

    # the machine is shared: decode again after, and take the mean as the baseline
    fps_after, _total = sequential_fps(path)
    fps = (fps_before + fps_after) / 2
    per_frame = 1 / fps
    result = {
        "clip": {
            "path": path.name,
            "size": list(size),
            "rate": str(RATE),
            "gop": GOP,
            "bframes": 3,
            "grain": GRAIN,
            "frames": total,
            "mbit_per_s": round(path.stat().st_size * 8 / (total / float(RATE)) / 1e6, 2),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "pyav": av.__version__,
            "platform": platform.platform(),
        },
        "sequential_decode": {
            "fps": fps,
            "fps_before": fps_before,
            "fps_after": fps_after,
            "per_frame_ms": per_frame * 1000,
            "half_gop_ms": per_frame * GOP / 2 * 1000,
        },
        "random_fetch": stats(fetches),
        "forward_step": stats(forward),
        "backward_step": stats(backward),
        "wrong_frames": len(wrong),
    }
    ratios = {
        "forward_step_median_vs_per_frame_decode": result["forward_step"]["median_ms"]
        / result["sequential_decode"]["per_frame_ms"],
        "backward_step_median_vs_random_fetch_median": result["backward_step"]["median_ms"]
        / result["random_fetch"]["median_ms"],
        "random_fetch_median_vs_half_gop_decode": result["random_fetch"]["median_ms"]
        / result["sequential_decode"]["half_gop_ms"],
    }
    goals = {
        "forward_step_median_vs_per_frame_decode": 1.5,
        "backward_step_median_vs_random_fetch_median": 0.25,
        "random_fetch_median_vs_half_gop_decode": 1.5,
    }
    result["quick"] = args.quick
    result["ratios"] = {
        name: {"value": round(value, 3), "goal": goals[name], "met": value <= goals[name]}
        for name, value in ratios.items()
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")

    seq = result["sequential_decode"]
    print(
        f"sequential decode: {seq['fps']:.1f} fps (before {fps_before:.1f}, after "
        f"{fps_after:.1f}; {seq['per_frame_ms']:.2f} ms/frame; "
        f"half a GOP {seq['half_gop_ms']:.1f} ms)"
    )
    for name in ("random_fetch", "forward_step", "backward_step"):
        figure = result[name]
        print(
            f"{name:14s} median {figure['median_ms']:7.2f} ms   p95 {figure['p95_ms']:7.2f} ms"
            f"   (n={figure['n']})"
        )
    for name, ratio in result["ratios"].items():
        verdict = "ok" if ratio["met"] else "MISSED"
        print(f"{name}: {ratio['value']:.2f} (goal <= {ratio['goal']}) {verdict}")
    print(f"wrong frames: {len(wrong)}; written {args.out}")
    if args.quick:  # tiny inputs: the ratios say nothing, a wrong frame still does
        return 0 if not wrong else 1
    return 0 if not wrong and all(r["met"] for r in result["ratios"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
