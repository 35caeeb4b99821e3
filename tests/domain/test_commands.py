"""Undo/redo in the domain, on a real SQLite project: every edit comes back exactly."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from critique_app.domain import commands as c
from critique_app.domain.model import Annotation, FrameRange, Keyframe, Region
from critique_app.errors import UserError
from db.project import Project, memory_project


def _project() -> Project:
    project = memory_project()
    repo = project.repo
    for name in ("one", "two"):
        repo.add_film(
            f"/f/{name}.mp4", sha256=name * 32, size=1, rate=Fraction(25), frame_count=500
        )
    from critique_app.domain.model import Category, Vocabulary

    repo.save_vocabulary(
        Vocabulary("v", "V", categories=(Category("a", "A"), Category("a.b", "B", parent_key="a")))
    )
    lea = repo.add_tier("Lea", author="Lea")
    a = repo.add_annotation(
        Annotation.create(1, lea.id or 0, FrameRange(5, 9), note="initial", tags=("seed",))
    )
    b = repo.add_annotation(Annotation.create(2, lea.id or 0, FrameRange(50, 50), note="second"))
    repo.add_relation(a.id or 0, b.id or 0, "continues")
    sem = repo.add_seminar("Week 1")
    repo.add_seminar_item(sem.id or 0, 1, a.range, annotation_id=a.id)
    return project


def snapshot(project: Project) -> dict[str, Any]:
    """Everything a user could see, plus the search index (as sets of words)."""
    repo = project.repo
    fts = {
        row[0]: (row[1], sorted((row[2] or "").split()))
        for row in project.db.execute("SELECT rowid, note, tags FROM annotations_fts")
    }
    seminars = [
        (i.id, i.annotation_id, i.range)
        for s in repo.seminars()
        for i in repo.seminar_items(s.id or 0)
    ]
    return {
        "tiers": repo.tiers(),
        "annotations": repo.annotations(),
        "relations": repo.relations(),
        "fts": fts,
        "seminars": seminars,
    }


words = st.sampled_from(["morph", "drift", "hands", "sign", "décor", "flicker", "sheen"])
point = st.tuples(st.floats(0, 1), st.floats(0, 1))
regions = st.lists(
    st.builds(lambda p, q: Region.still("rectangle", [p, q]), point, point), max_size=2
)
operations = st.lists(
    st.tuples(
        st.sampled_from(
            # Creations weigh more so that later edits have something to work on.
            ["create"] * 4
            + ["relate"] * 3
            + ["range", "tags", "note", "status", "confidence", "category", "regions"]
            + ["keyframed", "unrelate", "delete", "tier", "rename_tier", "hide_tier"]
            + ["delete_tier", "move_tier", "typing", "typing"]
        ),
        st.integers(0, 1000),
        st.integers(0, 1000),
        st.lists(words, max_size=3),
        regions,
    ),
    min_size=1,
    max_size=25,
)


def command_for(
    project: Project, op: tuple[str, int, int, list[str], list[Region]]
) -> c.Command | None:
    kind, x, y, tags, regs = op
    repo = project.repo
    anns = repo.annotations()
    tiers = repo.tiers()
    pick = anns[x % len(anns)] if anns else None
    if kind == "create" and not tiers:
        return c.CreateTier(f"tier {x}")
    if kind == "create":
        t = tiers[x % len(tiers)]
        start = y % 400
        return c.CreateAnnotation(
            Annotation.create(
                1 + x % 2,
                t.id or 0,
                FrameRange(start, start + x % 30),
                note=" ".join(tags),
                tags=tuple(tags),
                regions=tuple(regs),
            )
        )
    if kind == "tier":
        return c.CreateTier(f"tier {x}", author=f"author {y % 3}")
    if kind in ("rename_tier", "hide_tier", "delete_tier") and tiers:
        t = tiers[y % len(tiers)]
        if kind == "rename_tier":
            return c.EditTier(t.id or 0, {"name": f"renamed {x}", "color": "#ff0000"})
        if kind == "hide_tier":
            return c.EditTier(t.id or 0, {"visible": not t.visible})
        return c.DeleteTier(t.id or 0)
    if pick is None or pick.id is None:
        return None
    if kind == "range":
        start = y % 400
        return c.change_range(
            pick.id,
            FrameRange(start, start + x % 20),
            start_pts=Fraction(start, 25),
            end_pts=Fraction(start + x % 20, 25),
        )
    if kind == "tags":
        return c.set_tags(pick.id, tags)
    if kind in ("note", "typing"):
        return c.set_note(pick.id, pick.note + " " + " ".join(tags), typing=kind == "typing")
    if kind == "status":
        return c.set_status(pick.id, ("declared", "observed", "contested")[y % 3])
    if kind == "confidence":
        return c.set_confidence(pick.id, ("low", "medium", "high")[y % 3])
    if kind == "category":
        cats = repo.categories()
        return c.set_category(pick.id, None if y % 3 == 0 else cats[y % len(cats)].id)
    if kind == "regions":
        return c.set_regions(pick.id, regs)
    if kind == "keyframed":
        moving = Region(
            "ellipse",
            (
                Keyframe(pick.range.start, ((0.1, 0.1), (0.2, 0.2))),
                Keyframe(pick.range.start + 10, ((0.5, 0.5), (0.9, 0.7))),
            ),
        )
        return c.set_regions(pick.id, [*pick.regions, moving], "Add region")
    if kind == "relate" and len(anns) > 1:
        other = anns[y % len(anns)]
        return c.AddRelation(pick.id, other.id or 0, ("continues", "counter-reading of")[y % 2])
    if kind == "unrelate":
        rels = repo.relations()
        return c.RemoveRelation(rels[y % len(rels)]) if rels else None
    if kind == "delete":
        return c.DeleteAnnotation(pick.id)
    if kind == "move_tier" and tiers:
        return c.move_to_tier(pick.id, tiers[y % len(tiers)].id or 0)
    return None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_undo_all_restores_the_start_and_redo_all_the_end(ops: list[Any]) -> None:
    project = _project()
    stack = c.UndoStack(project.repo)
    initial = snapshot(project)
    for op in ops:
        command = command_for(project, op)
        if command is None:
            continue
        try:
            stack.push(command)
        except UserError:
            pass  # refused edits (self-relation, duplicate...) change nothing and are not kept
    final = snapshot(project)
    while stack.can_undo:
        stack.undo()
    assert snapshot(project) == initial
    while stack.can_redo:
        stack.redo()
    assert snapshot(project) == final
    project.close()


def test_changes_say_what_to_redraw_and_labels_name_the_edit() -> None:
    project = _project()
    stack = c.UndoStack(project.repo)
    heard: list[c.Change] = []
    stack.subscribe(heard.append)
    a = project.repo.annotations()[0]
    change = stack.push(c.change_range(a.id or 0, FrameRange(100, 120)))
    assert change.modified == (("annotation", a.id),) and change.label == "Change range"
    assert stack.undo_label == "Change range"
    deleted = stack.push(c.DeleteAnnotation(a.id or 0))
    assert ("annotation", a.id) in deleted.removed
    assert any(kind == "relation" for kind, _ in deleted.removed)
    undone = stack.undo()
    assert undone is not None and ("annotation", a.id) in undone.added
    restored = project.repo.get_annotation(a.id or 0)
    assert restored.range == FrameRange(100, 120) and restored.uuid == a.uuid
    assert len(project.repo.relations(a.id)) == 1  # the relation came back too
    assert heard[-1] == undone and stack.redo_label == "Delete annotation"


def test_typing_in_a_note_is_one_undo_step() -> None:
    project = _project()
    stack = c.UndoStack(project.repo)
    a = project.repo.annotations()[0]
    for text in ("T", "Th", "The", "The sign"):
        stack.push(c.set_note(a.id or 0, text, typing=True))
    stack.push(c.set_status(a.id or 0, "contested"))
    assert len(stack) == 2
    stack.undo()
    assert project.repo.get_annotation(a.id or 0).note == "The sign"
    stack.undo()
    assert project.repo.get_annotation(a.id or 0).note == "initial"
    assert project.repo.search("sign") == []


def test_a_refused_edit_is_not_remembered() -> None:
    project = _project()
    stack = c.UndoStack(project.repo)
    a = project.repo.annotations()[0]
    with pytest.raises(UserError):
        stack.push(c.AddRelation(a.id or 0, a.id or 0, "continues"))
    assert not stack.can_undo


def test_a_project_file_carries_its_undo_history(tmp_path) -> None:
    from db.project import open_project

    with open_project(tmp_path / "p.critique") as project:
        f = project.repo.add_film(
            "/f.mp4", sha256="a" * 64, size=1, rate=Fraction(24), frame_count=9
        )
        created = c.CreateTier("Lea")
        project.undo.push(created)
        project.undo.push(
            c.CreateAnnotation(Annotation.create(f.id or 0, created.tier_id or 0, FrameRange(1, 2)))
        )
        assert len(project.repo.annotations()) == 1
        project.undo.undo()
        project.undo.undo()
        assert project.repo.tiers() == [] and project.repo.annotations() == []
        project.undo.redo()
        project.undo.redo()
        assert [t.name for t in project.repo.tiers()] == ["Lea"]
    with open_project(tmp_path / "p.critique") as again:  # every step was saved at once
        assert len(again.repo.annotations()) == 1
