"""An import's batches write the search index and the edit counts themselves, with the
per-row triggers paused: what they leave must be exactly what the triggers leave."""

from __future__ import annotations

import contextlib
import dataclasses
from fractions import Fraction

import pytest

from critique_app.domain.model import Annotation, FrameRange, Keyframe, Region
from critique_app.errors import Cancelled, UserError
from db.project import Project, memory_project
from tests.db.helpers import film, tier

_NOTES = ("le visage fond", "un raccord dans l'axe", "", "Gänseliesel au marché")
_TAGS = ((), ("morphing",), ("morphing", "décor"), ("raccord", "axe", "flou"))
_VALUES = ("", "plan fixe", "Élodie parle", "")


def _annotations(project: Project, count: int) -> list[Annotation]:
    repo = project.repo
    f = repo.films()[0] if repo.films() else film(repo)
    t = repo.tiers()[0] if repo.tiers() else tier(repo)
    region = Region("rectangle", (Keyframe(0, ((0.1, 0.1), (0.5, 0.5))),), label="visage")
    return [
        Annotation.create(
            f.id or 0,
            t.id or 0,
            FrameRange(i, i + 3),
            note=f"{_NOTES[i % 4]} {i}",
            tags=_TAGS[i % 4],
            value=_VALUES[i % 4],
            regions=(region,) if i % 3 == 0 else (),
        )
        for i in range(count)
    ]


def _stored(project: Project) -> tuple[object, ...]:
    conn = project.repo.db.conn
    index = conn.execute("SELECT rowid, note, tags, value FROM annotations_fts ORDER BY rowid")
    found = {
        word: project.repo.search(word, limit=10_000)
        for word in ("visage", "raccord", "morphing", "decor", "ganseliesel", "plan", "elodie", "7")
    }
    return index.fetchall(), found, project.edit_counts()


def _triggers(project: Project) -> list[tuple[str, str]]:
    return project.repo.db.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()


def test_batches_index_and_count_exactly_what_the_triggers_do() -> None:
    with memory_project() as one_by_one, memory_project() as batched:
        triggers = _triggers(batched)
        for a in _annotations(one_by_one, 250):
            one_by_one.repo.add_annotation(a)
        annotations = _annotations(batched, 250)
        with batched.repo.db.atomic(), batched.repo.inserting_in_bulk():
            for start in range(0, 250, 60):
                batched.repo.insert_annotations(annotations[start : start + 60])
        assert _stored(batched) == _stored(one_by_one)
        assert _triggers(batched) == triggers  # back as they were, for ordinary edits
        edited = batched.repo.add_annotation(
            dataclasses.replace(_annotations(batched, 1)[0], note="fondu")
        )
        assert batched.repo.search("fondu") == [edited.id]


def test_search_rows_written_a_span_at_a_time_are_the_triggers_rows(monkeypatch) -> None:
    """The search rows go in once SEARCH_ROWS_AT_ONCE annotations are stored and at the end
    (FTS5 writes a segment a statement): the same rows as the triggers', and FTS5's memory
    for pending rows is back to what it was when the import ends."""
    from db import annotation_store

    monkeypatch.setattr(annotation_store, "SEARCH_ROWS_AT_ONCE", 100)
    with memory_project() as one_by_one, memory_project() as batched:
        for a in _annotations(one_by_one, 250):
            one_by_one.repo.add_annotation(a)
        conn = batched.repo.db.conn
        annotations = _annotations(batched, 250)
        with batched.repo.db.atomic(), batched.repo.inserting_in_bulk():
            pending = "SELECT v FROM annotations_fts_config WHERE k = 'hashsize'"
            assert conn.execute(pending).fetchone() == (annotation_store.SEARCH_PENDING_BYTES,)
            for start in range(0, 250, 60):
                batched.repo.insert_annotations(annotations[start : start + 60])
                searchable = conn.execute("SELECT count(*) FROM annotations_fts").fetchone()
                # written at 120 (past 100 since the last), then at 240, the rest at the end
                assert searchable == ({0: 0, 60: 120, 120: 120, 180: 240, 240: 240}[start],)
        assert _stored(batched) == _stored(one_by_one)
        assert conn.execute(pending).fetchone() == (annotation_store.FTS5_PENDING_BYTES,)


def test_a_failed_batch_takes_back_its_rows_and_keeps_the_triggers() -> None:
    with memory_project() as project:
        triggers = _triggers(project)
        annotations = _annotations(project, 5)
        twice = [*annotations, annotations[2]]
        with (
            pytest.raises(UserError, match=annotations[2].uuid),
            project.repo.db.atomic(),
            project.repo.inserting_in_bulk(),
        ):
            project.repo.insert_annotations(twice)
        assert project.repo.count_annotations() == 0 and project.repo.search("visage") == []
        assert _triggers(project) == triggers


def test_a_long_value_is_stored_as_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value past LONG_TEXT goes to SQLite as UTF-8 bytes cast to text (no UTF-8 copy kept
    on the string, issue 23's one-line SubRip): stored as text, the same words, indexed."""
    from db import annotation_store

    monkeypatch.setattr(annotation_store, "LONG_TEXT", 10)
    with memory_project() as project:
        annotations = _annotations(project, 4)
        words = "Zeugma au marché, sans retour à la ligne 🎞 " * 3
        annotations[1] = dataclasses.replace(annotations[1], value=words)
        with project.repo.db.atomic(), project.repo.inserting_in_bulk():
            ids = project.repo.insert_annotations(annotations)
        conn = project.repo.db.conn
        stored = conn.execute("SELECT typeof(value), value FROM annotations WHERE id = ?", [ids[1]])
        assert stored.fetchone() == ("text", words)
        assert project.repo.search("zeugma") == [ids[1]]
        assert project.repo.count_annotations() == 4  # the statement run again adds nothing


def _rows(project: Project) -> list[tuple[object, ...]]:
    """Every stored column but the uuid and the moment, which each annotation gets anew."""
    return project.repo.db.conn.execute(
        "SELECT id, film_id, tier_id, category_id, start_frame, end_frame, start_pts_num, "
        "start_pts_den, end_pts_num, end_pts_den, note, status, confidence, evidence, author, "
        "anchor_hashes, conflict_of, value, parent_uuid FROM annotations ORDER BY id"
    ).fetchall()


def test_a_batch_of_plain_rows_stores_what_one_at_a_time_stores() -> None:
    """A batch without timestamps or frame hashes goes to SQLite without its ids and those
    columns; a batch with any of them the general way. Both store the same rows."""
    with memory_project() as one_by_one, memory_project() as batched:
        annotations = [_annotations(one_by_one, 90), _annotations(batched, 90)]
        for some in annotations:
            for i in range(60):  # columns equal in a batch are written into its statement
                some[i] = dataclasses.replace(
                    some[i], author="Jeanne d'Arc", evidence="nul\x00" if i >= 30 else None
                )
            for i in range(60, 90, 4):  # the third batch is not plain
                some[i] = dataclasses.replace(
                    some[i],
                    start_pts=Fraction(i, 25),
                    end_pts=Fraction(i + 3, 25),
                    anchor_hashes=(i, 2**63 + i, 7),
                    author="Anna",
                    category_id=None,
                )
        for a in annotations[0]:
            one_by_one.repo.add_annotation(a)
        with batched.repo.db.atomic(), batched.repo.inserting_in_bulk():
            ids = [
                i
                for start in (0, 30, 60)
                for i in batched.repo.insert_annotations(annotations[1][start : start + 30])
            ]
        assert ids == list(range(1, 91))
        assert _rows(batched) == _rows(one_by_one)
        assert _stored(batched) == _stored(one_by_one)


def _schema(project: Project) -> list[tuple[str, str, str | None]]:
    return project.repo.db.conn.execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


@pytest.mark.parametrize("ending", ["committed", "cancelled", "refused"])
def test_a_bulk_import_into_a_project_leaves_it_whole(ending: str) -> None:
    """Into a project that already holds annotations, committed, cancelled between batches
    or refused in the middle: SQLite finds nothing wrong, every index and trigger is there."""
    with memory_project() as project:
        repo = project.repo
        with repo.db.atomic(), repo.inserting_in_bulk():
            repo.insert_annotations(_annotations(project, 120))
        schema = _schema(project)
        rows = _rows(project)
        more = _annotations(project, 90)
        if ending == "refused":
            more[70] = dataclasses.replace(more[70], uuid=more[10].uuid)
        with contextlib.suppress(Cancelled, UserError), repo.db.atomic(), repo.inserting_in_bulk():
            for start in (0, 30, 60):
                repo.insert_annotations(more[start : start + 30])
                if ending == "cancelled" and start == 30:
                    raise Cancelled
        conn = repo.db.conn
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert _schema(project) == schema
        kept = _rows(project)
        assert len(kept) == (210 if ending == "committed" else 120)
        assert kept[:120] == rows


def test_an_import_has_a_larger_page_cache_only_while_it_stores() -> None:
    """64 MB of page cache while the batches go in (the uuid index's random inserts), SQLite's
    own after, and its own again as soon as a batch holds a very long value (its copies are
    large enough: a one-line 50 MB SubRip must stay under 300 MB)."""
    from db.annotation_store import BULK_CACHE, LONG_TEXT

    with memory_project() as project:
        repo = project.repo
        conn = repo.db.conn
        usual = conn.execute("PRAGMA cache_size").fetchone()[0]
        with repo.inserting_in_bulk():
            assert conn.execute("PRAGMA cache_size").fetchone()[0] == BULK_CACHE
            repo.insert_annotations(_annotations(project, 20))
            assert conn.execute("PRAGMA cache_size").fetchone()[0] == BULK_CACHE
            (long,) = _annotations(project, 1)
            repo.insert_annotations([dataclasses.replace(long, value="x" * (LONG_TEXT + 1))])
            assert conn.execute("PRAGMA cache_size").fetchone()[0] == usual
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == usual
        assert repo.count_annotations() == 21
