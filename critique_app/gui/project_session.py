"""What the window has open: a project (or a bare film), the film on screen, and its timeline data.

Bridges the project repository and the player/timeline widgets; the main window only wires it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal

from critique_app.domain.commands import UndoStack
from critique_app.errors import UserError
from critique_app.gui.player_controller import PlayerController
from critique_app.gui.worker import Task, TaskRunner
from critique_app.services.workspace import ProjectWorkspace

PROJECT_SUFFIX = ".critique"


class ProjectSession(QObject):
    """Opens and closes projects and films; the one place the window learns of edits.

    Panels connect once, at start: `project_opened` when a project opens, `project_closed`
    when it goes, `changed` after every edit, undo or redo, and `content_changed` when more
    than an edit changed (a film added, tiers imported, films relinked).
    """

    message = pyqtSignal(str)
    title_changed = pyqtSignal(str)
    project_opened = pyqtSignal(object)  # ProjectWorkspace
    project_closed = pyqtSignal()
    changed = pyqtSignal(object)  # domain Change
    content_changed = pyqtSignal()

    def __init__(
        self,
        controller: PlayerController,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.runner = runner
        self.project: ProjectWorkspace | None = None
        self.film: Any = None  # domain Film when a project is open
        self.film_path: Path | None = None
        self.undo_stack: UndoStack | None = None  # shared with the panels

    # -- opening ------------------------------------------------------------------------
    def open_path(self, path: str | Path, *, read_only: bool = False) -> None:
        """A `.critique` project or a media file; UserError with a sentence when it cannot be.
        `read_only`: another window holds the project; this one only reads it."""
        path = Path(path)
        if path.suffix != PROJECT_SUFFIX and not path.exists():
            raise UserError(f"{path} does not exist.")
        if path.suffix == PROJECT_SUFFIX:  # created when missing, as on the command line
            self.open_project(path, read_only=read_only)
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
        assert self.project is not None  # open_project raises when it cannot open one
        known = next((f for f in self.project.films() if Path(f.path) == path), None)
        if known is not None:
            self.show_film(known)
            return
        self.show_film_file(path)
        self._add_film_in_background(path)

    def _add_film_in_background(self, path: Path) -> None:
        from critique_app.services.film_projects import add_film_to_project_file

        project = self.project
        assert project is not None and project.path is not None  # add_film_file opened it
        project_path = project.path

        def added(film_id: object) -> None:
            if self.project is not project:  # another project was opened meanwhile
                return
            film = project.film(int(film_id))  # type: ignore[call-overload]
            project.remember_film(film.id)
            if self.film_path == path:  # already on screen: keep the playhead where it is
                self.film = film
                self.title_changed.emit(f"{film.title} — {project_path.stem}")
            self.content_changed.emit()  # panels re-read: the new film is there
            if self.film is not film:
                self.show_film(film)
            self.message.emit(f"{path.name} is in {project_path.name}: annotate away.")

        self.runner.run(
            "Adding the film",
            add_film_to_project_file,
            project.path,
            path,
            scope="project",
            on_done=added,
            on_error=self.message.emit,
        )

    def relink(self, folder: str | Path) -> None:
        """Look for the project's moved or renamed films in `folder`, by content, on a worker."""
        from critique_app.services.film_projects import relink_project_file

        if self.project is None or self.project.path is None:
            self.message.emit("Open a project first: moved films are found for a project.")
            return
        project = self.project

        def found(sentence: object) -> None:
            self.message.emit(str(sentence))
            if self.project is project and project.path is not None:
                self.open_project(project.path)  # re-read paths; the film shows if found

        self.runner.run(
            "Finding moved films",
            relink_project_file,
            project.path,
            folder,
            scope="project",
            on_done=found,
            on_error=self.message.emit,
        )

    def import_annotations(self, path: str | Path) -> Task | None:
        """Import an ELAN / W3C / IIIF / VTT / SRT / CSV file on a worker with progress and Cancel:
        it reads and adds in one transaction on a connection of its own, then the step joins
        this window's undo stack (Ctrl+Z takes the annotations back)."""
        from critique_app.services.import_annotations import BackgroundImport, import_in_background

        if self.project is None or self.project.path is None:
            self.message.emit("Open a project first: annotations are imported into a project.")
            return None
        project, film, path = self.project, self.film, Path(path)

        def imported(result: BackgroundImport) -> None:
            if self.project is not project or self.undo_stack is None:
                return  # another project was opened meanwhile
            summary = result.summary
            if result.command is not None:
                self.undo_stack.record(result.command, result.change)
            if summary.new_tiers or summary.new_vocabularies:
                self.content_changed.emit()  # panels re-read: new tiers are there
            if summary.film_ids and (self.film is None or self.film.id not in summary.film_ids):
                self.show_film(project.film(summary.film_ids[0]))
            sentence = summary.sentence(path.name)
            if summary.added:
                sentence = sentence.rstrip(".") + "; Ctrl+Z takes them back."
            self.message.emit(sentence)

        return self.runner.run(
            "Importing annotations",
            import_in_background,
            project.path,
            path,
            film.id if film is not None else None,
            scope="project",
            on_partial=self.message.emit,  # "x.eaf holds 20,000 annotations; importing them…"
            on_done=imported,
            on_error=self.message.emit,
            on_cancelled=lambda: self.message.emit(
                f"Import of {path.name} cancelled: nothing added."
            ),
        )

    def _check_in_background(self, path: Path) -> None:
        """A large project is opened without SQLite's integrity check (it would take seconds);
        the check runs here on a worker and says so if the file is damaged."""
        from critique_app.services.workspace import check_in_background, check_project

        if not check_in_background(path):
            return

        def checked(problem: object) -> None:
            if problem:
                self.message.emit(str(problem))

        self.runner.run(
            "Checking the project",
            lambda progress: check_project(path, progress),
            scope="project",
            on_done=checked,
        )

    def open_project(self, path: Path, *, read_only: bool = False) -> None:
        because = None
        if read_only:
            because = (
                f"{path.name} is open for reading only: another Critique window edits it. "
                "Edits made there show here within a second."
            )
        self.close_project()
        self.project = ProjectWorkspace.open(path, read_only_because=because)
        self._check_in_background(path)
        self.undo_stack = self.project.new_undo_stack()
        self.undo_stack.subscribe(self.changed.emit)  # once per project; panels listen once
        self.project_opened.emit(self.project)
        if self.project.read_only is not None:  # e.g. a write-protected USB stick: read only
            self.message.emit(self.project.read_only)
        films = self.project.films()
        if not films:
            self.title_changed.emit(path.stem)
            self.message.emit(f"{path.name} has no film yet.")
            return
        last = self.project.last_film_id()
        film = next((f for f in films if f.id == last), films[0])
        self.show_film(film)

    def show_film(self, film: Any) -> None:
        self.runner.cancel("film")  # thumbnails, anchors, matches of the film leaving
        self.film = film
        path = Path(film.path)
        if not path.exists():
            self.message.emit(
                f"The film '{film.title}' is not at {path} any more; relink it by its content."
            )
            return
        if self.project is not None:
            self.project.remember_film(film.id)
        stem = self.project.path.stem if self.project and self.project.path else ""
        self.title_changed.emit(f"{film.title} — {stem}")
        self.film_path = path
        self.controller.open_film(path)

    def show_film_file(self, path: Path) -> None:
        self.runner.cancel("film")
        self.film = None
        self.film_path = path
        self.title_changed.emit(path.name)
        self.controller.open_film(path)

    def close_project(self) -> None:
        """The old project's work (and its film's) is cancelled and joined before it closes."""
        self.runner.cancel("project", "film")
        self.film = None
        if self.project is not None:
            self.project.close()
            self.project = None
            self.undo_stack = None
            self.project_closed.emit()

    def close(self) -> None:
        self.close_project()

    def undo(self) -> None:
        if self.undo_stack is not None and self.undo_stack.undo() is None:
            self.message.emit("Nothing to undo.")

    def redo(self) -> None:
        if self.undo_stack is not None and self.undo_stack.redo() is None:
            self.message.emit("Nothing to redo.")
