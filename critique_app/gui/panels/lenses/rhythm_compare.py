"""View ▸ Lenses ▸ Compare the rhythm…: the rhythm of two films, or of two passages, side by side.

Each side is a film of the project or a file chosen, whole or only its in → out passage (when
it is the film on screen). Their shots are found on the window's task runner (progress,
Cancel; a film chosen twice is decoded once) by the same use-case as `critique-app shots`
(services/rhythm.py), so the panel's figures are those of `shots --json`: shots, average and
median shot length, shortest, longest, coefficient of variation. Under them, the distribution
of shot lengths of each side, drawn on one scale (the longer of the two longest shots).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QPainter, QPaintEvent
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain.rhythm import ShotStatistics, length_histogram
from critique_app.gui import colours
from critique_app.gui.file_dialogs import open_file
from critique_app.gui.panels.compare.compare_dock import A_FILE, FILMS
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, format_number, ngettext
from critique_app.progress import Progress

PANEL = N_("Rhythm comparison")
SIDES = ("A", "B")


def figures(statistics: ShotStatistics) -> list[tuple[str, str]]:
    """(what, value) of every figure the panel shows, in words, from one ShotStatistics."""

    def seconds(value: float) -> str:
        return _("{seconds} s").format(seconds=format_number(round(value, 2)))

    return [
        (_("Shots"), format_number(statistics.shots)),
        (_("Average shot length (ASL)"), seconds(statistics.asl_seconds)),
        (_("Median shot length"), seconds(statistics.median_seconds)),
        (_("Shortest shot"), seconds(statistics.shortest_seconds)),
        (_("Longest shot"), seconds(statistics.longest_seconds)),
        (_("Coefficient of variation"), format_number(round(statistics.cv, 2))),
    ]


def _measure(progress: Progress, sides: list[tuple[str, tuple[int, int] | None]]) -> Any:
    from critique_app.services.rhythm import measure_rhythms

    return measure_rhythms(sides, progress)


class LengthHistogram(QWidget):
    """How many shots last each step of 0 to `top` seconds: bars, the scale's two ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: list[int] = []
        self.top = 0.0  # seconds at the right end
        self.tallest = 1  # the count that fills the height (the larger of the two sides')
        self.colour = colours.TRANSITION_COLOURS["dissolve"]
        self.setMinimumHeight(110)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(220, 130)

    def show_counts(self, counts: list[int], top: float, tallest: int) -> None:
        self.counts, self.top, self.tallest = counts, top, max(1, tallest)
        total = sum(counts)
        self.setToolTip(
            ngettext(
                "{count} shot, from 0 to {seconds} s in {steps} equal steps",
                "{count} shots, from 0 to {seconds} s in {steps} equal steps",
                total,
            ).format(count=total, seconds=format_number(round(top, 2)), steps=len(counts))
            if counts
            else ""
        )
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 (Qt name)
        palette = colours.current()
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(palette.view))
        if not self.counts:
            p.end()
            return
        scale_h = 16
        area = QRectF(4, 4, self.width() - 8, self.height() - 8 - scale_h)
        step = area.width() / len(self.counts)
        for n, count in enumerate(self.counts):
            tall = area.height() * count / self.tallest
            p.fillRect(
                QRectF(area.x() + n * step, area.bottom() - tall, max(1.0, step - 2), tall),
                QColor(self.colour),
            )
        p.setPen(QColor(palette.muted))
        p.drawLine(int(area.left()), int(area.bottom()), int(area.right()), int(area.bottom()))
        labels = QRectF(area.x(), area.bottom() + 2, area.width(), scale_h)
        p.drawText(labels, Qt.AlignmentFlag.AlignLeft, _("{seconds} s").format(seconds=0))
        p.drawText(
            labels,
            Qt.AlignmentFlag.AlignRight,
            _("{seconds} s").format(seconds=format_number(round(self.top, 1))),
        )
        p.end()


class RhythmSide(QWidget):
    """One side: a film of the project or a file, whole or its in → out passage."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.films = QComboBox()
        # long titles must not widen the window: the list shows them whole when it opens
        self.films.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.films.setMinimumContentsLength(12)
        self.films.setObjectName(f"RhythmFilm{name}")
        self.passage = QCheckBox(_("Only in → out"))
        self.passage.setToolTip(_("Only the in → out passage of the film on screen"))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(name))  # the side's letter, as the figures' column says it
        row.addWidget(self.films, 1)
        column.addLayout(row)
        column.addWidget(self.passage)

    def set_films(self, films: list[tuple[str, str]]) -> None:
        """(title, path) of the project's films, then the choice of any file."""
        kept = self.path()
        self.films.clear()
        for title, path in films:
            self.films.addItem(title, path)
        self.films.addItem(_(A_FILE), "")
        at = self.films.findData(kept) if kept else -1
        self.films.setCurrentIndex(max(0, at))

    def path(self) -> str:
        return str(self.films.currentData() or "")

    def choose(self, path: str) -> None:
        """Show `path` on this side (added when the project does not hold it)."""
        at = self.films.findData(path)
        if at < 0:
            self.films.insertItem(self.films.count() - 1, Path(path).name, path)
            at = self.films.findData(path)
        self.films.setCurrentIndex(at)


class RhythmComparePanel(QWidget):
    """The two sides, the Compare button, the figures side by side, two histograms."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RhythmComparePanel")
        self.explanation = QLabel(
            _(
                "Shots end at cuts, in the middle of dissolves and morphs, and in the middle of a "
                "fade out into a fade in, as Cinemetrics counts them; the figures are those of "
                "critique-app shots. The bars below count the shots of each length, on one scale "
                "for both sides."
            )
        )
        self.explanation.setWordWrap(True)
        self.sides = {name: RhythmSide(name) for name in SIDES}
        self.compare_button = QPushButton(_("Compare the rhythm"))
        self.summary = QLabel(_("Nothing compared yet."))
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(figures(ShotStatistics(0, 0, 0, 0, 0, 0))), 2)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.histograms = {name: LengthHistogram() for name in SIDES}
        grid = QGridLayout()
        for n, name in enumerate(SIDES):
            grid.addWidget(self.sides[name], 0, n)
            grid.addWidget(self.histograms[name], 1, n)
        column = QVBoxLayout(self)
        column.addWidget(self.explanation)
        column.addLayout(grid)
        row = QHBoxLayout()
        row.addWidget(self.compare_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)

    def show_rhythms(self, titles: list[str], rhythms: list[Any]) -> None:
        # the columns are A and B (as the sides above); their whole titles in the tooltips
        self.table.setHorizontalHeaderLabels(list(SIDES))
        for n, title in enumerate(titles):
            header = self.table.horizontalHeaderItem(n)
            if header is not None:
                header.setToolTip(title)
        rows = [figures(r.statistics) for r in rhythms]
        self.table.setVerticalHeaderLabels([what for what, _value in rows[0]])
        for n, side in enumerate(rows):
            for row, (_what, value) in enumerate(side):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, n, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # type: ignore[union-attr]
        top = max(r.statistics.longest_seconds for r in rhythms)
        counts = [length_histogram(r.lengths_seconds(), top) for r in rhythms]
        tallest = max(max(c, default=0) for c in counts)
        for name, side_counts in zip(SIDES, counts, strict=True):
            self.histograms[name].show_counts(side_counts, top, tallest)


class RhythmComparison(QObject):
    """The action, the panel (made on first use), the task that measures both sides."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.controller = window.controller
        self.panel: RhythmComparePanel | None = None
        self.dock: QDockWidget | None = None
        self.task: Task | None = None
        self.rhythms: list[Any] = []  # services.rhythm.FilmRhythm of each side, once compared
        self.action = window.action_table["compare_rhythm"]
        self.action.triggered.connect(self.open)
        window.session.project_opened.connect(lambda _p: self._list_films())
        window.session.project_closed.connect(self._list_films)
        window.session.content_changed.connect(self._list_films)

    def open(self) -> None:
        if self.panel is None:
            self.panel = RhythmComparePanel()
            self.panel.compare_button.clicked.connect(self.compare)
            for side in self.panel.sides.values():
                side.films.activated.connect(lambda _n, side=side: self._maybe_ask(side))
            self.dock = self.window.add_panel(PANEL, self.panel)
            self.window.tabifyDockWidget(self.window.annotations.editor_dock, self.dock)
            self._list_films()
        assert self.dock is not None
        self.dock.show()
        self.dock.raise_()

    def _list_films(self) -> None:
        if self.panel is None:
            return
        project = self.window.session.project
        films = [(f.title, f.path) for f in project.films()] if project is not None else []
        for side in self.panel.sides.values():
            side.set_films(films)

    def _maybe_ask(self, side: RhythmSide) -> None:
        if side.path():
            return
        chosen = open_file(
            self.window.as_widget(), "compare", _("Compare the rhythm of a film file"), _(FILMS)
        )
        if chosen is not None:
            side.choose(str(chosen))

    def _side(self, side: RhythmSide) -> tuple[str, tuple[int, int] | None, str] | None:
        """(path, passage, title) of a side; None (and a message) when it cannot be measured."""
        path = side.path()
        if not path:
            self.window.show_message(_("Choose a film for each side first."))
            return None
        title = side.films.currentText()
        if not side.passage.isChecked():
            return path, None, title
        marks, here = self.controller.marks, self.controller.path
        if here is None or Path(path).resolve() != here.resolve():
            self.window.show_message(
                _(
                    "Only the film on screen has an in → out passage: {title} is not on screen."
                ).format(title=title)
            )
            return None
        if marks.in_mark is None or marks.out_mark is None:
            self.window.show_message(_("Set the in and out points first (I and O)."))
            return None
        first, last = sorted((marks.in_mark, marks.out_mark))
        words = _("{title}, frames {first}–{last}").format(title=title, first=first, last=last)
        return path, (first, last), words

    def compare(self) -> Task | None:
        self.open()
        assert self.panel is not None
        chosen = [self._side(self.panel.sides[name]) for name in SIDES]
        sides = [side for side in chosen if side is not None]
        if len(sides) < len(chosen):
            return None
        if self.task is not None:
            self.task.cancel()
        titles = [title for _path, _passage, title in sides]
        self.panel.summary.setText(_("Finding the shots… (progress in the status bar)"))
        self.task = self.window.tasks.run(
            _("Comparing the rhythm of {first} and {second}").format(
                first=titles[0], second=titles[1]
            ),
            _measure,
            [(path, passage) for path, passage, _title in sides],
            on_done=lambda rhythms: self._compared(titles, rhythms),
            on_error=self._failed,
            on_cancelled=lambda: self._failed(_("Comparing the rhythm cancelled.")),
        )
        return self.task

    def _compared(self, titles: list[str], rhythms: list[Any]) -> None:
        self.task = None
        self.rhythms = rhythms
        assert self.panel is not None
        self.panel.show_rhythms(titles, rhythms)
        self.panel.summary.setText(
            _("A: {first}. B: {second}.").format(first=titles[0], second=titles[1])
        )

    def _failed(self, sentence: str) -> None:
        self.task = None
        if self.panel is not None:
            self.panel.summary.setText(sentence)
        self.window.show_message(sentence)

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None


def install_rhythm_comparison(window: WindowContext) -> RhythmComparison:
    """View ▸ Lenses ▸ Compare the rhythm…: two films or passages side by side."""
    return RhythmComparison(window)
