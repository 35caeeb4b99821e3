"""File ▸ Screen a folder…: a jury's screening in the window, and the Screening panel.

The same job as `critique-app screen` (Dask: a LocalCluster on this machine's cores), run by the
window's task runner with progress and Cancel; the worker opens the project on a connection of
its own and stores each result as it arrives. The panel lists the ranked rows; a double click
opens the submission at its first match.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject
from PyQt6.QtWidgets import QLabel

from critique_app.gui.file_dialogs import choose_folder
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _
from critique_app.progress import Progress
from critique_app.services.workspace import ProjectWorkspace

NO_PROJECT = N_("Open a project, then File ▸ Screen a folder… checks every submission in it.")


def _screen(progress: Progress, project_path: Path, folder: str) -> Any:
    from critique_app.services.screening_cluster import screen_folders

    return screen_folders(progress, project_path, [folder])


class ScreeningDock(QObject):
    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.panel: Any = None
        self.task: Task | None = None
        self._pending_frame: int | None = None
        self.dock = window.add_panel(N_("Screening"), QLabel(_(NO_PROJECT)))
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._shown)
        self.action = window.action_table["screen_folder"]
        self.action.triggered.connect(self.ask)
        self.session.project_opened.connect(lambda _p: self.refresh())
        self.session.project_closed.connect(self.refresh)
        window.controller.film_opened.connect(self._film_opened)

    def _shown(self, visible: bool) -> None:
        if visible:
            self.refresh()

    def ensure_panel(self) -> Any:
        if self.panel is None:
            from critique_app.gui.panels.screening.screening_panel import ScreeningPanel

            self.panel = ScreeningPanel()
            self.panel.open_film_requested.connect(self.open_submission)
            self.dock.setWidget(self.panel)
        return self.panel

    def refresh(self) -> None:
        """The project's last screening, ranked (nothing without a project)."""
        from critique_app.services.screening_table import stored_rows

        project = self.session.project
        if project is None or not self.dock.isVisible():
            return
        self.ensure_panel().show_rows(stored_rows(project.project))

    def ask(self) -> None:
        if self.session.project is None:
            self.window.show_message(_(NO_PROJECT))
            return
        folder = choose_folder(
            self.window.as_widget(), "screening", _("Screen every film and still in this folder")
        )
        if folder is not None:
            self.start(folder)

    def start(self, folder: str | Path) -> Task | None:
        project = self.session.project
        if project is None or project.path is None:
            self.window.show_message(_(NO_PROJECT))
            return None
        if self.task is not None and self.task.running:
            self.window.show_message(
                _("A screening is already running (Cancel it in the status bar).")
            )
            return self.task
        self.action.setEnabled(False)
        self.task = self.window.tasks.run(
            _("Screening"),
            _screen,
            project.path,
            str(folder),
            scope="project",
            on_done=lambda summary: self._done(project, summary),
            on_error=self.window.show_message,
            on_cancelled=lambda: self._cancelled(project),
            on_finished=lambda: self.action.setEnabled(True),
        )
        return self.task

    def _done(self, project: ProjectWorkspace, summary: Any) -> None:
        if project is not self.session.project:
            return
        self.dock.show()
        self.dock.raise_()
        self.refresh()
        self.window.show_message(" ".join(summary.sentences()))

    def _cancelled(self, project: ProjectWorkspace) -> None:
        self.window.show_message(_("Screening cancelled; the files screened so far are kept."))
        if project is self.session.project:
            self.refresh()

    def open_submission(self, path: str, frame: int) -> None:
        """Open a submission (added to the project when it is not in it) at its first match."""
        film = Path(path)
        if not film.is_file():
            self.window.show_message(
                _("{name} is not at {folder} any more.").format(name=film.name, folder=film.parent)
            )
            return
        self._pending_frame = frame
        try:
            self.session.add_film_file(film)
        except Exception as err:  # a UserError sentence
            self._pending_frame = None
            self.window.show_message(str(err))

    def _film_opened(self, _info: Any) -> None:
        if self._pending_frame is not None:
            frame, self._pending_frame = self._pending_frame, None
            self.window.controller.show_frame(frame)


def install_screening(window: WindowContext) -> ScreeningDock:
    """File ▸ Screen a folder… and the Screening dock (Panels menu)."""
    return ScreeningDock(window)
