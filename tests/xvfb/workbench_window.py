"""The real window for the teacher's and the jury's journeys (tests/xvfb/test_teacher_journey.py,
tests/xvfb/test_jury_journey.py), started empty as `critique-app` starts without a project,
telling what it shows.

`python -m tests.xvfb.workbench_window STATE.json`: the app runs as `run_gui(None)` does; a
timer writes, several times a second, what is on screen: what every journey's window tells
(tests/xvfb/films_journey.py: title, status bar, dialog, menus, the Films panel's rows) and
besides it every sentence the status bar said, its export offer, the question of a dialog open,
the frame and marks, the project's annotations and where their rows are in the table, the
Seminars panel, the docks and their tabs, the picture/timeline splitter, and every cell of the
Screening table with the colours it is painted in. The tests drive the window with real keys
and clicks through xdotool and read only this.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QModelIndex, Qt
from PyQt6.QtGui import QBrush, QPalette
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QInputDialog,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QWidget,
)

from critique_app.gui.app import error_hook, make_app
from critique_app.gui.export_offer import ExportOffer
from critique_app.gui.main_window import MainWindow
from critique_app.gui.panels.exports.annotation_export import FormatChooser
from tests.xvfb.films_journey import publish_while_running, what_is_shown

TEXT, BASE = QPalette.ColorRole.Text, QPalette.ColorRole.Base
_STYLED: list[QStyledItemDelegate] = []  # made once the application exists


def _rect(widget: QWidget) -> list[int]:
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def annotations_of(window: MainWindow) -> list[dict[str, Any]]:
    """The project's annotations (the workbench's, once a film is on screen): who made each,
    in which tier, its frames, category, note and regions."""
    bench = window.annotations
    if bench.workspace is None:
        return []
    project = bench.bound
    tiers = {t.id: t.name for t in project.tiers()}
    found = []
    for a in project.annotations():
        category = project.category(a.category_id) if a.category_id else None
        found.append(
            {
                "id": a.id,
                "author": a.author,
                "tier": tiers.get(a.tier_id),
                "range": [a.range.start, a.range.end],
                "category": category.label_en if category is not None else None,
                "note": a.note,
                "regions": [r.shape for r in a.regions],
            }
        )
    return found


def annotation_rows(window: MainWindow) -> dict[str, list[int]]:
    """Where each annotation's row of the table shows its category (a place to click on a
    row): {id: rect} for the rows on screen."""
    table = window.annotations.table
    viewport = table.view.viewport()
    if viewport is None or not table.view.isVisible():
        return {}
    rows = {}
    for row, ident in enumerate(table.model.ids):
        rect = table.view.visualRect(table.model.index(row, 4))  # the Category column
        if rect.isValid() and viewport.rect().contains(rect.center()):
            top_left = viewport.mapToGlobal(rect.topLeft())
            rows[str(ident)] = [top_left.x(), top_left.y(), rect.width(), rect.height()]
    return rows


def player(window: MainWindow) -> dict[str, Any]:
    """The frame on screen, the marks, and whether the picture is the exact frame at rest."""
    c = window.controller
    return {
        "position": c.current,
        "marks": [c.in_mark, c.out_mark],
        "exact": c.mode == "exact" and not c.playing and window.video.picture.index == c.current,
    }


def asked(window: MainWindow) -> dict[str, Any] | None:
    """The question of the dialog open: Add to seminar's sentence, or the format list of
    File ▸ Export annotations… and the format chosen in it."""
    modal = QApplication.activeModalWidget()
    if isinstance(modal, QInputDialog):
        return {"question": modal.labelText(), "text": modal.textValue()}
    if isinstance(modal, FormatChooser):
        return {"chosen": modal.chosen(), "formats": modal.formats.count()}
    return None


def export_offer(window: MainWindow) -> dict[str, Any] | None:
    bar = window.statusBar()
    offer = bar.findChild(ExportOffer, "ExportOffer") if bar is not None else None
    if offer is None or not offer.isVisible():
        return None
    return {
        "sentence": offer.sentence.text(),
        "path": str(offer.path) if offer.path is not None else None,
        "open": _rect(offer.open_button),
    }


def seminars(window: MainWindow) -> dict[str, Any] | None:
    dock, panel = window.seminars.dock, window.seminars.panel
    if panel is None or not panel.isVisible():
        return None
    return {
        "seminar": panel.chooser.currentText(),
        "passages": panel.items.count(),
        "format": panel.format.currentData(),
        "export_button": _rect(panel.export_button),
        "export_enabled": panel.export_button.isEnabled(),
        "status": panel.status.text(),
        "labels": [panel.items.item(r).text() for r in range(panel.items.count())],  # type: ignore[union-attr]
        "prompt": _rect(panel.prompt),
        "prompt_text": panel.prompt.toPlainText(),
        "dock_visible": dock.isVisible(),
    }


def docks(window: MainWindow) -> dict[str, dict[str, Any]]:
    """Each panel: chosen in the Panels menu ("open"), and shown in front ("visible")."""
    out: dict[str, dict[str, Any]] = {}
    for dock in window.findChildren(QDockWidget):
        toggle = dock.toggleViewAction()
        out[dock.windowTitle()] = {
            "open": bool(toggle is not None and toggle.isChecked()),
            "visible": dock.isVisible() and not dock.visibleRegion().isEmpty(),
            "floating": dock.isFloating(),
            "area": window.dockWidgetArea(dock).value,
        }
    return out


def tab_bars(window: MainWindow) -> list[dict[str, Any]]:
    """The tab bars of tabbed docks (the window's own children), left to right."""
    out = []
    for bar in window.findChildren(QTabBar):
        if bar.parentWidget() is not window or not bar.isVisible() or bar.count() == 0:
            continue
        out.append(
            {
                "tabs": [bar.tabText(i) for i in range(bar.count())],
                "current": bar.tabText(bar.currentIndex()),
                "rects": [
                    [
                        *_map(bar, bar.tabRect(i).topLeft()),
                        bar.tabRect(i).width(),
                        bar.tabRect(i).height(),
                    ]
                    for i in range(bar.count())
                ],
            }
        )
    return out


def _map(widget: QWidget, point: Any) -> list[int]:
    where = widget.mapToGlobal(point)
    return [where.x(), where.y()]


def splitter(window: MainWindow) -> dict[str, Any]:
    handle = window.splitter.handle(1)
    return {
        "sizes": window.splitter.sizes(),
        "handle": _rect(handle) if handle is not None and handle.isVisible() else None,
    }


def _styled() -> QStyledItemDelegate:
    if not _STYLED:
        _STYLED.append(QStyledItemDelegate())
    return _STYLED[0]


def painted(view: QAbstractItemView, index: QModelIndex) -> tuple[str, str]:
    """(text, background) colours of a cell as the view's delegate paints it: the model's
    ForegroundRole/BackgroundRole when it gives them, else the view's palette (the theme's
    stylesheet), the alternate rows' base on odd rows, the selection's colours when selected."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.index = index
    delegate = view.itemDelegateForIndex(index)
    if type(delegate) is QStyledItemDelegate:
        # the view's own delegate was made by Qt, whose protected methods PyQt cannot call:
        # one of the same class made here sets up the same option
        delegate = _styled()
    if isinstance(delegate, QStyledItemDelegate):
        delegate.initStyleOption(option, index)
    palette = option.palette
    selection = view.selectionModel()
    if selection is not None and selection.isSelected(index):
        return (
            palette.color(QPalette.ColorRole.HighlightedText).name(),
            palette.color(QPalette.ColorRole.Highlight).name(),
        )
    back: QBrush = option.backgroundBrush
    if back.style() != Qt.BrushStyle.NoBrush:
        background = back.color().name()
    elif view.alternatingRowColors() and index.row() % 2:
        background = palette.color(QPalette.ColorRole.AlternateBase).name()
    else:
        background = palette.color(BASE).name()
    return palette.color(TEXT).name(), background


def screening(window: MainWindow) -> dict[str, Any] | None:
    panel = window.screening.panel
    if panel is None or not window.screening.dock.isVisible():
        return None
    view, model = panel.table, panel.model
    viewport = view.viewport()
    assert viewport is not None
    cells = []
    for r in range(model.rowCount()):
        row = []
        for c in range(model.columnCount()):
            index = model.index(r, c)
            text, background = painted(view, index)
            shown = view.visualRect(index).intersects(viewport.rect())
            row.append(
                {
                    "text": str(model.data(index) or ""),
                    "fg": text,
                    "bg": background,
                    "on_screen": shown and not view.isColumnHidden(c),
                }
            )
        cells.append(row)
    return {
        "summary": panel.summary.text(),
        "headers": [
            str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            for c in range(model.columnCount())
        ],
        "cells": cells,
    }


def _frame(window: MainWindow) -> list[int]:
    frame = window.frameGeometry()
    return [frame.x(), frame.y(), frame.width(), frame.height()]


def what_the_workbench_shows(window: MainWindow) -> dict[str, Any]:
    status = window.statusBar()
    shown = what_is_shown(window)
    shown.update(
        offer=export_offer(window),
        seminars=seminars(window),
        docks=docks(window),
        tab_bars=tab_bars(window),
        splitter=splitter(window),
        screening=screening(window),
        annotations=annotations_of(window),
        table_rows=annotation_rows(window),
        selected=window.annotations.selected_id,
        asked=asked(window),
        **player(window),
        focus=type(QApplication.focusWidget()).__name__,
        frame=_frame(window),
        minimum_width=window.minimumSizeHint().width(),
        status_minimum_width=status.minimumSizeHint().width() if status is not None else 0,
    )
    return shown


def main(state: str) -> int:
    app = make_app()
    window = MainWindow()
    sys.excepthook = error_hook(window)
    window.show()
    said: list[str] = []  # every sentence of the status bar: the same one may come twice
    status = window.statusBar()
    assert status is not None
    status.messageChanged.connect(lambda text: said.append(text) if text else None)
    return publish_while_running(
        app, window, Path(state), lambda w: {**what_the_workbench_shows(w), "messages": said}
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
