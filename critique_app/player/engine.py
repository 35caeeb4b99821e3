"""The playback engine protocol: what the window asks of VLC, the exact-frame player or the fake.

Engines are plain Python (no Qt). They report to one `EngineListener`, possibly from their
own threads; the GUI adapter turns those calls into queued Qt signals, so nothing ever calls
back into an engine from inside the engine's own callback.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from critique_app.media.frame_server import Frame
    from critique_app.media.probe import MediaInfo


class EngineState(enum.Enum):
    STOPPED = "stopped"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"


class EngineListener:
    """Receives engine events. Every method may be called from any thread; defaults do nothing."""

    def on_position(self, frame: int) -> None:
        """The (approximate while playing) frame index now on screen."""

    def on_picture(self, frame: Frame) -> None:
        """A decoded picture to paint (engines that do not draw into a window themselves)."""

    def on_state(self, state: EngineState) -> None:
        """Playing, paused, stopped or ended."""

    def on_end(self) -> None:
        """Playback reached the last frame (or the last decodable one)."""

    def on_error(self, message: str) -> None:
        """A sentence for the user: the file broke, the output failed..."""


@runtime_checkable
class PlayerEngine(Protocol):
    """A player the transport drives. Frame indices are presentation-order, 0-based."""

    name: str
    plays_audio: bool  # VLC: yes; the exact-frame engine: video only
    draws_itself: bool  # renders into the attached native window (VLC) vs emits on_picture

    def set_listener(self, listener: EngineListener) -> None: ...

    def load(self, path: str | Path, info: MediaInfo | None = None) -> None: ...

    def attach(self, window_id: int) -> None: ...

    def play(self) -> None: ...

    def pause(self) -> None: ...

    @property
    def is_playing(self) -> bool: ...

    def set_rate(self, rate: float) -> None:
        """Playback speed; negative plays backwards (engines that cannot raise ValueError)."""

    @property
    def rate(self) -> float: ...

    def seek_frame(self, index: int) -> None: ...

    @property
    def position_frame(self) -> int:
        """Where the engine is; approximate while playing (VLC reports time in coarse steps)."""

    def set_volume(self, volume: int) -> None:
        """0..100."""

    def set_mute(self, mute: bool) -> None: ...

    def close(self) -> None: ...


class EngineUnavailable(Exception):
    """This engine cannot run here (e.g. libvlc missing); the message says why."""
