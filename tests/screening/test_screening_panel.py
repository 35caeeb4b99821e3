"""The Screening panel over the jury's rows: model checked by qtmodeltester, sort, filter, open."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt

from critique_app.domain.screening import ScreeningResult
from critique_app.gui.panels.screening.screening_panel import ScreeningPanel
from critique_app.services.screening_table import row_of
from tests.screening.test_screening_table import RESULTS


def test_model_sort_filter_and_double_click(qtbot: Any, qtmodeltester: Any) -> None:
    panel = ScreeningPanel()
    qtbot.addWidget(panel)
    panel.show_rows([row_of(ScreeningResult.from_json(r)) for r in RESULTS])
    model = panel.model
    qtmodeltester.check(model)
    assert model.rowCount() == 7 and model.row_at(0).name == "tampered.jpg"
    assert "5 need a human eye" in panel.summary.text()
    panel.needs_eye.setChecked(True)
    assert model.rowCount() == 5
    panel.filter.setText("sora")
    assert model.rowCount() == 1 and model.row_at(0).name == "matched.mp4"
    with qtbot.waitSignal(panel.open_film_requested) as opened:
        panel.table.doubleClicked.emit(model.index(0, 1))
    assert opened.args == ["/subs/matched.mp4", 0]
    panel.filter.setText("")
    panel.needs_eye.setChecked(False)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.row_at(0).name == "broken.mp4"
    qtmodeltester.check(model)
