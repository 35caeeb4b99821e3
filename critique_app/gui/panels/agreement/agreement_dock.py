"""The Agreement panel in the window: where the class agrees and differs on the film on screen.

Measured on the window's task runner (film scope) when the panel is shown, when another film
opens, after edits (settled), and after a merge; a double click on a passage marks it in → out,
and its button adds the passages of most disagreement to a seminar on the window's undo stack.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QObject, QTimer
from PyQt6.QtWidgets import QLabel

from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, ngettext
from critique_app.progress import Progress
from critique_app.services.workspace import ProjectWorkspace

SETTLE_MS = 400  # a burst of edits measures once
NOTHING = N_("Merge the class's projects (Annotate ▸ Merge…), then see where the students agree.")


def measure(progress: Progress, project_path: Any, film_id: int) -> Any:
    """The agreement of the film's annotators, on a connection of the worker's own."""
    from critique_app.services.agreement import film_agreement
    from critique_app.services.workspace import worker_project

    with worker_project(project_path) as project:  # the worker's own connection
        return film_agreement(project, film_id, progress=progress)


class AgreementDock(QObject):
    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.panel: Any = None
        self.task: Task | None = None
        self.dock = window.add_panel(N_("Agreement"), QLabel(_(NOTHING)))
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._shown)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        window.controller.film_opened.connect(lambda _info: self.refresh())
        self.session.changed.connect(lambda _change: self._timer.start())
        self.session.content_changed.connect(self._timer.start)

    def _shown(self, visible: bool) -> None:
        if visible:
            self.refresh()

    def ensure_panel(self) -> Any:
        if self.panel is None:
            from critique_app.gui.panels.agreement.agreement_panel import AgreementPanel

            self.panel = AgreementPanel()
            self.panel.look_requested.connect(self.look_at)
            self.panel.seminar_added.connect(self._seminar_added)
            self.dock.setWidget(self.panel)
        return self.panel

    def refresh(self) -> Task | None:
        """Measure the film on screen again (nothing while the panel is hidden)."""
        project, film = self.session.project, self.session.film
        if project is None or film is None or project.path is None or not self.dock.isVisible():
            return None
        panel = self.ensure_panel()
        panel.stack = self.session.undo_stack
        if self.task is not None:
            self.task.drop()  # an older measure: its film or its annotations changed
        self.task = self.window.tasks.run(
            _("Measuring agreement"),
            measure,
            project.path,
            film.id,
            scope="film",
            visible=False,  # a second or two: the panel says when it has the figures
            on_done=lambda report: self._arrived(project, report),
            on_error=self.window.show_message,
        )
        return self.task

    def _arrived(self, project: ProjectWorkspace | None, report: Any) -> None:
        if project is self.session.project and self.panel is not None:
            self.panel.show_report(report, project)

    def look_at(self, film_id: int, first: int, last: int) -> None:
        film = self.session.film
        if film is None or film.id != film_id:
            return
        controller = self.window.controller
        controller.marks.mark_range(first, last)
        controller.show_frame(first)

    def _seminar_added(self, _seminar_id: int, count: int) -> None:
        self.window.show_message(
            ngettext(
                "{count} passage of disagreement added to a seminar (Panels ▸ Seminars; Ctrl+Z "
                "takes it back).",
                "{count} passages of disagreement added to a seminar (Panels ▸ Seminars; Ctrl+Z "
                "takes them back).",
                count,
            ).format(count=count)
        )

    def show(self) -> None:
        self.dock.show()
        self.dock.raise_()


def install_agreement(window: WindowContext) -> AgreementDock:
    """The Agreement panel (Panels menu), measured on the window's task runner."""
    return AgreementDock(window)
