"""Another process writes into the project the window has open (a terminal command, a
screening client): the window shows it within a second, keeps the selection, and keeps the
note being typed. Real processes, real SQLite file; the window offscreen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from db.project import open_project
from tests.gui.annotation_projects import make_project

ADD_IN_ANOTHER_PROCESS = """
import sys
from critique_app.domain.model import Annotation, FrameRange
from db.project import open_project
with open_project(sys.argv[1]) as p:
    film = p.repo.films()[0]
    tier = p.repo.tiers()[0]
    p.repo.add_annotation(Annotation.create(film.id, tier.id, FrameRange(40, 44),
        note=sys.argv[2], author="terminal"))
    p.repo.add_tier(sys.argv[3], author="terminal")
"""


def _terminal(path: Path, note: str, tier: str) -> None:
    subprocess.run(
        [sys.executable, "-c", ADD_IN_ANOTHER_PROCESS, str(path), note, tier],
        check=True,
        timeout=120,
    )


def test_the_window_shows_what_another_process_wrote(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    bench = h.window.annotations
    rows_before = bench.table.model.rowCount()
    first = bench.table.model.ids[0]
    bench.select(first)
    h.qtbot.waitUntil(lambda: bench.editor.annotation is not None)
    h.qtbot.keyClicks(bench.editor.note, " typed while the terminal works")
    typed = bench.editor.note.toPlainText()

    _terminal(path, "added from a terminal", "Terminal tier")

    h.qtbot.waitUntil(lambda: bench.table.model.rowCount() == rows_before + 1, timeout=10_000)
    assert "Terminal tier" in [t.name for t in h.window.session.project.tiers()]
    assert "Terminal tier" in [
        bench.editor.tier.itemText(i) for i in range(bench.editor.tier.count())
    ]
    assert bench.selected_id == first and bench.table.selected_id() == first
    assert bench.editor.note.toPlainText() == typed
    assert "changed by another program" in h.window.statusBar().currentMessage()
    # the note typed in the window and the annotation added outside are both in the file
    with open_project(path) as project:
        notes = [a.note for a in project.repo.annotations()]
    assert typed in notes and "added from a terminal" in notes


def test_the_window_own_edits_do_not_count_as_outside_changes(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    seen: list[object] = []
    h.window.outside.changed.connect(lambda topics, _other: seen.append(topics))
    bench = h.window.annotations
    bench.select(bench.table.model.ids[0])
    h.qtbot.keyClicks(bench.editor.note, " mine")
    h.qtbot.wait(1000)  # two polls
    assert seen == []


def test_the_window_own_background_work_is_not_blamed_on_another_program(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """An import runs on a worker with a connection of its own, which moves data_version as
    another program would: the panels re-read, and the status bar keeps the import's sentence."""
    path = make_project(tmp_path, clip)
    h = open_window(path)
    seen: list[tuple[object, bool]] = []
    h.window.outside.changed.connect(lambda topics, other: seen.append((topics, other)))
    srt = tmp_path / "class.srt"
    srt.write_text(
        "1\n00:00:00,500 --> 00:00:01,000\nfirst cue\n\n"
        "2\n00:00:02,000 --> 00:00:02,500\nsecond cue\n",
        encoding="utf-8",
    )
    bench = h.window.annotations
    rows_before = bench.table.model.rowCount()
    task = h.window.session.import_annotations(srt)
    assert task is not None
    h.qtbot.waitUntil(lambda: not task.running and task.delivered, timeout=60_000)
    h.qtbot.waitUntil(lambda: bench.table.model.rowCount() == rows_before + 2, timeout=10_000)
    h.qtbot.wait(1000)  # two polls after the import ended
    message = h.window.statusBar().currentMessage()
    assert "Ctrl+Z takes them back" in message, message
    assert all(not other for _topics, other in seen), seen
