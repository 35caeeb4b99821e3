"""A crowded timeline reuses the slivers it drew while the view stays (playback), and draws
them anew as soon as the zoom, the scroll or the selection changes: the picture is always the
one a fresh timeline draws for that view."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from PyQt6.QtGui import QImage, QPainter

from critique_app.gui.timeline.timeline import Timeline, TimelineBar

FRAMES = 20_000
# 3,000 short annotations on two tiers: zoomed out, nearly all are slivers of a pixel or two
BARS = [
    TimelineBar(
        i + 1, 10 if i % 2 else 20, i * 6, i * 6 + (i % 5), "#e6194b" if i % 3 else "#4363d8"
    )
    for i in range(3_000)
]


def timeline(qtbot: Any) -> Timeline:
    made = Timeline()
    qtbot.addWidget(made)
    made.resize(900, 300)
    canvas = made.canvas
    canvas.resize(900, 280)
    canvas.set_film(FRAMES, Fraction(24))
    canvas.set_tracks([(10, "Anna", "#d9822b"), (20, "Ben", "#3fa46a")], list(BARS))
    canvas.zoom_fit()
    return made


def picture(made: Timeline) -> QImage:
    canvas = made.canvas
    image = QImage(canvas.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)  # a new QImage holds whatever the memory held
    painter = QPainter(image)
    canvas.render(painter)
    painter.end()
    return image


def fresh_like(qtbot: Any, made: Timeline) -> QImage:
    other = timeline(qtbot)
    other.canvas.resize(made.canvas.size())
    picture(other)  # its first paint, as the other one had: a resize fits the film again
    other.canvas.fpp, other.canvas.current = made.canvas.fpp, made.canvas.current
    other.canvas.scroll_to(made.canvas.offset)
    other.canvas.set_selected(made.canvas.selected)
    return picture(other)


def test_the_same_view_is_drawn_again_from_what_was_made(qtbot: Any) -> None:
    made = timeline(qtbot)
    first = picture(made)
    dense = made.canvas._dense
    assert dense is not None and dense._view is not None
    made.canvas.current = FRAMES // 3  # playback: only the playhead moves
    again = picture(made)
    assert made.canvas._dense is dense and dense._view is not None
    assert again != first  # the playhead moved
    assert again == fresh_like(qtbot, made)


def test_a_new_zoom_scroll_or_selection_draws_the_slivers_anew(qtbot: Any) -> None:
    made = timeline(qtbot)
    picture(made)
    canvas = made.canvas
    canvas.set_selected(BARS[10].id)  # a sliver chosen: drawn on its own, outlined
    assert picture(made) == fresh_like(qtbot, made)
    canvas.zoom(4.0, anchor_x=300)
    assert picture(made) == fresh_like(qtbot, made)
    canvas.scroll_to(canvas.offset + 500)
    assert picture(made) == fresh_like(qtbot, made)
    canvas.set_selected(None)
    assert picture(made) == fresh_like(qtbot, made)
