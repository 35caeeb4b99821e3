"""Panels ▸ Films: the project's films, listed on the task runner, kept in step with what is
added, removed or relinked (here, by another window's worker, or by a terminal command), and
what the panel's buttons and right-click menu do to one film.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from critique_app.domain.commands import Change
from critique_app.errors import UserError
from critique_app.gui import file_dialogs
from critique_app.gui.panels.entry_list import EntryDock, ask_with_a_dialog
from critique_app.gui.panels.films.films_panel import NO_PROJECT, FilmsPanel
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, ngettext
from critique_app.services.film_list import (
    FilmEntry,
    annotations_on,
    list_films,
    relink_film,
    remove_film,
)
from critique_app.services.project_files import safety_copy_path, save_copy
from critique_app.services.workspace import ProjectWorkspace


class FilmsWindow(WindowContext, Protocol):
    """What the Films panel uses of the main window beyond its plug-in context."""

    def ask_add_film(self) -> None: ...


def removal_question(title: str, count: int, copy_name: str) -> tuple[str, str]:
    """What the confirmation says before a film leaves the project, and its button."""
    if count == 0:
        return (
            _(
                "Remove the film '{title}' from the project? Its file stays where it is; its "
                "fingerprints, thumbnails and markers in this project go with it."
            ).format(title=title),
            _("Remove the film"),
        )
    text = ngettext(
        "The film '{title}' carries {count} annotation. Removing the film from the project "
        "deletes it too, with the seminar passages taken from the film. A copy of the "
        "project as it is now is saved first as {copy}, beside the project: the "
        "annotation stays there.",
        "The film '{title}' carries {count} annotations. Removing the film from the "
        "project deletes them too, with the seminar passages taken from the film. A copy "
        "of the project as it is now is saved first as {copy}, beside the project: "
        "the annotations stay there.",
        count,
    ).format(title=title, count=count, copy=copy_name)
    return text, _("Remove the film and its annotations")


class FilmsDock(EntryDock):
    """Owns the 'Films' dock; its panel is built when first shown."""

    def __init__(self, window: FilmsWindow) -> None:
        super().__init__(window, N_("Films"), NO_PROJECT)
        self.window: FilmsWindow = window
        # Replaced in tests: a dialog that waits for a click.
        self.confirm = ask_with_a_dialog(window.as_widget(), _("Remove from project"))
        self.session.content_changed.connect(self.schedule_refresh)
        window.controller.film_opened.connect(lambda _info: self._select_on_screen())

    def make_panel(self) -> FilmsPanel:
        panel = FilmsPanel()
        panel.add_requested.connect(self.window.ask_add_film)
        panel.open_requested.connect(self.open_film)
        panel.remove_requested.connect(self.remove)
        panel.relink_requested.connect(self.ask_relink)
        panel.reveal_requested.connect(self.reveal)
        return panel

    def listing(self) -> tuple[str, Callable[..., list[FilmEntry]]]:
        return _("Listing the films"), list_films

    def listed(self) -> None:
        self._select_on_screen()

    def _select_on_screen(self) -> None:
        film = self.session.film
        if self.panel is not None and film is not None and film.id is not None:
            self.panel.select(film.id)

    # -- what the panel asks for ----------------------------------------------------------------
    def open_film(self, film_id: int) -> None:
        project = self.session.project
        if project is None:
            return
        try:
            film = project.film(film_id)
        except UserError as err:  # removed meanwhile by another program
            self.window.show_message(str(err))
            self.schedule_refresh()
            return
        if self.session.film is not None and self.session.film.id == film_id:
            return  # already on screen
        self.session.show_film(film)

    def remove(self, film_id: int) -> Task | None:
        """Ask first; keep a copy of the project when annotations would go; then remove."""
        project = self.session.project
        if project is None or project.path is None:
            return None
        if project.read_only is not None:
            self.window.show_message(project.read_only)
            return None
        try:
            title = project.film(film_id).title
            count = annotations_on(project, film_id)
        except UserError as err:
            self.window.show_message(str(err))
            return None
        copy = safety_copy_path(project.path, title)
        text, button = removal_question(title, count, copy.name)
        if not self.confirm(text, button):
            return None
        if count == 0:
            self._remove_now(project, film_id, title, count, None)
            return None

        def copied(path: object) -> None:
            self._remove_now(project, film_id, title, count, Path(str(path)))

        def not_copied(sentence: str) -> None:
            self.window.show_message(
                _("{reason} The film '{title}' was not removed: no copy could be kept.").format(
                    reason=sentence, title=title
                )
            )

        return self.window.tasks.run(
            _("Keeping a copy of the project"),
            save_copy,
            project.path,
            copy,
            scope="project",
            on_done=copied,
            on_error=not_copied,
            on_cancelled=lambda: self.window.show_message(
                _("Cancelled: the film '{title}' is still in the project.").format(title=title)
            ),
        )

    def _remove_now(
        self, project: ProjectWorkspace, film_id: int, title: str, count: int, copy: Path | None
    ) -> None:
        session = self.session
        if session.project is not project:  # another project opened meanwhile
            return
        if session.film is not None and session.film.id == film_id:
            session.leave_film()
        try:
            remove_film(project, film_id)
        except UserError as err:
            self.window.show_message(str(err))
            return
        if session.undo_stack is not None:
            session.undo_stack.clear()  # its steps may name the film's annotations
        session.content_changed.emit()
        session.changed.emit(Change("Remove film", removed=(("film", film_id),)))
        if copy is None:
            self.window.show_message(
                _("The film '{title}' is out of the project; its file is where it was.").format(
                    title=title
                )
            )
        else:
            self.window.show_message(
                ngettext(
                    "The film '{title}' is out of the project; its {count} annotation is kept "
                    "in {copy}.",
                    "The film '{title}' is out of the project; its {count} annotations are kept "
                    "in {copy}.",
                    count,
                ).format(title=title, count=count, copy=copy)
            )

    def ask_relink(self, film_id: int) -> None:
        project = self.session.project
        if project is None:
            return
        film = project.film(film_id)
        chosen = file_dialogs.open_file(
            self.window.as_widget(),
            "relink",
            _("Where is the film '{title}' now?").format(title=film.title),
            _("Films (*.mp4 *.mov *.mkv *.webm *.avi *.mxf *.m4v);;All files (*)"),
        )
        if chosen:
            self.relink(film_id, chosen)

    def relink(self, film_id: int, new_path: str | Path) -> Task | None:
        """Check by content, on the task runner, that `new_path` is the film; then use it."""
        project = self.session.project
        if project is None or project.path is None:
            return None

        def linked(sentence: object) -> None:
            self.window.show_message(str(sentence))
            if self.session.project is not project:
                return
            self.schedule_refresh()
            if self.session.film is None:  # the window had nothing to show: now it has
                self.open_film(film_id)

        return self.window.tasks.run(
            _("Relinking the film"),
            relink_film,
            project.path,
            film_id,
            new_path,
            scope="project",
            on_done=linked,
            on_error=self.window.show_message,
        )

    def reveal(self, film_id: int) -> bool:
        """Show the film's folder in the desktop's file manager."""
        project = self.session.project
        if project is None:
            return False
        folder = Path(project.film(film_id).path).parent
        return self.reveal_folder(
            folder,
            _("The folder {folder} is not there any more: Relink… finds the film.").format(
                folder=folder
            ),
        )


def install_films(window: FilmsWindow) -> FilmsDock:
    """Add Panels ▸ Films to the main window."""
    return FilmsDock(window)
