"""In and out points, the loop between them, and the frames ↑/↓ visit: the player's marks.

A part of the player controller (which keeps the window's names for them): it reads the
playhead through a small Protocol, so it never imports the controller back.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Protocol

from PyQt6.QtCore import QObject, pyqtSignal

from critique_app.i18n import _


class Playhead(Protocol):
    """What the marks need of the transport: where it is, and landing on a frame."""

    current: int

    def settled(self) -> int:
        """The frame under the playhead now (the engine's while playing)."""
        ...

    def show_frame(self, index: int) -> None: ...


class Marks(QObject):
    changed = pyqtSignal(object, object)  # in, out (int or None)
    message = pyqtSignal(str)  # a sentence for the status bar

    def __init__(self, playhead: Playhead, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.playhead = playhead
        self.in_mark: int | None = None
        self.out_mark: int | None = None
        self.loop = False
        self.stops: list[int] = []  # annotation boundaries and markers for ↑/↓

    def forget(self) -> None:
        """Another film (or none): its in and out points mean nothing here; no signal."""
        self.in_mark = self.out_mark = None

    def has_range(self) -> bool:
        return self.in_mark is not None and self.out_mark is not None

    def set_in(self) -> None:
        self.in_mark = self.playhead.settled()
        if self.out_mark is not None and self.out_mark < self.in_mark:
            self.out_mark = None
        self.changed.emit(self.in_mark, self.out_mark)

    def set_out(self) -> None:
        self.out_mark = self.playhead.settled()
        if self.in_mark is not None and self.in_mark > self.out_mark:
            self.in_mark = None
        self.changed.emit(self.in_mark, self.out_mark)

    def mark_range(self, first: int, last: int) -> None:
        """In and out at once (a seminar passage previewed, a match looked at)."""
        self.in_mark, self.out_mark = min(first, last), max(first, last)
        self.changed.emit(self.in_mark, self.out_mark)

    def clear(self) -> None:
        self.forget()
        self.changed.emit(None, None)

    def go_in(self) -> None:
        if self.in_mark is None:
            self.message.emit(_("No in point set (press I)."))
        else:
            self.playhead.show_frame(self.in_mark)

    def go_out(self) -> None:
        if self.out_mark is None:
            self.message.emit(_("No out point set (press O)."))
        else:
            self.playhead.show_frame(self.out_mark)

    def set_loop(self, on: bool) -> None:
        self.loop = bool(on)

    def set_stops(self, frames: Iterable[int]) -> None:
        """Annotation boundaries and markers the ↑/↓ keys visit."""
        self.stops = sorted(set(frames))

    def move_stops(self, gone: Iterable[int], new: Iterable[int]) -> None:
        """An edit took some stops away and brought others: only those move (sorting the
        200,000 stops of a class's project again took 15 ms a key press)."""
        stops = self.stops
        for frame in gone:
            at = bisect.bisect_left(stops, frame)
            if at < len(stops) and stops[at] == frame:
                del stops[at]
        for frame in new:
            at = bisect.bisect_left(stops, frame)
            if at == len(stops) or stops[at] != frame:
                stops.insert(at, frame)

    def next_stop(self) -> None:
        at = bisect.bisect_right(self.stops, self.playhead.current)
        if at < len(self.stops):
            self.playhead.show_frame(self.stops[at])
        else:
            self.message.emit(_("No annotation or marker after this frame."))

    def previous_stop(self) -> None:
        at = bisect.bisect_left(self.stops, self.playhead.current)
        if at > 0:
            self.playhead.show_frame(self.stops[at - 1])
        else:
            self.message.emit(_("No annotation or marker before this frame."))
