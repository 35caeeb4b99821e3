"""Search as you type (issue 26): in a window, a search typed runs on the window's task
runner; a newer text drops an older search, so only the last text's rows are ever shown; the
rows shown are the first page of an independent SQL query over the project file, in the
table's order; scrolling lists the rest, up to the count shown; closing the window while a
search runs leaves no thread behind."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtTest import QTest

from critique_app.domain.model import FrameRange
from critique_app.gui.annotate import annotation_table
from tests.gui.test_edit_changes import crowded_project

PAGE = 40
LABEL = "Searching the annotations"


def hits_by_sql(path: Path, film_id: int, word: str) -> list[int]:
    """Every hit of a word typed, in the table's order, asked of SQLite directly."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT a.id FROM annotations a WHERE a.film_id = ? AND a.id IN "
            "(SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?) "
            "ORDER BY a.film_id, a.start_frame, a.id",
            [film_id, f'"{word}"*'],
        ).fetchall()
    return [ident for (ident,) in rows]


def searches(h: Any) -> list[Any]:
    """The window's search tasks still running or whose end has not reached the table."""
    return [t for t in h.window.tasks.tasks() if t.label == LABEL]


@pytest.fixture
def window(open_window: Any, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(annotation_table, "WINDOW", PAGE)  # the hits come in pages
    path = crowded_project(tmp_path, clip)
    h = open_window(path)
    h.path = path
    return h


def test_typing_fast_shows_the_rows_of_the_last_text_only(window: Any) -> None:
    h = window
    table = h.window.annotations.table
    model = table.model
    shown: list[str] = []
    model.modelReset.connect(lambda: shown.append(model.filters.search))
    for text in ("mirror", "light", "hands", "do"):  # each one searched at once (Enter)
        table.search.setText(text)
        QTest.keyClick(table.search, Qt.Key.Key_Return)
        assert table.searching
    assert len(searches(h)) >= 1
    h.qtbot.waitUntil(lambda: not searches(h))  # every search ended, the dropped ones too
    assert shown == ["do"]  # the older searches' rows never reached the table
    film_id = h.window.session.film.id
    everything = hits_by_sql(h.path, film_id, "do")
    assert model.ids == everything[:PAGE]
    assert model.matches == len(everything)
    assert table.count.text() == f"{PAGE} of {len(everything):,} shown"


def test_the_rows_shown_are_the_first_page_of_an_sql_query_and_scrolling_lists_the_rest(
    window: Any,
) -> None:
    h = window
    table = h.window.annotations.table
    model = table.model
    h.qtbot.keyClicks(table.search, "light")  # one search once typing pauses
    h.qtbot.waitUntil(lambda: model.filters.search == "light" and not table.searching)
    film_id = h.window.session.film.id
    everything = hits_by_sql(h.path, film_id, "light")
    assert len(everything) > 3 * PAGE
    assert model.ids == everything[:PAGE]
    assert model.matches == len(everything)
    for _ in range(len(everything) // PAGE + 2):  # the view lists more as it reaches the end
        if not model.canFetchMore():
            break
        table.view.scrollToBottom()
        assert model.fetching  # on the window's task runner: the view scrolls on meanwhile
        h.qtbot.waitUntil(lambda: not model.fetching)
    assert not model.canFetchMore()
    assert model.ids == everything
    assert model.rowCount() == model.matches == len(everything)
    assert table.count.text() == f"{len(everything):,} of {model.in_project:,}"


def test_an_edit_made_while_a_search_runs_is_in_its_rows(window: Any) -> None:
    h = window
    table = h.window.annotations.table
    model = table.model
    table.search.setText("zebra")
    QTest.keyClick(table.search, Qt.Key.Key_Return)
    assert table.searching
    made = h.window.annotations.create(FrameRange(3, 3), note="zebra crossing")
    assert made is not None
    h.qtbot.waitUntil(lambda: not table.searching and model.filters.search == "zebra")
    assert model.ids == hits_by_sql(h.path, h.window.session.film.id, "zebra") == [made]


def test_closing_the_window_while_a_search_runs_leaves_no_thread(window: Any) -> None:
    h = window
    table = h.window.annotations.table
    table.search.setText("m")
    QTest.keyClick(table.search, Qt.Key.Key_Return)
    h.window.close()
    assert not [t for t in threading.enumerate() if t.name == f"task:{LABEL}"]
