"""`critique-app import`: annotations from ELAN, W3C / IIIF JSON, WebVTT/SRT or a CSV table.

Films are matched by SHA-256, else by the media names the file gives (ELAN media descriptors,
IIIF canvases), else the film chosen with --film, else the project's only film. Times a file
gives in seconds become frames with that film's own rational rate. Tiers are matched by name
(created when missing, with their ELAN parent, type and constraint), vocabularies by key,
categories by key then label. An annotation whose uuid is already in the project is skipped,
so importing the same file twice adds nothing.

All of a file's annotations are created in one transaction, stored BATCH at a time as the file
is read (a 50 MB subtitle file is never held whole), with progress and Cancel between batches;
given the window's undo stack they are one command, so one Ctrl+Z takes the whole import back
(tiers it created stay, empty).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from array import array
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from critique_app.domain.annotation_words import annotations_done
from critique_app.domain.commands import ImportedAnnotations, UndoStack
from critique_app.domain.model import (
    Annotation,
    Category,
    Film,
    FrameRange,
    Region,
    Tier,
)
from critique_app.domain.reading_limits import check_size, reading_limits
from critique_app.errors import UserError
from critique_app.i18n import _, format_number, join_items, ngettext
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services.import_fit import AfterTheEnd, PastTheEnd, Reattached, reattach
from db.annotation_store import CueRow
from exporters import registry
from exporters.document import (
    Imported,
    ImportedFile,
    ImportedStream,
    PlainCues,
    each_entry,
)
from exporters.file_format import Format
from exporters.sniffing import HEAD_SIZE

LARGE_IMPORT = 1000  # above this many annotations the command line says the size first
LARGE_FILE = 5_000_000  # bytes: a file read as it is stored (subtitles) says its size first
# Annotations stored at a time: progress moves and Cancel is heard between batches, and a
# 50 MB subtitle file never sits whole in memory (all batches are one transaction).
BATCH = 2000


def _skipped(what: str, count: int) -> str:
    """What a reader could not use, by the word it gives (exporters' ImportedFile.skipped_what);
    a word not known here is said as the reader gives it."""
    if what == "blocks":
        said = ngettext("{count} block skipped", "{count} blocks skipped", count)
    elif what == "rows":
        said = ngettext("{count} row skipped", "{count} rows skipped", count)
    elif what == "cues":
        said = ngettext("{count} cue skipped", "{count} cues skipped", count)
    elif what == "annotations":
        said = ngettext("{count} annotation skipped", "{count} annotations skipped", count)
    else:
        return _("{count} {what} skipped").format(count=format_number(count), what=what)
    return said.format(count=format_number(count))


@dataclass
class ImportSummary:
    added: int = 0
    already_present: int = 0
    new_tiers: list[str] = field(default_factory=list)
    unknown_categories: set[str] = field(default_factory=set)
    film_ids: list[int] = field(default_factory=list)  # the films annotations went onto
    skipped: int = 0  # blocks, cues or annotations the reader could not use
    skipped_what: str = "blocks"
    skipped_examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. 'read as Windows-1252'
    new_vocabularies: list[str] = field(default_factory=list)
    regions_without_size: int = 0  # xywh= in pixels on a film whose size is unknown
    past_the_end: PastTheEnd = field(default_factory=PastTheEnd)  # cut at the film's end
    after_the_end: AfterTheEnd = field(default_factory=AfterTheEnd)  # left out
    reattached: Reattached = field(default_factory=Reattached)  # their parent left out

    @property
    def outside_film(self) -> int:
        """How many began after the end of their film (left out)."""
        return self.after_the_end.count

    def sentence(self, name: str) -> str:
        """The import said in clauses, each whole in the language in use (the readers' own
        notes, such as the encoding read, as they wrote them)."""
        parts = [
            ngettext(
                "{count} annotation imported from {name}",
                "{count} annotations imported from {name}",
                self.added,
            ).format(count=format_number(self.added), name=name)
        ]
        if self.skipped:
            said = _skipped(self.skipped_what, self.skipped)
            if self.skipped_examples:
                said = _("{skipped} ({example})").format(
                    skipped=said, example=self.skipped_examples[0]
                )
            parts.append(said)
        if self.already_present:
            parts.append(
                ngettext(
                    "{count} already in the project",
                    "{count} already in the project",
                    self.already_present,
                ).format(count=format_number(self.already_present))
            )
        if self.after_the_end.count:
            parts.append(self.after_the_end.sentence())
        if self.past_the_end.count:
            parts.append(self.past_the_end.sentence())
        if self.reattached.count:
            parts.append(self.reattached.sentence())
        if self.new_tiers:
            shown = ", ".join(self.new_tiers[:12])
            more = len(self.new_tiers) - 12
            parts.append(
                _("new tiers: {names} and {more} more").format(names=shown, more=more)
                if more > 0
                else _("new tiers: {names}").format(names=shown)
            )
        if self.new_vocabularies:
            parts.append(
                _("controlled vocabularies: {names}").format(names=", ".join(self.new_vocabularies))
            )
        if self.unknown_categories:
            parts.append(
                _("categories not in the vocabulary: {names}").format(
                    names=", ".join(sorted(self.unknown_categories))
                )
            )
        if self.regions_without_size:
            parts.append(
                ngettext(
                    "{count} region in pixels left out (the film's picture size is unknown)",
                    "{count} regions in pixels left out (the film's picture size is unknown)",
                    self.regions_without_size,
                ).format(count=format_number(self.regions_without_size))
            )
        parts += self.notes
        return join_items(parts) + "."


def _format_of(path: Path, format_name: str | None = None, in_window: bool = False) -> Format:
    """The registered format that reads `path`: the one a person chose (`format_name`), else
    the one its extension names (then its first bytes); or one sentence saying why none does,
    naming the format the file looks like and how to choose it (`in_window`: in the import
    dialog, else with --format)."""
    if not path.is_file():
        raise UserError(_("{path} does not exist.").format(path=path))
    if format_name is not None:
        try:
            return registry.read_as(format_name)
        except KeyError as err:
            raise UserError(str(err.args[0])) from None
    fmt = registry.reader_for(path)
    if fmt is not None:
        return fmt
    with path.open("rb") as file:
        likely = registry.looks_like(file.read(HEAD_SIZE))
    if likely is not None and in_window:
        raise UserError(
            _(
                "{name} looks like {format}: rename it to {extension}, or choose {format} as "
                "its Format in the import dialog."
            ).format(name=path.name, format=_(likely.title), extension=likely.extension)
        )
    if likely is not None:
        raise UserError(
            _(
                "{name} looks like {format}: rename it to {extension}, or choose the format with "
                "--format {format_name}."
            ).format(
                name=path.name,
                format=_(likely.title),
                extension=likely.extension,
                format_name=likely.name,
            )
        )
    raise UserError(
        _("{name}: Critique imports {extensions} files, not '{suffix}'.").format(
            name=path.name,
            extensions=", ".join(registry.reading_extensions()),
            suffix=path.suffix or _("files without extension"),
        )
    )


def read_file(
    path: str | Path,
    film: Film | None = None,
    encoding: str | None = None,
    format_name: str | None = None,
) -> list[Imported]:
    """Parse a file in the format the registry gives for it (its extension, then its first
    bytes) or the one `format_name` chooses; one sentence for unknown or unreadable files.
    `encoding` (a codec name) overrides the detection of text files' encoding.

    The entries carry their file's `ImportedFile` (`entry.source`): tiers, vocabularies and
    what was skipped."""
    path = Path(path)
    fmt = _format_of(path, format_name)
    # Nesting, size and memory limits of a hostile or broken file end in a sentence naming
    # it; nothing is stored before the whole file is read, so the project is untouched.
    check_size(path)
    with reading_limits(path.name):
        return fmt.read(path, film.rate if film else None, encoding)


def open_file(
    path: str | Path,
    film: Film | None = None,
    encoding: str | None = None,
    format_name: str | None = None,
    in_window: bool = False,
) -> ImportedStream:
    """The file's entries as they are read (see `read_file`): subtitles a megabyte at a time,
    W3C collections an annotation at a time, other formats read whole first. Nothing is
    stored yet."""
    path = Path(path)
    fmt = _format_of(path, format_name, in_window)
    check_size(path)
    with reading_limits(path.name):
        return fmt.stream(path, film.rate if film else None, encoding)


def file_info(found: list[Imported]) -> ImportedFile | None:
    """The file-wide part of what a reader found (None for a reader that gives entries only)."""
    info = getattr(found, "info", None)
    if isinstance(info, ImportedFile):
        return info
    return next((e.source for e in found if e.source is not None), None)


def _same_name(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    return a == b or Path(a).stem == Path(b).stem


def _film_for(
    project: Any, found: Imported, default: Film | None, films: list[Film], name: str
) -> Film:
    if found.film_sha256:
        match = project.repo.film_by_sha256(found.film_sha256)
        if match is not None:
            return match  # type: ignore[no-any-return]
    names = [n for n in (*found.film_names, found.film_title or "") if n]
    for film in films:
        if any(_same_name(n, film.title) or _same_name(n, Path(film.path).name) for n in names):
            return film
    if default is not None:
        return default
    if len(films) == 1:
        return films[0]
    title = found.film_title or (found.film_names[0] if found.film_names else _("its film"))
    raise UserError(
        _(
            "{name}: {title} is not in this project; add the film, or choose the film to import "
            "onto with --film."
        ).format(name=name, title=title)
    )


def frames_of(seconds: tuple[Fraction, Fraction], rate: Fraction) -> FrameRange:
    """Seconds [start, end) as the inclusive frame range at the film's exact rate."""
    start, end = seconds
    times = (start.numerator, start.denominator, end.numerator, end.denominator)
    return FrameRange.known(*FrameRange.spanned(times, rate))


def frames_of_milliseconds(milliseconds: tuple[int, int], rate: Fraction) -> FrameRange:
    """`frames_of` for times in whole milliseconds (a cue's): the same frames, no Fraction."""
    start, end = milliseconds
    return FrameRange.known(*FrameRange.spanned((start, 1000, end, 1000), rate))


def typed_point(text: str, film: Film) -> int:
    """A frame from what a person types: frames ('1234'), SMPTE timecode ('01:00:02:12',
    read against the film's start timecode when it has one) or seconds ('62.5', '00:01:02.5')."""
    from critique_app.domain.timecode import smpte_to_frame

    text = text.strip()
    if text.isdigit():
        return int(text)
    if re.fullmatch(r"\d+:\d{2}:\d{2}[:;]\d{1,2}", text):
        frame = smpte_to_frame(text, film.rate, drop_frame=None if ";" in text else film.drop_frame)
        start = film.start_frame
        return frame - start if start and frame >= start else frame
    match = re.fullmatch(r"(?:(\d+):)?(?:(\d+):)?(\d+(?:[.,]\d+)?)", text)
    if match:
        total = Fraction(0)
        for part in match.groups()[:2]:
            if part is not None:
                total = total * 60 + int(part)
        seconds = total * 60 + Fraction(match.group(3).replace(",", "."))
        return round(seconds * film.rate)
    raise ValueError(
        _("'{text}' is not a frame number, a timecode (HH:MM:SS:FF) or seconds").format(text=text)
    )


def typed_range(typed: tuple[str, str], film: Film) -> FrameRange:
    start, end = typed_point(typed[0], film), typed_point(typed[1], film)
    if end < start:
        raise ValueError(
            _("the out point {out} comes before the in point {in_point}").format(
                out=typed[1], in_point=typed[0]
            )
        )
    return FrameRange(start, end)


def _pixel_region(box: tuple[float, ...], film: Film) -> Region | None:
    if not film.width or not film.height:
        return None
    x, y, w, h = box

    def clamp(v: float) -> float:
        return min(1.0, max(0.0, v))

    return Region.still(
        "rectangle",
        [
            (clamp(x / film.width), clamp(y / film.height)),
            (clamp((x + w) / film.width), clamp((y + h) / film.height)),
        ],
    )


def _moved(region: Region, frame: int) -> Region:
    if len(region.keyframes) != 1 or region.keyframes[0].frame == frame:
        return region
    return Region.still(region.shape, region.keyframes[0].points, frame, region.label)


def import_file(
    project: Any,
    path: str | Path,
    *,
    film: str | int | None = None,
    progress: Progress = NO_PROGRESS,
    stack: UndoStack | None = None,
    announce: Any = None,
    encoding: str | None = None,
    format_name: str | None = None,
    in_window: bool = False,
) -> ImportSummary:
    """Read and add a file; `announce(sentence)` is told the size of a long import first;
    `encoding` names the text encoding instead of detecting it, `format_name` the format
    (`import --format`, the dialog's Format) instead of the file's extension."""
    from critique_app.services.export import find_film

    path = Path(path)
    default = find_film(project, film) if film is not None else None
    films = project.repo.films()
    found = open_file(
        path,
        default or (films[0] if len(films) == 1 else None),
        encoding,
        format_name,
        in_window,
    )
    size = found.count if found.count is not None else found.expected
    if announce is not None and size is not None and size > LARGE_IMPORT:
        announce(
            ngettext(
                "{name} holds {count} annotation; importing it…",
                "{name} holds {count} annotations; importing them…",
                size,
            ).format(name=path.name, count=format_number(size))
        )
    elif announce is not None and size is None and found.size > LARGE_FILE:
        announce(
            _("{name} is {size} MB; importing it…").format(
                name=path.name, size=format_number(round(found.size / 1_000_000))
            )
        )
    return import_entries(
        project, found, path.name, default=default, progress=progress, stack=stack
    )


@dataclass
class BackgroundImport:
    """What a worker's import made: the summary, and the undoable step to hand to the window's
    undo stack (None when nothing was added)."""

    summary: ImportSummary
    command: Any = None
    change: Any = None


def import_in_background(
    progress: Progress,
    project_path: str | Path,
    path: str | Path,
    film_id: int | None,
    encoding: str | None = None,
    format_name: str | None = None,
) -> BackgroundImport:
    """The window's import: read and add on a worker, through a connection of its own, in one
    transaction (a Cancel rolls it all back). A long file's size is published first;
    `encoding` and `format_name` are the ones chosen in the dialog (None: detected)."""
    from db.project import open_project

    path = Path(path)
    # The window writes to the same file now and then (thumbnails, anchors, an undo of 20,000
    # annotations): a worker in no hurry waits for those rather than failing after 5 s.
    with open_project(project_path, timeout=120.0) as project:
        changes: list[Any] = []
        project.undo.subscribe(changes.append)
        summary = import_file(
            project,
            path,
            film=film_id,
            progress=progress,
            stack=project.undo,
            announce=progress.publish,
            encoding=encoding,
            format_name=format_name,
            in_window=True,
        )
        if not changes:
            return BackgroundImport(summary)
        return BackgroundImport(summary, project.undo.last, changes[-1])


class _Vocabularies:
    """Categories by (vocabulary key, key) and by key or label, read once per import."""

    def __init__(self, repo: Any) -> None:
        self.repo = repo
        self.reload()

    def reload(self) -> None:
        vocab_keys = {v.id: v.key for v in self.repo.vocabularies()}
        self.all: list[Category] = self.repo.categories()
        self.by_vocab = {(vocab_keys.get(c.vocabulary_id), c.key): c for c in self.all}
        self.by_key: dict[str, Category] = {}
        for c in self.all:
            self.by_key.setdefault(c.key, c)

    def find(self, entry: Imported) -> Category | None:
        if entry.category_key and entry.vocabulary_key:
            found = self.by_vocab.get((entry.vocabulary_key, entry.category_key))
            if found is not None:
                return found
        if entry.category_key and entry.category_key in self.by_key:
            return self.by_key[entry.category_key]
        if entry.category_label:
            return next(
                (c for c in self.all if entry.category_label in (c.label_en, c.label_fr)), None
            )
        return None


def _tiers(project: Any, info: ImportedFile | None, summary: ImportSummary) -> None:
    """The file's tiers, parents first, with ELAN's hierarchy (existing tiers are kept as they
    are, only given the ELAN fields they lack)."""
    if info is None:
        return
    repo = project.repo
    for spec in info.tiers:
        parent = repo.tier_by_name(spec.parent) if spec.parent else None
        tier = repo.tier_by_name(spec.name)
        if tier is None:
            repo.add_tier(
                spec.name,
                author=spec.author,
                parent_id=parent.id if parent else None,
                linguistic_type=spec.linguistic_type,
                constraint=spec.constraint,
                vocabulary_key=spec.vocabulary_key,
            )
            summary.new_tiers.append(spec.name)
        elif tier.linguistic_type is None and spec.linguistic_type is not None:
            repo.update_tier(
                dataclasses.replace(
                    tier,
                    parent_id=parent.id if parent else tier.parent_id,
                    linguistic_type=spec.linguistic_type,
                    constraint=spec.constraint,
                    vocabulary_key=spec.vocabulary_key,
                )
            )


class _Films:
    """The film each entry goes onto, looked up once per distinct film reference (a subtitle
    file's 500,000 cues all name the same film)."""

    def __init__(self, project: Any, default: Film | None, name: str) -> None:
        self.project, self.default, self.name = project, default, name
        self.films = project.repo.films()
        self._found: dict[tuple[Any, ...], Film] = {}

    def find(self, entry: Imported) -> Film:
        key = (entry.film_sha256, entry.film_names, entry.film_title)
        film = self._found.get(key)
        if film is None:
            film = _film_for(self.project, entry, self.default, self.films, self.name)
            self._found[key] = film
        return film


def import_entries(
    project: Any,
    found: list[Imported] | ImportedStream,
    name: str,
    *,
    default: Film | None = None,
    progress: Progress = NO_PROGRESS,
    stack: UndoStack | None = None,
) -> ImportSummary:
    """Add what `read_file` found (or `open_file` reads), all or nothing, in batches of BATCH
    inside one transaction; through `stack` (one undoable step) when given. Tiers and
    vocabularies the file brings are created in the same transaction.

    A Cancel heard before the commit rolls everything back (`Cancelled`); once committed the
    import is settled: a Cancel pressed then changes nothing, and the summary says so."""
    stream = (
        found if isinstance(found, ImportedStream) else ImportedStream.of(found, file_info(found))
    )
    summary = ImportSummary()
    info = stream.info
    if info is not None:
        summary.notes = list(info.notes)
    repo = project.repo
    db = getattr(repo, "db", None)
    films = _Films(project, default, name)
    batch = _Batch(repo, stack is not None)
    command: ImportedAnnotations | None = None
    with (
        contextlib.closing(stream),  # a Cancel or an error stops what reads the file, too
        db.atomic() if db is not None else contextlib.nullcontext(),
        # the search index and edit counts written once a batch, not by a trigger a row
        repo.inserting_in_bulk() if db is not None else contextlib.nullcontext(),
    ):
        if info is not None:
            for vocab in info.vocabularies:
                if repo.vocabulary_by_key(vocab.key) is None:
                    summary.new_vocabularies.append(vocab.key)
                repo.save_vocabulary(vocab)
        _tiers(project, info, summary)
        vocabularies = _Vocabularies(repo)
        tiers = {t.name: t for t in repo.tiers()}
        known: set[str] = repo.annotation_uuids()
        seen: set[str] = set()
        # left out, with a parent: a child of theirs goes up to that parent (or further)
        left_out: dict[str, Imported] = {}
        waiting: list[tuple[Annotation, Imported]] = []  # their parent not (yet) kept
        read = 0

        def stored_as_rows(cues: PlainCues) -> bool:
            """A group of plain cues stored as rows that differ only in each cue's own
            fields, when each would be stored as it is one by one (below): whether it was."""
            nonlocal read
            own = _own_rows(cues, seen, known)
            if own is None:  # before the film is looked for, as one by one
                return False
            sample = cues.entry(cues.fields[0])  # what the group's cues share, as an entry
            target = films.find(sample)
            if (
                max(c[2] for c in own) >= target.frame_count  # cut or left out, one by one
                or sample.frames_rate != target.rate  # frames to work out again, one by one
                or sample.category_key  # a category to find (or to keep as the value)
                or sample.category_label
            ):
                return False
            fitted = _fitted(sample, target, info, summary)  # inside the film: none left out
            assert fitted is not None
            annotation, frames = fitted
            assert frames is not None
            tier = _tier_for(sample, tiers, repo, summary)
            model = annotation.placed(frames, target.id or 0, tier.id or 0, None)
            if not batch.add_like(model, own):
                return False
            seen.update(c[0] for c in own)
            if target.id not in summary.film_ids:
                summary.film_ids.append(target.id or 0)
            before, read = read, read + len(own)
            if read // BATCH > before // BATCH:
                _moved_on(progress, stream, read, summary)
            return True

        _moved_on(progress, stream, read, summary)
        with reading_limits(name):  # a subtitle file is read as it is stored: here
            for entry in each_entry(stream.entries, stored_as_rows):
                if len(batch.pending) >= BATCH:
                    batch.store()
                if read % BATCH == 0 and read:  # also when every entry is already here
                    _moved_on(progress, stream, read, summary)
                read += 1
                uuid = entry.annotation.uuid
                if uuid in seen or uuid in known:
                    summary.already_present += 1
                    continue
                target = films.find(entry)
                fitted = _fitted(entry, target, info, summary)
                if fitted is None:
                    if entry.annotation.parent_uuid is not None:  # a link to walk up
                        left_out.setdefault(uuid, entry)
                    continue
                annotation, frames = fitted
                tier = _tier_for(entry, tiers, repo, summary)
                category = vocabularies.find(entry)
                if category is None and (entry.category_key or entry.category_label):
                    summary.unknown_categories.add(entry.category_key or entry.category_label or "")
                    if not annotation.value and entry.category_label:
                        # nothing lost: a category the project lacks stays as the value
                        annotation = dataclasses.replace(annotation, value=entry.category_label)
                seen.add(uuid)
                annotation = annotation.placed(
                    frames if frames is not None else annotation.range,
                    target.id or 0,
                    tier.id or 0,
                    category.id if category else None,
                )
                if target.id not in summary.film_ids:
                    summary.film_ids.append(target.id or 0)
                parent = annotation.parent_uuid
                if parent is not None and parent not in seen and parent not in known:
                    waiting.append((annotation, entry))  # stored at the end, its parent known
                    continue
                batch.add(annotation)
        if info is not None:  # what the reader skipped is known once it has read everything
            summary.notes += info.notes[len(summary.notes) :]  # and what it said at the end
            summary.skipped += info.skipped
            summary.skipped_what = info.skipped_what
            summary.skipped_examples = (list(info.skipped_examples) + summary.skipped_examples)[:3]
        if waiting:
            entries = {**left_out, **{e.annotation.uuid: e for _a, e in waiting}}
            batch.store()  # the kept parents, to be named from the project

            def stored(uuid: str) -> Imported | None:
                kept = repo.annotation_by_uuid(uuid)
                if kept is None or uuid not in seen:
                    return None
                return Imported(kept, repo.get_tier(kept.tier_id).name)

            for annotation in reattach(
                [a for a, _e in waiting],
                entries.values(),
                known | seen,
                summary.reattached,
                stored,
            ):
                batch.add(annotation)
        batch.store()
        _moved_on(progress, stream, read, summary, last=True)
        summary.added = batch.count
        if stack is not None and batch.count:
            count = batch.count
            command = batch.command(
                ngettext(
                    "Import {count} annotation from {name}",
                    "Import {count} annotations from {name}",
                    count,
                ).format(count=count, name=name)
            )
        progress.check()  # the last moment a Cancel takes everything back
    # Committed: the import happened, whatever is pressed from now on.
    if progress is not NO_PROGRESS:  # the shared silent one stays as it is
        progress.settle()
    if stack is not None and command is not None:
        stack.record(command, command.change)
    if progress.asked_to_cancel:
        summary.notes.append(_("Cancel came after the annotations were saved: they are kept"))
    return summary


def _own_rows(cues: PlainCues, seen: set[str], known: set[str]) -> list[CueRow] | None:
    """Each cue's uuid, first and last frame, value and tags, when none is already in the
    project or twice in the file (its film is the caller's to check). None: one by one."""
    own = [(u, first, last, value, tags) for u, value, tags, _s, _e, first, last in cues.fields]
    uuids = {c[0] for c in own}
    if len(uuids) != len(own) or not uuids.isdisjoint(seen) or not uuids.isdisjoint(known):
        return None
    return own


def _tier_for(entry: Imported, tiers: dict[str, Tier], repo: Any, summary: ImportSummary) -> Tier:
    """The entry's tier, created (and named in the summary) the first time it is needed."""
    tier = tiers.get(entry.tier)
    if tier is None:
        tier = repo.add_tier(entry.tier, author=entry.tier_author)
        tiers[tier.name] = tier
        summary.new_tiers.append(entry.tier)
    return tier


def _moved_on(
    progress: Progress,
    stream: ImportedStream,
    read: int,
    summary: ImportSummary,
    last: bool = False,
) -> None:
    """Progress (which raises Cancelled once the user asked to stop): entries read against
    their number (a file read as it is stored: against its timing lines), else bytes."""
    expected = stream.count if stream.count is not None else stream.expected
    if expected is not None:
        total = max(expected, read)
        done = total if last else read
        message = annotations_done(done, total)
    else:
        total = max(1, stream.size)
        done = total if last else min(total, stream.position())
        message = ngettext("{n} annotation read", "{n} annotations read", read).format(
            n=format_number(read)
        )
    progress.update(done, total, message)


def _fitted(
    entry: Imported, target: Film, info: ImportedFile | None, summary: ImportSummary
) -> tuple[Annotation, FrameRange | None] | None:
    """The entry's annotation on its film: times as frames, pixels as a region, cut at the
    film's end; None when it is left out (counted in `summary`). For a cue the frames come
    apart, to be set with the film and tier in one copy (half a million cues are copied)."""
    annotation = entry.annotation
    frames: FrameRange | None = None
    timed = entry.milliseconds is not None or entry.seconds is not None
    if entry.milliseconds is not None:
        frames = (
            annotation.range  # the reader knew the film's rate
            if entry.frames_rate == target.rate
            else frames_of_milliseconds(entry.milliseconds, target.rate)
        )
    elif entry.seconds is not None:
        frames = frames_of(entry.seconds, target.rate)
    if frames is not None:
        if entry.pixel_box is not None or annotation.regions or frames.end >= target.frame_count:
            annotation, frames = dataclasses.replace(annotation, range=frames), None
    elif entry.timecodes is not None:
        try:
            typed = typed_range(entry.timecodes, target)
        except ValueError as err:
            if info is not None:
                summary.skipped += 1
                if len(summary.skipped_examples) < 3:
                    summary.skipped_examples.append(f"line {entry.line}: {err}")
            return None
        annotation = dataclasses.replace(annotation, range=typed)
    elif entry.whole_film:
        annotation = dataclasses.replace(
            annotation, range=FrameRange(0, max(0, target.frame_count - 1))
        )
    if entry.pixel_box is not None:
        region = _pixel_region(entry.pixel_box, target)
        if region is None:
            summary.regions_without_size += 1
        else:
            annotation = dataclasses.replace(annotation, regions=(region,))
    if annotation.regions and timed:
        # a region read from xywh= holds still from the annotation's first frame
        annotation = dataclasses.replace(
            annotation,
            regions=tuple(_moved(r, annotation.range.start) for r in annotation.regions),
        )
    start = frames.start if frames is not None else annotation.range.start
    if start >= target.frame_count:
        summary.after_the_end.leave_out(annotation, entry, target)
        return None
    if frames is None and annotation.range.end >= target.frame_count:
        # begun inside the film: cut at its end, never dropped (nor its children)
        annotation = summary.past_the_end.cut(annotation, entry, target)
    return annotation, frames


class _Batch:
    """Annotations stored BATCH at a time; for an undoable import, their ids are kept (not
    the annotations: 500,000 of them would not fit) for the one step Ctrl+Z takes back."""

    def __init__(self, repo: Any, undoable: bool) -> None:
        self.repo = repo
        self.pending: list[Annotation] = []
        self.ids: array[int] | None = array("q") if undoable else None
        self.count = 0

    def add(self, annotation: Annotation) -> None:
        self.pending.append(annotation)

    def add_like(self, model: Annotation, cues: list[CueRow]) -> bool:
        """Store `cues` as annotations that are `model` but for their own fields, after the
        ones waiting (ids follow the file's order): whether they could be (see
        `AnnotationStore.insert_like`)."""
        self.store()
        ids = self.repo.insert_like(model, cues)
        if ids is None:
            return False
        if self.ids is not None:
            self.ids.extend(ids)
        self.count += len(ids)
        return True

    def store(self) -> None:
        if not self.pending:
            return
        ids = self.repo.insert_annotations(self.pending)
        if self.ids is not None:
            self.ids.extend(ids)
        self.count += len(self.pending)
        self.pending = []

    def command(self, label: str) -> ImportedAnnotations:
        assert self.ids is not None
        return ImportedAnnotations(self.ids, label)
