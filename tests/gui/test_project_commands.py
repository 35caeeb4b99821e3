"""File ▸ New project…, Open Recent, Save a copy of the project as… and Close project, each
triggered from its action in a real window on real projects and generated clips."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from critique_app.gui import file_dialogs
from critique_app.services.window_presence import window_holds
from db.project import open_project
from tests.gui.annotation_projects import make_project


def _answer_dialogs(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The file dialogs answer `path` (a user typing it); the titles they showed."""
    titles: list[str] = []

    def answer(_parent: Any, _purpose: str, title: str, *_args: Any, **_kw: Any) -> list[Path]:
        titles.append(title)
        return [path]

    monkeypatch.setattr(file_dialogs, "ask_user", answer)
    return titles


def test_new_project_switches_the_window_to_an_empty_project(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = open_window(make_project(tmp_path, clip))
    titles = _answer_dialogs(monkeypatch, tmp_path / "course")  # typed without the suffix
    h.window.action_table["new_project"].trigger()
    h.qtbot.waitUntil(lambda: h.window.session.project.path.name == "course.critique")
    assert titles == ["New project"]
    session = h.window.session
    assert session.project.films() == [] and session.film is None
    assert h.window.windowTitle() == "course — Critique"
    assert h.window.settings.recent_files[0] == (tmp_path / "course.critique").resolve()


def test_new_project_refuses_an_existing_file_and_keeps_the_window(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = make_project(tmp_path, clip)
    h = open_window(study)
    other = make_project(tmp_path, clip, name="other.critique")
    _answer_dialogs(monkeypatch, other)
    h.window.action_table["new_project"].trigger()
    assert "already exists, and a new project never replaces it" in (
        h.window.statusBar().currentMessage()
    )
    assert h.window.session.project.path == study
    with open_project(other) as project:
        assert len(project.repo.annotations()) == 4


def test_open_recent_lists_projects_and_films_and_greys_a_missing_one(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    first = make_project(tmp_path, clip, name="first.critique")
    second = make_project(tmp_path, clip, name="second.critique")
    gone = make_project(tmp_path, clip, name="gone.critique")
    film = tmp_path / "alone.mp4"
    shutil.copy(clip, film)
    h = open_window(None)
    for path in (gone, first, film, second):
        h.window.open_path(path)
        h.opened()
        h.settle()  # the film on screen (a film alone is remembered once it shows)
    gone.unlink()
    commands = h.window.project_commands
    commands.fill_recent()  # what showing the menu does
    entries = [a for a in commands.recent_menu.actions() if a.objectName() == "RecentFile"]
    assert [Path(a.data()).name for a in entries] == [
        "second.critique",
        "alone.mp4",
        "first.critique",
        "gone.critique",
    ]
    assert [a.isEnabled() for a in entries] == [True, True, True, False]
    assert "is not there any more" in entries[3].toolTip()
    assert entries[0].text() == "&1 second.critique"
    entries[2].trigger()  # first.critique
    h.qtbot.waitUntil(lambda: h.window.session.project.path == first)
    assert h.window.settings.recent_files[0] == first.resolve()

    clear = next(a for a in commands.recent_menu.actions() if a.objectName() == "ClearRecent")
    clear.trigger()
    assert h.window.settings.recent_files == []
    texts = [a.text() for a in commands.recent_menu.actions() if a.text()]
    assert texts == ["No recent projects or films", "Clear the list"]


def test_open_recent_on_a_file_gone_since_the_menu_showed_says_so(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(None)
    gone = make_project(tmp_path, clip, name="gone.critique")
    gone.unlink()
    assert not h.window.project_commands.open_recent(gone)
    assert "is not there any more" in h.window.statusBar().currentMessage()
    assert h.window.session.project is None


def test_save_a_copy_keeps_the_window_on_the_original(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = make_project(tmp_path, clip)
    h = open_window(study)
    h.window.controller.marks.set_in()
    h.window.action_table["annotate_frame"].trigger()  # an edit still in the -wal
    target = tmp_path / "handed in.critique"
    _answer_dialogs(monkeypatch, target)
    h.window.action_table["save_copy"].trigger()
    bar = h.window.statusBar()
    h.qtbot.waitUntil(lambda: "A copy of study.critique is saved as" in bar.currentMessage())
    assert str(target) in bar.currentMessage()
    assert h.window.session.project.path == study
    with open_project(target) as copy:
        assert len(copy.repo.annotations()) == 5


def test_save_a_copy_onto_the_project_itself_is_refused(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    study = make_project(tmp_path, clip)
    h = open_window(study)
    h.window.project_commands.save_copy(study)
    bar = h.window.statusBar()
    h.qtbot.waitUntil(lambda: "is the project itself" in bar.currentMessage())


def test_close_project_returns_the_window_to_its_empty_state(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    study = make_project(tmp_path, clip)
    h = open_window(study)
    assert h.window.presence.server is not None  # answers for the project
    h.window.action_table["close_project"].trigger()
    session = h.window.session
    assert session.project is None and session.film is None and session.film_path is None
    assert session.undo_stack is None
    assert h.window.controller.path is None
    assert h.window.windowTitle() == "Critique"
    tasks = h.window.tasks  # the project's and the film's work stopped (and is forgotten)
    assert not any(t.running for t in tasks.tasks("project") + tasks.tasks("film"))
    h.qtbot.waitUntil(lambda: not tasks.tasks("project") and not tasks.tasks("film"))
    assert h.window.presence.server is None  # released: another window may take it
    assert not window_holds(study)
    assert not h.window.action_table["save_copy"].isEnabled()
    assert "The project is closed" in h.window.statusBar().currentMessage()
    h.window.action_table["close_project"].trigger()
    assert h.window.statusBar().currentMessage() == "Nothing is open."
