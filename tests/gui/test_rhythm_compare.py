"""View ▸ Lenses ▸ Compare the rhythm…: one story. A teacher compares a film of the project
with its own in → out passage; the panel's figures are those `critique-app shots --json` prints
for the same film (and, for the passage, those of its shots cut to the in and out points), and
the histograms count every shot on one scale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from critique_app.cli import main
from critique_app.domain.rhythm import ShotStatistics, shot_statistics, spans_within
from critique_app.gui.panels.lenses.rhythm_compare import figures
from critique_app.services.films import add_film
from db.project import open_project
from tests.gui.annotation_projects import make_project


def test_the_panel_shows_the_figures_of_shots_json_side_by_side(
    open_window: Any, montage: Path, clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shots", str(montage), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    whole = ShotStatistics(**printed["statistics"])
    spans = [(s["start_frame"], s["end_frame"]) for s in printed["shots"]]
    passage = shot_statistics([b - a + 1 for a, b in spans_within(spans, 120, 299)], 25)

    project = make_project(tmp_path, montage)
    with open_project(project) as opened:
        add_film(opened, clip, title="Second film")
    h = open_window(project)
    comparison = h.window.rhythm_comparison
    h.window.action_table["compare_rhythm"].trigger()
    panel = comparison.panel
    assert comparison.dock is not None and comparison.dock.isVisible()
    a, b = panel.sides["A"], panel.sides["B"]
    titles = [a.films.itemText(n) for n in range(a.films.count())]
    assert titles == ["Coded clip", "Second film", "A film file…"]
    # B: the in -> out passage of the film on screen
    h.controller.marks.mark_range(120, 299)
    b.passage.setChecked(True)
    task = comparison.compare()
    assert task is not None
    # a hang guard, not a bound: one decode of 480 small frames (the film is chosen twice)
    h.qtbot.waitUntil(lambda: len(comparison.rhythms) == 2, timeout=300_000)
    assert comparison.rhythms[0].statistics == whole
    assert comparison.rhythms[1].statistics == passage
    table = panel.table
    for column, statistics in enumerate((whole, passage)):
        shown = [table.item(row, column).text() for row in range(table.rowCount())]
        assert shown == [value for _what, value in figures(statistics)]
    assert table.horizontalHeaderItem(1).toolTip() == "Coded clip, frames 120–299"
    assert panel.summary.text() == "A: Coded clip. B: Coded clip, frames 120–299."
    assert table.verticalHeaderItem(1).text() == "Average shot length (ASL)"
    counts = [panel.histograms[side].counts for side in ("A", "B")]
    assert [sum(c) for c in counts] == [whole.shots, passage.shots]
    assert panel.histograms["A"].top == panel.histograms["B"].top == whole.longest_seconds
    assert counts[0][-1] >= 1  # the longest shot falls in the last step
