"""Exact frames for the window, fetched by a task of the window's runner: the latest request wins.

Holding → queues nothing: while one frame decodes, newer requests replace the waiting one, so
the picture always catches up with the last key press and the window never waits on PyAV.
Every open starts a new generation; what the worker sends for an older film is dropped here.
While nothing is asked, the worker looks behind the frame shown (FrameServer.look_behind), so
a step back across a keyframe finds its picture decoded; any request, and any new film, stops
that look between two frames.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal

from critique_app.errors import UserError
from critique_app.gui.worker import Task, TaskRunner
from critique_app.i18n import _
from critique_app.media.frame_cache import PLAYBACK_CACHE_BYTES
from critique_app.progress import Progress

# What the GUI thread asks of the worker, and what the worker reports back. Each names the
# generation (the film asked for) it belongs to, so what comes for an older film is dropped.


@dataclass(frozen=True)
class OpenFilm:
    generation: int
    path: Path
    info: Any  # media.probe.MediaInfo when the caller has probed already, else None
    then: int = 0  # the frame to show first


@dataclass(frozen=True)
class AdoptFilm:
    generation: int
    server: Any  # a FrameServer prepared elsewhere (prepare_film), or None: no film at all
    then: int = 0


@dataclass(frozen=True)
class FetchFrame:
    generation: int
    index: int


Job = OpenFilm | AdoptFilm | FetchFrame


@dataclass(frozen=True)
class FilmOpened:
    generation: int
    info: Any  # media.probe.MediaInfo


@dataclass(frozen=True)
class FilmOpenFailed:
    generation: int
    sentence: str


@dataclass(frozen=True)
class FrameReady:
    generation: int
    frame: Any  # media.frame_server.Frame


@dataclass(frozen=True)
class FrameFailed:
    generation: int
    index: int
    sentence: str


FetcherEvent = FilmOpened | FilmOpenFailed | FrameReady | FrameFailed


class FrameFetcher(QObject):
    opened = pyqtSignal(object)  # MediaInfo
    open_failed = pyqtSignal(str)
    ready = pyqtSignal(object)  # media.frame_server.Frame
    failed = pyqtSignal(int, str)  # index, sentence

    def __init__(
        self,
        runner: TaskRunner,
        parent: QObject | None = None,
        cache_bytes: int = PLAYBACK_CACHE_BYTES,
    ) -> None:
        super().__init__(parent)
        # The budget for the pictures kept of the film on screen (Settings.frame_cache_mb);
        # the worker hands it to every film it serves.
        self.cache_bytes = int(cache_bytes)
        self._cond = threading.Condition()
        self._pending: Job | None = None
        self._generation = 0  # of the film asked for last (GUI thread)
        self.server: Any = None  # media.frame_server.FrameServer once opened (worker's)
        # The film on screen's frame times, for the GUI thread: set when the film is handed
        # over (adopt) or reported open, never later than the film it belongs to.
        self.timing: Any = None
        self._task: Task | None = runner.spawn(_("Exact frames"), self._run)
        self._task.partial.connect(self._arrived)

    # -- the GUI thread ------------------------------------------------------------------
    def open(self, path: str | Path, info: Any = None) -> None:
        self._generation += 1
        self.timing = None  # until the worker reports it open
        self._submit(OpenFilm(self._generation, Path(path), info))

    def adopt(self, server: Any, then: int = 0) -> None:
        """Serve frames from `server` (a FrameServer prepared elsewhere, see `prepare_film`)
        from now on; the film served before is closed by the worker. Results still on their
        way for the film before are dropped. `server` None: no film at all."""
        self._generation += 1
        self.timing = server  # its frame index and times are read already: usable at once
        self._submit(AdoptFilm(self._generation, server, int(then)))

    def time_of(self, index: int) -> Fraction | None:
        """Seconds from the first frame to frame `index` of the film on screen (its real
        presentation time), or None before a film is open."""
        timing = self.timing
        return None if timing is None else timing.time_of(index)

    def set_cache_bytes(self, budget: int) -> None:
        """A new budget for the pictures kept: the worker applies it before its next frame."""
        self.cache_bytes = int(budget)

    def request(self, index: int) -> None:
        self._submit(FetchFrame(self._generation, int(index)))

    def _submit(self, job: Job) -> None:
        stale = None
        with self._cond:
            # an open (or adopt) must not be overtaken by a frame request: merge them
            pending = self._pending
            if isinstance(pending, (OpenFilm, AdoptFilm)) and isinstance(job, FetchFrame):
                self._pending = replace(pending, then=job.index)
            else:
                if isinstance(pending, AdoptFilm):
                    stale = pending.server  # a prepared film never served: nobody else has it
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

    def _arrived(self, event: FetcherEvent) -> None:
        if event.generation != self._generation or self._task is None:
            return  # for a film that is no longer asked for
        if isinstance(event, FilmOpened):
            self.timing = self.server  # set by the worker before it published FilmOpened
            self.opened.emit(event.info)
        elif isinstance(event, FilmOpenFailed):
            self.open_failed.emit(event.sentence)
        elif isinstance(event, FrameReady):
            self.ready.emit(event.frame)
        else:
            self.failed.emit(event.index, event.sentence)

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
                    job, self._pending = self._pending, None
                if isinstance(job, OpenFilm):
                    self._do_open(progress, job.generation, job.path, job.info, job.then)
                elif isinstance(job, AdoptFilm):
                    self._do_adopt(progress, job.generation, job.server, job.then)
                elif job is not None:
                    self._do_frame(progress, job.generation, job.index)
                    self._prefetch(progress, job.index + 1)
                    self._look_behind(progress, job.index)
        finally:
            with self._cond:
                pending, self._pending = self._pending, None
            if isinstance(pending, AdoptFilm) and pending.server is not None:
                pending.server.close()
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

    def _look_behind(self, progress: Progress, index: int) -> None:
        """While the user looks at frame `index`, decode the frames before it (the previous GOP
        too): a step back across a keyframe is then a cached picture, not a GOP's decode. Stops
        between two frames as soon as anything is asked (a frame, a film) or the window
        quits; the next look goes on from there. Nothing is published: it only fills the
        cache of the server it started on, which a new film closes."""
        server = self.server
        if server is None:
            return

        def asked() -> bool:
            return self._pending is not None or progress.cancelled

        if server.look_behind(index, asked) and index > 0 and server.is_kept(index - 1):
            # and its picture converted, as the one after it is: ← then costs what → does
            # (only when decoded already: the playhead's decoder must stay where it stands)
            self._prefetch(progress, index - 1)

    def _do_open(
        self, progress: Progress, generation: int, path: Path, info: Any, then: int = 0
    ) -> None:
        from critique_app.media.frame_server import FrameServer

        if self.server is not None:
            self.server.close()
            self.server = None
        try:
            self.server = FrameServer(path, info, cache_bytes=self.cache_bytes)
        except UserError as err:
            progress.publish(FilmOpenFailed(generation, str(err)))
            return
        except Exception as err:  # a file PyAV chokes on is still the user's file problem
            progress.publish(
                FilmOpenFailed(
                    generation,
                    _("{name} could not be opened: {error}.").format(name=path.name, error=err),
                )
            )
            return
        progress.publish(FilmOpened(generation, self.server.info))
        self._do_frame(progress, generation, then)
        self._look_behind(progress, then)

    def _do_adopt(self, progress: Progress, generation: int, server: Any, then: int) -> None:
        if self.server is not None and self.server is not server:
            self.server.close()
        self.server = server
        if server is not None:
            server.set_cache_bytes(self.cache_bytes)  # prepared with the default budget
            self._do_frame(progress, generation, then)  # a cache hit: it was decoded to prepare
            self._prefetch(progress, then + 1)
            self._look_behind(progress, then)

    def _do_frame(self, progress: Progress, generation: int, index: int) -> None:
        if self.server is None:
            return
        if self.server.cache_bytes != self.cache_bytes:  # the budget changed meanwhile
            self.server.set_cache_bytes(self.cache_bytes)
        try:
            frame = self.server.frame(index)
        except UserError as err:
            progress.publish(FrameFailed(generation, index, str(err)))
            return
        except Exception as err:
            progress.publish(
                FrameFailed(
                    generation,
                    index,
                    _("Frame {frame} could not be decoded: {error}.").format(
                        frame=index, error=err
                    ),
                )
            )
            return
        progress.publish(FrameReady(generation, frame))


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
        raise UserError(_("{path} does not exist.").format(path=path))
    try:
        server = FrameServer(path)
    except UserError:
        raise
    except Exception as err:  # a file PyAV chokes on is still the user's file problem
        raise UserError(
            _("{name} could not be opened: {error}.").format(name=path.name, error=err)
        ) from None
    try:
        progress.check()
        if server.info.frame_count <= 0:
            raise UserError(_("{name} holds no frame that can be shown.").format(name=path.name))
        then = max(0, min(int(then), server.info.frame_count - 1))
        try:
            frame = server.frame(then)
        except UserError as err:
            raise UserError(
                _("{name} cannot be shown: {reason}").format(name=path.name, reason=err)
            ) from None
        except Exception as err:
            raise UserError(
                _("{name} cannot be shown: frame {frame} could not be decoded ({error}).").format(
                    name=path.name, frame=then, error=err
                )
            ) from None
        progress.check()
    except BaseException:
        server.close()
        raise
    return PreparedFilm(path, server, frame)
