"""Driving the player keys on generated coded clips: after every gesture the app shows, and
paints, exactly the frame it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from tests.conftest import FRAME_WAIT_MS

NO = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
K = Qt.Key


def test_opening_shows_the_first_frame_exactly(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    h.at(0)
    assert h.window.transport.timecode.text() == "00:00:00:00"
    assert "frame 0" in h.window.transport.detail.text()


def test_arrows_shift_arrows_home_end(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    h.key(K.Key_Right)
    h.at(1)
    for _ in range(4):
        h.key(K.Key_Right)
    h.at(5)
    h.key(K.Key_Left)
    h.at(4)
    h.key(K.Key_Right, SHIFT)  # one second at 24 fps
    h.at(28)
    h.key(K.Key_Left, SHIFT)
    h.key(K.Key_Left, SHIFT)
    h.at(0)  # clamped at the first frame, with a message
    assert "first frame" in h.window.statusBar().currentMessage()
    h.key(K.Key_End)
    h.at(119)
    h.key(K.Key_Right)
    h.at(119)
    h.key(K.Key_Left)
    h.key(K.Key_Left)
    h.key(K.Key_Left)
    h.at(116)  # backward steps come from the cached group of pictures, still exact
    h.key(K.Key_Home)
    h.at(0)


def test_jkl_shuttle_at_several_speeds_then_k(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    fake = h.fake
    h.key(K.Key_L)
    assert h.controller.playing and fake.rate == 1.0
    assert h.window.transport.badge.text() == "PLAYING"
    h.advance(10)
    h.key(K.Key_K)
    h.at(10)
    h.key(K.Key_L)
    h.key(K.Key_L)  # 2x
    assert fake.rate == 2.0
    h.advance(5)
    h.key(K.Key_K)
    h.at(20)
    h.key(K.Key_L)
    h.key(K.Key_L)
    h.key(K.Key_L)  # 4x
    assert fake.rate == 4.0
    h.advance(5)
    h.key(K.Key_L)  # 8x
    assert fake.rate == 8.0
    h.advance(3)
    h.key(K.Key_K)
    h.at(20 + 20 + 24)
    h.key(K.Key_J)  # backwards
    assert fake.rate == -1.0
    h.advance(4)
    h.key(K.Key_J)
    assert fake.rate == -2.0
    h.advance(5)
    h.key(K.Key_J)
    assert fake.rate == -4.0
    h.advance(2)
    h.key(K.Key_K)
    h.at(64 - 4 - 10 - 8)
    h.key(K.Key_L)  # forwards again from there at 1x
    assert fake.rate == 1.0
    h.advance(1)
    h.key(K.Key_Space)
    h.at(43)


def test_holding_k_with_l_or_j_steps_one_frame(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    h.controller.show_frame(30)
    h.at(30)
    h.qtbot.keyPress(h.window.video, K.Key_K)
    h.qtbot.keyClick(h.window.video, K.Key_L)
    h.at(31)
    h.qtbot.keyClick(h.window.video, K.Key_L)
    h.at(32)
    h.qtbot.keyClick(h.window.video, K.Key_J)
    h.qtbot.keyClick(h.window.video, K.Key_J)
    h.qtbot.keyClick(h.window.video, K.Key_J)
    h.at(29)
    assert not h.controller.playing
    h.qtbot.keyRelease(h.window.video, K.Key_K)
    h.key(K.Key_L)  # K released: L plays again
    assert h.controller.playing
    h.key(K.Key_K)
    h.at(29)


def test_space_plays_and_pauses_at_the_chosen_speed(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    h.key(K.Key_Period, Qt.KeyboardModifier.ControlModifier)  # faster: 1.5x
    h.key(K.Key_Period, Qt.KeyboardModifier.ControlModifier)  # 2x
    assert h.controller.play_rate == 2.0
    assert h.window.transport.speed.currentText() == "2×"
    h.key(K.Key_Space)
    h.advance(6)
    h.key(K.Key_Space)
    h.at(12)
    h.key(K.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert h.controller.play_rate == 1.5


def test_in_out_marks_go_to_them_clear_and_loop(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    h.controller.show_frame(12)
    h.key(K.Key_I)
    h.controller.show_frame(40)
    h.key(K.Key_O)
    assert (h.controller.in_mark, h.controller.out_mark) == (12, 40)
    assert "IN 00:00:00:12" in h.window.transport.marks.text()
    assert (h.window.timeline.canvas.in_mark, h.window.timeline.canvas.out_mark) == (12, 40)
    h.key(K.Key_I, SHIFT)
    h.at(12)
    h.key(K.Key_O, SHIFT)
    h.at(40)
    # loop in -> out: playing past the out point jumps back to the in point
    h.key(K.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert h.controller.marks.loop
    h.key(K.Key_Space)  # at the out point: playing starts from there and wraps
    h.advance(1)
    h.qtbot.waitUntil(lambda: h.fake.position_frame == 12)
    h.advance(3)
    h.key(K.Key_Space)
    h.at(15)
    h.key(K.Key_X, Qt.KeyboardModifier.AltModifier)
    assert (h.controller.in_mark, h.controller.out_mark) == (None, None)
    h.key(K.Key_I, SHIFT)
    assert "No in point" in h.window.statusBar().currentMessage()
    h.at(15)


def test_go_to_field_accepts_smpte_frames_and_seconds(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    goto = h.window.transport.goto
    for text, expected in (("00:00:01:00", 24), ("100", 100), ("57f", 57), ("2.5s", 60)):
        h.key(K.Key_G, Qt.KeyboardModifier.ControlModifier)
        assert goto.hasFocus()
        h.qtbot.keyClicks(goto, text)
        h.qtbot.keyClick(goto, K.Key_Return)
        h.at(expected)
    h.key(K.Key_G, Qt.KeyboardModifier.ControlModifier)
    h.qtbot.keyClicks(goto, "soon")
    h.qtbot.keyClick(goto, K.Key_Return)
    assert "is not a position" in h.window.statusBar().currentMessage()
    h.at(60)


def test_timecode_display_switches_and_keeps_source_start(
    open_window: Any, clip_2997: Path
) -> None:
    h = open_window(clip_2997)
    h.controller.show_frame(30)
    h.at(30)
    tc = h.window.transport.timecode
    assert tc.text() == "01:00:01;00"  # drop-frame separator, source start timecode added
    h.key(K.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert tc.text() == "30"
    h.key(K.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert tc.text() == "1.001 s"
    h.key(K.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert tc.text() == "01:00:01;00"
    h.window.transport.goto.setFocus()
    h.qtbot.keyClicks(h.window.transport.goto, "01:00:02;00")
    h.qtbot.keyClick(h.window.transport.goto, K.Key_Return)
    h.at(60)


def test_mute_volume_fullscreen(open_window: Any, clip: Path) -> None:
    h = open_window(clip)
    h.key(K.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert h.fake.muted
    h.key(K.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not h.fake.muted
    volume = h.fake.volume
    h.key(K.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert h.fake.volume == volume - 10
    assert h.window.transport.volume.value() == volume - 10
    h.key(K.Key_F)
    assert h.window.isFullScreen() and not h.window.timeline.isVisible()
    h.key(K.Key_Escape)
    assert not h.window.isFullScreen() and h.window.timeline.isVisible()


def test_reverse_play_with_exact_frames_then_k(open_window: Any, clip: Path) -> None:
    """J with the real exact-frame engine: plays backwards on exact frames; K lands exactly."""
    h = open_window(clip, engine="exact")
    h.controller.show_frame(100)
    h.at(100)
    h.key(K.Key_J)
    h.qtbot.waitUntil(lambda: h.controller.current <= 90, timeout=FRAME_WAIT_MS)
    h.key(K.Key_K)
    index = h.settle()
    assert index < 100
    h.at(index)
    h.key(K.Key_L)  # forwards on the same engine (no libvlc in this window)
    h.qtbot.waitUntil(lambda: h.controller.current >= index + 5, timeout=FRAME_WAIT_MS)
    h.key(K.Key_K)
    h.at(h.settle())


def test_every_key_of_the_window_comes_from_the_one_action_table(open_window: Any) -> None:
    """gui/actions.py is the only table of keys (the README's is printed from it): no panel
    defines a shortcut of its own, and every one in the table is live in the window."""
    from PyQt6.QtGui import QAction, QKeySequence

    from critique_app.gui.actions import SPECS

    window = open_window(None).window
    live = {
        a.objectName(): tuple(k.toString() for k in a.shortcuts())
        for a in window.findChildren(QAction)
        if a.shortcuts()
    }
    table = {
        s.name: tuple(QKeySequence(k).toString() for k in s.shortcuts) for s in SPECS if s.shortcuts
    }
    assert live == table
    assert set(window.actions()) >= {window.action_table[s.name] for s in SPECS}
