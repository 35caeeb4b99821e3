"""How often do the Xvfb scenario processes crash? Runs tests/xvfb/scenarios.py's scenarios (real
X server, real libvlc) ROUNDS times each, as the tests do, and counts how each process ended:
exit 0, another exit code, a signal (-11 is a segfault), or a hang.

Issue 20: the scenarios segfaulted in their teardown about one run in six on a busy machine. Run
it with a CPU hog beside it (`--hog 2` starts two `while True: pass` processes and ends them
afterwards) to measure under load.
Usage: .venv/bin/python benchmarks/scenario_crashes.py [--rounds 20] [--hog 2] [--repo DIR]
       [--quick] [--out FILE.json] (prints, writes results/scenario_crashes.json)
`--quick` (one round of one clip scenario and one project scenario, unless --scenarios says
which) only shows that it still runs and writes its JSON; its counts mean nothing.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "benchmarks" / "results"
SCENARIOS = ("pause_and_step_back", "vlc_play_pause_steps", "quit_while_working")
QUICK = ["pause_and_step_back", "quit_while_working"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--hog", type=int, default=0, help="CPU hog processes to run beside")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose scenarios run")
    parser.add_argument("--quick", action="store_true", help="one round")
    parser.add_argument("--scenarios", nargs="+", help="e.g. lifecycle:50 (this tree)")
    parser.add_argument("--out", type=Path, default=RESULTS / "scenario_crashes.json")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    repo = args.repo.resolve()
    from tests.media_factory import make_coded_clip
    from tests.stress.churn import make_project

    work = Path(tempfile.mkdtemp(prefix="scenario-crashes-"))
    clip = make_coded_clip(work / "coded.mp4", frames=144, bframes=2)
    (work / "festival").mkdir()
    festival = make_project(work / "festival")
    from tests.xvfb.display import start_xvfb, x_environment

    xvfb, display = start_xvfb(first=150)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hog)]
    # quick: one scenario on the clip and one on the festival project, the two kinds of run
    names = args.scenarios or (QUICK if args.quick else list(SCENARIOS))
    ends: dict[str, collections.Counter[str]] = {s: collections.Counter() for s in names}
    crashes: list[dict[str, object]] = []
    try:
        for n in range(rounds):
            for name in names:
                target = (
                    clip if name in ("pause_and_step_back", "vlc_play_pause_steps") else festival
                )
                env = x_environment(display, work / "data", repo)
                out = work / f"{name}.json"
                try:
                    done = subprocess.run(
                        [sys.executable, "-m", "tests.xvfb.scenarios", name, str(target), str(out)],
                        cwd=repo,
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=900,
                    )
                    how = str(done.returncode)
                except subprocess.TimeoutExpired:
                    how, done = "hang", None
                ends[name][how] += 1
                if how != "0":
                    tail = "" if done is None else done.stderr[-3000:]
                    crashes.append({"round": n, "scenario": name, "ended": how, "stderr": tail})
                    print(f"round {n} {name}: ended {how}\n{tail}", file=sys.stderr)
            print(f"round {n + 1}/{rounds}: {dict((k, dict(v)) for k, v in ends.items())}")
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        xvfb.terminate()
        xvfb.wait(5)
        shutil.rmtree(work, ignore_errors=True)
    total = sum(sum(c.values()) for c in ends.values())
    failed = sum(n for c in ends.values() for how, n in c.items() if how != "0")
    report = {
        "quick": args.quick,
        "repo": str(repo),
        "rounds": rounds,
        "hogs": args.hog,
        "load_after": os.getloadavg(),
        "ends": {k: dict(v) for k, v in ends.items()},
        "processes": total,
        "not_exit_0": failed,
        "crashes": crashes,
    }
    print(f"{failed} of {total} scenario processes did not end with exit 0")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
