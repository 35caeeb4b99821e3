"""Merging students' project files: matched films, kept authors, duplicates, flagged conflicts."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from critique_app.domain.model import Annotation, FrameRange, Region
from critique_app.errors import UserError
from critique_app.services.merge import merge_files, merge_projects
from db.project import Project, open_project
from db.schema import latest_version, migrate

SHA = "f" * 64


def _base(path: Path) -> Path:
    """The teacher's starting file: the film, a shared tier and one seed annotation."""
    with open_project(path) as p:
        f = p.repo.add_film(
            "/films/ondes.mp4", sha256=SHA, size=10, rate=Fraction(25), frame_count=900
        )
        t = p.repo.add_tier("Class")
        seed = Annotation.create(f.id or 0, t.id or 0, FrameRange(100, 140), note="Seed: the sign")
        seed = replace_uuid(seed, "00000000-0000-0000-0000-000000000001")
        p.repo.add_annotation(seed)
    return path


def replace_uuid(a: Annotation, uuid: str) -> Annotation:
    from dataclasses import replace

    return replace(a, uuid=uuid)


def _student(base: Path, path: Path, name: str, film_path: str) -> Project:
    shutil.copy(base, path)
    p = open_project(path)
    p.repo.set_film_path(1, film_path)  # each student has the film somewhere else
    return p


def test_class_merge(tmp_path: Path) -> None:
    base = _base(tmp_path / "base.critique")
    lea = _student(base, tmp_path / "lea.critique", "Lea", "/home/lea/ondes.mp4")
    theo = _student(base, tmp_path / "Théo projet #2.critique", "Theo", "D:/films/Ondes final.mp4")
    cat = lea.repo.category_by_key("temporal.identity-drift")
    assert cat is not None
    lea_tier = lea.repo.add_tier("Lea", author="Lea")
    a1 = lea.repo.add_annotation(
        Annotation.create(
            1,
            lea_tier.id or 0,
            FrameRange(10, 20),
            author="Lea",
            note="Her face drifts",
            tags=("face",),
            category_id=cat.id,
            regions=(Region.still("ellipse", [(0.2, 0.2), (0.4, 0.5)]),),
        )
    )
    a2 = lea.repo.add_annotation(
        Annotation.create(1, lea_tier.id or 0, FrameRange(30, 30), author="Lea", note="Cut here")
    )
    lea.repo.add_relation(a2.id or 0, a1.id or 0, "continues")
    seed = lea.repo.annotation_by_uuid("00000000-0000-0000-0000-000000000001")
    assert seed is not None
    lea.repo.update_annotation(
        seed.with_changes(note="Seed: the sign reads OPNE", status="contested")
    )
    lea.repo.add_marker(1, 77, "look")
    theo_tier = theo.repo.add_tier("Theo", author="Theo")
    theo.repo.add_annotation(
        Annotation.create(
            1, theo_tier.id or 0, FrameRange(500, 600), author="Theo", note="Latent glide"
        )
    )
    lea.close()
    theo.close()

    with open_project(tmp_path / "teacher.critique") as teacher:
        summary = merge_projects(
            teacher, [tmp_path / "lea.critique", tmp_path / "Théo projet #2.critique"]
        )
        assert summary.films_added == 1 and summary.films_matched == 1
        assert summary.authors == ["Lea", "Theo"]
        # Seed: added from Lea (her edit), Theo's unedited seed differs -> both kept, flagged.
        assert summary.annotations_added == 4 and summary.conflicts == 1
        assert summary.relations_added == 1 and summary.markers_added == 1
        assert "conflicting edit kept side by side and flagged" in summary.sentence()
        repo = teacher.repo
        (film,) = repo.films()
        assert film.path == "/home/lea/ondes.mp4"  # first seen; matched by content after that
        notes = {a.note: a for a in repo.annotations()}
        assert notes["Her face drifts"].regions[0].shape == "ellipse"
        assert repo.get_category(notes["Her face drifts"].category_id or 0).key == (  # type: ignore[union-attr]
            "temporal.identity-drift"
        )
        flagged = notes["Seed: the sign"]
        assert flagged.conflict_of == "00000000-0000-0000-0000-000000000001"
        assert notes["Seed: the sign reads OPNE"].conflict_of is None
        (rel,) = repo.relations(notes["Cut here"].id)
        assert rel.label_from(notes["Her face drifts"].id or 0) == "continued by"
        assert {t.name for t in repo.tiers()} == {"Class", "Lea", "Theo"}
        assert repo.annotation_ids(conflicts_only=True) == [flagged.id]

        # Merging the same files again: everything recognised, nothing added.
        again = merge_projects(
            teacher, [tmp_path / "lea.critique", tmp_path / "Théo projet #2.critique"]
        )
        assert again.annotations_added == 0 and again.conflicts == 0
        assert again.duplicates == 5 and len(again.already_merged) == 2
        assert len(repo.annotations()) == 5


def _counts(path: Path) -> tuple[int, ...]:
    conn = sqlite3.connect(path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("films", "annotations", "tiers", "relations", "merges")
        )
    finally:
        conn.close()


@pytest.mark.parametrize("problem", ["newer", "malformed", "not-sqlite"])
def test_a_bad_source_changes_nothing(tmp_path: Path, problem: str) -> None:
    base = _base(tmp_path / "base.critique")
    good = tmp_path / "good.critique"
    shutil.copy(base, good)
    bad = tmp_path / "bad.critique"
    if problem == "newer":
        shutil.copy(base, bad)
        conn = sqlite3.connect(bad)
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
        conn.commit()
        conn.close()
        message = "newer version of Critique"
    elif problem == "malformed":
        data = bytearray(base.read_bytes())
        data[100:] = b"\x07" * (len(data) - 100)
        bad.write_bytes(bytes(data))
        message = "bad.critique"
    else:
        bad.write_text("not a project")
        message = "not an SQLite database"
    teacher = tmp_path / "teacher.critique"
    with open_project(teacher):
        pass
    before = _counts(teacher)
    bad_bytes = bad.read_bytes()
    with pytest.raises(UserError, match=message):
        merge_files(teacher, [good, bad])
    assert _counts(teacher) == before
    assert bad.read_bytes() == bad_bytes


def test_an_older_source_is_merged_without_being_modified(tmp_path: Path) -> None:
    old = tmp_path / "old.critique"
    conn = sqlite3.connect(old)
    migrate(conn, upto=1)
    conn.executescript(
        "INSERT INTO films (id, title, path, sha256, size, rate_num, rate_den, frame_count, "
        f"added_at) VALUES (1, 'F', '/f.mp4', '{SHA}', 1, 24, 1, 10, 'x');"
        "INSERT INTO tiers (id, name) VALUES (1, 'Old');"
        "INSERT INTO annotations (uuid, film_id, tier_id, start_frame, end_frame, note, author, "
        "created_at, modified_at) VALUES ('old-1', 1, 1, 2, 3, 'from last year', 'Ana', 'x', 'x');"
    )
    conn.commit()
    conn.close()
    before = old.read_bytes()
    with open_project(tmp_path / "t.critique") as teacher:
        summary = merge_projects(teacher, [old])
        assert summary.annotations_added == 1 and summary.authors == ["Ana"]
    assert old.read_bytes() == before


# ---- property: merging N random projects loses no annotation --------------------------

student_edits = st.lists(
    st.tuples(
        st.sampled_from(["new", "edit-seed", "keep"]),
        st.integers(0, 800),
        st.sampled_from(["morph", "drift", "sign", "hands"]),
        st.sampled_from(["observed", "contested"]),
    ),
    max_size=6,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(students=st.lists(student_edits, min_size=1, max_size=4), seeds=st.integers(1, 3))
def test_merging_n_projects_loses_no_annotation(students: list, seeds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        base = tmp / "base.critique"
        with open_project(base, default_vocabulary=False) as p:
            f = p.repo.add_film("/f.mp4", sha256=SHA, size=1, rate=Fraction(24), frame_count=999)
            t = p.repo.add_tier("Class")
            for i in range(seeds):
                p.repo.add_annotation(
                    Annotation.create(f.id or 0, t.id or 0, FrameRange(i, i + 1), note=f"seed {i}")
                )
        paths = []
        expected: list[Annotation] = []
        for n, edits in enumerate(students):
            path = tmp / f"s{n}.critique"
            shutil.copy(base, path)
            with open_project(path) as p:
                tier = p.repo.add_tier(f"Student {n}", author=f"S{n}")
                for kind, frame, word, status in edits:
                    if kind == "new":
                        p.repo.add_annotation(
                            Annotation.create(
                                1,
                                tier.id or 0,
                                FrameRange(frame, frame + 3),
                                note=word,
                                tags=(word,),
                                author=f"S{n}",
                                status=status,
                            )
                        )
                    elif kind == "edit-seed":
                        seed = p.repo.annotations(tier_ids=[1])[frame % seeds]
                        p.repo.update_annotation(
                            seed.with_changes(note=f"{seed.note} {word}", status=status)
                        )
                expected.extend(p.repo.annotations())
            paths.append(path)
        with open_project(tmp / "teacher.critique", default_vocabulary=False) as teacher:
            summary = merge_projects(teacher, paths)
            merged = teacher.repo.annotations()

            def key(a: Annotation) -> tuple:
                return (a.range, a.note, a.tags, a.status, a.author)

            # Every student annotation is in the merged project: under its uuid, or as a
            # flagged conflicting copy of it.
            for a in expected:
                assert any(
                    key(m) == key(a) and (m.uuid == a.uuid or m.conflict_of == a.uuid)
                    for m in merged
                ), a
            assert len(merged) == summary.annotations_added + summary.conflicts
            distinct = {(a.uuid, key(a)) for a in expected}
            assert len(merged) == len(distinct)
            # A second merge of the same files adds nothing.
            again = merge_projects(teacher, paths)
            assert again.annotations_added == again.conflicts == 0
