"""The teacher merges students' project files into the open project, on a worker thread.

critique_app.services.merge reads and checks every file before the project changes and does
the whole merge in one transaction, so a malformed or newer file ends in one sentence here and
nothing merged. The merge uses its own connection on the worker (SQLite connections stay on
their thread); the window re-reads the project when it is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from critique_app.gui import colours
from critique_app.gui.file_dialogs import open_files
from critique_app.gui.worker import Task, TaskBar, TaskRunner
from critique_app.i18n import N_, _
from critique_app.progress import Progress
from critique_app.services.workspace import ProjectWorkspace

INTRO = N_(
    "Choose the project files (*.critique) your students annotated. Films are matched by "
    "content, authors are kept, exact duplicates are recognised, and two different edits of "
    "the same annotation are both kept and flagged as a conflict. Nothing is lost."
)


def _merge(progress: Progress, target: Path, sources: list[Path]) -> Any:
    from critique_app.services.merge import merge_files

    return merge_files(target, [str(s) for s in sources], progress)


class MergeDialog(QDialog):
    merged = pyqtSignal(object)  # MergeSummary

    def __init__(
        self,
        project: ProjectWorkspace,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
        film_id: int | None = None,
        stack: Any = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner if runner is not None else TaskRunner(self)
        self.setWindowTitle(_("Merge students' projects"))
        self.setObjectName("MergeDialog")
        self.resize(620, 420)
        self.project = project
        assert project.path is not None  # the window merges into a project file
        self.project_path = project.path
        self.film_id = film_id  # the film whose agreement shows once the class is merged
        self.task: Task | None = None
        from critique_app.gui.panels.agreement.agreement_panel import AgreementPanel

        self.agreement = AgreementPanel()
        self.agreement.stack = stack
        self.agreement.hide()
        self.summary: Any = None
        intro = QLabel(_(INTRO))
        intro.setWordWrap(True)
        self.files = QListWidget()
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.add_button = QPushButton(_("Add files…"))
        self.remove_button = QPushButton(_("Remove"))
        self.merge_button = QPushButton(_("Merge into {name}").format(name=self.project_path.name))
        self.merge_button.setDefault(True)
        self.close_button = QPushButton(_("Close"))
        self.taskbar = TaskBar()
        self.outcome = QLabel()
        self.outcome.setObjectName("MergeResult")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.taskbar, 1)
        bottom.addWidget(self.merge_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.files, 1)
        layout.addLayout(row)
        layout.addWidget(self.outcome)
        layout.addWidget(self.agreement, 2)
        layout.addLayout(bottom)
        self.add_button.clicked.connect(self._ask_files)
        self.remove_button.clicked.connect(self._remove_selected)
        self.merge_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.close)

    def add_files(self, paths: Sequence[str | Path]) -> None:
        known = {self.files.item(i).text() for i in range(self.files.count())}  # type: ignore[union-attr]
        for path in paths:
            if str(path) not in known:
                self.files.addItem(str(path))

    def sources(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]  # type: ignore[union-attr]

    def _ask_files(self) -> None:
        paths = open_files(
            self,
            "merge",
            _("Students' projects"),
            _("Critique projects (*.critique);;All files (*)"),
        )
        self.add_files(paths)

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    def start(self) -> Task | None:
        """Merge on a worker with progress and Cancel; the summary or the reason shows here."""
        if not self.sources():
            self._say(_("Add at least one student's project file first."), error=True)
            return None
        self._busy(True)
        self.outcome.clear()
        self.task = self.runner.run(
            _("Merging"),
            _merge,
            self.project_path,
            self.sources(),
            scope="project",
            visible=False,  # the dialog's own bar shows it
            on_done=self._done,
            on_error=self._failed,
            on_cancelled=lambda: self._failed(_("Merge cancelled.")),
        )
        self.taskbar.follow(self.task)
        return self.task

    def _busy(self, busy: bool) -> None:
        for widget in (self.merge_button, self.add_button, self.remove_button, self.close_button):
            widget.setEnabled(not busy)

    def _say(self, text: str, error: bool = False) -> None:
        self.outcome.setText(text)
        palette = colours.current()
        self.outcome.setStyleSheet(f"color: {palette.error if error else palette.success};")

    def _done(self, summary: Any) -> None:
        self._busy(False)
        self.summary = summary
        self._say(summary.sentence())
        self.merged.emit(summary)
        self.measure_agreement()

    def measure_agreement(self) -> Task | None:
        """Where the merged class agrees and differs on the film, in a table below."""
        from critique_app.gui.panels.agreement.agreement_dock import measure

        if self.film_id is None:
            return None
        self.resize(max(self.width(), 760), max(self.height(), 640))
        return self.runner.run(
            _("Measuring agreement"),
            measure,
            self.project_path,
            self.film_id,
            scope="project",
            visible=False,
            on_done=self._agreement_arrived,
            on_error=lambda text: self._say(text, error=True),
        )

    def _agreement_arrived(self, report: Any) -> None:
        self.agreement.show_report(report, self.project)
        self.agreement.show()

    def _failed(self, text: str) -> None:
        self._busy(False)
        self._say(_("{reason} Nothing was merged.").format(reason=text), error=True)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        if self.task is not None and self.task.running:
            self.task.cancel()  # the merge is one transaction: cancelled, nothing is merged
            self.task.wait(2.0)
        super().closeEvent(event)
