"""Plays exact frames from PyAV on a worker thread: the engine without libvlc, and for reverse play.

Video only. A clock decides which frame is due (start frame + elapsed time x rate), so the
film keeps its speed and frames are skipped, never slowed, when decoding falls behind.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.player.engine import EngineListener, EngineState
from critique_app.progress import Background, Progress, Spawn

if TYPE_CHECKING:
    from critique_app.media.frame_server import FrameServer
    from critique_app.media.probe import MediaInfo


class ExactEngine:
    name = "exact"
    plays_audio = False
    draws_itself = False

    def __init__(self) -> None:
        self._listener = EngineListener()
        self._server: FrameServer | None = None
        self._lock = threading.Condition()
        self._state = EngineState.STOPPED
        self._rate = 1.0
        self._pos = 0
        self._anchor_index = 0  # frame and wall-clock instant the current run started from
        self._anchor_clock = 0.0
        self._generation = 0  # bumped on every seek/rate/play so the worker restarts its clock
        self._spawn: Spawn = Background
        self._worker: Any = None  # the playback loop, as the window's task runner started it
        self._shown_gen: int | None = None
        self._path: Path | None = None
        self._info: MediaInfo | None = None

    # -- protocol ---------------------------------------------------------------------
    def set_listener(self, listener: EngineListener) -> None:
        self._listener = listener

    def set_spawn(self, spawn: Spawn) -> None:
        """Who starts the playback loop: the window's task runner, so the window owns it."""
        self._spawn = spawn

    def load(self, path: str | Path, info: MediaInfo | None = None) -> None:
        """Cheap: the worker thread opens the file, so a slow disk never blocks the caller."""
        self.close()
        self._path = Path(path)
        self._info = info
        self._pos = 0
        self._state = EngineState.PAUSED
        self._worker = self._spawn("Exact-frame playback", self._run)

    def attach(self, window_id: int) -> None:
        """Nothing to attach: pictures go to the listener."""

    def play(self) -> None:
        with self._lock:
            if self._path is None:
                return
            if self._rate > 0 and self._pos >= self._last():
                self._pos = 0  # like every player: Play at the end starts over
            self._restart_clock()
            self._state = EngineState.PLAYING
            self._lock.notify_all()
        self._listener.on_state(EngineState.PLAYING)

    def pause(self) -> None:
        with self._lock:
            was = self._state
            self._state = EngineState.PAUSED
            self._generation += 1
            self._lock.notify_all()
        if was is not EngineState.PAUSED:
            self._listener.on_state(EngineState.PAUSED)

    @property
    def is_playing(self) -> bool:
        return self._state is EngineState.PLAYING

    def set_rate(self, rate: float) -> None:
        if rate == 0:
            raise ValueError(_("A playback rate of 0 is a pause."))
        with self._lock:
            self._rate = float(rate)
            self._restart_clock()
            self._lock.notify_all()

    @property
    def rate(self) -> float:
        return self._rate

    def seek_frame(self, index: int) -> None:
        with self._lock:
            self._pos = max(0, min(int(index), self._last()))
            self._restart_clock()
            self._lock.notify_all()

    @property
    def position_frame(self) -> int:
        return self._pos

    @property
    def decodable_until(self) -> int | None:
        """Set once playback ran into the point where the file stops decoding."""
        return self._server.decodable_until if self._server is not None else None

    def set_volume(self, volume: int) -> None:
        """Video only: no sound to set."""

    def set_mute(self, mute: bool) -> None:
        """Video only: no sound to mute."""

    def close(self) -> None:
        """Stop the loop; it releases the film itself (never closed under a decoding thread)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.cancel()
            worker.wait(2.0)  # it stops within one frame
        self._state = EngineState.STOPPED

    def _wake_to_quit(self) -> None:
        with self._lock:
            self._lock.notify_all()

    # -- worker -----------------------------------------------------------------------
    def _last(self) -> int:
        if self._server is None:
            return max(0, self._info.frame_count - 1) if self._info is not None else 0
        end = self._server.info.frame_count
        if self._server.decodable_until is not None:
            end = min(end, self._server.decodable_until)
        return max(0, end - 1)

    def _restart_clock(self) -> None:
        self._anchor_index = self._pos
        self._anchor_clock = time.monotonic()
        self._generation += 1

    def _run(self, progress: Progress) -> None:
        from critique_app.media.frame_server import FrameServer

        progress.on_cancel(self._wake_to_quit)
        assert self._path is not None
        try:
            server = self._server = FrameServer(self._path, self._info)
        except UserError as err:
            self._listener.on_error(str(err))
            return
        try:
            self._play(server, progress)
        finally:
            with self._lock:
                if self._server is server:  # a newer load may have opened its own already
                    self._server = None
            server.close()

    def _play(self, server: FrameServer, progress: Progress) -> None:
        fps = float(server.info.rate)
        while True:
            with self._lock:
                while not progress.cancelled and self._state is not EngineState.PLAYING:
                    self._lock.wait()
                if progress.cancelled:  # this loop's own flag: a newer load has its own
                    return
                generation = self._generation
                elapsed = time.monotonic() - self._anchor_clock
                target = self._anchor_index + int(elapsed * fps * self._rate)
                rate = self._rate
            last = self._last()
            ended = target >= last if rate > 0 else target <= 0
            target = max(0, min(target, last))
            if target != self._pos or generation != self._shown_gen:
                try:
                    frame = server.frame(target)
                except UserError as err:
                    self._stop_at_break(str(err))
                    continue
                with self._lock:
                    if generation != self._generation:
                        continue  # paused or seeked meanwhile: this picture is stale
                    self._pos = target
                    self._shown_gen = generation
                self._listener.on_picture(frame)
                self._listener.on_position(target)
            if ended:
                self._finish()
                continue
            # sleep until the next frame is due (or a command wakes us)
            with self._lock:
                if self._generation == generation and self._state is EngineState.PLAYING:
                    due = (abs(target - self._anchor_index) + 1) / (fps * abs(rate))
                    wait = self._anchor_clock + due - time.monotonic()
                    if wait > 0:
                        self._lock.wait(wait)

    def _stop_at_break(self, message: str) -> None:
        with self._lock:
            self._state = EngineState.PAUSED
            self._pos = min(self._pos, self._last())
            self._generation += 1
        self._listener.on_error(message)
        self._listener.on_state(EngineState.PAUSED)

    def _finish(self) -> None:
        with self._lock:
            self._state = EngineState.ENDED if self._rate > 0 else EngineState.PAUSED
            self._generation += 1
            state = self._state
        self._listener.on_state(state)
        self._listener.on_end()
