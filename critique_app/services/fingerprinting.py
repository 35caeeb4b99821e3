"""Fingerprint a film into its project: per-frame hashes and shot cuts from one decode.

Used by `critique-app fingerprint` and by the GUI worker. Work is stored every few seconds,
so Cancel or a crash loses little and the next run resumes at the first missing frame.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from critique_app.domain.model import Film
from critique_app.domain.passage_words import playback_sentence
from critique_app.domain.rhythm import CUT, Transition
from critique_app.errors import Cancelled
from critique_app.i18n import _, ngettext
from critique_app.media.film_hashes import HashedRun, hash_film
from critique_app.media.grey_frames import Crop, StreamLayout, grey_batches, read_layout
from critique_app.media.letterbox import BarsOnTheWay, decodes_from_start, detect_film_bars
from critique_app.media.shots import METHOD, ShotDetector, find_cuts
from critique_app.media.transitions import find_transitions
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.provenance.isolation import IsolatedReader
from critique_app.provenance.matching import (
    MatchSegment,
    ReferenceItem,
    ReferenceLibrary,
    segments_of_hashes,
)
from critique_app.services.films import add_film
from db import fingerprint_store as store
from db.project import Project

FLUSH_SECONDS = 3.0


@dataclass
class FingerprintSummary:
    film_id: int
    frame_count: int  # frames of the film
    hashed: int  # frames with fingerprints now
    resumed_from: int  # 0 for a fresh run
    crop: Crop | None
    cuts: list[int] = field(default_factory=list)
    complete: bool = False
    problem: str | None = None  # the film stopped decoding early: a sentence


def _values(runs: list[HashedRun]) -> dict[str, np.ndarray]:
    return {
        "phash": np.concatenate([r.hashes.phash for r in runs]),
        "phash_mirror": np.concatenate([r.hashes.phash_mirror for r in runs]),
        "dhash": np.concatenate([r.hashes.dhash for r in runs]),
        "inset": np.concatenate([r.hashes.inset for r in runs]),  # type: ignore[misc]
        "inset_mirror": np.concatenate([r.hashes.inset_mirror for r in runs]),  # type: ignore[misc]
        "centre": np.concatenate([r.hashes.centre for r in runs]),  # type: ignore[misc]
        "centre_mirror": np.concatenate([r.hashes.centre_mirror for r in runs]),  # type: ignore[misc]
        **{
            kind: np.concatenate([r.hashes.extra[:, k] for r in runs])  # type: ignore[index]
            for k, kind in enumerate(store.EXTRA_KINDS)
        },
        "contrast": np.concatenate([r.hashes.contrast for r in runs]),
        "frame_diff": np.concatenate([r.diffs for r in runs]),
    }


def fingerprint_film(
    project: Project,
    path: str | Path,
    progress: Progress = NO_PROGRESS,
    *,
    workers: int | None = None,
    restart: bool = False,
) -> FingerprintSummary:
    """Add the film to the project if needed, then hash every frame and find its shots."""
    path = Path(path)
    film = add_film(project, path, progress)
    film_id = film.id or 0
    db = project.db
    layout = read_layout(path)
    total = layout.frame_count
    # how far an earlier pass got, without loading its hashes (a 10-hour film has 60 MB)
    known = store.stored_progress(db, film_id)
    if known is not None and known.complete and not restart:
        cuts = store.load_shots(db, film_id)
        if cuts is None:  # stored by an earlier version, which could stop between the two
            prints = store.load_fingerprints(db, film_id)
            assert prints is not None
            cuts = find_cuts(prints.frame_diff, prints.phash)
            store.save_shots(db, film_id, cuts, METHOD)
        return FingerprintSummary(
            film_id,
            total,
            known.frame_count,
            known.frame_count,
            Crop.from_json(known.crop),
            cuts,
            True,
        )
    bars: BarsOnTheWay | None = None
    if known is not None and not restart and 0 < known.frame_count < total:
        # resume just after the last stored chunk
        start, crop = known.frame_count, Crop.from_json(known.crop)
    elif decodes_from_start(layout):  # the bars are found on the way, not by a decode of their own
        start, crop, bars = 0, None, BarsOnTheWay(layout)
        store.start_fingerprints(db, film_id, crop=None)
    else:
        progress.update(0, total, _("Looking for letterbox bars in {name}").format(name=path.name))
        start, crop = 0, detect_film_bars(path, layout)
        store.start_fingerprints(db, film_id, crop=crop.to_json() if crop else None)
    summary = FingerprintSummary(film_id, total, start, start, crop)
    pending: list[HashedRun] = []
    last_grey: np.ndarray | None = None
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal pending, last_flush
        if pending:
            summary.hashed = store.append_fingerprints(
                db, film_id, summary.hashed, _values(pending)
            )
            pending = []
        last_flush = time.monotonic()

    def report(done: int) -> None:
        progress.update(done, total, _("Fingerprinting {name}").format(name=path.name))

    # A resumed run decodes one stored frame again, so that the first new frame's difference
    # (a cut exactly where the last run stopped) is measured against its real predecessor.
    overlap = 1 if start > 0 else 0
    try:
        runs = hash_film(
            path,
            layout,
            start=start - overlap,
            crop=crop,
            bars=bars,
            workers=workers,
            on_progress=report,
            check=progress.check,
        )
        for run in runs:
            if bars is not None:  # decided before the first run: store the crop before hashes
                if bars.crop is not None:
                    summary.crop = bars.crop
                    store.start_fingerprints(db, film_id, crop=bars.crop.to_json())
                bars = None
            if overlap and len(run):
                run, overlap = run.without_first(overlap), 0
            if len(run):
                if last_grey is not None:  # the first difference of a run looks across its start
                    run.diffs[0] = np.abs(run.first_grey.astype(np.int16) - last_grey).mean()
                last_grey = run.last_grey.astype(np.int16)
                pending.append(run)
            if run.stopped:
                summary.problem = run.stopped
            if time.monotonic() - last_flush >= FLUSH_SECONDS:
                flush()
    except (Cancelled, KeyboardInterrupt):  # Cancel in the GUI, Ctrl-C on the terminal
        flush()
        raise
    flush()
    if summary.problem is None and layout.cut_short:
        summary.problem = _(
            "{name} is cut short: {declared} frames are announced but only {frame_count} could "
            "be read; those were fingerprinted and kept."
        ).format(name=path.name, declared=layout.declared, frame_count=layout.frame_count)
    summary.complete = summary.hashed >= total or summary.problem is not None
    if summary.complete:
        stored = store.load_fingerprints(db, film_id)
        assert stored is not None
        summary.cuts = find_cuts(stored.frame_diff, stored.phash)
        # complete and its shots in one transaction: a crash between them would leave a film
        # marked complete whose shots are never found
        with db.atomic():
            store.mark_complete(db, film_id)
            store.save_shots(db, film_id, summary.cuts, METHOD)
    return summary


@dataclass
class ShotList:
    path: Path
    frame_count: int
    cuts: list[int]
    crop: Crop | None
    problem: str | None = None
    # every shot boundary with its kind (cuts too), in order: media/transitions.py
    transitions: list[Transition] = field(default_factory=list)


def detect_shots(path: str | Path, progress: Progress = NO_PROGRESS) -> ShotList:
    """Shot cuts of a film on its own (no project): one decode to 64x64 grey frames."""
    from critique_app.media.grey_frames import DecodingStopped

    path = Path(path)
    layout: StreamLayout = read_layout(path)
    crop = detect_film_bars(path, layout)
    detector = ShotDetector()
    problem = None
    try:
        for first, grey in grey_batches(path, crop=crop, layout=layout, check=progress.check):
            detector.feed(grey)
            progress.update(
                first + len(grey),
                layout.frame_count,
                _("Finding shots in {name}").format(name=path.name),
            )
    except DecodingStopped as err:
        problem = str(err)
    transitions = find_transitions(detector.differences(), detector.small_frames(), detector.cuts())
    cuts = [t.start_frame for t in transitions if t.kind == CUT]
    return ShotList(path, layout.frame_count, cuts, crop, problem, transitions)


# ---- reference library and matching -------------------------------------------------


@dataclass
class LibraryAddReport:
    added: list[store.LibraryItem] = field(default_factory=list)
    already: list[store.LibraryItem] = field(default_factory=list)  # same content known
    skipped: list[str] = field(default_factory=list)  # one sentence per file not taken
    problems: list[str] = field(default_factory=list)  # taken, with a caveat


def add_to_library(
    project: Project,
    paths: list[str | Path],
    *,
    label: str | None = None,
    note: str = "",
    progress: Progress = NO_PROGRESS,
    reader: IsolatedReader | None = None,
) -> LibraryAddReport:
    """Hash stills and clips (folders too) once and keep them in the project's library, with
    the summary of their Content Credentials when they carry any (read offline, isolated)."""
    from critique_app.errors import UserError
    from critique_app.provenance.recovered import credentials_summary
    from critique_app.provenance.reference_library import (
        VARIANT_NAMES,
        expand_paths,
        file_sha256,
        hash_reference,
    )
    from critique_app.services.verify import verify_file

    files = expand_paths(paths)
    report = LibraryAddReport()
    for n, path in enumerate(files):
        progress.update(n, len(files), _("Hashing {name}").format(name=path.name))
        if not path.is_file():
            report.skipped.append(_("{path} does not exist; it was skipped.").format(path=path))
            continue
        try:
            known = store.library_item_by_sha256(project.db, file_sha256(path))
            if known is not None and known.plain_frames is None:
                # added before plainness was measured: measured now, the rest kept as it was
                measured = hash_reference(path, lambda done, total: progress.check())
                known = store.set_plain_frames(project.db, known.id, measured.plain_frames)
                if known.too_plain:
                    report.problems.append(plain_items_sentence([known.label]))
            if known is not None:
                report.already.append(known)
                continue
            ref = hash_reference(path, lambda done, total: progress.check())
        except UserError as err:
            report.skipped.append(str(err))
            continue
        except OSError as err:
            report.skipped.append(
                _("{path} cannot be read ({reason}); it was skipped.").format(
                    path=path, reason=err.strerror
                )
            )
            continue
        if ref.problem:
            report.problems.append(ref.problem)
        # what the file's own Content Credentials say, kept for copies that lose them
        credentials = credentials_summary(
            verify_file(path, "all", reader=reader, thumbnails=False).to_json()
        )
        name = path.stem if not label else label if len(files) == 1 else f"{label}: {path.name}"
        report.added.append(
            store.add_library_item(
                project.db,
                label=name,
                source_note=note,
                path=str(path.resolve()),
                sha256=ref.sha256,
                kind=ref.kind,
                hashes=ref.hashes,
                rate=ref.rate,
                variants=ref.variants,
                variant_names=VARIANT_NAMES if ref.variants is not None else (),
                credentials=credentials,
                plain_frames=ref.plain_frames,
            )
        )
        if report.added[-1].too_plain:
            report.problems.append(plain_items_sentence([name]))
    progress.update(len(files), len(files), _("Library updated"))
    return report


def load_library(project: Project, max_distance: int | None = None) -> ReferenceLibrary:
    from critique_app.provenance.matching import FRAME_THRESHOLD

    items = [reference_item(i) for i in store.library_items(project.db)]
    return ReferenceLibrary(items, FRAME_THRESHOLD if max_distance is None else max_distance)


def reference_item(item: store.LibraryItem) -> ReferenceItem:
    """A library item as matching needs it, with the file it was added from (a passage
    found through a re-frame slice is looked at again on its pictures when it is still there)."""
    media = Path(item.path) if item.path else None
    return ReferenceItem(
        item.id,
        item.label,
        item.hashes,
        item.rate,
        item.variants,
        item.credentials,
        media,
        item.too_plain,
    )


@dataclass
class MatchReport:
    film: Film
    fingerprints: FingerprintSummary
    segments: list[MatchSegment]
    library_items: int
    library_hashes: int
    credentials: dict[int, dict[str, Any]] = field(default_factory=dict)  # item id -> summary
    item_rates: dict[int, Fraction | None] = field(default_factory=dict)  # None: a still
    not_searched: list[str] = field(default_factory=list)  # what older hashes could not find

    def playback(self, segment: MatchSegment) -> str:
        """How the passage shows its item, in the sentence the window says too."""
        rate = self.item_rates.get(segment.item_id)
        return playback_sentence(
            segment, film_rate=self.film.rate, item_rate=rate, still=rate is None
        )

    def to_json(self) -> dict[str, Any]:
        from critique_app.provenance import matching

        film = self.film
        return {
            "film": {
                "path": film.path,
                "sha256": film.sha256,
                "frame_count": film.frame_count,
                "rate": f"{film.rate.numerator}/{film.rate.denominator}",
            },
            "library": {"items": self.library_items, "hashes": self.library_hashes},
            "thresholds": {
                "frame": matching.FRAME_THRESHOLD,
                "median": matching.MEDIAN_THRESHOLD,
                "strict_median": matching.STRICT_MEDIAN,
                "long_frames": matching.LONG_FRAMES,
                "still_hold": matching.STILL_HOLD,
                "still_median": matching.STILL_MEDIAN,
                "min_frames": matching.MIN_FRAMES,
                "max_gap": matching.MAX_GAP,
                "min_contrast": matching.MIN_CONTRAST,
            },
            "problem": self.fingerprints.problem,
            "not_searched": self.not_searched,
            "matches": [
                {
                    **s.to_row(),
                    "label": s.label,
                    "matched_frames": s.matched_frames,
                    "order": s.order,
                    "speed": s.speed,
                    "held_frames": s.held_frames,
                    "library_still": s.library_still,
                    "start_timecode": film.timecode(s.start),
                    "end_timecode": film.timecode(s.end),
                    **_original(self.credentials.get(s.item_id)),
                }
                for s in self.segments
            ],
        }


def _original(credentials: dict[str, Any] | None) -> dict[str, Any]:
    """A match's `original_provenance`: the library original's credentials, as an inference."""
    from critique_app.provenance.recovered import RECOVERED_WORDING

    if credentials is None:
        return {"original_provenance": None}
    return {"original_provenance": {**credentials, "note": RECOVERED_WORDING}}


def segments_of_prints(
    prints: store.FilmFingerprints | HashedRun,
    library: ReferenceLibrary,
    film_rate: Fraction,
    progress: Progress = NO_PROGRESS,
    message: str = "",
) -> list[MatchSegment]:
    """A film's (or a still's) segments matching the library, as `match` stores them; the
    search reports its chunks to `progress` with `message` (a Cancel stops it between two)."""
    from critique_app.provenance.matching import MIN_FRAMES

    h = prints.hashes if isinstance(prints, HashedRun) else prints
    step = prints.step if isinstance(prints, store.FilmFingerprints) else 1
    # a still (one picture) is a segment of one frame when it matches
    min_frames = 1 if len(h.phash) == 1 else MIN_FRAMES
    return segments_of_hashes(
        h,
        library,
        step=step,
        film_rate=film_rate,
        min_frames=min_frames,
        on_chunk=lambda done, total: progress.update(done, total, message),
    )


def segments_of_file(
    project: Project, path: str | Path, progress: Progress = NO_PROGRESS
) -> list[MatchSegment]:
    """Segments of any file matching the project's library, hashed in memory: the project
    is not changed (verify uses it on copies that are not the project's films)."""
    from critique_app.media.film_hashes import _concat

    path = Path(path)
    library = load_library(project)
    if not len(library):
        return []
    layout = read_layout(path)
    crop = detect_film_bars(path, layout)
    runs = [
        r
        for r in hash_film(
            path,
            layout,
            crop=crop,
            on_progress=lambda done: progress.update(done, layout.frame_count, path.name),
        )
        if len(r)
    ]
    if not runs:
        return []
    return segments_of_prints(_concat(runs, 0, None), library, layout.rate, progress, path.name)


def match_film(
    project: Project,
    path: str | Path,
    progress: Progress = NO_PROGRESS,
    *,
    workers: int | None = None,
) -> MatchReport:
    """Fingerprint the film if needed, then find and store its segments matching the library."""
    summary = fingerprint_film(project, path, progress, workers=workers)
    film = project.repo.get_film(summary.film_id)
    prints = store.load_fingerprints(project.db, summary.film_id)
    assert prints is not None
    library = load_library(project)
    matching = ngettext(
        "Matching {name} against {count} library item",
        "Matching {name} against {count} library items",
        len(library.items),
    ).format(name=Path(path).name, count=len(library.items))
    progress.update(0, 1, matching)
    segments = segments_of_prints(prints, library, film.rate, progress, matching)
    store.replace_matches(project.db, summary.film_id, [s.to_row() for s in segments])
    credentials = {
        i: item.provenance for i, item in library.items.items() if item.provenance is not None
    }
    rates = {i: item.rate for i, item in library.items.items()}
    return MatchReport(
        film,
        summary,
        segments,
        len(library.items),
        library.frames,
        credentials,
        rates,
        film_not_searched(project, summary.film_id, film.title),
    )


def film_not_searched(project: Project, film_id: int, title: str) -> list[str]:
    """`not_searched` for a film of the project, read without loading any hash."""
    return not_searched(
        store.stored_progress(project.db, film_id),
        store.library_variant_names(project.db),
        title,
        store.plain_library_labels(project.db),
    )


def plain_items_sentence(labels: list[str]) -> str:
    """What a jury is told of library items too plain for their copies to be found: when
    one is added (or added again), beside every match and under every screening."""
    return ngettext(
        "{labels} is too plain for its copies to be found (a smooth gradient or a flat colour: "
        "the least noise changes its fingerprint as much as a match allows). That no copy of "
        "it is found says nothing about it.",
        "{count} library items are too plain for their copies to be found (a smooth gradient "
        "or a flat colour: the least noise changes their fingerprints as much as a match "
        "allows): {labels}. That no copy of them is found says nothing about them.",
        len(labels),
    ).format(
        count=len(labels),
        labels=", ".join(_("“{label}”").format(label=label) for label in labels),
    )


def not_searched(
    stored: store.StoredProgress | None,
    variant_names: Iterable[tuple[str, ...]],
    title: str,
    plain_labels: list[str] | None = None,
) -> list[str]:
    """What hashes stored by an earlier version cannot find, one sentence each: a film hashed
    before split screens (or before stacked ones) were looked for has no panels (or none
    stacked); a library item added before re-frames (or stacked halves) has no slices; and
    the library items no copy of which can be found (`plain_labels`: too plain). `stored`: the
    film's fingerprints (None: never fingerprinted, nothing searched, nothing said),
    `variant_names`: each library item's."""
    from critique_app.media.reframes import REFRAME_VARIANTS, STACKED_SLICES

    if stored is None:
        return []
    out = []
    missing = set(store.PANEL_KINDS) & set(stored.missing_kinds)
    if stored.frame_count and missing == set(store.PANEL_KINDS):
        out.append(
            _(
                "{name} was fingerprinted before split screens were looked for: its panels "
                "were not searched. Fingerprint it again with --restart to search them."
            ).format(name=title)
        )
    elif stored.frame_count and missing:  # only the panels of stacks and grids
        out.append(
            _(
                "{name} was fingerprinted before split screens stacked top and bottom (and "
                "2x2 grids) were looked for: those panels were not searched. Fingerprint it "
                "again with --restart to search them."
            ).format(name=title)
        )
    items = [set(names) for names in variant_names]
    social = set(REFRAME_VARIANTS) - set(STACKED_SLICES)
    older = sum(1 for names in items if not social <= names)
    stackless = sum(1 for names in items if social <= names and not set(STACKED_SLICES) <= names)
    if stackless:
        out.append(
            ngettext(
                "{count} library item was added before split screens stacked top and bottom "
                "were looked for: add it to the library again to find its cropped halves.",
                "{count} library items were added before split screens stacked top and bottom "
                "were looked for: add them to the library again to find their cropped halves.",
                stackless,
            ).format(count=stackless)
        )
    if older:
        out.append(
            ngettext(
                "{count} library item was added before re-framed copies (9:16, 4:5, 1:1) were "
                "looked for: add it to the library again to find them.",
                "{count} library items were added before re-framed copies (9:16, 4:5, 1:1) "
                "were looked for: add them to the library again to find them.",
                older,
            ).format(count=older)
        )
    if plain_labels:
        out.append(plain_items_sentence(plain_labels))
    return out


def match_annotation_fields(segment: MatchSegment, playback: str = "") -> dict[str, object]:
    """What one click on a match puts into a new annotation (the GUI adds tier and category);
    `playback` says how the passage shows the item (a sentence of its own)."""
    mirrored = _(" (mirrored)") if segment.variant == "mirror" else ""
    return {
        "start": segment.start,
        "end": segment.end,
        "evidence": "perceptual match",
        "status": "observed",
        "confidence": "high" if segment.median_distance <= 4 else "medium",
        "note": (
            _(
                "Matches library item “{label}”{mirrored}, item frames {item_start}–{item_end}: "
                "median pHash distance {median}, worst {worst} (threshold "
                "{threshold}) over {count} frames."
            ).format(
                label=segment.label,
                mirrored=mirrored,
                item_start=segment.item_start,
                item_end=segment.item_end,
                median=format(segment.median_distance, "g"),
                worst=segment.worst_distance,
                threshold=segment.threshold,
                count=segment.matched_frames,
            )
            + (" " + playback if playback else "")
        ),
    }
