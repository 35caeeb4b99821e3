"""Categories in the window's language: a vocabulary's French labels and definitions in a French
window (table, its filter, the editor's list and its definition, the timeline's bars), as the
exports already wrote them; the English ones in an English window. One story for a category's
name, whatever shows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from critique_app import i18n
from tests.conftest import FRAME_WAIT_MS
from tests.gui.annotation_projects import make_project


@pytest.fixture
def french() -> Iterator[None]:
    i18n.use("fr", explicit=True)
    yield
    i18n.use(i18n.SOURCE)


def shown_categories(h: Any) -> set[str]:
    model = h.window.annotations.table.model
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.UserRole) == "Category"
    )
    return {str(model.data(model.index(row, column))) for row in range(model.rowCount())}


def test_a_french_window_names_categories_in_french(
    open_window: Any, clip: Path, tmp_path: Path, french: None
) -> None:
    h = open_window(make_project(tmp_path, clip))
    table = h.window.annotations.table
    h.qtbot.waitUntil(lambda: table.model.rowCount() == 4, timeout=FRAME_WAIT_MS)
    shown = shown_categories(h)
    assert "Morphose sans coupe" in shown and "Morphing without a cut" not in shown
    filters = [table.category_box.itemText(i).strip() for i in range(table.category_box.count())]
    assert "Morphose sans coupe" in filters
    editor = h.window.annotations.editor
    items = [editor.category.itemText(i).strip() for i in range(editor.category.count())]
    assert "Morphose sans coupe" in items and "Morphing without a cut" not in items


def test_an_english_window_keeps_the_english_names(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, clip))
    table = h.window.annotations.table
    h.qtbot.waitUntil(lambda: table.model.rowCount() == 4, timeout=FRAME_WAIT_MS)
    assert "Morphing without a cut" in shown_categories(h)
