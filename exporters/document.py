"""What every exporter receives: a seminar (or a film's annotations) as plain values.

Services build an `ExportDocument` from a project; exporters only format it, so each format
can be tested without a database and no exporter ever runs SQL.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from critique_app import i18n
from critique_app.domain import provenance_words as words
from critique_app.domain.model import (
    Annotation,
    Category,
    Film,
    FrameRange,
    Tier,
    Vocabulary,
    now_iso,
)
from critique_app.domain.timecode import frame_to_seconds
from critique_app.i18n import N_, _

if TYPE_CHECKING:
    from PIL import Image


class ProgressLike(Protocol):
    """The part of critique_app.progress.Progress an exporter uses (raises Cancelled)."""

    def update(self, done: int, total: int, message: str = "") -> None: ...

    def check(self) -> None: ...


class _Silent:
    def update(self, done: int, total: int, message: str = "") -> None:
        return None

    def check(self) -> None:
        return None


SILENT: ProgressLike = _Silent()


@dataclass(frozen=True)
class ProvenanceSummary:
    """One line a reader of a handout needs about a film's Content Credentials."""

    state: str  # e.g. 'Trusted', 'Valid', 'Invalid', 'no manifest'
    reason: str = ""
    ai_signal: str | None = None
    trust_list: str | None = None
    checked_at: str = ""
    signer: str | None = None
    identities: str | None = None  # CAWG identities, beside the verdict (never changing it)

    # What a reader of a handout sees: words, never the codes (domain.provenance_words).
    @property
    def verdict_words(self) -> str:
        return words.verdict_words(self.reason) if self.reason else self.state

    @property
    def ai_signal_words(self) -> str:
        return words.ai_signal_words(self.ai_signal) if self.ai_signal else ""

    @property
    def trust_list_words(self) -> str:
        return words.trust_list_words(self.trust_list) if self.trust_list else ""


@dataclass(frozen=True)
class AgreementSummary:
    """How far a class agrees on one film, as rows a handout prints (numbers already text)."""

    film: str
    by: str  # 'author' or 'tier'
    coders: tuple[str, ...]
    units: int  # frames at least one coder marked
    alpha: str
    categories: tuple[tuple[str, str, int], ...] = ()  # label, alpha, frames
    pairs: tuple[tuple[str, str, str], ...] = ()  # coder, coder, kappa
    # in, out, frames, share of differing pairs, who said what
    passages: tuple[tuple[str, str, int, str, str], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RhythmPlot:
    """A film's rhythm plot for a handout (`export --rhythm`): the drawing of `shots --plot`."""

    film: str  # the film's title
    png: bytes  # exporters/rhythm_plot.py, 1000 x 380 pixels
    shots: int

    @property
    def caption(self) -> str:
        return rhythm_caption(self)

    @property
    def data_uri(self) -> str:
        import base64

        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def rhythm_caption(plot: RhythmPlot) -> str:
    """What a handout writes under a rhythm plot (the HTML and the PDF alike)."""
    return i18n.ngettext(
        "{film}: {count} shot; each bar hangs as long as its shot lasts, coloured by the "
        "transition that begins it.",
        "{film}: {count} shots; each bar hangs as long as its shot lasts, coloured by the "
        "transition that begins it.",
        plot.shots,
    ).format(film=plot.film, count=plot.shots)


@dataclass(frozen=True)
class ExportItem:
    """One passage: a frame range of a film, usually an annotation, with a prompt."""

    position: int  # 1-based, as printed in the handout
    film: Film
    range: FrameRange
    annotation: Annotation | None = None
    category: Category | None = None
    tier: Tier | None = None
    prompt: str = ""
    notes: str = ""

    @property
    def still_frame(self) -> int:
        """The frame shown as the item's still: the middle of the range."""
        return self.range.middle

    @property
    def in_tc(self) -> str:
        return self.film.timecode(self.range.start)

    @property
    def out_tc(self) -> str:
        return self.film.timecode(self.range.end)

    @property
    def start_seconds(self) -> Fraction:
        return frame_to_seconds(self.range.start, self.film.rate)

    @property
    def end_seconds(self) -> Fraction:
        """End of the last frame (exclusive end), in seconds."""
        return frame_to_seconds(self.range.end + 1, self.film.rate)

    @property
    def category_label(self) -> str:
        # in the language the export speaks (markers, subtitles, tables); English where the
        # vocabulary has no French label
        return self.category.label(i18n.current()) if self.category else ""

    @property
    def text(self) -> str:
        """The note of the annotation, else the item's own notes."""
        if self.annotation is not None and self.annotation.note:
            return self.annotation.note
        return self.notes


@dataclass(frozen=True)
class ExportDocument:
    """A titled, ordered list of items plus what the formats need around them."""

    title: str
    items: tuple[ExportItem, ...]
    description: str = ""
    kind: str = "seminar"  # 'seminar', 'film' or 'selection'
    vocabulary: Vocabulary | None = None
    tiers: tuple[Tier, ...] = ()
    provenance: dict[int, ProvenanceSummary] = field(default_factory=dict)
    created_at: str = field(default_factory=now_iso)
    # Every vocabulary the items' categories or the tiers' types use (ELAN writes them all).
    vocabularies: tuple[Vocabulary, ...] = ()
    agreement: tuple[AgreementSummary, ...] = ()  # optional section: the class's agreement
    rhythms: tuple[RhythmPlot, ...] = ()  # optional section: each film's rhythm plot

    @property
    def films(self) -> list[Film]:
        """Films in order of first appearance."""
        seen: dict[int | None, Film] = {}
        for item in self.items:
            seen.setdefault(item.film.id, item.film)
        return list(seen.values())

    @property
    def annotated_items(self) -> list[ExportItem]:
        return [i for i in self.items if i.annotation is not None]


StillProvider = Callable[[ExportItem, int], "Image.Image"]


class ClipSigner(Protocol):
    """Signs an exported clip with a C2PA manifest naming its source film as parent."""

    def sign_clip(self, clip: str, parent: str, title: str) -> None: ...


@dataclass
class ExportContext:
    """What an export run needs besides the document: stills, progress, an optional signer."""

    stills: StillProvider | None = None
    progress: ProgressLike = SILENT
    signer: ClipSigner | None = None
    language: str = "en"
    options: dict[str, object] = field(default_factory=dict)
    # Where the export will land (the writer's `out` is a temporary file beside it).
    target: Path | None = None
    # Sentences for the user about what the export did (a split, a cut), shown after it.
    notes: list[str] = field(default_factory=list)
    # Further files written beside `out`, each renamed to the target's stem + suffix.
    companions: list[tuple[str, Path]] = field(default_factory=list)

    def companion(self, out: Path, suffix: str) -> Path:
        """A further file beside `out`; it lands as `<target stem><suffix><extension>`."""
        path = out.with_name(f"{out.stem}{suffix}{out.suffix}")
        self.companions.append((suffix, path))
        return path

    def final_name(self, out: Path, suffix: str = "") -> str:
        """The file name the user will see for `out` (or for its companion with `suffix`)."""
        base = self.target or out
        return f"{base.stem}{suffix}{base.suffix}"

    def still(self, item: ExportItem, max_width: int = 960) -> Image.Image:
        if self.stills is None:
            raise RuntimeError(_("This export needs stills but no still provider was given."))
        return self.stills(item, max_width)


# The tiers readers put annotations on when a file names none, by the kind of file: named in
# the language of the import (the window's, or --language) and project data once created, as
# a person's own tier names are (an import in another language later makes a tier of its own).
IMPORTED_TIERS = {
    "subtitles": N_("Imported subtitles"),
    "spreadsheet": N_("Spreadsheet"),
    "web": N_("Web annotations"),
    "ranges": N_("IIIF ranges"),
}


def imported_tier(kind: str) -> str:
    """The name of the tier a reader's annotations go on, in the language in use."""
    return _(IMPORTED_TIERS[kind])


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text: str, limit: int = 48) -> str:
    """A file-name part made of ASCII letters, digits, '.', '_' and '-' only.

    Titles and categories are user text: anything else (slashes, '..', quotes, markup)
    would let a name escape its folder or confuse a shell, so it becomes '-'.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("-", ascii_text).strip("-._")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)[:limit].strip("-._")
    return cleaned or "untitled"


@dataclass(frozen=True)
class Imported:
    """An annotation read from a file, before it is matched to a project's film, tier, category.

    `annotation` carries film_id/tier_id 0 and category_id None: the import service fills them
    from `film_sha256`/`film_title`/`film_names`, `tier` and `category_key`/`category_label`
    (looked up in `vocabulary_key` when given). When `seconds` (or `milliseconds`) is given,
    the annotation's range is a placeholder: the service turns the times into frames with the
    chosen film's own rate.
    """

    annotation: Annotation
    tier: str
    film_sha256: str | None = None
    film_title: str | None = None
    category_key: str | None = None
    category_label: str | None = None
    tier_author: str | None = None
    vocabulary_key: str | None = None
    seconds: tuple[Fraction, Fraction] | None = None
    # a cue's [start, end) in whole milliseconds, in place of `seconds`: no two Fractions for
    # each of half a million cues (issue 23)
    milliseconds: tuple[int, int] | None = None
    # the rate at which the annotation's range already is `milliseconds` in frames (the reader
    # was given the film's rate): not worked out again for that film
    frames_rate: Fraction | None = None
    film_names: tuple[str, ...] = ()
    whole_film: bool = False  # no time given: the annotation is about the whole film
    # in and out as a person typed them (SMPTE timecode, frames or seconds), inclusive:
    # the service reads them with the film's rate and start timecode
    timecodes: tuple[str, str] | None = None
    line: int | None = None  # where the entry is in its file, for sentences
    pixel_box: tuple[float, ...] | None = None  # xywh in the film's pixels, for the service
    # The file it came from (tiers, vocabularies, what was skipped): shared by every entry of
    # one file, so a plain list of entries still carries it.
    source: ImportedFile | None = field(default=None, compare=False, repr=False)

    def times(self) -> tuple[Fraction, Fraction] | None:
        """[start, end) in seconds, whichever way the reader gave them (None: no times)."""
        if self.milliseconds is not None:
            start, end = self.milliseconds
            return Fraction(start, 1000), Fraction(end, 1000)
        return self.seconds


@dataclass(frozen=True)
class TierSpec:
    """A tier as a foreign file describes it (ELAN: parent, linguistic type, constraint)."""

    name: str
    author: str | None = None
    parent: str | None = None
    linguistic_type: str | None = None
    constraint: str | None = None
    vocabulary_key: str | None = None


@dataclass
class ImportedFile:
    """What a reader found in a file: annotations, plus what a project needs around them, and
    what it had to leave out (counted and named, so nothing is lost silently)."""

    entries: list[Imported]
    tiers: list[TierSpec] = field(default_factory=list)
    vocabularies: list[Vocabulary] = field(default_factory=list)
    skipped: int = 0
    skipped_what: str = "blocks"  # 'cues', 'annotations'...
    skipped_examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. 'read as Windows-1252'

    def skip(self, why: str) -> None:
        self.skipped += 1
        if len(self.skipped_examples) < 3:
            self.skipped_examples.append(why)

    def add(self, entry: Imported) -> None:
        self.entries.append(dataclasses.replace(entry, source=self))


class ImportedList(list["Imported"]):
    """The entries of one file as a list, with the file's `info` beside them."""

    def __init__(self, info: ImportedFile) -> None:
        super().__init__(info.entries)
        self.info = info


# A subtitle cue as its reader gives it: (uuid, value, tags, start and end in whole
# milliseconds, first and last frame at the reader's rate), `subtitles.CueFields`.
CueFields = tuple[str, str, tuple[str, ...], int, int, int, int]


@dataclass(frozen=True)
class PlainCues:
    """Consecutive cues of one subtitle file that bring nothing but their own fields (no
    Critique NOTE before them): every other field of their annotations and entries is the
    same for all. `entry(fields)` is one cue as the `Imported` every reader gives; an import
    may instead store the group as rows that differ only in uuid, frames, value and tags,
    when its film and its project leave nothing else to decide (issue 23: half a million
    cues built into two objects each cost the storing process a fifth of its time)."""

    fields: list[CueFields]
    entry: Callable[[CueFields], Imported]

    def entries(self) -> Iterator[Imported]:
        return map(self.entry, self.fields)


def each_entry(
    items: Iterator[Imported | PlainCues], stored: Callable[[PlainCues], bool] = lambda _c: False
) -> Iterator[Imported]:
    """A stream's entries one by one, groups of plain cues opened, but for the groups
    `stored` took as they are (an import storing them as rows)."""
    for item in items:
        if not isinstance(item, PlainCues):
            yield item
        elif not stored(item):
            yield from item.entries()


@dataclass
class ImportedStream:
    """The entries of one file as they are read, for an import that stores them in batches
    (a 50 MB subtitle file is never held whole). `info` is the file's: its tiers, vocabularies
    and notes are known at once, what was skipped only once `entries` is used up. `position()`
    is how many of the file's `size` bytes were read, for a progress bar; `count` is the number
    of entries when the whole file was read first, `expected` an estimate otherwise."""

    info: ImportedFile | None
    entries: Iterator[Imported | PlainCues]  # a group of plain cues stands for its cues
    size: int = 0
    position: Callable[[], int] = field(default=lambda: 0)
    count: int | None = None
    expected: int | None = None  # about how many entries a file read as stored holds
    # lets go of what reads the file (a second process) when the import stops before the end
    close: Callable[[], None] = field(default=lambda: None)

    @classmethod
    def of(cls, found: list[Imported], info: ImportedFile | None) -> ImportedStream:
        """A file read whole, as a stream."""
        return cls(info, iter(found), len(found), lambda: len(found), len(found))
