"""Panels ▸ Films on real projects with generated clips: the rows, the credentials badge in
words, add, open by double-click, remove (asking first, a copy kept when annotations go),
relink, reveal in folder, the right-click menu, and a refresh when another program adds."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt, QUrl

from critique_app.gui import file_dialogs
from critique_app.gui.panels.films.films_panel import COLUMNS, FilmsModel
from critique_app.gui.panels.provenance.provenance_panel import BADGES
from critique_app.services.films import add_film
from critique_app.services.verify import verify_file
from db.project import open_project
from db.provenance_store import save_report
from tests.gui.annotation_projects import make_project


def _films_panel(h: Any, rows: int) -> Any:
    films = h.window.films
    films.show()
    h.qtbot.waitUntil(lambda: films.panel is not None and films.panel.model.rowCount() == rows)
    return films.panel


def _cells(panel: Any) -> list[list[str]]:
    model = panel.model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


@pytest.fixture
def two_films(tmp_path: Path, clip: Path, clip_2997: Path) -> Path:
    """The study project (4 annotations on 'Coded clip') with a second film, NTSC, unannotated."""
    path = make_project(tmp_path, clip)
    with open_project(path) as project:
        add_film(project, clip_2997, title="NTSC")
    return path


def test_the_panel_lists_each_film_in_words(
    open_window: Any, two_films: Path, clip: Path, qtmodeltester: Any
) -> None:
    with open_project(two_films) as project:
        coded = project.repo.films()[0]
        save_report(project.db, verify_file(clip).to_json(), film_id=coded.id)
    h = open_window(two_films)
    panel = _films_panel(h, 2)
    assert [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == list(COLUMNS)
    assert _cells(panel) == [
        ["Coded clip", "00:00:05:00", "24 fps", BADGES["no_manifest"][0], "Not fingerprinted"],
        ["NTSC", "00:00:03;00", "29.97 fps", "Not checked yet", "Not fingerprinted"],
    ]
    assert panel.selected_id() == coded.id  # the film on screen
    assert not panel.note.isVisible()
    qtmodeltester.check(panel.model)
    qtmodeltester.check(FilmsModel())


def test_add_a_film_from_the_panel(
    open_window: Any, clip: Path, clip_2997: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = open_window(make_project(tmp_path, clip))
    panel = _films_panel(h, 1)
    monkeypatch.setattr(file_dialogs, "ask_user", lambda *_a, **_k: [clip_2997])
    h.qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert _cells(panel)[1][0] == "ntsc"


def test_double_click_opens_the_film(open_window: Any, two_films: Path) -> None:
    h = open_window(two_films)
    panel = _films_panel(h, 2)
    ntsc = panel.model.entries[1].id
    table = panel.table
    rect = table.visualRect(panel.model.index(1, 0))
    # a double click as the mouse sends it: press and release, then the second press
    h.qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    h.qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    h.qtbot.waitUntil(
        lambda: h.window.session.film is not None and h.window.session.film.id == ntsc
    )
    assert h.window.windowTitle() == "NTSC — study — Critique"
    assert panel.selected_id() == ntsc


def test_removing_a_film_without_annotations_asks_then_removes(
    open_window: Any, two_films: Path, tmp_path: Path
) -> None:
    h = open_window(two_films)
    panel = _films_panel(h, 2)
    asked: list[tuple[str, str]] = []
    h.window.films.confirm = lambda text, button: asked.append((text, button)) or True
    panel.select(panel.model.entries[1].id)
    h.qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert asked == [
        (
            "Remove the film 'NTSC' from the project? Its file stays where it is; its "
            "fingerprints, thumbnails and markers in this project go with it.",
            "Remove the film",
        )
    ]
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert "The film 'NTSC' is out of the project" in h.window.statusBar().currentMessage()
    with open_project(two_films) as project:
        assert [f.title for f in project.repo.films()] == ["Coded clip"]
    assert sorted(p.suffix for p in tmp_path.glob("*.critique")) == [".critique"]  # no copy


def test_removing_an_annotated_film_names_the_count_and_keeps_a_copy(
    open_window: Any, two_films: Path, tmp_path: Path
) -> None:
    h = open_window(two_films)  # 'Coded clip' is on screen
    panel = _films_panel(h, 2)
    coded = panel.model.entries[0].id
    asked: list[str] = []
    h.window.films.confirm = lambda text, _button: asked.append(text) or False
    h.window.films.remove(coded)  # cancelled: nothing happens
    assert "The film 'Coded clip' carries 4 annotations." in asked[0]
    assert "study (before removing Coded clip).critique" in asked[0]
    with open_project(two_films) as project:
        assert len(project.repo.films()) == 2

    h.window.films.confirm = lambda _text, _button: True
    h.window.films.remove(coded)
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    kept = tmp_path / "study (before removing Coded clip).critique"
    assert f"its 4 annotations are kept in {kept}" in h.window.statusBar().currentMessage()
    session = h.window.session
    assert session.film is None and h.window.controller.path is None  # it left the screen
    assert session.undo_stack is not None and not session.undo_stack.can_undo
    assert h.window.annotations.table.model.rowCount() == 0  # nothing of it lingers
    with open_project(kept) as copy:
        assert len(copy.repo.annotations()) == 4
    with open_project(two_films) as project:
        assert project.repo.annotations() == [] and [f.title for f in project.repo.films()] == [
            "NTSC"
        ]


def test_the_right_click_menu_offers_every_command(open_window: Any, two_films: Path) -> None:
    h = open_window(two_films)
    panel = _films_panel(h, 2)
    menu = panel.context_menu_for(1)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == [
        "Open in the window",
        "Remove from project…",
        "Relink…",
        "Reveal in folder",
        "Add a film…",
    ]
    shown: list[QUrl] = []
    h.window.films.open_url = lambda url: shown.append(url) or True
    next(a for a in menu.actions() if a.text() == "Reveal in folder").trigger()
    assert [u.toLocalFile() for u in shown] == [str(Path(panel.model.entries[1].path).parent)]
    menu.deleteLater()
    empty = panel.context_menu_for(-1)  # below the rows
    assert [a.text() for a in empty.actions()] == ["Add a film…"]
    empty.deleteLater()


def test_relink_finds_a_moved_film_and_refuses_another(
    open_window: Any, clip: Path, clip_2997: Path, tmp_path: Path
) -> None:
    film = tmp_path / "screener.mp4"
    shutil.copy(clip, film)
    study = make_project(tmp_path, film)
    moved = tmp_path / "moved" / "renamed.mp4"
    moved.parent.mkdir()
    film.rename(moved)
    h = open_window(None)
    h.window.open_path(study)
    h.opened()
    panel = _films_panel(h, 1)
    entry = panel.model.entries[0]
    assert not entry.present
    assert "is not at" in panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    bar = h.window.statusBar()
    h.window.films.relink(entry.id, clip_2997)
    h.qtbot.waitUntil(lambda: "is not the film 'Coded clip'" in bar.currentMessage())
    h.window.films.relink(entry.id, moved)
    h.qtbot.waitUntil(lambda: panel.model.entries[0].present)
    assert panel.model.entries[0].path == str(moved.resolve())
    h.qtbot.waitUntil(lambda: h.window.session.film_path == moved.resolve())  # shown now


def test_reveal_a_folder_that_is_gone_says_so(open_window: Any, clip: Path, tmp_path: Path) -> None:
    film = tmp_path / "usb" / "screener.mp4"
    film.parent.mkdir()
    shutil.copy(clip, film)
    study = make_project(tmp_path, film)
    shutil.rmtree(film.parent)
    h = open_window(None)
    h.window.open_path(study)
    h.opened()
    panel = _films_panel(h, 1)
    h.window.films.open_url = lambda _url: pytest.fail("nothing to show")
    assert not h.window.films.reveal(panel.model.entries[0].id)
    assert "is not there any more" in h.window.statusBar().currentMessage()


def test_a_film_added_by_another_program_shows_in_the_panel(
    open_window: Any, clip: Path, clip_2997: Path, tmp_path: Path
) -> None:
    study = make_project(tmp_path, clip)
    h = open_window(study)
    panel = _films_panel(h, 1)
    with open_project(study) as other:  # a terminal command's own connection
        add_film(other, clip_2997, title="From the terminal")
    h.qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert _cells(panel)[1][0] == "From the terminal"


def test_fingerprints_made_in_a_terminal_show_in_the_panel(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """`critique-app fingerprint` in a terminal on the project the window has open: the
    Films panel's fingerprint column follows without a reload."""
    import subprocess
    import sys

    study = make_project(tmp_path, clip)
    h = open_window(study)
    panel = _films_panel(h, 1)
    assert _cells(panel)[0][-1] == "Not fingerprinted"
    command = [sys.executable, "-m", "critique_app", "fingerprint", str(clip)]
    done = subprocess.run(
        [*command, "--project", str(study), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    h.qtbot.waitUntil(lambda: _cells(panel)[0][-1] == "Fingerprinted", timeout=10_000)


def test_without_a_project_the_panel_says_how_to_get_one(open_window: Any) -> None:
    h = open_window(None)
    h.window.films.show()
    panel = h.window.films.ensure_panel()
    assert panel.note.text().startswith("Open or make a project")
    assert not panel.add_button.isEnabled() and not panel.remove_button.isEnabled()
