"""What the timeline shows of the open project: tier tracks, lanes, the thumbnail strip.

Apart from the session (which opens and closes projects): this module only draws, and its
thumbnail work runs on the window's task runner in the "film" scope, so thumbnails made for one
film can never land on another.
"""

from __future__ import annotations

import threading
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject
from PyQt6.QtGui import QImage

from critique_app.domain.commands import Change
from critique_app.domain.model import Annotation, Category, Film
from critique_app.errors import UserError
from critique_app.gui.first_paint import painted_next, wait_until_painted
from critique_app.gui.player.player_controller import PlayerController
from critique_app.gui.project_session import ProjectSession
from critique_app.gui.timeline.timeline import Timeline, TimelineBar, TimelineCanvas, pack_tier
from critique_app.gui.worker import Task, TaskRunner
from critique_app.i18n import _, current
from critique_app.media.thumbnails import THUMB_HEIGHT, generate_thumbnails, sample_frames
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services.workspace import ProjectWorkspace, worker_reader
from exporters.markers import plain_text

PALETTE = ("#4f8cc9", "#d9822b", "#3fa46a", "#c0504d", "#8e6bbf", "#2aa1a8", "#c7a431", "#d0609a")


@lru_cache(maxsize=4096)  # a film's labels are read again at every redraw of its tiers
def plain(markdown: str) -> str:
    """A value's or note's first line as words, for a bar label: Markdown signs and the
    subtitle tags a value keeps (`<u>`, `<font color=…>`) taken out, as for editors' markers."""
    return plain_text(markdown).strip()


def colour_for(key: str) -> str:
    return PALETTE[zlib.crc32(key.encode()) % len(PALETTE)]


def _thumbnails(progress: Progress, path: Any, frames: list[int]) -> dict[int, bytes]:
    return generate_thumbnails(
        path, frames, progress=progress, on_thumbnail=lambda i, jpeg: progress.publish((i, jpeg))
    )


def bar_for(annotation: Annotation, categories: dict[int | None, Category]) -> TimelineBar:
    """How the timeline draws one annotation: its category's colour, its value or label."""
    a = annotation
    return _bar(
        (a.id or 0, a.tier_id, a.category_id, a.range.start, a.range.end, a.value, a.note),
        categories,
    )


def _bar(row: tuple[Any, ...], categories: dict[int | None, Category]) -> TimelineBar:
    """One annotation's bar from its plain row (id, tier, category, start, end, value, note)."""
    ident, tier_id, category_id, start, end, value, note = row
    cat = categories.get(category_id)
    colour = (cat.color if cat and cat.color else None) or (
        colour_for(cat.key) if cat else "#6b7280"
    )
    value = value or ""
    label = (
        plain(value.strip().splitlines()[0])
        if value.strip()
        else cat.label(current())
        if cat
        else plain(note.splitlines()[0] if note else "")
    )
    return TimelineBar(ident, tier_id, start, end, colour, label)


@dataclass
class FilmTracks:
    """Everything the timeline draws of one film, read and packed off the GUI thread: plain
    bars (not domain annotations), each shown tier's sub-rows, the lanes and the ↑/↓ stops."""

    tiers: list[tuple[int, str, str]]  # the shown tiers: id, name, colour
    bars: dict[int, list[TimelineBar]]  # every tier's bars (hidden tiers' too), sorted
    rows: dict[int, list[list[TimelineBar]]]  # each shown tier's sub-rows
    markers: list[tuple[int, int, str, str]]
    shot_cuts: list[int]
    matches: list[tuple[int, int, str]]
    stops: Counter[int]  # how many bar edges and markers stand at each ↑/↓ stop
    edges: dict[int, tuple[int, int]]  # annotation id -> its counted stops


def read_tracks(progress: Progress, project: ProjectWorkspace, film_id: int) -> FilmTracks:
    """Read and pack a film's tracks (on a worker, on its own connection): one query of plain
    rows, no annotation built."""
    tiers = [(t.id or 0, t.name, t.color) for t in project.tiers() if t.visible]
    categories: dict[int | None, Category] = {c.id: c for c in project.categories()}
    bars: dict[int, list[TimelineBar]] = {tid: [] for tid, _n, _c in tiers}
    stops: Counter[int] = Counter()
    edges = {}
    for n, row in enumerate(project.bar_rows(film_id)):  # by tier, start, end, id: `_bar_order`
        if n % 5000 == 0:
            progress.check()  # another film or project: stop here
        bar = _bar(row, categories)
        bars.setdefault(bar.tier_id, []).append(bar)
        edges[bar.id] = (bar.start, bar.end)
        stops[bar.start] += 1
        stops[bar.end] += 1
    rows = {}
    for tid, _n, _c in tiers:
        progress.check()
        rows[tid] = pack_tier(bars[tid])
    markers = [(m.frame, m.frame, m.color or "#ffd166", m.label) for m in project.markers(film_id)]
    stops.update(start for start, _end, _c, _l in markers)
    return FilmTracks(
        tiers,
        bars,
        rows,
        markers,
        project.shot_cuts(film_id),
        project.match_spans(film_id),
        stops,
        edges,
    )


def _read_tracks_of(progress: Progress, path: Path, film_id: int) -> FilmTracks:
    with worker_reader(path) as project:
        return read_tracks(progress, project, film_id)


def _read_tracks_once_painted(
    progress: Progress, painted: threading.Event | None, path: Path, film_id: int
) -> FilmTracks:
    wait_until_painted(progress, painted)  # the first screen is not painted in turns with it
    return _read_tracks_of(progress, path, film_id)


def show_tracks(canvas: TimelineCanvas, tracks: FilmTracks) -> list[int]:
    """Put a film's tracks and lanes on the canvas; return the frames ↑/↓ stop at."""
    canvas.set_packed_tracks(tracks.tiers, tracks.bars, tracks.rows)
    canvas.set_lane("markers", tracks.markers)
    canvas.set_shot_cuts(tracks.shot_cuts)
    canvas.set_matches(tracks.matches)
    return sorted(tracks.stops)


def load_tracks(canvas: TimelineCanvas, project: ProjectWorkspace, film: Film) -> list[int]:
    """Fill the timeline with a film's tracks and lanes here and now (overlapping annotations
    are packed into sub-rows once, not at each paint); return the frames ↑/↓ stop at."""
    return show_tracks(canvas, read_tracks(NO_PROGRESS, project, film.id or 0))


class TimelinePresenter(QObject):
    def __init__(
        self,
        session: ProjectSession,
        controller: PlayerController,
        timeline: Timeline,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.controller, self.timeline, self.runner = (
            session,
            controller,
            timeline,
            runner,
        )
        self.thumb_task: Task | None = None
        self.tracks_task: Task | None = None  # the film's tracks being read on a worker
        self._edited_meanwhile: set[int] = set()  # annotations edited while they are read
        self._lanes_meanwhile = False  # shots or matches found while they are read
        self._shown: tuple[ProjectWorkspace, int | None] | None = None  # whose tracks are up
        self._stops: Counter[int] | None = None  # ↑/↓ stops, counted: set by `reload`
        self._edges: dict[int, tuple[int, int]] = {}  # annotation id -> its counted stops
        self.reloads = 0  # whole films read again: never for an annotation edit (tests count)
        canvas = timeline.canvas
        canvas.seek.connect(controller.show_frame)
        canvas.scrub.connect(self._scrub)
        canvas.scrub_released.connect(controller.show_frame)
        canvas.range_edited.connect(self.edit_range)
        controller.frame_changed.connect(canvas.set_current)
        controller.marks.changed.connect(canvas.set_marks)
        controller.film_opened.connect(self._film_opened)
        session.changed.connect(self._changed)
        session.content_changed.connect(self.reload)
        session.project_closed.connect(self.reload)

    def _film_opened(self, info: Any) -> None:
        self.timeline.canvas.set_film(
            info.frame_count, info.rate, info.start_frame, info.drop_frame
        )
        self.reload()
        self.load_thumbnails(info)

    def _changed(self, change: Change) -> None:
        """After an edit, its undo or redo. Annotations only (nearly every key press): just
        their bars; tiers, categories or anything else: everything again (rare)."""
        refs = change.refs()
        project, film = self.session.project, self.session.film
        if self.loading and refs and all(kind == "annotation" for kind, _ident in refs):
            # the worker's read may predate this edit: its bars are read again on arrival
            self._edited_meanwhile |= {ident for _kind, ident in refs}
            return
        if (
            project is None
            or film is None
            or self._stops is None
            or not refs
            or any(kind != "annotation" for kind, _ident in refs)
        ):
            self.reload()
            return
        self.update_annotations(project, film, {ident for _kind, ident in refs})

    def update_annotations(self, project: ProjectWorkspace, film: Film, ids: set[int]) -> None:
        """Re-read just these annotations (by id) and redraw their bars, as `reload` would."""
        canvas, stops = self.timeline.canvas, self._stops
        assert stops is not None
        categories: dict[int | None, Category] = {c.id: c for c in project.categories()}
        found = project.annotations_by_id(sorted(ids))
        bars = [bar_for(a, categories) for a in found if a.film_id == film.id]
        gone, new = set(), set()
        for ident in ids:
            for edge in self._edges.pop(ident, ()):
                stops[edge] -= 1
                if stops[edge] <= 0:
                    del stops[edge]
                    gone.add(edge)
        for bar in bars:
            self._edges[bar.id] = (bar.start, bar.end)
            for edge in (bar.start, bar.end):
                if not stops[edge]:
                    new.add(edge)
                stops[edge] += 1
        canvas.replace_bars(bars, ids - {b.id for b in bars})
        self.controller.marks.move_stops(gone - new, new - gone)

    # -- tracks and lanes ---------------------------------------------------------------------
    # Opening a film reads its tracks on a worker (100,000 annotations: about a second), so the
    # window is usable at once: the lanes say they are loading, edits made meanwhile are noted
    # and read again when the bars arrive, and bars read for another project or film are
    # dropped (cancelled with the film's other work).
    @property
    def loading(self) -> bool:
        return self.tracks_task is not None

    def reload(self) -> None:
        canvas = self.timeline.canvas
        project, film = self.session.project, self.session.film
        self._cancel_tracks()
        self._stops = None
        if project is None or film is None:
            self._shown = None
            canvas.set_tracks([], [])
            canvas.set_lane("markers", [])
            canvas.set_shot_cuts([])
            canvas.set_matches([])
            self.controller.marks.set_stops([])
            return
        self.reloads += 1
        if project.path is None:  # nothing a worker could open: read here
            self._show(read_tracks(NO_PROGRESS, project, film.id or 0))
            self._shown = (project, film.id)
            return
        film_id = film.id
        painted = None  # the film's bars stay on screen: nothing to wait for
        if self._shown != (project, film_id):  # another film: its lanes at once, empty
            tiers = [(t.id or 0, t.name, t.color) for t in project.tiers() if t.visible]
            canvas.set_tracks(tiers, [])
            canvas.set_lane("markers", [])
            canvas.set_shot_cuts([])
            canvas.set_matches([])
            canvas.waiting = _("Reading the annotations…")
            self.controller.marks.set_stops([])
            painted = painted_next(canvas)  # read once the empty lanes are on screen
        # else the film's bars stay on screen (and where it is scrolled) until read again
        self._shown = (project, film_id)

        def arrived(tracks: FilmTracks) -> None:
            now = self.session.film
            if task is not self.tracks_task or self.session.project is not project:
                return  # read for another project (or an older read): not wanted
            if now is None or now.id != film_id:
                return
            self.tracks_task = None
            self._show(tracks)
            if self._lanes_meanwhile:
                self.reload_lanes()
            edited, self._edited_meanwhile = self._edited_meanwhile, set()
            if edited:
                self.update_annotations(project, now, edited)

        def failed(sentence: str) -> None:
            if task is self.tracks_task:
                canvas.waiting = sentence
                canvas.update()
                self.session.message.emit(sentence)

        def cancelled() -> None:
            if task is self.tracks_task:
                canvas.waiting = _(
                    "The annotations were not read (cancelled): open the film again to see them."
                )
                canvas.update()

        task = self.runner.run(
            _("Reading the timeline"),
            _read_tracks_once_painted,
            painted,
            project.path,
            film_id,
            scope="film",
            on_done=arrived,
            on_error=failed,
            on_cancelled=cancelled,
        )
        task.finished.connect(lambda: self._tracks_finished(task))
        self.tracks_task = task

    def reload_lanes(self) -> None:
        """Only the shots and matches lanes read again (a few rows, here): matching found
        some; the annotations' tracks stay as they are."""
        project, film = self.session.project, self.session.film
        if project is None or film is None:
            return
        self._lanes_meanwhile = self.loading  # the worker may have read them before: again then
        self.timeline.canvas.set_shot_cuts(project.shot_cuts(film.id or 0))
        self.timeline.canvas.set_matches(project.match_spans(film.id or 0))

    def _show(self, tracks: FilmTracks) -> None:
        self.controller.marks.set_stops(show_tracks(self.timeline.canvas, tracks))
        self._stops, self._edges = tracks.stops, tracks.edges

    def _tracks_finished(self, task: Task) -> None:
        if task is self.tracks_task:  # failed, cancelled or dropped: loading no more
            self.tracks_task = None
            self._edited_meanwhile = set()

    def _cancel_tracks(self) -> None:
        task, self.tracks_task = self.tracks_task, None
        self._edited_meanwhile, self._lanes_meanwhile = set(), False
        self.timeline.canvas.waiting = None
        if task is not None and task.running:
            task.drop()

    def edit_range(self, annotation_id: int, start: int, end: int) -> None:
        """A bar's edge dragged on the timeline: one undoable command (Ctrl+Z puts it back)."""
        stack = self.session.undo_stack
        if stack is None:
            return
        from critique_app.domain.commands import change_range
        from critique_app.domain.model import FrameRange

        pts = {}
        fetcher = self.controller.fetcher
        if fetcher.timing is not None:  # the exact PTS of both ends, as annotations store them
            pts = {"start_pts": fetcher.time_of(start), "end_pts": fetcher.time_of(end)}
        try:
            stack.push(change_range(annotation_id, FrameRange(start, end), **pts))
        except (UserError, ValueError) as err:
            self.session.message.emit(str(err))
            self.reload()

    def _scrub(self, index: int) -> None:
        self.controller.scrub(index)
        canvas = self.timeline.canvas
        frames = [f for f in sorted(canvas.thumbs) if f <= index]
        if frames:  # the nearest thumbnail at once; the exact frame follows from the worker
            self.controller.picture_hint(canvas.thumbs[frames[-1]], index)

    # -- thumbnails ---------------------------------------------------------------------------
    def load_thumbnails(self, info: Any) -> None:
        self.cancel_thumbnails()
        canvas = self.timeline.canvas
        project, film = self.session.project, self.session.film
        if project is not None and film is not None:
            cached = project.thumbnails(film.id, THUMB_HEIGHT)
            if cached:
                for frame, jpeg in cached.items():
                    canvas.add_thumbnail(frame, QImage.fromData(jpeg, "JPEG"))
                return
        self.generate_thumbnails(info)

    def generate_thumbnails(self, info: Any = None) -> Task | None:
        info = info or self.controller.info
        path = self.session.film_path
        if info is None or path is None:
            return None
        self.cancel_thumbnails()
        canvas = self.timeline.canvas
        canvas.thumbs.clear()
        canvas._thumb_frames.clear()
        canvas.thumb_progress = 0.0
        project, film = self.session.project, self.session.film
        film_id = film.id if film is not None else None

        def wanted() -> bool:  # still the project and film these thumbnails were made for
            now = self.session.film
            return self.session.project is project and (now.id if now else None) == film_id

        def arrived(item: Any) -> None:
            frame, jpeg = item
            if wanted():
                canvas.add_thumbnail(frame, QImage.fromData(jpeg, "JPEG"))

        def done(thumbs: dict[int, bytes]) -> None:
            if wanted() and project is not None and film_id is not None and thumbs:
                if project.read_only is not None:
                    return  # a read-only project: shown, made again next time
                try:
                    project.keep_thumbnails(film_id, thumbs, THUMB_HEIGHT)
                except UserError as err:  # a full disk: the strip is shown all the same
                    self.session.message.emit(str(err))

        task = self.runner.run(
            _("Thumbnails"),
            _thumbnails,
            path,
            sample_frames(info.frame_count, float(info.rate)),
            scope="film",
            on_partial=arrived,
            on_done=done,
        )
        task.progressed.connect(self._thumb_progress)
        task.finished.connect(lambda: self._thumbs_finished(task))
        self.thumb_task = task
        return task

    def _thumb_progress(self, done: int, total: int, _message: str = "") -> None:
        canvas = self.timeline.canvas
        if total > 0:
            canvas.thumb_progress = done / total
            canvas.update()

    def _thumbs_finished(self, task: Task) -> None:
        if task is not self.thumb_task:
            return  # an older strip, dropped: the newer one draws its own progress
        self.thumb_task = None
        self.timeline.canvas.thumb_progress = None
        self.timeline.canvas.update()

    def cancel_thumbnails(self) -> None:
        task, self.thumb_task = self.thumb_task, None
        if task is not None and task.running:
            task.drop()
            task.wait(1.0)
