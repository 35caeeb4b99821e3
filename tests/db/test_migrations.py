"""Migrations: a file of schema version 1, full of data, opens in this version with nothing lost."""

from __future__ import annotations

import sqlite3
from fractions import Fraction
from pathlib import Path

from db.project import open_project
from db.schema import latest_version, migrate, migrations, schema_version


def _version_1_file(path: Path) -> None:
    """A project as the first release wrote it: only migration 1, filled by hand in SQL."""
    conn = sqlite3.connect(path)
    assert migrate(conn, upto=1) == [1]
    conn.executescript(
        """
        BEGIN;
        INSERT INTO films (id, title, path, sha256, size, rate_num, rate_den, frame_count,
                           start_timecode, drop_frame, added_at)
            VALUES (1, 'Les Ondes', '/films/ondes.mov', 'aa', 99, 30000, 1001, 900,
                    '01:00:00;00', 1, '2026-01-01T00:00:00+00:00');
        INSERT INTO tiers (id, name, author) VALUES (1, 'Lea', 'Lea'), (2, 'Théo', 'Théo');
        INSERT INTO vocabularies (id, key, name) VALUES (1, 'v', 'Vocab');
        INSERT INTO categories (id, vocabulary_id, key, label_en, label_fr)
            VALUES (1, 1, 'temporal', 'Temporal', 'Temporel'),
                   (2, 1, 'temporal.morph', 'Morph', 'Morphose');
        UPDATE categories SET parent_id = 1 WHERE id = 2;
        INSERT INTO annotations (id, uuid, film_id, tier_id, category_id, start_frame, end_frame,
                                 start_pts_num, start_pts_den, note, status, confidence, author,
                                 created_at, modified_at)
            VALUES (1, 'u-1', 1, 1, 2, 10, 40, 1001, 3000, 'Le visage **fond** sans coupe',
                    'observed', 'high', 'Lea', '2026-01-01', '2026-01-01'),
                   (2, 'u-2', 1, 2, NULL, 41, 41, NULL, NULL, 'counter-reading', 'contested',
                    'low', 'Théo', '2026-01-02', '2026-01-02');
        INSERT INTO annotation_tags VALUES (1, 'morphing'), (1, 'face'), (2, 'montage');
        INSERT INTO regions (annotation_id, shape, keyframes_json)
            VALUES (1, 'ellipse', '[{"frame": 10, "points": [[0.1, 0.1], [0.5, 0.6]]}]');
        INSERT INTO relations (source_id, target_id, kind) VALUES (2, 1, 'counter-reading of');
        INSERT INTO markers (film_id, frame, label) VALUES (1, 500, 'cut');
        INSERT INTO seminars (id, name, created_at) VALUES (1, 'Week 3', '2026-01-03');
        INSERT INTO seminar_items (seminar_id, position, annotation_id, film_id, start_frame,
                                   end_frame, prompt) VALUES (1, 0, 1, 1, 10, 40, 'What melts?');
        INSERT INTO settings VALUES ('last_frame', '123');
        COMMIT;
        """
    )
    assert schema_version(conn) == 1
    conn.close()


def test_there_is_more_than_one_migration() -> None:
    assert [m.version for m in migrations()] == list(range(1, latest_version() + 1))
    assert latest_version() >= 2


def test_version_1_file_upgrades_and_keeps_all_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.critique"
    _version_1_file(path)
    with open_project(path) as project:
        assert project.schema_version == latest_version()
        repo = project.repo
        (film,) = repo.films()
        assert (film.title, film.frame_count, film.drop_frame) == ("Les Ondes", 900, True)
        assert film.timecode(0) == "01:00:00;00"
        assert [t.name for t in repo.tiers()] == ["Lea", "Théo"]
        cats = repo.categories()
        assert [(c.key, c.parent_key, c.label_fr) for c in cats] == [
            ("temporal", None, "Temporel"),
            ("temporal.morph", "temporal", "Morphose"),
        ]
        first, second = repo.annotations()
        assert first.uuid == "u-1" and first.tags == ("face", "morphing")
        assert first.note == "Le visage **fond** sans coupe" and first.confidence == "high"
        assert first.start_pts == Fraction(1001, 3000)
        assert first.regions[0].shape == "ellipse"
        assert first.regions[0].interpolate(20) == ((0.1, 0.1), (0.5, 0.6))
        assert second.range.is_single_frame and second.status == "contested"
        (relation,) = repo.relations(first.id)
        assert relation.label_from(first.id or 0) == "has counter-reading"
        assert [m.label for m in repo.markers(film.id or 0)] == ["cut"]
        (item,) = repo.seminar_items(repo.seminars()[0].id or 0)
        assert item.prompt == "What melts?" and item.annotation_id == first.id
        assert repo.setting("last_frame") == 123
        # Version 2 works on the old data: the new filter indexes and the merge log exist.
        assert repo.annotation_ids(authors=["Lea"]) == [first.id]
        indexes = {i.name for i in project.db["annotations"].indexes}
        assert {"annotations_listing", "annotations_author"} <= indexes
        assert "merges" in project.db.table_names()
        # The full-text index written by version 1's triggers still answers.
        assert repo.search("fond") == [first.id]
        assert repo.search("montage") == [second.id]
        # Version 11: the index keeps no positions (an import's fifth); words, beginnings and
        # words joined by an underscore (two words to the index, never a phrase) still answer.
        sql = project.db.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'annotations_fts'"
        ).fetchone()[0]
        assert "detail=column" in sql and "prefix='1 2'" in sql
        assert repo.search("visage fo") == [first.id]
        assert repo.search("visage_fond") == [first.id]
        assert repo.search("counter-read") == [second.id]


def test_a_failing_migration_leaves_the_file_at_its_version(tmp_path: Path, monkeypatch) -> None:
    import db.schema as schema

    path = tmp_path / "p.critique"
    _version_1_file(path)
    broken = schema.Migration(2, "broken", "CREATE TABLE merges (x);\nTHIS IS NOT SQL;")
    monkeypatch.setattr(schema, "migrations", lambda: [migrations()[0], broken])
    conn = sqlite3.connect(path)
    try:
        migrate(conn)
    except sqlite3.OperationalError:
        pass
    assert schema_version(conn) == 1
    assert "merges" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
