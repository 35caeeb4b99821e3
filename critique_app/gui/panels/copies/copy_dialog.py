"""Provenance ▸ Move annotations onto another copy of this film…: the long part (fingerprints,
alignment, placing) on a worker with progress and Cancel, the creation on the GUI thread.

Why split: the project's SQLite connection belongs to the GUI thread, and so does its undo
stack. The worker opens its own connection (WAL lets both work) and writes only derived data
there (the copy as a film, its fingerprints); it returns a plan. The annotations are then
created here, through the window's undo stack, as ONE command: Ctrl+Z removes them all and
every view hears the change like any other edit. An annotation edited while the worker ran is
listed as not placed instead of being copied stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from critique_app.errors import UserError
from critique_app.gui.actions import PROVENANCE, find_menu
from critique_app.gui.file_dialogs import open_file
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, format_number
from critique_app.progress import Progress
from critique_app.services.workspace import ProjectWorkspace

ACTION_TEXT = N_("&Move annotations onto another copy of this film…")
FILMS = N_("Films (*.mp4 *.mov *.mkv *.webm *.avi *.mxf *.m4v);;All files (*)")


def _plan(progress: Progress, project_path: Path, film_id: int, copy_path: str) -> Any:
    from critique_app.services.copies import plan_copy
    from critique_app.services.workspace import worker_project

    with worker_project(project_path) as project:  # the worker's own connection
        return plan_copy(project, film_id, copy_path, progress)


class CopySummary(QDialog):
    """The mapping with its confidence, and every passage that was not placed, with why."""

    def __init__(self, result: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CopySummary")
        self.setWindowTitle(_("Annotations on '{title}'").format(title=result.copy_film.title))
        self.resize(640, 360)
        self.sentence = QLabel(result.sentence())
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        m = result.mapping
        self.confidence = QLabel(
            _(
                "Confidence {confidence}: share of the annotated film's pictures found at the "
                "mapped frame (median distance {distance} bits). Each placed passage "
                "was checked on its own pictures."
            ).format(confidence=f"{m.confidence:.0%}", distance=format_number(m.median_distance))
        )
        self.confidence.setWordWrap(True)
        source = result.source_film
        self.unplaced = QTableWidget(len(result.unplaced), 3)
        self.unplaced.setHorizontalHeaderLabels(
            [_("Passage"), _("Annotation"), _("Why not placed")]
        )
        self.unplaced.verticalHeader().hide()  # type: ignore[union-attr]
        self.unplaced.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, u in enumerate(result.unplaced):
            where = source.timecode(u.start)
            if u.end != u.start:
                where += f" – {source.timecode(u.end)}"
            for col, text in enumerate((where, u.note or f"#{u.source_id}", u.reason)):
                self.unplaced.setItem(row, col, QTableWidgetItem(text))
        self.unplaced.resizeColumnsToContents()
        self.unplaced.horizontalHeader().setStretchLastSection(True)  # type: ignore[union-attr]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        column = QVBoxLayout(self)
        column.addWidget(self.sentence)
        column.addWidget(self.confidence)
        if result.unplaced:
            column.addWidget(QLabel(_("Not placed (nothing was guessed):")))
            column.addWidget(self.unplaced)
        else:
            self.unplaced.hide()
        column.addWidget(buttons)


class CopyMover(QObject):
    """Owns the menu action and the running task; one move at a time."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.task: Task | None = None
        self.result: Any = None  # the last CopyResult
        self.summary: CopySummary | None = None
        self.action = QAction(_(ACTION_TEXT), window.as_widget())
        self.action.setObjectName("move_to_copy")
        self.action.triggered.connect(self.ask)
        self._menu().addAction(self.action)
        # No event filter on the window: its shutdown closes every plug-in (gui/plug_ins.py).

    def _menu(self) -> QMenu:
        """The Provenance menu (the other copies of a film are a provenance question)."""
        bar = self.window.menuBar()
        assert bar is not None
        provenance = find_menu(bar, PROVENANCE)
        if provenance is not None:
            provenance.addSeparator()
            return provenance
        menu = find_menu(bar, "File")
        assert menu is not None
        return menu

    def ask(self) -> None:
        if self.session.project is None or self.session.film is None:
            self.window.show_message(_("Open a project with an annotated film first."))
            return
        path = open_file(
            self.window.as_widget(),
            "copy",
            _("Another copy of '{title}'").format(title=self.session.film.title),
            _(FILMS),
        )
        if path is not None:
            self.start(path)

    def start(self, copy_path: str | Path) -> Task | None:
        """Align on a worker; the annotations are created when it is done (one undo step)."""
        project, film = self.session.project, self.session.film
        if project is None or film is None or project.path is None:
            self.window.show_message(_("Open a project with an annotated film first."))
            return None
        if self.task is not None and self.task.running:
            return self.task
        self.action.setEnabled(False)
        task = self.window.tasks.run(
            _("Moving annotations"),
            _plan,
            project.path,
            film.id,
            str(copy_path),
            scope="project",
            on_done=lambda plan: self._planned(project, plan),
            on_error=self.window.show_message,
            on_cancelled=lambda: self.window.show_message(
                _("Moving cancelled: no annotation was created (fingerprints made are kept).")
            ),
            on_finished=lambda: self.action.setEnabled(True),
        )
        self.task = task
        return task

    def _planned(self, project: ProjectWorkspace, plan: Any) -> None:
        from critique_app.services.copies import apply_copy_plan

        stack = self.session.undo_stack
        if project is not self.session.project or stack is None:
            return  # another project was opened meanwhile: nothing to create here
        try:
            self.result = apply_copy_plan(plan, stack)
        except (UserError, ValueError) as err:
            self.window.show_message(str(err))
            return
        if self.result.created:  # show them: the copy becomes the film on screen
            self.session.show_film(project.film(plan.copy_film.id))
        self.window.show_message(self.result.sentence())
        self.summary = CopySummary(self.result, self.window.as_widget())
        self.summary.show()

    def close(self) -> None:
        """The window closes: the runner cancels and joins the worker itself."""
        if self.task is not None:
            self.task.drop()


def install_copy_mover(window: WindowContext) -> CopyMover:
    """Add 'Move annotations onto another copy of this film…' to the Provenance menu."""
    return CopyMover(window)
