"""Panels ▸ Reference library (also Provenance ▸ Reference library): the project's library,
listed on the task runner and kept in step with what is added or removed (here, or by a
terminal command such as `critique-app library add`), and what the panel's buttons and
right-click menu do to one item.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PyQt6.QtGui import QAction

from critique_app.gui.panels.entry_list import EntryDock, ask_with_a_dialog
from critique_app.gui.panels.library.library_panel import NO_PROJECT, LibraryPanel
from critique_app.gui.panels.matches.matches_dock import MatchesDock
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _


class LibraryWindow(WindowContext, Protocol):
    """What the Reference library panel uses of the main window beyond its plug-in context."""

    @property
    def matches(self) -> MatchesDock:
        """Installed before: it adds files to the library (Provenance ▸ Add stills or clips…)."""
        ...


class LibraryDock(EntryDock):
    """Owns the 'Reference library' dock (a tab beside Matches, gui/window_layout.py: what is
    searched for, next to what was found); its panel is built when first shown."""

    def __init__(self, window: LibraryWindow) -> None:
        super().__init__(window, N_("Reference library"), NO_PROJECT)
        self.window: LibraryWindow = window
        # Replaced in tests: a dialog that waits for a click.
        self.confirm = ask_with_a_dialog(window.as_widget(), _("Remove from the reference library"))
        self.show_action = QAction(_("&Reference library"), window.as_widget())
        self.show_action.triggered.connect(self.show)
        window.matches.menu.addAction(self.show_action)  # after Add stills or clips…

    def make_panel(self) -> LibraryPanel:
        panel = LibraryPanel()
        panel.add_requested.connect(self.window.matches.ask_add_to_library)
        panel.remove_requested.connect(self.remove)
        panel.reveal_requested.connect(self.reveal)
        return panel

    def listing(self) -> tuple[str, Callable[..., list[Any]]]:
        from critique_app.services.library_list import list_library  # NumPy: when first shown

        return _("Listing the reference library"), list_library

    # -- what the panel asks for ----------------------------------------------------------------
    def remove(self, item_id: int) -> Task | None:
        """Ask first, saying what goes with the item (its note, its stored matches); then
        remove it on the task runner."""
        from critique_app.services.library_list import removal_question, remove_in_worker

        project = self.session.project
        if project is None or project.path is None or self.panel is None:
            return None
        if project.read_only is not None:
            self.window.show_message(project.read_only)
            return None
        entry = self.panel.model.entry(item_id)
        if entry is None:
            return None
        if not self.confirm(removal_question(entry), _("Remove from the library")):
            return None

        def removed(sentence: object) -> None:
            # the label and note it took are in the bar and in Help ▸ Messages
            self.window.keep_message(str(sentence))
            if self.session.project is project:
                self.schedule_refresh()

        def not_removed(sentence: str) -> None:
            self.window.show_message(sentence)
            if self.session.project is project:
                self.schedule_refresh()  # removed by another program meanwhile, perhaps

        return self.window.tasks.run(
            _("Taking the item out of the reference library"),
            remove_in_worker,
            project.path,
            item_id,
            scope="project",
            on_done=removed,
            on_error=not_removed,
        )

    def reveal(self, item_id: int) -> bool:
        """Show the item's folder in the desktop's file manager."""
        entry = self.panel.model.entry(item_id) if self.panel is not None else None
        if entry is None:
            return False
        folder = Path(entry.path).parent
        gone = _("The folder {folder} is not there any more.").format(folder=folder)
        return self.reveal_folder(folder, gone)


def install_library(window: LibraryWindow) -> LibraryDock:
    """Add Panels ▸ Reference library (and Provenance ▸ Reference library) to the main window."""
    return LibraryDock(window)
