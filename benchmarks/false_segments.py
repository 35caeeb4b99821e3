"""Where do robustness.py's false segments come from? (issue 24)

Takes the films robustness.py made (its WORK folder for the same --families and --sources:
nothing is generated when they exist), matches them as the benchmark does, and lists every
false segment: the library item, through which picture its frames were found (whole frame,
centre, inset or filmed screen, a split-screen panel; and which library picture: the frame,
a centre crop, a re-frame slice), its per-frame distances per picture, and the unrelated
footage it lies on (a real clip or a generated shot, between passages or behind one).
Recall and false segments per family are printed too, so a change can be measured before
and after on the same films.

    nice -n 19 .venv/bin/python benchmarks/false_segments.py --families 9:16,4:5,split \
        --sources 8 [--out F] [--every]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import robustness as bench  # noqa: E402
from critique_app.media.fingerprint import FrameHashes, hamming  # noqa: E402
from critique_app.provenance import matching  # noqa: E402
from critique_app.provenance.reference_library import VARIANT_NAMES  # noqa: E402

LIBRARY_PICTURES = ("frame", *VARIANT_NAMES)  # the rows of ReferenceLibrary.grid
SHOWN = 48  # per-frame distances printed per segment (all are in the JSON)


def film_pictures(h: FrameHashes, mirrored: bool) -> dict[str, np.ndarray]:
    """The film's pictures the matcher searches, by the name of the picture kind."""
    n = len(h.phash)

    def full(x: np.ndarray | None) -> np.ndarray:
        return np.asarray(x, np.uint64) if x is not None else np.zeros(n, np.uint64)

    if mirrored:
        return {
            "whole": full(h.phash_mirror),
            "inset/screen": full(h.inset_mirror),
            "centre": full(h.centre_mirror),
        }
    out = {"whole": full(h.phash), "inset/screen": full(h.inset), "centre": full(h.centre)}
    extra = np.asarray(h.extra, np.uint64) if h.extra is not None else np.zeros((n, 0), np.uint64)
    for k, name in enumerate(matching.EXTRA_PICTURES):
        if k < extra.shape[1] and name != matching.NO_MIDDLE:  # a mark, not a picture
            out[f"panel {name}"] = extra[:, k]
    return out


def per_frame(
    seg: matching.MatchSegment, h: FrameHashes, library: matching.ReferenceLibrary
) -> dict[str, dict]:
    """Per picture kind, each film frame's distance to the closest of the item frames the
    segment reports (any library picture of them), and which library picture that was."""
    grid = library.grid(seg.item_id)
    lo = max(seg.item_start - matching.ITEM_REACH // 4, 0)
    cols = grid[:, lo : seg.item_end + matching.ITEM_REACH // 4 + 1]
    frames = np.arange(seg.start, seg.end + 1)
    out = {}
    for kind, hashes in film_pictures(h, seg.variant.endswith("mirror")).items():
        q = hashes[frames]
        if not q.any():
            continue
        d = hamming(q[:, None, None], cols[None]).reshape(len(q), -1)
        best = d.argmin(axis=1)
        dist = np.where(q != 0, d[np.arange(len(q)), best], 64).astype(int)
        rows = best // cols.shape[1]
        out[kind] = {
            "distances": dist.tolist(),
            "within_threshold": int((dist <= matching.FRAME_THRESHOLD).sum()),
            "median": float(np.median(dist[q != 0])),
            "library_picture": LIBRARY_PICTURES[int(np.bincount(rows[q != 0]).argmax())],
        }
    whole, centre = out.get("whole"), out.get("centre")
    if whole and centre:
        decided = matching.decided_distances(
            np.array(whole["distances"]), np.array(centre["distances"])
        )
        out["whole as decided"] = {
            "distances": decided.tolist(),
            "median": float(np.median(decided)),
        }
    return out


def footage_at(
    family_index: int, passages: list[bench.Passage], frames: range, names: list[str]
) -> list[tuple[str, int]]:
    """The unrelated shots shown at film `frames` (with how many of those frames each):
    between passages the filler, inside a passage what its inset or panels sit on."""
    family = bench.FAMILIES[family_index]
    between, behind = bench.filler_seeds(family_index)
    size = bench.FILM_SIZES.get(family, bench.FILM_SIZE)
    sits = family == "picture-in-picture" or family.startswith("split")
    where: dict[str, int] = {}
    gap_at = behind_at = 0  # frames of each footage used before the current stretch
    at = 0
    # film start, length, what is there ("between", "behind" or a passage), its first frame
    stretches: list[tuple[int, int, str, int]] = []
    for p in passages:
        stretches.append((at, p.start - at, "between", gap_at))
        gap_at += p.start - at
        inside = f"the passage of {names[p.source]} ({p.detail})"
        stretches.append((p.start, p.end - p.start + 1, "behind" if sits else inside, behind_at))
        behind_at += p.end - p.start + 1 if sits else 0
        at = p.end + 1
    stretches.append((at, 10**9, "between", gap_at))
    for start, length, kind, first in stretches:
        lo, hi = max(frames.start, start), min(frames.stop, start + length)
        if lo >= hi:
            continue
        if kind not in ("between", "behind"):
            where[kind] = where.get(kind, 0) + hi - lo
            continue
        seed = between if kind == "between" else behind
        shots = bench.unrelated_shots(seed, size if kind == "between" else bench.FILM_SIZE)
        pos = 0
        for shot in shots:
            a, b = max(pos, first + lo - start), min(pos + shot.frames, first + hi - start)
            if b > a:
                label = f"{shot.name} (behind a passage)" if kind == "behind" else shot.name
                where[label] = where.get(label, 0) + b - a
            pos += shot.frames
            if pos >= first + hi - start:
                break
    return sorted(where.items(), key=lambda kv: -kv[1])


def off_segments(
    segments: list[matching.MatchSegment], passages: list[bench.Passage], names: list[str]
) -> list[dict]:
    """The segments found on a passage whose source frames are more than 3 frames off (as
    robustness.py scores them), with what they said and what the passage shows."""
    out = []
    for p in passages:
        for s in segments:
            if not (s.item_id == p.source + 1 and s.start <= p.end and p.start <= s.end):
                continue
            if not p.source_frames or (error := bench.frame_error(s, p)) <= 3.5:
                continue
            ends = (max(s.start, p.start) - p.start, min(s.end, p.end) - p.start)
            out.append(
                {
                    "passage": f"{p.source}:{names[p.source]} ({p.detail})",
                    "passage_frames": [p.start, p.end],
                    "film_frames": [s.start, s.end],
                    "shows": [p.source_frames[ends[0]], p.source_frames[ends[1]]],
                    "item_frames": [s.item_start, s.item_end],
                    "order": s.order,
                    "speed": s.speed,
                    "picture": s.picture,
                    "variant": s.variant,
                    "median": s.median_distance,
                    "error": error,
                }
            )
    return out


def cached_prints(path: Path) -> FrameHashes:
    """The film's hashes, kept beside it as long as the hashing code is the same."""
    code = hashlib.sha1()
    for f in sorted((REPO / "critique_app" / "media").glob("*.py")):
        code.update(f.read_bytes())
    cache = path.with_name(f"{path.stem}-prints-{code.hexdigest()[:10]}.pkl")
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # noqa: S301 (our own file)
    prints = bench.app_hashes(path)
    cache.write_bytes(pickle.dumps(prints))
    return prints


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", help="required but with --quick")
    parser.add_argument("--sources", type=int, default=8)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--every", action="store_true", help="list every segment, true or false, one a line"
    )
    parser.add_argument(
        "--quick", action="store_true", help="robustness.py's tiny set, one family, temporary"
    )
    args = parser.parse_args()
    if args.quick:
        bench.FAMILIES = bench.FAMILIES[:1]
        args.sources = bench.use_quick_set()
        with tempfile.TemporaryDirectory(prefix="false-segments-quick-") as tmp:
            bench.WORK = Path(tmp)
            return diagnose(args)
    if not args.families:
        parser.error("--families is required (e.g. --families 9:16,4:5,split)")
    words = [w.strip() for w in args.families.split(",") if w.strip()]
    bench.FAMILIES = [f for f in bench.FAMILIES if any(w in f for w in words)]
    bench.WORK = bench.WORK.with_name(bench.WORK.name + "-" + "-".join(words).replace(":", "x"))
    bench.WORK.mkdir(parents=True, exist_ok=True)
    return diagnose(args)


def diagnose(args: argparse.Namespace) -> int:
    """Every false segment of the films of `bench.FAMILIES` in `bench.WORK`, and recall."""
    sources = bench.make_sources(args.sources)
    films = [bench.make_film(k, sources) for k in range(len(bench.FAMILIES))]
    items = bench.library_of(sources)
    plain = frozenset(i.id - 1 for i in items if i.too_plain)
    library = matching.ReferenceLibrary(items)
    gap = bench.GAP_SECONDS * (len(sources) + 1)
    names = [source.name for source in sources]
    result: dict = {"work": str(bench.WORK), "families": {}}
    for k, (family, (path, passages)) in enumerate(zip(bench.FAMILIES, films, strict=True)):
        h = cached_prints(path)
        segments = matching.segments_of_hashes(h, library)
        scored = bench.score(segments, passages, gap, plain)
        true = {
            id(s)
            for s in segments
            for p in passages
            if s.item_id == p.source + 1 and s.start <= p.end and p.start <= s.end
        }
        false = []
        for s in segments:
            if id(s) in true:
                continue
            frames = range(s.start, s.end + 1)
            false.append(
                {
                    "film_frames": [s.start, s.end],
                    "item": s.label,
                    "item_frames": [s.item_start, s.item_end],
                    "variant": s.variant,
                    "median": s.median_distance,
                    "matched_frames": s.matched_frames,
                    "footage": footage_at(k, passages, frames, names),
                    "pictures": per_frame(s, h, library),
                }
            )
        off = off_segments(segments, passages, names)
        if args.every:
            for s in segments:
                print(f"  {'true ' if id(s) in true else 'FALSE'} film {s.start}-{s.end} "
                      f"{s.label} frames {s.item_start}-{s.item_end} {s.order} "
                      f"x{s.speed:.2f}, {s.picture} ({s.variant}), median "
                      f"{s.median_distance}, {s.matched_frames} matched")  # fmt: skip
        result["families"][family] = {
            "recall": scored["recall"],
            "findable_recall": scored["findable_recall"],
            "found": scored["found"],
            "passages": scored["passages"],
            "false_segments": len(false),
            "source_frames_within_3": scored["source_frames_within_3"],
            "missed": scored["missed"],
            "false": false,
            "off": off,
        }
        print(f"{family:<20} recall {scored['recall']:.3f} ({scored['found']}/"
              f"{scored['passages']})  false segments {len(false)}", flush=True)  # fmt: skip
        if scored["findable_passages"] != scored["passages"]:
            print(f"  without items too plain to be found: recall {scored['findable_recall']:.3f} "
                  f"({scored['findable_found']}/{scored['findable_passages']})")  # fmt: skip
        print(f"  source frames within 3: {scored['source_frames_within_3']}, error median "
              f"{scored['source_error_median']} / p95 {scored['source_error_p95']}; missed: "
              + (", ".join(scored["missed"]) or "none"))  # fmt: skip
        for f in false:
            print(f"  film {f['film_frames'][0]}-{f['film_frames'][1]}: {f['item']} frames "
                  f"{f['item_frames'][0]}-{f['item_frames'][1]}, found as {f['variant']}, "
                  f"median {f['median']}, {f['matched_frames']} frames matched; on "
                  + ", ".join(f"{name} ({n})" for name, n in f["footage"]))  # fmt: skip
            for kind, row in f["pictures"].items():
                shown = " ".join(str(d) for d in row["distances"][:SHOWN])
                more = " ..." if len(row["distances"]) > SHOWN else ""
                via = f" via library {row['library_picture']}" if "library_picture" in row else ""
                print(f"    {kind:<18} median {row['median']:>4}{via}: {shown}{more}")
        for o in off:
            print(f"  off {o['error']:.1f} frames: film {o['film_frames'][0]}-{o['film_frames'][1]} "
                  f"of passage {o['passage']} ({o['passage_frames'][0]}-{o['passage_frames'][1]}, "
                  f"shows {o['shows'][0]}-{o['shows'][1]}): said {o['item_frames'][0]}-"
                  f"{o['item_frames'][1]} {o['order']} x{o['speed']:.2f}, found in {o['picture']} "
                  f"({o['variant']}), median {o['median']}")  # fmt: skip
    total = sum(r["false_segments"] for r in result["families"].values())
    print(f"false segments in all: {total}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
        print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
