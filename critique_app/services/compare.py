"""Compare two copies of a film: which frame of B shows each frame of A, and where they differ.

The copies are aligned by the mapping re-anchoring computes (fingerprints; offset, frame-rate
ratio, letterbox and mirror). Then every frame of A is checked against B under the mapping's
offsets: runs of A found in B (same pictures) alternate with gaps. A gap in A facing a gap in
B is a *changed* passage (B shows other pictures there, e.g. regenerated content); a gap in A
alone is *removed* from B; a gap in B alone is *inserted* in B. Each shot of A gets a
difference score. `Comparison.map_frame` is what a frame-locked view steps by.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from critique_app.domain.model import Film
from critique_app.domain.passage_words import HELD, REVERSED
from critique_app.errors import UserError
from critique_app.i18n import _, format_decimal, format_percent, ngettext
from critique_app.media.fingerprint import hamming
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.provenance.matching import MIN_CONTRAST, MatchSegment
from critique_app.services.alignment import (
    FRAME_THRESHOLD,
    FrameMapping,
    align_films,
    picture_of,
)
from db.fingerprint_store import FilmFingerprints, load_shots

MIN_CONFIDENCE = 0.2  # share of A's pictures found in B under which B is not a copy of A
MIN_RUN = 3  # frames: a shorter run of matching pictures is a coincidence, not a passage
GHOST = 8  # frames: a further offset this close to a stronger one is a slow pan's echo
# pHash bits: between runs found under one offset, frames this close to B's frames at that
# offset are the same pictures, degraded (re-encoding, a flash), not a changed passage.
# Unrelated pictures are 20-42 bits apart.
CHANGED_BITS = 20
UNRELATED_BITS = 32  # pHash distance of unrelated pictures: a shot scoring 1.0 differs fully

SAME, CHANGED, REMOVED = 0, 1, 2
STATUS_NAMES = {SAME: "same", CHANGED: "changed", REMOVED: "removed"}


class NotACopy(UserError):
    """B's pictures are not A's: the two can only be locked by frame or time (map_unrelated)."""


@dataclass(frozen=True)
class Passage:
    """A difference: `kind` is 'inserted' (only in B), 'removed' (only in A) or 'changed'.

    a/b are inclusive frame ranges (None on the side that lacks the passage); `a_at`/`b_at`
    is where the passage sits on that other side (the frame it comes before)."""

    kind: str
    a: tuple[int, int] | None
    b: tuple[int, int] | None
    a_at: int
    b_at: int


@dataclass(frozen=True)
class ShotDifference:
    start: int  # frames of A, inclusive
    end: int
    score: float  # 0 = the same pictures in B, 1 = nothing alike (or missing from B)
    missing: int  # frames of the shot B lacks
    changed: int  # frames of the shot B shows differently
    median_bits: float | None  # median pHash distance where B has the frame


@dataclass
class Comparison:
    film_a: Film
    film_b: Film
    mapping: FrameMapping
    b_of_a: NDArray[np.int64]  # B's frame for each frame of A; -1 where B lacks it
    status: NDArray[np.int8]  # SAME, CHANGED or REMOVED per frame of A
    distance: NDArray[np.int64]  # pHash bits between A's frame and b_of_a (64: none)
    passages: list[Passage] = field(default_factory=list)
    shots: list[ShotDifference] = field(default_factory=list)
    # When whole-frame alignment found too little: B's passages in A as Match finds them
    # (B the library item), the only correspondence there is.
    matched: list[MatchSegment] = field(default_factory=list)
    _a_of_b: NDArray[np.int64] | None = field(default=None, repr=False)

    def map_frame(self, frame: int) -> int | None:
        """B's frame corresponding to A's `frame` (a changed passage maps onto B's version of
        it), or None when B lacks that passage or the frame is outside A."""
        if not 0 <= frame < len(self.b_of_a):
            return None
        b = int(self.b_of_a[frame])
        return None if b < 0 else b

    def map_frame_back(self, frame: int) -> int | None:
        """A's frame that B's `frame` shows (or replaces, in a changed passage); None where
        B's frame is inserted material or outside B."""
        if self._a_of_b is None:
            self._a_of_b = np.full(self.film_b.frame_count, -1, np.int64)
            has = (self.b_of_a >= 0) & (self.b_of_a < len(self._a_of_b))
            frames = np.flatnonzero(has)
            # Several frames of A on one of B (a slower copy): the first keeps it.
            self._a_of_b[self.b_of_a[frames][::-1]] = frames[::-1]
        if not 0 <= frame < len(self._a_of_b):
            return None
        a = int(self._a_of_b[frame])
        return None if a < 0 else a

    def differing_runs(self, bits: int = FRAME_THRESHOLD) -> list[tuple[int, int]]:
        """Runs of A's frames (inclusive) whose picture in B is farther than `bits` or
        missing: what a timeline lane marks."""
        far = self.distance > bits
        if not far.any():
            return []
        edges = np.flatnonzero(np.diff(np.r_[0, far.astype(np.int8), 0]))
        return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]

    def frame_status(self, frame: int) -> str:
        """'same', 'changed' or 'removed' (B lacks it) for A's `frame`."""
        if not 0 <= frame < len(self.status):
            return "removed"
        return STATUS_NAMES[int(self.status[frame])]

    def passage_at(self, frame: int) -> Passage | None:
        """The removed or changed passage of A holding `frame`, if any."""
        for p in self.passages:
            if p.a is not None and p.a[0] <= frame <= p.a[1]:
                return p
        return None

    def sentence(self) -> str:
        m = self.mapping
        if self.matched:
            count = len(self.matched)
            return ngettext(
                "'{a}' shows pictures of '{b}' in {count} passage ({frames} frames, {share} of "
                "its pictures), found as the Matches list finds them; no other frame of '{a}' "
                "was found in '{b}'.",
                "'{a}' shows pictures of '{b}' in {count} passages ({frames} frames, {share} of "
                "its pictures), found as the Matches list finds them; no other frame of '{a}' "
                "was found in '{b}'.",
                count,
            ).format(
                a=self.film_a.title,
                b=self.film_b.title,
                count=count,
                frames=int((self.status == SAME).sum()),
                share=format_percent(100 * m.confidence, 0),
            )
        kinds = {
            k: sum(p.kind == k for p in self.passages) for k in ("inserted", "removed", "changed")
        }
        # the mapping in whole clauses, each with its named placeholders (as a copy's is said)
        clauses = [
            _("Frame N of '{a}' is frame {frame} of '{b}'").format(
                a=self.film_a.title, frame=_linear(m), b=self.film_b.title
            )
        ]
        if m.variant == "mirror":
            clauses.append(_("the copy is mirrored left-right"))
        rates = {"a": _rate(self.film_a), "b": _rate(self.film_b)}
        if m.ratio != 1:
            clauses.append(_("converted from {a} to {b} fps").format(**rates))
        elif self.film_a.rate != self.film_b.rate:
            clauses.append(_("{a} fps played at {b} fps").format(**rates))
        clauses.append(
            _("{share} of A's pictures found").format(share=format_percent(m.confidence * 100, 0))
        )
        text = "; ".join(clauses) + ". "
        if not self.passages:
            return text + _("No passage differs.")
        said = []  # passages, each kind counted in words that agree with the number
        if kinds["inserted"]:
            n = kinds["inserted"]
            said.append(ngettext("{count} inserted", "{count} inserted", n).format(count=n))
        if kinds["removed"]:
            n = kinds["removed"]
            said.append(ngettext("{count} removed", "{count} removed", n).format(count=n))
        if kinds["changed"]:
            n = kinds["changed"]
            said.append(ngettext("{count} changed", "{count} changed", n).format(count=n))
        return text + ", ".join(said) + "."

    def to_json(self) -> dict[str, Any]:
        m = self.mapping
        fa, fb = self.film_a, self.film_b

        def span(film: Film, frames: tuple[int, int] | None) -> dict[str, Any] | None:
            if frames is None:
                return None
            return {
                "start": frames[0],
                "end": frames[1],
                "frames": frames[1] - frames[0] + 1,
                "start_tc": film.timecode(frames[0]),
                "end_tc": film.timecode(frames[1]),
            }

        return {
            "a": _film_json(fa, m.original.crop),
            "b": _film_json(fb, m.copy.crop),
            "mapping": {
                "ratio": f"{m.ratio.numerator}/{m.ratio.denominator}",
                "offset": m.offset,
                "offsets": list(m.offsets),
                "offset_seconds": round(m.offset / float(fb.rate), 4),
                "variant": m.variant,
                "confidence": round(m.confidence, 4),
                "median_distance": m.median_distance,
                "rate_a": f"{fa.rate.numerator}/{fa.rate.denominator}",
                "rate_b": f"{fb.rate.numerator}/{fb.rate.denominator}",
            },
            "passages": [
                {
                    "kind": p.kind,
                    "a": span(fa, p.a),
                    "b": span(fb, p.b),
                    "a_at": p.a_at,
                    "b_at": p.b_at,
                }
                for p in self.passages
            ],
            "shots": [
                {
                    "start": s.start,
                    "end": s.end,
                    "start_tc": fa.timecode(s.start),
                    "end_tc": fa.timecode(s.end),
                    "score": round(s.score, 4),
                    "missing": s.missing,
                    "changed": s.changed,
                    "median_bits": s.median_bits,
                }
                for s in self.shots
            ],
            "matched": [
                {
                    "a": span(fa, (seg.start, seg.end)),
                    "b": span(fb, (seg.item_start, seg.item_end)),
                    "order": seg.order,
                    "speed": seg.speed,
                    "held_frames": seg.held_frames,
                    "library_still": seg.library_still,
                    "variant": seg.variant,
                }
                for seg in self.matched
            ],
            "summary": self.sentence(),
        }


def map_unrelated(
    frame: int, film_a: Film, film_b: Film, *, offset: int = 0, by: str = "frame"
) -> int | None:
    """B's frame for A's `frame` when the films are not copies (no alignment): the same frame
    number, or (by='timecode') the same time from the start, plus a user's offset in B's
    frames; None outside B."""
    if by == "timecode":
        b = round(frame * film_b.rate / film_a.rate) + offset
    elif by == "frame":
        b = frame + offset
    else:
        raise UserError(
            _("Unrelated films are locked by 'frame' or 'timecode', not '{by}'.").format(by=by)
        )
    return b if 0 <= b < film_b.frame_count else None


def _rate(film: Film) -> str:
    return format_decimal(float(film.rate), 3, trim=True)


def _linear(m: FrameMapping) -> str:
    scale = "N" if m.ratio == 1 else f"N × {m.ratio}"
    offset = round(m.offset)
    return scale if offset == 0 else f"{scale} {'+' if offset > 0 else '-'} {abs(offset)}"


def _film_json(film: Film, crop: tuple[int, int, int, int] | None) -> dict[str, Any]:
    return {
        "title": film.title,
        "path": film.path,
        "frames": film.frame_count,
        "rate": f"{film.rate.numerator}/{film.rate.denominator}",
        "width": film.width,
        "height": film.height,
        "picture": list(crop) if crop else None,
    }


def compare_files(
    a: str | Path,
    b: str | Path,
    *,
    project: Any = None,
    progress: Progress = NO_PROGRESS,
) -> Comparison:
    """Fingerprint (into `project` when given, reusing what it holds; else in memory), align
    and compare film B with film A."""
    from db.project import memory_project

    own = project is None
    project = memory_project() if own else project
    try:
        aligned = align_films(project, a, b, progress)
        progress.check()  # cancelled while the copies were aligned: nothing more to do
        film_a = project.repo.get_film(aligned.original_film_id)
        film_b = project.repo.get_film(aligned.copy_film_id)
        cuts = load_shots(project.db, aligned.original_film_id) or []
    finally:
        if own:
            project.close()
    mapping = aligned.mapping
    if mapping is None or mapping.confidence < MIN_CONFIDENCE:
        matched = as_match_finds(film_a, film_b, aligned.original, aligned.copy, b, progress)
        if matched is not None:
            matched.shots = _shots(matched, cuts, aligned.original.frame_count)
            return matched
        found = 0.0 if mapping is None else mapping.confidence
        raise NotACopy(
            _(
                "{copy} is not a copy of {original}: only {found} of its pictures were found, so no "
                "frame can be matched to another."
            ).format(copy=Path(b).name, original=Path(a).name, found=format_percent(found * 100, 0))
        )
    return compare(film_a, film_b, mapping, aligned.original, aligned.copy, cuts, progress)


def compare(
    film_a: Film,
    film_b: Film,
    mapping: FrameMapping,
    fa: FilmFingerprints,
    fb: FilmFingerprints,
    cuts: list[int],
    progress: Progress = NO_PROGRESS,
) -> Comparison:
    """The frame correspondence, the passages that differ and the shots' scores (a Cancel
    raises between the steps)."""
    n = fa.frame_count
    kept: list[float] = []
    for offset in mapping.offsets:  # strongest first
        if all(abs(offset - k) > GHOST for k in kept):
            kept.append(offset)
    mapping = replace(mapping, offsets=tuple(kept))
    choice, dist, b_at = _choose_offsets(mapping, fa, fb)
    progress.check()
    runs = _runs(choice, dist)
    passages = _passages(runs, mapping, b_at, n, fb.frame_count)
    progress.check()
    b_of_a = np.full(n, -1, np.int64)
    status = np.full(n, REMOVED, np.int8)
    frames = np.arange(n)
    for a0, a1, j in runs:
        b_of_a[a0 : a1 + 1] = b_at[a0 : a1 + 1, j]
        status[a0 : a1 + 1] = SAME
    for p in passages:
        if p.kind == "changed" and p.a is not None and p.b is not None:
            (a0, a1), (b0, b1) = p.a, p.b
            scale = (b1 - b0 + 1) / (a1 - a0 + 1)
            b_of_a[a0 : a1 + 1] = np.minimum(b0 + np.floor((frames[a0 : a1 + 1] - a0) * scale), b1)
            status[a0 : a1 + 1] = CHANGED
    distance = _distances(mapping.variant, fa, fb, b_of_a)
    comparison = Comparison(film_a, film_b, mapping, b_of_a, status, distance, passages)
    comparison.shots = _shots(comparison, cuts, n)
    return comparison


def _distances(
    variant: str, fa: FilmFingerprints, fb: FilmFingerprints, b_of_a: NDArray[np.int64]
) -> NDArray[np.int64]:
    """pHash bits between each frame of A and the frame of B it maps to (64: none)."""
    hashes = fa.phash_mirror if variant == "mirror" else fa.phash
    distance = np.full(len(b_of_a), 64, np.int64)
    has = (b_of_a >= 0) & (b_of_a < fb.frame_count)
    distance[has] = hamming(hashes[has], fb.phash[b_of_a[has]])
    return distance


def as_match_finds(
    film_a: Film,
    film_b: Film,
    fa: FilmFingerprints,
    fb: FilmFingerprints,
    b: str | Path,
    progress: Progress = NO_PROGRESS,
) -> Comparison | None:
    """A's frames that show B's pictures as `match` finds them, with B as the library item
    (its own function and hashes): where whole-frame alignment finds too little (a passage
    reversed, slowed, held or re-ordered), Compare then tells the story Match tells. None
    when Match finds nothing either."""
    from critique_app.provenance.matching import ReferenceItem, ReferenceLibrary
    from critique_app.provenance.reference_library import hash_reference
    from critique_app.services.fingerprinting import segments_of_prints

    ref = hash_reference(b, lambda done, total: progress.check())
    item = ReferenceItem(
        film_b.id or 0, film_b.title, ref.hashes, ref.rate, ref.variants, media=Path(b)
    )
    segments = segments_of_prints(fa, ReferenceLibrary([item]), film_a.rate)
    if not segments:
        return None
    n = fa.frame_count
    b_of_a = np.full(n, -1, np.int64)
    status = np.full(n, REMOVED, np.int8)
    for seg in segments:
        b_of_a[seg.start : seg.end + 1] = shown_frames(seg)
        status[seg.start : seg.end + 1] = SAME
    main = max(segments, key=lambda seg: seg.end - seg.start)
    variant = "mirror" if main.variant.endswith("mirror") else "plain"
    ratio = Fraction(film_b.rate / film_a.rate)
    usable = max(int((fa.contrast >= MIN_CONTRAST).sum()), 1)
    mapping = FrameMapping(
        ratio,
        (float(shown_frames(main)[0] - main.start * ratio),),
        variant,
        min(int((status == SAME).sum()) / usable, 1.0),
        float(np.median([seg.median_distance for seg in segments])),
        picture_of(film_a, fa),
        picture_of(film_b, fb),
        fb.frame_count,
    )
    distance = _distances(variant, fa, fb, b_of_a)
    return Comparison(film_a, film_b, mapping, b_of_a, status, distance, matched=segments)


def shown_frames(segment: MatchSegment) -> NDArray[np.int64]:
    """The library frame each film frame of a segment shows, between its reported ends."""
    count = segment.end - segment.start + 1
    if segment.order == HELD:
        return np.full(count, segment.item_start, np.int64)
    a, b = segment.item_start, segment.item_end
    if segment.order == REVERSED:
        a, b = b, a
    return np.round(np.linspace(a, b, count)).astype(np.int64)


def _choose_offsets(
    mapping: FrameMapping, fa: FilmFingerprints, fb: FilmFingerprints
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Per frame of A, the index of the mapping offset under which B shows it (-1: none),
    with the distance and B's frame under each offset.

    A frame matching under several offsets (a still shot) and a frame too dark or flat to
    judge take the choice of the frames around them."""
    n = fa.frame_count
    hashes = fa.phash_mirror if mapping.variant == "mirror" else fa.phash
    frames = np.arange(n)
    dist = np.full((n, len(mapping.offsets)), 64, np.int64)
    b_at = np.zeros((n, len(mapping.offsets)), np.int64)
    # Another frame rate (a conversion repeating frames) puts some frames one off the line.
    steps = (0,) if mapping.ratio == 1 else (0, -1, 1)
    for j, offset in enumerate(mapping.offsets):
        line = np.round(frames * float(mapping.ratio) + offset).astype(np.int64)
        b_at[:, j] = line
        for step in steps:
            b = line + step
            inside = (b >= 0) & (b < fb.frame_count)
            d = np.full(n, 64, np.int64)
            d[inside] = hamming(hashes[inside], fb.phash[b[inside]])
            closer = d < dist[:, j]
            dist[closer, j], b_at[closer, j] = d[closer], b[closer]
    matched = dist <= FRAME_THRESHOLD
    if len(mapping.offsets) > 1:
        # A frame of B shows one frame of A: where frames of A claim the same frame of B
        # under different offsets (a removed passage inside a slow shot), the closest wins.
        b_all = np.clip(b_at, 0, max(fb.frame_count - 1, 0))
        best = np.full(fb.frame_count, 64, np.int64)
        np.minimum.at(best, b_all[matched], dist[matched])
        matched &= dist <= best[b_all]
    count = matched.sum(axis=1)
    usable = np.asarray(fa.contrast) >= MIN_CONTRAST
    choice = np.where(count == 0, -1, np.argmin(np.where(matched, dist, 99), axis=1))
    decided = usable & (count <= 1)
    if decided.any() and not decided.all():
        idx = np.where(decided, frames, -1)
        before = np.maximum.accumulate(idx)
        after_rev = np.where(decided, frames, n)[::-1]
        after = np.minimum.accumulate(after_rev)[::-1]
        prev_choice = np.where(before >= 0, choice[np.maximum(before, 0)], -1)
        next_choice = np.where(after < n, choice[np.minimum(after, n - 1)], -1)
        fill = np.where(before >= 0, prev_choice, next_choice)
        # An ambiguous frame keeps a neighbour's offset only if it matches under it.
        ok = (fill >= 0) & matched[frames, np.maximum(fill, 0)]
        ambiguous = ~decided & usable
        choice = np.where(ambiguous, np.where(ok, fill, choice), choice)
        flat = ~usable
        choice = np.where(flat, np.where(prev_choice == next_choice, prev_choice, fill), choice)
    return choice.astype(np.int64), dist, b_at


def _runs(choice: NDArray[np.int64], dist: NDArray[np.int64]) -> list[tuple[int, int, int]]:
    """(first, last, offset index) of each run of frames found under one offset; two runs
    under the same offset are one when the frames between them are only degraded."""
    if len(choice) == 0:
        return []
    starts = np.flatnonzero(np.r_[True, choice[1:] != choice[:-1]])
    ends = np.r_[starts[1:] - 1, len(choice) - 1]
    runs: list[tuple[int, int, int]] = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        j = int(choice[s])
        if j < 0 or e - s + 1 < MIN_RUN:
            continue
        if runs and runs[-1][2] == j:
            between = dist[runs[-1][1] + 1 : s, j]
            if len(between) == 0 or float(np.median(between)) < CHANGED_BITS:
                runs[-1] = (runs[-1][0], e, j)
                continue
        runs.append((s, e, j))
    return runs


def _passages(
    runs: list[tuple[int, int, int]],
    mapping: FrameMapping,
    b_at: NDArray[np.int64],
    n_a: int,
    n_b: int,
) -> list[Passage]:
    """Gaps between the runs found in B, on each side, paired into passages."""
    out: list[Passage] = []
    prev_a, prev_b = -1, -1

    def gap(a_next: int, b_next: int) -> None:
        len_a, len_b = a_next - prev_a - 1, b_next - prev_b - 1
        a_span = (prev_a + 1, a_next - 1) if len_a > 0 else None
        b_span = (prev_b + 1, b_next - 1) if len_b > 0 else None
        if a_span and b_span:
            out.append(Passage("changed", a_span, b_span, a_next, b_next))
        elif a_span:
            out.append(Passage("removed", a_span, None, a_next, max(prev_b + 1, 0)))
        elif b_span:
            out.append(Passage("inserted", None, b_span, max(prev_a + 1, 0), b_next))

    for a0, a1, j in runs:
        # A's last frame may be shown twice or more by a faster copy (repeated frames).
        b0 = int(b_at[a0, j])
        b1 = max(int(b_at[a1, j]), mapping.map_range(a1, a1, mapping.offsets[j])[1])
        b0, b1 = max(b0, 0), min(b1, n_b - 1)
        gap(a0, b0)
        prev_a, prev_b = a1, max(prev_b, b1)
    gap(n_a, n_b)
    return out


def _shots(c: Comparison, cuts: list[int], n: int) -> list[ShotDifference]:
    bounds = [0, *[x for x in cuts if 0 < x < n], n]
    shots = []
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        if stop <= start:
            continue
        d = c.distance[start:stop]
        st = c.status[start:stop]
        missing = int((st == REMOVED).sum())
        present = d[st != REMOVED]
        per_frame = np.minimum(1.0, d / UNRELATED_BITS)
        per_frame[st == REMOVED] = 1.0
        shots.append(
            ShotDifference(
                start,
                stop - 1,
                float(per_frame.mean()),
                missing,
                int((st == CHANGED).sum()),
                float(np.median(present)) if len(present) else None,
            )
        )
    return shots


# ---- a still for a handout -----------------------------------------------------------


def write_still(comparison: Comparison, frame: int, out: str | Path, *, mode: str = "side") -> Path:
    """Frame `frame` of A beside (mode 'side') or wiped with (mode 'wipe', A left, B right)
    its frame in B, bars cropped and mirroring undone so the pictures overlap; where B lacks
    the passage, its half says so. Written as PNG."""
    from PIL import Image, ImageDraw

    from critique_app.media.frame_server import FrameServer

    if mode not in ("side", "wipe"):
        raise UserError(
            _("A still is side by side ('side') or a wipe ('wipe'), not '{mode}'.").format(
                mode=mode
            )
        )
    fa, fb = comparison.film_a, comparison.film_b
    if not 0 <= frame < fa.frame_count:
        raise UserError(
            _("{title} has {count} frames: frame {frame} does not exist.").format(
                title=fa.title, count=fa.frame_count, frame=frame
            )
        )
    out = Path(out).expanduser()
    if not out.parent.is_dir():
        raise UserError(
            _("Cannot write {path}: the folder {parent} does not exist.").format(
                path=out, parent=out.parent
            )
        )
    m = comparison.mapping
    with FrameServer(fa.path) as server:
        a = Image.fromarray(_picture(server.frame(frame).image, m.original.crop))
    b_frame = comparison.map_frame(frame)
    if b_frame is not None:
        with FrameServer(fb.path) as server:
            b_img = Image.fromarray(_picture(server.frame(b_frame).image, m.copy.crop))
        if m.variant == "mirror":
            b_img = b_img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        b = b_img.resize(a.size, Image.Resampling.LANCZOS)
    else:
        b = Image.new("RGB", a.size, (60, 60, 60))
    w, h = a.size
    font = _font(max(12, h // 18))
    band = font.size * 2 + 16 if hasattr(font, "size") else 40
    status = comparison.frame_status(frame)
    if mode == "side":
        gap = max(4, w // 80)
        canvas = Image.new("RGB", (2 * w + gap, h + band), (255, 255, 255))
        canvas.paste(a, (0, 0))
        canvas.paste(b, (w + gap, 0))
        b_left = w + gap
    else:
        canvas = Image.new("RGB", (w, h + band), (255, 255, 255))
        canvas.paste(a, (0, 0))
        canvas.paste(b.crop((w // 2, 0, w, h)), (w // 2, 0))
        b_left = w // 2
    draw = ImageDraw.Draw(canvas)
    if mode == "wipe":
        draw.line([(w // 2, 0), (w // 2, h)], fill=(255, 255, 255), width=max(2, w // 200))
    if b_frame is None:
        passage = comparison.passage_at(frame)
        lines = [_("{title} lacks this passage").format(title=fb.title)]
        if passage is not None and passage.a is not None:
            lines.append(
                _("(frames {first}-{last} of {title} are not in it)").format(
                    first=passage.a[0], last=passage.a[1], title=fa.title
                )
            )
        _centred(draw, lines, (b_left, 0, canvas.width if mode == "side" else w, h), font)
    a_text = f"A  {fa.title} · frame {frame} · {fa.timecode(frame)}"
    b_text = (
        f"B  {fb.title} · frame {b_frame} · {fb.timecode(b_frame)}"
        + (" · changed" if status == "changed" else "")
        if b_frame is not None
        else f"B  {fb.title} · missing"
    )
    draw.text((8, h + 6), a_text, fill=(20, 20, 20), font=font)
    draw.text(
        (8 if mode == "wipe" else b_left + 8, h + 6 + (band // 2 if mode == "wipe" else 0)),
        b_text,
        fill=(20, 20, 20),
        font=font,
    )
    canvas.save(out, "PNG")
    return out


def _picture(image: NDArray[np.uint8], crop: tuple[int, int, int, int] | None) -> NDArray[np.uint8]:
    if crop is None:
        return image
    x, y, w, h = crop
    return np.ascontiguousarray(image[y : y + h, x : x + w])


def _font(size: int) -> Any:
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: a fixed bitmap font
        return ImageFont.load_default()


def _centred(draw: Any, lines: list[str], box: tuple[int, int, int, int], font: Any) -> None:
    left, top, right, bottom = box
    heights = [draw.textbbox((0, 0), t, font=font) for t in lines]
    total = sum(b[3] - b[1] + 6 for b in heights)
    y = top + (bottom - top - total) // 2
    for text, bbox in zip(lines, heights, strict=True):
        tw = bbox[2] - bbox[0]
        draw.text((left + (right - left - tw) // 2, y), text, fill=(255, 255, 255), font=font)
        y += bbox[3] - bbox[1] + 6
