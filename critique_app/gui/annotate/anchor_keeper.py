"""Keeps anchor fingerprints up to date while annotating: after an edit leaves annotations of
the film on screen without anchors (created, range dragged, undone, redone), a worker hashes
their first/middle/last exact frames and the GUI thread stores them in the project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from critique_app.domain.commands import Change
from critique_app.domain.model import FrameRange
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import _
from critique_app.progress import Progress
from critique_app.services.anchors import compute_anchor_hashes
from critique_app.services.workspace import ProjectWorkspace

SETTLE_MS = 250  # a burst of edits (typing, several undos) starts one pass, not one per edit


def _hash_anchors(progress: Progress, film: Path, ranges: dict[int, FrameRange]) -> Any:
    return compute_anchor_hashes(film, ranges, progress)


class AnchorKeeper(QObject):
    """One background pass at a time; a newer edit cancels the pass before it.

    The first pass on a film asks the project for every annotation of it without anchors;
    later passes only for the annotations edits touched since (and those a cancelled or
    failed pass left undone). Both are one query on ids and frames: building the film's
    100,000 annotations for the first pass held the GUI thread 2.9 s after the first edit."""

    stored = pyqtSignal(int)  # how many annotations got their anchors

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.task: Task | None = None
        self._todo_of_task: dict[int, FrameRange] = {}
        self._pending: set[int] = set()  # annotations edited since the last pass started
        self._covered: tuple[ProjectWorkspace, int | None] | None = None  # film a pass saw whole
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.start)
        self.session.project_opened.connect(lambda _project: self._forget())
        self.session.content_changed.connect(self._forget_covered)  # merged, imported...
        self.session.project_closed.connect(self._forget_covered)  # and let the project go
        self.session.changed.connect(self._changed)

    def _changed(self, change: Change) -> None:
        refs = (*change.added, *change.modified)
        edited = {ident for kind, ident in refs if kind == "annotation"}
        gone = {ident for kind, ident in change.removed if kind == "annotation"}
        if gone & set(self._todo_of_task) and self.task is not None:
            # The pass is hashing annotations that are no more (an import undone with Ctrl+Z,
            # a deletion): it stops, and the next one hashes what is left of its work.
            self.cancel()
            edited |= self._pending
        self._pending -= gone
        edited -= gone
        if edited:
            self._pending |= edited
            self._timer.start()

    def _forget(self) -> None:
        self.cancel()
        self._pending.clear()
        self._covered = None

    def _forget_covered(self) -> None:
        self._covered = None  # the next pass looks at the whole film again

    def _todo(self) -> dict[int, FrameRange]:
        """What the next pass hashes: the film's annotations without anchors (all of them on
        a film not yet seen whole, else only those edited since)."""
        project, film = self.session.project, self.session.film
        if project is None or film is None or self.session.film_path is None:
            return {}
        if self._covered != (project, film.id):
            return project.missing_anchors(film.id)
        return project.missing_anchors(film.id, among=sorted(self._pending))

    def start(self) -> Task | None:
        """Hash the anchors the film on screen still lacks (cancelling an older pass)."""
        self.cancel()
        project, film = self.session.project, self.session.film
        if project is None or film is None or self.session.film_path is None:
            return None
        todo = self._todo()
        self._covered, self._pending = (project, film.id), set()
        if not todo:
            return None
        path, project = self.session.film_path, self.session.project
        task = self.window.tasks.run(
            _("Anchor fingerprints"),
            _hash_anchors,
            path,
            todo,
            scope="film",
            on_error=lambda message: self._failed(task, message),
        )
        task.done.connect(lambda hashes: self._arrived(task, project, hashes, todo))
        self.task, self._todo_of_task = task, todo
        return task

    def _failed(self, task: Task, message: str) -> None:
        if task is self.task:
            self._pending |= set(self._todo_of_task)  # the next pass tries them again
        self.window.show_message(message)

    def _arrived(
        self, task: Task, project: ProjectWorkspace | None, hashes: Any, todo: dict[int, FrameRange]
    ) -> None:
        if task is not self.task or project is None or project is not self.session.project:
            return  # a newer pass or another project: these results are not wanted
        self.task = None
        # Here, on the GUI thread: the project's SQLite connection belongs to it.
        self.stored.emit(project.store_anchors(hashes, todo))

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or (self.task is not None and self.task.running)

    def cancel(self) -> None:
        self._timer.stop()
        if self.task is not None:
            self.task.drop()  # it stops at its next frame; its result is ignored
            self.task = None
            self._pending |= set(self._todo_of_task)  # left undone: the next pass does them

    def close(self) -> None:
        """The window closes (its runner has already joined the worker)."""
        self.cancel()


def install_anchor_keeper(window: WindowContext) -> AnchorKeeper:
    return AnchorKeeper(window)
