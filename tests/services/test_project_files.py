"""New projects and whole copies of a project (SQLite's backup API, WAL content included)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from critique_app.errors import Cancelled, UserError
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services.project_files import (
    copy_target,
    new_project_path,
    safety_copy_path,
    save_copy,
)
from db.project import open_project


def _tiers(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [r[0] for r in conn.execute("SELECT name FROM tiers ORDER BY name")]


def test_a_copy_holds_what_only_the_wal_holds_yet(tmp_path: Path) -> None:
    source = tmp_path / "course.critique"
    with open_project(source) as project:  # stays open: its edits sit in the -wal
        project.repo.add_tier("Anna")
        project.repo.add_tier("Bruno")
        assert Path(f"{source}-wal").stat().st_size > 0
        copy = save_copy(NO_PROGRESS, source, tmp_path / "course copy")
        assert copy == (tmp_path / "course copy.critique").resolve()
        assert _tiers(copy) == ["Anna", "Bruno"]
        project.repo.add_tier("Chloé")  # the original is still open and writable
    assert _tiers(source) == ["Anna", "Bruno", "Chloé"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course copy.critique", "course.critique"]
    with open_project(copy) as again:  # a project Critique opens like any other
        assert [t.name for t in again.repo.tiers()] == ["Anna", "Bruno"]


def test_a_cancelled_copy_leaves_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "course.critique"
    with open_project(source) as project:
        project.repo.add_tier("Anna")
    stop = Progress()
    stop.cancel()
    with pytest.raises(Cancelled):
        save_copy(stop, source, tmp_path / "copy.critique")
    assert [p.name for p in tmp_path.iterdir()] == ["course.critique"]


def test_a_copy_never_lands_on_the_project_itself_or_on_one_in_use(tmp_path: Path) -> None:
    source = tmp_path / "course.critique"
    other = tmp_path / "other.critique"
    with open_project(source), open_project(other):
        with pytest.raises(UserError, match="is the project itself"):
            copy_target(source, source)
        with pytest.raises(UserError, match="is open in Critique or another program"):
            copy_target(source, other)
    with pytest.raises(UserError, match="does not exist"):
        copy_target(source, tmp_path / "nowhere" / "copy.critique")


def test_a_new_project_never_replaces_a_file(tmp_path: Path) -> None:
    assert new_project_path(tmp_path / "course") == (tmp_path / "course.critique").resolve()
    (tmp_path / "course.critique").write_bytes(b"")
    with pytest.raises(UserError, match="already exists, and a new project never replaces it"):
        new_project_path(tmp_path / "course.critique")


def test_the_safety_copy_takes_a_free_name(tmp_path: Path) -> None:
    project = tmp_path / "course.critique"
    first = safety_copy_path(project, "Film: 1/2")
    assert first.name == "course (before removing Film_ 1_2).critique"
    first.write_bytes(b"")
    assert safety_copy_path(project, "Film: 1/2").name == (
        "course (before removing Film_ 1_2) 2.critique"
    )
