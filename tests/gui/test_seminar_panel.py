"""The seminar panel offscreen: drops, reorder, prompts, preview, duplicate, export with Cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from PyQt6.QtCore import QPointF, Qt
from PyQt6.QtGui import QDropEvent

from critique_app.gui.panels.seminars.seminar_panel import ITEM_MIME, SeminarPanel, annotation_mime
from critique_app.services.workspace import ProjectWorkspace
from tests.conftest import FRAME_WAIT_MS
from tests.exporters.conftest import build_sample


@pytest.fixture()
def panel(qtbot, tmp_path: Path):
    sample = build_sample(tmp_path / "p")
    widget = SeminarPanel(ProjectWorkspace(sample.project))
    qtbot.addWidget(widget)
    widget.show()
    yield widget, sample
    if widget.task is not None:
        widget.task.wait(30)
    sample.project.close()


def _drop(widget: SeminarPanel, mime, row: int) -> None:
    rect = (
        widget.items.visualItemRect(widget.items.item(row)) if row < widget.items.count() else None
    )
    point = QPointF(rect.center()) if rect is not None else QPointF(5, widget.items.height() - 2)
    event = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.items.dropEvent(event)


def test_lists_the_seminar_and_accepts_dropped_annotations(panel) -> None:
    widget, sample = panel
    assert widget.chooser.currentText() == "New visual regimes"
    assert widget.items.count() == 5
    _drop(widget, annotation_mime([sample.annotations[3].id, sample.annotations[1].id]), 1)
    items = widget.current_items()
    assert [i.annotation_id for i in items[1:3]] == [
        sample.annotations[3].id,
        sample.annotations[1].id,
    ]
    assert widget.items.count() == 7 and "Le mur qui respire" in widget.items.item(1).text()


def test_reorder_by_drag_edit_prompt_preview_and_undo(panel, qtbot) -> None:
    widget, sample = panel
    first = widget.current_items()[0]
    mime = widget.items.mimeData([widget.items.item(0)])
    assert mime.hasFormat(ITEM_MIME)
    _drop(widget, mime, 3)  # drop onto the fourth row: it becomes the third
    assert [i.id for i in widget.current_items()].index(first.id) == 2
    widget.items.setCurrentRow(2)
    widget.prompt.setPlainText("Is the morph a *cut*?")
    assert widget.current_items()[2].prompt == "Is the morph a *cut*?"
    with qtbot.waitSignal(widget.preview_requested) as signal:
        widget.preview_button.click()
    assert signal.args == [first.film_id, first.range.start, first.range.end]
    widget.seminars.stack.undo()  # the prompt
    widget.seminars.stack.undo()  # the move
    widget.show_items()
    assert widget.current_items()[0].id == first.id
    assert widget.current_items()[0].prompt == first.prompt


def test_duplicate_selects_the_copy(panel) -> None:
    widget, _ = panel
    widget.duplicate_button.click()
    assert widget.chooser.currentText() == "New visual regimes (copy)"
    assert widget.items.count() == 5


def test_export_runs_on_a_worker_and_can_be_cancelled(panel, qtbot, tmp_path: Path) -> None:
    widget, _ = panel
    with qtbot.waitSignal(widget.export_finished, timeout=60_000) as signal:
        widget.export("html", tmp_path / "handout.html")
        assert not widget.export_button.isEnabled()
    assert Path(signal.args[0]).stat().st_size > 5000
    assert widget.export_button.isEnabled()
    target = tmp_path / "clips"
    task = widget.export("clips", target)
    assert task is not None and widget.task_bar.isVisible()
    widget.task_bar.cancel_button.click()
    qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    qtbot.waitUntil(lambda: widget.export_button.isEnabled(), timeout=FRAME_WAIT_MS)
    assert not target.exists()
    assert "cancelled" in widget.status.text()


def test_a_handout_with_the_rhythm_plot_ticked(panel, qtbot, tmp_path: Path) -> None:
    """The panel offers `export --rhythm` / `--heat` as two boxes, for handouts only."""
    widget, _ = panel
    widget.format.setCurrentIndex(widget.format.findData("csv"))
    assert not widget.extras.isVisible()
    widget.format.setCurrentIndex(widget.format.findData("html"))
    assert widget.extras.isVisible()
    widget.extras.rhythm.setChecked(True)
    with qtbot.waitSignal(widget.export_finished, timeout=120_000) as signal:
        widget.export("html", tmp_path / "handout.html")
    assert "Rhythm of the montage" in Path(signal.args[0]).read_text("utf-8")
