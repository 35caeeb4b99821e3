"""Opening a big project reads only what the first screen shows (issue 26): the timeline's
tracks are read and packed on a worker. Once they arrive they are what a fresh full read of
the project draws; an edit made while they load is still on them after they arrive (whether the
worker read before or after it); a project switched to while they load drops them, and the
read leaves no thread behind."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from critique_app.domain.model import Category, FrameRange
from critique_app.gui.timeline import timeline_presenter
from critique_app.gui.timeline.timeline import TimelineCanvas
from critique_app.gui.timeline.timeline_presenter import bar_for
from tests.gui.annotation_projects import make_project
from tests.gui.test_edit_changes import crowded_project

HANG_GUARD_S = 60.0  # a guard against a hung worker, not a time bound


def drawn(canvas: TimelineCanvas) -> Any:
    """The bars as the canvas packs and draws them, and its lanes."""
    return (
        [
            (tier, y, h, [(b.id, b.start, b.end, b.row, b.color, b.label) for b in bars])
            for tier, y, h, bars in canvas._lines
        ],
        {t: [b.id for b in bars] for t, bars in canvas._bars.items() if bars},
        canvas.lanes["markers"].spans,
    )


def fresh(h: Any) -> tuple[Any, list[int]]:
    """What a canvas shows of the film on screen from a full read of annotations as domain
    objects on the window's own connection, and the ↑/↓ stops such a read gives."""
    project, film = h.window.session.project, h.window.session.film
    categories: dict[int | None, Category] = {c.id: c for c in project.categories()}
    bars = [bar_for(a, categories) for a in project.annotations(film_id=film.id)]
    canvas = TimelineCanvas()
    canvas.set_tracks([(t.id, t.name, t.color) for t in project.tiers() if t.visible], bars)
    canvas.set_lane("markers", [])
    stops = sorted({b.start for b in bars} | {b.end for b in bars})
    return drawn(canvas), stops


def assert_as_read_afresh(h: Any) -> None:
    shown, stops = fresh(h)
    assert drawn(h.window.timeline.canvas) == shown
    assert list(h.controller.marks.stops) == stops
    assert h.window.timeline.canvas.waiting is None


def test_tracks_read_on_a_worker_are_a_fresh_full_read(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(crowded_project(tmp_path, clip))
    assert not h.window.tracks.loading
    assert sum(len(b) for b in h.window.timeline.canvas.all_bars()) > 3000
    assert_as_read_afresh(h)


class Gate:
    """Holds the worker's read of one project's tracks until the test lets it go: before the
    read (`read_first=False`) or after it (the worker then returns what it read earlier)."""

    def __init__(self, request: pytest.FixtureRequest, path: Path, read_first: bool) -> None:
        self.read, self.go = threading.Event(), threading.Event()
        request.addfinalizer(self.go.set)  # a failed test never leaves the worker waiting
        monkeypatch = request.getfixturevalue("monkeypatch")
        real = timeline_presenter._read_tracks_of

        def held(progress: Any, project_path: Path, film_id: int) -> Any:
            if Path(project_path) != path:
                return real(progress, project_path, film_id)
            result = real(progress, project_path, film_id) if read_first else None
            self.read.set()
            assert self.go.wait(HANG_GUARD_S)
            return result if read_first else real(progress, project_path, film_id)

        monkeypatch.setattr(timeline_presenter, "_read_tracks_of", held)


@pytest.mark.parametrize("read_first", [True, False], ids=["read-before-edit", "read-after"])
def test_an_edit_made_while_the_tracks_load_is_kept(
    open_window: Any, clip: Path, tmp_path: Path, request: pytest.FixtureRequest, read_first: bool
) -> None:
    path = crowded_project(tmp_path, clip)
    gate = Gate(request, path, read_first)
    h = open_window(None)
    switched: list[bool] = []

    def at_once(_path: Path) -> None:  # the switch just happened: nothing arrived yet
        switched.append(h.window.tracks.loading and bool(h.window.timeline.canvas.waiting))

    h.window.session.project_switched.connect(at_once)
    h.window.open_path(path)
    h.qtbot.waitUntil(gate.read.is_set)  # the window paints, then the worker reads
    assert switched == [True]  # the lanes said they were loading
    assert h.window.tracks.loading
    tier = h.window.session.project.tiers()[0].id
    made = [h.window.annotations.create(FrameRange(3, 17), tier_id=tier, note="late")]
    gate.go.set()
    h.opened()
    assert made and made[0] is not None
    bar = h.window.timeline.canvas.bar_of(made[0])
    assert bar is not None and (bar.start, bar.end) == (3, 17)
    assert_as_read_afresh(h)
    h.window.session.undo_stack.undo()  # and the edit goes on as any edit
    assert h.window.timeline.canvas.bar_of(made[0]) is None
    assert_as_read_afresh(h)


def test_switching_project_while_the_tracks_load_drops_them(
    open_window: Any, clip: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    big = crowded_project(tmp_path, clip)
    other = tmp_path / "other"
    other.mkdir()
    small = make_project(other, clip)
    gate = Gate(request, big, read_first=True)
    h = open_window(None)
    held: list[Any] = []

    def switch_at_once(path: Path) -> None:
        if path == big:
            held.append(h.window.tracks.tracks_task)
            h.window.open_path(small)

    h.window.session.project_switched.connect(switch_at_once)
    h.window.open_path(big)
    h.qtbot.waitUntil(lambda: h.window.session.opening is None and bool(held))
    h.qtbot.waitUntil(lambda: h.window.session.project.path == small)
    h.tracks_read()
    late = held[0]
    assert late is not None and late.dropped  # cancelled with the project it was read for
    gate.go.set()  # its read ends now, too late for anyone
    assert late.wait(HANG_GUARD_S)
    h.qtbot.waitUntil(lambda: late.delivered)
    assert_as_read_afresh(h)  # the small project's bars, not the big one's
    assert sum(len(b) for b in h.window.timeline.canvas.all_bars()) == 4
    assert not [t for t in threading.enumerate() if t.name.startswith("task:Reading")]
