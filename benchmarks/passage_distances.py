"""Why is a passage missed? Per film frame of one passage of a `robustness.py` film: is the
frame usable (its contrast), and how far is each picture the app hashes (whole, centre,
inset, panels; plain and mirrored) from the library frames it shows (the frame itself and
every stored variant, the best of the frames within 2 of it), next to what the matcher found.

    nice -n 19 .venv/bin/python benchmarks/passage_distances.py \
        benchmarks/results/robustness-9x16-4x5-split --film 0 --source 10 [--every 12]

`--source` is the source's index (the item id minus one: `film-N.json`'s "source"); the
films and sources are those `robustness.py` made in that folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import robustness  # noqa: E402
from benchmarks.robustness import app_hashes  # noqa: E402
from critique_app.media.fingerprint import FrameHashes, hamming  # noqa: E402
from critique_app.provenance import matching  # noqa: E402
from critique_app.provenance.reference_library import hash_reference  # noqa: E402

REACH = 2  # library frames either side of the one the benchmark says a film frame shows


def source_path(folder: Path, index: int) -> Path:
    """The source of index `index` in `folder`, in robustness.py's own order."""
    robustness.WORK = folder
    made = [p for p in folder.glob("src-*.mp4") if not p.name.startswith("src-footage")]
    return robustness.make_sources(len([p for p in made if ".part." not in p.name]))[index].path


def picture_rows(h: FrameHashes) -> dict[str, np.ndarray]:
    rows = {
        "whole": h.phash,
        "whole mirrored": h.phash_mirror,
        "centre": h.centre,
        "centre mirrored": h.centre_mirror,
        "inset": h.inset,
        "inset mirrored": h.inset_mirror,
    }
    for k in range(np.asarray(h.extra).shape[1]):
        rows[f"panel {k}"] = np.asarray(h.extra)[:, k]
    return {k: np.asarray(v, np.uint64) for k, v in rows.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--film", type=int, default=0)
    parser.add_argument("--source", type=int, help="required but with --quick")
    parser.add_argument("--every", type=int, default=12, help="print one frame in this many")
    parser.add_argument("--out", type=Path, help="the per-picture figures as JSON")
    parser.add_argument(
        "--quick", action="store_true", help="robustness.py's tiny set: its first passage"
    )
    args = parser.parse_args()
    if args.quick:
        robustness.use_quick_set()
        with tempfile.TemporaryDirectory(prefix="passage-distances-quick-") as tmp:
            robustness.WORK = args.folder = Path(tmp)
            sources = robustness.make_sources(robustness.use_quick_set())
            _path, passages = robustness.make_film(0, sources)
            args.film, args.source = 0, passages[0].source
            return diagnose(args)
    if args.folder is None or args.source is None:
        parser.error("a folder and --source are needed (see the description)")
    return diagnose(args)


def diagnose(args: argparse.Namespace) -> int:
    """The per-frame distances of one passage, printed (and written with --out)."""
    passages = json.loads((args.folder / f"film-{args.film}.json").read_text())
    passage = next(p for p in passages if p["source"] == args.source)
    src = source_path(args.folder, args.source)
    ref = hash_reference(src)
    lib = np.concatenate([ref.hashes[None], np.asarray(ref.variants)])  # (1 + K) x N
    h = app_hashes(args.folder / f"film-{args.film}.mp4")
    rows = picture_rows(h)
    print(f"film {args.film}, passage {passage['start']}-{passage['end']} ({passage['detail']}),")
    print(f"source {src.name}: {len(ref.hashes)} frames, {len(lib) - 1} variants each")
    frames = np.arange(passage["start"], passage["end"] + 1)
    shown = np.asarray(passage["source_frames"])
    usable = matching.usable_frames(h.contrast[frames])
    best: dict[str, np.ndarray] = {}
    for name, row in rows.items():
        d = np.full(len(frames), 64)
        for i, (f, s) in enumerate(zip(frames, shown, strict=True)):
            if row[f] == 0:
                continue
            near = lib[:, max(0, s - REACH) : s + REACH + 1]
            d[i] = int(hamming(row[f], near).min())
        best[name] = d
    names = [n for n in rows if (best[n] < 64).any()]
    print("frame  shows  contrast  " + "  ".join(f"{n:>15}" for n in names))
    for i in range(0, len(frames), args.every):
        flag = "" if usable[i] else "  (flat/dark)"
        cells = "  ".join(f"{best[n][i]:>15}" for n in names)
        print(f"{frames[i]:>5}  {shown[i]:>5}  {h.contrast[frames[i]]:>8.1f}  {cells}{flag}")
    print(f"usable: {int(usable.sum())} of {len(frames)} frames")
    figures: dict[str, object] = {"film": args.film, "source": args.source,
                                  "usable": int(usable.sum()), "frames": len(frames)}  # fmt: skip
    for n in names:
        d = best[n][usable]
        if len(d):
            print(
                f"  {n:>15}: median {np.median(d):.0f}, within {matching.MEDIAN_THRESHOLD}: "
                f"{int((d <= matching.MEDIAN_THRESHOLD).sum())}, within "
                f"{matching.FRAME_THRESHOLD}: {int((d <= matching.FRAME_THRESHOLD).sum())}"
            )
    library = matching.ReferenceLibrary(
        [matching.ReferenceItem(args.source + 1, src.name, ref.hashes, ref.rate, ref.variants)]
    )
    segs = matching.find_segments(
        h.phash[frames], h.phash_mirror[frames], h.contrast[frames], library,
        inset=h.inset[frames], inset_mirror=h.inset_mirror[frames], centre=h.centre[frames],
        centre_mirror=h.centre_mirror[frames], extra=np.asarray(h.extra)[frames],
    )  # fmt: skip
    print(f"segments found in the passage against this item alone: {len(segs)}")
    for s in segs:
        print(f"  {s}")
    if args.out:
        figures["medians"] = {n: float(np.median(best[n][usable])) for n in names if usable.any()}
        figures["segments"] = len(segs)
        args.out.write_text(json.dumps(figures, indent=1))
        print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
