"""Move a film's annotations onto another copy of it (screener -> festival copy -> web version).

Two steps, so the window can keep its own SQLite connection and its undo history:
`plan_copy` (long: add the copy, fingerprint both, align, place every annotation) touches only
derived data and may run on a worker with its own connection; `apply_copy_plan` creates the
annotations as ONE undoable command wherever the project's undo stack lives.
`move_annotations_to_copy` does both, for the command line and tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from critique_app.domain.commands import CreateAnnotations, UndoStack
from critique_app.domain.model import Annotation, Film, FrameRange, Keyframe, Region
from critique_app.errors import UserError
from critique_app.i18n import N_, _, format_decimal, format_percent, ngettext
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services.alignment import (
    FrameMapping,
    Picture,
    align,
    reanchor,
)
from db.fingerprint_store import FilmFingerprints, load_fingerprints
from db.project import Project

# Share of the annotated film's usable pictures that must be found in the copy. An unrelated
# film shares none (no alignment at all); a copy missing most of the film is refused rather
# than trusted, and every placed passage is still checked on its own pictures.
MIN_CONFIDENCE = 0.2


@dataclass(frozen=True)
class UnplacedAnnotation:
    source_id: int
    start: int
    end: int
    reason: str
    note: str = ""  # the first line of the annotation's note, so a user recognises it


@dataclass
class CopyPlan:
    """What `apply_copy_plan` will create: new annotations, each with the source it copies."""

    source_film: Film
    copy_film: Film
    mapping: FrameMapping
    moves: list[tuple[Annotation, Annotation]] = field(default_factory=list)  # (source, new)
    unplaced: list[UnplacedAnnotation] = field(default_factory=list)
    already: list[int] = field(default_factory=list)  # sources already moved onto the copy


@dataclass
class CopyResult:
    source_film: Film
    copy_film: Film
    mapping: FrameMapping
    created: list[tuple[int, int]] = field(default_factory=list)  # (source id, new id)
    unplaced: list[UnplacedAnnotation] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    relations: int = 0  # relations between moved annotations carried over

    def describe_mapping(self) -> str:
        m = self.mapping
        shift = m.offset / float(self.source_film.rate)
        head = (
            N_("frame N of '{source}' is frame {frame} of '{copy}' ({shift} s more at the head)")
            if shift >= 0
            else N_(
                "frame N of '{source}' is frame {frame} of '{copy}' ({shift} s less at the head)"
            )
        )
        parts = [
            _(head).format(
                source=self.source_film.title,
                frame=_linear(m.ratio, m.offset),
                copy=self.copy_film.title,
                shift=format_decimal(abs(shift), 2),
            )
        ]
        if m.ratio != 1:
            parts.append(_("frame-rate ratio {ratio}").format(ratio=m.ratio))
        if m.variant == "mirror":
            parts.append(_("the copy is mirrored left-right"))
        parts.append(
            _("confidence {confidence}").format(confidence=format_percent(m.confidence * 100, 0))
        )
        return "; ".join(parts)

    def sentence(self) -> str:
        n, u = len(self.created), len(self.unplaced)
        text = ngettext(
            "{count} annotation moved onto '{title}' ({mapping})",
            "{count} annotations moved onto '{title}' ({mapping})",
            n,
        ).format(count=n, title=self.copy_film.title, mapping=self.describe_mapping())
        if self.relations:
            text += ngettext(
                ", with {count} relation", ", with {count} relations", self.relations
            ).format(count=self.relations)
        if self.already:
            already = len(self.already)
            text += ngettext(
                "; {count} was already there", "; {count} were already there", already
            ).format(count=already)
        if u:
            text += ngettext(
                "; {count} could not be placed and was not guessed",
                "; {count} could not be placed and were not guessed",
                u,
            ).format(count=u)
        return text + "."

    def to_json(self) -> dict[str, object]:
        m = self.mapping
        return {
            "source": {"id": self.source_film.id, "title": self.source_film.title},
            "copy": {
                "id": self.copy_film.id,
                "title": self.copy_film.title,
                "path": self.copy_film.path,
            },
            "mapping": {
                "offset": m.offset,
                "offsets": list(m.offsets),
                "ratio": f"{m.ratio.numerator}/{m.ratio.denominator}",
                "variant": m.variant,
                "confidence": round(m.confidence, 4),
                "median_distance": m.median_distance,
            },
            "created": [{"source_id": s, "new_id": n} for s, n in self.created],
            "already": self.already,
            "relations": self.relations,
            "unplaced": [
                {"source_id": u.source_id, "start": u.start, "end": u.end, "reason": u.reason}
                for u in self.unplaced
            ],
            "sentence": self.sentence(),
        }


def _crop(prints: FilmFingerprints) -> tuple[int, int, int, int] | None:
    return (prints.crop[0], prints.crop[1], prints.crop[2], prints.crop[3]) if prints.crop else None


def _linear(ratio: Fraction, offset: float) -> str:
    scaled = "N" if ratio == 1 else f"N × {ratio}"
    return f"{scaled} {'+' if offset >= 0 else '-'} {abs(offset):g}"


def _first_line(note: str) -> str:
    return note.strip().splitlines()[0][:80] if note.strip() else ""


def map_region(region: Region, mapping: FrameMapping, offset: float, last: int) -> Region:
    """The region on the copy: keyframes moved by the mapping, points through bars and mirror."""
    keys: list[Keyframe] = []
    for key in region.keyframes:
        frame = min(max(mapping.map_frame(key.frame, offset), 0), last)
        if keys and frame <= keys[-1].frame:
            continue  # two keyframes on one frame of a slower copy: the first one holds
        points = tuple(
            (min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0))  # a point on a bar stays on the edge
            for x, y in (mapping.map_point(px, py) for px, py in key.points)
        )
        keys.append(Keyframe(frame, points))
    return Region(region.shape, tuple(keys), region.label)


def _content_key(a: Annotation) -> tuple[object, ...]:
    """What an earlier move onto the same copy would have made alike (so not made twice)."""
    return (a.tier_id, a.category_id, a.tags, a.note, a.value, a.range, a.regions)


def _edited(now: Annotation, then: Annotation) -> bool:
    return (now.content(), now.tier_id, now.category_id) != (
        then.content(),
        then.tier_id,
        then.category_id,
    )


@contextlib.contextmanager
def _copy_times(path: str | Path) -> Iterator[Any]:
    """The copy's exact frame times (a packet scan, no decoding), or None if unreadable."""
    from critique_app.media.frame_server import FrameServer

    try:
        server = FrameServer(path)
    except (UserError, OSError, ValueError, LookupError):
        yield None
        return
    try:
        yield server
    finally:
        server.close()


def _fingerprints(
    project: Project, source: Film, copy_path: Path, progress: Progress
) -> tuple[FilmFingerprints, FilmFingerprints, Film]:
    """Both films' fingerprints; the annotated film's stored ones are used as they are (no
    second SHA-256 of a long film, and its file may even be gone), the copy's made or resumed."""
    from critique_app.services.fingerprinting import fingerprint_film

    original = load_fingerprints(project.db, source.id or 0)
    if original is None or not original.complete:
        if not Path(source.path).is_file():
            raise UserError(
                _(
                    "The annotated film '{title}' is not at {path} any more and was never fingerprinted; "
                    "relink it before moving its annotations."
                ).format(title=source.title, path=source.path)
            )
        fingerprint_film(project, source.path, progress)
        original = load_fingerprints(project.db, source.id or 0)
    summary = fingerprint_film(project, copy_path, progress)
    if summary.film_id == source.id:
        raise UserError(
            _(
                "{name} has the same content as '{title}': it is the very film these annotations are "
                "on."
            ).format(name=copy_path.name, title=source.title)
        )
    copy_prints = load_fingerprints(project.db, summary.film_id)
    assert original is not None and copy_prints is not None
    return original, copy_prints, project.repo.get_film(summary.film_id)


def plan_copy(
    project: Project, source_film_id: int, copy_path: str | Path, progress: Progress = NO_PROGRESS
) -> CopyPlan:
    """Align the copy with the annotated film and place its annotations; creates nothing yet.

    Adds the copy as a film and stores its fingerprints (reused next time). UserError when
    the copy is the same film or does not look like the same film."""
    repo = project.repo
    source = repo.get_film(source_film_id)
    copy_path = Path(copy_path)
    if copy_path.resolve() == Path(source.path).resolve():
        raise UserError(
            _("{name} is the very film these annotations are on.").format(name=copy_path.name)
        )
    if repo.count_annotations(source_film_id) == 0:
        raise UserError(
            _("'{title}' has no annotations to move onto another copy.").format(title=source.title)
        )
    original, copy_prints, copy = _fingerprints(project, source, copy_path, progress)
    progress.update(
        0, 1, _("Aligning {name} with '{title}'").format(name=copy_path.name, title=source.title)
    )
    mapping = align(
        original,
        copy_prints,
        rate_original=source.rate,
        rate_copy=copy.rate,
        picture_original=Picture(source.width or 1, source.height or 1, _crop(original)),
        picture_copy=Picture(copy.width or 1, copy.height or 1, _crop(copy_prints)),
        progress=progress,
    )
    if mapping is None or mapping.confidence < MIN_CONFIDENCE:
        # two whole sentences: "only 35%" and "none" agree differently in other languages
        needed = format_percent(MIN_CONFIDENCE * 100, 0)
        if mapping is None:
            refusal = _(
                "{name} does not look like another copy of '{title}': none of that film's "
                "pictures were found in it (at least {needed} needed); no annotation was moved."
            )
        else:
            refusal = _(
                "{name} does not look like another copy of '{title}': only {found} of that "
                "film's pictures were found in it (at least {needed} needed); no annotation was "
                "moved."
            )
        found = format_percent(mapping.confidence * 100, 0) if mapping else ""
        raise UserError(
            refusal.format(name=copy_path.name, title=source.title, found=found, needed=needed)
        )
    annotations = repo.annotations(film_id=source_film_id)
    plan = CopyPlan(source, copy, mapping)
    progress.update(
        0, len(annotations), _("Placing annotations on {name}").format(name=copy_path.name)
    )
    result = reanchor(mapping, original, copy_prints, [(a.id, a.range) for a in annotations])
    by_id = {a.id: a for a in annotations}
    for u in result.unplaced:
        a = by_id[u.key]  # type: ignore[index]
        plan.unplaced.append(
            UnplacedAnnotation(a.id or 0, u.start, u.end, u.reason, _first_line(a.note))
        )
    on_copy = {_content_key(b) for b in repo.annotations(film_id=copy.id)}
    last = mapping.copy_frames - 1
    with _copy_times(copy_path) as server:
        for n, placed in enumerate(result.placed):
            progress.update(
                n,
                len(result.placed),
                _("Placing annotations on {name}").format(name=copy_path.name),
            )
            a = by_id[placed.key]  # type: ignore[index]
            offset = placed.offset
            new = Annotation.create(
                copy.id or 0,
                a.tier_id,
                FrameRange(placed.new_start, placed.new_end),
                category_id=a.category_id,
                tags=a.tags,
                note=a.note,
                value=a.value,
                status=a.status,
                confidence=a.confidence,
                evidence=a.evidence,
                author=a.author,
                regions=tuple(map_region(r, mapping, offset, last) for r in a.regions),
            )
            if _content_key(new) in on_copy:
                plan.already.append(a.id or 0)
                continue
            if server is not None:
                try:
                    new = replace(
                        new,
                        start_pts=server.time_of(placed.new_start),
                        end_pts=server.time_of(placed.new_end),
                    )
                except IndexError:  # the copy's index is shorter than its hashes: no PTS
                    pass
            plan.moves.append((a, new))
    return plan


def apply_copy_plan(plan: CopyPlan, stack: UndoStack) -> CopyResult:
    """Create the planned annotations, and the relations between them, as one undo step.

    Run where the project's undo stack lives (the GUI thread in the window). An annotation
    edited or deleted since the plan was made is listed as unplaced rather than copied stale."""
    repo = stack.repo
    result = CopyResult(plan.source_film, plan.copy_film, plan.mapping, already=list(plan.already))
    result.unplaced = sorted(plan.unplaced, key=lambda u: (u.start, u.end))
    moves: list[tuple[Annotation, Annotation]] = []
    now = {a.id: a for a in repo.annotations(tier_ids={s.tier_id for s, _new in plan.moves})}
    for source, new in plan.moves:
        current = now.get(source.id)
        if current is None or _edited(current, source):
            result.unplaced.append(
                UnplacedAnnotation(
                    source.id or 0,
                    source.range.start,
                    source.range.end,
                    _("changed while the copy was being aligned; move it again"),
                    _first_line(source.note),
                )
            )
        else:
            moves.append((source, new))
    result.unplaced.sort(key=lambda u: (u.start, u.end))
    if not moves:
        return result
    index = {source.id: i for i, (source, _new) in enumerate(moves)}
    links = [
        (index[r.source_id], index[r.target_id], r.kind)
        for r in repo.relations()
        if r.source_id in index and r.target_id in index
    ]
    n = len(moves)
    command = CreateAnnotations(
        [new for _source, new in moves],
        links,
        label=ngettext(
            "Move {count} annotation onto '{title}'",
            "Move {count} annotations onto '{title}'",
            n,
        ).format(count=n, title=plan.copy_film.title),
    )
    db = getattr(repo, "db", None)
    # One transaction: all of them or none (and one disk sync instead of one per annotation).
    with db.atomic() if db is not None else contextlib.nullcontext():
        stack.push(command)
    result.created = [
        (source.id or 0, stored.id or 0)
        for (source, _new), stored in zip(moves, command.created, strict=True)
    ]
    result.relations = len(links)
    return result


def move_annotations_to_copy(
    project: Project,
    source_film_id: int,
    copy_path: str | Path,
    progress: Progress = NO_PROGRESS,
) -> CopyResult:
    """Add the copy, align it, and create the annotations it can place as one undoable step
    on `project.undo`; UserError (nothing created) when the copy does not match."""
    plan = plan_copy(project, source_film_id, copy_path, progress)
    progress.check()  # a Cancel pressed while placing: nothing is created
    return apply_copy_plan(plan, project.undo)
