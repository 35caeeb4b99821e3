"""The seminar panel docked in the main window: built when first shown, bound to the open
project, kept in step with undo/redo, and its Preview landing on the passage's exact in-frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, Qt, QTimer
from PyQt6.QtWidgets import QDockWidget, QLabel

from critique_app.domain.commands import Change
from critique_app.gui.export_offer import offer_exported
from critique_app.gui.panels.seminars.seminar_adding import SeminarAdder
from critique_app.gui.window_context import WindowContext
from critique_app.i18n import N_, _
from critique_app.services.workspace import ProjectWorkspace

NO_PROJECT = N_("Open a project (*.critique) to gather passages into seminars.")
_SEMINAR_KINDS = {"seminar", "seminar_item"}


class SeminarDock(QObject):
    """Owns the 'Seminars' dock; the panel inside exists once somebody looks at it."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.controller = window.controller
        self.panel: Any = None  # SeminarPanel once built
        self._pending: tuple[int, int] | None = None  # a preview waiting for its film to open
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)  # many changes in one event turn: one refresh
        self._refresh_timer.timeout.connect(self.refresh)
        placeholder = QLabel(_(NO_PROJECT))
        placeholder.setWordWrap(True)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dock: QDockWidget = window.add_panel(N_("Seminars"), placeholder)
        editor = getattr(getattr(window, "annotations", None), "editor_dock", None)
        if editor is not None:
            # A tab beside the editor: a third column would squeeze the picture and timeline,
            # and rows drag from the table at the bottom into the tab when it is in front.
            window.tabifyDockWidget(editor, self.dock)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._shown)
        # chosen in the Panels menu: in front of the tab it shares, not hidden behind it
        toggle = self.dock.toggleViewAction()
        assert toggle is not None  # a dock always has one
        toggle.triggered.connect(lambda checked: self.dock.raise_() if checked else None)
        self.session.project_opened.connect(self._project_opened)
        self.session.changed.connect(self._changed)
        self.controller.film_opened.connect(self._film_opened)
        # Undo/redo may touch seminars; the panel's own edits refresh the panel themselves.
        window.action_table["undo"].triggered.connect(self._schedule_refresh)
        window.action_table["redo"].triggered.connect(self._schedule_refresh)
        # Annotate ▸ Add to seminar… (the editor's button and the right-click menus trigger it)
        self.adder = SeminarAdder(window, self)

    # -- building and binding ----------------------------------------------------------------
    def _shown(self, visible: bool) -> None:
        if visible and self.dock.isVisible():
            self.ensure_panel()

    def show(self) -> None:
        """Bring the Seminars tab to the front (Panels ▸ Seminars does the same)."""
        self.dock.show()
        self.dock.raise_()

    def ensure_panel(self) -> Any:
        """The panel for the open project (None without a project)."""
        project = self.session.project
        if project is None:
            return None
        if self.panel is None:
            from critique_app.gui.panels.seminars.seminar_panel import SeminarPanel

            self.panel = SeminarPanel(project, self.session.undo_stack, runner=self.window.tasks)
            self.panel.setObjectName("SeminarPanel")
            self.panel.preview_requested.connect(self.preview)
            self.panel.export_finished.connect(self._exported)
            self.panel.export_failed.connect(self.window.show_message)
            self.dock.setWidget(self.panel)
        return self.panel

    def _exported(self, path: str) -> None:
        """Open and Show in folder beside the sentence: the next step is looking at it."""
        self.window.show_message(_("Seminar exported to {path}").format(path=path))
        name = Path(path).name
        offer_exported(
            self.window.as_widget(),
            path,
            _("The seminar is exported to {name}.").format(name=name),
        )

    def _project_opened(self, project: ProjectWorkspace) -> None:
        if self.panel is not None:
            self.panel.bind(project, self.session.undo_stack)
        elif self.dock.isVisible():
            # left in front at the last quit, it was shown before any project was open
            self.ensure_panel()

    def _changed(self, change: Change) -> None:
        """Annotation edits change a passage's label; deleting one removes its passages."""
        if self.panel is None:
            return
        kinds = {kind for kind, _ident in change.refs()}
        if kinds and kinds <= _SEMINAR_KINDS:
            return  # the panel's own edit (undo/redo are scheduled from their actions)
        used = {i.annotation_id for i in self.panel.current_items()}
        touched = {ident for kind, ident in change.refs() if kind == "annotation"}
        if touched & used or change.removed or change.added:
            self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        if self.panel is not None:
            self._refresh_timer.start(0)

    def refresh(self) -> None:
        if self.panel is not None and self.session.project is not None:
            self.panel.refresh()

    # -- preview -------------------------------------------------------------------------------
    def preview(self, film_id: int, first: int, last: int) -> None:
        """Open the passage's film if needed, mark it in → out and stand on its in-frame."""
        session = self.session
        if session.project is None:
            return
        if session.film is None or session.film.id != film_id:
            self._pending = (first, last)
            session.show_film(session.project.film(film_id))
            return
        self._land(first, last)

    def _film_opened(self, _info: Any) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._land(*pending)

    def _land(self, first: int, last: int) -> None:
        self.controller.marks.mark_range(first, last)
        self.controller.show_frame(first)
        self.window.show_message(
            _("Passage marked in → out; Space plays it (Ctrl+L loops between the marks).")
        )


def install_seminar_dock(window: WindowContext) -> SeminarDock:
    """Add the Seminars dock (Panels menu) to the main window."""
    return SeminarDock(window)
