"""Quit latency: Ctrl+Q in a real X window (Xvfb, real libvlc) while thumbnails, matching,
anchors and a provenance check run on a long film, against quitting the same window idle, in
the same run (alternating), from the key press to the event loop's end and to the process
being gone (the window shut down, its workers joined, the interpreter's ordinary teardown).

The figure that matters is the ratio working / idle: the work running must cost little on top
of what quitting costs anyway on this machine (README: "closes the window at once"). Moved here
from tests/xvfb (issue 20): a wall-clock bound in a test fails on a busy machine.
Usage: .venv/bin/python benchmarks/quit_latency.py [--rounds 5] [--quick] [--out FILE.json]
(prints, writes results/quit_latency.json). `--quick` (one round of each) only shows that it
still runs and writes its JSON; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
RESULTS = REPO / "benchmarks" / "results"
KINDS = ("quit_idle", "quit_while_working")


def quit_once(kind: str, project: Path, display: str, work: Path) -> dict[str, float | list[str]]:
    out = work / f"{kind}.json"
    from tests.xvfb.display import x_environment

    env = x_environment(display, work / "data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.xvfb.scenarios", kind, str(project), str(out)],
        cwd=REPO,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    code = proc.wait(300)
    gone = time.time()
    if code != 0:
        raise SystemExit(f"{kind} ended with {code}")
    report = json.loads(out.read_text())
    return {
        "running": report["running"],
        "loop_ended_s": report["loop_ended_at"] - report["pressed_at"],
        "process_gone_s": gone - report["pressed_at"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one round")
    parser.add_argument("--out", type=Path, default=RESULTS / "quit_latency.json")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    from tests.stress.churn import make_project
    from tests.xvfb.display import start_xvfb

    work = Path(tempfile.mkdtemp(prefix="quit-latency-"))
    print("making the festival project (two 100 s films)…", file=sys.stderr)
    project = make_project(work)
    xvfb, display = start_xvfb(first=150)
    runs: dict[str, list[dict[str, float | list[str]]]] = {k: [] for k in KINDS}
    try:
        for n in range(rounds):
            for kind in KINDS if n % 2 == 0 else reversed(KINDS):
                runs[kind].append(quit_once(kind, project, display, work))
            print(
                f"round {n + 1}/{rounds}: "
                + ", ".join(
                    f"{k} {runs[k][-1]['loop_ended_s']:.3f} / {runs[k][-1]['process_gone_s']:.3f} s"
                    for k in KINDS
                )
            )
    finally:
        xvfb.terminate()
        xvfb.wait(5)
        shutil.rmtree(work, ignore_errors=True)

    def median(kind: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[kind])  # type: ignore[arg-type]

    figures = {
        kind: {key: median(kind, key) for key in ("loop_ended_s", "process_gone_s")}
        for kind in KINDS
    }
    ratios = {
        key: figures["quit_while_working"][key] / figures["quit_idle"][key]
        for key in ("loop_ended_s", "process_gone_s")
    }
    for kind in KINDS:
        f = figures[kind]
        print(
            f"{kind:20s} median: loop ended {f['loop_ended_s']:.3f} s, "
            f"process gone {f['process_gone_s']:.3f} s after Ctrl+Q"
        )
    print(
        f"working / idle: loop ended {ratios['loop_ended_s']:.2f}x, "
        f"process gone {ratios['process_gone_s']:.2f}x"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "quick": args.quick,
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "load": os.getloadavg(),
                "rounds": rounds,
                "running_when_quit": runs["quit_while_working"][0]["running"],
                "median": figures,
                "ratio_working_over_idle": ratios,
                "runs": runs,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
