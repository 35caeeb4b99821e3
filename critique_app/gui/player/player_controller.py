"""The transport: which frame is current, who plays it, and every gesture of the player keys.

The frame index here is the truth an annotation stores. Engines only play; whenever playback
stops (pause, step, mark, scrub release) the controller asks the frame fetcher for the exact
frame at that index and the view paints it.

In and out points with the ↑/↓ stops (`controller.marks`, gui/player/marks.py) and the sound
(`controller.sound`, gui/player/sound.py) are parts of their own; the window wires their keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal

from critique_app.domain.timecode import nominal_fps
from critique_app.gui.player.engine_bridge import QUEUED, EngineBridge
from critique_app.gui.player.frame_fetcher import FrameFetcher
from critique_app.gui.player.marks import Marks
from critique_app.gui.player.sound import Sound
from critique_app.gui.worker import TaskRunner
from critique_app.i18n import _
from critique_app.player.engine import EngineState, PlayerEngine
from critique_app.player.shuttle import Shuttle

PLAY_RATES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0)


class PlayerController(QObject):
    frame_changed = pyqtSignal(int)  # the current index (approximate while playing)
    picture = pyqtSignal(object)  # a Frame to paint
    picture_hint_ready = pyqtSignal(object, int)  # a rough QImage (thumbnail) while scrubbing
    mode_changed = pyqtSignal(str)  # 'exact' | 'loading' | 'playing' | 'scrubbing'
    playing_changed = pyqtSignal(bool)
    film_opened = pyqtSignal(object)  # MediaInfo
    rate_changed = pyqtSignal(float)
    message = pyqtSignal(str)  # a sentence for the status bar
    native_video = pyqtSignal(bool)  # True: the engine draws into the native window
    film_closed = pyqtSignal()  # no film any more (unload)

    def __init__(
        self,
        forward: PlayerEngine,
        reverse: PlayerEngine | None = None,
        parent: QObject | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner if runner is not None else TaskRunner(self)
        self.closed = False  # after close(): late callbacks and gestures do nothing
        self.forward = forward
        self.reverse = reverse or forward
        self.info: Any = None  # MediaInfo of the open film
        self.path: Path | None = None
        self.current = 0
        self.shown_index: int | None = None  # index of the exact picture last handed to the view
        self.playing = False
        self.mode = "loading"
        self.play_rate = 1.0
        self.marks = Marks(self, self)  # in, out, loop, the ↑/↓ stops
        self.marks.message.connect(self.message)
        self.sound = Sound(self._engines, self)  # one volume and mute for every engine
        self.limit: int | None = None  # decodable frames when the file breaks half-way
        self.shuttle = Shuttle()
        self._engine: PlayerEngine | None = None
        # Engines call the bridge from their own threads (VLC's, the exact loop): the runner
        # keeps it alive, never a widget that Qt may delete under them.
        self._bridge = self.runner.adopt(EngineBridge())
        self._bridge.position.connect(self._on_engine_position, QUEUED)  # type: ignore[call-arg]  # stubs lack the connection type
        self._bridge.picture.connect(self._on_engine_picture, QUEUED)  # type: ignore[call-arg]  # stubs lack the connection type
        self._bridge.state.connect(self._on_engine_state, QUEUED)  # type: ignore[call-arg]  # stubs lack the connection type
        self._bridge.ended.connect(self._on_engine_end, QUEUED)  # type: ignore[call-arg]  # stubs lack the connection type
        self._bridge.error.connect(self._on_engine_error, QUEUED)  # type: ignore[call-arg]  # stubs lack the connection type
        for engine in self._engines():
            engine.set_listener(self._bridge)
            set_spawn = getattr(engine, "set_spawn", None)
            if set_spawn is not None:  # engines with a thread of their own run it as a task
                set_spawn(self.runner.spawn)
        self.fetcher = FrameFetcher(self.runner, self)
        # The fetcher emits on the GUI thread (its worker's results arrive through the runner's
        # relay, one queued hop): direct calls here, no second trip through the event loop.
        self.fetcher.opened.connect(self._on_opened)
        self.fetcher.open_failed.connect(self.message)
        self.fetcher.ready.connect(self._on_frame_ready)
        self.fetcher.failed.connect(self._on_frame_failed)

    # -- film ---------------------------------------------------------------------------
    def _engines(self) -> list[PlayerEngine]:
        return list({id(e): e for e in (self.forward, self.reverse)}.values())

    def open_film(self, path: str | Path, info: Any = None) -> None:
        """Returns at once; the first frame appears when the worker has decoded it."""
        if self.closed:
            return
        self.stop()
        self.path = Path(path)
        self.info = None
        self.current, self.shown_index, self.limit = 0, None, None
        self.marks.forget()
        self._set_mode("loading")
        self.fetcher.open(self.path, info)

    def adopt_film(self, prepared: Any) -> None:
        """Switch to a film prepared off the GUI thread (frame_fetcher.PreparedFilm): at once,
        with its first exact frame on screen. Nothing fails here that could leave the window
        between two films: probing and decoding already succeeded."""
        if self.closed:
            prepared.close()
            return
        self.stop()
        server, prepared.server = prepared.server, None  # the fetcher's from now on
        frame = prepared.frame
        self.path = Path(prepared.path)
        self.info = None
        self.current, self.shown_index, self.limit = frame.index, None, None
        self.marks.forget()
        self._set_mode("loading")
        self.fetcher.adopt(server, frame.index)
        self._on_opened(prepared.info)
        self._on_frame_ready(frame)

    def unload(self) -> None:
        """No film (a project whose films are all missing): nothing to show or step."""
        if self.closed:
            return
        self.stop()
        self.path, self.info = None, None
        self.current, self.shown_index, self.limit = 0, None, None
        self.marks.forget()
        self.fetcher.adopt(None)
        self.film_closed.emit()
        self.marks.changed.emit(None, None)
        self.frame_changed.emit(0)
        self._set_mode("loading")

    def _on_opened(self, info: Any) -> None:
        if self.closed or self.path is None:  # queued before close(): not wanted any more
            return
        self.info = info
        for engine in self._engines():
            engine.load(self.path, info)
        self.film_opened.emit(info)
        self.marks.changed.emit(None, None)
        self.frame_changed.emit(self.current)

    def attach(self, window_id: int) -> None:
        for engine in self._engines():
            engine.attach(window_id)

    def close(self) -> None:
        """Closed for good: the fetcher and engines stop, late callbacks are ignored."""
        if self.closed:
            return
        self.stop()
        self.closed = True
        self.info = None
        self.fetcher.close()
        for engine in self._engines():
            engine.close()

    @property
    def last_frame(self) -> int:
        if self.info is None:
            return 0
        end = (
            self.info.frame_count if self.limit is None else min(self.limit, self.info.frame_count)
        )
        return max(0, end - 1)

    # -- play / pause ---------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play(self.play_rate)

    def play(self, rate: float) -> None:
        if self.info is None:
            return
        engine = self.forward if rate > 0 else self.reverse
        if self._engine is not None and self._engine is not engine and self._engine.is_playing:
            self._engine.pause()
        first, last = self.marks.in_mark, self.marks.out_mark
        if (
            self.marks.loop
            and first is not None
            and last is not None
            and not first <= self.current <= last
        ):
            self.current = first
        elif rate > 0 and self.current >= self.last_frame:
            self.current = 0
        self._engine = engine
        engine.seek_frame(self.current)
        engine.set_rate(rate)
        engine.play()
        self.playing = True
        self.playing_changed.emit(True)
        self.native_video.emit(engine.draws_itself)
        self._set_mode("playing")

    def pause(self) -> None:
        self.shuttle.stop()
        if not self.playing:
            return
        engine = self._engine
        self.playing = False
        index = self.current
        if engine is not None:
            engine.pause()
            index = engine.position_frame
        self.playing_changed.emit(False)
        self.show_frame(index)

    def stop(self) -> None:
        if self._engine is not None and self._engine.is_playing:
            self._engine.pause()
        if self.playing:
            self.playing = False
            self.playing_changed.emit(False)
        self.shuttle.stop()

    # -- exact positioning ----------------------------------------------------------------
    def show_frame(self, index: int) -> None:
        """Land on `index` exactly: display it as current, fetch the exact picture."""
        if self.info is None:
            return
        if self.playing:
            self.stop()
        index = max(0, min(int(index), self.info.frame_count - 1))
        if self.limit is not None and index >= self.limit:
            self.message.emit(
                _(
                    "{name} cannot be decoded past frame {last}; frame {frame} is out of reach."
                ).format(
                    name=self.path.name if self.path else _("The film"),
                    last=self.limit - 1,
                    frame=index,
                )
            )
            index = self.limit - 1
        self.current = index
        self.frame_changed.emit(index)
        self.native_video.emit(False)
        if self.shown_index != index:
            self._set_mode("loading")
            self.fetcher.request(index)
        else:
            self._set_mode("exact")

    def step(self, frames: int) -> None:
        if self.info is None:
            return
        if self.playing:
            self.pause()
        target = self.current + frames
        if target > self.last_frame:
            if self.limit is not None:
                self.message.emit(
                    _(
                        "Stepping past frame {frame} is refused: {name} stops decoding there."
                    ).format(
                        frame=self.last_frame, name=self.path.name if self.path else _("the film")
                    )
                )
            else:
                self.message.emit(_("Already at the last frame."))
            target = self.last_frame
        elif target < 0:
            self.message.emit(_("Already at the first frame."))
            target = 0
        self.show_frame(target)

    def step_seconds(self, seconds: int) -> None:
        if self.info is not None:
            self.step(seconds * nominal_fps(self.info.rate))

    def go_home(self) -> None:
        self.show_frame(0)

    def go_end(self) -> None:
        self.show_frame(self.last_frame)

    def scrub(self, index: int) -> None:
        """Playhead dragged: move fast, picture may lag; release() lands exactly."""
        if self.info is None:
            return
        self.stop()
        self.current = max(0, min(int(index), self.last_frame))
        self.frame_changed.emit(self.current)
        self.native_video.emit(False)
        self._set_mode("scrubbing")
        self.fetcher.request(self.current)

    def picture_hint(self, image: object, index: int) -> None:
        """While scrubbing: something to look at before the exact frame is decoded."""
        if self.mode == "scrubbing":
            self.picture_hint_ready.emit(image, index)

    # -- J / K / L --------------------------------------------------------------------------
    def shuttle_l(self) -> None:
        self._apply_shuttle(self.shuttle.press_l())

    def shuttle_j(self) -> None:
        self._apply_shuttle(self.shuttle.press_j())

    def shuttle_k(self) -> None:
        self.shuttle.press_k()
        self.pause()

    def release_k(self) -> None:
        self.shuttle.release_k()

    def _apply_shuttle(self, result: float | int) -> None:
        if isinstance(result, int):  # K held: one frame
            self.step(result)
            return
        same_engine = self._engine is (self.forward if result > 0 else self.reverse)
        if (
            self.playing
            and self._engine is not None
            and same_engine
            and ((result > 0) == (self._engine.rate > 0))
        ):
            self._engine.set_rate(result)
            self.rate_changed.emit(result)
            return
        if self.playing:
            self.stop()
            self.current = self._engine.position_frame if self._engine else self.current
        self.play(result)
        self.rate_changed.emit(result)

    def set_play_rate(self, rate: float) -> None:
        self.play_rate = max(0.25, min(4.0, float(rate)))
        if self.playing and self._engine is not None and self._engine.rate > 0:
            self._engine.set_rate(self.play_rate)
        self.rate_changed.emit(self.play_rate)

    def faster(self) -> None:
        bigger = [r for r in PLAY_RATES if r > self.play_rate + 1e-9]
        self.set_play_rate(bigger[0] if bigger else PLAY_RATES[-1])

    def slower(self) -> None:
        smaller = [r for r in PLAY_RATES if r < self.play_rate - 1e-9]
        self.set_play_rate(smaller[-1] if smaller else PLAY_RATES[0])

    # -- in and out (their part owns them; read here as often as the frame is) -----------
    @property
    def in_mark(self) -> int | None:
        return self.marks.in_mark

    @property
    def out_mark(self) -> int | None:
        return self.marks.out_mark

    # -- events from engines and the fetcher (GUI thread) ---------------------------------
    def settled(self) -> int:
        """The frame under the playhead now: the engine's while playing."""
        if self.playing and self._engine is not None:
            return self._engine.position_frame
        return self.current

    def _on_engine_position(self, index: int) -> None:
        if self.closed:
            return
        if not self.playing:
            return
        if self.limit is not None and index >= self.limit:
            self.pause()
            return
        self.current = index
        self.frame_changed.emit(index)
        first, last = self.marks.in_mark, self.marks.out_mark
        if self.marks.loop and first is not None and last is not None and self._engine is not None:
            rate = self._engine.rate
            if rate > 0 and index >= last:
                self._engine.seek_frame(first)
            elif rate < 0 and index <= first:
                self._engine.seek_frame(last)

    def _on_engine_picture(self, frame: Any) -> None:
        if self.closed:
            return
        if self.playing:
            self.picture.emit(frame)

    def _on_engine_state(self, state: EngineState) -> None:
        if self.closed:
            return
        if state is EngineState.ENDED:
            self._on_engine_end()

    def _on_engine_end(self) -> None:
        if self.closed or not self.playing:
            return
        engine = self._engine
        index = engine.position_frame if engine is not None else self.current
        self.playing = False
        self.shuttle.stop()
        self.playing_changed.emit(False)
        self.show_frame(index)

    def _on_engine_error(self, message: str) -> None:
        if self.closed:
            return
        until = getattr(self._engine, "decodable_until", None)
        if until is not None:  # the exact engine ran into a damaged stretch of the file
            self.limit = until if self.limit is None else min(self.limit, until)
            message = _(
                "{reason} The film plays up to frame {last}; stepping past it is refused."
            ).format(reason=message, last=until - 1)
        self.message.emit(message)
        if self.playing:
            self.pause()
            if until is not None and until > 0:
                # played up to the break (a busy machine may have skipped the last frames
                # before it): stand on the last frame that decodes
                self.show_frame(until - 1)

    def _on_frame_ready(self, frame: Any) -> None:
        if self.closed:
            return
        if self.playing:
            return
        if self.mode == "scrubbing" or frame.index == self.current:
            self.shown_index = frame.index
            self.picture.emit(frame)
            if frame.index == self.current and self.mode != "scrubbing":
                self._set_mode("exact")

    def _on_frame_failed(self, index: int, message: str) -> None:
        if self.closed:
            return
        until = getattr(self.fetcher.timing, "decodable_until", None)
        if until is not None:
            self.limit = until
            self.message.emit(
                _(
                    "{reason} The film plays up to frame {last}; stepping past it is refused."
                ).format(reason=message, last=until - 1)
            )
            if index == self.current and until > 0:
                self.show_frame(until - 1)
        else:
            self.message.emit(message)

    def _set_mode(self, mode: str) -> None:
        if mode != self.mode:
            self.mode = mode
        self.mode_changed.emit(mode)
