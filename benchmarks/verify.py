"""Benchmark `verify`: files per second over the provenance fixtures, isolated vs in-process.

Both modes run in the same process, same files, same trust setting (`all`), alternating rounds
so the disk cache and CPU frequency treat them alike. Goal: isolation (warm worker) costs at
most 1.3x in-process reading. Prints the figures and writes benchmarks/results/verify.json.

    .venv/bin/python benchmarks/verify.py [FOLDER] [--rounds N] [--quick] [--out FILE.json]

FOLDER defaults to the shared corpus ($CRITIQUE_SHARED or ../shared, fixtures/provenance).
`--quick` (6 files, one round) only shows that it still runs and writes its JSON, in a few
seconds; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from critique_app.provenance.isolation import IsolatedReader  # noqa: E402
from critique_app.services.verify import collect, verify_file  # noqa: E402

GOAL = 1.3


def one_pass(jobs: list, isolated: bool, reader: IsolatedReader | None) -> float:
    start = time.perf_counter()
    for job in jobs:
        verify_file(job.path, "all", job.fragments, reader=reader, isolated=isolated,
                    sidecar=job.sidecar)  # fmt: skip
    return time.perf_counter() - start


def main() -> int:
    shared = Path(os.environ.get("CRITIQUE_SHARED", REPO.parent / "shared"))
    default = shared / "fixtures" / "provenance"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(default))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="6 files, one round")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "verify.json")
    args = parser.parse_args()
    jobs = [j for j in collect([args.folder]) if j.path.parent.name != "trust"]
    if args.quick:
        jobs, args.rounds = jobs[:6], 1
    if not jobs:
        print(f"no media files in {args.folder}", file=sys.stderr)
        return 1
    size = sum(j.path.stat().st_size for j in jobs)
    reader = IsolatedReader()
    cold_start = time.perf_counter()
    verify_file(jobs[0].path, "all", reader=reader)  # start the worker (measured separately)
    cold = time.perf_counter() - cold_start
    one_pass(jobs, False, None)  # warm caches and the in-process contexts
    isolated_times, inproc_times = [], []
    for _ in range(args.rounds):
        inproc_times.append(one_pass(jobs, False, None))
        isolated_times.append(one_pass(jobs, True, reader))
    reader.close()
    iso, inp = statistics.median(isolated_times), statistics.median(inproc_times)
    result = {
        "quick": args.quick,
        "files": len(jobs),
        "bytes": size,
        "rounds": args.rounds,
        "trust": "all",
        "isolated_seconds_median": round(iso, 4),
        "in_process_seconds_median": round(inp, 4),
        "isolated_files_per_second": round(len(jobs) / iso, 1),
        "in_process_files_per_second": round(len(jobs) / inp, 1),
        "isolation_overhead_ratio": round(iso / inp, 3),
        "goal_ratio": GOAL,
        "meets_goal": iso / inp <= GOAL,
        "worker_cold_start_seconds": round(cold, 3),
    }
    print(f"verify over {len(jobs)} files ({size / 1e6:.1f} MB), trust 'all', "
          f"median of {args.rounds} rounds")  # fmt: skip
    print(f"  in-process : {result['in_process_files_per_second']:7.1f} files/s")
    print(f"  isolated   : {result['isolated_files_per_second']:7.1f} files/s (warm worker)")
    print(f"  overhead   : {result['isolation_overhead_ratio']:.3f}x (goal <= {GOAL}x) "
          f"{'OK' if result['meets_goal'] else 'MISSED'}")  # fmt: skip
    print(f"  worker cold start (first file): {cold:.3f} s")
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"  written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
