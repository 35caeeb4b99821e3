"""Opening project files: creation, SQLite settings, and one sentence for every unusable file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from critique_app.errors import UserError
from db.project import open_project
from db.schema import latest_version
from tests.db.helpers import film, tier


def test_a_missing_file_becomes_a_new_project(tmp_path: Path) -> None:
    path = tmp_path / "class.critique"
    with open_project(path) as project:
        assert project.schema_version == latest_version()
        assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert project.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        vocab = project.repo.vocabulary_by_key("ai-visual-regimes")
        assert vocab is not None, "a new project starts with the default vocabulary"
    assert path.is_file()


def test_edits_are_committed_at_once(tmp_path: Path) -> None:
    path = tmp_path / "p.critique"
    project = open_project(path)
    f = film(project.repo)
    tier(project.repo)
    # A second connection sees the edit before the first one is closed: nothing to "save".
    other = sqlite3.connect(path)
    assert other.execute("SELECT title FROM films WHERE id = ?", [f.id]).fetchone() == ("film",)
    assert other.execute("SELECT count(*) FROM tiers").fetchone() == (1,)
    other.close()
    project.close()


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "p.critique"
    with open_project(path) as project:
        film(project.repo)
        vocab_count = len(project.repo.categories())
    with open_project(path) as project:
        assert [f.title for f in project.repo.films()] == ["film"]
        assert len(project.repo.categories()) == vocab_count


def test_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "essay.critique"
    path.write_bytes(b"This is my essay, not a project.\n" * 100)
    with pytest.raises(
        UserError, match=r"essay\.critique is not a Critique project: it is not an SQLite"
    ):
        open_project(path)
    assert path.read_bytes().startswith(b"This is my essay")


def test_other_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "other.critique"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="an SQLite database but not a Critique project"):
        open_project(path)


def test_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.critique"
    with open_project(path) as project:
        f = film(project.repo)
        t = tier(project.repo)
        from critique_app.domain.model import Annotation, FrameRange

        for i in range(300):
            project.repo.add_annotation(
                Annotation.create(f.id or 0, t.id or 0, FrameRange(i, i + 5), note=f"note {i}" * 20)
            )
    data = bytearray(path.read_bytes())
    # Keep the header, scribble over the pages after the first ones (tables and indexes).
    for offset in range(4096 * 2, len(data), 4096):
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(UserError, match=r"broken\.critique is damaged"):
        open_project(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.critique"
    with open_project(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="newer version of Critique"):
        open_project(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() + 1
    conn.close()


def test_locked_file(tmp_path: Path) -> None:
    path = tmp_path / "busy.critique"
    with open_project(path):
        pass
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(UserError, match=r"busy\.critique is locked by another program"):
            open_project(path, timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with open_project(path):  # free again: opens normally
        pass


def test_folder_and_missing_parent(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        open_project(tmp_path)
    with pytest.raises(UserError, match="does not exist"):
        open_project(tmp_path / "nope" / "p.critique")


def _project_with_notes(path: Path, count: int = 300) -> None:
    from critique_app.domain.model import Annotation, FrameRange

    with open_project(path) as project:
        f = film(project.repo)
        t = tier(project.repo)
        for i in range(count):
            project.repo.add_annotation(
                Annotation.create(f.id or 0, t.id or 0, FrameRange(i, i + 5), note=f"note {i}" * 20)
            )


def test_a_large_project_is_checked_apart_and_damage_gets_a_sentence(tmp_path: Path) -> None:
    """Above the size checked at open, `check_integrity` (run by the window on a worker) is
    what finds the damage; it reads only, so the file stays as it was."""
    from db.project import check_integrity

    path = tmp_path / "big.critique"
    _project_with_notes(path)
    assert check_integrity(path) is None
    data = bytearray(path.read_bytes())
    last = len(data) - 4096  # one page of annotation data, far from the schema
    data[last + 8 : last + 4096] = b"\xff" * (4096 - 8)
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with open_project(path, check_limit=0) as project:  # too big to check at open: it opens
        assert project.repo.films()
    problem = check_integrity(path)
    assert problem is not None and "big.critique is damaged" in problem
    assert "backup copy" in problem
    assert path.read_bytes() == before
