"""The repository: what goes in comes back as the same domain objects, search stays in sync."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from critique_app.domain.model import (
    Annotation,
    Category,
    FrameRange,
    Keyframe,
    Region,
    Vocabulary,
)
from critique_app.errors import UserError
from db.project import Project, memory_project
from tests.db.helpers import film, tier


@pytest.fixture
def project() -> Project:
    return memory_project()


def _annotation(project: Project, **fields: object) -> Annotation:
    repo = project.repo
    f = repo.films()[0] if repo.films() else film(repo)
    t = repo.tiers()[0] if repo.tiers() else tier(repo)
    return Annotation.create(f.id or 0, t.id or 0, FrameRange(10, 20), **fields)


def test_film_round_trip(project: Project) -> None:
    f = film(project.repo, "Ondes", frames=1440)
    assert f.rate == Fraction(24000, 1001) and f.frame_count == 1440 and f.width == 1920
    assert project.repo.film_by_sha256(f.sha256) == f
    assert f.timecode(24) == "01:00:01:00"
    moved = project.repo.set_film_path(f.id or 0, "/elsewhere/ondes-final.mp4")
    assert moved.path == "/elsewhere/ondes-final.mp4" and moved.sha256 == f.sha256


def test_annotation_round_trip_keeps_every_field(project: Project) -> None:
    region = Region(
        "polygon",
        (
            Keyframe(10, ((0.1, 0.1), (0.4, 0.1), (0.2, 0.5))),
            Keyframe(20, ((0.3, 0.1), (0.6, 0.1), (0.4, 0.5))),
        ),
        label="sign",
    )
    a = _annotation(
        project,
        tags=["garbled text", "sign", "sign"],
        note="The *sign* reads 'OPNE'",
        status="declared",
        confidence="high",
        evidence="C2PA",
        author="Lea",
        regions=(region, Region.still("ellipse", [(0.5, 0.5), (0.9, 0.8)])),
        anchor_hashes=(0, 2**63, 2**64 - 1),
        start_pts=Fraction(10010, 24000),
        end_pts=Fraction(20020, 24000),
    )
    stored = project.repo.add_annotation(a)
    assert stored.id is not None
    assert stored == Annotation(**{**a.__dict__, "id": stored.id})
    assert stored.tags == ("garbled text", "sign")
    assert project.repo.annotation_by_uuid(a.uuid) == stored


def test_duplicate_uuid_and_dangling_film_get_sentences(project: Project) -> None:
    a = project.repo.add_annotation(_annotation(project))
    with pytest.raises(UserError, match="already in this project"):
        project.repo.add_annotation(Annotation(**{**a.__dict__, "id": None}))
    with pytest.raises(UserError, match="not in this project"):
        project.repo.add_annotation(Annotation.create(999, a.tier_id, FrameRange(0, 0)))


def test_full_text_search_follows_every_edit(project: Project) -> None:
    repo = project.repo
    a = repo.add_annotation(_annotation(project, note="Le décor se dissout", tags=["morphing"]))
    b = repo.add_annotation(_annotation(project, note="Hands with six fingers", tags=["anatomy"]))
    assert repo.search("decor") == [a.id]  # accents folded
    assert repo.search("dissout morph") == [a.id]  # all words, prefixes
    assert repo.search("finger") == [b.id]
    repo.update_annotation(a.with_changes(note="Plain shot", tags=("anatomy",)))
    assert repo.search("decor") == []
    assert sorted(repo.search("anatomy")) == sorted([a.id, b.id])
    repo.delete_annotation(b.id or 0)
    assert repo.search("finger") == [] and repo.search("anatomy") == [a.id]
    assert repo.search('"; DROP TABLE x; --') == []  # typed punctuation is not query syntax


def test_filters(project: Project) -> None:
    repo = project.repo
    f1, f2 = film(repo, "one"), film(repo, "two")
    lea, theo = tier(repo, "Lea"), tier(repo, "Theo")
    vocab = repo.save_vocabulary(
        Vocabulary("v", "V", categories=(Category("a", "A"), Category("a.b", "B", parent_key="a")))
    )
    cat = vocab.category("a.b")
    assert cat is not None and cat.id is not None
    made = []
    for i in range(12):
        made.append(
            repo.add_annotation(
                Annotation.create(
                    (f1 if i % 2 else f2).id or 0,
                    (lea if i % 3 else theo).id or 0,
                    FrameRange(i, i + 1),
                    author="Lea" if i % 3 else "Theo",
                    status="contested" if i % 4 == 0 else "observed",
                    category_id=cat.id if i < 5 else None,
                    note=f"passage {i}",
                )
            )
        )
    ids = {a.id for a in made}
    assert set(repo.annotation_ids()) == ids
    assert {a.id for a in repo.annotations(film_id=f1.id)} == {
        a.id for a in made if a.film_id == f1.id
    }
    assert {a.author for a in repo.annotations(tier_ids=[theo.id or 0])} == {"Theo"}
    assert len(repo.annotations(authors=["Lea"], statuses=["contested"])) == len(
        [a for a in made if a.author == "Lea" and a.status == "contested"]
    )
    assert len(repo.annotations(category_ids=[cat.id])) == 5
    assert repo.annotations(tier_ids=[]) == []
    assert [a.note for a in repo.annotations(search="passage 7")] == ["passage 7"]
    assert repo.authors() == ["Lea", "Theo"]


def test_relations_listed_both_ways(project: Project) -> None:
    repo = project.repo
    a = repo.add_annotation(_annotation(project))
    b = repo.add_annotation(_annotation(project))
    rel = repo.add_relation(b.id or 0, a.id or 0, "continues")
    assert repo.relations(a.id) == [rel] == repo.relations(b.id)
    assert rel.label_from(b.id or 0) == "continues" and rel.label_from(a.id or 0) == "continued by"
    assert rel.other(a.id or 0) == b.id
    with pytest.raises(UserError, match="already related"):
        repo.add_relation(b.id or 0, a.id or 0, "continues")
    with pytest.raises(UserError, match="itself"):
        repo.add_relation(a.id or 0, a.id or 0, "continues")
    repo.delete_annotation(a.id or 0)
    assert repo.relations(b.id) == []


def test_vocabulary_update_keeps_used_categories(project: Project) -> None:
    repo = project.repo
    v1 = Vocabulary(
        "v", "V", categories=(Category("x", "X"), Category("y", "Y"), Category("z", "Z"))
    )
    stored = repo.save_vocabulary(v1)
    used = stored.category("y")
    assert used is not None
    repo.add_annotation(_annotation(project, category_id=used.id))
    v2 = Vocabulary("v", "V2", categories=(Category("x", "X!", label_fr="X fr"),))
    updated = repo.save_vocabulary(v2)
    assert [c.key for c in updated.categories] == ["x", "y"]  # z unused -> gone; y kept
    assert updated.category("x") == Category(
        "x",
        "X!",
        label_fr="X fr",
        id=stored.category("x").id,  # type: ignore[union-attr]
        vocabulary_id=stored.id,
    )
    assert updated.name == "V2"


def test_markers_seminars_settings(project: Project) -> None:
    repo = project.repo
    f = film(repo)
    a = repo.add_annotation(_annotation(project))
    m = repo.add_marker(f.id or 0, 42, "cut?")
    assert repo.markers(f.id or 0) == [m]
    s = repo.add_seminar("Week 3", "Morphing")
    i1 = repo.add_seminar_item(s.id or 0, f.id or 0, FrameRange(0, 10), prompt="first")
    i2 = repo.add_seminar_item(s.id or 0, f.id or 0, a.range, annotation_id=a.id, prompt="second")
    assert [i.prompt for i in repo.seminar_items(s.id or 0)] == ["first", "second"]
    assert [i.id for i in repo.move_seminar_item(i2.id or 0, 0)] == [i2.id, i1.id]
    with pytest.raises(UserError, match="already a seminar"):
        repo.add_seminar("Week 3")
    repo.delete_annotation(a.id or 0)
    assert repo.seminar_items(s.id or 0)[0].annotation_id is None  # the passage stays
    repo.set_setting("display", {"mode": "exact", "zoom": 2})
    assert repo.setting("display") == {"mode": "exact", "zoom": 2}
    assert repo.setting("missing", 5) == 5


def test_deleting_a_film_takes_its_annotations(project: Project) -> None:
    repo = project.repo
    a = repo.add_annotation(_annotation(project, note="gone with the film"))
    repo.delete_film(a.film_id)
    assert repo.annotations() == [] and repo.search("gone") == []


def test_anchor_hashes_are_stored_only_where_the_range_is_still_the_one_hashed(
    project: Project,
) -> None:
    repo = project.repo
    kept, moved, gone = (repo.add_annotation(_annotation(project, note=n)) for n in "abc")
    assert kept.id and moved.id and gone.id
    repo.update_annotation(replace(moved, range=FrameRange(12, 20)))  # dragged meanwhile
    repo.delete_annotation(gone.id)
    hashes = (1, 2**63, 2**64 - 1)
    spans = [(a.id or 0, 10, 20, hashes) for a in (kept, moved, gone)]
    assert repo.set_anchor_hashes(spans) == 1
    stored = repo.get_annotation(kept.id)
    assert stored.anchor_hashes == hashes
    assert stored.modified_at == kept.modified_at  # derived data, not the annotator's edit
    assert repo.get_annotation(moved.id).anchor_hashes in (None, ())
