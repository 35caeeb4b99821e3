"""Fingerprinting and matching speed, in one run on the same minute of 1080p.

The issue-26 measure: the real command a user types, `critique-app fingerprint FILM --project
NEW.critique` in a fresh process (start-up, adding the film with its SHA-256, probe, letterbox
bars, hashes, storing, shots), against a plain PyAV decode of the same film (thread AUTO, also
in a fresh process: the ceiling), in alternating rounds; wall and CPU time (the child's own
user + system) of each, median over the rounds; ratio = plain decode time / command time (1
means fingerprinting costs nothing beyond decoding). Beside them, for diagnosis, the pass in
this process (`hash_film`, no project) and the naive pipeline (decode -> PIL ->
imagehash.phash) on 480 frames. Then matching: 10,000 query hashes against 1,000,000 library
hashes at distance <= 8, checked against brute force on a subset.

The film is made once with FFmpeg (testsrc2 with temporal noise, 1920x1080, 25 fps, one
keyframe every 250 frames, H.264) into benchmarks/results/ (git-ignored); `--film` measures
another one.

Goals: command >= 0.9x plain decode; in process >= 0.85x; >= 3.5x naive; matching <= 2 s
with exact results.

    .venv/bin/python benchmarks/fingerprint.py [--seconds 60] [--repeats 5] [--quick] [--out F]

`--quick` (a 4 s film at 320x180 made in a temporary folder, one round, 1,000 queries against
20,000 library hashes) only shows that it still runs and writes its JSON, in a few seconds;
its figures mean nothing.
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
import tracemalloc
from pathlib import Path

import av
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from critique_app.media.film_hashes import default_workers, hash_film  # noqa: E402
from critique_app.media.grey_frames import read_layout  # noqa: E402
from critique_app.media.letterbox import (  # noqa: E402
    BarsOnTheWay,
    decodes_from_start,
    detect_film_bars,
)
from critique_app.provenance.hash_index import HashIndex, brute_force  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
SIZE = (1920, 1080)
RATE = 25
GOP = 250
NOISE = 12  # FFmpeg's noise filter strength: grain every frame, as a scanned or AI film has

PLAIN = """
import sys, av
with av.open(sys.argv[1]) as container:
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    print(sum(1 for _ in container.decode(stream)))
"""


def film(seconds: int, size: tuple[int, int] = SIZE, folder: Path = RESULTS) -> Path:
    """testsrc2 with temporal noise, made once (minutes at 1080p on a busy machine)."""
    w, h = size
    path = folder / f"fingerprint_{w}x{h}_{seconds}s_{RATE}fps_gop{GOP}_noise{NOISE}.mp4"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    print(f"generating {path.name} (once)...", flush=True)
    tmp = path.with_suffix(".part.mp4")
    source = f"testsrc2=size={w}x{h}:rate={RATE}:duration={seconds},noise=alls={NOISE}:allf=t"
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-g", str(GOP),
            "-pix_fmt", "yuv420p", str(tmp),
        ],
        check=True,
    )  # fmt: skip
    tmp.rename(path)
    return path


def _child(argv: list[str]) -> str:
    # An installed app starts from compiled bytecode: a PYTHONDONTWRITEBYTECODE inherited from
    # the shell would recompile some 80 modules at every start (about a CPU second here).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(REPO), PYTHONPYCACHEPREFIX=str(RESULTS / "pycache"))
    return subprocess.run(
        argv, capture_output=True, text=True, check=True, cwd=REPO, env=env
    ).stdout


def plain_decode(path: Path) -> int:
    """A plain PyAV decode of every frame, in a fresh Python process."""
    return int(_child([sys.executable, "-c", PLAIN, str(path)]))


def command_line(path: Path) -> int:
    """`critique-app fingerprint FILM --project P` in a fresh process and a new project."""
    with tempfile.TemporaryDirectory(prefix="fingerprint-cli-") as tmp:
        out = _child(
            [
                sys.executable, "-m", "critique_app", "fingerprint", str(path),
                "--project", str(Path(tmp) / "p.critique"), "--json",
            ]
        )  # fmt: skip
    return int(json.loads(out)["hashed"])


def app(path: Path) -> int:
    """What the command does to a film in this process, minus start-up and the project file."""
    layout = read_layout(path)
    if decodes_from_start(layout):
        runs = hash_film(path, layout, bars=BarsOnTheWay(layout))
    else:
        runs = hash_film(path, layout, crop=detect_film_bars(path, layout))
    return sum(len(run) for run in runs)


def naive(path: Path, limit: int) -> int:
    import imagehash

    n = 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            imagehash.phash(frame.to_image())
            n += 1
            if n >= limit:
                break
    return n


def timed(fn, *args) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (this process and its finished children), frames."""
    cpu0 = _cpu()
    t = time.perf_counter()
    n = fn(*args)
    return time.perf_counter() - t, _cpu() - cpu0, n


def _cpu() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def decoding(path: Path, repeats: int) -> dict:
    kinds = (("plain", plain_decode), ("command_line", command_line), ("app", app))
    wall: dict[str, list[float]] = {k: [] for k, _ in kinds}
    cpu: dict[str, list[float]] = {k: [] for k, _ in kinds}
    frames = 0
    for round_ in range(repeats):
        # alternate the order too, so neither kind always runs on a page cache the other warmed
        for name, fn in kinds if round_ % 2 == 0 else (kinds[1], kinds[0], kinds[2]):
            dt, c, n = timed(fn, path)
            frames = n
            wall[name].append(dt)
            cpu[name].append(c)
            print(f"  {name:<13} {dt:7.2f} s wall {c:7.2f} s CPU ({n / dt:6.1f} fps)", flush=True)
    limit = min(frames, 480)
    dt, _, n = timed(naive, path, limit)
    naive_fps = n / dt
    print(f"  {'naive':<13} {naive_fps:7.1f} fps ({n} frames)", flush=True)
    med_wall = {k: statistics.median(v) for k, v in wall.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    rounds = [p / c for p, c in zip(wall["plain"], wall["command_line"], strict=True)]
    return {
        "frames": frames,
        "rounds": repeats,
        "wall_seconds": {k: [round(x, 2) for x in v] for k, v in wall.items()},
        "cpu_seconds": {k: [round(x, 2) for x in v] for k, v in cpu.items()},
        "median_wall_seconds": {k: round(v, 2) for k, v in med_wall.items()},
        "median_cpu_seconds": {k: round(v, 2) for k, v in med_cpu.items()},
        # plain decode time / command time: 1 means fingerprinting adds nothing to decoding
        "command_line_vs_plain": round(med_wall["plain"] / med_wall["command_line"], 3),
        "command_line_vs_plain_cpu": round(med_cpu["plain"] / med_cpu["command_line"], 3),
        "command_line_vs_plain_by_round": [round(r, 3) for r in rounds],
        "app_vs_plain": round(med_wall["plain"] / med_wall["app"], 3),
        "app_vs_plain_cpu": round(med_cpu["plain"] / med_cpu["app"], 3),
        "app_vs_naive": round(frames / med_wall["app"] / naive_fps, 2),
        "naive_fps": round(naive_fps, 1),
        "workers_by_default": default_workers(),
        "goals": {"command_line_vs_plain": 0.9, "app_vs_plain": 0.85, "app_vs_naive": 3.5},
    }


def _clustered(rng: np.random.Generator, n: int) -> np.ndarray:
    """Library hashes as films give them: runs of near-identical frames around shot centres."""
    per = 10
    base = rng.integers(0, 2**63, n // per, dtype=np.int64).view(np.uint64) << np.uint64(1)
    out = np.repeat(base, per)
    flips = rng.random((n, 64), dtype=np.float32).argsort(axis=1) < rng.integers(0, 7, n)[:, None]
    return out ^ np.packbits(flips, axis=1).view(">u8").ravel().astype(np.uint64)


def matching(queries_n: int = 10_000, library_n: int = 1_000_000, distance: int = 8) -> dict:
    rng = np.random.default_rng(2026)
    library = _clustered(rng, library_n)
    near = library[rng.integers(0, library_n, queries_n // 2)]
    flips = (
        rng.random((len(near), 64), dtype=np.float32).argsort(axis=1)
        < rng.integers(0, 11, len(near))[:, None]
    )
    near = near ^ np.packbits(flips, axis=1).view(">u8").ravel().astype(np.uint64)
    unrelated = rng.integers(0, 2**63, queries_n - len(near), dtype=np.int64).view(np.uint64)
    queries = np.concatenate([near, unrelated])
    tracemalloc.start()
    t = time.perf_counter()
    index = HashIndex(library, distance, expected_queries=queries_n)
    built = time.perf_counter() - t
    hits = index.search(queries)
    total = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    subset = np.arange(0, queries_n, 50)
    t = time.perf_counter()
    reference = brute_force(queries[subset], library, distance)
    brute_seconds = time.perf_counter() - t
    in_subset = np.isin(hits.query, subset)
    ours = set(zip(hits.query[in_subset].tolist(), hits.entry[in_subset].tolist(), strict=True))
    theirs = set(zip(subset[reference.query].tolist(), reference.entry.tolist(), strict=True))
    return {
        "queries": queries_n,
        "library": library_n,
        "distance": distance,
        "bands": index.bands,
        "build_seconds": round(built, 3),
        "search_seconds": round(total - built, 3),
        "total_seconds": round(total, 3),
        "hits": len(hits),
        "exact_on_subset": ours == theirs,
        "subset_queries": len(subset),
        "subset_hits": len(theirs),
        "brute_force_seconds_estimated_full": round(brute_seconds * queries_n / len(subset), 1),
        "index_mb": round(index.nbytes / 1e6, 1),
        "peak_traced_mb": round(peak / 1e6, 1),
        "goal_seconds": 2.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the generated film")
    parser.add_argument("--repeats", type=int, default=5, help="alternating rounds")
    parser.add_argument(
        "--film", type=Path, default=None, help="measure this film instead of generating one"
    )
    parser.add_argument("--quick", action="store_true", help="a tiny film, small matching")
    parser.add_argument("--out", type=Path, default=RESULTS / "fingerprint.json")
    args = parser.parse_args()
    if args.quick:
        with tempfile.TemporaryDirectory(prefix="fingerprint-quick-") as tmp:
            return run(args, film(4, (320, 180), Path(tmp)))
    return run(args, args.film or film(args.seconds))


def _size(path: Path) -> list[int]:
    with av.open(str(path)) as container:
        ctx = container.streams.video[0].codec_context
        return [ctx.width, ctx.height]


def run(args: argparse.Namespace, path: Path) -> int:
    print(f"film: {path.name}, {path.stat().st_size / 1e6:.1f} MB")
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "av": av.__version__,
            "numpy": np.__version__,
            "load_before": os.getloadavg()[0],
        },
        "film": {
            "path": path.name,
            "size": [320, 180] if args.quick else _size(path),
            "codec": "h264",
            "bytes": path.stat().st_size,
        },
    }
    print("decoding (alternating rounds):")
    result["quick"] = args.quick
    result["decoding"] = decoding(path, 1 if args.quick else args.repeats)
    print("matching:")
    result["matching"] = matching(1_000, 20_000) if args.quick else matching()
    result["machine"]["load_after"] = os.getloadavg()[0]
    d, mt = result["decoding"], result["matching"]
    med = d["median_wall_seconds"]
    print(
        f"median of {d['rounds']} rounds, {d['frames']} frames: plain decode {med['plain']} s, "
        f"command {med['command_line']} s, in process {med['app']} s; command / plain = "
        f"{d['command_line_vs_plain']:.3f} by wall, {d['command_line_vs_plain_cpu']:.3f} by CPU "
        f"(goal >= 0.9; by round {d['command_line_vs_plain_by_round']}); in process / plain = "
        f"{d['app_vs_plain']:.3f} (goal >= 0.85); in process / naive = {d['app_vs_naive']:.2f} "
        f"(goal >= 3.5)"
    )
    print(
        f"matching {mt['queries']:,} x {mt['library']:,} at d <= {mt['distance']}: "
        f"{mt['total_seconds']} s (build {mt['build_seconds']} + search {mt['search_seconds']}), "
        f"{mt['bands']} bands, {mt['hits']} hits, exact on {mt['subset_queries']} queries: "
        f"{mt['exact_on_subset']}; index {mt['index_mb']} MB, peak {mt['peak_traced_mb']} MB; "
        f"brute force ~{mt['brute_force_seconds_estimated_full']} s"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
