"""Anchor fingerprints kept up to date from the window: a new annotation gets the pHash of its
first, middle and last exact frame in the project file, and dragging its edge on the timeline
recomputes them for the new range (undo puts the old range and anchors back at once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint, Qt

from critique_app.domain.model import Annotation, FrameRange
from critique_app.gui.timeline.timeline import TRACK
from critique_app.services.anchors import compute_anchor_hashes
from db.project import open_project
from tests.conftest import FRAME_WAIT_MS
from tests.gui.annotation_projects import make_project

K = Qt.Key
LEFT = Qt.MouseButton.LeftButton


def anchors_on_disk(path: Path) -> dict[tuple[int, int], Any]:
    """(in, out) -> anchor hashes of every annotation, read by a second connection."""
    with open_project(path) as project:
        return {(a.range.start, a.range.end): a.anchor_hashes for a in project.repo.annotations()}


def expected(clip: Path, first: int, last: int) -> tuple[int, int, int]:
    return compute_anchor_hashes(clip, {1: FrameRange(first, last)})[1]


def test_created_and_dragged_annotations_get_their_anchors(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    keeper = h.window.anchor_keeper
    h.controller.show_frame(100)
    h.at(100)
    h.key(K.Key_I)
    h.controller.show_frame(110)
    h.at(110)
    h.key(K.Key_O)
    h.key(K.Key_N)
    # the new annotation and the four older ones that had none, stored by the GUI thread
    h.qtbot.waitUntil(lambda: all(anchors_on_disk(path).values()), timeout=20_000)
    assert anchors_on_disk(path)[(100, 110)] == expected(clip, 100, 110)
    assert len(set(anchors_on_disk(path)[(100, 110)])) == 3  # three different pictures

    # drag the new bar's end edge from 110 to 115 on the timeline
    canvas = h.window.timeline.canvas
    new = h.window.annotations.selected_id
    tier = h.window.session.project.project.repo.get_annotation(new).tier_id
    row = [t for t, _n, _c in canvas.tiers].index(tier)
    y = int(canvas._tracks_top() + TRACK * row + TRACK / 2)
    canvas.zoom(4, anchor_x=canvas.x_of(110))  # a few pixels per frame: frame-accurate drags
    h.qtbot.mousePress(canvas, LEFT, pos=QPoint(round(canvas.x_of(111)), y))
    target = QPoint(round(canvas.x_of(116) + 0.2 / canvas.fpp), y)
    h.qtbot.mouseMove(canvas, target)
    h.qtbot.mouseRelease(canvas, LEFT, pos=target)
    assert (100, 115) in anchors_on_disk(path)
    h.qtbot.waitUntil(lambda: anchors_on_disk(path)[(100, 115)] is not None, timeout=20_000)
    moved = anchors_on_disk(path)[(100, 115)]
    assert moved == expected(clip, 100, 115)
    assert moved != expected(clip, 100, 110)  # the middle and last frames changed

    # undo: the old range with its old anchors at once; redo: recomputed again
    h.key(K.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert anchors_on_disk(path)[(100, 110)] == expected(clip, 100, 110)
    h.key(K.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    h.qtbot.waitUntil(lambda: anchors_on_disk(path)[(100, 115)] is not None, timeout=20_000)
    assert anchors_on_disk(path)[(100, 115)] == moved
    h.qtbot.waitUntil(lambda: not keeper.busy)


def test_a_newer_edit_cancels_the_pass_before_it(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    keeper = h.window.anchor_keeper
    first = keeper.start()  # four annotations without anchors
    assert first is not None
    second = keeper.start()
    assert second is not None and keeper.task is second
    h.qtbot.waitUntil(lambda: not first.running and not second.running, timeout=20_000)
    assert first.progress.cancelled and not second.progress.cancelled
    h.qtbot.waitUntil(lambda: all(anchors_on_disk(path).values()), timeout=FRAME_WAIT_MS)


def test_after_a_whole_pass_only_edited_annotations_are_read_again(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """Issue 26: a pass after an edit reads the edited annotations, not the whole film; what
    another program wrote (the window re-reads it) is looked at whole again."""
    path = make_project(tmp_path, clip)
    h = open_window(path)
    keeper = h.window.anchor_keeper
    first = keeper.start()  # the film seen whole: its four annotations without anchors
    assert first is not None and len(keeper._todo_of_task) == 4
    h.qtbot.waitUntil(lambda: all(anchors_on_disk(path).values()), timeout=20_000)
    h.qtbot.waitUntil(lambda: not keeper.busy)

    new = h.window.annotations.create(FrameRange(100, 110))
    assert new is not None
    h.qtbot.waitUntil(lambda: keeper.task is not None or not keeper.busy, timeout=5_000)
    assert set(keeper._todo_of_task) == {new}
    h.qtbot.waitUntil(lambda: all(anchors_on_disk(path).values()), timeout=20_000)
    h.qtbot.waitUntil(lambda: not keeper.busy)

    with open_project(path) as project:  # another program adds one without anchors
        film = project.repo.films()[0]
        tier = project.repo.tiers()[0]
        project.repo.add_annotation(Annotation.create(film.id, tier.id, FrameRange(20, 24)))
    h.window.session.content_changed.emit()  # what the window does when it notices
    h.window.annotations.create(FrameRange(40, 44))
    h.qtbot.waitUntil(lambda: all(anchors_on_disk(path).values()), timeout=20_000)
    h.qtbot.waitUntil(lambda: not keeper.busy)


def test_a_pass_stops_when_its_annotations_are_undone(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """Work that outlives what it was for is cancelled: a pass hashing annotations that are
    deleted (a whole import undone with Ctrl+Z) stops; those brought back by undo get their
    anchors from the next pass, and nothing else is lost."""
    path = make_project(tmp_path, clip)
    h = open_window(path)
    keeper = h.window.anchor_keeper
    first = keeper.start()  # four annotations without anchors
    assert first is not None
    doomed = sorted(keeper._todo_of_task)
    assert len(doomed) == 4
    for ident in doomed:
        h.window.annotations.delete(ident)
    assert keeper.task is not first
    h.qtbot.waitUntil(lambda: not first.running and not keeper.busy, timeout=20_000)
    assert first.dropped and first.progress.cancelled
    assert anchors_on_disk(path) == {}  # nothing hashed for the deleted ones
    for _ident in doomed:
        h.key(K.Key_Z, Qt.KeyboardModifier.ControlModifier)
    h.qtbot.waitUntil(lambda: len(anchors_on_disk(path)) == 4, timeout=FRAME_WAIT_MS)
    h.qtbot.waitUntil(lambda: all(anchors_on_disk(path).values()), timeout=20_000)
    h.qtbot.waitUntil(lambda: not keeper.busy)
