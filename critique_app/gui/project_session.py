"""What the window has open: a project (or a bare film), the film on screen, and its timeline data.

Bridges the project repository and the player/timeline widgets; the main window only wires it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtWidgets import QWidget

from critique_app.domain.commands import UndoStack
from critique_app.errors import UserError
from critique_app.gui.first_paint import painted_next, wait_until_painted
from critique_app.gui.player.frame_fetcher import PreparedFilm, prepare_film
from critique_app.gui.player.player_controller import PlayerController
from critique_app.gui.worker import Task, TaskRunner
from critique_app.i18n import N_, _
from critique_app.progress import Progress
from critique_app.services.workspace import ProjectWorkspace

PROJECT_SUFFIX = ".critique"
NOT_THERE = N_("The film '{title}' is not at {path} any more; relink it by its content.")


@dataclass
class PreparedOpen:
    """A project made ready on a worker: checked (format, version, lock, damage), read, and
    its film prepared. Nothing on screen changed for it yet."""

    project_path: Path
    because: str | None = None  # read only on purpose (another window edits it), and why
    film_id: int | None = None
    film: PreparedFilm | None = None
    notes: list[str] = field(default_factory=list)  # said once switched

    def close(self) -> None:
        if self.film is not None:
            self.film.close()
            self.film = None


def prepare_project(progress: Progress, path: Path, because: str | None = None) -> PreparedOpen:
    """For a worker: open the project on a connection of its own (every refusal is a
    UserError sentence), read what the lanes and panels show first, and prepare the film it
    showed last (else the first that can be shown)."""
    project = ProjectWorkspace.open(path, read_only_because=because)
    try:
        films = project.films()
        last = project.last_film_id()
        project.tiers()
        project.categories()
        read_only = project.read_only
    finally:
        project.close()
    prepared = PreparedOpen(path, because)
    if read_only is not None:  # opens all the same, for reading; it says so
        prepared.notes.append(read_only)
    if not films:
        prepared.notes.append(_("{name} has no film yet.").format(name=path.name))
    said_missing = False  # one missing film is said; the others are found by relinking too
    for film in sorted(films, key=lambda f: f.id != last):
        progress.check()
        if not Path(film.path).is_file():
            if not said_missing:
                prepared.notes.append(_(NOT_THERE).format(title=film.title, path=film.path))
                said_missing = True
            continue
        try:
            prepared.film = prepare_film(progress, film.path)
        except UserError as err:
            prepared.notes.append(str(err))
            continue
        prepared.film_id = film.id
        break
    return prepared


class ProjectSession(QObject):
    """Opens and closes projects and films; the one place the window learns of edits.

    Panels connect once, at start: `project_opened` when a project opens, `project_closed`
    when it goes, `changed` after every edit, undo or redo, and `content_changed` when more
    than an edit changed (a film added, tiers imported, films relinked).
    """

    message = pyqtSignal(str)
    # a sentence the user must be able to read after looking away: an import's summary
    lasting_message = pyqtSignal(str)
    title_changed = pyqtSignal(str)
    open_failed = pyqtSignal(str)  # a sentence: nothing was switched
    project_switched = pyqtSignal(object)  # Path of the project now open
    project_opened = pyqtSignal(object)  # Project
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
        self.opening: Task | None = None  # the open being prepared, if any

    # -- opening: prepared on a worker, switched in one go -----------------------------------
    # Every open (project, film of the project, bare film) is made ready off the GUI thread:
    # the project checked and read, the film probed and its first exact frame decoded. Only
    # then does the window switch (title, picture, lanes, panels, undo stack) in one call on
    # the GUI thread; when anything fails, the window stays exactly as it was and says why.

    def open_path(self, path: str | Path, *, read_only: bool = False) -> Task | None:
        """A `.critique` project or a media file; UserError with a sentence when it cannot be
        (at once for a missing film; else `open_failed` when preparing it fails).
        `read_only`: another window holds the project; this one only reads it."""
        path = Path(path)
        if path.suffix != PROJECT_SUFFIX and not path.is_file():
            raise UserError(_("{path} does not exist.").format(path=path))
        if path.suffix == PROJECT_SUFFIX:  # created when missing, as on the command line
            return self.open_project(path, read_only=read_only)
        return self.show_film_file(path, leave_project=True)

    def add_film_file(self, path: str | Path) -> None:
        """Add a film to the open project (else to a project beside it) and show it.

        The picture shows as soon as it is decoded; probing and the SHA-256 run on workers.
        """
        from critique_app.services.film_projects import project_for_film

        path = Path(path).resolve()
        if not path.is_file():
            raise UserError(_("{path} does not exist.").format(path=path))
        if self.project is None or self.project.path is None:
            self.open_project(project_for_film(path), then=lambda: self._add_film(path))
            return
        self._add_film(path)

    def _add_film(self, path: Path) -> None:
        if self.project is None:  # the project did not open: it said why
            return
        known = next((f for f in self.project.films() if Path(f.path) == path), None)
        if known is not None:
            self.show_film(known)
            return
        self.show_film_file(path)
        self._add_film_in_background(path)

    def _add_film_in_background(self, path: Path) -> None:
        from critique_app.services.film_projects import add_film_to_project_file

        project = self.project
        if project is None or project.path is None:
            return  # nothing to add it to: the film shows alone

        def added(film_id: object) -> None:
            if self.project is not project or project is None:  # another project opened
                return
            film = project.film(int(film_id))  # type: ignore[call-overload]
            project.remember_film(film.id)
            if self.film_path == path:  # already on screen: keep the playhead where it is
                self.film = film
                self.title_changed.emit(self._title(film.title))
            self.content_changed.emit()  # panels re-read: the new film is there
            if self.film is not film:
                self.show_film(film)
            name = project.path.name if project.path is not None else path.name
            self.message.emit(
                _("{film} is in {project}: annotate away.").format(film=path.name, project=name)
            )

        self.runner.run(
            _("Adding the film"),
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
            self.message.emit(_("Open a project first: moved films are found for a project."))
            return
        project = self.project

        def found(sentence: object) -> None:
            self.message.emit(str(sentence))
            if self.project is project and project.path is not None:
                self.open_project(project.path)  # re-read paths; the film shows if found

        self.runner.run(
            _("Finding moved films"),
            relink_project_file,
            project.path,
            folder,
            scope="project",
            on_done=found,
            on_error=self.message.emit,
        )

    def import_annotations(
        self, path: str | Path, encoding: str | None = None, format_name: str | None = None
    ) -> Task | None:
        """Import an ELAN / W3C / IIIF / VTT / SRT / CSV file on a worker with progress and Cancel:
        it reads and adds in one transaction on a connection of its own, then the step joins
        this window's undo stack (Ctrl+Z takes the annotations back). `encoding` (a codec
        name, None: detected) is the text encoding the dialog's choice names, `format_name`
        (None: from the file) the format its Format choice names."""
        from critique_app.services.import_annotations import BackgroundImport, import_in_background

        if self.project is None or self.project.path is None:
            self.message.emit(_("Open a project first: annotations are imported into a project."))
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
                sentence = _("{summary}; Ctrl+Z takes them back.").format(
                    summary=sentence.rstrip(".")
                )
            self.lasting_message.emit(sentence)

        return self.runner.run(
            _("Importing annotations"),
            import_in_background,
            project.path,
            path,
            film.id if film is not None else None,
            encoding=encoding,
            format_name=format_name,
            scope="project",
            on_partial=self.message.emit,  # "x.eaf holds 20,000 annotations; importing them…"
            on_done=imported,
            on_error=self.message.emit,
            on_cancelled=lambda: self.message.emit(
                _("Import of {name} cancelled: nothing added.").format(name=path.name)
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

        window = self.parent()  # its first screen is painted before the check takes a core
        painted = painted_next(window) if isinstance(window, QWidget) else None

        def check(progress: Progress) -> str | None:
            wait_until_painted(progress, painted)
            return check_project(path, progress)

        self.runner.run(
            _("Checking the project"),
            check,
            scope="project",
            on_done=checked,
        )

    def open_project(
        self, path: Path, *, read_only: bool = False, then: Callable[[], None] | None = None
    ) -> Task | None:
        """Check and read the project, prepare its film; switch when all of it succeeded.
        `then` runs after the switch. `read_only`: another window holds it; only read it."""
        path = Path(path)
        because = None
        if read_only:
            because = _(
                "{name} is open for reading only: another Critique window edits it. "
                "Edits made there show here within a second."
            ).format(name=path.name)

        def ready(prepared: PreparedOpen) -> None:
            self._switch_project(prepared)
            if then is not None and self.project is not None and self.project.path == path:
                then()

        return self._prepare(
            _("Opening {name}").format(name=path.name),
            prepare_project,
            path,
            because,
            on_ready=ready,
        )

    def show_film(self, film: Any) -> Task | None:
        """Show a film of the open project once its first exact frame is decoded; a film whose
        file is gone (or does not decode) leaves the window on the film it shows."""
        path = Path(film.path)
        if not path.is_file():
            self.message.emit(_(NOT_THERE).format(title=film.title, path=path))
            return None
        project = self.project

        def ready(prepared: PreparedFilm) -> None:
            if self.project is not project:  # another project opened meanwhile
                prepared.close()
                return
            self._show_prepared(film, prepared)

        return self._prepare(
            _("Opening {name}").format(name=film.title), prepare_film, path, on_ready=ready
        )

    def show_film_file(self, path: Path, leave_project: bool = False) -> Task | None:
        """A film by its path: alone (`leave_project`: the project closes when it shows), or
        while it is being added to the open project."""
        path = Path(path)
        project = self.project

        def ready(prepared: PreparedFilm) -> None:
            if leave_project:
                self.close_project()
            elif self.project is not project:
                prepared.close()
                return
            self._show_prepared(None, prepared)

        return self._prepare(
            _("Opening {name}").format(name=path.name), prepare_film, path, on_ready=ready
        )

    def _prepare(
        self,
        label: str,
        fn: Callable[..., Any],
        *args: Any,
        on_ready: Callable[[Any], None],
    ) -> Task | None:
        """Run `fn(progress, *args)` on the runner (one open at a time: a newer one replaces
        it); `on_ready(result)` switches. What is not switched to is closed again."""
        if self.opening is not None:
            self.opening.drop()
        task = self.runner.run(
            label,
            fn,
            *args,
            scope="window",  # survives the project and film it replaces
            on_done=on_ready,
            on_error=self._open_failed,
            on_cancelled=lambda: self._open_failed(_("{task} cancelled.").format(task=label)),
        )
        task.finished.connect(lambda: self._prepared_finished(task))
        self.opening = task
        if task.dropped:  # the window is closing
            self.opening = None
            return None
        return task

    def _prepared_finished(self, task: Task) -> None:
        if self.opening is task:
            self.opening = None
        result = task.result
        if isinstance(result, (PreparedFilm, PreparedOpen)):
            result.close()  # nothing once switched to (the fetcher took the server over)

    def _open_failed(self, sentence: str) -> None:
        """Nothing changed: title, picture, lanes, keys, panels and undo stack are as before."""
        still = self.film_path.name if self.film_path is not None else None
        if still is not None and still not in sentence:
            sentence = _("{reason} Still showing {name}.").format(
                reason=sentence.rstrip(), name=still
            )
        self.message.emit(sentence)
        self.open_failed.emit(sentence)

    def _switch_project(self, prepared: PreparedOpen) -> None:
        """The one place a project replaces another: it was checked on the worker; opened here
        again (quick: checked already) on the GUI thread's own connection, then swapped."""
        path = prepared.project_path
        project = film = None
        try:
            project = ProjectWorkspace.open(path, check_limit=0, read_only_because=prepared.because)
            if prepared.film_id is not None:
                film = project.film(prepared.film_id)
        except Exception as err:  # changed since it was checked: stay where we are
            if project is not None:
                project.close()
            prepared.close()
            self._open_failed(str(err) if isinstance(err, UserError) else f"{path.name}: {err}")
            return
        # From here on nothing fails: the switch.
        self.close_project()
        self.project = project
        self._check_in_background(path)
        self.undo_stack = project.new_undo_stack()
        self.undo_stack.subscribe(self.changed.emit)  # once per project; panels listen once
        self.project_opened.emit(project)
        if film is not None and prepared.film is not None:
            film_ready, prepared.film = prepared.film, None
            self._show_prepared(film, film_ready)
        else:
            self.film, self.film_path = None, None
            self.title_changed.emit(self._title(None))
            self.controller.unload()
        for note in prepared.notes:
            self.message.emit(note)
        self.project_switched.emit(path)

    def _show_prepared(self, film: Any, prepared: PreparedFilm) -> None:
        self.runner.cancel("film")  # thumbnails, anchors, matches of the film leaving
        self.film = film
        self.film_path = prepared.path
        project = self.project
        if film is not None and project is not None and project.read_only is None:
            try:
                project.remember_film(film.id)
            except UserError as err:  # a full disk: the film shows all the same
                self.message.emit(str(err))
        self.title_changed.emit(self._title(film.title if film is not None else prepared.path.name))
        self.controller.adopt_film(prepared)

    def _title(self, shown: str | None) -> str:
        project = self.project
        if project is None or project.path is None:
            return shown or ""
        name = project.path.stem
        if project.read_only is not None:
            name = _("{name} (read only)").format(name=name)
        return f"{shown} — {name}" if shown else name

    def close_project(self) -> None:
        """The old project's work (and its film's) is cancelled and joined before it closes."""
        self.runner.cancel("project", "film")
        self.film = None
        if self.project is not None:
            self.project.close()
            self.project = None
            self.undo_stack = None
            self.project_closed.emit()

    def leave_film(self) -> None:
        """No film on screen any more (it left the project): its work stops, the picture goes."""
        self.runner.cancel("film")
        self.film, self.film_path = None, None
        self.title_changed.emit(self._title(None))
        self.controller.unload()

    def close_everything(self) -> None:
        """File ▸ Close project: the open being prepared, the project and the film on screen
        all go; the window is as it was at start, with nothing open."""
        self.close()
        self.film_path = None
        self.title_changed.emit("")
        self.controller.unload()

    def close(self) -> None:
        task, self.opening = self.opening, None
        if task is not None:
            task.drop()
        self.close_project()

    def undo(self) -> None:
        """Ctrl+Z. The step undone is said: an import's summary ("... Ctrl+Z removes them")
        stayed in the status bar after its import was undone, as if it were still there."""
        if self.undo_stack is None:
            return
        step = self.undo_stack.undo_label
        if self.undo_stack.undo() is None:
            self.message.emit(_("Nothing to undo."))
        elif step:
            self.message.emit(_("Undone: {step} (Ctrl+Shift+Z redoes it).").format(step=step))

    def redo(self) -> None:
        if self.undo_stack is None:
            return
        step = self.undo_stack.redo_label
        if self.undo_stack.redo() is None:
            self.message.emit(_("Nothing to redo."))
        elif step:
            self.message.emit(_("Redone: {step}.").format(step=step))
