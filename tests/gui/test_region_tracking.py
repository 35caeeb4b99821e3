"""Annotate ▸ Track the region forward / backward: the selected annotation's region follows a
textured square across the picture (a film decoded by FFmpeg), on the window's task runner,
in one undoable edit; Cancel in the task bar leaves the region as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import QPoint, Qt

from critique_app.domain.model import Region
from critique_app.gui.actions import ANNOTATE, find_menu
from db.project import open_project
from tests.conftest import FRAME_WAIT_MS
from tests.decor_clips import DecorClip, centre_error, make_decor_clip
from tests.gui.annotation_projects import make_project, with_square_annotation

SIZE = (640, 360)
LEFT = Qt.MouseButton.LeftButton
HANG_GUARD_MS = 300_000  # a guard against a hang, not a time bound


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> DecorClip:
    folder = tmp_path_factory.mktemp("track-window")
    return make_decor_clip(folder / "square.mp4", frames=48, size=SIZE, mover=(4, 2))


def centre_off(region: Region, frame: int, clip: DecorClip) -> float:
    left, top, right, bottom = region.bounds(frame)
    width, height = SIZE
    box = (left * width, top * height, (right - left) * width, (bottom - top) * height)
    return centre_error(box, clip.mover[frame])


def stored_region(project: Path, ident: int) -> Region:
    with open_project(project) as opened:
        found = next(a for a in opened.repo.annotations() if a.id == ident)
    return found.regions[0]


def test_the_region_follows_the_square_forward_to_the_out_point_then_backward(
    open_window: Any, square: DecorClip, tmp_path: Path
) -> None:
    project, ident = with_square_annotation(tmp_path, square, 20)
    h = open_window(project)
    menu = find_menu(h.window.menuBar(), ANNOTATE)
    assert menu is not None
    names = [a.objectName() for a in menu.actions()]
    assert "track_forward" in names and "track_backward" in names
    h.window.annotations.select(ident)
    h.controller.show_frame(36)
    h.settle()
    h.window.action_table["set_out"].trigger()  # O: the out point on frame 36
    assert h.controller.out_mark == 36
    h.controller.show_frame(20)
    h.settle()
    tracker = h.window.region_tracker
    h.window.action_table["track_forward"].trigger()
    assert tracker.task is not None
    h.qtbot.waitUntil(lambda: tracker.task is None, timeout=HANG_GUARD_MS)
    region = stored_region(project, ident)
    assert [k.frame for k in region.keyframes] == list(range(20, 37))
    for frame in range(20, 37):
        assert centre_off(region, frame, square) <= 5.0, frame
    assert "follows the picture" in h.window.statusBar().currentMessage()
    said = h.window.annotations.editor.regions.item(0).text()
    assert said.endswith("17 keyframes from frame 20 to 36"), said  # not the first six only
    # the region on screen follows the picture
    h.controller.show_frame(30)
    h.settle()
    shown = [r for r in h.window.annotations.overlay.regions if r.annotation_id == ident]
    assert shown and shown[0].keyframe_here
    assert centre_off(Region.still("rectangle", shown[0].points), 30, square) <= 5.0
    # a drag on frame 30 corrects that keyframe; the frames around keep theirs
    h.key(Qt.Key.Key_V)
    overlay = h.window.annotations.overlay
    rect = overlay.pixel_rect(ident)
    assert rect is not None
    centre = rect.center().toPoint()
    shift = round(0.1 * overlay.picture_rect().width())
    h.qtbot.mousePress(overlay, LEFT, pos=centre)
    for step in range(1, 7):
        h.qtbot.mouseMove(overlay, centre + QPoint(shift * step // 6, 0))
    h.qtbot.mouseRelease(overlay, LEFT, pos=centre + QPoint(shift, 0))
    corrected = stored_region(project, ident)
    assert [k.frame for k in corrected.keyframes] == list(range(20, 37))
    before = dict(zip([k.frame for k in region.keyframes], region.keyframes, strict=True))
    after = {k.frame: k for k in corrected.keyframes}
    assert after[29] == before[29] and after[31] == before[31]
    assert after[30].points[0][0] - before[30].points[0][0] == pytest.approx(0.1, abs=0.01)
    # backward from frame 20: no in point, so to the annotation's first frame (4)
    h.controller.show_frame(20)
    h.settle()
    h.window.action_table["track_backward"].trigger()
    h.qtbot.waitUntil(lambda: tracker.task is None, timeout=HANG_GUARD_MS)
    region = stored_region(project, ident)
    assert [k.frame for k in region.keyframes] == list(range(4, 37))
    assert region.keyframes[26] == after[30]  # the correction on frame 30 is kept
    for frame in range(4, 21):
        assert centre_off(region, frame, square) <= 5.0, frame
    # one undoable edit each: undo takes the backward run back, keeps the forward one
    h.window.action_table["undo"].trigger()
    assert [k.frame for k in stored_region(project, ident).keyframes] == list(range(20, 37))


def test_cancel_in_the_task_bar_leaves_the_region_as_it_was(
    open_window: Any, square: DecorClip, tmp_path: Path
) -> None:
    project, ident = with_square_annotation(tmp_path, square, 6)
    h = open_window(project)
    h.window.annotations.select(ident)
    h.controller.show_frame(6)
    h.settle()
    tracker = h.window.region_tracker
    h.window.action_table["track_forward"].trigger()
    task = tracker.task
    assert task is not None and h.window.taskbar.isVisible()
    with h.qtbot.waitSignal(task.cancelled, timeout=HANG_GUARD_MS):
        h.window.taskbar.cancel_button.click()
    assert task.wait(HANG_GUARD_MS / 1000)
    assert [k.frame for k in stored_region(project, ident).keyframes] == [6]
    h.qtbot.waitUntil(
        lambda: "cancelled" in h.window.statusBar().currentMessage(), timeout=FRAME_WAIT_MS
    )


def test_without_a_selected_region_it_says_what_to_do(
    open_window: Any, square: DecorClip, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, square.path))
    h.window.annotations.select(None)
    h.window.action_table["track_forward"].trigger()
    assert h.window.region_tracker.task is None
    assert "Select an annotation with a region" in h.window.statusBar().currentMessage()


def test_at_the_annotations_last_frame_there_is_nothing_to_track_forward(
    open_window: Any, square: DecorClip, tmp_path: Path
) -> None:
    project, ident = with_square_annotation(tmp_path, square, 44)
    h = open_window(project)
    h.window.annotations.select(ident)
    h.controller.show_frame(44)
    h.settle()
    h.window.action_table["track_forward"].trigger()
    assert h.window.region_tracker.task is None
    assert "Nothing to track forward" in h.window.statusBar().currentMessage()
