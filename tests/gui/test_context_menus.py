"""Right-click menus on the annotation table, the timeline and the regions on the picture: a
real context-menu event opens each one, its entries are the window's own actions where the
action table has one (the same keys as the menu bar), and each entry does what it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint, Qt
from PyQt6.QtGui import QContextMenuEvent
from PyQt6.QtWidgets import QApplication, QMenu, QWidget

from critique_app.domain.model import FrameRange, Region
from critique_app.gui.timeline.timeline import TRACK
from tests.gui.test_add_to_seminar import annotation_at, project_with, seminars_on_disk


def right_click(widget: QWidget, pos: QPoint) -> None:
    """What Qt sends a widget when the right button goes down on it."""
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)


def opened(window: Any) -> QMenu:
    menu = window.annotations.menus.menu
    assert menu is not None and menu.isVisible()
    return menu


def entry(menu: QMenu, text: str) -> Any:
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)  # Alt letters aside


def test_table_row_menu(open_window: Any, clip: Path, tmp_path: Path) -> None:
    path = project_with(tmp_path, clip, "Week 3: morphing")
    h = open_window(path)
    window, table = h.window, h.window.annotations.table
    hands = annotation_at(window, 45)
    row = table.model.row_of(hands)
    right_click(table.view.viewport(), table.view.visualRect(table.model.index(row, 4)).center())
    menu = opened(window)
    assert window.annotations.selected_id == hands  # the row clicked is the one acted on
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "Go to its first frame",
        "Add to seminar…",
        "Copy timecode",
        "Delete the selected annotation",
    ]
    actions = window.action_table
    assert entry(menu, "Add to seminar…") is actions["add_to_seminar"]  # one command, one key
    assert entry(menu, "Delete the selected annotation") is actions["delete_annotation"]

    entry(menu, "Go to its first frame").trigger()
    h.at(45)
    entry(menu, "Copy timecode").trigger()
    clipboard = QApplication.clipboard()
    assert clipboard is not None and clipboard.text() == "00:00:01:21 – 00:00:03:08"
    entry(menu, "Add to seminar…").trigger()
    assert seminars_on_disk(path) == {"Week 3: morphing": [hands]}
    entry(menu, "Delete the selected annotation").trigger()
    assert hands not in table.model.ids
    menu.close()
    window.action_table["undo"].trigger()
    assert hands in table.model.ids

    last = table.view.visualRect(table.model.index(table.model.rowCount() - 1, 4))
    below = QPoint(5, last.bottom() + 4)
    if below.y() < table.view.viewport().height():
        right_click(table.view.viewport(), below)
        assert window.annotations.menus.menu is menu  # below the rows: no new menu


def test_timeline_menus_on_a_bar_and_on_an_empty_place(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = project_with(tmp_path, clip, "Week 3: morphing")
    h = open_window(path)
    window = h.window
    canvas = window.timeline.canvas
    hands = annotation_at(window, 45)  # 45-80 on the second tier, "Theme: hands"
    h.qtbot.waitUntil(lambda: len(canvas.tiers) == 2)
    top = canvas._tracks_top()
    second_tier = int(top + TRACK * 1.5)
    right_click(canvas, QPoint(int(canvas.x_of(62)), second_tier))
    menu = opened(window)
    assert window.annotations.selected_id == hands
    actions = window.action_table
    assert actions["add_to_seminar"] in menu.actions()
    assert actions["delete_annotation"] in menu.actions()
    entry(menu, "Add to seminar…").trigger()
    assert seminars_on_disk(path) == {"Week 3: morphing": [hands]}
    entry(menu, "Delete the selected annotation").trigger()
    assert window.session.project.annotation(hands) is None
    menu.close()

    # an empty place of the first tier ("Anna"): a new annotation on that frame and tier
    right_click(canvas, QPoint(int(canvas.x_of(110.5)), int(top + TRACK * 0.5)))
    menu = opened(window)
    assert actions["delete_annotation"] not in menu.actions()  # nothing under the pointer
    entry(menu, "New annotation here").trigger()
    menu.close()
    made = window.annotations.selected_id
    created = window.session.project.annotation(made)
    assert created.range == FrameRange(110, 110)
    anna = next(t for t in window.session.project.tiers() if t.name == "Anna")
    assert created.tier_id == anna.id
    h.at(110)

    # with in and out marked, the menu also offers N's own command
    h.controller.marks.mark_range(20, 24)
    right_click(canvas, QPoint(int(canvas.x_of(5.5)), int(top + TRACK * 0.5)))
    menu = opened(window)
    assert actions["annotate_range"] in menu.actions()
    menu.close()
    right_click(canvas, QPoint(10, int(top + TRACK * 0.5)))  # on the tier names: no menu
    assert window.annotations.menus.menu is menu


def test_region_menu_removes_the_region_and_selects_its_annotation(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    path = project_with(tmp_path, clip)
    h = open_window(path)
    window = h.window
    bench = window.annotations
    h.controller.show_frame(20)
    h.at(20)
    boxed = bench.create(
        FrameRange(18, 22), (Region.still("rectangle", [(0.2, 0.2), (0.6, 0.6)], 20),)
    )
    assert boxed is not None
    bench.select(None)
    overlay = bench.overlay
    h.qtbot.waitUntil(lambda: overlay.pixel_rect(boxed) is not None)
    where = overlay.pixel_rect(boxed).center().toPoint()
    right_click(overlay, QPoint(5, 5))  # outside every region: no menu
    assert bench.menus.menu is None
    right_click(overlay, where)
    menu = opened(window)
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "Remove region",
        f"Select annotation #{boxed}",
    ]
    entry(menu, f"Select annotation #{boxed}").trigger()
    assert bench.selected_id == boxed
    entry(menu, "Remove region").trigger()
    menu.close()
    assert window.session.project.annotation(boxed).regions == ()
    window.action_table["undo"].trigger()
    assert len(window.session.project.annotation(boxed).regions) == 1

    overlay.set_tool("polygon")  # drawing a polygon: the right click takes back a point
    overlay._draft = [(0.1, 0.1), (0.3, 0.1)]
    before = bench.menus.menu
    h.qtbot.mouseClick(overlay, Qt.MouseButton.RightButton, pos=where)
    right_click(overlay, where)
    assert overlay._draft == [(0.1, 0.1)]
    assert bench.menus.menu is before  # and opened no menu
    overlay.set_tool(None)
