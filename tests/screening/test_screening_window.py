"""File ▸ Screen a folder… in the window: the real Dask job on the window's task runner, the
ranked rows in the Screening panel, and a double click that opens a submission at its match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from critique_app.gui.main_window import MainWindow
from critique_app.gui.settings import Settings
from critique_app.player.fake_engine import FakeEngine


def test_screen_a_folder_from_the_window(
    qtbot: Any, fresh_project: Path, screening_material: dict[str, Path]
) -> None:
    fake = FakeEngine()
    window = MainWindow(settings=Settings(), engines=(fake, None))
    qtbot.addWidget(window)
    window.show()
    window.open_path(fresh_project)
    qtbot.waitUntil(lambda: window.session.opening is None)  # prepared, then switched to
    messages: list[str] = []
    window.session.message.connect(messages.append)
    task = window.screening.start(screening_material["submissions"])
    assert task is not None and not window.action_table["screen_folder"].isEnabled()
    qtbot.waitUntil(lambda: task.delivered, timeout=240_000)  # a LocalCluster starts and stops
    assert window.action_table["screen_folder"].isEnabled()
    panel = window.screening.panel
    assert panel is not None and window.screening.dock.isVisible()
    rows = [panel.model.row_at(i) for i in range(panel.model.rowCount())]
    names = [r.name for r in rows]
    assert "festival_copy.mp4" in names and "declared_ai.jpg" in names
    assert rows[0].rank <= rows[-1].rank  # what needs a human eye first
    copy = next(r for r in rows if r.name == "festival_copy.mp4")
    assert copy.matches  # the AI clip of the library, found in the festival copy
    frame = copy.first_match_frame or 0
    panel.open_film_requested.emit(copy.path, frame)
    qtbot.waitUntil(lambda: window.controller.info is not None and bool(window.session.film_path))
    qtbot.waitUntil(lambda: window.controller.current == frame)
    assert Path(window.session.film_path).name == "festival_copy.mp4"
    window.close()
