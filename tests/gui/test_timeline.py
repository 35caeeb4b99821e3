"""The timeline on a real project: tracks per tier, marks for ↑/↓, click/scrub/edge drags, zoom,
and the thumbnail strip generated in the background and cached in the project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtGui import QNativeGestureEvent, QPointingDevice
from PyQt6.QtWidgets import QApplication

from critique_app.domain.model import Annotation, FrameRange
from critique_app.gui.timeline.timeline import TRACK
from critique_app.media.thumbnails import THUMB_HEIGHT, sample_frames
from critique_app.services.films import add_film
from db.project import open_project
from db.thumbnail_store import load_thumbnails
from tests.conftest import FRAME_WAIT_MS

K = Qt.Key
LEFT = Qt.MouseButton.LeftButton


def make_project(folder: Path, clip: Path) -> Path:
    path = folder / "study.critique"
    with open_project(path) as project:
        film = add_film(project, clip, title="Coded clip")
        repo = project.repo
        a = repo.add_tier("Anna", color="#d9822b")
        b = repo.add_tier("Theme: hands", color="#3fa46a")
        repo.add_annotation(Annotation.create(film.id, a.id, FrameRange(10, 30), note="morph"))
        repo.add_annotation(Annotation.create(film.id, a.id, FrameRange(60, 60), note="a frame"))
        repo.add_annotation(Annotation.create(film.id, b.id, FrameRange(45, 80), note="drift"))
        repo.add_marker(film.id, 100, "cut?")
    return path


def bar_y(canvas: Any, row: int) -> int:
    return int(canvas._tracks_top() + TRACK * row + TRACK / 2)


def test_tracks_marks_and_up_down(open_window: Any, clip: Path, tmp_path: Path) -> None:
    h = open_window(make_project(tmp_path, clip))
    canvas = h.window.timeline.canvas
    h.qtbot.waitUntil(lambda: len(canvas.tiers) == 2)
    assert [name for _id, name, _c in canvas.tiers] == ["Anna", "Theme: hands"]
    assert sorted((b.start, b.end) for bars in canvas._bars.values() for b in bars) == [
        (10, 30),
        (45, 80),
        (60, 60),
    ]
    assert canvas.lanes["markers"].spans[0][0] == 100
    for expected in (10, 30, 45, 60, 80, 100):
        h.key(K.Key_Down)
        h.at(expected)
    h.key(K.Key_Down)
    assert "No annotation or marker after" in h.window.statusBar().currentMessage()
    h.key(K.Key_Up)
    h.at(80)


def test_click_jumps_scrub_lands_exactly_on_release(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    canvas = h.window.timeline.canvas
    y = 8  # the ruler
    h.qtbot.mouseClick(canvas, LEFT, pos=QPoint(int(canvas.x_of(50) + 1), y))
    h.at(50)
    h.qtbot.mousePress(canvas, LEFT, pos=QPoint(int(canvas.x_of(20) + 1), y))
    assert h.controller.mode == "scrubbing"
    h.qtbot.mouseMove(canvas, QPoint(int(canvas.x_of(70) + 1), y))
    h.qtbot.mouseMove(canvas, QPoint(int(canvas.x_of(90) + 1), y))
    assert h.controller.current == 90
    assert h.window.transport.badge.text() == "SCRUB"
    h.qtbot.mouseRelease(canvas, LEFT, pos=QPoint(int(canvas.x_of(90) + 1), y))
    h.at(90)


def test_dragging_a_bar_edge_changes_the_range_undoably(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, clip)
    h = open_window(project)
    canvas = h.window.timeline.canvas
    h.qtbot.waitUntil(lambda: len(canvas.tiers) == 2)
    canvas.zoom(4, anchor_x=canvas.x_of(30))  # a few pixels per frame: frame-accurate drags
    y = bar_y(canvas, 0)
    h.qtbot.mousePress(canvas, LEFT, pos=QPoint(round(canvas.x_of(31)), y))  # the end edge
    h.qtbot.mouseMove(canvas, QPoint(round(canvas.x_of(36) + 0.2 / canvas.fpp), y))
    h.qtbot.mouseRelease(canvas, LEFT, pos=QPoint(round(canvas.x_of(36) + 0.2 / canvas.fpp), y))
    repo = h.window.session.project.project.repo

    def ranges() -> list[tuple[int, int]]:
        return sorted((a.range.start, a.range.end) for a in repo.annotations())

    assert ranges() == [(10, 35), (45, 80), (60, 60)]  # snapped to whole frames
    edited = next(a for a in repo.annotations() if a.range.start == 10)
    assert edited.end_pts is not None
    h.key(K.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ranges() == [(10, 30), (45, 80), (60, 60)]
    h.key(K.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert ranges() == [(10, 35), (45, 80), (60, 60)]
    assert any(b.end == 35 for bars in canvas._bars.values() for b in bars)


def test_zoom_from_whole_film_to_single_frames(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    canvas = h.window.timeline.canvas
    assert canvas.visible_frames() >= 119  # whole film fits
    for _ in range(12):
        h.key(K.Key_Plus)
    assert 1 / canvas.fpp >= 20  # one frame is many pixels wide
    h.controller.show_frame(77)
    h.at(77)
    assert canvas.offset <= 77 < canvas.offset + canvas.visible_frames()  # view follows
    h.qtbot.mouseClick(canvas, LEFT, pos=QPoint(int(canvas.x_of(78) + 2), 8))
    h.at(78)
    h.key(K.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert canvas.visible_frames() >= 119


def test_pinch_zooms_around_the_fingers(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    canvas = h.window.timeline.canvas
    x = canvas.x_of(60)
    pinch = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        QPointingDevice.primaryPointingDevice(),
        2,
        QPointF(x, 8),
        QPointF(x, 8),
        QPointF(canvas.mapToGlobal(QPoint(int(x), 8))),
        1.0,  # fingers apart: twice as many pixels per frame
        QPointF(0, 0),
    )
    before = canvas.fpp
    QApplication.sendEvent(canvas, pinch)
    assert canvas.fpp == pytest.approx(before / 2)
    assert abs(canvas.x_of(60) - x) < 1 / canvas.fpp  # the frame under the fingers stays there


def test_thumbnails_in_background_cached_in_project(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, clip)
    h = open_window(project)
    canvas = h.window.timeline.canvas
    expected = sample_frames(120, 24.0)
    h.qtbot.waitUntil(lambda: len(canvas.thumbs) == len(expected), timeout=10000)
    h.qtbot.waitUntil(lambda: not h.window.taskbar.isVisible(), timeout=FRAME_WAIT_MS)
    with open_project(project) as p:
        film_id = p.repo.films()[0].id
        assert sorted(load_thumbnails(p.db, film_id, THUMB_HEIGHT)) == expected
    h.window.close()
    again = open_window(project)
    # from the cache: all there at once, no background task
    assert len(again.window.timeline.canvas.thumbs) == len(expected)
    assert again.window.tracks.thumb_task is None
