"""What the window has open: a project (or a bare film), the film on screen, and its timeline data.

Bridges the project repository and the player/timeline widgets; the main window only wires it.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, Qt, pyqtSignal
from PyQt6.QtGui import QImage

from critique_app.domain.commands import UndoStack
from critique_app.errors import UserError
from critique_app.gui.player_controller import PlayerController
from critique_app.gui.timeline import Timeline, TimelineBar
from critique_app.gui.worker import Task, TaskBar
from critique_app.player import thumbnails

PALETTE = ("#4f8cc9", "#d9822b", "#3fa46a", "#c0504d", "#8e6bbf", "#2aa1a8", "#c7a431", "#d0609a")
PROJECT_SUFFIX = ".critique"


def _plain(markdown: str) -> str:
    """A note's first line without Markdown emphasis marks, for a bar label."""
    return markdown.translate(str.maketrans("", "", "*_`#>")).strip()


def _colour_for(key: str) -> str:
    return PALETTE[zlib.crc32(key.encode()) % len(PALETTE)]


class _ThumbnailSink(QObject):
    """Carries each new thumbnail from the worker thread to the GUI thread."""

    arrived = pyqtSignal(int, bytes)


class ProjectSession(QObject):
    message = pyqtSignal(str)
    title_changed = pyqtSignal(str)
    project_opened = pyqtSignal(object)  # Project

    def __init__(
        self,
        controller: PlayerController,
        timeline: Timeline,
        taskbar: TaskBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.timeline = timeline
        self.taskbar = taskbar
        self.project: Any = None
        self.film: Any = None  # domain Film when a project is open
        self.film_path: Path | None = None
        self.thumb_task: Task | None = None
        self.undo_stack: UndoStack | None = None  # shared with later panels (annotation editor)
        self.adding_film: Task | None = None
        self.relinking: Task | None = None
        self.importing: Task | None = None
        self.checking: Task | None = None
        controller.film_opened.connect(self._on_film_opened)
        canvas = timeline.canvas
        canvas.seek.connect(controller.show_frame)
        canvas.scrub.connect(self._scrub)
        canvas.scrub_released.connect(controller.show_frame)
        canvas.range_edited.connect(self.edit_range)
        controller.frame_changed.connect(canvas.set_current)
        controller.marks_changed.connect(canvas.set_marks)

    # -- opening ------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> None:
        """A `.critique` project or a media file; UserError with a sentence when it cannot be."""
        path = Path(path)
        if path.suffix != PROJECT_SUFFIX and not path.exists():
            raise UserError(f"{path} does not exist.")
        if path.suffix == PROJECT_SUFFIX:  # created when missing, as on the command line
            self.open_project(path)
        else:
            self.close_project()
            self.show_film_file(path)

    def add_film_file(self, path: str | Path) -> None:
        """Add a film to the open project (else to a project beside it) and show it.

        The picture shows at once; probing and the SHA-256 run on a worker.
        """
        from critique_app.services.film_projects import project_for_film

        path = Path(path).resolve()
        if not path.is_file():
            raise UserError(f"{path} does not exist.")
        if self.project is None or self.project.path is None:
            self.open_project(project_for_film(path))
        known = next((f for f in self.project.repo.films() if Path(f.path) == path), None)
        if known is not None:
            self.show_film(known)
            return
        self.show_film_file(path)
        self._add_film_in_background(path)

    def _add_film_in_background(self, path: Path) -> None:
        from critique_app.services.film_projects import add_film_to_project_file

        project = self.project
        task = Task("Adding the film", add_film_to_project_file, project.path, path)
        self.adding_film = task

        def added(film_id: object) -> None:
            if self.project is not project:  # another project was opened meanwhile
                return
            film = self.project.repo.get_film(int(film_id))  # type: ignore[call-overload]
            self.project.repo.set_setting("gui.last_film_id", film.id)
            if self.film_path == path:  # already on screen: keep the playhead where it is
                self.film = film
                self.title_changed.emit(f"{film.title} — {self.project.path.stem}")
            self.project_opened.emit(self.project)  # panels re-read: the new film is there
            if self.film is not film:
                self.show_film(film)
            else:
                self.reload_tracks()
            self.message.emit(f"{path.name} is in {self.project.path.name}: annotate away.")

        task.done.connect(added, Qt.ConnectionType.QueuedConnection)
        task.failed.connect(self.message.emit, Qt.ConnectionType.QueuedConnection)
        self.taskbar.follow(task)
        task.start()

    def relink(self, folder: str | Path) -> None:
        """Look for the project's moved or renamed films in `folder`, by content, on a worker."""
        from critique_app.services.film_projects import relink_project_file

        if self.project is None or self.project.path is None:
            self.message.emit("Open a project first: moved films are found for a project.")
            return
        project = self.project
        task = Task("Finding moved films", relink_project_file, project.path, folder)
        self.relinking = task

        def found(sentence: object) -> None:
            self.message.emit(str(sentence))
            if self.project is project and project.path is not None:
                self.open_project(project.path)  # re-read paths; the film shows if found

        task.done.connect(found, Qt.ConnectionType.QueuedConnection)
        task.failed.connect(self.message.emit, Qt.ConnectionType.QueuedConnection)
        self.taskbar.follow(task)
        task.start()

    def import_annotations(self, path: str | Path) -> Task | None:
        """Read an ELAN / W3C / VTT / SRT / CSV file on a worker, then add its annotations here
        as one undoable step (the undo stack and the connection belong to this thread)."""
        from critique_app.services.import_annotations import read_file

        if self.project is None:
            self.message.emit("Open a project first: annotations are imported into a project.")
            return None
        project, film, path = self.project, self.film, Path(path)
        task = Task("Reading annotations", lambda _progress: read_file(path, film))
        self.importing = task

        def read(found: object) -> None:
            from critique_app.services.import_annotations import import_entries

            if self.project is not project or self.undo_stack is None:
                return  # another project was opened meanwhile
            try:
                entries: Any = found
                summary = import_entries(
                    project, list(entries), path.name, default=film, stack=self.undo_stack
                )
            except UserError as err:
                self.message.emit(str(err))
                return
            if summary.new_tiers:
                self.project_opened.emit(project)  # panels re-read: new tiers are there
            if summary.film_ids and (self.film is None or self.film.id not in summary.film_ids):
                self.show_film(project.repo.get_film(summary.film_ids[0]))
            else:
                self.reload_tracks()
            sentence = summary.sentence(path.name)
            if summary.added:
                sentence = sentence.rstrip(".") + "; Ctrl+Z takes them back."
            self.message.emit(sentence)

        task.done.connect(read, Qt.ConnectionType.QueuedConnection)
        task.failed.connect(self.message.emit, Qt.ConnectionType.QueuedConnection)
        self.taskbar.follow(task)
        return task.start()

    def _check_in_background(self, path: Path) -> None:
        """A large project is opened without SQLite's integrity check (it would take seconds);
        the check runs here on a worker and says so if the file is damaged."""
        from db.project import check_integrity, needs_background_check

        self.checking = None
        if not needs_background_check(path):
            return
        task = Task("Checking the project", lambda _progress: check_integrity(path))
        self.checking = task

        def checked(problem: object) -> None:
            if problem:
                self.message.emit(str(problem))

        task.done.connect(checked, Qt.ConnectionType.QueuedConnection)
        self.taskbar.follow(task)
        task.start()

    def open_project(self, path: Path) -> None:
        from db.project import open_project

        self.close_project()
        self.project = open_project(path)
        self._check_in_background(path)
        self.undo_stack = UndoStack(self.project.repo)
        self.undo_stack.subscribe(lambda _change: self.reload_tracks())
        self.project_opened.emit(self.project)
        films = self.project.repo.films()
        if not films:
            self.title_changed.emit(path.stem)
            self.message.emit(f"{path.name} has no film yet.")
            return
        last = self.project.repo.setting("gui.last_film_id")
        film = next((f for f in films if f.id == last), films[0])
        self.show_film(film)

    def show_film(self, film: Any) -> None:
        self.film = film
        path = Path(film.path)
        if not path.exists():
            self.message.emit(
                f"The film '{film.title}' is not at {path} any more; relink it by its content."
            )
            return
        if self.project is not None:
            self.project.repo.set_setting("gui.last_film_id", film.id)
        self.title_changed.emit(f"{film.title} — {self.project.path.stem if self.project else ''}")
        self.film_path = path
        self.controller.open_film(path)

    def show_film_file(self, path: Path) -> None:
        self.film = None
        self.film_path = path
        self.title_changed.emit(path.name)
        self.controller.open_film(path)

    def close_project(self) -> None:
        self.cancel_thumbnails()
        if self.project is not None:
            self.project.close()
            self.project = None
            self.undo_stack = None
        self.film = None

    def close(self) -> None:
        self.close_project()

    # -- the film on screen ----------------------------------------------------------------
    def _on_film_opened(self, info: Any) -> None:
        self.timeline.canvas.set_film(
            info.frame_count, info.rate, info.start_frame, info.drop_frame
        )
        self.reload_tracks()
        self.load_thumbnails(info)

    def reload_tracks(self) -> None:
        canvas = self.timeline.canvas
        if self.project is None or self.film is None:
            canvas.set_tracks([], [])
            self.controller.set_marks([])
            return
        repo = self.project.repo
        tiers = [t for t in repo.tiers() if t.visible]
        categories = {c.id: c for c in repo.categories()}
        bars = []
        for a in repo.annotations(film_id=self.film.id):
            cat = categories.get(a.category_id)
            colour = (cat.color if cat and cat.color else None) or (
                _colour_for(cat.key) if cat else "#6b7280"
            )
            label = cat.label_en if cat else _plain(a.note.splitlines()[0] if a.note else "")
            bars.append(TimelineBar(a.id, a.tier_id, a.range.start, a.range.end, colour, label))
        canvas.set_tracks([(t.id, t.name, t.color) for t in tiers], bars)
        markers = repo.markers(self.film.id)
        canvas.set_lane(
            "markers", [(m.frame, m.frame, m.color or "#ffd166", m.label) for m in markers]
        )
        self._load_lanes()
        stops = {b.start for b in bars} | {b.end for b in bars} | {m.frame for m in markers}
        self.controller.set_marks(sorted(stops))

    def _load_lanes(self) -> None:
        """Shot cuts and provenance matches, when the fingerprint tools have stored them."""
        import json

        db, film_id, canvas = self.project.db, self.film.id, self.timeline.canvas
        row = db.execute("SELECT cuts_json FROM shots WHERE film_id = ?", [film_id]).fetchone()
        canvas.set_shot_cuts(json.loads(row[0]) if row else [])
        rows = db.execute(
            "SELECT m.start_frame, m.end_frame, l.label FROM matches m "
            "JOIN library_items l ON l.id = m.library_item_id WHERE m.film_id = ?",
            [film_id],
        ).fetchall()
        canvas.set_matches([(s, e, label) for s, e, label in rows])

    def edit_range(self, annotation_id: int, start: int, end: int) -> None:
        """A bar's edge dragged on the timeline: one undoable command (Ctrl+Z puts it back)."""
        if self.undo_stack is None:
            return
        from critique_app.domain.commands import change_range
        from critique_app.domain.model import FrameRange

        pts = {}
        server = self.controller.fetcher.server
        if server is not None:  # the exact PTS of both ends, as annotations store them
            pts = {"start_pts": server.time_of(start), "end_pts": server.time_of(end)}
        try:
            self.undo_stack.push(change_range(annotation_id, FrameRange(start, end), **pts))
        except (UserError, ValueError) as err:
            self.message.emit(str(err))
            self.reload_tracks()

    def undo(self) -> None:
        if self.undo_stack is not None and self.undo_stack.undo() is None:
            self.message.emit("Nothing to undo.")

    def redo(self) -> None:
        if self.undo_stack is not None and self.undo_stack.redo() is None:
            self.message.emit("Nothing to redo.")

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
        if self.project is not None and self.film is not None:
            cached = thumbnails.load_cached(self.project.db, self.film.id)
            if cached:
                for frame, jpeg in cached.items():
                    canvas.add_thumbnail(frame, QImage.fromData(jpeg, "JPEG"))
                return
        self.generate_thumbnails(info)

    def generate_thumbnails(self, info: Any = None) -> None:
        info = info or self.controller.info
        if info is None or self.film_path is None:
            return
        self.cancel_thumbnails()
        canvas = self.timeline.canvas
        canvas.thumbs.clear()
        canvas._thumb_frames.clear()
        frames = thumbnails.sample_frames(info.frame_count, float(info.rate))
        canvas.thumb_progress = 0.0
        sink = _ThumbnailSink(self)
        sink.arrived.connect(self._thumb_arrived)
        task = Task(
            "Thumbnails",
            lambda progress, *args, **kw: thumbnails.generate_thumbnails(
                *args, progress=progress, **kw
            ),
            self.film_path,
            frames,
            on_thumbnail=sink.arrived.emit,
        )
        task.progressed.connect(self._thumb_progress)
        task.done.connect(self._thumbs_done)
        task.finished.connect(self._thumbs_finished)
        self.taskbar.follow(task)
        self.thumb_task = task
        task.start()

    def _thumb_arrived(self, frame: int, jpeg: bytes) -> None:
        self.timeline.canvas.add_thumbnail(frame, QImage.fromData(jpeg, "JPEG"))

    def _thumb_progress(self, done: int, total: int, _message: str = "") -> None:
        canvas = self.timeline.canvas
        if total > 0:
            canvas.thumb_progress = done / total
            canvas.update()

    def _thumbs_done(self, thumbs: dict[int, bytes]) -> None:
        if self.project is not None and self.film is not None and thumbs:
            thumbnails.store(self.project.db, self.film.id, thumbs)

    def _thumbs_finished(self) -> None:
        self.timeline.canvas.thumb_progress = None
        self.timeline.canvas.update()

    def cancel_thumbnails(self) -> None:
        if self.thumb_task is not None and self.thumb_task.running:
            self.thumb_task.cancel()
            self.thumb_task.wait(5)
        self.thumb_task = None
