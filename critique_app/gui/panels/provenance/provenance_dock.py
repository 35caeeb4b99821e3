"""Panels ▸ Provenance in the window: the film's Content Credentials, checked when the dock
shows and a film opens; Provenance ▸ Check a file… for any still or film; a copy without
credentials of its own looks for its signed original in the project's library; and the
panel's "Use as category" turns the declared signal into the selected annotation's category.

The panel is built the first time the dock shows: nothing heavy runs for a panel nobody looks
at. Checks run on the window's task runner (which stops them when the window closes: the dock
holds no work of its own); the warm C2PA reader they share with screening and the reference
library is the window's to release at shutdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PyQt6.QtCore import QObject
from PyQt6.QtWidgets import QDockWidget, QWidget

from critique_app.errors import UserError
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _

if TYPE_CHECKING:  # the panel's module is loaded only when the dock first shows
    from critique_app.gui.panels.provenance.provenance_panel import ProvenancePanel
    from critique_app.provenance.report import ProvenanceReport


class ProvenanceDock(QObject):
    """Owns the Provenance dock, its panel once built, and the checks asked of it."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.panel: ProvenancePanel | None = None  # built when the dock first shows
        self._checked_film: Path | None = None  # the film whose own check was asked for
        self.dock: QDockWidget = window.add_panel(N_("Provenance"), QWidget())
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._check_film)
        window.controller.film_opened.connect(lambda _info: self._check_film(True))
        check_file = window.action_table["check_file"]  # Provenance ▸ Check a file…
        check_file.triggered.connect(self.ask_check_file)

    def ensure_panel(self) -> ProvenancePanel:
        if self.panel is None:
            from critique_app.gui.panels.provenance.provenance_panel import ProvenancePanel

            panel = ProvenancePanel(runner=self.window.tasks)
            panel.category_requested.connect(self.use_declared_category)
            panel.report_shown.connect(self.recover_credentials)
            panel.report_shown.connect(self.keep_check)
            self.dock.setWidget(panel)
            self.panel = panel
        return self.panel

    # -- checking ------------------------------------------------------------------------------
    def ask_check_file(self) -> None:
        """Provenance ▸ Check a file…: any still or film, not only the film on screen."""
        from critique_app.gui.panels.provenance import provenance_check

        path = provenance_check.choose_file(self.window.as_widget())
        if path:
            self.check_file(path)

    def check_file(self, path: str | Path) -> None:
        """Show the provenance panel in front and check `path` in it."""
        self.dock.show()
        self.dock.raise_()
        self._check_film(True)  # the film's own check first, if it was never made
        self.ensure_panel().verify(path)  # then this file's: the newer check wins

    def _check_film(self, visible: bool) -> None:
        """The film on screen is checked once the dock shows (each film once)."""
        if not visible or not self.dock.isVisible():
            return
        panel = self.ensure_panel()
        path = self.session.film_path
        if path is not None and self._checked_film != path:
            self._checked_film = path
            panel.verify(path)

    # -- what the panel asks for ---------------------------------------------------------------
    def recover_credentials(self, report: ProvenanceReport) -> Task | None:
        """A copy without credentials of its own (or with broken ones): look, on the task
        runner, for signed originals in the project's library whose pictures it shows."""
        from critique_app.services.recovered_credentials import (
            needs_recovery,
            recover_by_content,
        )

        project, panel = self.session.project, self.panel
        if project is None or project.path is None or panel is None:
            return None
        if not needs_recovery(report.to_json()):
            return None
        path, project_path = report.path, project.path

        def found(entries: list[dict[str, Any]]) -> None:
            shown = panel.report
            if project is self.session.project and shown is not None and shown.path == path:
                panel.show_recovered(entries)

        return self.window.tasks.run(
            _("Looking for the signed original"),
            lambda progress: recover_by_content(project_path, path, progress),
            scope="film",
            on_done=found,
            on_error=self.window.show_message,
        )

    def keep_check(self, report: ProvenanceReport) -> Task | None:
        """Keep the check in the open project (on the task runner) and show, in the panel,
        what changed since the file's previous check there: the history a jury audits."""
        from critique_app.services.provenance_history import record_checks

        project, panel = self.session.project, self.panel
        if project is None or project.path is None or panel is None or project.read_only:
            return None
        if report.verdict.reason == "unreadable" and not report.sha256:
            return None  # nothing was read: no check to keep
        path, project_path, report_json = report.path, project.path, report.to_json()

        def kept(records: list[Any]) -> None:
            shown = panel.report
            if project is self.session.project and shown is not None and shown.path == path:
                panel.show_changes(records[0] if records else None)

        return self.window.tasks.run(
            _("Keeping the check in the project"),
            lambda _progress: record_checks(project_path, [report_json]),
            scope="film",
            on_done=kept,
            on_error=self.window.show_message,
        )

    def use_declared_category(self, report_json: dict[str, Any]) -> None:
        """The provenance panel's "Use as category": the signal the credentials declare
        becomes the selected annotation's category (one undoable edit)."""
        from critique_app.services.declared_category import apply_declared_signal

        project, selected = self.session.project, self.window.annotations.selected_id
        if project is None or selected is None:
            self.window.show_message(
                _("Select an annotation first: the declared signal becomes its category.")
            )
            return
        try:
            change = apply_declared_signal(
                project.project, selected, report_json, stack=self.session.undo_stack
            )
        except UserError as err:
            self.window.show_message(str(err))
            return
        self.window.show_message(
            _("{change}; Ctrl+Z takes it back.").format(change=_(change.label))
        )


def install_provenance(window: WindowContext) -> ProvenanceDock:
    """Add Panels ▸ Provenance and Provenance ▸ Check a file… to the main window."""
    return ProvenanceDock(window)
