"""Peak memory (issue 26): `critique-app frame` against `ffmpeg -ss … -frames:v 1` on the same
frame of a 1080p film, and the HTML and PDF handouts of 100 against 300 items, in the same run.

Goals: the frame command's peak at most 1.5x ffmpeg's; a handout's peak flat in the number of
items (300 items within 1.2x of 100). Every figure is the peak resident memory of a fresh
process, read from `/usr/bin/time -v` (a small C program: a child forked from this Python
process would count this process's memory as its own peak). Prints a table and writes
benchmarks/results/memory.json.

    .venv/bin/python benchmarks/memory.py [--film FILM] [--repeats 3] [--quick] [--out FILE.json]

Without --film, a 1080p H.264 film with grain and a GOP of 250 is made once with ffmpeg into
the temporary folder (never into the repository). The handouts draw their stills from three
copies of it (the same pictures remuxed with another title: three films, as a seminar has).

`--quick` (a 320x180 film of 2 s, 4 against 12 items, one repeat) only shows that it still
runs and writes its JSON; its figures mean nothing and it ends with 0 whatever the goals.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
GOALS = {"frame_over_ffmpeg": 1.5, "handout_300_over_100": 1.2}
TIME = Path("/usr/bin/time")
FFMPEG_QUIET = ("-nostdin", "-v", "error", "-y")


def make_film(path: Path, size: tuple[int, int], seconds: int) -> Path:
    """testsrc2 with fresh grain on every frame (P- and B-frames cost what real footage's do),
    GOP 250 with B-frames: the frame command decodes up to a whole GOP for one frame."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"making {path} ({size[0]}x{size[1]}, {seconds} s; once) …", flush=True)
    partial = path.with_suffix(".part.mp4")
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
            "-i", f"testsrc2=size={size[0]}x{size[1]}:rate=24", "-t", str(seconds),
            "-vf", "noise=alls=12:allf=t", "-c:v", "libx264", "-preset", "veryfast",
            "-crf", "20", "-g", "250", "-bf", "2", "-pix_fmt", "yuv420p", str(partial),
        ],
        check=True,
    )  # fmt: skip
    partial.rename(path)
    return path


def peak_mb(command: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of `command` in MB, as the kernel counted it for that process."""
    if TIME.exists():
        done = subprocess.run(
            [str(TIME), "-v", *command], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"{command[:4]} failed:\n{done.stderr[-3000:]}")
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        assert found, done.stderr[-2000:]
        return int(found.group(1)) / 1024
    # No GNU time: a child's own peak, read by wait4 (it includes the Python it was forked
    # from, the same floor on both sides of a ratio).
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{command[:4]} failed")
    return usage.ru_maxrss / 1024


def critique(*args: str) -> list[str]:
    return [sys.executable, "-m", "critique_app", *args]


def frame_figures(film: Path, index: int, rate: Fraction, repeats: int, work: Path, env) -> dict:
    seconds = f"{float(index / rate):.6f}"
    png = str(work / "frame.png")
    ours, theirs = [], []
    for _ in range(repeats):  # interleaved, so a busy minute weighs on both alike
        ours.append(peak_mb(critique("frame", str(film), "--index", str(index), "-o", png), env))
        theirs.append(peak_mb(["ffmpeg", *FFMPEG_QUIET, "-ss", seconds, "-i", str(film),
                               "-frames:v", "1", str(work / "ffmpeg.png")], env))  # fmt: skip
        print(f"  frame: critique-app {ours[-1]:.1f} MB, ffmpeg {theirs[-1]:.1f} MB", flush=True)
    return {
        "frame_index": index,
        "critique_frame_mb": ours,
        "ffmpeg_mb": theirs,
        "frame_over_ffmpeg": statistics.median(ours) / statistics.median(theirs),
    }


def build_project(folder: Path, films: list[Path], items: int, seed: int = 7) -> Path:
    """A project with one seminar of `items` passages spread over `films` (each passage's still
    at a different frame), closed: the export runs in its own process."""
    from critique_app.domain.model import Annotation, FrameRange, Region
    from critique_app.services.films import add_film
    from critique_app.services.seminars import Seminars
    from db.project import open_project

    rng = random.Random(seed)
    path = folder / f"handout{items}.critique"
    project = open_project(path)
    try:
        added = [add_film(project, f, title=f"Festival film {n + 1}") for n, f in enumerate(films)]
        tier = project.repo.add_tier("Class", author="Teacher")
        cats = [c for c in project.repo.categories() if c.parent_key]
        seminars = Seminars(project)
        seminar = seminars.create("Memory", f"{items} passages")
        for n in range(items):
            film = added[n % len(added)]
            start = rng.randrange(0, film.frame_count - 12)
            box = Region.still("rectangle", [(0.2, 0.2), (0.6, 0.7)], start)
            a = project.repo.add_annotation(
                Annotation.create(
                    film.id,
                    tier.id,
                    FrameRange(start, start + rng.randrange(2, 10)),
                    category_id=rng.choice(cats).id,
                    note=f"Passage {n}: **morph** and drift.\n\n- a\n- b",
                    tags=("bench",),
                    author="Teacher",
                    regions=(box,) if n % 3 == 0 else (),
                )
            )
            seminars.add_annotation(seminar.id, a.id, prompt=f"What happens in passage {n}?")
    finally:
        project.close()
    return path


def handout_figures(
    films: list[Path], sizes: tuple[int, int], repeats: int, work: Path, env, formats: list[str]
) -> dict:
    projects = {n: build_project(work, films, n) for n in sizes}
    out: dict = {}
    for fmt in formats:
        peaks: dict[int, list[float]] = {n: [] for n in sizes}
        written: dict[int, int] = {}
        for _ in range(repeats):
            for n in sizes:
                target = work / f"handout{n}.{fmt}"
                peaks[n].append(
                    peak_mb(
                        critique("export", str(projects[n]), "--format", fmt, "-o", str(target)),
                        env,
                    )
                )
                written[n] = target.stat().st_size
                print(f"  {fmt}, {n} items: {peaks[n][-1]:.1f} MB", flush=True)
        small, large = sizes
        out[fmt] = {f"{n}_items_mb": peaks[n] for n in sizes}
        out[fmt].update({f"{n}_items_file_mb": round(written[n] / 2**20, 1) for n in sizes})
        out[fmt]["large_over_small"] = statistics.median(peaks[large]) / statistics.median(
            peaks[small]
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--film", type=Path, help="a 1080p film (default: made once in /tmp)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a tiny film, 4 vs 12 items")
    parser.add_argument(
        "--only", choices=["frame", "html", "pdf"], action="append", help="measure only these"
    )
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "memory.json")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    sizes = (4, 12) if args.quick else (100, 300)
    parts = args.only or ["frame", "html", "pdf"]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with tempfile.TemporaryDirectory(prefix="critique-bench-memory-") as tmp:
        work = Path(tmp)
        if args.film:
            film = args.film
        elif args.quick:
            film = make_film(work / "film180.mp4", (320, 180), 2)
        else:
            film = make_film(
                Path(tempfile.gettempdir()) / "critique-memory-1080p.mp4", (1920, 1080), 30
            )
        from critique_app.media.probe import probe

        info = probe(film)
        # 240 frames into the first GOP: the frame command decodes the GOP up to it
        index = min(240, info.frame_count - 1)
        copies = []
        for n in range(3):
            copy = work / f"film{n}{film.suffix}"
            subprocess.run(
                ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(film), "-c", "copy",
                 "-map", "0", "-metadata", f"title=copy {n}", str(copy)],
                check=True,
            )  # fmt: skip
            copies.append(copy)
        print(f"{film.name}: {info.width}x{info.height}, {info.frame_count} frames", flush=True)
        results: dict = {
            "quick": args.quick,
            "film": f"{info.width}x{info.height}, {info.frame_count} frames",
            "repeats": repeats,
            "load_before": os.getloadavg(),
            "machine": platform.platform(),
            "measured_with": "/usr/bin/time -v" if TIME.exists() else "wait4",
            "frame": frame_figures(film, index, info.rate, repeats, work, env)
            if "frame" in parts
            else None,
            "handouts": handout_figures(
                copies, sizes, repeats, work, env, [p for p in ("html", "pdf") if p in parts]
            ),
            "goals": GOALS,
        }
        results["load_after"] = os.getloadavg()
    f = results["frame"]
    if f:
        ours, theirs = statistics.median(f["critique_frame_mb"]), statistics.median(f["ffmpeg_mb"])
        print(
            f"frame {f['frame_index']}: critique-app frame {ours:.1f} MB, ffmpeg {theirs:.1f} MB"
            f" -> {f['frame_over_ffmpeg']:.2f}x (goal <= {GOALS['frame_over_ffmpeg']})"
        )
    for fmt, h in results["handouts"].items():
        small, large = sizes
        print(
            f"{fmt}: {small} items {statistics.median(h[f'{small}_items_mb']):.1f} MB, "
            f"{large} items {statistics.median(h[f'{large}_items_mb']):.1f} MB -> "
            f"{h['large_over_small']:.2f}x (goal <= {GOALS['handout_300_over_100']})"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
