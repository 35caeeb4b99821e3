"""The player's sound: one volume and one mute for every engine (they take turns playing).

A part of the player controller, which keeps the window's names for it.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import QObject, pyqtSignal

from critique_app.player.engine import PlayerEngine


class Sound(QObject):
    changed = pyqtSignal(int, bool)  # volume, muted

    def __init__(
        self, engines: Callable[[], list[PlayerEngine]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._engines = engines
        self.volume = 80
        self.muted = False

    def set_volume(self, volume: int) -> None:
        self.volume = max(0, min(100, int(volume)))
        for engine in self._engines():
            engine.set_volume(self.volume)
        self.changed.emit(self.volume, self.muted)

    def set_mute(self, muted: bool) -> None:
        self.muted = bool(muted)
        for engine in self._engines():
            engine.set_mute(self.muted)
        self.changed.emit(self.volume, self.muted)
