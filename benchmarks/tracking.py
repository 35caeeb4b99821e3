"""Regions that follow the picture (critique_app.media.tracking): frames per second following a
box through a 720p passage, against a plain decode of the same frames in the same run.

A generated film (tests/decor_clips.py): a textured 80-pixel square crossing a panning textured
set. Figures: seconds and frames per second of a plain PyAV decode (threads AUTO, no
conversion), of tracking forward over the whole passage and backward over it (decode to grey
at most 640 px wide, Lucas-Kanade there and back, median flow), their ratios to the decode, and
the largest distance (film pixels) between a tracked box's centre and the square's true centre.
Issue 25 asks for at least 10 frames per second at 720p. Prints and writes
benchmarks/results/tracking.json.

    .venv/bin/python benchmarks/tracking.py [--quick] [--out FILE.json]

`--quick` (640x360, 12 frames, in a temporary folder) only shows that it still runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.instability import plain_decode  # noqa: E402
from critique_app.media.tracking import METHOD, TrackedPath, track_box  # noqa: E402
from tests.decor_clips import Box, centre_error, make_decor_clip  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"


def worst_error(path: TrackedPath, truth: dict[int, Box]) -> float:
    return max(centre_error((b.x, b.y, b.width, b.height), truth[b.frame]) for b in path.boxes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS / "tracking.json")
    args = parser.parse_args()
    size, frames, motion = ((640, 360), 12, (4, 2)) if args.quick else ((1280, 720), 120, (8, 3))
    folder = Path(tempfile.mkdtemp(prefix="tracking-")) if args.quick else RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    clip = make_decor_clip(
        folder / f"tracking_{size[0]}x{size[1]}_{frames}.mp4",
        frames=frames,
        size=size,
        mover=motion,
    )
    last = frames - 1

    t0 = time.perf_counter()
    decoded = plain_decode(clip.path)
    decode_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    forward = track_box(clip.path, 0, clip.mover[0], last)
    forward_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    backward = track_box(clip.path, last, clip.mover[last], 0)
    backward_s = time.perf_counter() - t0

    report = {
        "film": f"{size[0]}x{size[1]}, {frames} frames, libx264 crf 18, an 80 px square moving "
        f"{motion[0]} px right {motion[1]} px down a frame over a set panning 3 px left 1 px up",
        "method": METHOD,
        "plain_decode_seconds": round(decode_s, 3),
        "plain_decode_fps": round(decoded / decode_s, 1),
        "forward_seconds": round(forward_s, 3),
        "forward_fps": round(len(forward.boxes) / forward_s, 1),
        "forward_over_decode": round(forward_s / decode_s, 2),
        "backward_seconds": round(backward_s, 3),
        "backward_fps": round(len(backward.boxes) / backward_s, 1),
        "backward_over_decode": round(backward_s / decode_s, 2),
        "forward_worst_centre_error_px": round(worst_error(forward, clip.mover), 2),
        "backward_worst_centre_error_px": round(worst_error(backward, clip.mover), 2),
        "forward_min_confidence": round(min(b.confidence for b in forward.boxes), 3),
        "backward_min_confidence": round(min(b.confidence for b in backward.boxes), 3),
        "quick": args.quick,
    }
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
