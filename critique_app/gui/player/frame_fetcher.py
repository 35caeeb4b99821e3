"""Exact frames for the window, fetched by a task of the window's runner: the latest request wins.

Holding → queues nothing: while one frame decodes, newer requests replace the waiting one, so
the picture always catches up with the last key press and the window never waits on PyAV.
Every open starts a new generation; what the worker sends for an older film is dropped here.
"""

from __future__ import annotations

import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal

from critique_app.errors import UserError
from critique_app.gui.worker import Task, TaskRunner
from critique_app.progress import Progress


class FrameFetcher(QObject):
    opened = pyqtSignal(object)  # MediaInfo
    open_failed = pyqtSignal(str)
    ready = pyqtSignal(object)  # media.frame_server.Frame
    failed = pyqtSignal(int, str)  # index, sentence

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cond = threading.Condition()
        self._pending: tuple[str, int, Any] | None = None
        self._generation = 0  # of the film asked for last (GUI thread)
        self.server: Any = None  # media.frame_server.FrameServer once opened (worker's)
        # The film on screen's frame times, for the GUI thread: set when the film is handed
        # over (adopt) or reported open, never later than the film it belongs to.
        self.timing: Any = None
        self._task: Task | None = runner.spawn("Exact frames", self._run)
        self._task.partial.connect(self._arrived)

    # -- the GUI thread ------------------------------------------------------------------
    def open(self, path: str | Path, info: Any = None) -> None:
        self._generation += 1
        self.timing = None  # until the worker reports it open
        self._submit(("open", self._generation, (Path(path), info, 0)))

    def adopt(self, server: Any, then: int = 0) -> None:
        """Serve frames from `server` (a FrameServer prepared elsewhere, see `prepare_film`)
        from now on; the film served before is closed by the worker. Results still on their
        way for the film before are dropped. `server` None: no film at all."""
        self._generation += 1
        self.timing = server  # its frame index and times are read already: usable at once
        self._submit(("adopt", self._generation, (server, int(then))))

    def time_of(self, index: int) -> Fraction | None:
        """Seconds from the first frame to frame `index` of the film on screen (its real
        presentation time), or None before a film is open."""
        timing = self.timing
        return None if timing is None else timing.time_of(index)

    def request(self, index: int) -> None:
        self._submit(("frame", self._generation, int(index)))

    def _submit(self, job: tuple[str, int, Any]) -> None:
        stale = None
        with self._cond:
            # an open (or adopt) must not be overtaken by a frame request: merge them
            pending = self._pending
            if pending is not None and pending[0] in ("open", "adopt") and job[0] == "frame":
                self._pending = (pending[0], pending[1], (*pending[2][:-1], job[2]))
            else:
                if pending is not None and pending[0] == "adopt":
                    stale = pending[2][0]  # a prepared film never served: nobody else has it
                self._pending = job
            self._cond.notify()
        if stale is not None:
            stale.close()

    def close(self) -> None:
        """Stop the worker and let it release the film (joined: it stops within one frame)."""
        task, self._task = self._task, None
        if task is not None:
            task.drop()
            task.wait(2.0)

    def _arrived(self, event: tuple[str, int, Any]) -> None:
        kind, generation, payload = event
        if generation != self._generation or self._task is None:
            return  # for a film that is no longer asked for
        if kind == "opened":
            self.timing = self.server  # set by the worker before it published "opened"
            self.opened.emit(payload)
        elif kind == "open_failed":
            self.open_failed.emit(payload)
        elif kind == "ready":
            self.ready.emit(payload)
        elif kind == "failed":
            self.failed.emit(*payload)

    # -- the worker -------------------------------------------------------------------------
    def _wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _run(self, progress: Progress) -> None:
        progress.on_cancel(self._wake)
        try:
            while True:
                with self._cond:
                    while self._pending is None and not progress.cancelled:
                        self._cond.wait()
                    if progress.cancelled:
                        return
                    kind, generation, arg = self._pending  # type: ignore[misc]
                    self._pending = None
                if kind == "open":
                    self._do_open(progress, generation, *arg)
                elif kind == "adopt":
                    self._do_adopt(progress, generation, *arg)
                else:
                    self._do_frame(progress, generation, arg)
                    self._prefetch(progress, arg + 1)
        finally:
            with self._cond:
                pending, self._pending = self._pending, None
            if pending is not None and pending[0] == "adopt" and pending[2][0] is not None:
                pending[2][0].close()
            if self.server is not None:
                self.server.close()
                self.server = None

    def _prefetch(self, progress: Progress, index: int) -> None:
        """While idle, decode the next frame ahead: the usual next key is → (a cache hit then)."""
        with self._cond:
            if self._pending is not None or progress.cancelled:
                return
        server = self.server
        if server is None or not 0 <= index < server.info.frame_count:
            return
        try:
            server.frame(index)
        except Exception:  # a damaged frame: reported when it is really asked for
            pass

    def _do_open(
        self, progress: Progress, generation: int, path: Path, info: Any, then: int = 0
    ) -> None:
        from critique_app.media.frame_server import FrameServer

        if self.server is not None:
            self.server.close()
            self.server = None
        try:
            self.server = FrameServer(path, info)
        except UserError as err:
            progress.publish(("open_failed", generation, str(err)))
            return
        except Exception as err:  # a file PyAV chokes on is still the user's file problem
            progress.publish(
                ("open_failed", generation, f"{path.name} could not be opened: {err}.")
            )
            return
        progress.publish(("opened", generation, self.server.info))
        self._do_frame(progress, generation, then)

    def _do_adopt(self, progress: Progress, generation: int, server: Any, then: int) -> None:
        if self.server is not None and self.server is not server:
            self.server.close()
        self.server = server
        if server is not None:
            self._do_frame(progress, generation, then)  # a cache hit: it was decoded to prepare
            self._prefetch(progress, then + 1)

    def _do_frame(self, progress: Progress, generation: int, index: int) -> None:
        if self.server is None:
            return
        try:
            frame = self.server.frame(index)
        except UserError as err:
            progress.publish(("failed", generation, (index, str(err))))
            return
        except Exception as err:
            progress.publish(
                ("failed", generation, (index, f"Frame {index} could not be decoded: {err}."))
            )
            return
        progress.publish(("ready", generation, frame))


class PreparedFilm:
    """A film made ready off the GUI thread: probed, indexed, its first exact frame decoded.
    Nothing on screen changed for it; `FrameFetcher.adopt` takes its server over, `close`
    lets it go when the window stays where it was."""

    def __init__(self, path: Path, server: Any, frame: Any) -> None:
        self.path, self.server, self.frame = path, server, frame
        self.info = server.info

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None


def prepare_film(progress: Progress, path: str | Path, then: int = 0) -> PreparedFilm:
    """Probe `path` and decode frame `then` exactly (for a worker): UserError with a sentence
    when the file cannot be shown, and then nothing is left open."""
    from critique_app.media.frame_server import FrameServer

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} does not exist.")
    try:
        server = FrameServer(path)
    except UserError:
        raise
    except Exception as err:  # a file PyAV chokes on is still the user's file problem
        raise UserError(f"{path.name} could not be opened: {err}.") from None
    try:
        progress.check()
        if server.info.frame_count <= 0:
            raise UserError(f"{path.name} holds no frame that can be shown.")
        then = max(0, min(int(then), server.info.frame_count - 1))
        try:
            frame = server.frame(then)
        except UserError as err:
            raise UserError(f"{path.name} cannot be shown: {err}") from None
        except Exception as err:
            raise UserError(
                f"{path.name} cannot be shown: frame {then} could not be decoded ({err})."
            ) from None
        progress.check()
    except BaseException:
        server.close()
        raise
    return PreparedFilm(path, server, frame)
