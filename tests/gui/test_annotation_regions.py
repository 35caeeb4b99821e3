"""Regions drawn with the mouse on the paused exact frame: normalised to the displayed picture
(letterbox excluded), landing on the same picture area of another copy of the film, keyframed
by editing, refused while the picture is not the exact frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import QPoint, QPointF, QRectF, Qt

from db.project import open_project
from tests.gui.annotation_projects import make_project
from tests.media_factory import make_coded_clip

K = Qt.Key
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def film_1080(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short 1920x1080 coded clip (the festival master)."""
    folder = tmp_path_factory.mktemp("hd")
    return make_coded_clip(folder / "master_1080p.mp4", frames=12, size=(1920, 1080), gop=6)


@pytest.fixture(scope="module")
def film_720(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same film as a 1280x720 copy (a screener)."""
    folder = tmp_path_factory.mktemp("sd")
    return make_coded_clip(folder / "screener_720p.mp4", frames=12, size=(1280, 720), gop=6)


def at_fraction(rect: QRectF, fx: float, fy: float) -> QPoint:
    return QPoint(round(rect.x() + fx * rect.width()), round(rect.y() + fy * rect.height()))


def drag(h: Any, widget: Any, start: QPoint, end: QPoint, steps: int = 6) -> None:
    h.qtbot.mousePress(widget, LEFT, pos=start)
    for i in range(1, steps + 1):
        h.qtbot.mouseMove(widget, start + (end - start) * (i / steps))
    h.qtbot.mouseRelease(widget, LEFT, pos=end)


def only_region(path: Path) -> Any:
    with open_project(path) as project:
        drawn = [a for a in project.repo.annotations() if a.regions]
        assert len(drawn) == 1
        return drawn[0]


def test_rectangle_on_1080p_lands_on_the_same_picture_area_of_a_720p_copy(
    open_window: Any, film_1080: Path, film_720: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, film_1080)
    h = open_window(project)
    overlay = h.window.annotations.overlay
    h.controller.show_frame(5)
    h.at(5)
    picture = overlay.picture_rect()
    # the code that names each frame is in the top half: regions go below it
    # the 16:9 picture is letterboxed or pillarboxed in the widget: the bars do not count
    assert picture.width() < overlay.width() or picture.height() < overlay.height()
    assert h.window.video.picture._image.width() == 1920
    h.key(K.Key_R)
    assert overlay.tool == "rectangle"
    start, end = at_fraction(picture, 0.25, 0.55), at_fraction(picture, 0.70, 0.92)
    drag(h, overlay, start, end)
    a = only_region(project)
    region = a.regions[0]
    assert region.shape == "rectangle"
    assert region.keyframes[0].frame == 5 and a.range.start == a.range.end == 5
    (x0, y0), (x1, y1) = region.keyframes[0].points
    one_pixel = 1.0 / picture.width()
    expected = [
        ((start.x() - picture.x()) / picture.width(), (start.y() - picture.y()) / picture.height()),
        ((end.x() - picture.x()) / picture.width(), (end.y() - picture.y()) / picture.height()),
    ]
    assert (x0, y0) == pytest.approx(expected[0], abs=one_pixel)
    assert (x1, y1) == pytest.approx(expected[1], abs=one_pixel)
    assert (x0, y0, x1, y1) == pytest.approx((0.25, 0.55, 0.70, 0.92), abs=2 * one_pixel)
    h.window.close()

    # The student opens the project on the screener: relink the film to the 720p copy.
    with open_project(project) as p:
        film = p.repo.films()[0]
        p.repo.set_film_path(film.id, str(film_720))
    again = open_window(project)
    again.window.resize(1000, 760)  # another window: other letterbox bars, other scale
    again.controller.show_frame(5)
    again.at(5)
    assert again.window.video.picture._image.width() == 1280
    overlay = again.window.annotations.overlay
    again.qtbot.waitUntil(lambda: overlay.pixel_rect(a.id) is not None)
    picture = overlay.picture_rect()
    expected_rect = QRectF(
        QPointF(picture.x() + x0 * picture.width(), picture.y() + y0 * picture.height()),
        QPointF(picture.x() + x1 * picture.width(), picture.y() + y1 * picture.height()),
    )
    shown = overlay.pixel_rect(a.id)
    for got, want in zip(
        (shown.left(), shown.top(), shown.right(), shown.bottom()),
        (expected_rect.left(), expected_rect.top(), expected_rect.right(), expected_rect.bottom()),
        strict=True,
    ):
        assert got == pytest.approx(want, abs=0.5)
    # and that area is the same part of the picture: a quarter in from the left, etc.
    assert (shown.left() - picture.left()) / picture.width() == pytest.approx(0.25, abs=0.005)
    assert (shown.bottom() - picture.top()) / picture.height() == pytest.approx(0.92, abs=0.005)


def test_region_keyframed_by_editing_and_interpolated(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, clip)
    h = open_window(project)
    overlay = h.window.annotations.overlay
    h.controller.show_frame(100)
    h.at(100)
    h.key(K.Key_I)
    h.controller.show_frame(112)
    h.at(112)
    h.key(K.Key_O)
    h.controller.show_frame(104)
    h.at(104)
    h.key(K.Key_E)  # ellipse, inside the in/out marks: the annotation spans them
    pic = overlay.picture_rect()
    drag(h, overlay, at_fraction(pic, 0.2, 0.6), at_fraction(pic, 0.4, 0.9))
    a = only_region(project)
    assert (a.range.start, a.range.end) == (100, 112)
    assert a.regions[0].shape == "ellipse"
    # at another frame, move the region: a keyframe there, interpolation in between
    h.controller.show_frame(110)
    h.at(110)
    h.key(K.Key_V)
    overlay = h.window.annotations.overlay
    h.qtbot.waitUntil(lambda: overlay.pixel_rect(a.id) is not None)
    centre = overlay.pixel_rect(a.id).center().toPoint()
    drag(h, overlay, centre, centre + QPoint(round(0.2 * pic.width()), 0))
    moved = only_region(project).regions[0]
    assert [k.frame for k in moved.keyframes] == [104, 110]
    (x0, _y0), (x1, _y1) = moved.keyframes[1].points
    assert x0 == pytest.approx(0.4, abs=0.01) and x1 == pytest.approx(0.6, abs=0.01)
    h.controller.show_frame(107)  # half-way between the keyframes
    h.at(107)

    def left_fraction() -> float:
        shown, now = overlay.pixel_rect(a.id), overlay.picture_rect()
        return -1.0 if shown is None else (shown.left() - now.left()) / now.width()

    # the overlay follows the picture shown, which a busy machine delivers a little later,
    # and the picture's place in the window may have moved (a status line, a dock)
    h.qtbot.waitUntil(lambda: abs(left_fraction() - 0.3) < 0.01)
    assert left_fraction() == pytest.approx(0.3, abs=0.01)
    h.controller.show_frame(90)  # outside the annotation: nothing drawn
    h.at(90)
    assert overlay.pixel_rect(a.id) is None
    h.key(K.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the keyframe goes away
    assert [k.frame for k in only_region(project).regions[0].keyframes] == [104]


def test_polygon_and_freehand_and_refused_while_not_exact(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, clip)
    h = open_window(project)
    overlay = h.window.annotations.overlay
    bench = h.window.annotations
    h.controller.show_frame(20)  # inside the 'morphing' annotation (10-30): select it first
    h.at(20)
    morph = next(a for a in bench.bound.annotations() if a.range.start == 10)
    bench.select(morph.id)
    h.key(K.Key_P)
    pic = overlay.picture_rect()
    for fx, fy in ((0.1, 0.6), (0.3, 0.6), (0.2, 0.9)):
        h.qtbot.mouseClick(overlay, LEFT, pos=at_fraction(pic, fx, fy))
    h.qtbot.mouseDClick(overlay, LEFT, pos=at_fraction(pic, 0.05, 0.8))
    h.key(K.Key_D)
    drag(h, overlay, at_fraction(pic, 0.6, 0.6), at_fraction(pic, 0.9, 0.8), steps=20)
    with open_project(project) as p:
        regions = p.repo.get_annotation(morph.id).regions
    assert [r.shape for r in regions] == ["polygon", "freehand"]
    assert len(regions[0].keyframes[0].points) == 4
    assert len(regions[1].keyframes[0].points) >= 10
    # while the picture is approximate (playing) nothing is drawn, and the user is told why
    h.key(K.Key_R)
    h.key(K.Key_L)
    assert h.controller.playing
    drag(h, overlay, at_fraction(pic, 0.5, 0.6), at_fraction(pic, 0.7, 0.8))
    assert "Pause first" in h.window.statusBar().currentMessage()
    h.key(K.Key_K)
    with open_project(project) as p:
        assert len(p.repo.get_annotation(morph.id).regions) == 2
