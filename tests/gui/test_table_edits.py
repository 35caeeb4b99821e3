"""The annotation table after an annotation edit, its undo and its redo: only the touched rows
move, come or go (issue 26), and the table then lists exactly what a fresh query over the whole
project lists, with every filter (film, tier, category, author, status, search) and with a
search listed a window at a time. The selected row stays selected while it is still listed."""

from __future__ import annotations

import itertools
import random
import shutil
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PyQt6.QtCore import Qt
from PyQt6.QtTest import QTest

from critique_app.domain import commands as cmd
from critique_app.domain.model import STATUSES, Annotation, FrameRange
from critique_app.gui.annotate import annotation_table
from critique_app.gui.annotate.annotation_table import (
    AnnotationTable,
    AnnotationTableModel,
    TableFilters,
)
from critique_app.services.workspace import ProjectWorkspace
from db.project import open_project

AUTHORS = ("Anna", "Bruno", "Chen")
EXAMPLES = itertools.count()
NOTES = (
    "A mirror shows the wrong room.",
    "Match cut on the door.",
    "Light from two suns.",
    "Hands melt into the railing.",
    "The window frame bends.",
    "Morning light, then night.",
)
# (film index, all films?, tier index, category index, author, status, search): None = any
FILTERS = (
    (0, False, None, None, None, None, ""),
    (0, True, None, None, None, None, ""),
    (0, False, 1, None, None, None, ""),
    (1, False, None, 0, None, None, ""),
    (0, False, None, None, "Bruno", None, ""),
    (0, False, None, None, None, "observed", ""),
    (0, False, None, None, None, None, "m"),
    (0, True, None, None, None, None, "light"),
    (1, False, 2, None, None, "contested", "m"),
    (0, False, None, None, None, None, "nothing like this"),
)


@pytest.fixture(scope="module")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two films, three students' tiers, a few dozen annotations with notes to search."""
    path = tmp_path_factory.mktemp("table_edits") / "base.critique"
    rng = random.Random(26)
    with open_project(path) as project:
        repo = project.repo
        films = [
            repo.add_film(
                f"/films/{name}.mp4",
                sha256=name * 8,
                size=1000,
                rate=Fraction(24),
                frame_count=2000,
                title=name,
            )
            for name in ("Alpha", "Beta")
        ]
        tiers = [repo.add_tier(a, author=a) for a in AUTHORS]
        categories = [c.id for c in repo.categories() if c.parent_key is not None][:3]
        with project.db.atomic():
            for _ in range(40):
                t = rng.randrange(len(tiers))
                start = rng.randrange(0, 300)
                repo.add_annotation(
                    Annotation.create(
                        rng.choice(films).id or 0,
                        tiers[t].id or 0,
                        FrameRange(start, start + rng.randrange(0, 40)),
                        category_id=rng.choice([*categories, None]),
                        note=rng.choice(NOTES),
                        status=rng.choice(STATUSES),
                        author=AUTHORS[t],
                    )
                )
    return path


@pytest.fixture
def window_size() -> Iterator[None]:
    kept = annotation_table.WINDOW
    yield
    annotation_table.WINDOW = kept


def set_filters(table: AnnotationTable, ws: ProjectWorkspace, which: int) -> None:
    film, all_films, tier, category, author, status, search = FILTERS[which]
    table.all_films.setChecked(all_films)
    table.set_film(ws.films()[film].id)
    for box, value in (
        (table.tier_box, None if tier is None else ws.tiers()[tier].id),
        (table.category_box, None if category is None else ws.categories()[category].id),
        (table.author_box, author),
        (table.status_box, status),
    ):
        box.setCurrentIndex(max(0, box.findData(value)))
    table.search.setText(search)
    QTest.keyClick(table.search, Qt.Key.Key_Return)  # Enter searches without the pause


def fresh(table: AnnotationTable) -> list[int]:
    """What a query over the whole project lists for the table's filters."""
    model = table.model
    return model.bound.annotation_ids(**model._filter_args())


def edit_for(step: tuple[Any, ...], ws: ProjectWorkspace) -> cmd.Command | None:
    """The command a step stands for, on the project as it is now (None: nothing to edit)."""
    kind, pick, amount = step
    films, tiers = ws.films(), ws.tiers()
    if kind == "create":
        tier = tiers[pick % len(tiers)]
        return cmd.CreateAnnotation(
            Annotation.create(
                films[amount % 2].id or 0,
                tier.id or 0,
                FrameRange(amount, amount + 5),
                note=NOTES[pick % len(NOTES)],
                status=STATUSES[amount % len(STATUSES)],
                author=AUTHORS[pick % len(AUTHORS)],
            )
        )
    existing = ws.annotation_ids()
    if not existing:
        return None
    target = existing[pick % len(existing)]
    if kind == "move":
        return cmd.change_range(target, FrameRange(amount, amount + 3))
    if kind == "note":
        return cmd.set_note(target, NOTES[amount % len(NOTES)])
    if kind == "status":
        return cmd.set_status(target, STATUSES[amount % len(STATUSES)])
    if kind == "tier":
        return cmd.move_to_tier(target, tiers[amount % len(tiers)].id or 0)
    if kind == "category":
        cats = [c.id for c in ws.categories()]
        return cmd.set_category(target, cats[amount % len(cats)])
    return cmd.DeleteAnnotation(target)


steps = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(["create", "move", "note", "status", "tier", "category", "delete"]),
            st.integers(0, 1000),
            st.integers(0, 320),
        ),
        st.sampled_from([("undo", 0, 0), ("redo", 0, 0)]),
    ),
    max_size=20,
)


@settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.integers(0, len(FILTERS) - 1),
    window=st.sampled_from([3, 500]),
    chosen=st.integers(0, 1000),
    plan=steps,
)
def test_edits_undos_and_redos_list_what_a_fresh_query_lists(
    base_project: Path,
    tmp_path: Path,
    window_size: None,
    which: int,
    window: int,
    chosen: int,
    plan: list[tuple[Any, ...]],
) -> None:
    annotation_table.WINDOW = window  # a search of a few hits still fetches in windows
    path = tmp_path / f"example-{next(EXAMPLES)}.critique"
    shutil.copyfile(base_project, path)
    with open_project(path) as project:
        ws = ProjectWorkspace(project)
        table = AnnotationTable()
        table.resize(900, 100)  # a few rows in view: the view asks for no more than that
        try:
            table.bind(ws)
            set_filters(table, ws, which)
            model = table.model
            if model.ids:
                table.select(model.ids[chosen % len(model.ids)])
            stack = ws.new_undo_stack()

            def changed(change: cmd.Change) -> None:  # as the annotation tools pass it on
                def of(refs: tuple[cmd.Ref, ...]) -> set[int]:
                    return {i for kind, i in refs if kind == "annotation"}

                table.refresh_edit(of(change.added), of(change.modified), of(change.removed))

            stack.subscribe(changed)
            for step in plan:
                selected = table.selected_id()
                if step[0] == "undo":
                    stack.undo()
                elif step[0] == "redo":
                    stack.redo()
                elif (command := edit_for(step, ws)) is not None:
                    stack.push(command)
                expected = fresh(table)
                assert model.ids == expected[: len(model.ids)]
                assert model.rowCount() == len(model.ids)
                assert model.matches == len(expected)
                assert model.in_project == ws.count_annotations()
                if not model.canFetchMore():
                    assert model.ids == expected
                if selected is not None and selected in model.ids:
                    assert table.selected_id() == selected  # still listed: still selected
                elif selected is not None:
                    assert table.selected_id() is None
                for row in range(model.rowCount()):  # rows read again show the project's data
                    shown = model.annotation(row)
                    assert shown is not None and shown == ws.annotation(model.ids[row])
            while model.canFetchMore():
                model.fetchMore()
            assert model.ids == fresh(table)
        finally:
            table.bind(None)
            table.deleteLater()


def test_a_search_lists_a_window_then_more_as_the_view_asks(
    base_project: Path, tmp_path: Path, window_size: None, qtmodeltester: Any
) -> None:
    annotation_table.WINDOW = 4
    path = tmp_path / "study.critique"
    shutil.copyfile(base_project, path)
    with open_project(path) as project:
        ws = ProjectWorkspace(project)
        everything = ws.annotation_ids(search="m")  # the whole answer, in film order
        assert len(everything) > 12
        model = AnnotationTableModel()  # no view yet: nothing asks for more
        model.bind(ws)
        model.set_filters(TableFilters(search="m"))
        assert model.ids == everything[:4] and model.canFetchMore()
        assert model.matches == len(everything)
        model.fetchMore()
        assert model.ids == everything[:8]
        # the timeline selects a hit not listed yet: the hits up to it are listed
        assert model.reveal(everything[-1]) == len(everything) - 1
        assert model.ids == everything and not model.canFetchMore()
        model.set_filters(TableFilters(search="light"))
        qtmodeltester.check(model)  # it fetches more too
        model.bind(None)

        table = AnnotationTable()  # the view fetches as long as it has room to show rows
        try:
            table.bind(ws)
            table.all_films.setChecked(True)
            table.set_film(ws.films()[0].id)
            table.search.setText("m")
            QTest.keyClick(table.search, Qt.Key.Key_Return)
            shown = table.model.rowCount()
            assert table.model.ids == everything[:shown]
            if shown < len(everything):
                assert table.count.text() == f"{shown} of {len(everything)} shown"
            last = everything[-1]
            assert table.select(last)
            assert table.selected_id() == last and table.model.ids == everything
            total = ws.count_annotations()
            assert table.count.text() == f"{len(everything)} of {total}"
        finally:
            table.bind(None)
            table.deleteLater()
