"""Storing a long film's fingerprints: every flush of a pass, against a plain append, one run.

A fingerprint pass stores its work every few seconds (services/fingerprinting.FLUSH_SECONDS).
This replays the flushes of a 10-hour film at 24 fps (864,000 frames, every kind the app
stores, random values) into a real project file (`append_fingerprints`), then writes the
same bytes, flush by flush, as a plain append: to a file (write + fsync, the durability of
a SQLite commit) and as bare rows in an SQLite table. With `--old` it also replays the
earlier layout (one BLOB per kind grown by `hashes || ?`) for comparison. Then it reads the
film's fingerprints back and checks them.

Runs are interleaved (the app, the file, the rows; `--repeats` times, each in a fresh folder)
and the best total of each is compared. Goal: the whole pass's flushes within 2x the plain
append of the same bytes; the last tenth of the flushes costs about what the first did
(linear, not quadratic).

    .venv/bin/python benchmarks/fingerprint_flushes.py [--hours 10] [--frames-per-flush 6000]
        [--repeats 3] [--old] [--quick] [--out F]

`--quick` (two minutes of film, in a temporary folder) only shows that it still runs and
writes its JSON; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from db import fingerprint_store as store  # noqa: E402
from db.project import open_project  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
RATE = 24


def flushes(frames: int, per_flush: int) -> list[dict[str, np.ndarray]]:
    """The values each flush hands to the store (random: nothing compresses them)."""
    rng = np.random.default_rng(26)
    out = []
    for start in range(0, frames, per_flush):
        n = min(per_flush, frames - start)
        values = {
            k: rng.integers(0, 2**63, n, dtype=np.int64).view(np.uint64) for k in store.HASH_KINDS
        }
        values["contrast"] = rng.uniform(0, 80, n).astype(np.float32)
        values["frame_diff"] = rng.uniform(0, 40, n).astype(np.float32)
        out.append(values)
    return out


def _blobs(values: dict[str, np.ndarray]) -> list[bytes]:
    """The bytes a flush stores, one BLOB per kind, as the store encodes them."""
    out = []
    for kind in store.KINDS:
        data = values[kind]
        if kind in store.MEASURE_KINDS:
            data = np.round(np.asarray(data, np.float64) * store.MEASURE_KINDS[kind])
        out.append(store.to_blob(np.asarray(data).astype(np.uint64)))
    return out


def app_with_file(folder: Path, batches: list[dict[str, np.ndarray]]) -> tuple[list[float], Path]:
    """What a pass's flushes cost in a project file; returns each flush's seconds."""
    path = folder / "app.critique"
    times = []
    with open_project(path, default_vocabulary=False) as project:
        db = project.db
        db.execute(
            "INSERT INTO films (id, title, path, sha256, size, rate_num, rate_den, frame_count, "
            "added_at) VALUES (1, 'long', '/long.mp4', 'x', 1, ?, 1, ?, 'now')",
            [RATE, sum(len(b["phash"]) for b in batches)],
        )
        store.start_fingerprints(db, 1, crop=None)
        done = 0
        for values in batches:
            t = time.perf_counter()
            done = store.append_fingerprints(db, 1, done, values)
            times.append(time.perf_counter() - t)
    return times, path


def app(folder: Path, batches: list[dict[str, np.ndarray]]) -> list[float]:
    return app_with_file(folder, batches)[0]


def plain_file(folder: Path, batches: list[list[bytes]]) -> list[float]:
    """The same bytes appended to one file, each flush made durable (fsync) like a commit."""
    times = []
    with open(folder / "plain.bin", "ab") as f:
        for blobs in batches:
            t = time.perf_counter()
            for blob in blobs:
                f.write(blob)
            f.flush()
            os.fsync(f.fileno())
            times.append(time.perf_counter() - t)
    return times


def _sqlite(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # as a project is opened
    return conn


def plain_rows(folder: Path, batches: list[list[bytes]]) -> list[float]:
    """The same bytes as bare rows in an SQLite file: one INSERT per BLOB, a commit a flush."""
    conn = _sqlite(folder / "plain.sqlite")
    conn.execute("CREATE TABLE t (k INTEGER, v BLOB)")
    times = []
    for blobs in batches:
        t = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(blobs)))
        conn.execute("COMMIT")
        times.append(time.perf_counter() - t)
    conn.close()
    return times


def old_layout(folder: Path, batches: list[list[bytes]]) -> list[float]:
    """The layout before schema 7: one BLOB per kind, grown in SQL by concatenation."""
    conn = _sqlite(folder / "old.sqlite")
    conn.execute(
        "CREATE TABLE fingerprints (kind TEXT PRIMARY KEY, frame_count INTEGER, hashes BLOB)"
    )
    conn.executemany("INSERT INTO fingerprints VALUES (?, 0, ?)", [(k, b"") for k in store.KINDS])
    times = []
    for blobs in batches:
        t = time.perf_counter()
        conn.execute("BEGIN")
        for kind, blob in zip(store.KINDS, blobs, strict=True):
            conn.execute(
                "UPDATE fingerprints SET hashes = CAST(hashes || ? AS BLOB), "
                "frame_count = frame_count + ? WHERE kind = ?",
                [blob, len(blob) // 8, kind],
            )
        conn.execute("COMMIT")
        times.append(time.perf_counter() - t)
    conn.close()
    return times


def _summary(times: list[float]) -> dict:
    tenth = max(1, len(times) // 10)
    return {
        "total_s": round(sum(times), 3),
        "mean_ms": round(1e3 * sum(times) / len(times), 3),
        "first_tenth_mean_ms": round(1e3 * sum(times[:tenth]) / tenth, 3),
        "last_tenth_mean_ms": round(1e3 * sum(times[-tenth:]) / tenth, 3),
        "max_ms": round(1e3 * max(times), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, default=10.0, help="length of the film")
    parser.add_argument(
        "--frames-per-flush",
        type=int,
        default=6000,
        help="frames a flush stores (3 s of a pass at 2,000 frames a second: 144 flushes)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="interleaved runs of each")
    parser.add_argument("--old", action="store_true", help="also replay the old layout (slow)")
    parser.add_argument("--quick", action="store_true", help="two minutes of film")
    parser.add_argument("--out", type=Path, default=RESULTS / "fingerprint_flushes.json")
    args = parser.parse_args()
    frames = int(args.hours * 3600 * RATE) if not args.quick else 120 * RATE
    per_flush = args.frames_per_flush if not args.quick else 300
    batches = flushes(frames, per_flush)
    blobs = [_blobs(b) for b in batches]
    megabytes = sum(len(b) for bs in blobs for b in bs) / 1e6
    print(f"{frames:,} frames in {len(batches)} flushes of {per_flush} frames, {megabytes:.1f} MB")
    runs: dict[str, Callable[[Path], list[float]]] = {
        "app": lambda d: app(d, batches),
        "plain_file": lambda d: plain_file(d, blobs),
        "plain_rows": lambda d: plain_rows(d, blobs),
    }
    result: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "load_before": os.getloadavg()[0],
        },
        "quick": args.quick,
        "frames": frames,
        "flushes": len(batches),
        "frames_per_flush": per_flush,
        "megabytes": round(megabytes, 1),
    }
    repeats = 1 if args.quick else args.repeats
    totals: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):  # interleaved, each in a fresh folder; the best run of each kept
        for name, run in runs.items():
            with tempfile.TemporaryDirectory(prefix="fingerprint-flushes-") as tmp:
                times = run(Path(tmp))
            totals[name].append(round(sum(times), 3))
            if name not in result or sum(times) < result[name]["total_s"]:
                result[name] = _summary(times)
            print(f"  {name:<13} {json.dumps(_summary(times))}", flush=True)
    result["totals_all_runs_s"] = totals
    if args.old:  # once: it takes about a minute
        with tempfile.TemporaryDirectory(prefix="fingerprint-flushes-") as tmp:
            result["old_layout"] = _summary(old_layout(Path(tmp), blobs))
        print(f"  {'old_layout':<13} {json.dumps(result['old_layout'])}", flush=True)
    with tempfile.TemporaryDirectory(prefix="fingerprint-flushes-") as tmp:
        _times, project = app_with_file(Path(tmp), batches)
        with open_project(project, check_limit=0) as opened:
            t = time.perf_counter()
            prints = store.load_fingerprints(opened.db, 1)
            result["load_s"] = round(time.perf_counter() - t, 3)
        assert prints is not None and prints.frame_count == frames
        expected = np.concatenate([b["phash"] for b in batches])
        result["read_back_equal"] = bool(np.array_equal(prints.phash, expected))
    app_s = result["app"]["total_s"]
    result["app_vs_plain_file"] = round(app_s / result["plain_file"]["total_s"], 2)
    result["app_vs_plain_rows"] = round(app_s / result["plain_rows"]["total_s"], 2)
    result["app_last_vs_first_tenth"] = round(
        result["app"]["last_tenth_mean_ms"] / result["app"]["first_tenth_mean_ms"], 2
    )
    if args.old:
        result["old_vs_plain_file"] = round(
            result["old_layout"]["total_s"] / result["plain_file"]["total_s"], 1
        )
    result["goals"] = {"app_vs_plain_file": 2.0}
    result["machine"]["load_after"] = os.getloadavg()[0]
    print(
        f"app / plain file append = {result['app_vs_plain_file']} (goal <= 2); app / bare rows = "
        f"{result['app_vs_plain_rows']}; last tenth / first tenth of the app's flushes = "
        f"{result['app_last_vs_first_tenth']}; loaded back in {result['load_s']} s, equal: "
        f"{result['read_back_equal']}"
        + (f"; old layout / plain file = {result['old_vs_plain_file']}" if args.old else "")
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
