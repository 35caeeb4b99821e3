"""Bad input never crashes or freezes the window: a film that stops decoding half-way plays up to
there, says where it broke, and refuses to step past; an unreadable file gets one sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

K = Qt.Key


def test_broken_film_plays_up_to_the_break_and_refuses_to_step_past(
    open_window: Any, broken_clip: Path
) -> None:
    h = open_window(broken_clip, engine="exact")
    h.key(K.Key_L)  # real exact-frame playback runs into the break
    h.qtbot.waitUntil(lambda: not h.controller.playing, timeout=15000)
    last = h.settle()
    message = h.window.statusBar().currentMessage()
    assert "stops decoding at frame" in message, message
    assert h.controller.limit is not None and last == h.controller.limit - 1
    assert 0 < last < 95
    h.at(last)  # the last good frame is on screen, exactly
    h.key(K.Key_Right)
    assert "refused" in h.window.statusBar().currentMessage()
    h.at(last)
    h.key(K.Key_End)
    h.at(last)
    h.key(K.Key_Left)
    h.at(last - 1)  # the window still answers


def test_end_key_on_a_broken_film_finds_the_break(open_window: Any, broken_clip: Path) -> None:
    h = open_window(broken_clip)
    h.key(K.Key_End)  # asks for frame 95, which cannot be decoded
    h.qtbot.waitUntil(lambda: h.controller.limit is not None, timeout=10000)
    last = h.settle()
    assert last == h.controller.limit - 1
    h.at(last)
    assert "stops decoding" in h.window.statusBar().currentMessage()


def test_unreadable_file_is_one_sentence(open_window: Any, tmp_path: Path) -> None:
    junk = tmp_path / "holiday.mp4"
    junk.write_bytes(b"\x00\x01not a film" * 100)
    h = open_window(None)
    h.window.open_path(junk)
    h.qtbot.waitUntil(lambda: "holiday.mp4" in h.window.statusBar().currentMessage(), timeout=5000)
    assert "Traceback" not in h.window.statusBar().currentMessage()
    h.window.open_path(tmp_path / "missing.mov")
    assert "does not exist" in h.window.statusBar().currentMessage()
