"""Benchmark `screen`: 1 worker against 2 on a LocalCluster, and the engine against a plain loop.

Generates (once, cached in --dir) 24 films of 1–3 min at 720p and 50 stills, and a project whose
library holds a few of them. In the same run it times: the same task function called in a plain
loop (the baseline: a process set up as Dask sets up a worker, one BLAS thread), `run_screening`
with 1 worker, then with 2. Goals: 2 workers
≥ 1.7× faster than 1 on 2 cores; the engine's per-file overhead against the loop ≤ 10 %.
Also measures CPU seconds per minute of film (720p here, and one 1080p film) and each worker's
peak memory. Prints the figures and writes benchmarks/results/screen.json.

    nice -n 15 .venv/bin/python benchmarks/screen.py [--small] [--dir D] [--quick] [--out F]

`--small` (6 films of 8–16 s, 20 stills) keeps a run on a shared machine to a few minutes.
`--quick` (2 films of 1–2 s and 2 stills at 320x180, a 1 s film for the "1080p" figure, made in
a temporary folder) only shows that it still runs and writes its JSON; its figures mean nothing.
On a machine other people are using, every figure is pessimistic and the speed-up most of all.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_media(
    folder: Path, films: int, stills: int, seconds: tuple[int, int], size: tuple[int, int]
) -> list[Path]:
    from PIL import Image

    from tests.media_factory import coded_frame, make_coded_clip

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    lo, hi = seconds
    for i in range(films):
        path = folder / f"film_{i:02d}.mp4"
        dur = lo + (hi - lo) * i // max(films - 1, 1)
        if not path.exists():
            tmp = path.with_suffix(".part.mp4")
            make_coded_clip(tmp, frames=dur * 24, size=size, gop=48, rate=Fraction(24))
            tmp.rename(path)
        out.append(path)
    for i in range(stills):
        path = folder / f"still_{i:02d}.jpg"
        if not path.exists():
            Image.fromarray(coded_frame(1000 + 37 * i, size)).save(path, quality=88)
        out.append(path)
    return out


def fresh_project(template: Path, dest: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    shutil.copy(template, dest)
    return dest


def timed_run(project_path: Path, folder: Path, workers: int) -> dict[str, Any]:
    import psutil

    from critique_app.services.screening_cluster import run_screening
    from db import screening_store
    from db.project import open_project

    peak: dict[str, int] = {}
    clients: list[Any] = []

    def sample(status: Any) -> None:
        if clients and status.done % 4 == 0:
            rss = clients[0].run(lambda: psutil.Process().memory_info().rss)
            for worker, value in rss.items():
                peak[worker] = max(peak.get(worker, 0), int(value))

    with open_project(project_path) as project:
        start = time.perf_counter()
        summary = run_screening(
            project, [folder], workers=workers, on_status=sample, on_client=clients.append
        )
        wall = time.perf_counter() - start
        results = [r.to_json() for r in screening_store.results(project.db, summary.settings_key)]
    assert summary.screened == summary.found, summary.sentences()
    return {
        "workers": workers,
        "wall_s": round(wall, 2),
        "files": summary.found,
        "task_cpu_s": round(sum(r["cpu_seconds"] for r in results), 2),
        "task_wall_s": round(sum(r["seconds"] for r in results), 2),
        "worker_peak_rss_mb": {k: round(v / 2**20) for k, v in peak.items()},
        "results": results,
    }


def plain_loop(folder: Path, project_path: Path) -> dict[str, Any]:
    """The same task function, called file after file in this process: no Dask at all."""
    from critique_app.services.screening import ScreeningSettings, find_submissions, screen_file
    from critique_app.services.screening_cluster import library_snapshot
    from db.project import open_project

    with open_project(project_path) as project:
        snapshot = library_snapshot(project)
    settings = ScreeningSettings(library_digest=snapshot.digest)
    start = time.perf_counter()
    subs = find_submissions([folder]).submissions
    results = [screen_file(s, snapshot, settings).to_json() for s in subs]
    return {
        "wall_s": round(time.perf_counter() - start, 2),
        "files": len(results),
        "results": results,
    }


def plain_loop_like_a_worker(folder: Path, project_path: Path) -> dict[str, Any]:
    """The plain loop in a fresh process set up as Dask sets up its worker processes (one
    BLAS/OpenMP thread: distributed.nanny.pre-spawn-environ), so that the engine is compared
    with the same functions under the same conditions. In this process numpy would use every
    core for its matrix products, which a worker deliberately does not (one worker per core)."""
    import subprocess
    import tempfile

    import dask
    import distributed  # noqa: F401  (loads distributed's config defaults)

    from critique_app.services.screening_cluster import WORKER_CONFIG

    env = dict(os.environ)
    with dask.config.set(WORKER_CONFIG):  # as run_screening starts its workers
        worker_env = dask.config.get("distributed.nanny.pre-spawn-environ")
    env.update({k: str(v) for k, v in worker_env.items() if v is not None})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "loop.json"
        subprocess.run(
            [sys.executable, __file__, "--loop-only", str(folder), str(project_path), str(out)],
            env=env,
            check=True,
        )
        return json.loads(out.read_text())


def per_minute(results: list[dict[str, Any]]) -> float:
    """CPU seconds of the task per minute of film (films only)."""
    cpu = frames = 0.0
    for r in results:
        pic = r.get("picture") or {}
        if pic.get("kind") == "film":
            cpu += r["cpu_seconds"]
            frames += pic["frames"]
    minutes = frames / 24 / 60
    return round(cpu / minutes, 2) if minutes else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="6 films of 8-16 s, 20 stills")
    parser.add_argument("--dir", default=str(REPO / "benchmarks" / "results" / "screen-media"))
    parser.add_argument("--quick", action="store_true", help="tiny media, a temporary folder")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "screen.json")
    parser.add_argument("--loop-only", nargs=3, metavar=("FOLDER", "PROJECT", "OUT"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args()
    if args.loop_only:
        folder, project, out = (Path(a) for a in args.loop_only)
        out.write_text(json.dumps(plain_loop(folder, project)))
        return 0
    if args.quick:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="screen-quick-") as tmp:
            return run(args, Path(tmp), (2, 2, (1, 2)), (320, 180), (1, (640, 360)))
    films_stills_secs = (6, 20, (8, 16)) if args.small else (24, 50, (60, 180))
    base = Path(args.dir) / ("quick" if args.small else "full")
    return run(args, base, films_stills_secs, (1280, 720), (20, (1920, 1080)))


def run(
    args: argparse.Namespace,
    base: Path,
    films_stills_secs: tuple[int, int, tuple[int, int]],
    size: tuple[int, int],
    hd_film: tuple[int, tuple[int, int]],
) -> int:
    films, stills, secs = films_stills_secs
    media = base / "submissions"
    t0 = time.perf_counter()
    paths = make_media(media, films, stills, secs, size)
    hd = make_media(base / "hd", 1, 0, (hd_film[0], hd_film[0]), hd_film[1])[0]
    made = time.perf_counter() - t0
    print(
        f"media: {films} films ({secs[0]}-{secs[1]} s, {size[1]}p) and {stills} stills ready in "
        f"{made:.0f} s"
    )

    from critique_app.services.fingerprinting import add_to_library
    from db.project import open_project

    template = base / "template.critique"
    if not template.exists():
        with open_project(template) as project:  # known material: two stills and one film
            add_to_library(project, [paths[0], paths[films], paths[films + 1]])
    loop = plain_loop_like_a_worker(media, fresh_project(template, base / "loop.critique"))
    print(
        f"plain loop (one BLAS thread, as in a worker): {loop['wall_s']} s for {loop['files']} files"
    )
    one = timed_run(fresh_project(template, base / "one.critique"), media, 1)
    print(f"1 worker:   {one['wall_s']} s")
    two = timed_run(fresh_project(template, base / "two.critique"), media, 2)
    print(f"2 workers:  {two['wall_s']} s")
    hd_loop = plain_loop_like_a_worker(hd.parent, fresh_project(template, base / "hd.critique"))
    speedup = one["wall_s"] / two["wall_s"]
    overhead = (one["wall_s"] - loop["wall_s"]) / loop["wall_s"]
    figures = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        },  # fmt: skip
        "quick": args.quick,
        "media": {
            "films": films,
            "film_seconds": list(secs),
            "stills": stills,
            "size": f"{size[0]}x{size[1]}",
        },
        "plain_loop_s": loop["wall_s"],
        "one_worker_s": one["wall_s"],
        "two_workers_s": two["wall_s"],
        "speedup_2_over_1": round(speedup, 2),
        "speedup_goal": 1.7,
        "engine_overhead": round(overhead, 3),
        "overhead_goal": 0.10,
        "per_file_overhead_s": round((one["wall_s"] - loop["wall_s"]) / max(loop["files"], 1), 3),
        "cpu_s_per_min_720p": per_minute(loop["results"]),
        "cpu_s_per_min_1080p": per_minute(hd_loop["results"]),
        "still_cpu_s": round(
            sum(
                r["cpu_seconds"]
                for r in loop["results"]
                if (r.get("picture") or {}).get("kind") == "still"
            )
            / max(stills, 1),
            3,
        ),  # fmt: skip
        "worker_peak_rss_mb": {"one": one["worker_peak_rss_mb"], "two": two["worker_peak_rss_mb"]},
        "task_cpu_s_total": {"one": one["task_cpu_s"], "two": two["task_cpu_s"]},
    }
    print(json.dumps(figures, indent=2))
    print(
        f"2 workers vs 1: {speedup:.2f}x (goal >= 1.7x); engine overhead vs plain loop: "
        f"{100 * overhead:+.1f} % (goal <= 10 %). Load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores: on a shared machine these figures are pessimistic."
    )
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":  # Dask's worker processes are spawned: they re-import this file
    sys.exit(main())
