"""200 cycles of opening films, starting every kind of background work and leaving at once
(another film, closing the project, quitting): nothing crashes, hangs, outlives its window or
lands on the wrong film. Offscreen here; tests/xvfb runs the same churn with real libvlc."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from critique_app.gui.main_window import MainWindow
from critique_app.gui.settings import Settings
from critique_app.player.exact_engine import ExactEngine
from tests.stress.churn import check_stored, churn, make_project

CYCLES = 200


@pytest.mark.slow
def test_two_hundred_hurried_cycles(qtbot: Any, qapp: Any, tmp_path: Path) -> None:
    project = make_project(tmp_path)

    def new_window() -> MainWindow:
        exact = ExactEngine()
        window = MainWindow(settings=Settings(), engines=(exact, exact))
        qtbot.addWidget(window)
        window.resize(900, 640)
        window.show()
        return window

    tally = churn(qapp, new_window, project, CYCLES)
    assert tally.cycles == CYCLES
    assert min(tally.switches, tally.closes, tally.quits) > 10
    assert set(tally.started) == {"thumbnails", "matching", "anchors", "provenance"}
    assert tally.dropped_while_running > CYCLES // 2  # work really was cut short, often
    # One strip allowed to finish, then the other film opened at once: each film's stored
    # thumbnails must still show that film.
    window = new_window()
    window.open_path(project)
    qtbot.waitUntil(lambda: window.session.opening is None and window.controller.info is not None)
    # the strip finishes (or was stored whole by a cycle: old work runs until a switch now)
    qtbot.waitUntil(lambda: window.tracks.thumb_task is None, timeout=60_000)
    anchors = window.anchor_keeper.start()  # and the film's anchors allowed to finish too
    qtbot.waitUntil(lambda: anchors is None or anchors.delivered, timeout=60_000)
    other = next(
        f for f in window.session.project.project.repo.films() if f.id != window.session.film.id
    )
    window.session.show_film(other)
    qtbot.waitUntil(lambda: window.session.film.id == other.id)
    window.close()
    counts = check_stored(project)
    assert counts["thumbnails"] > 0 and counts["anchors"] > 0
    print(f"churn: {tally} stored: {counts}")
