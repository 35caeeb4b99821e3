"""`critique-app probe` on a two-hour film against `ffprobe -count_packets`, in one run.

Generates (once, with the ffmpeg command, cached in benchmarks/results/; never committed) a
two-hour 128x72 H.264 film at 24 fps as MP4 (172,800 frames; probe counts them from the index)
and the same packets remuxed as Matroska (no per-frame index: probe reads every packet). For
each: the whole command `critique-app probe FILM --json` in a fresh process, and `ffprobe
-count_packets` on the same file, runs interleaved, best of each; in-process, probe() itself
and probe() made to read every packet (how it always counted before). The frame counts of
all must agree.

Goal: probe on the MP4 at most 1.5x ffprobe -count_packets. CPU seconds are given beside wall
seconds: on a loaded machine they are the steadier figure.

    .venv/bin/python benchmarks/probe.py [--minutes 120] [--repeats 5] [--quick] [--out F]

`--quick` (a 20-second film in a temporary folder, one repeat) only shows that it still runs
and writes its JSON; its figures mean nothing. Without ffmpeg (Debian: apt-get install ffmpeg)
it writes a JSON saying so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from critique_app.media import packets  # noqa: E402
from critique_app.media import probe as probe_module  # noqa: E402
from critique_app.media.stream_index import NoIndexCount  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"


def films(minutes: float, folder: Path) -> dict[str, Path]:
    """The MP4 and its Matroska remux, made once (about half a minute for two hours)."""
    stem = f"probe_{minutes:g}min_128x72"
    mp4, mkv = folder / f"{stem}.mp4", folder / f"{stem}.mkv"
    folder.mkdir(parents=True, exist_ok=True)
    if not mp4.exists():
        print(f"generating {mp4.name} (once)...", flush=True)
        part = mp4.with_suffix(".part.mp4")
        subprocess.run(
            [
                "ffmpeg", "-v", "error", "-y", "-f", "lavfi",
                "-i", f"testsrc=size=128x72:rate=24:duration={minutes * 60:g}",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "48", "-bf", "2",
                "-pix_fmt", "yuv420p", str(part),
            ],
            check=True,
        )  # fmt: skip
        part.rename(mp4)
    if not mkv.exists():
        part = mkv.with_suffix(".part.mkv")
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", str(mp4), "-c", "copy", str(part)], check=True
        )
        part.rename(mkv)
    return {"mp4": mp4, "mkv": mkv}


def ffprobe_count(path: Path) -> int:
    done = subprocess.run(
        [
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
            "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", str(path),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(done.stdout.strip().split(",")[0])


def cli_count(path: Path) -> int:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "critique_app", "probe", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=REPO,
    )
    facts = json.loads(done.stdout)
    return int(facts["frame_count"])


def in_process(path: Path) -> int:
    packets._CACHE.clear()  # a first look at the file, as in a fresh process
    return probe_module.probe(path).frame_count


def reading_every_packet(path: Path) -> int:
    """probe() as it always counted before: every packet read in Python."""
    saved = probe_module.count_from_index
    probe_module.count_from_index = lambda *args: NoIndexCount("format")  # type: ignore[assignment]
    try:
        return in_process(path)
    finally:
        probe_module.count_from_index = saved


def _cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def best_of(runs: dict[str, Callable[[Path], int]], path: Path, repeats: int) -> dict:
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    counts: dict[str, int] = {}
    for _ in range(repeats):
        for name, fn in runs.items():
            c, t = _cpu(), time.perf_counter()
            counts[name] = fn(path)
            seconds[name].append(time.perf_counter() - t)
            cpu[name].append(_cpu() - c)
    best = {name: min(v) for name, v in seconds.items()}
    best_cpu = {name: min(v) for name, v in cpu.items()}
    for name in runs:
        print(
            f"  {path.suffix[1:]:<4} {name:<22} {best[name]:7.3f} s  {best_cpu[name]:7.3f} s CPU"
            f"  {counts[name]} frames"
        )
    return {
        "best_s": {k: round(v, 4) for k, v in best.items()},
        "all_s": {k: [round(x, 4) for x in v] for k, v in seconds.items()},
        "best_cpu_s": {k: round(v, 4) for k, v in best_cpu.items()},
        # steadier than wall time on a loaded machine (both are whole processes)
        "cli_vs_ffprobe_cpu": round(best_cpu["cli"] / best_cpu["ffprobe"], 2),
        "frames": counts,
        "counts_agree": len(set(counts.values())) == 1,
        "cli_vs_ffprobe": round(best["cli"] / best["ffprobe"], 2),
        "in_process_vs_ffprobe": round(best["in_process"] / best["ffprobe"], 2),
        "reading_every_packet_vs_ffprobe": round(best["reading_every_packet"] / best["ffprobe"], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=120.0, help="length of the film")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a 20-second film")
    parser.add_argument("--out", type=Path, default=RESULTS / "probe.json")
    args = parser.parse_args()
    result: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": os.getloadavg()[0],
        },
        "quick": args.quick,
    }
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        result["skipped"] = "ffmpeg and ffprobe are needed (Debian: apt-get install ffmpeg)"
        print(result["skipped"])
    else:
        with tempfile.TemporaryDirectory(prefix="probe-quick-") as tmp:
            minutes = 20 / 60 if args.quick else args.minutes
            made = films(minutes, Path(tmp) if args.quick else RESULTS)
            result["film"] = {"minutes": round(minutes, 3), "size": [128, 72], "rate": 24}
            runs: dict[str, Callable[[Path], int]] = {
                "ffprobe": ffprobe_count,
                "cli": cli_count,
                "in_process": in_process,
                "reading_every_packet": reading_every_packet,
            }
            repeats = 1 if args.quick else args.repeats
            for kind, path in made.items():
                result[kind] = best_of(runs, path, repeats)
                result[kind]["bytes"] = path.stat().st_size
        result["goal"] = {"mp4_cli_vs_ffprobe": 1.5}
        mp4, mkv = result["mp4"], result["mkv"]
        print(
            f"MP4: critique-app probe / ffprobe -count_packets = {mp4['cli_vs_ffprobe']} (goal "
            f"<= 1.5), by CPU {mp4['cli_vs_ffprobe_cpu']}, in process "
            f"{mp4['in_process_vs_ffprobe']}, reading every packet "
            f"{mp4['reading_every_packet_vs_ffprobe']}; MKV (every packet read): "
            f"{mkv['cli_vs_ffprobe']}; counts agree: {mp4['counts_agree'] and mkv['counts_agree']}"
        )
    result["machine"]["load_after"] = os.getloadavg()[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
