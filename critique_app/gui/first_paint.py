"""Work that waits for a screen to be painted first (issue 26).

A worker reading 100,000 annotations while a project opens holds Python's lock in turns with
the window's thread: the first screen then takes twice as long to paint. Such a worker starts
at once (it can be dropped like any other) but waits, checking for Cancel, until the widget it
fills has painted once.
"""

from __future__ import annotations

import threading
import time

from PyQt6.QtCore import QEvent, QObject, QTimer
from PyQt6.QtWidgets import QWidget

from critique_app.progress import Progress

CHECK_EVERY_S = 0.02  # how often a waiting worker looks for Cancel
WAIT_AT_MOST_S = 1.0  # a window that paints nothing (minimised) does not hold the work longer


class _FirstPaint(QObject):
    """Sets `painted` once `widget` has painted (after its paint, not during it)."""

    def __init__(self, widget: QWidget, painted: threading.Event) -> None:
        super().__init__(widget)
        self.painted = painted
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802
        if event is not None and event.type() == QEvent.Type.Paint and watched is not None:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._painted)  # the rest of the window paints in this pass
        return False

    def _painted(self) -> None:
        self.painted.set()
        self.deleteLater()


def painted_next(widget: QWidget) -> threading.Event:
    """An event set once `widget` has painted again (at once when it is not shown)."""
    painted = threading.Event()
    if widget.isVisible():
        _FirstPaint(widget, painted)
    else:
        painted.set()
    return painted


def wait_until_painted(progress: Progress, painted: threading.Event | None) -> None:
    """On a worker: return once `painted` is set (or after WAIT_AT_MOST_S; at once for None:
    nothing to wait for); Cancel stops it."""
    if painted is None:
        return
    until = time.monotonic() + WAIT_AT_MOST_S
    while not painted.wait(CHECK_EVERY_S) and time.monotonic() < until:
        progress.check()
    progress.check()
