"""A student's own film: File ▸ Add a film… puts it in a project, ready to annotate."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from db.project import open_project

K = Qt.Key


def test_a_film_added_without_a_project_gets_one_beside_it(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    film = tmp_path / "my festival film.mp4"
    shutil.copy(clip, film)
    h = open_window(None)
    assert h.window.add_film(film)
    session = h.window.session
    h.qtbot.waitUntil(lambda: session.film is not None)  # probed and hashed on a worker
    beside = tmp_path / "my festival film.critique"
    assert session.project.path == beside
    h.settle()
    h.key(K.Key_Right)
    h.key(K.Key_Right)
    h.key(K.Key_I)
    h.key(K.Key_Right)
    h.key(K.Key_O)
    h.key(K.Key_N)  # annotate in -> out at once
    with open_project(beside) as project:  # saved at once, on disk
        (stored,) = project.repo.annotations()
        (film_row,) = project.repo.films()
    assert (stored.range.start, stored.range.end) == (2, 3)
    assert Path(film_row.path) == film.resolve() and len(film_row.sha256) == 64


def test_adding_the_same_film_again_reuses_it(open_window: Any, clip: Path, tmp_path: Path) -> None:
    film = tmp_path / "again.mp4"
    shutil.copy(clip, film)
    h = open_window(None)
    h.window.add_film(film)
    h.qtbot.waitUntil(lambda: h.window.session.film is not None)
    h.window.add_film(film)
    assert len(h.window.session.project.project.repo.films()) == 1


def test_a_missing_film_is_one_sentence(open_window: Any, tmp_path: Path) -> None:
    h = open_window(None)
    assert not h.window.add_film(tmp_path / "nowhere.mp4")
    assert "does not exist" in h.window.statusBar().currentMessage()


def test_a_moved_film_is_found_again_from_the_window(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    film = tmp_path / "screener.mp4"
    shutil.copy(clip, film)
    h = open_window(None)
    h.window.add_film(film)
    h.qtbot.waitUntil(lambda: h.window.session.film is not None)
    project_path = h.window.session.project.path
    moved = tmp_path / "elsewhere" / "renamed.mp4"
    moved.parent.mkdir()
    film.rename(moved)
    h.window.session.open_project(project_path)
    h.opened()
    assert "not at" in h.window.statusBar().currentMessage()  # says the film is gone
    h.window.session.relink(tmp_path / "elsewhere")
    h.qtbot.waitUntil(lambda: "Found 1 film again" in h.window.statusBar().currentMessage())
    h.qtbot.waitUntil(lambda: h.window.session.film_path == moved.resolve())
    with open_project(project_path) as project:
        assert Path(project.repo.films()[0].path) == moved.resolve()
