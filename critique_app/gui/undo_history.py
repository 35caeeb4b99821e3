"""History: Edit ▸ Undo / Redo say what they will undo and redo ("Undo Edit note"), and the
Undo history panel lists the project's steps, marks the current one, and goes back or forward
to any step clicked. Both read the project's one domain UndoStack (gui/project_session.py).
"""

from __future__ import annotations

from PyQt6.QtCore import QObject
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import QListWidget, QListWidgetItem

from critique_app.domain.commands import UndoStack
from critique_app.gui.window_context import WindowContext
from critique_app.i18n import N_, _

START = N_("The project as it was opened")
NO_PROJECT = N_("Open a project: its edits are listed here, and a click goes back to any of them.")


class UndoHistory(QObject):
    """Keeps the Undo/Redo menu items and the history panel in step with the undo stack."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.undo_action = window.action_table["undo"]
        self.redo_action = window.action_table["redo"]
        self._moving = False  # stepping through many edits: redraw once, at the end
        self.list = QListWidget()
        self.list.setObjectName("UndoHistory")
        self.list.setToolTip(_("Click a step to undo or redo up to it."))
        self.dock = window.add_panel(N_("Undo history"), self.list)
        # a tab beside the editor, as the Seminars: a third column would squeeze the picture
        window.tabifyDockWidget(window.annotations.editor_dock, self.dock)
        self.dock.hide()
        toggle = self.dock.toggleViewAction()
        assert toggle is not None  # a dock always has one
        # chosen in the Panels menu: in front of the tab it shares, not hidden behind it
        toggle.triggered.connect(lambda checked: self.dock.raise_() if checked else None)
        self.list.itemClicked.connect(lambda item: self.go_to(self.list.row(item)))
        self.session.changed.connect(lambda _change: self.refresh())
        self.session.project_opened.connect(lambda _project: self.refresh())
        self.session.project_closed.connect(self.refresh)
        self.refresh()

    @property
    def stack(self) -> UndoStack | None:
        return self.session.undo_stack

    def refresh(self) -> None:
        if self._moving:
            return
        stack = self.stack
        undo = stack.undo_label if stack is not None else None
        redo = stack.redo_label if stack is not None else None
        # the step's name comes from the command that made it (critique_app.domain.commands)
        self.undo_action.setText(_("&Undo {step}").format(step=undo) if undo else _("&Undo"))
        self.redo_action.setText(_("&Redo {step}").format(step=redo) if redo else _("&Redo"))
        self.undo_action.setToolTip(
            _("Undo {step} (Ctrl+Z)").format(step=undo) if undo else _("Nothing to undo.")
        )
        self.redo_action.setToolTip(
            _("Redo {step} (Ctrl+Shift+Z)").format(step=redo) if redo else _("Nothing to redo.")
        )
        self._fill(stack)

    def _fill(self, stack: UndoStack | None) -> None:
        """Rows changed in place (a click's own row is never deleted under it); rows are only
        added or dropped at the end, where new steps come and undone ones go."""
        wanted = [_(START), *stack.steps] if stack is not None else [_(NO_PROJECT)]
        current = len(stack) if stack is not None else 0
        self.list.setEnabled(stack is not None)
        self.list.blockSignals(True)
        while self.list.count() > len(wanted):
            self.list.takeItem(self.list.count() - 1)
        for row, label in enumerate(wanted):
            item = self.list.item(row)
            if item is None:
                item = QListWidgetItem()
                self.list.addItem(item)
            item.setText(label)
            font = QFont(self.list.font())
            if stack is None:
                item.setToolTip("")
            elif row == current:
                font.setBold(True)
                item.setToolTip(_("This is where the project is now."))
            elif row > current:
                font.setItalic(True)  # undone: Redo brings it back
                item.setToolTip(_("Undone: click to redo up to this step."))
            else:
                item.setToolTip(_("Click to undo every step after this one."))
            item.setFont(font)
        self.list.setCurrentRow(current)
        self.list.scrollToItem(self.list.currentItem())
        self.list.blockSignals(False)

    @property
    def current_row(self) -> int:
        """The row of the step the project is at (0: as opened)."""
        stack = self.stack
        return len(stack) if stack is not None else 0

    def go_to(self, row: int) -> None:
        """Undo or redo, one step at a time through the menu's own actions (the panels they
        refresh refresh), until `row` is the current step."""
        stack = self.stack
        if stack is None:
            return
        self._moving = True
        try:
            while len(stack) != row and self.stack is stack:
                before = len(stack)
                (self.undo_action if before > row else self.redo_action).trigger()
                if len(stack) == before:  # it failed and said why: stop there
                    break
        finally:
            self._moving = False
            self.refresh()


def install_undo_history(window: WindowContext) -> UndoHistory:
    """Named Undo/Redo in the Edit menu and Panels ▸ Undo history."""
    return UndoHistory(window)
