"""What a project holds, as plain immutable values: films, tiers, vocabularies, annotations.

Frame indices are the truth (0-based, presentation order, ranges inclusive); regions use
coordinates normalised to 0..1 so they survive another resolution of the same film.
Edits make new values with `dataclasses.replace`, which keeps undo simple and honest.
"""

from __future__ import annotations

import dataclasses
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime, timezone
from fractions import Fraction
from functools import cache
from typing import Any, TypeVar

from critique_app.domain.timecode import frame_to_smpte, smpte_to_frame
from critique_app.i18n import _

STATUSES = ("declared", "observed", "contested")
CONFIDENCES = ("low", "medium", "high")
SHAPES = ("rectangle", "ellipse", "polygon", "freehand")

# Relation kinds a user picks from, with the wording seen from the other annotation.
RELATION_KINDS: dict[str, str] = {
    "counter-reading of": "has counter-reading",
    "same generator as": "same generator as",
    "continues": "continued by",
    "contradicts": "contradicts",
    "source of": "derived from",
    "same passage as": "same passage as",
}

Point = tuple[float, float]


def now_iso() -> str:
    """The current time as ISO 8601 UTC with seconds, as stored in projects."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def new_uuid() -> str:
    return str(uuid_module.uuid4())


_Value = TypeVar("_Value")


@cache
def _defaults(cls: type) -> tuple[dict[str, object], int]:
    fields = dataclasses.fields(cls)
    return {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}, len(fields)


def trusted(cls: type[_Value], **fields: Any) -> _Value:
    """A value of the dataclass `cls` from fields its maker already knows are valid, without
    its __init__ and __post_init__: a reader that builds half a million of them (a subtitle
    file's cues) spends a second of ten in those checks. Every field without a plain default
    must be given (a default_factory is not called)."""
    made = object.__new__(cls)
    kind: Any = cls
    defaults, count = _defaults(kind)
    made.__dict__.update(defaults, **fields)
    if len(made.__dict__) != count:
        missing = {f.name for f in dataclasses.fields(kind)} - made.__dict__.keys()
        raise TypeError(f"{cls.__name__} made without {', '.join(sorted(missing))}")
    return made


@dataclass(frozen=True, order=True)
class FrameRange:
    """An inclusive range of frame indices; start == end is a single frame."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0:
            raise ValueError(
                _("A range cannot start before frame 0 (got {start}).").format(start=self.start)
            )
        if self.end < self.start:
            raise ValueError(
                _("A range must end on or after its first frame (got {start}-{end}).").format(
                    start=self.start, end=self.end
                )
            )

    @classmethod
    def single(cls, frame: int) -> FrameRange:
        return cls(frame, frame)

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    @staticmethod
    def spanned(times: tuple[int, int, int, int], rate: Fraction) -> tuple[int, int]:
        """The first and last frame of [start / start_per, end / end_per) seconds (`times` in
        that order) at `rate`, each time rounded to its nearest frame, half to even: what
        round(Fraction) gives, in integers (half a million cues are read this way)."""
        start, start_per, end, end_per = times
        per_second, per = rate.numerator, rate.denominator
        first = max(0, _rounded(start * per_second, start_per * per))
        last = _rounded(end * per_second, end_per * per) - 1
        return first, last if last > first else first

    @staticmethod
    def known(start: int, end: int) -> FrameRange:
        """A range its maker knows is valid (0 <= start <= end), made without the checks."""
        made = object.__new__(FrameRange)
        made.__dict__.update(start=start, end=end)
        return made

    @property
    def middle(self) -> int:
        return (self.start + self.end) // 2

    @property
    def is_single_frame(self) -> bool:
        return self.start == self.end

    def __contains__(self, frame: object) -> bool:
        return isinstance(frame, int) and self.start <= frame <= self.end

    def overlaps(self, other: FrameRange) -> bool:
        return self.start <= other.end and other.start <= self.end


def _rounded(numerator: int, denominator: int) -> int:
    """round(Fraction(numerator, denominator)) (half to even), without the Fraction."""
    floor, remainder = divmod(numerator, denominator)
    twice = remainder * 2
    if twice < denominator or (twice == denominator and floor % 2 == 0):
        return floor
    return floor + 1


@dataclass(frozen=True)
class Film:
    """A film referenced by path and by content (SHA-256), with what the probe found."""

    id: int | None
    title: str
    path: str
    sha256: str
    size: int
    rate: Fraction
    frame_count: int
    container: str | None = None
    codec: str | None = None
    width: int | None = None
    height: int | None = None
    rotation: int = 0
    duration: float | None = None
    start_timecode: str | None = None
    drop_frame: bool = False
    vfr: bool = False
    has_audio: bool = False
    probe_json: str | None = None
    added_at: str = field(default_factory=now_iso)

    @property
    def start_frame(self) -> int:
        """The source start timecode as a frame count (0 when the file has none)."""
        if not self.start_timecode:
            return 0
        try:
            return smpte_to_frame(self.start_timecode, self.rate, drop_frame=self.drop_frame)
        except ValueError:
            return 0

    def timecode(self, frame: int) -> str:
        return frame_to_smpte(frame, self.rate, drop_frame=self.drop_frame, start=self.start_frame)


@dataclass(frozen=True)
class Tier:
    """An ELAN-style layer of annotations, per author or per theme."""

    id: int | None
    name: str
    author: str | None = None
    color: str = "#4f8cc9"
    visible: bool = True
    position: int = 0
    # ELAN's tier hierarchy, kept so that an EAF comes back whole: the parent tier, the
    # linguistic type, its constraint (Symbolic_Association, Symbolic_Subdivision,
    # Time_Subdivision, Included_In; None for an independent tier) and its vocabulary key.
    parent_id: int | None = None
    linguistic_type: str | None = None
    constraint: str | None = None
    vocabulary_key: str | None = None


@dataclass(frozen=True)
class Category:
    """One entry of a vocabulary: a level, a type or a value (parent_key links them)."""

    key: str
    label_en: str
    label_fr: str | None = None
    definition_en: str | None = None
    definition_fr: str | None = None
    parent_key: str | None = None
    color: str | None = None
    position: int = 0
    id: int | None = None
    vocabulary_id: int | None = None

    def label(self, language: str = "en") -> str:
        return (self.label_fr if language == "fr" and self.label_fr else None) or self.label_en

    def definition(self, language: str = "en") -> str:
        text = self.definition_fr if language == "fr" else self.definition_en
        return text or self.definition_en or ""


@dataclass(frozen=True)
class Vocabulary:
    """A controlled vocabulary: levels -> types -> values, as in the AdA film ontology."""

    key: str
    name: str
    version: str | None = None
    description: str | None = None
    categories: tuple[Category, ...] = ()
    id: int | None = None
    metadata: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    # where the entries are kept when not here: an ELAN .ecv's address, written back on export
    external_file: str | None = None

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def children(self, parent_key: str | None) -> list[Category]:
        return sorted(
            (c for c in self.categories if c.parent_key == parent_key), key=lambda c: c.position
        )


@dataclass(frozen=True)
class Keyframe:
    """The region's points at one frame (normalised 0..1 coordinates)."""

    frame: int
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Region:
    """A spatial region on the picture, keyframed over the annotation's range.

    rectangle and ellipse: two points (opposite corners of the box); polygon and freehand:
    the outline. Between keyframes the points move linearly; outside them they hold.
    """

    shape: str
    keyframes: tuple[Keyframe, ...]
    label: str | None = None

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ValueError(
                _("'{shape}' is not a region shape ({choices}).").format(
                    shape=self.shape, choices=", ".join(SHAPES)
                )
            )
        if not self.keyframes:
            raise ValueError(_("A region needs at least one keyframe."))
        frames = [k.frame for k in self.keyframes]
        if frames != sorted(set(frames)):
            raise ValueError(_("A region's keyframes must be on distinct frames, in order."))
        need = 2 if self.shape in ("rectangle", "ellipse") else 3
        if self.shape == "freehand":
            need = 2
        for key in self.keyframes:
            if len(key.points) < need:
                raise ValueError(
                    _("A {shape} needs at least {count} points.").format(
                        shape=self.shape, count=need
                    )
                )
            if self.shape in ("rectangle", "ellipse") and len(key.points) != 2:
                raise ValueError(
                    _("A {shape} is given by exactly two opposite corners.").format(
                        shape=self.shape
                    )
                )
            for x, y in key.points:
                if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
                    raise ValueError(
                        _(
                            "Region coordinates are fractions of the picture, from 0 to 1 (got {x}, {y})."
                        ).format(x=format(x, "g"), y=format(y, "g"))
                    )

    @classmethod
    def still(
        cls,
        shape: str,
        points: list[Point] | tuple[Point, ...],
        frame: int = 0,
        label: str | None = None,
    ) -> Region:
        """A region that does not move: one keyframe."""
        pts = tuple((float(x), float(y)) for x, y in points)
        return cls(shape, (Keyframe(frame, pts),), label)

    def interpolate(self, frame: int) -> tuple[Point, ...]:
        """The region's points at `frame`, linear between keyframes, held outside them."""
        keys = self.keyframes
        if frame <= keys[0].frame:
            return keys[0].points
        if frame >= keys[-1].frame:
            return keys[-1].points
        for before, after in zip(keys, keys[1:], strict=False):
            if before.frame <= frame <= after.frame:
                if len(before.points) != len(after.points):
                    # Outlines with different point counts cannot be blended: hold the shape.
                    return before.points
                t = (frame - before.frame) / (after.frame - before.frame)
                return tuple(
                    (ax + (bx - ax) * t, ay + (by - ay) * t)
                    for (ax, ay), (bx, by) in zip(before.points, after.points, strict=True)
                )
        return keys[-1].points  # unreachable: keyframes are sorted

    def bounds(self, frame: int) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) at `frame`, normalised."""
        pts = self.interpolate(frame)
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return min(xs), min(ys), max(xs), max(ys)

    def to_pixels(self, frame: int, width: int, height: int) -> list[tuple[float, float]]:
        return [(x * width, y * height) for x, y in self.interpolate(frame)]

    def to_json(self) -> list[dict[str, object]]:
        return [{"frame": k.frame, "points": [[x, y] for x, y in k.points]} for k in self.keyframes]

    @classmethod
    def from_json(
        cls, shape: str, keyframes: list[dict[str, object]], label: str | None = None
    ) -> Region:
        keys = []
        for item in keyframes:
            pts = item["points"]
            assert isinstance(pts, list)
            frame = item["frame"]
            assert isinstance(frame, int)
            keys.append(Keyframe(frame, tuple((float(x), float(y)) for x, y in pts)))
        return cls(shape, tuple(keys), label)


def normalise_tags(tags: object) -> tuple[str, ...]:
    """Tags as a sorted tuple of distinct, trimmed, non-empty strings."""
    if isinstance(tags, str):
        tags = [tags]
    assert isinstance(tags, (list, tuple, set, frozenset))
    return tuple(sorted({str(t).strip() for t in tags if str(t).strip()}))


def _is_normalised(tags: object) -> bool:
    # Cheap check first: tags read from a project are already sorted, distinct and trimmed.
    if isinstance(tags, tuple) and len(tags) == 1:  # a cue's one tag (its identifier)
        tag = tags[0]
        return isinstance(tag, str) and tag != "" and tag == tag.strip()
    return (
        isinstance(tags, tuple)
        and all(isinstance(t, str) and t and t == t.strip() for t in tags)
        and all(a < b for a, b in zip(tags, tags[1:], strict=False))
    )


@dataclass(frozen=True)
class Annotation:
    """A critical remark anchored on an exact frame range of one film, in one tier."""

    id: int | None
    uuid: str
    film_id: int
    tier_id: int
    range: FrameRange
    category_id: int | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    status: str = "observed"
    confidence: str = "medium"
    evidence: str | None = None
    author: str = ""
    created_at: str = field(default_factory=now_iso)
    modified_at: str = field(default_factory=now_iso)
    regions: tuple[Region, ...] = ()
    anchor_hashes: tuple[int, ...] | None = None
    start_pts: Fraction | None = None
    end_pts: Fraction | None = None
    conflict_of: str | None = None
    # The text an annotator wrote (an ELAN annotation value, a subtitle's words), apart from
    # the category and the note (the critique about it).
    value: str = ""
    # The annotation this one depends on (ELAN child tiers): by uuid, which survives merges,
    # exports and re-imports where row ids do not.
    parent_uuid: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(
                _("'{status}' is not a status ({choices}).").format(
                    status=self.status, choices=", ".join(STATUSES)
                )
            )
        if self.confidence not in CONFIDENCES:
            raise ValueError(
                _("'{confidence}' is not a confidence ({choices}).").format(
                    confidence=self.confidence, choices=", ".join(CONFIDENCES)
                )
            )
        if not _is_normalised(self.tags):
            object.__setattr__(self, "tags", normalise_tags(self.tags))

    def placed(
        self, frames: FrameRange, film_id: int, tier_id: int, category_id: int | None
    ) -> Annotation:
        """This annotation on `frames` of a film, in a tier and a category: what an import sets
        on each of half a million cues. The other fields are copied as they were checked;
        dataclasses.replace would check them all again, six times slower."""
        placed = object.__new__(Annotation)
        placed.__dict__.update(
            self.__dict__, range=frames, film_id=film_id, tier_id=tier_id, category_id=category_id
        )
        return placed

    @classmethod
    def create(cls, film_id: int, tier_id: int, frames: FrameRange, **fields: object) -> Annotation:
        """A new annotation with a fresh uuid and timestamps."""
        return cls(
            id=None,
            uuid=new_uuid(),
            film_id=film_id,
            tier_id=tier_id,
            range=frames,
            **fields,  # type: ignore[arg-type]
        )

    def content(self) -> tuple[object, ...]:
        """What a user wrote, without row ids or times: equal content = same annotation."""
        return (
            self.uuid,
            self.range,
            self.tags,
            self.note,
            self.status,
            self.confidence,
            self.evidence,
            self.author,
            self.regions,
            self.start_pts,
            self.end_pts,
            self.value,
            self.parent_uuid,
        )

    def with_changes(self, **changes: object) -> Annotation:
        return dataclasses.replace(self, modified_at=now_iso(), **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Relation:
    """A typed link between two annotations; listed on both."""

    id: int | None
    source_id: int
    target_id: int
    kind: str

    def other(self, annotation_id: int) -> int:
        return self.target_id if annotation_id == self.source_id else self.source_id

    def label_from(self, annotation_id: int) -> str:
        """The relation as read from one side: 'continues' / 'continued by'."""
        if annotation_id == self.source_id:
            return self.kind
        return RELATION_KINDS.get(self.kind, f"{self.kind} (inverse)")


@dataclass(frozen=True)
class Marker:
    """A plain timeline marker (M key), not an annotation."""

    id: int | None
    film_id: int
    frame: int
    label: str = ""
    color: str | None = None


@dataclass(frozen=True)
class Seminar:
    """A teacher's selection of passages, in order, with prompts for discussion."""

    id: int | None
    name: str
    description: str = ""
    created_at: str = field(default_factory=now_iso)


@dataclass(frozen=True)
class SeminarItem:
    id: int | None
    seminar_id: int
    position: int
    film_id: int
    range: FrameRange
    annotation_id: int | None = None
    prompt: str = ""
    notes: str = ""
