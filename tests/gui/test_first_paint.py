"""Work that waits for a screen to be painted first (issue 26): it goes on once the widget
painted, at once for a widget not shown, and stops when cancelled while it waits."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PyQt6.QtWidgets import QWidget

from critique_app.errors import Cancelled
from critique_app.gui.first_paint import painted_next, wait_until_painted
from critique_app.progress import Progress


def test_painted_once_the_widget_painted(qtbot: Any) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    painted = painted_next(widget)
    assert not painted.is_set()  # set on the window's thread, after a paint only
    widget.repaint()
    qtbot.waitUntil(painted.is_set)
    wait_until_painted(Progress(), painted)  # returns at once


def test_a_widget_not_shown_is_not_waited_for(qtbot: Any) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    assert painted_next(widget).is_set()


def test_cancel_stops_the_wait() -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        wait_until_painted(progress, threading.Event())
