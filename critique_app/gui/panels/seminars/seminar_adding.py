"""Add to seminar from anywhere: the editor's button, Annotate ▸ Add to seminar… and the right-click
menus all trigger one action (gui/actions.py); this carries it out.

With one seminar in the project the passage goes there; with several the user chooses one (or
types the name of a new one); with none the user names the first. Each addition is one step on
the project's undo stack (services.seminars), so Ctrl+Z takes it back.
"""

from __future__ import annotations

from typing import Any, Protocol

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtWidgets import QInputDialog, QLineEdit

from critique_app.domain.model import Annotation, SeminarItem
from critique_app.errors import UserError
from critique_app.gui.window_context import WindowContext
from critique_app.i18n import N_, _
from critique_app.services.seminars import Seminars
from critique_app.services.workspace import ProjectWorkspace

FIRST_NAME = N_("Seminar")  # the name offered for a first seminar (the user's to change)
NONE_YET = N_("This project has no seminar yet. Name a new seminar for this passage:")
WHICH = N_("Add the passage to which seminar? Choose one, or type the name of a new seminar:")


class SeminarDockView(Protocol):
    """The seminar dock (gui/panels/seminars/seminar_dock.py, which owns the adder) as the adder uses it."""

    panel: Any  # the SeminarPanel once somebody looked at it, else None


class SeminarAdder(QObject):
    """Adds the selected annotation to a seminar, asking which one only when it must."""

    def __init__(self, window: WindowContext, dock: SeminarDockView) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.dock = dock
        self.dialog: QInputDialog | None = None  # the question on screen (tests answer it)
        self._last: int | None = None  # the seminar used last: offered first next time
        self.action = window.action_table["add_to_seminar"]
        self.action.triggered.connect(self.add_selected)

    def add_selected(self) -> None:
        """The action: add the annotation selected in the table, timeline, picture or editor."""
        ident = self.window.annotations.selected_id
        if ident is None:
            self.window.show_message(
                _(
                    "Select an annotation first (in the table, on the timeline or on the picture), "
                    "then add it to a seminar."
                )
            )
            return
        self.add(ident)

    def add(self, annotation_id: int) -> None:
        """Add one annotation's passage; asks which seminar when the project has none or several."""
        project, stack = self.session.project, self.session.undo_stack
        if project is None or stack is None:
            self.window.show_message(
                _("Open a project (*.critique) to gather passages into seminars.")
            )
            return
        if project.read_only is not None:
            self.window.show_message(project.read_only)
            return
        seminars = Seminars(project.project, stack).all()
        if len(seminars) == 1:
            self._add_to(project, annotation_id, seminars[0].name, seminars[0].id)
            return
        self._ask(project, annotation_id, [(s.name, s.id or 0) for s in seminars])

    # -- asking ------------------------------------------------------------------------------
    def _ask(
        self, project: ProjectWorkspace, annotation_id: int, seminars: list[tuple[str, int]]
    ) -> None:
        if self.dialog is not None:  # one question at a time
            self.dialog.raise_()
            return
        dialog = QInputDialog(self.window.as_widget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(_("Add to seminar"))
        dialog.setOkButtonText(_("Add"))
        if seminars:
            names = [name for name, _id in seminars]
            dialog.setComboBoxItems(names)
            dialog.setComboBoxEditable(True)  # a name typed here makes a new seminar
            dialog.setLabelText(_(WHICH))
            first = self._preferred([ident for _n, ident in seminars])
            dialog.setTextValue(names[first])
        else:
            dialog.setInputMode(QInputDialog.InputMode.TextInput)
            dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
            dialog.setLabelText(_(NONE_YET))
            dialog.setTextValue(_(FIRST_NAME))
        ids = dict(seminars)
        dialog.textValueSelected.connect(
            lambda name: self._chosen(project, annotation_id, name, ids)
        )
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()

    def _preferred(self, ids: list[int]) -> int:
        """The row to offer first: the seminar the panel shows, else the one used last."""
        panel = self.dock.panel
        shown: int | None = panel.seminar_id if panel is not None else None
        for wanted in (shown, self._last):
            if wanted is not None and wanted in ids:
                return ids.index(wanted)
        return 0

    def _closed(self, _result: int) -> None:
        self.dialog = None

    def _chosen(
        self, project: ProjectWorkspace, annotation_id: int, name: str, ids: dict[str, int]
    ) -> None:
        if project is not self.session.project:
            return  # another project was opened while the question was on screen
        name = name.strip()
        if not name:
            self.window.show_message(_("A seminar needs a name: nothing was added."))
            return
        self._add_to(project, annotation_id, name, ids.get(name))

    # -- adding ------------------------------------------------------------------------------
    def _add_to(
        self, project: ProjectWorkspace, annotation_id: int, name: str, seminar_id: int | None
    ) -> None:
        """Into the seminar `seminar_id`, or a new seminar called `name` (None): one undo step."""
        stack = self.session.undo_stack
        annotation = project.annotation(annotation_id)
        if annotation is None or stack is None:
            self.window.show_message(_("That annotation no longer exists: nothing was added."))
            return
        seminars = Seminars(project.project, stack)
        try:
            if seminar_id is None:
                seminar, _items = seminars.add_many(name, [_passage(annotation)])
                seminar_id = seminar.id or 0
            elif any(i.annotation_id == annotation_id for i in seminars.items(seminar_id)):
                self.window.show_message(
                    _("This annotation is already in seminar “{name}”.").format(name=name)
                )
                return
            else:
                seminars.add_annotation(seminar_id, annotation_id)
        except UserError as err:
            self.window.show_message(str(err))
            return
        self._last = seminar_id
        # The panel hears no seminar edit it did not make itself: show the passage there.
        if self.dock.panel is not None:
            self.dock.panel.refresh(select=seminar_id)
        self.window.show_message(_("Added to seminar “{name}”.").format(name=name))


def _passage(a: Annotation) -> SeminarItem:
    """The annotation as a passage (its seminar and place are set when it is added)."""
    return SeminarItem(None, 0, -1, a.film_id, a.range, a.id)
