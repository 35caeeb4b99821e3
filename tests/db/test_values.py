"""An annotation's value is stored, searched (FTS) and kept by the version 3 migration."""

from __future__ import annotations

import dataclasses
import sqlite3
from fractions import Fraction
from pathlib import Path

from critique_app.domain.model import Annotation, FrameRange
from db.project import memory_project, open_project
from db.schema import latest_version, migrate


def test_values_are_saved_and_found_by_search() -> None:
    with memory_project() as project:
        repo = project.repo
        film = repo.add_film("/a.mp4", sha256="a" * 64, size=1, rate=Fraction(25), frame_count=100)
        parent_tier = repo.add_tier("Speech", linguistic_type="utterance")
        tier = repo.add_tier(
            "Words",
            parent_id=parent_tier.id,
            linguistic_type="words",
            constraint="Symbolic_Subdivision",
            vocabulary_key="POS",
        )
        assert repo.get_tier(tier.id) == tier and tier.parent_id == parent_tier.id
        a = repo.add_annotation(
            Annotation.create(
                film.id,
                tier.id,
                FrameRange(1, 5),
                value="Gänseliesel fountain",
                note="a note",
                parent_uuid="p-1",
            )
        )
        assert (a.value, a.parent_uuid) == ("Gänseliesel fountain", "p-1")
        assert repo.search("ganseliesel") == [a.id]  # diacritics folded, as for notes
        assert repo.annotation_ids(search="fountain") == [a.id]
        repo.update_annotation(dataclasses.replace(a, value="Marktplatz"))
        assert repo.search("fountain") == [] and repo.search("marktplatz") == [a.id]


def test_a_version_2_file_keeps_its_search_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v2.critique"
    conn = sqlite3.connect(path)
    migrate(conn, upto=2)
    conn.executescript(
        """
        INSERT INTO films (id, title, path, sha256, size, rate_num, rate_den, frame_count, added_at)
            VALUES (1, 'F', '/f.mp4', 'bb', 1, 25, 1, 100, '2026-01-01');
        INSERT INTO tiers (id, name) VALUES (1, 'Lea');
        INSERT INTO annotations (id, uuid, film_id, tier_id, start_frame, end_frame, note,
                                 created_at, modified_at)
            VALUES (1, 'u-1', 1, 1, 0, 5, 'le visage fond', '2026', '2026');
        INSERT INTO annotation_tags VALUES (1, 'morphing');
        """
    )
    conn.commit()
    conn.close()
    with open_project(path) as project:
        assert project.schema_version == latest_version() >= 3
        (a,) = project.repo.annotations()
        assert (a.note, a.value, a.tags, a.parent_uuid) == (
            "le visage fond",
            "",
            ("morphing",),
            None,
        )
        assert project.repo.search("visage") == [1] and project.repo.search("morphing") == [1]
        assert project.repo.tiers()[0].linguistic_type is None
