"""Panels ▸ Reference library on real projects: each item in words (still or clip, the jury's
note; its file and stored matches in a tooltip; an item too plain to be found said so, in the
sentence the Matches panel says), removal asked first and
naming what goes, a cancelled question that keeps everything, and a terminal command adding
or removing items on the project the window has open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from critique_app.gui import file_dialogs
from critique_app.gui.panels.library.library_panel import COLUMNS, LibraryModel
from critique_app.services.films import add_film
from critique_app.services.fingerprinting import add_to_library, match_film, plain_items_sentence
from critique_app.services.library_list import library_entries, removal_question
from db.fingerprint_store import library_items
from db.project import open_project
from tests.fingerprint import material as m


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A festival copy (three shots), the exact frame 31 of its middle shot as a still, a
    clip of another shot, and a smooth gradient (no copy of which can be found)."""
    folder = tmp_path_factory.mktemp("library")
    film, still = m.festival_copy_and_still(folder)
    clip = m.write_clip(folder / "moving.mp4", m.shot(7, 30))
    ramp = np.linspace(0, 255, 320)[None, :, None] * np.ones((180, 1, 3))
    gradient = m.write_still(folder / "gradient.png", ramp.astype(np.uint8))
    return {"film": film, "still": still, "clip": clip, "gradient": gradient}


def _jury(tmp_path: Path, material: dict[str, Path]) -> Path:
    path = tmp_path / "jury.critique"
    with open_project(path) as project:
        add_film(project, material["film"], title="Festival copy")
        add_to_library(project, [material["still"]], note="press kit, festival 2026")
        add_to_library(project, [material["clip"], material["gradient"]])
        found = match_film(project, material["film"], workers=1)
        assert [s.item_id for s in found.segments] == [1]
    return path


def _library_panel(h: Any, rows: int) -> Any:
    library = h.window.library
    library.show()
    h.qtbot.waitUntil(lambda: library.panel is not None and library.panel.model.rowCount() == rows)
    return library.panel


def _cells(panel: Any) -> list[list[str]]:
    model = panel.model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_panel_lists_each_item_in_words(
    open_window: Any, material: dict[str, Path], tmp_path: Path, qtmodeltester: Any
) -> None:
    h = open_window(_jury(tmp_path, material))
    h.window.library.dock.hide()
    action = h.window.library.show_action  # Provenance ▸ Reference library
    assert action in h.window.matches.menu.actions()
    action.trigger()
    panel = _library_panel(h, 3)
    assert h.window.library.dock.isVisible()
    assert [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == list(COLUMNS)
    assert _cells(panel) == [
        ["generator output", "Still", "press kit, festival 2026"],
        ["moving", "Clip, 30 frames", ""],
        ["gradient", "Still", ""],
    ]
    said = plain_items_sentence(["gradient"])
    assert panel.plain.isVisible() and panel.plain.text() == said
    model = panel.model
    assert model.data(model.index(2, 1), Qt.ItemDataRole.ToolTipRole) == said
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == (
        f"{material['still']}\n1 match of the project's films with this item is stored."
    )
    assert not panel.note.isVisible()
    qtmodeltester.check(panel.model)
    qtmodeltester.check(LibraryModel())


def test_add_stills_or_clips_from_the_panel(
    open_window: Any, material: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = open_window(_jury(tmp_path, material))
    panel = _library_panel(h, 3)
    other = m.write_still(tmp_path / "chosen.png", m.shot(11, 1)[0])
    monkeypatch.setattr(file_dialogs, "ask_user", lambda *_a, **_k: [other])
    h.qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=10_000)
    assert _cells(panel)[3] == ["chosen", "Still", ""]


def test_every_file_skipped_when_adding_is_named(
    open_window: Any, material: dict[str, Path], tmp_path: Path
) -> None:
    """Two files that are not pictures beside a still: the window names both, not the first."""
    h = open_window(_jury(tmp_path, material))
    panel = _library_panel(h, 3)
    notes = tmp_path / "notes.txt"
    notes.write_text("where these come from\n")
    credits_ = tmp_path / "credits.pdf"
    credits_.write_bytes(b"%PDF-1.4\n")
    other = m.write_still(tmp_path / "kept.png", m.shot(12, 1)[0])
    added = h.window.matches.add_to_library([str(notes), str(other), str(credits_)])
    h.qtbot.waitUntil(lambda: added.delivered, timeout=20_000)  # its message shown (not only ended)
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=10_000)
    said = h.window.statusBar().currentMessage()
    assert said.startswith("1 added to the reference library.")
    assert "notes.txt is not an image or a video; it was skipped." in said
    assert "credits.pdf is not an image or a video; it was skipped." in said


def test_removing_an_item_asks_naming_its_note_and_matches_then_removes(
    open_window: Any, material: dict[str, Path], tmp_path: Path
) -> None:
    path = _jury(tmp_path, material)
    h = open_window(path)
    panel = _library_panel(h, 3)
    lane = h.window.timeline.canvas.lanes["matches"]
    h.qtbot.waitUntil(lambda: len(lane.spans) == 1)  # the still's shot, on the film on screen
    asked: list[str] = []
    h.window.library.confirm = lambda text, _button: asked.append(text) or True
    with open_project(path) as project:
        first = library_entries(project)[0]
    panel.select(first.id)
    h.qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert asked == [removal_question(first)]
    assert asked[0] == (
        "Take “generator output” out of the reference library? Films are no longer matched "
        "against it; its file stays where it is, and adding it again brings it back. Its note "
        "goes with it: “press kit, festival 2026”. The 1 match stored with it goes too (Find "
        "matches finds it again if the item is added again)."
    )
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert h.window.statusBar().currentMessage() == (
        "Took #1 “generator output” out of the reference library. Its note was: “press kit, "
        "festival 2026”. 1 stored match went with it. Adding "
        f"{material['still']} again brings it back."
    )
    h.qtbot.waitUntil(lambda: lane.spans == [])  # its match went with it: one story
    with open_project(path) as project:
        assert [i.label for i in library_items(project.db)] == ["moving", "gradient"]
        assert project.db.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 0
    assert material["still"].is_file()


def test_a_cancelled_question_keeps_the_item(
    open_window: Any, material: dict[str, Path], tmp_path: Path
) -> None:
    path = _jury(tmp_path, material)
    h = open_window(path)
    panel = _library_panel(h, 3)
    h.window.library.confirm = lambda _text, _button: False
    menu = panel.context_menu_for(1)  # the right-click menu of the clip's row
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Remove from the library…",
        "Reveal in folder",
        "Add stills or clips…",
    ]
    menu.actions()[0].trigger()
    h.qtbot.wait(50)
    assert panel.model.rowCount() == 3
    with open_project(path) as project:
        assert len(library_items(project.db)) == 3


def test_items_added_and_removed_in_a_terminal_show_in_the_panel(
    open_window: Any, material: dict[str, Path], tmp_path: Path
) -> None:
    """`critique-app library add` and `library remove` in a terminal, on the project the
    window has open: the panel follows without a reload."""
    path = _jury(tmp_path, material)
    h = open_window(path)
    panel = _library_panel(h, 3)
    other = m.write_still(tmp_path / "from the terminal.png", m.shot(9, 1)[0])

    def cli(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "critique_app", "library", *args],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr

    cli("add", str(path), str(other))
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=10_000)
    assert _cells(panel)[3][:2] == ["from the terminal", "Still"]
    cli("remove", str(path), "moving")
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=10_000)
    assert [row[0] for row in _cells(panel)] == [
        "generator output",
        "gradient",
        "from the terminal",
    ]


def test_without_a_project_the_panel_says_how_to_get_one(open_window: Any) -> None:
    h = open_window(None)
    h.window.library.show()
    panel = h.window.library.ensure_panel()
    assert panel.note.text().startswith("Open or make a project")
    assert not panel.add_button.isEnabled() and not panel.remove_button.isEnabled()
