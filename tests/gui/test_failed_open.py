"""Opening is all or nothing (issue 20): a project or film is prepared on the task runner before
the window switches; when anything fails the window stays exactly as it was (title, picture,
lanes, keys, panels, undo stack) and the previous film still steps exact frames with the arrow
keys, read back from the picture on screen."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from critique_app.domain.model import Annotation, FrameRange
from critique_app.services.films import add_film
from db.project import open_project
from tests.hostile_media import make_clips, make_mutants

K = Qt.Key
SAMPLE_STRIDE = 26  # every 26th of the 308 mutants here (12); all of them: CRITIQUE_ALL_MUTANTS=1
MUTANTS, SEED = 308, 11


def make_festival(folder: Path, film: Path, name: str = "festival") -> Path:
    """A project with one film, a tier and an annotation (a lane with a bar)."""
    path = folder / f"{name}.critique"
    with open_project(path) as project:
        added = add_film(project, film, title="Coded film")
        tier = project.repo.add_tier("Seminar", author="ines")
        project.repo.add_annotation(
            Annotation.create(added.id or 0, tier.id or 0, FrameRange(10, 20), note="drift")
        )
    return path


class State:
    """Everything a failed open must leave untouched, read from what the window shows."""

    def __init__(self, h: Any) -> None:
        w = h.window
        self.title = w.windowTitle()
        self.path = w.controller.path
        self.project = w.session.project
        self.film = w.session.film
        self.undo = w.session.undo_stack
        self.frame = w.controller.current
        self.lanes = [name for _id, name, _colour in w.timeline.canvas.tiers]
        self.rows = w.annotations.table.model.rowCount()
        self.badge = w.transport.badge.text()
        self.picture = w.video.picture.index

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"State({vars(self)})"


@pytest.fixture
def on_festival(open_window: Any, clip: Path, tmp_path: Path) -> Any:
    """A window on a project, standing on frame 5 of its film (exact), with one lane."""
    h = open_window(make_festival(tmp_path, clip))
    for _ in range(5):
        h.key(K.Key_Right)
    h.at(5)
    before = State(h)
    assert before.lanes == ["Seminar"] and before.rows == 1 and "festival" in before.title
    return h


def fails_and_stays(h: Any, open_it: Any) -> str:
    """Open something that fails: afterwards nothing changed, and → ← step exact frames."""
    before = State(h)
    open_it()
    h.opened()
    message = h.window.statusBar().currentMessage()
    assert message and "Traceback" not in message
    assert State(h) == before, message
    h.key(K.Key_Right)
    h.at(before.frame + 1)  # the frame number shown and the frame code on screen agree
    h.key(K.Key_Left)
    h.key(K.Key_Left)
    h.at(before.frame - 1)
    return message


def test_a_text_file_named_mp4_changes_nothing(on_festival: Any, tmp_path: Path) -> None:
    fake = tmp_path / "fake.mp4"
    fake.write_text("this is not a film\n" * 50)
    message = fails_and_stays(on_festival, lambda: on_festival.window.open_path(fake))
    assert "fake.mp4" in message
    assert "fake.mp4" not in on_festival.window.windowTitle()


def test_a_missing_film_changes_nothing(on_festival: Any, tmp_path: Path) -> None:
    h = on_festival
    message = fails_and_stays(h, lambda: h.window.open_path(tmp_path / "gone.mp4"))
    assert "does not exist" in message


def test_a_film_of_the_project_that_went_missing_keeps_the_film_on_screen(
    on_festival: Any, clip_2997: Path, tmp_path: Path
) -> None:
    h = on_festival
    other = tmp_path / "other.mov"
    other.write_bytes(clip_2997.read_bytes())
    added = add_film(h.window.session.project.project, other, title="Other copy")
    other.unlink()
    message = fails_and_stays(h, lambda: h.window.session.show_film(added))
    assert "not at" in message


def test_a_project_from_a_newer_version_changes_nothing(
    on_festival: Any, clip: Path, tmp_path: Path
) -> None:
    newer = make_festival(tmp_path, clip, "newer")
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 999")
    message = fails_and_stays(on_festival, lambda: on_festival.window.open_path(newer))
    assert "newer version of Critique" in message


def test_a_locked_project_changes_nothing(on_festival: Any, clip: Path, tmp_path: Path) -> None:
    locked = make_festival(tmp_path, clip, "locked")
    holder = sqlite3.connect(locked, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
        message = fails_and_stays(on_festival, lambda: on_festival.window.open_path(locked))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in message.lower() or "busy" in message.lower(), message


def test_a_folder_that_is_not_a_project_changes_nothing(on_festival: Any, tmp_path: Path) -> None:
    folder = tmp_path / "notes.critique"
    folder.mkdir()
    fails_and_stays(on_festival, lambda: on_festival.window.open_path(folder))


def test_a_text_file_named_critique_changes_nothing(on_festival: Any, tmp_path: Path) -> None:
    text = tmp_path / "essay.critique"
    text.write_text("not a database")
    message = fails_and_stays(on_festival, lambda: on_festival.window.open_path(text))
    assert "not a Critique project" in message


def test_a_film_that_opens_switches_everything_at_once(on_festival: Any, clip_2997: Path) -> None:
    """The other half of all or nothing: a bare film that opens replaces title, picture,
    lanes and project together, and its first exact frame is on screen."""
    h = on_festival
    h.window.open_path(clip_2997)
    h.opened()
    assert h.window.controller.path == clip_2997
    assert h.window.windowTitle().startswith("ntsc.mov")
    assert h.window.session.project is None and h.window.session.undo_stack is None
    assert h.window.timeline.canvas.tiers == []
    h.at(0)
    h.key(K.Key_Right)
    h.at(1)


# -- read-only projects -----------------------------------------------------------------------


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """A real tmpfs, remounted read-only by the test (root only; CI runs as root)."""
    from tests.db.test_disk_full import TinyDisk
    from tests.missing import missing

    disk = TinyDisk(tmp_path / "stick")
    if not disk.mounted:
        missing(f"a read-only disk needs a tiny mount ({disk.why}); chmod does not stop root")
    try:
        yield disk  # type: ignore[misc]
    finally:
        disk.unmount()


def test_a_read_only_project_opens_fully_and_says_so(
    on_festival: Any, clip: Path, read_only_disk: Any
) -> None:
    h = on_festival
    stick = read_only_disk.path
    path = make_festival(stick, clip, "stick")
    with open_project(path) as project:  # its own lane, to tell it from the festival's
        project.repo.add_tier("Jury", author="ana")
    read_only_disk.remount("ro")
    h.window.open_path(path)
    h.opened()
    assert h.window.session.project.read_only is not None
    assert h.window.windowTitle() == "Coded film — stick (read only) — Critique"
    assert [name for _id, name, _c in h.window.timeline.canvas.tiers] == ["Seminar", "Jury"]
    assert h.window.annotations.table.model.rowCount() == 1
    h.at(0)
    h.key(K.Key_Right)
    h.at(1)


def test_a_new_project_on_a_read_only_disk_changes_nothing(
    on_festival: Any, read_only_disk: Any
) -> None:
    read_only_disk.remount("ro")
    target = read_only_disk.path / "new.critique"
    fails_and_stays(on_festival, lambda: on_festival.window.open_path(target))
    assert not target.exists()


# -- hostile media: every mutant either opens fully or changes nothing ----------------------------


@pytest.fixture(scope="module")
def mutants(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    folder = tmp_path_factory.mktemp("hostile")
    return make_mutants(make_clips(folder), folder / "mutants", MUTANTS, SEED)


def opens_fully_or_changes_nothing(h: Any, festival: Path, mutant: Any) -> str:
    """'opened' when the mutant replaced everything, 'refused' when nothing changed."""
    before = State(h)
    h.window.open_path(mutant.path)
    h.opened()
    w = h.window
    if w.controller.path == mutant.path:  # it opened: all of it, with its first exact frame
        assert w.windowTitle().startswith(mutant.path.name)
        assert w.session.project is None and w.timeline.canvas.tiers == []
        h.settle()
        h.window.open_path(festival)  # back to the film the checks read codes from
        h.opened()
        h.at(0)
        for _ in range(before.frame):
            h.key(K.Key_Right)
        h.at(before.frame)
        return "opened"
    message = w.statusBar().currentMessage()
    assert State(h) == before, (mutant.path.name, mutant.detail, message)
    assert mutant.path.name in message, message
    h.key(K.Key_Right)
    h.at(before.frame + 1)
    h.key(K.Key_Left)
    h.at(before.frame)
    return "refused"


def _hostile_run(h: Any, festival: Path, chosen: list[Any]) -> dict[str, int]:
    outcomes: dict[str, int] = {"opened": 0, "refused": 0}
    for mutant in chosen:
        outcomes[opens_fully_or_changes_nothing(h, festival, mutant)] += 1
    return outcomes


def test_hostile_mutants_open_fully_or_change_nothing(
    open_window: Any, clip: Path, tmp_path: Path, mutants: list[Any]
) -> None:
    festival = make_festival(tmp_path, clip)
    h = open_window(festival)
    for _ in range(5):
        h.key(K.Key_Right)
    h.at(5)
    everything = os.environ.get("CRITIQUE_ALL_MUTANTS") == "1"
    chosen = mutants if everything else mutants[::SAMPLE_STRIDE]
    outcomes = _hostile_run(h, festival, chosen)
    print(f"hostile mutants in the window: {outcomes} of {len(chosen)}")
    assert outcomes["refused"] > 0  # the sample holds files that cannot be shown
