"""Storing a long film's fingerprints: every flush of a pass, against a plain append, one run.

A fingerprint pass stores its work every few seconds (services/fingerprinting.FLUSH_SECONDS).
This replays the flushes of a 10-hour film at 24 fps (864,000 frames) into a real project
file (`append_fingerprints`, then the checkpoint a project's close makes, counted), against
a plain append of the values the pass produces, as the pass holds them (8 bytes a hash, 4 a
measure, zeros included: 104 bytes a frame), not the app's encoding of them: to a file, flush
by flush (write + fsync, the durability of a SQLite commit), and as bare rows in an SQLite
table (a commit a flush, its final checkpoint counted). With `--old` it also replays the
earlier layout (one BLOB per kind grown by `hashes || ?`) for comparison. Then it reads the
film's fingerprints back and checks them.

The values: random hashes (nothing compresses them) and measures. By default a film without
a picture inside the picture or a split screen (the usual case: the pass produces 0 for
those kinds on every frame, and the app stores such a chunk as nothing); `--every-kind` gives
every frame an inset and panels, the worst case for the app (every hash kind 8 bytes wide).

Runs are interleaved (the app, the file, the rows; `--repeats` times, each in a fresh folder)
and the best total of each is compared. Goal: the whole pass's flushes within 2x the plain
append of the same bytes; the last tenth of the flushes costs about what the first did
(linear, not quadratic).

    .venv/bin/python benchmarks/fingerprint_flushes.py [--hours 10] [--frames-per-flush 6000]
        [--repeats 3] [--every-kind] [--old] [--quick] [--out F]

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


# The kinds a pass gives 0 on frames that show no such picture (an inset, a split screen).
ABSENT_UNLESS_SHOWN = ("inset", "inset_mirror", *store.EXTRA_KINDS)


def flushes(frames: int, per_flush: int, every_kind: bool) -> list[dict[str, np.ndarray]]:
    """The values each flush hands to the store, in the pass's own types (random hashes:
    nothing compresses them; 0 for the kinds of picture the film does not show)."""
    rng = np.random.default_rng(26)
    out = []
    for start in range(0, frames, per_flush):
        n = min(per_flush, frames - start)
        values = {
            k: rng.integers(0, 2**63, n, dtype=np.int64).view(np.uint64)
            if every_kind or k not in ABSENT_UNLESS_SHOWN
            else np.zeros(n, np.uint64)
            for k in store.HASH_KINDS
        }
        values["contrast"] = rng.uniform(0, 80, n).astype(np.float32)
        values["frame_diff"] = rng.uniform(0, 40, n).astype(np.float32)
        out.append(values)
    return out


def _raw(values: dict[str, np.ndarray]) -> list[bytes]:
    """The values a flush holds, one string of bytes per kind, as the pass produced them."""
    return [np.ascontiguousarray(values[kind]).tobytes() for kind in store.KINDS]


def _old_blobs(values: dict[str, np.ndarray]) -> list[bytes]:
    """What the layout before schema 7 stored: every value as 8 bytes."""
    out = []
    for kind in store.KINDS:
        data = values[kind]
        if kind in store.MEASURE_KINDS:
            data = np.round(np.asarray(data, np.float64) * store.MEASURE_KINDS[kind])
        out.append(store.to_blob(np.asarray(data).astype(np.uint64)))
    return out


# Each flush's seconds, and the final checkpoint's (0 for the plain file: nothing to fold in).
Timed = tuple[list[float], float]


def app_with_file(folder: Path, batches: list[dict[str, np.ndarray]]) -> tuple[Timed, Path]:
    """What a pass's flushes cost in a project file, then the checkpoint of its close."""
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
        checkpoint = _final_checkpoint(db.conn)
    return (times, checkpoint), path


def _final_checkpoint(conn: sqlite3.Connection) -> float:
    """What is left in the WAL folded into the file, as a project's close does; its seconds."""
    t = time.perf_counter()
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return time.perf_counter() - t


def app(folder: Path, batches: list[dict[str, np.ndarray]]) -> Timed:
    return app_with_file(folder, batches)[0]


def plain_file(folder: Path, batches: list[list[bytes]]) -> Timed:
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
    return times, 0.0


def _sqlite(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # as a project is opened
    return conn


def plain_rows(folder: Path, batches: list[list[bytes]]) -> Timed:
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
    checkpoint = _final_checkpoint(conn)
    conn.close()
    return times, checkpoint


def old_layout(folder: Path, batches: list[list[bytes]]) -> Timed:
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
    checkpoint = _final_checkpoint(conn)
    conn.close()
    return times, checkpoint


def _read_back_equal(prints: store.FilmFingerprints, batches: list[dict[str, np.ndarray]]) -> bool:
    """Every kind read back as the pass handed it over (measures to their stored precision)."""
    for kind in store.KINDS:
        expected = np.concatenate([b[kind] for b in batches])
        if kind in store.MEASURE_KINDS:  # fixed point: half a step either way, and float32's
            step = 1 / store.MEASURE_KINDS[kind]
            if not np.allclose(getattr(prints, kind), expected, rtol=1e-6, atol=0.51 * step):
                return False
            continue
        if kind in store.EXTRA_KINDS:
            got = prints.extra[:, store.EXTRA_KINDS.index(kind)]
        else:
            got = getattr(prints, kind)
        if not np.array_equal(got, expected):
            return False
    return True


def _summary(timed: Timed) -> dict:
    """The total counts the final checkpoint; the tenths compare flushes only."""
    times, checkpoint = timed
    tenth = max(1, len(times) // 10)
    return {
        "total_s": round(sum(times) + checkpoint, 3),
        "final_checkpoint_ms": round(1e3 * checkpoint, 3),
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
    parser.add_argument(
        "--every-kind", action="store_true", help="every frame shows an inset and panels"
    )
    parser.add_argument("--old", action="store_true", help="also replay the old layout (slow)")
    parser.add_argument("--quick", action="store_true", help="two minutes of film")
    parser.add_argument("--out", type=Path, default=RESULTS / "fingerprint_flushes.json")
    args = parser.parse_args()
    frames = int(args.hours * 3600 * RATE) if not args.quick else 120 * RATE
    per_flush = args.frames_per_flush if not args.quick else 300
    batches = flushes(frames, per_flush, args.every_kind)
    blobs = [_raw(b) for b in batches]
    megabytes = sum(len(b) for bs in blobs for b in bs) / 1e6
    print(
        f"{frames:,} frames in {len(batches)} flushes of {per_flush} frames, {megabytes:.1f} MB "
        + ("(every kind shown)" if args.every_kind else "(no inset, no split screen)")
    )
    runs: dict[str, Callable[[Path], Timed]] = {
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
        "every_kind": args.every_kind,
        "megabytes": round(megabytes, 1),
    }
    repeats = 1 if args.quick else args.repeats
    totals: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):  # interleaved, each in a fresh folder; the best run of each kept
        for name, run in runs.items():
            with tempfile.TemporaryDirectory(prefix="fingerprint-flushes-") as tmp:
                summary = _summary(run(Path(tmp)))
            totals[name].append(summary["total_s"])
            if name not in result or summary["total_s"] < result[name]["total_s"]:
                result[name] = summary
            print(f"  {name:<13} {json.dumps(summary)}", flush=True)
    result["totals_all_runs_s"] = totals
    if args.old:  # once: it takes about a minute
        with tempfile.TemporaryDirectory(prefix="fingerprint-flushes-") as tmp:
            result["old_layout"] = _summary(old_layout(Path(tmp), [_old_blobs(b) for b in batches]))
        print(f"  {'old_layout':<13} {json.dumps(result['old_layout'])}", flush=True)
    with tempfile.TemporaryDirectory(prefix="fingerprint-flushes-") as tmp:
        _times, project = app_with_file(Path(tmp), batches)
        with open_project(project, check_limit=0) as opened:
            stored = opened.db.execute("SELECT sum(length(hashes)) FROM fingerprint_chunks")
            result["app_megabytes"] = round(stored.fetchone()[0] / 1e6, 1)
            t = time.perf_counter()
            prints = store.load_fingerprints(opened.db, 1)
            result["load_s"] = round(time.perf_counter() - t, 3)
        assert prints is not None and prints.frame_count == frames
        result["read_back_equal"] = _read_back_equal(prints, batches)
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
        f"{result['read_back_equal']}; the app stored {result['app_megabytes']} MB of the pass's "
        f"{result['megabytes']}"
        + (f"; old layout / plain file = {result['old_vs_plain_file']}" if args.old else "")
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
