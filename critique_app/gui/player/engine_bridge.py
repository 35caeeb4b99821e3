"""Engine events into Qt: every listener call becomes a queued signal handled on the GUI thread.

Engines (VLC's event threads, the exact engine's worker) call these methods from anywhere;
the slots run later on the GUI thread, so no handler ever re-enters libvlc from its callback.
"""

from __future__ import annotations

from PyQt6.QtCore import QObject, Qt, pyqtSignal

from critique_app.player.engine import EngineListener, EngineState


class EngineBridge(QObject, EngineListener):
    position = pyqtSignal(int)
    picture = pyqtSignal(object)
    state = pyqtSignal(object)
    ended = pyqtSignal()
    error = pyqtSignal(str)

    def on_position(self, frame: int) -> None:
        self.position.emit(frame)

    def on_picture(self, frame: object) -> None:
        self.picture.emit(frame)

    def on_state(self, state: EngineState) -> None:
        self.state.emit(state)

    def on_end(self) -> None:
        self.ended.emit()

    def on_error(self, message: str) -> None:
        self.error.emit(message)


QUEUED = Qt.ConnectionType.QueuedConnection
