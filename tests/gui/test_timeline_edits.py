"""An edit of one annotation redraws only its bar (issue 26: reloading 100,000 annotations per
key press took seconds), and the timeline then shows exactly what a reload of the whole film
shows: the same bars in the same sub-rows and bands, the same ↑/↓ stops, the same pixels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QEvent
from PyQt6.QtWidgets import QApplication

from critique_app.domain import commands as cmd
from critique_app.domain.model import FrameRange
from tests.gui.annotation_projects import make_project


def drawn(h: Any) -> Any:
    """Everything the canvas draws and answers from, and the stops ↑/↓ visit."""
    canvas = h.window.timeline.canvas

    def bar(b: Any) -> tuple[Any, ...]:
        return (b.id, b.tier_id, b.start, b.end, b.row, b.color, b.label)

    return (
        canvas._content_height,
        list(canvas._tracks),
        [(t, y, height, [bar(b) for b in bars]) for t, y, height, bars in canvas._lines],
        {i: canvas._band(i) for i in canvas._bar_of},
        {t: [bar(b) for b in bars] for t, bars in canvas._bars.items() if bars},
        list(h.controller.marks.stops),
    )


def picture(h: Any) -> Any:
    """The canvas as painted once the layouts its new height asks for are applied (the
    tracks read on a worker let the window's events run in between)."""
    for _ in range(10):  # each layout may ask its parent's again
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
    return h.window.timeline.canvas.grab().toImage()


def assert_as_reloaded(h: Any) -> None:
    """The incremental redraw, then a full reload: nothing differs."""
    # the strip's thumbnails arrived first: the reload below reads on a worker, and the
    # window goes on with its events meanwhile
    h.qtbot.waitUntil(lambda: h.window.tracks.thumb_task is None)
    after_edit, pixels = drawn(h), picture(h)
    h.window.tracks.reload()
    h.tracks_read()
    assert drawn(h) == after_edit
    assert picture(h) == pixels


def crowded(h: Any) -> tuple[int, int]:
    """Overlapping annotations in one tier (three sub-rows) and one in the other tier."""
    project = h.window.session.project
    tiers = [t.id for t in project.tiers()]
    for start, end in ((20, 40), (25, 35), (30, 50), (52, 70), (5, 12)):
        h.window.annotations.create(FrameRange(start, end), tier_id=tiers[0])
    return tiers[0], tiers[1]


def test_edits_undos_and_redos_draw_what_a_reload_draws(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, clip))
    stack = h.window.session.undo_stack
    first, second = crowded(h)
    assert_as_reloaded(h)
    canvas = h.window.timeline.canvas
    assert max(b.row for b in canvas._bars[first]) >= 2  # really stacked in sub-rows

    new = h.window.annotations.create(FrameRange(33, 44), tier_id=first)  # a fourth sub-row
    assert new is not None
    assert_as_reloaded(h)
    stack.undo()
    assert_as_reloaded(h)
    stack.redo()
    assert_as_reloaded(h)

    # a range change that moves a lone bar into the overlap, and back
    lone = next(b.id for b in canvas._bars[first] if (b.start, b.end) == (52, 70))
    stack.push(cmd.change_range(lone, FrameRange(28, 60)))
    assert_as_reloaded(h)
    assert canvas.bar_of(lone) is not None and canvas.bar_of(lone).row >= 3
    stack.undo()
    assert_as_reloaded(h)
    stack.redo()
    assert_as_reloaded(h)

    # a delete from the middle of the stack, its undo and redo
    middle = next(b.id for b in canvas._bars[first] if (b.start, b.end) == (25, 35))
    stack.push(cmd.DeleteAnnotation(middle))
    assert canvas.bar_of(middle) is None
    assert_as_reloaded(h)
    stack.undo()
    assert canvas.bar_of(middle) is not None
    assert_as_reloaded(h)
    stack.redo()
    assert_as_reloaded(h)

    # moved to the other tier (both tracks change height), a note (the label), undo
    stack.push(cmd.move_to_tier(new, second))
    assert_as_reloaded(h)
    stack.push(cmd.set_value(new, "A *hand* with six fingers"))
    assert canvas.bar_of(new) is not None and canvas.bar_of(new).label == "A hand with six fingers"
    assert_as_reloaded(h)
    stack.undo()
    stack.undo()
    assert_as_reloaded(h)


def test_bar_edges_and_stops_follow_an_edit_the_way_a_reload_does(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """Two bars sharing an edge: moving one keeps the shared stop; deleting both drops it."""
    h = open_window(make_project(tmp_path, clip))
    stack = h.window.session.undo_stack
    tier = h.window.session.project.tiers()[0].id
    one = h.window.annotations.create(FrameRange(100, 110), tier_id=tier)
    two = h.window.annotations.create(FrameRange(105, 110), tier_id=tier)
    assert one is not None and two is not None
    assert 110 in h.controller.marks.stops
    stack.push(cmd.change_range(one, FrameRange(100, 108)))
    assert 110 in h.controller.marks.stops and 108 in h.controller.marks.stops
    assert_as_reloaded(h)
    stack.push(cmd.DeleteAnnotation(two))
    assert 110 not in h.controller.marks.stops and 105 not in h.controller.marks.stops
    assert_as_reloaded(h)
    stack.undo()
    stack.undo()
    assert 110 in h.controller.marks.stops
    assert_as_reloaded(h)


def test_a_tier_change_still_reloads_everything(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, clip))
    stack = h.window.session.undo_stack
    before = len(h.window.timeline.canvas.tiers)
    stack.push(cmd.CreateTier("Chloé", "Chloé", "#8e6bbf"))
    h.tracks_read()  # everything read again, on a worker
    assert len(h.window.timeline.canvas.tiers) == before + 1
    assert_as_reloaded(h)
    stack.undo()
    h.tracks_read()
    assert len(h.window.timeline.canvas.tiers) == before
    assert_as_reloaded(h)


def test_the_picture_overlay_follows_region_edits_as_a_reload_does(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """Regions of edited annotations only are re-read; the list is what a full read gives."""
    from critique_app.domain.model import Region

    h = open_window(make_project(tmp_path, clip))
    tools, stack = h.window.annotations, h.window.session.undo_stack
    tier = h.window.session.project.tiers()[0].id

    def as_loaded() -> None:
        edited = [(a.id, a.range, a.regions) for a in tools._with_regions]
        tools._load_regions()
        assert [(a.id, a.range, a.regions) for a in tools._with_regions] == edited

    box = Region.still("rectangle", [(0.1, 0.1), (0.4, 0.4)], 50)
    ids = [tools.create(FrameRange(s, s + 20), tier_id=tier) for s in (60, 20, 40)]
    for ident in ids:
        assert ident is not None
        stack.push(cmd.set_regions(ident, [box], "Draw region"))
        as_loaded()
    assert len(tools._with_regions) == 3
    stack.push(cmd.change_range(ids[0], FrameRange(5, 9)))  # now listed first
    as_loaded()
    stack.push(cmd.DeleteAnnotation(ids[1]))
    as_loaded()
    stack.undo()
    as_loaded()
    stack.push(cmd.set_regions(ids[2], [], "Erase region"))
    as_loaded()
    assert len(tools._with_regions) == 2
