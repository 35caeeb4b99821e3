"""The seminar panel: seminars and their passages, drag annotations in, reorder, prompts, export.

A thin view over `services.seminars.Seminars` (every edit undoable on the project's stack);
exports run on a worker (gui.worker) with a progress bar and Cancel.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QMimeData, Qt, pyqtSignal
from PyQt6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

import exporters
from critique_app.domain.model import SeminarItem
from critique_app.gui.export_run import ask_target, format_label, notes_of, signer_for, start_export
from critique_app.gui.handout_extras import HandoutExtras
from critique_app.gui.worker import Task, TaskBar, TaskRunner
from critique_app.i18n import _, current
from critique_app.services import export as export_service
from critique_app.services.seminars import Seminars
from critique_app.services.workspace import ProjectWorkspace

ANNOTATION_MIME = "application/x-critique-annotation-ids"  # JSON list of annotation ids
ITEM_MIME = "application/x-critique-seminar-item"  # JSON: the dragged item's id
_ID = Qt.ItemDataRole.UserRole


def annotation_mime(ids: list[int]) -> QMimeData:
    """What the annotation table puts on a drag so the seminar panel accepts it."""
    data = QMimeData()
    data.setData(ANNOTATION_MIME, json.dumps([int(i) for i in ids]).encode())
    return data


class _PassageList(QListWidget):
    """The passages of a seminar: accepts annotations, reorders by drag."""

    def __init__(self, panel: SeminarPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME, ANNOTATION_MIME]

    def mimeData(self, items: Any) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(ITEM_MIME, json.dumps(items[0].data(_ID)).encode())
        return data

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        return mime is not None and (mime.hasFormat(ANNOTATION_MIME) or mime.hasFormat(ITEM_MIME))

    def dragEnterEvent(self, event: QDragEnterEvent | None) -> None:
        if event is not None and self._accepts(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent | None) -> None:
        if event is not None and self._accepts(event):
            event.acceptProposedAction()

    def drop_row(self, event: QDropEvent) -> int:
        index = self.indexAt(event.position().toPoint())
        return index.row() if index.isValid() else self.count()

    def dropEvent(self, event: QDropEvent | None) -> None:
        if event is None or not self._accepts(event):
            return
        mime = event.mimeData()
        assert mime is not None
        row = self.drop_row(event)
        if mime.hasFormat(ITEM_MIME):
            self.panel.move_item(int(json.loads(mime.data(ITEM_MIME).data().decode())), row)
        else:
            ids = json.loads(mime.data(ANNOTATION_MIME).data().decode())
            self.panel.add_annotations([int(i) for i in ids], row)
        event.setDropAction(Qt.DropAction.CopyAction)  # we moved it ourselves
        event.accept()


class SeminarPanel(QWidget):
    """Seminars of a project; the lead docks it in the main window."""

    preview_requested = pyqtSignal(int, int, int)  # film id, first frame, last frame
    export_finished = pyqtSignal(str)  # the path written
    export_failed = pyqtSignal(str)  # one sentence

    def __init__(
        self,
        project: ProjectWorkspace,
        stack: Any = None,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner if runner is not None else TaskRunner(self)
        self.project = project
        self.seminars = Seminars(project.project, stack)
        self.task: Task | None = None
        self._loading = False
        self.chooser = QComboBox()
        self.new_button = QPushButton(_("New…"))
        self.duplicate_button = QPushButton(_("Duplicate"))
        self.items = _PassageList(self)
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText(_("A question for discussion"))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(_("Your notes for this passage"))
        for box in (self.prompt, self.notes):
            box.setMaximumHeight(70)
        self.preview_button = QPushButton(_("Preview"))
        self.remove_button = QPushButton(_("Remove"))
        self.format = QComboBox()
        for exporter in exporters.all_exporters():
            self.format.addItem(format_label(exporter), exporter.name)
        self.export_button = QPushButton(_("Export…"))
        self.extras = HandoutExtras(self)
        for combo in (self.chooser, self.format):  # long names must not widen the whole window
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
            combo.setToolTip("")
        self.format.currentIndexChanged.connect(
            lambda _i: self.format.setToolTip(self.format.currentText())
        )
        self.format.currentIndexChanged.connect(
            lambda _i: self.extras.follow(self.format.currentData())
        )
        self.extras.follow(self.format.currentData())
        self.task_bar = TaskBar(parent=self)
        self.status = QLabel()
        # "Exported /a/long/path…" on one line made the dock, and the window, wider than a
        # 1280-pixel screen: the sentence wraps and never asks for more width than it is given
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setMinimumWidth(1)  # a path is one long word: wrapping alone keeps it wide
        self._layout()
        self.chooser.currentIndexChanged.connect(lambda _i: self.show_items())
        self.new_button.clicked.connect(self._ask_new)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.items.currentRowChanged.connect(lambda _r: self._show_item())
        self.items.itemDoubleClicked.connect(lambda _i: self.preview())
        self.preview_button.clicked.connect(self.preview)
        self.remove_button.clicked.connect(self.remove_current)
        self.prompt.textChanged.connect(self._save_text)
        self.notes.textChanged.connect(self._save_text)
        self.export_button.clicked.connect(self._ask_export)
        self.refresh()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.chooser, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.duplicate_button)
        form = QFormLayout()
        form.addRow(_("Prompt"), self.prompt)
        form.addRow(_("Notes"), self.notes)
        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        export_row = QHBoxLayout()
        export_row.addWidget(self.format, 1)
        export_row.addWidget(self.export_button)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.items, 1)
        column.addLayout(actions)
        column.addLayout(form)
        column.addLayout(export_row)
        column.addWidget(self.extras)
        column.addWidget(self.task_bar)
        column.addWidget(self.status)

    def bind(self, project: ProjectWorkspace, stack: Any = None) -> None:
        """Another project was opened in the window: show its seminars."""
        self.project = project
        self.seminars = Seminars(project.project, stack)
        self.refresh()

    # -- reading ----------------------------------------------------------------------------
    @property
    def seminar_id(self) -> int | None:
        data = self.chooser.currentData()
        return int(data) if data is not None else None

    def refresh(self, select: int | None = None) -> None:
        keep = select if select is not None else self.seminar_id
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for seminar in self.seminars.all():
            self.chooser.addItem(seminar.name, seminar.id)
        index = self.chooser.findData(keep) if keep is not None else 0
        self.chooser.setCurrentIndex(max(0, index))
        self.chooser.blockSignals(False)
        self.show_items()

    def current_items(self) -> list[SeminarItem]:
        return self.seminars.items(self.seminar_id) if self.seminar_id is not None else []

    def _label(self, n: int, item: SeminarItem) -> str:
        film = self.project.film(item.film_id)
        what = "passage"
        if item.annotation_id is not None:
            a = self.project.annotation(item.annotation_id)
            cat = self.project.category(a.category_id) if a and a.category_id else None
            what = (
                cat.label(current())
                if cat
                else (a.note.splitlines()[0][:50] if a and a.note else what)
            )
        tc_in, tc_out = film.timecode(item.range.start), film.timecode(item.range.end)
        prompt = f"\n   “{item.prompt.splitlines()[0][:70]}”" if item.prompt.strip() else ""
        return f"{n}. {what} — {film.title}, {tc_in}–{tc_out}{prompt}"

    def show_items(self, select_row: int | None = None) -> None:
        row = self.items.currentRow() if select_row is None else select_row
        self._loading = True
        self.items.clear()
        for n, item in enumerate(self.current_items(), start=1):
            entry = QListWidgetItem(self._label(n, item))
            entry.setData(_ID, item.id)
            self.items.addItem(entry)
        self._loading = False
        self.items.setCurrentRow(min(max(row, 0), self.items.count() - 1))
        self._show_item()

    def current_item(self) -> SeminarItem | None:
        entry = self.items.currentItem()
        if entry is None:
            return None
        ident = entry.data(_ID)
        return next((i for i in self.current_items() if i.id == ident), None)

    def _show_item(self) -> None:
        item = self.current_item()
        self._loading = True
        for box, text in ((self.prompt, item.prompt if item else ""),
                          (self.notes, item.notes if item else "")):  # fmt: skip
            if box.toPlainText() != text:  # unchanged text keeps the cursor where one types
                box.setPlainText(text)
        self._loading = False
        for widget in (self.prompt, self.notes, self.preview_button, self.remove_button):
            widget.setEnabled(item is not None)

    # -- editing ----------------------------------------------------------------------------
    def create_seminar(self, name: str) -> int:
        seminar = self.seminars.create(name)
        self.refresh(select=seminar.id)
        return seminar.id or 0

    def _ask_new(self) -> None:
        name, ok = QInputDialog.getText(self, _("New seminar"), _("Name of the seminar:"))
        if ok and name.strip():
            self._guard(lambda: self.create_seminar(name))

    def duplicate(self) -> None:
        if self.seminar_id is not None:
            copy = self.seminars.duplicate(self.seminar_id)
            self.refresh(select=copy.id)

    def add_annotations(self, ids: list[int], row: int | None = None) -> None:
        if self.seminar_id is None:
            self.create_seminar(_("Seminar"))
        position = self.items.count() if row is None else row
        for offset, ident in enumerate(ids):
            self.seminars.add_annotation(self.seminar_id or 0, ident, position=position + offset)
        self.show_items(select_row=position)

    def move_item(self, item_id: int, row: int) -> None:
        order = [i.id for i in self.current_items()]
        if item_id not in order:
            return
        # Dropping below itself: the list is one shorter once the item is lifted out.
        target = row - 1 if row > order.index(item_id) else row
        self.seminars.move(item_id, max(0, min(target, len(order) - 1)))
        self.show_items(select_row=target)

    def remove_current(self) -> None:
        item = self.current_item()
        if item is not None and item.id is not None:
            self.seminars.remove(item.id)
            self.show_items()

    def _save_text(self) -> None:
        item = self.current_item()
        if self._loading or item is None or item.id is None:
            return
        self.seminars.edit(
            item.id, prompt=self.prompt.toPlainText(), notes=self.notes.toPlainText()
        )
        entry = self.items.currentItem()
        if entry is not None:
            entry.setText(self._label(self.items.currentRow() + 1, self.current_item() or item))

    def preview(self) -> None:
        item = self.current_item()
        if item is not None:
            self.preview_requested.emit(item.film_id, item.range.start, item.range.end)

    # -- export -----------------------------------------------------------------------------
    def _ask_export(self) -> None:
        fmt = self.format.currentData()
        path = ask_target(self, fmt, self.chooser.currentText())
        if path is not None:
            self.export(fmt, path)

    def export(self, fmt: str, out: Path) -> Task | None:
        """Start exporting the current seminar on a worker; signals report the outcome."""
        if self.seminar_id is None:
            return None
        # the seminar is read on the worker, from its own connection
        doc = partial(
            export_service.read_on_worker, self.project.project.path, "seminar", self.seminar_id
        )
        try:
            signer = signer_for(self.project.project, fmt)
        except Exception as err:  # a UserError sentence, shown in place
            self._failed(str(err))
            return None
        self.export_button.setEnabled(False)
        self.task = start_export(
            self.runner,
            doc,
            fmt,
            out,
            signer,
            visible=False,  # its bar is the panel's own
            on_done=self._done,
            on_error=self._failed,
            on_cancelled=self._cancelled,
            on_finished=lambda: self.export_button.setEnabled(True),
            **self.extras.chosen(fmt),
        )
        self.task_bar.follow(self.task)
        return self.task

    def _done(self, done: object) -> None:
        self.export_button.setEnabled(True)
        path = getattr(done, "path", done)
        notes = notes_of(done)  # e.g. a long EDL split into several
        self.status.setText(
            _("Exported {path}. {notes}").format(path=path, notes=notes)
            if notes
            else _("Exported {path}").format(path=path)
        )
        self.status.setToolTip(str(path))  # the whole path, when the panel is narrower
        self.export_finished.emit(str(path))

    def _failed(self, sentence: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(sentence)
        self.export_failed.emit(sentence)

    def _cancelled(self) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(_("Export cancelled; nothing was changed."))

    def _guard(self, action: Any) -> None:
        from critique_app.errors import UserError

        try:
            action()
        except UserError as err:
            self.status.setText(str(err))
