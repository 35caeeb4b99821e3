"""Annotations that survive another copy: align two copies of a film by their fingerprints.

The copies may differ in encoding, size, letterbox, grade, mirroring, and a few seconds
more or less at the head. Every usable frame of the annotated copy votes for the offset at
which its picture appears in the other copy (frame rate ratio 1, or the ratio of the two
rates when they differ); the strongest offsets become the mapping. Each frame range is then
placed by checking its own pictures under those offsets: what cannot be checked or does not
match is listed as unplaced, never guessed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from critique_app.domain.model import Film
from critique_app.i18n import _
from critique_app.media.fingerprint import hamming
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.provenance.hash_index import HashIndex
from critique_app.provenance.matching import MIN_CONTRAST
from db.fingerprint_store import FilmFingerprints, load_fingerprints
from db.project import Project

FRAME_THRESHOLD = 10  # bits: a picture is "the same" in both copies at this distance or less
MIN_SUPPORT = 0.02  # share of the usable frames an offset needs to count as part of the mapping
PLACE_SHARE = 0.6  # share of a range's usable frames that must match for it to be placed
CONTEXT = 12  # frames each side checked when a range itself has no usable picture (dark, flat)


class FrameSpan(Protocol):
    """Anything with an inclusive frame range (domain FrameRange, an annotation's range...)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Picture:
    """What region coordinates need of one copy: frame size and the letterbox crop."""

    width: int
    height: int
    crop: tuple[int, int, int, int] | None  # x, y, w, h of the picture inside the bars

    def box(self) -> tuple[float, float, float, float]:
        return tuple(map(float, self.crop)) if self.crop else (0.0, 0.0, self.width, self.height)  # type: ignore[return-value]


@dataclass(frozen=True)
class FrameMapping:
    """Frame b of the copy showing frame a of the original: b = round(a * ratio + offset)."""

    ratio: Fraction
    offsets: tuple[float, ...]  # main offset first; others where passages moved
    variant: str  # 'plain', or 'mirror' when the copy is flipped left-right
    confidence: float  # share of the original's usable frames found at the mapped frame
    median_distance: float
    original: Picture
    copy: Picture
    copy_frames: int

    @property
    def offset(self) -> float:
        return self.offsets[0]

    def map_frame(self, frame: int, offset: float | None = None) -> int:
        return round(frame * self.ratio + (self.offset if offset is None else offset))

    def map_range(self, start: int, end: int, offset: float | None = None) -> tuple[int, int]:
        o = self.offset if offset is None else offset
        return round(start * self.ratio + o), round((end + 1) * self.ratio + o) - 1

    def map_point(self, x: float, y: float) -> tuple[float, float]:
        """Normalised (0..1 of the whole frame) coordinates from the original to the copy."""
        ax, ay, aw, ah = self.original.box()
        bx, by, bw, bh = self.copy.box()
        u = (x * self.original.width - ax) / aw
        v = (y * self.original.height - ay) / ah
        if self.variant == "mirror":
            u = 1.0 - u
        return (bx + u * bw) / self.copy.width, (by + v * bh) / self.copy.height


@dataclass(frozen=True)
class PlacedSpan:
    key: Hashable
    start: int
    end: int
    new_start: int
    new_end: int
    checked: int  # usable frames compared
    matched: int  # of which matched
    offset: float = 0.0  # the mapping's offset that placed it (a moved passage has its own)


@dataclass(frozen=True)
class UnplacedSpan:
    key: Hashable
    start: int
    end: int
    reason: str


@dataclass
class Reanchoring:
    mapping: FrameMapping | None
    placed: list[PlacedSpan] = field(default_factory=list)
    unplaced: list[UnplacedSpan] = field(default_factory=list)


def _usable(fp: FilmFingerprints) -> NDArray[np.bool_]:
    return np.asarray(fp.contrast) >= MIN_CONTRAST


def _votes(
    hits_a: NDArray[np.int64],
    hits_b: NDArray[np.int64],
    dist: NDArray[np.uint8],
    ratio: float,
    n: int,
) -> dict[int, float]:
    """Offset -> weight; each frame of the original spreads one vote over its closest hits.

    Only the closest: in a slow pan the frames a few steps away are near too, and would
    otherwise raise ghost offsets beside the true one."""
    closest = np.full(n, 255, dtype=np.int64)
    np.minimum.at(closest, hits_a, dist.astype(np.int64))
    keep = dist == closest[hits_a]
    hits_a, hits_b = hits_a[keep], hits_b[keep]
    offsets = np.round(hits_b - hits_a * ratio).astype(np.int64)
    per_frame = np.bincount(hits_a, minlength=n)[hits_a]
    keys, inverse = np.unique(offsets, return_inverse=True)
    weights = np.bincount(inverse, weights=1.0 / per_frame)
    return dict(zip(keys.tolist(), weights.tolist(), strict=True))


def _peaks(votes: dict[int, float], min_weight: float) -> list[float]:
    """Offsets whose vote (with +-1 neighbours) stands out, strongest first, refined."""
    merged = {o: votes.get(o - 1, 0) + w + votes.get(o + 1, 0) for o, w in votes.items()}
    peaks: list[tuple[float, float]] = []
    for o in sorted(merged, key=merged.__getitem__, reverse=True):
        if merged[o] < min_weight:
            break
        if all(abs(o - p) > 2 for p, _ in peaks):
            near = {k: votes.get(k, 0.0) for k in (o - 1, o, o + 1)}
            centre = sum(k * w for k, w in near.items()) / sum(near.values())
            peaks.append((round(centre), merged[o]))
    return [p for p, _ in peaks]


def align(
    original: FilmFingerprints,
    copy: FilmFingerprints,
    *,
    rate_original: Fraction,
    rate_copy: Fraction,
    picture_original: Picture,
    picture_copy: Picture,
    progress: Progress = NO_PROGRESS,
) -> FrameMapping | None:
    """The frame mapping from the original to the copy, or None when they share no pictures.
    A Cancel raises between the steps of the search (`progress.check`)."""
    usable = np.flatnonzero(_usable(original))
    if len(usable) == 0 or copy.frame_count == 0:
        return None
    index = HashIndex(copy.phash, FRAME_THRESHOLD, expected_queries=len(usable))
    ratios = [Fraction(1)] + ([rate_copy / rate_original] if rate_copy != rate_original else [])
    best: tuple[float, Fraction, str, list[float]] | None = None
    for variant, hashes in (("plain", original.phash), ("mirror", original.phash_mirror)):
        hits = index.search(hashes[usable], check=progress.check)
        if not len(hits):
            continue
        a, b = usable[hits.query], hits.entry
        for ratio in ratios:
            progress.check()
            votes = _votes(a, b, hits.distance, float(ratio), original.frame_count)
            peaks = _peaks(votes, max(MIN_SUPPORT * len(usable), 3.0))
            if peaks:
                support = sum(votes.get(int(peaks[0]) + k, 0.0) for k in (-1, 0, 1))
                if best is None or support > best[0]:
                    best = (support, ratio, variant, peaks)
    if best is None:
        return None
    progress.check()
    _best_offset, ratio, variant, peaks = best
    mapping = FrameMapping(
        ratio, tuple(peaks), variant, 0.0, 0.0, picture_original, picture_copy, copy.frame_count
    )
    dist = _distances_under(mapping, original, copy, usable)
    # A further offset is real (a passage moved) only where it beats the main one outright;
    # in static shots it merely ties, and ties would make placement ambiguous.
    wins = ((dist[:, 1:] < dist[:, :1]) & (dist[:, 1:] <= FRAME_THRESHOLD)).sum(axis=0)
    keep = [0] + [j + 1 for j, w in enumerate(wins) if w >= max(5, MIN_SUPPORT * len(usable))]
    peaks = [peaks[j] for j in keep]
    dist = dist[:, keep]
    mapping = FrameMapping(
        ratio, tuple(peaks), variant, 0.0, 0.0, picture_original, picture_copy, copy.frame_count
    )
    found = dist.min(axis=1) <= FRAME_THRESHOLD
    confidence = float(found.mean())
    median = float(np.median(dist.min(axis=1)[found])) if found.any() else 64.0
    return FrameMapping(
        ratio,
        tuple(peaks),
        variant,
        confidence,
        median,
        picture_original,
        picture_copy,
        copy.frame_count,
    )


def _distances_under(
    mapping: FrameMapping,
    original: FilmFingerprints,
    copy: FilmFingerprints,
    frames: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Distance of each original frame to its mapped copy frame, per offset (64 = outside)."""
    hashes = original.phash_mirror if mapping.variant == "mirror" else original.phash
    out = np.full((len(frames), len(mapping.offsets)), 64, dtype=np.int64)
    for j, offset in enumerate(mapping.offsets):
        b = np.round(frames * float(mapping.ratio) + offset).astype(np.int64)
        inside = (b >= 0) & (b < copy.frame_count)
        out[inside, j] = hamming(hashes[frames[inside]], copy.phash[b[inside]])
    return out


def reanchor(
    mapping: FrameMapping | None,
    original: FilmFingerprints,
    copy: FilmFingerprints,
    spans: Iterable[tuple[Hashable, FrameSpan | tuple[int, int]]],
) -> Reanchoring:
    """Place each (key, frame range) of the original on the copy, or say why it cannot be."""
    result = Reanchoring(mapping)
    usable = _usable(original)
    for key, span in spans:
        start, end = span if isinstance(span, tuple) else (span.start, span.end)
        if mapping is None:
            result.unplaced.append(
                UnplacedSpan(key, start, end, _("the copy shares no pictures with the original"))
            )
            continue
        frames = np.arange(start, end + 1)
        frames = frames[(frames < original.frame_count)]
        checked = frames[usable[frames]]
        if len(checked) == 0:  # a dark or flat range: judge by the pictures around it
            around = np.r_[
                max(0, start - CONTEXT) : start,
                end + 1 : min(original.frame_count, end + 1 + CONTEXT),
            ]
            checked = around[usable[around]]
        if len(checked) == 0:
            result.unplaced.append(
                UnplacedSpan(key, start, end, _("no usable picture in or around it (dark or flat)"))
            )
            continue
        dist = _distances_under(mapping, original, copy, checked)
        matched = (dist <= FRAME_THRESHOLD).sum(axis=0)
        j = int(np.argmax(matched))
        new_start, new_end = mapping.map_range(start, end, mapping.offsets[j])
        if matched[j] < PLACE_SHARE * len(checked):
            result.unplaced.append(
                UnplacedSpan(
                    key,
                    start,
                    end,
                    _("only {found} of {count} frames found in the copy").format(
                        found=matched[j], count=len(checked)
                    ),
                )
            )
        elif new_start < 0 or new_end >= copy.frame_count:
            result.unplaced.append(
                UnplacedSpan(key, start, end, _("the copy is too short for this passage"))
            )
        elif j > 0 and _shown_elsewhere(mapping, original, copy, new_start, new_end, j):
            result.unplaced.append(
                UnplacedSpan(
                    key,
                    start,
                    end,
                    _("the copy shows other frames of the film there (cut from this copy?)"),
                )
            )
        else:
            result.placed.append(
                PlacedSpan(
                    key,
                    start,
                    end,
                    new_start,
                    new_end,
                    len(checked),
                    int(matched[j]),
                    mapping.offsets[j],
                )
            )
    return result


def _shown_elsewhere(
    mapping: FrameMapping,
    original: FilmFingerprints,
    copy: FilmFingerprints,
    new_start: int,
    new_end: int,
    j: int,
) -> bool:
    """True when a passage placed by a secondary offset lands on copy frames that the main
    offset explains better: those frames show other pictures of the film, not this passage.

    A copy cut short (or missing a passage) otherwise lets the frames just before the cut,
    alike in a slow shot, pass for the missing passage "moved" a few frames away."""
    hashes = original.phash_mirror if mapping.variant == "mirror" else original.phash
    b = np.arange(new_start, new_end + 1)
    ratio = float(mapping.ratio)
    here = np.round((b - mapping.offsets[j]) / ratio).astype(np.int64)
    here = np.clip(here, 0, original.frame_count - 1)
    main = np.round((b - mapping.offset) / ratio).astype(np.int64)
    inside = (main >= 0) & (main < original.frame_count)
    if not inside.any():
        return False
    d_here = hamming(hashes[here[inside]], copy.phash[b[inside]]).astype(int)
    d_main = hamming(hashes[main[inside]], copy.phash[b[inside]]).astype(int)
    return int((d_main < d_here).sum()) * 2 > len(b)


def map_points(
    mapping: FrameMapping, points: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """A region's normalised points on the copy (letterbox and mirroring accounted for)."""
    return [mapping.map_point(x, y) for x, y in points]


# ---- the use-case, for the GUI and tests ---------------------------------------------


@dataclass
class CopyAlignment:
    original_film_id: int
    copy_film_id: int
    mapping: FrameMapping | None
    original: FilmFingerprints
    copy: FilmFingerprints


def align_films(
    project: Project, original: str | Path, copy: str | Path, progress: Progress = NO_PROGRESS
) -> CopyAlignment:
    """Fingerprint both copies into the project (resuming or reusing work) and align them."""
    from critique_app.services.fingerprinting import fingerprint_film

    sa = fingerprint_film(project, original, progress)
    sb = fingerprint_film(project, copy, progress)
    fa, fb = load_fingerprints(project.db, sa.film_id), load_fingerprints(project.db, sb.film_id)
    assert fa is not None and fb is not None
    film_a, film_b = project.repo.get_film(sa.film_id), project.repo.get_film(sb.film_id)
    progress.update(0, 1, _("Aligning the copies"))
    mapping = align(
        fa,
        fb,
        rate_original=film_a.rate,
        rate_copy=film_b.rate,
        picture_original=picture_of(film_a, fa),
        picture_copy=picture_of(film_b, fb),
        progress=progress,
    )
    return CopyAlignment(sa.film_id, sb.film_id, mapping, fa, fb)


def picture_of(film: Film, fp: FilmFingerprints) -> Picture:
    """A film's frame and the picture inside it (bars left out), as a mapping places it."""
    return Picture(film.width or 1, film.height or 1, _crop(fp))


def _crop(fp: FilmFingerprints) -> tuple[int, int, int, int] | None:
    return (fp.crop[0], fp.crop[1], fp.crop[2], fp.crop[3]) if fp.crop else None
