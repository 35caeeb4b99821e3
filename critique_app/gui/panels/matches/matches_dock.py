"""Perceptual matches in the window: the Provenance menu (find matches, grow the reference
library), the Matches dock beside the provenance panel, the timeline's match lane, and a match
turned into an undoable annotation. Fingerprinting and matching run on a worker with Cancel.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Protocol

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import QDockWidget, QLabel

from critique_app.domain.commands import Change
from critique_app.domain.model import FrameRange
from critique_app.gui.actions import add_menu
from critique_app.gui.file_dialogs import open_files
from critique_app.gui.panels.provenance.provenance_dock import ProvenanceDock
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, ngettext
from critique_app.services.stored_matches import (
    FilmMatches,
    StoredMatch,
    find_and_read_matches,
    read_stored_matches,
)
from critique_app.services.workspace import ProjectWorkspace

MENU = "Provenance"
EVIDENCE = "perceptual match"


def match_category(categories: list[Any]) -> int | None:
    """The vocabulary's 'perceptual match' evidence, else its provenance level, else none."""
    for wanted in (
        lambda k: k == "provenance.evidence.perceptual-match",
        lambda k: k.startswith("provenance") and k.endswith("perceptual-match"),
        lambda k: k == "provenance",
    ):
        found = next((c for c in categories if wanted(c.key)), None)
        if found is not None:
            return int(found.id)
    return None


class MatchesWindow(WindowContext, Protocol):
    """What the matches use of the main window beyond its plug-in context."""

    @property
    def provenance(self) -> ProvenanceDock:
        """Installed before the matches: their tab sits beside its dock."""
        ...


def _add_to_library(progress: Any, project_path: Path, paths: list[str]) -> Any:
    from critique_app.services.fingerprinting import add_to_library
    from critique_app.services.workspace import worker_project

    with worker_project(project_path) as project:  # a worker's own connection
        return add_to_library(project, list(paths), progress=progress)


class MatchesDock(QObject):
    """Owns the Matches dock, the Provenance menu and the running match task."""

    def __init__(self, window: MatchesWindow) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.controller = window.controller
        self.panel: Any = None  # MatchesPanel once the dock is first shown
        self.matches: list[StoredMatch] = []
        self.task: Task | None = None
        self._loaded_for: int | None = None  # film id whose matches the panel shows
        self._reading: Task | None = None  # reading them, until it finishes
        self.actions = self._make_menu()
        placeholder = QLabel(_("Open a project with a film to see its matches."))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dock: QDockWidget = window.add_panel(N_("Matches"), placeholder)
        # Tabs of the right column, each at full height (stacked, a list gets two rows):
        # Annotation | Seminars | Provenance | Matches.
        provenance = window.provenance.dock
        provenance_hidden = provenance.isHidden()
        editor = getattr(getattr(window, "annotations", None), "editor_dock", None)
        if editor is not None:
            window.tabifyDockWidget(editor, provenance)
        window.tabifyDockWidget(provenance, self.dock)
        if provenance_hidden:
            provenance.hide()
        self.dock.hide()
        provenance_toggle = provenance.toggleViewAction()
        assert provenance_toggle is not None
        provenance_toggle.triggered.connect(  # Panels ▸ Provenance: in front of its tab group
            lambda checked: provenance.raise_() if checked else None
        )
        self.dock.visibilityChanged.connect(self._shown)
        # chosen in the Panels menu: in front of the tab it shares, not hidden behind it
        toggle = self.dock.toggleViewAction()
        assert toggle is not None  # a dock always has one
        toggle.triggered.connect(lambda checked: self.dock.raise_() if checked else None)
        self.controller.film_opened.connect(self._film_opened)
        self.session.project_opened.connect(self._project_opened)
        self.session.project_closed.connect(self._project_closed)
        self.session.changed.connect(self._changed)
        window.timeline.canvas.lane_clicked.connect(self._lane_clicked)

    def _make_menu(self) -> dict[str, QAction]:
        w = self.window
        owner = w.as_widget()
        actions = {
            "find_matches": QAction(_("&Find matches in this film"), owner),
            "add_library": QAction(_("&Add stills or clips to the reference library…"), owner),
            "show_matches": QAction(_("&Show the film's matches"), owner),
            "check_provenance": QAction(_("&Check the film's Content Credentials"), owner),
        }
        actions["find_matches"].triggered.connect(self.find_matches)
        actions["add_library"].triggered.connect(self.ask_add_to_library)
        actions["show_matches"].triggered.connect(lambda: self._raise(self.dock))
        actions["check_provenance"].triggered.connect(lambda: self._raise(w.provenance.dock))
        bar = w.menuBar()
        assert bar is not None
        menu = add_menu(bar, MENU)
        assert menu is not None
        if w.panels_menu is not None:  # Panels stays last
            bar.insertMenu(w.panels_menu.menuAction(), menu)
        self.menu = menu  # the Reference library panel adds its entry
        menu.addAction(actions["check_provenance"])
        menu.addActions(w.action_table.in_menu(MENU))  # Check a file… (gui/actions.py)
        for name in ("show_matches", "find_matches", "add_library"):
            menu.addAction(actions[name])
        return actions

    @staticmethod
    def _raise(dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()

    # -- the panel -----------------------------------------------------------------------------
    def _shown(self, visible: bool) -> None:
        if visible and self.dock.isVisible():
            self.ensure_panel()
            self.load()

    def ensure_panel(self) -> Any:
        if self.panel is None:
            from critique_app.gui.panels.matches.matches_panel import MatchesPanel

            self.panel = MatchesPanel()
            self.panel.find_requested.connect(self.find_matches)
            self.panel.look_requested.connect(self.look_at)
            self.panel.annotate_requested.connect(self.annotate)
            self.dock.setWidget(self.panel)
        return self.panel

    def _project_opened(self, _project: Any) -> None:
        self.cancel()
        self._loaded_for = None

    def _project_closed(self) -> None:
        self._forget(_("Open a project with a film to see its matches."))

    def _film_opened(self, _info: Any) -> None:
        """The panel follows the film on screen: the previous film's list goes at once (even
        with the panel hidden), the new one is read now if the panel shows, else when shown."""
        project, film = self.session.project, self.session.film
        if project is None or film is None or project.path is None:
            self._forget(_("Matches are kept in a project: add this film to a project first."))
            return
        if self._has(film.id):
            return
        self._forget(_("Reading the matches of {title}…").format(title=film.title), film.id)
        if self.panel is not None and self.dock.isVisible():
            self.load()

    def _forget(self, sentence: str, film_id: int | None = None) -> None:
        self._loaded_for = None
        self.matches = []
        if self.panel is not None:
            self.panel.clear(sentence, film_id)

    def load(self) -> None:
        """Read the film's stored matches (on a worker: re-deriving counts reads fingerprints)."""
        project, film = self.session.project, self.session.film
        if self.panel is None or project is None or film is None or project.path is None:
            return
        if self._has(film.id):
            return
        self._loaded_for = film.id
        if self.panel.film_id != film.id:
            self.panel.clear(_("Reading the matches of {title}…").format(title=film.title), film.id)
        self._reading = task = self.window.tasks.run(
            _("Reading matches"),
            read_stored_matches,
            project.path,
            film.id,
            scope="film",
            visible=False,
            on_done=self._show,
            on_error=partial(self._not_read, film.id),
        )
        task.finished.connect(partial(self._read_finished, task))

    def library_changed(self) -> None:
        """The stored matches changed outside this dock (found in a terminal, or a library item
        removed with its matches): read them again now if the panel shows, else when shown."""
        if self._reading is not None:
            self._reading.drop()  # it may have read them before the change
        self._loaded_for = None
        if self.panel is not None and self.dock.isVisible():
            self.load()

    def _has(self, film_id: int) -> bool:
        """The panel lists (or is reading) this film's matches; a read dropped by a film
        switch does not count."""
        reading = self._reading
        return self._loaded_for == film_id and (reading is None or not reading.dropped)

    def _read_finished(self, task: Task) -> None:
        if self._reading is task:
            self._reading = None
            if task.dropped:  # stopped by a switch: read again when this film shows
                self._loaded_for = None

    def _not_read(self, film_id: int, sentence: str) -> None:
        if self._loaded_for == film_id:
            self._loaded_for = None  # read again the next time the panel shows
        self.window.show_message(sentence)

    def _show(self, found: FilmMatches) -> None:
        film = self.session.film
        if film is None or film.id != found.film_id or self.session.project is None:
            return  # another film came meanwhile
        self.matches = found.matches
        if self.panel is not None:
            size = self.session.project.library_size()
            self.panel.set_matches(found.matches, film, size, found.not_searched)
            self._update_annotated()

    def _changed(self, change: Change) -> None:
        if self.panel is not None and any(kind == "annotation" for kind, _i in change.refs()):
            self._update_annotated()

    def _update_annotated(self) -> None:
        """Which matches already have their annotation (so one is not made twice)."""
        project, film = self.session.project, self.session.film
        if self.panel is None or project is None or film is None:
            return
        self.panel.set_annotated(
            {
                (a.range.start, a.range.end): a.id
                for a in project.annotations(film_id=film.id)
                if a.evidence == EVIDENCE
            }
        )

    # -- looking and annotating --------------------------------------------------------------
    def look_at(self, first: int, last: int) -> None:
        self.controller.marks.mark_range(first, last)
        self.controller.show_frame(first)

    def _lane_clicked(self, key: str, first: int, last: int) -> None:
        if key != "matches":
            return
        self.look_at(first, last)
        match = next(
            (m for m in self.matches if (m.segment.start, m.segment.end) == (first, last)), None
        )
        if self.panel is not None:
            self.panel.select_span(first, last)
        label = match.segment.label if match else None
        if label is None:  # the panel was never opened: the lane carries the label
            spans = self.window.timeline.canvas.lanes["matches"].spans
            label = next((lbl for s, e, _c, lbl in spans if (s, e) == (first, last)), "?")
        self.window.show_message(
            _(
                "Frames {first}–{last} match library item “{label}” "
                "(Provenance ▸ Show the film's matches for the distances)."
            ).format(first=first, last=last, label=label)
        )

    def annotate(self, match: StoredMatch) -> int | None:
        """One undoable annotation on the matched frames (Ctrl+Z removes it)."""
        from critique_app.services.fingerprinting import match_annotation_fields

        project, film = self.session.project, self.session.film
        if project is None or film is None:
            return None
        fields: dict[str, Any] = match_annotation_fields(match.segment, match.playback(film.rate))
        del fields["start"], fields["end"]  # the segment's own frames, below
        return self.window.annotations.create(
            FrameRange(match.segment.start, match.segment.end),
            label=N_("Annotate a match"),
            category_id=match_category(project.categories()),
            **fields,
        )

    # -- long work -----------------------------------------------------------------------------
    def find_matches(self) -> Task | None:
        """Fingerprint (resuming) and match the film on a worker; the status bar has Cancel."""
        project, path = self.session.project, self.session.film_path
        if project is None or self.session.film is None or path is None:
            self.window.show_message(_("Open a project with a film to look for matches."))
            return None
        if not project.library_size():
            self.window.show_message(
                _("The reference library is empty: Provenance ▸ Add stills or clips first.")
            )
            return None
        if self.task is not None and self.task.running:
            return self.task
        self.actions["find_matches"].setEnabled(False)
        if self.panel is not None:
            self.panel.find_button.setEnabled(False)
        task = self.window.tasks.run(
            _("Finding matches"),
            find_and_read_matches,
            project.path,
            path,
            scope="film",
            on_done=lambda result: self._found(project, result),
            on_error=self.window.show_message,
            on_cancelled=lambda: self.window.show_message(
                _("Matching cancelled; the fingerprints made so far are kept for next time.")
            ),
            on_finished=self._task_finished,
        )
        self.task = task
        return task

    def _found(self, project: ProjectWorkspace, found: FilmMatches) -> None:
        if project is not self.session.project:
            return
        self.window.tracks.reload_lanes()
        film = self.session.film
        if film is not None and film.id == found.film_id:
            self._loaded_for = found.film_id
            self.matches = found.matches
            self.ensure_panel()
            self._raise(self.dock)
            self._show(found)
        n = len(found.matches)
        self.window.show_message(
            ngettext(
                "{count} matching passage found.", "{count} matching passages found.", n
            ).format(count=n)
            if n
            else _("No passage matches the reference library (which proves nothing).")
        )

    def _task_finished(self) -> None:
        self.actions["find_matches"].setEnabled(True)
        if self.panel is not None:
            self.panel.find_button.setEnabled(True)

    def ask_add_to_library(self) -> None:
        project = self.session.project
        if project is None or project.path is None:
            self.window.show_message(_("Open a project first: the library lives in it."))
            return
        paths = open_files(
            self.window.as_widget(),
            "library",
            _("Reference stills or clips (known AI-generated material)"),
            _(
                "Pictures and clips (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.mp4 *.mov *.mkv "
                "*.webm);;All files (*)"
            ),
        )
        if paths:
            self.add_to_library([str(p) for p in paths])

    def add_to_library(self, paths: list[str]) -> Task | None:
        project = self.session.project
        if project is None or project.path is None:
            return None
        return self.window.tasks.run(
            _("Adding to the library"),
            _add_to_library,
            project.path,
            paths,
            scope="project",
            on_done=self._library_added,
            on_error=self.window.show_message,
        )

    def _library_added(self, report: Any) -> None:
        added = len(report.added)
        parts = [
            ngettext(
                "{count} added to the reference library",
                "{count} added to the reference library",
                added,
            ).format(count=added)
        ]
        if report.already:
            already = len(report.already)
            parts.append(
                ngettext("{count} already there", "{count} already there", already).format(
                    count=already
                )
            )
        # the service's own sentences, every one: each file skipped is named (the bar shows
        # the start; its tooltip and Help ▸ Messages the whole)
        said = report.skipped + report.problems
        text = " ".join(
            [
                _("{parts}.").format(parts="; ".join(parts)),
                *said,
                _("Provenance ▸ Find matches looks for them."),
            ]
        )
        # a file skipped, or an item no copy of which can be found, is kept in the bar
        (self.window.keep_message if said else self.window.show_message)(text)

    def cancel(self) -> None:
        if self.task is not None and self.task.running:
            self.task.drop()
        self._task_finished()

    def close(self) -> None:
        """The window closes (its runner has already joined the worker)."""
        self.cancel()


def install_matches(window: MatchesWindow) -> MatchesDock:
    """Add the Provenance menu and the Matches dock to the main window."""
    return MatchesDock(window)
