"""View ▸ Compare with…, offscreen: a festival copy with a longer head, conformed to 25 fps,
letterboxed, mirrored and missing a passage is matched on the window's task runner; then every
step of the film on screen moves the copy's pane to the frame showing the same picture (frame
codes read off both panes as painted), the missing passage shows its sentence, Alt+→ nudges
the lock, and the wipe handle follows the mouse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PyQt6.QtCore import QPoint, Qt

from tests.conftest import FRAME_WAIT_MS
from tests.fingerprint import material as m
from tests.media_factory import draw_frame_code, read_frame_code

HEAD = 36  # frames of new material before the film in the copy
REMOVED = (90, 109)  # cut from the copy


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("compare-view")
    a = m.footage([11, 12, 13, 14, 15], [40, 30, 35, 45, 30])
    for i, picture in enumerate(a):
        draw_frame_code(picture[:72, :144], i)  # the code fills the top half of this box
    b = m.footage([21], [HEAD]) + a[: REMOVED[0]] + a[REMOVED[1] + 1 :]
    festival = [m.mirror(m.letterbox(m.rescale(f, (480, 270)), bar=45)) for f in b]
    return {
        "screener": m.write_clip(folder / "screener.mp4", a),
        "festival": m.write_clip(folder / "festival.mp4", festival, rate=25, bitrate=500_000),
    }


def code(pixels: np.ndarray) -> int:
    """The frame code of a pane's picture (A's 320x180 geometry: the code's box at top left)."""
    picture = np.asarray(Image.fromarray(pixels).resize((320, 180), Image.Resampling.BILINEAR))
    return read_frame_code(picture[:72, :144])


def matched(h: Any, films: dict[str, Path]) -> Any:
    h.window.resize(1400, 760)
    dock = h.window.compare
    task = dock.compare_with(films["festival"])
    assert task is not None and h.window.taskbar.isVisible()  # progress and Cancel meanwhile
    h.qtbot.waitUntil(lambda: dock.comparison is not None, timeout=60_000)
    return dock


def shown_b(h: Any, dock: Any) -> None:
    """Wait until the copy's pane has painted the frame locked to the current one."""
    view = dock.panel.view
    h.qtbot.waitUntil(
        lambda: (
            dock.wanted_b is not None
            and view.b.index == dock.wanted_b
            and view.painted_b == dock.wanted_b
            and view.a.index == h.controller.current
        ),
        timeout=FRAME_WAIT_MS,
    )
    view.repaint()


def test_locked_steps_show_corresponding_frames(open_window: Any, films: dict[str, Path]) -> None:
    h = open_window(films["screener"])
    dock = matched(h, films)
    c = dock.comparison
    assert (c.mapping.offset, c.mapping.variant) == (HEAD, "mirror")
    view = dock.panel.view
    assert view.b.crop is not None and view.b.mirror  # bars cropped, mirroring undone
    h.controller.show_frame(55)
    h.settle()
    shown_b(h, dock)
    for _ in range(20):  # across the cut at frame 70
        h.qtbot.keyClick(view, Qt.Key.Key_Right)  # the panel stands in for the picture
        frame = h.settle()
        shown_b(h, dock)
        assert dock.wanted_b == frame + HEAD
        assert code(view.pane_pixels("a")) == frame
        assert code(view.pane_pixels("b")) == frame  # the copy's picture of the same frame
    # Playing (an engine drawing the film itself, as VLC does): both panes keep up.
    h.qtbot.keyClick(view, Qt.Key.Key_L)
    assert h.controller.playing
    for _ in range(3):
        h.advance(4)
        playing_at = h.controller.current
        h.qtbot.waitUntil(
            lambda: view.a.index == h.controller.current and view.b.index == dock.wanted_b,
            timeout=FRAME_WAIT_MS,
        )
        view.repaint()
        assert code(view.pane_pixels("a")) == code(view.pane_pixels("b")) == playing_at
    assert dock.fetcher_a is not None  # pane A's frames decoded for it while the engine draws
    h.qtbot.keyClick(view, Qt.Key.Key_K)
    h.settle()
    # Go to a frame the copy lacks: a sentence, not a wrong picture.
    h.controller.show_frame(100)
    h.settle()
    assert dock.wanted_b is None and view.b.image is None
    assert "lacks this passage: frames 90–109" in view.b.message
    spans = h.window.timeline.canvas.lanes["compare"].spans
    assert any(s <= 100 <= e and "missing" in label for s, e, _c, label in spans)
    # After the cut the lock takes the copy's later offset; Alt+→ nudges it one frame on.
    h.controller.show_frame(120)
    h.settle()
    shown_b(h, dock)
    assert dock.wanted_b == 120 + HEAD - (REMOVED[1] - REMOVED[0] + 1)
    assert code(view.pane_pixels("b")) == 120
    h.qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    shown_b(h, dock)
    assert dock.offset == 1 and code(view.pane_pixels("b")) == 121
    # Closing drops the compared film's work and its lane.
    assert not h.window.video.isVisible() and dock.panel.isVisible()  # in the picture's place
    dock.close_view()
    assert not dock.active and "compare" not in h.window.timeline.canvas.lanes
    assert h.window.video.isVisible() and not dock.panel.isVisible()


def test_wipe_handle_follows_the_mouse(open_window: Any, films: dict[str, Path]) -> None:
    h = open_window(films["screener"])
    dock = matched(h, films)
    dock.panel.set_mode("wipe")
    view = dock.panel.view
    shown_b(h, dock)
    start = view.handle_position().toPoint()
    rect = view.pane_rect("a")
    h.qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    to = QPoint(int(rect.x() + rect.width() * 0.8), start.y())
    h.qtbot.mouseMove(view, to)
    h.qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=to)
    assert view.wipe == pytest.approx(0.8, abs=0.02)
    assert abs(view.handle_position().x() - to.x()) <= 1
    # Left of the line A's picture, right of it the copy's: the same picture once normalised.
    pixels = view.pane_pixels("a")
    assert code(pixels) == h.controller.current
    view.set_wipe_vertical(True)
    h.qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=view.handle_position().toPoint())
    below = QPoint(int(rect.center().x()), int(rect.y() + rect.height() * 0.25))
    h.qtbot.mouseMove(view, below)
    h.qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=below)
    assert view.wipe == pytest.approx(0.25, abs=0.02)
    # The difference of corresponding pictures is dark; the blend shows both.
    dock.panel.set_mode("difference")
    difference = view.difference_image()
    assert difference is not None
    assert np.asarray(view.pane_pixels("a"), np.float32).mean() < 40


def test_project_copies_regions_and_an_unrelated_film(
    open_window: Any,
    films: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PyQt6.QtWidgets import QInputDialog

    from critique_app.domain.model import Annotation, FrameRange, Region
    from critique_app.gui import file_dialogs
    from critique_app.services.films import add_film
    from db.project import open_project
    from tests.media_factory import make_coded_clip

    other = make_coded_clip(tmp_path / "holiday.mp4", frames=90, rate=30)
    path = tmp_path / "jury.critique"
    box = [(0.55, 0.5), (0.8, 0.9)]  # on the screener's picture
    # The same place on the festival copy: scaled into 480x270, bars of 45 above, mirrored.
    on_copy = [(1 - x, (45 + y * 270) / 360) for x, y in box]
    with open_project(path) as project:
        tier = project.repo.add_tier("Jury", author="ines")
        for name, points in (("screener", box), ("festival", on_copy)):
            film = add_film(project, films[name])
            project.repo.add_annotation(
                Annotation.create(
                    film.id or 0,
                    tier.id or 0,
                    FrameRange(40, 130),
                    note=name,
                    regions=(Region.still("rectangle", points, 40),),
                )
            )
    h = open_window(path)
    h.window.resize(1400, 760)
    asked: list[list[str]] = []

    def pick(_parent: Any, _title: str, _label: str, items: list[str], *_a: Any) -> Any:
        asked.append(items)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    dock = h.window.compare
    assert dock.action in h.window.action_table.in_menu("View")
    dock.action.trigger()  # View ▸ Compare with…: the project's other copy, or a file
    assert asked == [["festival (festival.mp4)", "A film file…"]]
    h.qtbot.waitUntil(lambda: dock.comparison is not None, timeout=60_000)
    h.controller.show_frame(60)
    h.settle()
    shown_b(h, dock)
    view = dock.panel.view
    assert [r.color for r in view.a.regions] and len(view.b.regions) == 1
    # Both regions land on the same place of their normalised pictures.
    rect_a, rect_b = view.pane_rect("a"), view.pane_rect("b")
    for pa, pb in zip(view.a.regions[0].points, view.b.regions[0].points, strict=True):
        qa = view._to_pane(view.a, rect_a, pa) - rect_a.topLeft()
        qb = view._to_pane(view.b, rect_b, pb) - rect_b.topLeft()
        assert abs(qa.x() - qb.x()) < 3 and abs(qa.y() - qb.y()) < 3
    # A film that is not a copy: locked by time (its rate differs), nudged by Alt+←.
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a: ("A film file…", True)))
    monkeypatch.setattr(file_dialogs, "ask_user", lambda *a, **k: [Path(other)])
    dock.action.trigger()
    h.qtbot.waitUntil(lambda: dock.unrelated is not None, timeout=60_000)
    assert "is not a copy" in dock.unrelated and dock.panel.lock.currentData() == "timecode"
    h.controller.show_frame(40)
    h.settle()
    shown_b(h, dock)
    assert dock.wanted_b == 50 and read_frame_code(view.pane_pixels("b")) == 50  # 40/24 s at 30
    h.qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    shown_b(h, dock)
    assert read_frame_code(view.pane_pixels("b")) == 49
    dock.panel.lock.setCurrentIndex(0)  # by frame number
    shown_b(h, dock)
    assert read_frame_code(view.pane_pixels("b")) == 39
    # Another film on screen: the compared film's work stops, the picture comes back.
    session = h.window.session
    festival = next(f for f in session.project.project.repo.films() if f.title == "festival")
    session.show_film(festival)
    h.qtbot.waitUntil(lambda: not dock.active, timeout=FRAME_WAIT_MS)
    assert h.window.video.isVisible() and "Compare closed" in h.window.statusBar().currentMessage()

    def fetchers() -> int:
        return sum(t.running and t.label == "Exact frames" for t in h.window.tasks.tasks())

    h.qtbot.waitUntil(lambda: fetchers() == 1, timeout=FRAME_WAIT_MS)  # the window's own only
