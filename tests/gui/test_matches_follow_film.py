"""The Matches panel always lists the matches of the film on screen: a film switch empties it
at once (shown or hidden) and reads the new film's; a bare film or a closed project leaves it
saying why it is empty. Real project, stored matches as `match` writes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from critique_app.services.films import add_film
from db.fingerprint_store import add_library_item, replace_matches
from db.project import open_project


def project_with_a_match(folder: Path, clip: Path, other: Path) -> Path:
    """Film A has one stored match, film B none."""
    path = folder / "jury.critique"
    with open_project(path) as project:
        a = add_film(project, clip, title="Festival A")
        add_film(project, other, title="Festival B")
        item = add_library_item(
            project.db,
            label="generator output",
            source_note="",
            path=str(folder / "generator output.png"),
            sha256="0" * 64,
            kind="still",
            hashes=np.zeros(1, np.uint64),
        )
        row = {
            "library_item_id": item.id,
            "start_frame": 20,
            "end_frame": 43,
            "item_start": 0,
            "item_end": 0,
            "median_distance": 3.0,
            "worst_distance": 6,
            "threshold": 10,
            "variant": "plain",
        }
        replace_matches(project.db, a.id or 0, [row])
    return path


def test_the_panel_follows_the_film_on_screen(
    open_window: Any, clip: Path, clip_2997: Path, tmp_path: Path
) -> None:
    h = open_window(project_with_a_match(tmp_path, clip, clip_2997))
    window, matches = h.window, h.window.matches
    film_a, film_b = window.session.project.films()
    assert window.session.film.id == film_a.id
    matches.actions["show_matches"].trigger()
    h.qtbot.waitUntil(lambda: matches.panel is not None and matches.panel.table.rowCount() == 1)
    panel = matches.panel
    assert "Festival A" in panel.summary.text()

    # hidden panel, film switch: A's list goes at once, and the panel names the film it waits for
    matches.dock.hide()
    window.session.show_film(film_b)
    h.opened()
    assert window.session.film.id == film_b.id
    assert panel.table.rowCount() == 0 and matches.matches == []
    assert "Festival B" in panel.summary.text() and "Festival A" not in panel.summary.text()
    matches.actions["show_matches"].trigger()
    h.qtbot.waitUntil(lambda: "No passage of Festival B" in panel.summary.text())
    assert panel.table.rowCount() == 0

    # shown panel: back to A, its match is listed again. What the panel lists the moment A's
    # picture arrives (read after the panel's own reaction): never B's list, nor the old A one;
    # A's is read after that (on a fast machine before `opened()` returns, hence the record).
    at_switch: list[int] = []
    window.controller.film_opened.connect(lambda _info: at_switch.append(panel.table.rowCount()))
    window.session.show_film(film_a)
    h.opened()
    assert at_switch == [0]
    h.qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert "Festival A" in panel.summary.text()
    assert panel.table.item(0, 0).text() == "generator output"

    # a film alone, outside any project: the panel says why it lists nothing
    window.open_path(clip_2997)
    h.opened()
    h.qtbot.waitUntil(lambda: window.session.project is None)
    assert panel.table.rowCount() == 0
    assert "project" in panel.summary.text()
