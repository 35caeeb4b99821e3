"""The décor lens (critique_app.media.instability): its cost against a plain decode of the same
1080p passage, in the same run, and what it finds on films with a known truth.

Two generated films (tests/decor_clips.py): a camera pan over a still set, and the same pan with
a patch whose texture re-samples itself on every frame. Figures: seconds and frames per second
of a plain PyAV decode (threads AUTO, no conversion) and of the lens (decode to 480 px grey,
DIS flow, warp, regions, heat), their ratio (issue 25 asks <= 3); on the boiling film the IoU of
the hottest region with the patch on every frame; on the pan, the hot regions found (0 wanted).
Prints and writes benchmarks/results/instability.json.

    .venv/bin/python benchmarks/instability.py [--quick] [--out FILE.json]

`--quick` (320x180, 12 frames, in a temporary folder) only shows that it still runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import av

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from critique_app.media.instability import measure_instability  # noqa: E402
from tests.decor_clips import make_decor_clip  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"


def plain_decode(path: Path) -> int:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        return sum(1 for _frame in container.decode(stream))


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS / "instability.json")
    args = parser.parse_args()
    size, frames = ((320, 180), 12) if args.quick else ((1920, 1080), 120)
    scale = size[0] / 640
    patch = tuple(int(v * scale) for v in (300, 120, 120, 90))
    folder = Path(tempfile.mkdtemp(prefix="instability-")) if args.quick else RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"{size[0]}x{size[1]}_{frames}"
    boil = make_decor_clip(
        folder / f"instability_boil_{tag}.mp4", frames=frames, size=size, boil=patch
    )
    pan = make_decor_clip(folder / f"instability_pan_{tag}.mp4", frames=frames, size=size)

    t0 = time.perf_counter()
    decoded = plain_decode(boil.path)
    decode_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = measure_instability(boil.path, 0, frames)
    lens_s = time.perf_counter() - t0
    pan_result = measure_instability(pan.path, 0, frames)

    hottest: dict[int, tuple[int, int, int, int]] = {}
    for r in result.regions:
        hottest.setdefault(r.frame, (r.x, r.y, r.width, r.height))
    ious = [iou(hottest[f], boil.patch[f]) if f in hottest else 0.0 for f in range(1, frames)]
    report = {
        "film": f"{size[0]}x{size[1]}, {frames} frames, libx264 crf 18, pan 3 px right 1 px down",
        "plain_decode_seconds": round(decode_s, 3),
        "plain_decode_fps": round(decoded / decode_s, 1),
        "lens_seconds": round(lens_s, 3),
        "lens_fps": round(frames / lens_s, 1),
        "lens_over_decode": round(lens_s / decode_s, 2),
        "boil_min_iou": round(min(ious), 3),
        "boil_mean_iou": round(sum(ious) / len(ious), 3),
        "boil_frames_with_iou_0_5": sum(1 for v in ious if v >= 0.5),
        "frames_compared": len(ious),
        "pan_hot_regions": len(pan_result.regions),
        "pan_max_score_percent": round(max(pan_result.scores.values()), 3),
        "quick": args.quick,
    }
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
