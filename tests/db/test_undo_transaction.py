"""The undo stack owns the transaction: one edit, one undo or one redo is one commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from critique_app.domain.commands import CreateAnnotations, UndoStack
from critique_app.domain.model import Annotation, FrameRange
from db.project import Project, open_project
from tests.db.helpers import film, tier

CUES = 2_000  # the commit count does not depend on it; 20,000 only costs time


def _commits(project: Project) -> list[str]:
    seen: list[str] = []
    project.db.conn.set_trace_callback(
        lambda sql: seen.append(sql) if sql.strip().upper().startswith("COMMIT") else None
    )
    return seen


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = open_project(tmp_path / "class.critique")
    yield p
    p.close()


def test_an_import_of_many_cues_is_one_commit_to_do_undo_and_redo(project: Project) -> None:
    repo = project.repo
    f, t = film(repo, frames=CUES * 3), tier(repo)
    cues = [
        Annotation.create(f.id or 0, t.id or 0, FrameRange(i * 2, i * 2 + 1), note=f"cue {i}")
        for i in range(CUES)
    ]
    stack = UndoStack(repo)
    commits = _commits(project)

    stack.push(CreateAnnotations(cues, label="Import subtitles"))
    assert len(repo.annotations(film_id=f.id)) == CUES
    assert len(commits) == 1

    stack.undo()
    assert repo.annotations(film_id=f.id) == []
    assert len(commits) == 2

    stack.redo()
    assert len(repo.annotations(film_id=f.id)) == CUES
    assert len(commits) == 3


def test_a_failed_edit_leaves_nothing_half_done(project: Project) -> None:
    repo = project.repo
    f, t = film(repo), tier(repo)
    first = Annotation.create(f.id or 0, t.id or 0, FrameRange(1, 2), note="kept")
    clash = Annotation.create(f.id or 0, t.id or 0, FrameRange(3, 4), note="same uuid")
    clash = Annotation(**{**clash.__dict__, "uuid": first.uuid})
    stack = UndoStack(repo)
    with pytest.raises(Exception):  # noqa: B017 - the repository's own sentence or SQLite's
        stack.push(CreateAnnotations([first, clash]))
    assert repo.annotations(film_id=f.id) == []
    assert not stack.can_undo
