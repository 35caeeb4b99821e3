"""Shot cuts: the app's detector against PySceneDetect's ContentDetector, same clips, one run.

Generated 640x360 clips with known hard cuts: calm pans; fast pans with one-frame flashes
(which are not cuts); short shots. For each detector: precision and recall against the
known cuts (a cut found within +-1 frame counts), agreement between the two detectors, and
speed (frames per second of the whole detection, decoding included). The app's figures include
the transitions' kinds (media/transitions.py): the share of its time they take, and the gradual
transitions they report on clips that have none (pans and flashes must not become morphs).
Prints and writes benchmarks/results/shots.json.

    .venv/bin/python benchmarks/shots.py [--quick] [--out FILE.json]

`--quick` (three clips of 3-4 shots at 320x180, in a temporary folder) only shows that it still
runs and writes its JSON, in a few seconds; its figures mean nothing. Without PySceneDetect
(the `bench` extra) a quick run reports the app alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from critique_app.services import fingerprinting  # noqa: E402
from critique_app.services.fingerprinting import detect_shots  # noqa: E402
from tests.fingerprint import material  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
SIZE = (640, 360)


def clip(
    name: str,
    seed: int,
    shots: int,
    speed: float,
    flashes: int,
    size: tuple[int, int] = SIZE,
    folder: Path = RESULTS,
) -> tuple[Path, list[int]]:
    """A clip and its true cuts (first frame of every shot after the first)."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(8, 60, shots).tolist()
    frames: list[np.ndarray] = []
    for n, length in enumerate(lengths):
        frames += list(material.shot_frames(seed * 100 + n, length, size, speed=speed))
    for at in rng.choice(np.arange(5, len(frames) - 5), flashes, replace=False):
        frames[at] = np.clip(frames[at].astype(np.int16) + 90, 0, 255).astype(np.uint8)
    cuts = np.cumsum(lengths)[:-1].tolist()
    path = folder / f"shots_{name}.mp4"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        material.write_clip(path, frames)
    return path, cuts


def scenedetect_cuts(path: Path) -> list[int]:
    from scenedetect import ContentDetector, detect

    scenes = detect(str(path), ContentDetector())
    return [start.frame_num for start, _ in scenes[1:]]


def score(found: list[int], truth: list[int], tolerance: int = 1) -> dict:
    hits = sum(1 for t in truth if any(abs(f - t) <= tolerance for f in found))
    right = sum(1 for f in found if any(abs(f - t) <= tolerance for t in truth))
    return {
        "found": len(found),
        "precision": round(right / len(found), 3) if found else 1.0,
        "recall": round(hits / len(truth), 3) if truth else 1.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three tiny clips")
    parser.add_argument("--out", type=Path, default=RESULTS / "shots.json")
    args = parser.parse_args()
    if not args.quick:
        clips = {
            "calm": clip("calm", 1, 20, 1.0, 0),
            "fast_pans_flashes": clip("fast", 2, 20, 6.0, 4),
            "short_shots": clip("short", 3, 40, 2.0, 2),
        }
        return run(args, clips, scenedetect_cuts)
    try:
        import scenedetect  # noqa: F401
    except ImportError:
        theirs = None  # the bench extra is not installed: the app alone
    else:
        theirs = scenedetect_cuts
    with tempfile.TemporaryDirectory(prefix="shots-quick-") as tmp:
        small, folder = (320, 180), Path(tmp)
        clips = {
            "calm": clip("calm", 1, 3, 1.0, 0, small, folder),
            "fast_pans_flashes": clip("fast", 2, 3, 6.0, 1, small, folder),
            "short_shots": clip("short", 3, 4, 2.0, 1, small, folder),
        }
        return run(args, clips, theirs)


class _Timed:
    """Times every call of the transitions' step inside `detect_shots` (same run, same clip)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.step = fingerprinting.find_transitions

    def __call__(self, *args: object) -> object:
        t = time.perf_counter()
        try:
            return self.step(*args)  # type: ignore[arg-type]
        finally:
            self.seconds += time.perf_counter() - t


def run(args: argparse.Namespace, clips: dict, peer: Callable[[Path], list[int]] | None) -> int:
    timed = _Timed()
    fingerprinting.find_transitions = timed  # type: ignore[assignment]
    measured = peer is not None
    if peer is None:
        print("PySceneDetect is not installed: the app alone", file=sys.stderr)
        peer = lambda path: []  # noqa: E731
    result: dict = {"quick": args.quick, "scenedetect_measured": measured, "clips": {}}
    totals = {"app": [0.0, 0], "scenedetect": [0.0, 0]}
    for name, (path, truth) in clips.items():
        timed.seconds = 0.0
        t = time.perf_counter()
        shots = detect_shots(path)
        app_seconds = time.perf_counter() - t
        kinds_seconds = timed.seconds
        t = time.perf_counter()
        theirs = peer(path)
        sd_seconds = max(time.perf_counter() - t, 1e-9)
        frames = shots.frame_count
        totals["app"][0] += app_seconds
        totals["scenedetect"][0] += sd_seconds
        totals["app"][1] += frames
        totals["scenedetect"][1] += frames
        entry: dict[str, Any] = {
            "frames": frames,
            "true_cuts": len(truth),
            "app": {**score(shots.cuts, truth), "fps": round(frames / app_seconds, 1)},
            "scenedetect": {**score(theirs, truth), "fps": round(frames / sd_seconds, 1)},
            "agreement": score(shots.cuts, theirs),  # app's cuts measured against ContentDetector's
            # the kinds' step as a share of the whole detection (issue 25: at most 15 %)
            "transition_kinds_share": round(kinds_seconds / app_seconds, 4),
            "gradual_transitions_found": sum(1 for t in shots.transitions if t.kind != "cut"),
        }
        result["clips"][name] = entry
        print(
            f"{name:>18}: {len(truth)} cuts | app P={entry['app']['precision']} "
            f"R={entry['app']['recall']} {entry['app']['fps']} fps | ContentDetector "
            f"P={entry['scenedetect']['precision']} R={entry['scenedetect']['recall']} "
            f"{entry['scenedetect']['fps']} fps | agreement P={entry['agreement']['precision']} "
            f"R={entry['agreement']['recall']} | kinds {100 * entry['transition_kinds_share']:.1f}% "
            f"of the app's time, {entry['gradual_transitions_found']} gradual found (none true)"
        )
    result["fps_overall"] = {k: round(v[1] / v[0], 1) for k, v in totals.items()}
    result["app_speed_vs_scenedetect"] = round(
        result["fps_overall"]["app"] / result["fps_overall"]["scenedetect"], 2
    )
    print(
        f"overall: app {result['fps_overall']['app']} fps, ContentDetector "
        f"{result['fps_overall']['scenedetect']} fps ({result['app_speed_vs_scenedetect']}x)"
    )
    if not measured:  # nothing of the peer's may pass for a figure
        for entry in result["clips"].values():
            entry["scenedetect"] = entry["agreement"] = "not measured: PySceneDetect missing"
        result["fps_overall"].pop("scenedetect")
        result["app_speed_vs_scenedetect"] = None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
