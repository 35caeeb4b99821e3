"""The agreement of a class as tables: alpha per category, kappa and IoU per pair, and the
passages of most disagreement, which one click adds to a seminar.

The panel only shows a `FilmAgreement`; measuring is the service's (`film_agreement`, a plain
function the window runs on its task runner for big projects). `show_project` measures at once
on the calling thread, for small projects and previews.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QAbstractTableModel, QModelIndex, Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from critique_app.i18n import _, ngettext
from critique_app.services.agreement import FilmAgreement
from critique_app.services.workspace import ProjectWorkspace


def _number(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


class RowsModel(QAbstractTableModel):
    """A read-only table of text rows under fixed headers."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, headers: list[str], rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.headers, self.rows = headers, rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.rows[index.row()][index.column()]

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        return section + 1 if orientation == Qt.Orientation.Vertical else None


def _view(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    assert header is not None
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


def _pair_headers() -> list[str]:
    return [_("Annotator"), _("Annotator"), _("Cohen's kappa"), _("Frames")]


class AgreementPanel(QWidget):
    """Tables of one film's agreement; double-click a passage to look at it."""

    look_requested = pyqtSignal(int, int, int)  # film id, first frame, last frame
    seminar_added = pyqtSignal(int, int)  # seminar id, passages added

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AgreementPanel")
        self.project: ProjectWorkspace | None = None
        self.stack: Any = None  # the window's undo stack (else the project's own)
        self.report: FilmAgreement | None = None
        self.summary = QLabel(_("Merge the class's projects, then measure their agreement."))
        self.summary.setWordWrap(True)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setObjectName("Muted")  # the theme colours it (resources/qss)
        self.categories = RowsModel([_("Category"), _("Alpha (against the rest)"), _("Frames")])
        self.pairs = RowsModel(_pair_headers())
        self.passages = RowsModel(
            [_("In"), _("Out"), _("Frames"), _("Pairs differing"), _("Who saw what")]
        )
        self.tabs = QTabWidget()
        self.passage_view = _view(self.passages)
        for title, model in ((_("Categories"), self.categories), (_("Pairs"), self.pairs)):
            self.tabs.addTab(_view(model), title)
        self.tabs.addTab(self.passage_view, _("Disagreements"))
        # the seminar's name is the user's to change; offered in the window's language
        self.seminar_name = QLineEdit(_("Where the class differs"))
        self.seminar_button = QPushButton(_("Add these passages to the seminar"))
        self.seminar_button.setToolTip(
            _("Each passage becomes a seminar item whose prompt says who saw what (one undo)")
        )
        self.seminar_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.seminar_name, 1)
        row.addWidget(self.seminar_button)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addWidget(self.tabs, 1)
        column.addWidget(self.notes)
        column.addLayout(row)
        self.seminar_button.clicked.connect(self.add_to_seminar)
        self.passage_view.doubleClicked.connect(self._look)

    def show_project(self, project: ProjectWorkspace, film: Any = None, by: str = "author") -> None:
        """Measure now (on this thread) and show: small projects and previews."""
        from critique_app.services.agreement import film_agreement

        self.project = project
        chosen = film if film is not None else project.films()[0].id or 0
        self.show_report(film_agreement(project.project, chosen, by=by), project)

    def show_report(self, report: FilmAgreement, project: ProjectWorkspace | None = None) -> None:
        self.report = report
        if project is not None:
            self.project = project
        self.summary.setText(report.sentence())
        self.notes.setText("\n".join(report.notes))
        self.categories.set_rows(
            self.categories.headers,
            [(c.label, _number(c.alpha), str(c.frames)) for c in report.categories],
        )
        keys = [c.key for c in report.categories]
        labels = [_("IoU {category}").format(category=c.label) for c in report.categories]
        self.pairs.set_rows(
            [*_pair_headers(), *labels],
            [
                (p.a, p.b, _number(p.kappa), str(p.frames), *(_number(p.iou[k]) for k in keys))
                for p in report.pairs
            ],
        )
        self.passages.set_rows(
            self.passages.headers,
            [
                (
                    d.in_tc,
                    d.out_tc,
                    str(d.range.length),
                    f"{d.disagreement:.0%}",
                    "; ".join(f"{who}: {what}" for who, what in d.said.items()),
                )
                for d in report.passages
            ],
        )
        self.seminar_button.setEnabled(bool(report.passages) and self.project is not None)

    def add_to_seminar(self) -> None:
        from critique_app.errors import UserError
        from critique_app.services.agreement import add_disagreements_to_seminar

        if self.report is None or self.project is None:
            return
        try:
            seminar, items = add_disagreements_to_seminar(
                self.project.project, [self.report], self.seminar_name.text(), stack=self.stack
            )
        except UserError as err:
            self.notes.setText(str(err))
            return
        count = len(items)
        self.notes.setText(
            ngettext(
                "{count} passage added to the seminar '{name}'.",
                "{count} passages added to the seminar '{name}'.",
                count,
            ).format(count=count, name=seminar.name)
        )
        self.seminar_added.emit(seminar.id or 0, len(items))

    def _look(self, index: QModelIndex) -> None:
        if self.report is None or not index.isValid():
            return
        d = self.report.passages[index.row()]
        self.look_requested.emit(self.report.film.id or 0, d.range.start, d.range.end)
