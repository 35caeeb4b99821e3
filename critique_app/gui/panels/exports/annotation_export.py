"""File ▸ Export annotations…: every annotation of the film on screen, in any format the
exporters offer (ELAN, subtitles, CSV, W3C/IIIF, editors' timelines, handouts, clips…).

The same document and the same writer as `critique-app export P --film F`
(services.export.film_document, then export_files through gui.export_run, as the seminar
panel does), run on the window's task runner with its progress bar and Cancel. A small list
chooses the format first: two formats share the .json suffix (W3C and IIIF), so the name typed
in the file dialog could not tell them apart. The file dialog then asks for a file with that
format's suffix, or a folder for the formats that write one (clips). Once written, the status
bar offers Open and Show in folder.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

import exporters
from critique_app.errors import UserError
from critique_app.gui.export_offer import offer_exported
from critique_app.gui.export_run import ask_target, format_label, notes_of, signer_for, start_export
from critique_app.gui.handout_extras import HandoutExtras
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _
from critique_app.services import export as export_service
from exporters.document import safe_name

NO_FILM = N_("Open a film first.")
ROLE = Qt.ItemDataRole.UserRole  # a format line keeps its exporter's name
FIRST_FORMAT = "eaf"  # annotations usually travel to ELAN first; then the last one chosen


class FormatChooser(QDialog):
    """The export formats, one a line with what each makes; a double click chooses."""

    def __init__(self, title: str, chosen: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExportFormatChooser")
        self.setWindowTitle(_("Export annotations"))
        self.resize(620, 420)
        sentence = QLabel(_("Export the annotations of '{title}' as:").format(title=title))
        sentence.setWordWrap(True)
        self.formats = QListWidget()
        for exporter in exporters.all_exporters():
            item = QListWidgetItem(format_label(exporter))
            item.setData(ROLE, exporter.name)
            self.formats.addItem(item)
            if exporter.name == chosen:
                self.formats.setCurrentItem(item)
        if self.formats.currentItem() is None:
            self.formats.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.formats.itemDoubleClicked.connect(lambda _item: self.accept())
        self.extras = HandoutExtras()
        self.extras.follow(self.chosen())
        self.formats.currentItemChanged.connect(lambda *_a: self.extras.follow(self.chosen()))
        column = QVBoxLayout(self)
        column.addWidget(sentence)
        column.addWidget(self.formats, 1)
        column.addWidget(self.extras)
        column.addWidget(buttons)

    def choose(self, name: str) -> None:
        for row in range(self.formats.count()):
            item = self.formats.item(row)
            if item is not None and item.data(ROLE) == name:
                self.formats.setCurrentItem(item)

    def chosen(self) -> str | None:
        item = self.formats.currentItem()
        return None if item is None else str(item.data(ROLE))


def choose_format(
    parent: QWidget | None, title: str, last: str, extras: dict[str, bool] | None = None
) -> str | None:
    """The format the user chose, None when cancelled (tests answer it, as they answer the
    file dialogs through file_dialogs.ask_user); `extras` receives the handout's pictures."""
    dialog = FormatChooser(title, last, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted.value:
            return None
        fmt = dialog.chosen()
        if extras is not None:
            extras.update(dialog.extras.chosen(fmt))
        return fmt
    finally:
        dialog.deleteLater()


class AnnotationExport(QObject):
    """Owns File ▸ Export annotations… and its running export (one at a time)."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.task: Task | None = None
        self.last_format = FIRST_FORMAT
        self.action = window.action_table["export_annotations"]
        self.action.triggered.connect(self.ask)
        # enabled only with a film of a project on screen: its annotations are what it writes
        self.session.project_opened.connect(lambda _project: self.refresh())
        self.session.project_closed.connect(self.refresh)
        window.controller.film_opened.connect(lambda _info: self.refresh())
        window.controller.film_closed.connect(self.refresh)
        self.refresh()

    def film(self) -> Any:
        """The film on screen when it belongs to the open project (else None)."""
        return self.session.film if self.session.project is not None else None

    def refresh(self) -> None:
        film = self.film()
        self.action.setEnabled(film is not None and self.task is None)
        self.action.setStatusTip(
            _(NO_FILM)
            if film is None
            else _("Export every annotation of '{title}'").format(title=film.title)
        )

    def ask(self) -> None:
        film = self.film()
        if film is None:
            self.window.show_message(_(NO_FILM))
            return
        parent = self.window.as_widget()
        extras: dict[str, bool] = {}
        fmt = choose_format(parent, film.title, self.last_format, extras)
        if fmt is None:
            return
        self.last_format = fmt
        path = ask_target(parent, fmt, safe_name(film.title))
        if path is not None:
            self.export(fmt, path, **extras)

    def export(
        self, fmt: str, out: str | Path, rhythm: bool = False, heat: bool = False
    ) -> Task | None:
        """Start writing the film's annotations in `fmt` to `out` on the window's runner."""
        project, film = self.session.project, self.film()
        if project is None or film is None:
            self.window.show_message(_(NO_FILM))
            return None
        if self.task is not None:
            self.window.show_message(_("An export of the annotations is already under way."))
            return self.task
        try:
            signer = signer_for(project.project, fmt)
        except (UserError, OSError) as err:  # a signing certificate missing or unreadable
            self.window.show_message(str(err))
            return None
        # the annotations are read on the worker (its own connection), not here
        doc = partial(export_service.read_on_worker, project.project.path, "film", film.id)
        title = film.title
        self.task = start_export(
            self.window.tasks,
            doc,
            fmt,
            Path(out),
            signer,
            on_done=lambda done: self._done(title, done),
            on_error=self.window.show_message,
            on_cancelled=lambda: self.window.show_message(
                _("Export cancelled; nothing was written.")
            ),
            on_finished=self._finished,
            rhythm=rhythm,
            heat=heat,
        )
        self.refresh()
        return self.task

    def _finished(self) -> None:
        self.task = None
        self.refresh()

    def _done(self, title: str, done: Any) -> None:
        notes = notes_of(done)  # e.g. a long EDL split into several files
        sentence = _("The annotations of '{title}' are exported to {name}.").format(
            title=title, name=done.path.name
        )
        self.window.show_message(f"{sentence} {notes}".strip())
        offer_exported(self.window.as_widget(), done.path, sentence)

    def close(self) -> None:
        """The window closes: the runner cancels and joins the worker itself."""
        task, self.task = self.task, None
        if task is not None:
            task.drop()


def install_annotation_export(window: WindowContext) -> AnnotationExport:
    """Wire File ▸ Export annotations… (its entry is in gui/actions.py, beside Import)."""
    return AnnotationExport(window)
