"""View ▸ Lenses ▸ Instability lens…: where the picture changes without moving, over the picture.

The lens (critique_app.services.instability_lens) measures a passage on the window's task
runner, with progress and Cancel: the in → out marks when both are set, else four seconds
around the frame on screen. Its heat (the share of the passage's frames on which each place
was hot) is painted over the exact frame, with an opacity slider, and the hottest regions of
the frame on screen are outlined; one button turns the hottest region into an annotation's
region. The panel says in a sentence what the score measures: an aid to look, not a detector.
Opening another film drops the measure (its task is a "film" task).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PyQt6.QtCore import QEvent, QObject, QRectF, Qt
from PyQt6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PyQt6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain.model import FrameRange, Keyframe, Region
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, format_number, format_percent, ngettext
from critique_app.progress import Progress

PANEL = N_("Instability")
LANE = "instability"
AROUND_SECONDS = 2  # each side of the frame on screen when no in → out passage is marked
# The score lane: % of the picture hot -> colour (inferno's steps). Under BLANK_BELOW a frame is
# left blank: a clean pan scores 0 %, a figure crossing the set 0.5-1 % (its edges: dim purple).
BLANK_BELOW = 0.5
LANE_STEPS = ((1.5, "#7a1f6e"), (4.0, "#d4483b"), (10.0, "#f7a21b"), (float("inf"), "#fcf3a0"))


def lane_spans(scores: dict[int, float]) -> list[tuple[int, int, str, str]]:
    """Runs of consecutive frames whose scores fall in one step, coloured by it, labelled with
    their highest score."""
    spans: list[tuple[int, int, str, str]] = []
    run: list[Any] = []  # start, end, colour, highest

    def close() -> None:
        if run:
            label = _("up to {share} of the picture changes without moving").format(
                share=format_percent(run[3], 1)
            )
            spans.append((run[0], run[1], run[2], label))

    for frame in sorted(scores):
        score = scores[frame]
        colour = "" if score < BLANK_BELOW else next(c for top, c in LANE_STEPS if score < top)
        if run and colour == run[2] and frame == run[1] + 1:
            run[1], run[3] = frame, max(run[3], score)
            continue
        close()
        run = [frame, frame, colour, score] if colour else []
    close()
    return spans


def _measure(progress: Progress, path: str, first: int, last: int) -> Any:
    from critique_app.services.instability_lens import measure_passage

    return measure_passage(path, first, last, progress)


def heat_image(heat: Any) -> QImage:
    """The heat (working size, 0-1) as an image; the painter's opacity does the rest."""
    from critique_app.media.instability import heat_colours

    rgba = np.ascontiguousarray(heat_colours(heat))
    height, width = heat.shape
    fmt = QImage.Format.Format_RGBA8888
    return QImage(rgba.tobytes(), width, height, width * 4, fmt).copy()  # owns its pixels


class HeatOverlay(QWidget):
    """Paints the heat and the hot regions over the film's picture; never takes the mouse."""

    def __init__(self, picture: QWidget) -> None:
        super().__init__(picture)
        self.setObjectName("InstabilityOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.picture = picture  # a FramePicture: knows where the frame lands
        self.heat: QImage | None = None
        self.opacity = 0.6
        self.boxes: list[tuple[float, float, float, float]] = []  # fractions of the picture
        self.setGeometry(picture.rect())
        picture.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802
        if watched is self.picture and event is not None and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.picture.rect())
        return False

    def show_heat(self, heat: QImage | None) -> None:
        self.heat = heat
        self.setVisible(heat is not None)
        self.raise_()
        self.update()

    def set_boxes(self, boxes: list[tuple[float, float, float, float]]) -> None:
        self.boxes = boxes
        self.update()

    def set_opacity(self, opacity: float) -> None:
        self.opacity = opacity
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 (Qt name)
        if self.heat is None:
            return
        area: QRectF = self.picture.picture_rect()  # type: ignore[attr-defined]
        painter = QPainter(self)
        painter.setOpacity(self.opacity)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(area, self.heat)
        painter.setOpacity(1.0)
        pen = QPen(QColor(120, 230, 255))
        pen.setWidth(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for x, y, w, h in self.boxes:
            painter.drawRect(
                QRectF(
                    area.x() + x * area.width(),
                    area.y() + y * area.height(),
                    w * area.width(),
                    h * area.height(),
                )
            )
        painter.end()


class InstabilityPanel(QWidget):
    """What the lens measures, the passage, the opacity, the frame's score."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InstabilityPanel")
        from critique_app.services.instability_lens import what_the_score_measures

        self.explanation = QLabel(what_the_score_measures())
        self.explanation.setWordWrap(True)
        self.measure_button = QPushButton(_("Measure the passage"))
        self.measure_button.setToolTip(
            _("The in → out marks, else four seconds around the frame on screen")
        )
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(60)
        self.opacity.setToolTip(_("Opacity of the heat over the picture"))
        self.annotate_button = QPushButton(_("Annotate the hottest region"))
        self.annotate_button.setEnabled(False)
        self.summary = QLabel(_("Nothing measured yet."))
        self.summary.setWordWrap(True)
        self.frame_line = QLabel()
        self.frame_line.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Opacity")))
        row.addWidget(self.opacity, 1)
        column = QVBoxLayout(self)
        column.addWidget(self.explanation)
        column.addWidget(self.measure_button)
        column.addLayout(row)
        column.addWidget(self.summary)
        column.addWidget(self.frame_line)
        column.addWidget(self.annotate_button)
        column.addStretch(1)


class InstabilityLens(QObject):
    """The lens in the window: the action, the panel (made on first use), the overlay."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.controller = window.controller
        self.overlay = HeatOverlay(window.video.picture)
        self.panel: InstabilityPanel | None = None
        self.dock: QDockWidget | None = None
        self.task: Task | None = None
        self.result: Any = None  # media.instability.InstabilityResult of the film on screen
        self.action = window.action_table["instability_lens"]
        self.action.triggered.connect(self.open)
        self.controller.frame_changed.connect(self._follow)
        self.controller.film_opened.connect(lambda _info: self.clear())

    # -- the panel ----------------------------------------------------------------------------
    def open(self) -> None:
        """Show the panel (made on first use, so the default layout stays as it was)."""
        if self.panel is None:
            self.panel = InstabilityPanel()
            self.panel.measure_button.clicked.connect(self.measure)
            self.panel.opacity.valueChanged.connect(lambda v: self.overlay.set_opacity(v / 100))
            self.panel.annotate_button.clicked.connect(self.annotate_hottest)
            self.dock = self.window.add_panel(PANEL, self.panel)
            # a tab beside the annotation editor: the panel gets its height, not a sliver
            self.window.tabifyDockWidget(self.window.annotations.editor_dock, self.dock)
        assert self.dock is not None
        self.dock.show()
        self.dock.raise_()

    def passage(self) -> tuple[int, int] | None:
        """The in → out marks, else a few seconds around the frame on screen."""
        info = self.controller.info
        if info is None:
            return None
        marks = self.controller.marks
        if marks.in_mark is not None and marks.out_mark is not None:
            return marks.in_mark, marks.out_mark
        around = int(round(float(info.rate) * AROUND_SECONDS))
        here = self.controller.current
        return max(0, here - around), min(info.frame_count - 1, here + around)

    def measure(self) -> Task | None:
        path, passage = self.controller.path, self.passage()
        if path is None or passage is None:
            self.window.show_message(_("Open a film first, then measure a passage of it."))
            return None
        self.open()
        assert self.panel is not None
        if self.task is not None:
            self.task.cancel()
        first, last = passage
        self.panel.summary.setText(
            _("Measuring frames {first} to {last}… (progress in the status bar)").format(
                first=first, last=last
            )
        )
        self.task = self.window.tasks.run(
            _("Instability of frames {first} to {last}").format(first=first, last=last),
            _measure,
            str(path),
            first,
            last,
            scope="film",  # another film opening drops it
            on_done=self._measured,
            on_error=self._failed,
            on_cancelled=lambda: self._failed(_("Measuring cancelled.")),
        )
        return self.task

    def _measured(self, result: Any) -> None:
        self.task = None
        self.result = result
        assert self.panel is not None
        scores = result.scores
        if scores:
            top = max(scores, key=scores.get)
            text = _(
                "Frames {first} to {last}: on average {mean} of the picture changes without "
                "moving; most on frame {frame} ({share})."
            ).format(
                first=result.start,
                last=result.stop - 1,
                mean=format_percent(sum(scores.values()) / len(scores)),
                frame=top,
                share=format_percent(scores[top]),
            )
        else:
            text = _("Frames {first} to {last}: no two frames in a shot to compare.").format(
                first=result.start, last=result.stop - 1
            )
        if result.cuts:
            text += " " + _("Frames just after a cut are skipped: {frames}.").format(
                frames=", ".join(str(c) for c in result.cuts)
            )
        self.panel.summary.setText(text)
        self.overlay.show_heat(heat_image(result.heat) if result.heat is not None else None)
        self.window.timeline.canvas.set_lane(LANE, lane_spans(scores), _(PANEL))
        self._follow(self.controller.current)

    def _failed(self, sentence: str) -> None:
        self.task = None
        if self.panel is not None:
            self.panel.summary.setText(sentence)
        self.window.show_message(sentence)

    def clear(self) -> None:
        """A new film: the measure was of another one."""
        self.result = None
        self.overlay.show_heat(None)
        self.overlay.set_boxes([])
        self.window.timeline.canvas.remove_lane(LANE)
        if self.panel is not None:
            self.panel.summary.setText(_("Nothing measured yet."))
            self.panel.frame_line.clear()
            self.panel.annotate_button.setEnabled(False)

    # -- the frame on screen -------------------------------------------------------------------
    def regions_of(self, frame: int) -> list[Any]:
        if self.result is None:
            return []
        return [r for r in self.result.regions if r.frame == frame]

    def _follow(self, frame: int) -> None:
        if self.result is None:
            return
        width, height = self.result.film_size
        regions = self.regions_of(frame)
        self.overlay.set_boxes(
            [(r.x / width, r.y / height, r.width / width, r.height / height) for r in regions]
        )
        if self.panel is None:
            return
        score = self.result.scores.get(frame)
        if score is None:
            self.panel.frame_line.setText(_("Frame {frame}: not measured.").format(frame=frame))
        else:
            self.panel.frame_line.setText(
                ngettext(
                    "Frame {frame}: {share} of the picture, {regions} hot region.",
                    "Frame {frame}: {share} of the picture, {regions} hot regions.",
                    len(regions),
                ).format(frame=frame, share=format_percent(score), regions=len(regions))
            )
        self.panel.annotate_button.setEnabled(bool(regions))

    def annotate_hottest(self) -> int | None:
        """A new annotation on the frame on screen whose region is its hottest area."""
        frame = self.controller.current
        regions = self.regions_of(frame)
        if not regions or self.result is None:
            return None
        hottest = regions[0]
        width, height = self.result.film_size
        corners = (
            (hottest.x / width, hottest.y / height),
            ((hottest.x + hottest.width) / width, (hottest.y + hottest.height) / height),
        )
        region = Region("rectangle", (Keyframe(frame, corners),))
        return self.window.annotations.create(
            FrameRange(frame, frame),
            regions=(region,),
            label=N_("Annotate the hottest region"),
            note=_(
                "Instability lens: the picture changes here without moving "
                "({score} grey levels left after following the motion)."
            ).format(score=format_number(round(hottest.score, 1))),
        )

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None


def install_instability_lens(window: WindowContext) -> InstabilityLens:
    """View ▸ Lenses ▸ Instability lens…: the heat of a passage over the picture, and its panel."""
    return InstabilityLens(window)
