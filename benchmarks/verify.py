"""Benchmark `verify`: against a plain c2pa-python loop over the same files (issue 24), and
isolated vs in-process reading.

All modes run in one process, same files, same trust setting (`all`), alternating rounds so
the disk cache and CPU frequency treat them alike:

- `sdk`: a plain SDK loop, one `c2pa.Reader` per file (with its sidecar and fragments, the
  same bytes `verify` reads) under one offline Context holding every shipped list's anchors,
  reading the manifest store JSON and the validation state. What a script would do.
- `verify`: `services.verify.verify_paths` as `critique-app verify` runs it (warm isolated
  workers, one a core up to 4, full reports: SHA-256, per-list verdict, metadata, trust
  files). On a machine with a spare core its speed ratio comes from reading files side by
  side, which the plain loop does not; its CPU ratio does not (session 12).
- `in-process`: the same reports read in this process (no isolation).
- `floor`: the SDK loop doing the reading a report needs beyond the verdict, in this process,
  with nothing else: the file's SHA-256 and its plain metadata (the certificates' details
  come from the signature the one read fetches anyway, no longer from crJSON: session 11).
  The SDK loop's CPU over the floor's is the best CPU ratio `verify` could reach while its
  report holds these (issue 24's 0.8x); `--crjson` adds crJSON back, session 10's floor.

Goals: verify at >= 0.8x the speed of the SDK loop (issue 24); isolation costs at most 1.3x
in-process reading. Prints the figures and writes benchmarks/results/verify.json.

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

import c2pa  # noqa: E402
import psutil  # noqa: E402

from critique_app.provenance.examine import _hash  # noqa: E402
from critique_app.provenance.formats import detect_format, mime_for  # noqa: E402
from critique_app.provenance.isolation import IsolatedReader  # noqa: E402
from critique_app.provenance.metadata import read_metadata  # noqa: E402
from critique_app.provenance.reader_pool import ReaderPool, workers_for  # noqa: E402
from critique_app.provenance.trust import lists_for  # noqa: E402
from critique_app.services.verify import collect, verify_file, verify_paths  # noqa: E402

GOAL = 1.3  # isolated / in-process, at most
SDK_GOAL = 0.8  # verify's speed / the SDK loop's speed, at least


def sdk_context() -> c2pa.Context:
    """One Context with every list `all` uses, offline: the plain loop's fair set-up."""
    lists = lists_for("all", "none")
    trust = {
        "trust_anchors": "\n".join(t.anchors for t in lists if t.anchors),
        "allowed_list": "\n".join(t.allowed for t in lists if t.allowed),
    }
    settings = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
                "trust": {k: v for k, v in trust.items() if v}}  # fmt: skip
    return c2pa.Context(settings=c2pa.Settings.from_dict(settings))


def cpu_now(pids: tuple[int, ...] | list[int] = ()) -> float:
    """CPU seconds used so far by this process and the given workers: on a busy machine the
    ratio of CPU times is steadier than that of wall times."""
    used = time.process_time()
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            used += times.user + times.system
        except psutil.Error:
            pass
    return used


def worker_memory(pids: list[int]) -> list[float]:
    """Each worker's resident memory, MB."""
    sizes = []
    for pid in pids:
        try:
            sizes.append(round(psutil.Process(pid).memory_info().rss / 1e6, 1))
        except psutil.Error:
            pass
    return sizes


def sdk_pass(
    jobs: list,
    ctx: c2pa.Context,
    cpu: list[float] | None = None,
    floor: bool = False,
    crjson: bool = False,
) -> float:
    """The plain loop: each file read once, its JSON and state taken, errors caught; with
    `floor`, also its SHA-256 and plain metadata (what a report reads beyond that), and its
    crJSON with `crjson`."""
    cpu_start = cpu_now()
    start = time.perf_counter()
    for job in jobs:
        if floor:
            _digest, _size, data = _hash(str(job.path))
            read_metadata(str(job.path), detect_format(job.path), data)
        mime = mime_for(detect_format(job.path)) or "application/octet-stream"
        side = job.sidecar.read_bytes() if job.sidecar else None
        try:
            with open(job.path, "rb") as fh:
                reader = c2pa.Reader(mime, fh, side, ctx)
                try:
                    for frag in job.fragments:
                        with open(job.path, "rb") as init, open(frag, "rb") as fr:
                            reader.with_fragment(mime, init, fr)
                    json.loads(reader.json())
                    reader.get_validation_state()
                    if crjson:
                        json.loads(reader.crjson())
                finally:
                    reader.close()
        except c2pa.C2paError:
            pass
    took = time.perf_counter() - start
    if cpu is not None:
        cpu.append(cpu_now() - cpu_start)
    return took


def verify_pass(paths: list[Path], pool: ReaderPool, cpu: list[float] | None = None) -> float:
    cpu_start = cpu_now(pool.pids)
    start = time.perf_counter()
    verify_paths(paths, "all", reader=pool)
    took = time.perf_counter() - start
    if cpu is not None:
        cpu.append(cpu_now(pool.pids) - cpu_start)
    return took


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
    parser.add_argument("--crjson", action="store_true", help="the floor reads crJSON too")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "verify.json")
    args = parser.parse_args()
    jobs = [j for j in collect([args.folder]) if j.path.parent.name != "trust"]
    if args.quick:
        jobs, args.rounds = jobs[:6], 1
    if not jobs:
        print(f"no media files in {args.folder}", file=sys.stderr)
        return 1
    # verify_paths pairs fragments and sidecars itself: it is given the files the jobs hold
    paths = [p for j in jobs for p in [j.path, *j.fragments, *([j.sidecar] if j.sidecar else [])]]
    size = sum(p.stat().st_size for p in paths)
    reader = IsolatedReader()
    cold_start = time.perf_counter()
    verify_file(jobs[0].path, "all", reader=reader)  # start the worker (measured separately)
    cold = time.perf_counter() - cold_start
    pool = ReaderPool(workers_for(len(paths)))
    verify_paths(paths, "all", reader=pool)  # start its workers (as cold start, apart)
    ctx = sdk_context()
    one_pass(jobs, False, None)  # warm caches and the in-process contexts
    sdk_pass(jobs, ctx)
    isolated_times, inproc_times, sdk_times, verify_times = [], [], [], []
    sdk_cpu: list[float] = []
    verify_cpu: list[float] = []
    floor_cpu: list[float] = []
    try:
        for _ in range(args.rounds):
            sdk_times.append(sdk_pass(jobs, ctx, sdk_cpu))
            sdk_pass(jobs, ctx, floor_cpu, floor=True, crjson=args.crjson)
            verify_times.append(verify_pass(paths, pool, verify_cpu))
            inproc_times.append(one_pass(jobs, False, None))
            isolated_times.append(one_pass(jobs, True, reader))
        memory = worker_memory(pool.pids)
    finally:
        reader.close()
        pool.close()
    iso, inp = statistics.median(isolated_times), statistics.median(inproc_times)
    sdk, ver = statistics.median(sdk_times), statistics.median(verify_times)
    speed_ratio = sdk / ver  # verify's files per second over the SDK loop's
    cpu_sdk, cpu_ver = statistics.median(sdk_cpu), statistics.median(verify_cpu)
    cpu_floor = statistics.median(floor_cpu)
    result = {
        "quick": args.quick,
        "files": len(jobs),
        "bytes": size,
        "rounds": args.rounds,
        "trust": "all",
        "sdk_loop_seconds_median": round(sdk, 4),
        "verify_seconds_median": round(ver, 4),
        "sdk_loop_seconds": [round(t, 4) for t in sdk_times],
        "verify_seconds": [round(t, 4) for t in verify_times],
        "verify_vs_sdk_speed_ratio": round(speed_ratio, 3),
        "sdk_loop_cpu_seconds_median": round(cpu_sdk, 4),
        "verify_cpu_seconds_median": round(cpu_ver, 4),
        "verify_vs_sdk_cpu_ratio": round(cpu_sdk / cpu_ver, 3) if cpu_ver else None,
        "floor_cpu_seconds_median": round(cpu_floor, 4),
        "floor_reads_crjson": args.crjson,
        "best_cpu_ratio_with_this_report": round(cpu_sdk / cpu_floor, 3) if cpu_floor else None,
        "verify_vs_floor_cpu_ratio": round(cpu_floor / cpu_ver, 3) if cpu_ver else None,
        "sdk_goal_ratio": SDK_GOAL,
        "meets_sdk_goal": speed_ratio >= SDK_GOAL,
        "isolated_seconds_median": round(iso, 4),
        "in_process_seconds_median": round(inp, 4),
        "isolated_files_per_second": round(len(jobs) / iso, 1),
        "in_process_files_per_second": round(len(jobs) / inp, 1),
        "isolation_overhead_ratio": round(iso / inp, 3),
        "goal_ratio": GOAL,
        "meets_goal": iso / inp <= GOAL,
        "worker_cold_start_seconds": round(cold, 3),
        "verify_workers": len(pool.readers),
        "worker_memory_mb": memory,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"verify over {len(jobs)} files ({size / 1e6:.1f} MB), trust 'all', "
          f"median of {args.rounds} rounds")  # fmt: skip
    print(f"  plain SDK loop : {sdk:7.3f} s  ({len(jobs) / sdk:6.1f} files/s)")
    print(f"  verify         : {ver:7.3f} s  ({len(jobs) / ver:6.1f} files/s, "
          f"{len(pool.readers)} warm workers of {', '.join(map(str, memory))} MB)")  # fmt: skip
    print(f"  verify / SDK speed: {speed_ratio:.3f}x (goal >= {SDK_GOAL}x) "
          f"{'OK' if result['meets_sdk_goal'] else 'MISSED'}")  # fmt: skip
    print(f"  CPU seconds: SDK loop {cpu_sdk:.3f}, verify {cpu_ver:.3f} (parent + worker): "
          f"{result['verify_vs_sdk_cpu_ratio']}x")  # fmt: skip
    what = "crJSON + SHA-256 + metadata" if args.crjson else "SHA-256 + metadata"
    print(f"  CPU floor (SDK loop + {what}, in process): {cpu_floor:.3f}: "
          f"the best CPU ratio with this report {result['best_cpu_ratio_with_this_report']}x, "
          f"verify at {result['verify_vs_floor_cpu_ratio']}x of it")  # fmt: skip
    print(f"  in-process : {result['in_process_files_per_second']:7.1f} files/s")
    print(f"  isolated   : {result['isolated_files_per_second']:7.1f} files/s (warm worker)")
    print(f"  overhead   : {result['isolation_overhead_ratio']:.3f}x (goal <= {GOAL}x) "
          f"{'OK' if result['meets_goal'] else 'MISSED'}")  # fmt: skip
    print(f"  worker cold start (first file): {cold:.3f} s; load {result['load_average']}")
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"  written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
