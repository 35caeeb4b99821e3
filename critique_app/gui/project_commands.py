"""File ▸ New project…, Open Recent, Save a copy of the project as… and Close project.

Opening and switching go through the window's session (all or nothing: the window stays as it
was when the new project cannot open); the copy is made on the task runner with SQLite's
backup API, and the window stays on the original.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PyQt6.QtCore import QObject
from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import QMenu

from critique_app.errors import UserError
from critique_app.gui import file_dialogs
from critique_app.gui.settings import Settings
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _
from critique_app.services.project_files import new_project_path, save_copy

PROJECTS = N_("Projects (*.critique)")
GONE = N_(
    "{path} is not there any more: it was moved, renamed or deleted, or its disk is not connected."
)


class ProjectWindow(WindowContext, Protocol):
    """What these commands use of the main window beyond its plug-in context."""

    settings: Settings

    def open_path(self, path: str | Path, *, read_only: bool = False) -> bool: ...


class ProjectCommands(QObject):
    def __init__(self, window: ProjectWindow) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        actions = window.action_table
        actions["new_project"].triggered.connect(self.ask_new_project)
        actions["save_copy"].triggered.connect(self.ask_save_copy)
        actions["close_project"].triggered.connect(self.close_project)
        self.recent_menu = QMenu(_("Open Recent"), window.as_widget())
        self.recent_menu.setObjectName("OpenRecentMenu")
        self.recent_menu.setToolTipsVisible(True)  # a missing file's sentence
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        actions["open_recent"].setMenu(self.recent_menu)
        self.fill_recent()  # keys (Alt+F, R) reach a menu with its entries
        self.session.project_switched.connect(self.remember)
        self.session.project_opened.connect(lambda _project: self._update_enabled())
        self.session.project_closed.connect(self._update_enabled)
        window.controller.film_opened.connect(lambda _info: self._film_shown())
        self._update_enabled()

    # -- New project… -------------------------------------------------------------------------
    def ask_new_project(self) -> None:
        chosen = file_dialogs.save_file(
            self.window.as_widget(),
            "project",
            _("New project"),
            _(PROJECTS),
            ask_overwrite=False,  # an existing file is refused with a sentence
        )
        if chosen:
            self.new_project(chosen)

    def new_project(self, chosen: str | Path) -> bool:
        """Make an empty project at `chosen` and switch the window to it (when it opens)."""
        try:
            path = new_project_path(chosen)
        except UserError as err:
            self.window.show_message(str(err))
            return False
        return self.window.open_path(path)

    # -- Open Recent ----------------------------------------------------------------------------
    def remember(self, path: object) -> None:
        self.window.settings.add_recent(Path(str(path)))

    def _film_shown(self) -> None:
        """A film opened on its own (no project) is a recent file too."""
        if self.session.project is None and self.session.film_path is not None:
            self.window.settings.add_recent(self.session.film_path)

    def fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        recent = self.window.settings.recent_files
        for number, path in enumerate(recent, start=1):
            name = path.name.replace("&", "&&")
            action = QAction(f"&{number % 10} {name}", menu)
            action.setObjectName("RecentFile")
            action.setData(str(path))
            if path.exists():
                action.setToolTip(str(path))
                action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
            else:
                action.setEnabled(False)
                action.setToolTip(_(GONE).format(path=path))
            menu.addAction(action)
        if not recent:
            empty = menu.addAction(_("No recent projects or films"))
            assert empty is not None
            empty.setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction(_("Clear the list"))
        assert clear is not None
        clear.setObjectName("ClearRecent")
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self.clear_recent)

    def open_recent(self, path: Path) -> bool:
        if not path.exists():  # gone since the menu was filled
            self.window.show_message(_(GONE).format(path=path))
            self.fill_recent()
            return False
        return self.window.open_path(path)

    def clear_recent(self) -> None:
        self.window.settings.recent_files = []
        self.fill_recent()
        self.window.show_message(_("The list of recent projects and films is empty now."))

    # -- Save a copy of the project as… ---------------------------------------------------------
    def ask_save_copy(self) -> None:
        project = self.session.project
        if project is None or project.path is None:
            self.window.show_message(_("Open a project first: there is no project to copy."))
            return
        suggested = project.path.with_name(
            _("{name} copy").format(name=project.path.stem) + ".critique"
        )
        chosen = file_dialogs.save_file(
            self.window.as_widget(),
            "project",
            _("Save a copy of the project as"),
            _(PROJECTS),
            name=str(suggested),
        )
        if chosen:
            self.save_copy(chosen)

    def save_copy(self, chosen: str | Path) -> Task | None:
        """Copy the open project to `chosen` on the task runner; the window stays on it."""
        project = self.session.project
        if project is None or project.path is None:
            self.window.show_message(_("Open a project first: there is no project to copy."))
            return None
        name = project.path.name

        def saved(target: object) -> None:
            self.window.show_message(
                _("A copy of {name} is saved as {target}; the window still shows {name}.").format(
                    name=name, target=target
                )
            )

        return self.window.tasks.run(
            _("Saving a copy of the project"),
            save_copy,
            project.path,
            chosen,
            scope="window",  # a copy under way is finished even when the project closes
            on_done=saved,
            on_error=self.window.show_message,
            on_cancelled=lambda: self.window.show_message(
                _("Copy cancelled: nothing was written, and the project is unchanged.")
            ),
        )

    # -- Close project --------------------------------------------------------------------------
    def close_project(self) -> None:
        if self.session.project is None and self.session.film_path is None:
            self.window.show_message(_("Nothing is open."))
            return
        had_project = self.session.project is not None
        self.session.close_everything()
        if had_project:
            self.window.show_message(
                _(
                    "The project is closed; everything in it was already saved. "
                    "Open another with Ctrl+O or File ▸ Open Recent."
                )
            )
        else:
            self.window.show_message(_("The film is closed."))

    def _update_enabled(self) -> None:
        has_project = self.session.project is not None
        self.window.action_table["save_copy"].setEnabled(has_project)


def install_project_commands(window: ProjectWindow) -> ProjectCommands:
    """Wire File ▸ New project…, Open Recent, Save a copy as… and Close project."""
    return ProjectCommands(window)
