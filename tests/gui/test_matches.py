"""Perceptual matches in the window, on a real project: a still taken from a generated film
goes into the reference library, Find matches (on a worker) finds the passage, the timeline's
match lane and the Matches list show it, a click on the lane lands on its first frame, one
click turns it into an annotation (evidence "perceptual match"), Ctrl+Z takes it away, and a
reopened project shows the stored match again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import QPoint, Qt

from critique_app.gui.timeline.timeline import LANE, RULER, THUMBS
from critique_app.services.films import add_film
from db.fingerprint_store import library_items
from db.project import open_project
from tests.fingerprint import material as m

K = Qt.Key
LEFT = Qt.MouseButton.LeftButton
SHOT = m.STILL_SHOT  # the frames of the middle shot, the one the still comes from


@pytest.fixture(scope="module")
def film_and_still(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three shots (64 frames, 320x180); the still is the exact frame 31 of the middle one."""
    return m.festival_copy_and_still(tmp_path_factory.mktemp("matches"))


def jury_project(tmp_path: Path, film: Path) -> Path:
    """A new project with the festival copy in it."""
    path = tmp_path / "jury.critique"
    with open_project(path) as project:
        add_film(project, film, title="Festival copy")
    return path


def annotations_on_disk(path: Path) -> list[tuple[int, int, str | None, str | None, str]]:
    with open_project(path) as project:
        cats = {c.id: c.key for c in project.repo.categories()}
        return [
            (a.range.start, a.range.end, a.evidence, cats.get(a.category_id or -1), a.note)
            for a in project.repo.annotations()
        ]


def test_find_look_annotate_undo_and_reopen(
    open_window: Any, film_and_still: tuple[Path, Path], tmp_path: Path
) -> None:
    film, still = film_and_still
    path = jury_project(tmp_path, film)
    h = open_window(path)
    window, dock = h.window, h.window.matches

    assert dock.find_matches() is None  # nothing to match against yet: said, not attempted
    assert "library is empty" in window.statusBar().currentMessage()
    added = dock.add_to_library([str(still)])
    h.qtbot.waitUntil(lambda: added.delivered, timeout=20_000)  # its message shown (not only ended)
    with open_project(path) as project:
        assert [i.label for i in library_items(project.db)] == ["generator output"]

    task = dock.find_matches()
    assert task is not None and window.taskbar.isVisible()  # progress and Cancel while it runs
    h.qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    h.qtbot.waitUntil(lambda: dock.panel is not None and dock.panel.table.rowCount() == 1)
    panel = dock.panel
    (match,) = dock.matches
    start, end = match.segment.start, match.segment.end
    assert SHOT[0] <= start <= 31 <= end <= SHOT[1] and end - start >= 15
    assert window.timeline.canvas.lanes["matches"].spans == [
        (start, end, "#e0637a", "generator output")
    ]
    row = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    assert row[0] == "generator output" and row[3] == "still" and row[4] == "as is"
    assert row[5].startswith("Shows the library still for ")  # one sentence, as `match` says
    shown_film = window.session.film
    assert row[1] == f"{shown_film.timecode(start)} – {shown_film.timecode(end)}"
    assert row[1].startswith("00:00:00:20")  # the SMPTE of frame 20 at 24 fps
    s = match.segment
    assert row[2] == f"{s.median_distance:g} / {s.worst_distance} (≤ {s.threshold})"
    assert s.median_distance <= s.worst_distance <= s.threshold

    # a click on the match lane lands exactly on the match's first frame, marked in -> out
    canvas = window.timeline.canvas
    lane_y = RULER + THUMBS + LANE * list(canvas.lanes).index("matches") + LANE // 2
    h.qtbot.mouseClick(canvas, LEFT, pos=QPoint(round(canvas.x_of((start + end) / 2)), lane_y))
    assert h.settle() == start and window.shown_picture_index() == start  # the exact frame
    assert (h.controller.in_mark, h.controller.out_mark) == (start, end)
    assert "generator output" in window.statusBar().currentMessage()
    assert panel.table.currentRow() == 0
    # the selected match's reading in full under the list (its column is cut in the dock)
    assert panel.reading.isVisible() and panel.reading.wordWrap()
    assert panel.reading.text() == f"generator output, still: {row[5]}"

    # one click: an annotation on exactly those frames, evidence and category from provenance
    assert panel.annotate_button.isEnabled()
    h.qtbot.mouseClick(panel.annotate_button, LEFT)
    ((a_start, a_end, evidence, category, note),) = annotations_on_disk(path)
    assert (a_start, a_end, evidence) == (start, end, "perceptual match")
    assert category == "provenance.evidence.perceptual-match"
    assert "generator output" in note and f"{match.segment.matched_frames} frames" in note
    assert note.endswith(" " + row[5])  # how the passage shows the item, as the list says
    assert not panel.annotate_button.isEnabled()  # not twice
    assert "annotation #" in panel.table.item(0, 0).text()
    assert window.annotations.table.model.rowCount() == 1

    h.key(K.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert annotations_on_disk(path) == []
    assert panel.annotate_button.isEnabled()
    assert panel.table.item(0, 0).text() == "generator output"
    window.close()

    # the stored match comes back with the project: lane at once, list with the same numbers
    again = open_window(path)
    assert again.window.timeline.canvas.lanes["matches"].spans[0][:2] == (start, end)
    again.window.matches.actions["show_matches"].trigger()
    h.qtbot.waitUntil(lambda: len(again.window.matches.matches) == 1, timeout=10_000)
    assert again.window.matches.matches[0].segment == match.segment


def test_the_list_says_what_older_hashes_did_not_search(
    open_window: Any,
    film_and_still: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A library item stored by an earlier version (no re-frame slices): the Matches list
    says so in the very sentence `match` prints, read back and after Find matches."""
    from critique_app.cli import main
    from tests.fingerprint.earlier_versions import add_as_before_re_frames

    film, still = film_and_still
    path = tmp_path / "older.critique"
    with open_project(path) as project:
        add_film(project, film, title="Festival copy")
        add_as_before_re_frames(project.db, still, "generator output")
    capsys.readouterr()
    assert main(["match", str(film), "--project", str(path)]) == 0
    said = [
        line.removeprefix("critique-app: ")
        for line in capsys.readouterr().err.splitlines()
        if "re-framed copies" in line
    ]
    assert len(said) == 1 and said[0].startswith("1 library item was added before")

    h = open_window(path)
    dock = h.window.matches
    dock.actions["show_matches"].trigger()
    h.qtbot.waitUntil(lambda: dock.panel is not None and dock.panel.table.rowCount() == 1)
    label = dock.panel.not_searched
    assert label.text() == said[0] and label.isVisibleTo(dock.panel)

    dock.panel.clear("")  # a film switch empties it; Find matches says it again
    assert not label.isVisibleTo(dock.panel)
    task = dock.find_matches()
    assert task is not None
    h.qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    h.qtbot.waitUntil(lambda: dock.panel.table.rowCount() == 1)
    assert label.text() == said[0] and label.isVisibleTo(dock.panel)


def test_an_item_too_plain_to_be_found_is_said_when_added_and_beside_the_matches(
    open_window: Any,
    film_and_still: tuple[Path, Path],
    provenance_corpus: Path,
    tmp_path: Path,
) -> None:
    """The C2PA corpus's smooth gradient (c2pa-rs/C.jpg) added beside a still that is found:
    the window keeps saying that no copy of it can be found, and the Matches panel says it
    beside the match."""
    film, still = film_and_still
    path = jury_project(tmp_path, film)
    h = open_window(path)
    window, dock = h.window, h.window.matches
    gradient = provenance_corpus / "c2pa-rs" / "C.jpg"
    added = dock.add_to_library([str(still), str(gradient)])
    h.qtbot.waitUntil(lambda: added.delivered, timeout=20_000)  # its message shown (not only ended)
    said = (
        "“C” is too plain for its copies to be found (a smooth gradient or a flat colour: the "
        "least noise changes its fingerprint as much as a match allows). That no copy of it "
        "is found says nothing about it."
    )
    bar = window.statusBar()
    assert bar.currentMessage() == (
        f"2 added to the reference library. {said} Provenance ▸ Find matches looks for them."
    )

    task = dock.find_matches()
    assert task is not None
    h.qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    h.qtbot.waitUntil(lambda: dock.panel is not None and dock.panel.table.rowCount() == 1)
    assert dock.panel.not_searched.isVisibleTo(dock.panel)
    assert dock.panel.not_searched.text() == said
