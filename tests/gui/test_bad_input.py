"""Bad input never crashes or freezes the window: a film that stops decoding half-way plays up to
there, says where it broke, and refuses to step past; an unreadable file gets one sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from tests.conftest import FRAME_WAIT_MS

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
    h.qtbot.waitUntil(
        lambda: "holiday.mp4" in h.window.statusBar().currentMessage(), timeout=FRAME_WAIT_MS
    )
    assert "Traceback" not in h.window.statusBar().currentMessage()
    h.window.open_path(tmp_path / "missing.mov")
    assert "does not exist" in h.window.statusBar().currentMessage()


def test_damage_in_a_large_project_is_found_after_opening(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """A project too large to check at open opens at once; the check runs on a worker and the
    window says the file is damaged and what to do, without closing anything."""
    import db.project
    from critique_app.domain.model import Annotation, FrameRange
    from critique_app.services.films import add_film

    path = tmp_path / "thesis.critique"
    with db.project.open_project(path) as project:
        film = add_film(project, clip, title="Thesis film")
        tier = project.repo.add_tier("Me", author="me")
        for i in range(300):
            project.repo.add_annotation(
                Annotation.create(
                    film.id, tier.id, FrameRange(i % 100, i % 100 + 5), note="x" * 200
                )
            )
    data = bytearray(path.read_bytes())
    data[len(data) - 4096 + 8 :] = b"\xff" * (4096 - 8)  # the last page: annotation data
    path.write_bytes(bytes(data))
    monkeypatch.setattr(db.project, "QUICK_CHECK_LIMIT", 0)  # as if it were over the limit
    h = open_window(path)
    status = h.window.statusBar()
    h.qtbot.waitUntil(lambda: "thesis.critique is damaged" in status.currentMessage())
    assert "backup copy" in status.currentMessage()
    h.key(K.Key_Right)
    assert h.settle() == 1  # the window still answers


def test_an_unexpected_error_is_a_sentence_and_a_log_entry(
    open_window: Any, tmp_path: Path
) -> None:
    """PyQt aborts on an exception escaping a slot; the app's hook keeps the window running."""
    import sqlite3
    import sys

    from critique_app.gui.app import error_hook

    h = open_window(None)
    log = tmp_path / "logs" / "critique.log"
    hook = error_hook(h.window, log)
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        hook(*sys.exc_info())  # type: ignore[arg-type]
    message = h.window.statusBar().currentMessage()
    assert "ZeroDivisionError: division by zero" in message and "keeps running" in message
    assert "Traceback" in log.read_text() and "ZeroDivisionError" in log.read_text()
    try:
        raise sqlite3.DatabaseError("database disk image is malformed")
    except sqlite3.DatabaseError:
        hook(*sys.exc_info())  # type: ignore[arg-type]
    message = h.window.statusBar().currentMessage()
    assert "malformed" in message and "backup copy" in message
