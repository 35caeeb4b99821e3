"""Changes, not reloads (issue 26): in a window on a project of a few thousand annotations, a
new annotation (Shift+N), a note typed, a delete, their undos and redos move only what they
changed, and the window then shows exactly what a fresh read of the project shows: the table's
rows, the timeline's bars and the ↑/↓ stops. No whole listing or film is read again for them
(the table's and the timeline's reload counters stay where opening left them), so a forced
reload fails here as surely as a missed change does.

Another program's edit (read again on purpose, the one case that reloads) landing while the
window edits during a search must end in the same rows as a fresh read too: an earlier attempt
left the table one row short after a delete during a search."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from critique_app.domain import commands as cmd
from critique_app.domain.model import Annotation, Category, FrameRange
from critique_app.gui.annotate import annotation_table
from critique_app.gui.timeline.timeline_presenter import bar_for
from critique_app.gui.timeline.timeline_rows import pack_rows
from db.project import open_project
from tests.gui.annotation_projects import make_project

K, SHIFT = Qt.Key, Qt.KeyboardModifier.ShiftModifier
MANY = 3000
WORDS = ("mirror", "door", "light", "hands", "window", "morning")


def crowded_project(folder: Path, clip: Path) -> Path:
    """The small study project with MANY more annotations over its two tiers and 120 frames,
    each with a note of two words to search for."""
    path = make_project(folder, clip)
    rng = random.Random(26)
    with open_project(path) as project:
        repo = project.repo
        film = repo.films()[0]
        tiers = [t.id for t in repo.tiers()]
        made = []
        for n in range(MANY):
            start = rng.randrange(0, 110)
            made.append(
                Annotation.create(
                    film.id,
                    rng.choice(tiers),
                    FrameRange(start, min(119, start + rng.randrange(0, 12))),
                    note=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}",
                    author="Anna",
                )
            )
        with project.db.atomic():
            repo.insert_annotations(made)
    return path


def reloads(h: Any) -> tuple[int, int]:
    """Whole listings the table queried and whole films the timeline read, so far."""
    return h.window.annotations.table.model.reloads, h.window.tracks.reloads


def bars_read_afresh(h: Any) -> dict[int, tuple[Any, ...]]:
    project, film = h.window.session.project, h.window.session.film
    categories: dict[int | None, Category] = {c.id: c for c in project.categories()}
    return {
        bar.id: (bar.tier_id, bar.start, bar.end, bar.color, bar.label)
        for bar in (bar_for(a, categories) for a in project.annotations(film_id=film.id))
    }


def assert_as_read_afresh(h: Any) -> None:
    """Table rows, timeline bars and stops: what a fresh read of the project gives (once
    the timeline's tracks, read again on a worker after another program's edit, arrived)."""
    h.tracks_read()
    table = h.window.annotations.table
    model = table.model
    listed = model.bound.annotation_ids(**model._filter_args())
    assert model.ids == listed[: len(model.ids)]
    if not model.canFetchMore():
        assert model.ids == listed
    assert model.matches == len(listed)
    assert model.in_project == model.bound.count_annotations()
    for row in (0, len(model.ids) // 2, len(model.ids) - 1):  # rows read again are current
        if 0 <= row < len(model.ids):
            assert model.annotation(row) == model.bound.annotation(model.ids[row])
    canvas = h.window.timeline.canvas
    drawn = {
        bar.id: (bar.tier_id, bar.start, bar.end, bar.color, bar.label)
        for bars in canvas.all_bars()
        for bar in bars
    }
    fresh = bars_read_afresh(h)
    assert drawn == fresh
    for bars in canvas.all_bars():  # the sub-rows a packing of everything gives
        listed = sorted(bars, key=lambda b: (b.start, b.end, b.id))
        assert [b.row for b in listed] == pack_rows([(b.start, b.end) for b in listed])
    stops = {edge for _tier, start, end, _c, _l in fresh.values() for edge in (start, end)}
    project, film = h.window.session.project, h.window.session.film
    stops |= {m.frame for m in project.markers(film.id)}
    assert h.controller.marks.stops == sorted(stops)


def test_edits_undos_and_redos_change_only_what_they_touched(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(crowded_project(tmp_path, clip))
    tools, stack = h.window.annotations, h.window.session.undo_stack
    assert tools.table.model.matches >= MANY  # listed a page at a time
    opened = reloads(h)

    def step() -> None:
        h.qtbot.wait(1)
        assert_as_read_afresh(h)
        assert reloads(h) == opened

    h.controller.show_frame(57)
    h.settle()
    h.key(K.Key_N, SHIFT)  # a new annotation on the frame on screen
    new = tools.selected_id
    assert new is not None and h.window.session.project.annotation(new).range == FrameRange(57, 57)
    step()
    stack.push(cmd.set_note(new, "door light (new)"))
    step()
    assert tools.table.model.annotation(tools.table.model.row_of(new)).note == "door light (new)"
    victim = tools.table.model.ids[len(tools.table.model.ids) // 3]
    tools.delete(victim)
    assert tools.table.model.row_of(victim) is None
    step()
    for _ in range(3):  # the delete, the note, the new annotation taken back
        stack.undo()
        step()
    assert tools.table.model.row_of(new) is None
    for _ in range(3):
        stack.redo()
        step()
    assert tools.table.model.row_of(victim) is None
    assert h.window.session.project.annotation(new).note == "door light (new)"


@pytest.mark.parametrize("outside", ["deletes", "adds"])
def test_another_programs_edit_during_a_search_and_an_edit_end_as_a_fresh_read(
    open_window: Any,
    clip: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    outside: str,
) -> None:
    """A search listed a window of its hits; another program deletes (or adds) a hit the
    window lists, and before the window hears of it the student deletes another listed hit.
    Then undo and redo: the rows are a fresh read's, never one short."""
    monkeypatch.setattr(annotation_table, "WINDOW", 40)  # the hits come in windows
    path = crowded_project(tmp_path, clip)
    h = open_window(path)
    table, stack = h.window.annotations.table, h.window.session.undo_stack
    h.window.outside.stop()  # the window looks when its own edit lands (deterministic)
    table.search.setText("door")
    table.search.returnPressed.emit()
    h.qtbot.waitUntil(lambda: not table.searching)  # on the window's task runner
    model = table.model
    assert model.canFetchMore() and len(model.ids) == 40
    listed = list(model.ids)
    with open_project(path) as other:  # another program, on its own connection
        if outside == "deletes":
            other.repo.delete_annotation(listed[10])
        else:
            film, tier = other.repo.films()[0], other.repo.tiers()[0]
            other.repo.add_annotation(
                Annotation.create(film.id, tier.id, FrameRange(0, 0), note="door ajar")
            )
    h.window.annotations.delete(listed[20])
    h.qtbot.wait(1)
    assert_as_read_afresh(h)
    assert model.row_of(listed[20]) is None
    heard = reloads(h)  # the other program's edit read again: the one reload allowed
    stack.undo()
    h.qtbot.wait(1)
    assert_as_read_afresh(h)
    assert model.row_of(listed[20]) is not None
    stack.redo()
    h.qtbot.wait(1)
    assert_as_read_afresh(h)
    assert reloads(h) == heard
    while model.canFetchMore():
        model.fetchMore()  # on the window's task runner
        h.qtbot.waitUntil(lambda: not model.fetching)
    assert model.ids == model.bound.annotation_ids(**model._filter_args())


def test_an_import_read_in_before_its_step_arrives_is_not_counted_twice(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's worker has committed its cues on its own connection; before its step
    reaches the window's undo stack, the student deletes a hit of a search, and the window
    (seeing the file moved) reads the annotations again, the imported ones with them. Then
    the step arrives: the rows and the count are a fresh read's; undo and redo too."""
    from critique_app.progress import NO_PROGRESS
    from critique_app.services.import_annotations import import_in_background

    monkeypatch.setattr(annotation_table, "WINDOW", 40)
    path = crowded_project(tmp_path, clip)
    h = open_window(path)
    table, stack = h.window.annotations.table, h.window.session.undo_stack
    h.window.outside.stop()
    table.search.setText("door")
    table.search.returnPressed.emit()
    h.qtbot.waitUntil(lambda: not table.searching)  # on the window's task runner
    model = table.model
    cues = tmp_path / "cues.srt"
    cues.write_text(
        "".join(
            f"{n}\n00:00:0{n // 4},{(n % 4) * 250:03d} --> 00:00:0{n // 4},{(n % 4) * 250 + 200:03d}"
            f"\ndoor {n}\n\n"
            for n in range(1, 17)
        ),
        encoding="utf-8",
    )
    imported = import_in_background(NO_PROGRESS, path, cues, h.window.session.film.id)
    assert imported.command is not None  # what the worker hands to the window
    searched = reloads(h)
    h.window.annotations.delete(model.ids[5])
    assert reloads(h)[1] > searched[1]  # the file moved: read again, the import with it
    stack.record(imported.command, imported.change)  # the worker's step arrives
    h.qtbot.wait(1)
    assert_as_read_afresh(h)
    heard = reloads(h)
    stack.undo()  # the import taken back
    h.qtbot.wait(1)
    assert_as_read_afresh(h)
    stack.undo()  # the delete
    h.qtbot.wait(1)
    assert_as_read_afresh(h)
    stack.redo()
    stack.redo()
    h.qtbot.wait(1)
    assert_as_read_afresh(h)
    assert reloads(h) == heard


def test_an_import_of_many_cues_lists_the_table_afresh_and_its_undo_too(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond a hundred rows an edit does not place its rows one by one (an import of 73,000
    cues froze the window for minutes, a bisection and a copy of every key per row): the table
    is listed once again, with the rows and counts of a fresh read; its undo the same."""
    from critique_app.progress import NO_PROGRESS
    from critique_app.services.import_annotations import import_in_background

    path = crowded_project(tmp_path, clip)
    h = open_window(path)
    h.window.outside.stop()  # the import's own commit is not another program's edit here
    stack, model = h.window.session.undo_stack, h.window.annotations.table.model
    cues = tmp_path / "many.vtt"  # at the film's end: behind the rows listed so far
    many = annotation_table.MANY_EDITED + 50
    cues.write_text(
        "WEBVTT\n\n"
        + "".join(
            f"00:00:04.{900 + n % 50:03d} --> 00:00:04.990\ncue {n}\n\n" for n in range(many)
        ),
        encoding="utf-8",
    )
    placed: list[int] = []
    place = model._bisect_row

    def placing(annotation_id: int, *args: Any) -> int | None:
        placed.append(annotation_id)
        return place(annotation_id, *args)

    monkeypatch.setattr(model, "_bisect_row", placing)
    before = model.in_project
    imported = import_in_background(NO_PROGRESS, path, cues, h.window.session.film.id)
    assert imported.command is not None
    listed = reloads(h)[0]
    stack.record(imported.command, imported.change)  # the worker's step reaches the window
    h.qtbot.wait(1)
    assert reloads(h)[0] > listed and placed == []  # listed again, not a row at a time
    assert model.in_project == before + many
    assert_as_read_afresh(h)
    stack.undo()
    h.qtbot.wait(1)
    assert placed == []
    assert model.in_project == before
    assert_as_read_afresh(h)
