"""A clock-driven engine for tests: nothing moves until the test advances its clock.

`advance(ticks)` moves the position by `ticks` film frames times the current rate, so a
test knows exactly where playback stands after any J/K/L sequence.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from critique_app.player.engine import EngineListener, EngineState

if TYPE_CHECKING:
    from critique_app.media.probe import MediaInfo


class FakeEngine:
    name = "fake"
    plays_audio = False
    draws_itself = True  # the window shows its exact overlay only; nothing to paint while playing

    def __init__(self, frame_count: int | None = None) -> None:
        self._listener = EngineListener()
        self._frame_count = frame_count or 0
        self._pos = 0.0
        self._rate = 1.0
        self._state = EngineState.STOPPED
        self.volume = 100
        self.muted = False
        self.window_id: int | None = None
        self.loaded: Path | None = None

    def set_listener(self, listener: EngineListener) -> None:
        self._listener = listener

    def load(self, path: str | Path, info: MediaInfo | None = None) -> None:
        self.loaded = Path(path)
        if info is not None:
            self._frame_count = info.frame_count
        self._pos = 0.0
        self._set_state(EngineState.PAUSED)

    def attach(self, window_id: int) -> None:
        self.window_id = window_id

    def play(self) -> None:
        self._set_state(EngineState.PLAYING)

    def pause(self) -> None:
        self._set_state(EngineState.PAUSED)

    @property
    def is_playing(self) -> bool:
        return self._state is EngineState.PLAYING

    def set_rate(self, rate: float) -> None:
        self._rate = float(rate)

    @property
    def rate(self) -> float:
        return self._rate

    def seek_frame(self, index: int) -> None:
        self._pos = float(max(0, min(index, self._last())))
        self._listener.on_position(self.position_frame)

    @property
    def position_frame(self) -> int:
        return int(math.floor(self._pos + 1e-9))

    def set_volume(self, volume: int) -> None:
        self.volume = max(0, min(100, int(volume)))

    def set_mute(self, mute: bool) -> None:
        self.muted = bool(mute)

    def close(self) -> None:
        self._set_state(EngineState.STOPPED)

    # -- the test's clock ---------------------------------------------------------------
    def advance(self, ticks: int = 1) -> None:
        """Let `ticks` film-frame durations pass; only moves while playing."""
        if self._state is not EngineState.PLAYING:
            return
        self._pos += ticks * self._rate
        if self._pos >= self._last():
            self._pos = float(self._last())
            self._listener.on_position(self.position_frame)
            self._set_state(EngineState.ENDED)
            self._listener.on_end()
            return
        if self._pos <= 0:
            self._pos = 0.0
            self._listener.on_position(0)
            self._set_state(EngineState.PAUSED)
            self._listener.on_end()
            return
        self._listener.on_position(self.position_frame)

    def _last(self) -> int:
        return max(0, self._frame_count - 1)

    def _set_state(self, state: EngineState) -> None:
        if state is not self._state:
            self._state = state
            self._listener.on_state(state)
