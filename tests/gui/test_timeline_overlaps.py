"""Overlapping annotations on one tier, as drawn: each in its own sub-row, no bar covering
another on screen, a click on any sub-row selecting that annotation, edge drags still working;
and in the window, a click on the second sub-row selects that annotation in the table."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint, QRectF, Qt
from PyQt6.QtGui import QColor

from critique_app.domain.model import Annotation, FrameRange
from critique_app.gui.timeline.timeline import TRACK, Timeline, TimelineBar
from critique_app.services.films import add_film
from db.project import open_project

LEFT = Qt.MouseButton.LeftButton
COLOURS = {1: "#e6194b", 2: "#3cb44b", 3: "#4363d8", 4: "#f58231", 5: "#911eb4"}
# tier 10: three bars over frames 40-50, a fourth after them; tier 20: one bar
BARS = [
    TimelineBar(1, 10, 10, 60, COLOURS[1]),
    TimelineBar(2, 10, 30, 90, COLOURS[2]),
    TimelineBar(3, 10, 40, 50, COLOURS[3]),
    TimelineBar(4, 10, 100, 120, COLOURS[4]),
    TimelineBar(5, 20, 20, 70, COLOURS[5]),
]


def centre(rect: QRectF) -> QPoint:
    return QPoint(round(rect.center().x()), round(rect.center().y()))


def shown_timeline(qtbot: Any) -> Timeline:
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(900, 420)
    timeline.show()
    qtbot.waitExposed(timeline)
    canvas = timeline.canvas
    canvas.set_film(200, Fraction(24))
    canvas.set_tracks([(10, "Anna", "#d9822b"), (20, "Ben", "#3fa46a")], list(BARS))
    return timeline


def test_overlapping_bars_stack_and_each_is_seen_and_clicked(qtbot: Any) -> None:
    timeline = shown_timeline(qtbot)
    canvas = timeline.canvas
    rows = {b.id: b.row for bars in canvas._bars.values() for b in bars}
    assert rows == {1: 0, 2: 1, 3: 2, 4: 0, 5: 0}
    rects = {i: canvas.bar_rect(i) for i in COLOURS}
    assert all(r is not None for r in rects.values())
    for i in COLOURS:
        for j in COLOURS:
            if i < j:
                assert not rects[i].intersects(rects[j]), (i, j)  # type: ignore[union-attr]
    # the tier below starts after all three sub-rows of the first one
    assert rects[5].top() > max(rects[k].bottom() for k in (1, 2, 3))  # type: ignore[union-attr]

    # on screen, each bar's own colour is painted at its centre: nothing hides it
    image = canvas.grab().toImage()
    for ident, rect in rects.items():
        assert rect is not None
        point = centre(rect)
        seen = QColor(image.pixel(point.x(), point.y()))
        expected = QColor(COLOURS[ident]).darker(115)
        assert (
            max(
                abs(seen.red() - expected.red()),
                abs(seen.green() - expected.green()),
                abs(seen.blue() - expected.blue()),
            )
            <= 24
        ), (ident, seen.name(), expected.name())

    # a click in any sub-row selects that annotation (and lands on its first frame)
    for ident, rect in rects.items():
        assert rect is not None
        with qtbot.waitSignals([canvas.bar_clicked, canvas.seek]) as blocker:
            qtbot.mouseClick(canvas, LEFT, pos=centre(rect))
        assert list(blocker.all_signals_and_args[0].args) == [ident]


def test_dragging_the_edge_of_a_stacked_bar_edits_that_annotation(qtbot: Any) -> None:
    timeline = shown_timeline(qtbot)
    canvas = timeline.canvas
    rect = canvas.bar_rect(3)  # frames 40-50, third sub-row
    assert rect is not None
    y = round(rect.center().y())
    with qtbot.waitSignal(canvas.range_edited) as edited:
        qtbot.mousePress(canvas, LEFT, pos=QPoint(round(rect.right()), y))
        qtbot.mouseMove(canvas, QPoint(round(canvas.x_of(56)), y))
        qtbot.mouseRelease(canvas, LEFT, pos=QPoint(round(canvas.x_of(56)), y))
    assert edited.args == [3, 40, 55]


def test_many_sub_rows_scroll_instead_of_growing_the_window(qtbot: Any) -> None:
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(900, 300)
    timeline.show()
    qtbot.waitExposed(timeline)
    canvas = timeline.canvas
    canvas.set_film(200, Fraction(24))
    pile = [TimelineBar(100 + k, 10, k, 150, "#4f8cc9") for k in range(30)]  # 30 overlapping
    canvas.set_tracks([(10, "Class", "#d9822b")], pile)
    assert canvas.minimumHeight() < 300
    assert canvas.tracks_content_height() > canvas.tracks_view_height()
    qtbot.waitUntil(timeline.tracks_scrollbar.isVisible)
    canvas.set_selected(129)  # chosen in the table: its sub-row scrolls into view
    rect = canvas.bar_rect(129)
    assert rect is not None and canvas.v_scroll > 0
    assert canvas._tracks_top() <= rect.top() and rect.bottom() <= canvas.height()
    with qtbot.waitSignal(canvas.bar_clicked) as clicked:
        qtbot.mouseClick(canvas, LEFT, pos=centre(rect))
    assert clicked.args == [129]


def test_the_window_selects_the_annotation_of_the_sub_row_clicked(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = tmp_path / "overlaps.critique"
    with open_project(path) as project:
        film = add_film(project, clip, title="Coded clip")
        tier = project.repo.add_tier("Anna", color="#d9822b")
        first = project.repo.add_annotation(
            Annotation.create(film.id, tier.id, FrameRange(10, 80), note="morph")
        )
        second = project.repo.add_annotation(
            Annotation.create(film.id, tier.id, FrameRange(30, 60), note="drift")
        )
    h = open_window(path)
    canvas, table = h.window.timeline.canvas, h.window.annotations.table
    h.qtbot.waitUntil(lambda: table.model.rowCount() == 2 and len(canvas.tiers) == 1)
    one, two = canvas.bar_rect(first.id), canvas.bar_rect(second.id)
    assert one is not None and two is not None and not one.intersects(two)
    assert two.top() >= one.bottom() and one.height() < TRACK
    h.qtbot.mouseClick(canvas, LEFT, pos=centre(two))
    assert table.selected_id() == second.id and canvas.selected == second.id
    h.at(30)
    h.qtbot.mouseClick(canvas, LEFT, pos=QPoint(round(canvas.x_of(70)), round(one.center().y())))
    assert table.selected_id() == first.id


def test_a_tall_tier_scrolled_part_way_keeps_its_name_in_sight(qtbot: Any) -> None:
    """Forty annotations on one frame (a student marking frame after frame, Shift+N): forty
    sub-rows; scrolled to the last one, the tier's name is drawn at the top of the view, as an
    NLE's track header stays, not above it (seen at 1280×800: a tier without a name)."""
    timeline = shown_timeline(qtbot)
    canvas = timeline.canvas
    crowd = [TimelineBar(100 + n, 10, 4, 4, COLOURS[1]) for n in range(40)]
    canvas.set_tracks([(10, "Anna", "#d9822b"), (20, "Ben", "#3fa46a")], crowd)
    canvas.set_selected(139)  # the last sub-row: the view scrolls down to it
    assert canvas.v_scroll > TRACK
    top = canvas._tracks_top()
    header = canvas.grab().toImage().copy(10, top, 60, TRACK)  # the name's place, under the lanes
    background = header.pixelColor(header.width() - 1, 0)
    inked = [
        (x, y)
        for x in range(header.width())
        for y in range(header.height())
        if header.pixelColor(x, y) != background
    ]
    assert len(inked) > 20, "no name drawn at the top of the scrolled tier"


def test_the_bars_picture_is_kept_while_the_view_stays_and_made_again_when_it_moves(
    qtbot: Any,
) -> None:
    """Playback repaints for the playhead alone: the bars' picture is drawn again, not the
    bars (a minute's zoom at 100,000 annotations drew ~900 bars with labels, 2.6x the widget
    without bars). A scroll, a selection or an edit makes a new one, never a stale one."""
    timeline = shown_timeline(qtbot)
    canvas = timeline.canvas
    canvas.grab()
    kept = canvas._wide
    assert kept is not None
    canvas.current += 1  # the playhead moves: the same bars
    canvas.grab()
    assert canvas._wide is kept
    before = canvas.grab().toImage()
    canvas.set_selected(2)  # outlined in white: a new picture
    selected = canvas.grab().toImage()
    assert canvas._wide is not kept and selected != before
    kept = canvas._wide
    whole = canvas.fpp
    canvas.fpp = whole / 2  # zoomed in: another view
    canvas.grab()
    assert canvas._wide is not kept
    canvas.fpp = whole
    assert canvas.grab().toImage() == selected  # the same view again, the same pixels
    moved = TimelineBar(3, 10, 140, 160, COLOURS[3])
    canvas.replace_bars([moved], set())  # an edit: the bar drawn where it went
    rect = canvas.bar_rect(3)
    assert rect is not None
    picture = canvas.grab().toImage()
    assert picture.pixelColor(centre(rect)) != before.pixelColor(centre(rect))
