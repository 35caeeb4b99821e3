"""Exact frames for the window, fetched on a worker thread: the latest request wins.

Holding → queues nothing: while one frame decodes, newer requests replace the waiting one, so
the picture always catches up with the last key press and the window never waits on PyAV.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal

from critique_app.errors import UserError


class FrameFetcher(QObject):
    opened = pyqtSignal(object)  # MediaInfo
    open_failed = pyqtSignal(str)
    ready = pyqtSignal(object)  # media.frame_server.Frame
    failed = pyqtSignal(int, str)  # index, sentence

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cond = threading.Condition()
        self._pending: tuple[str, Any] | None = None
        self._quit = False
        self.server: Any = None  # media.frame_server.FrameServer once opened
        self._thread = threading.Thread(target=self._run, name="frame-fetcher", daemon=True)
        self._thread.start()

    def open(self, path: str | Path, info: Any = None) -> None:
        self._submit(("open", (Path(path), info)))

    def request(self, index: int) -> None:
        self._submit(("frame", int(index)))

    def _submit(self, job: tuple[str, Any]) -> None:
        with self._cond:
            # an open must not be overtaken by a frame request: merge them
            if self._pending is not None and self._pending[0] == "open" and job[0] == "frame":
                path, info = self._pending[1]
                self._pending = ("open", (path, info, job[1]))
            else:
                self._pending = job
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._quit = True
            self._cond.notify()
        self._thread.join(timeout=5)
        if self.server is not None:
            self.server.close()
            self.server = None

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._quit:
                    self._cond.wait()
                if self._quit:
                    return
                kind, arg = self._pending  # type: ignore[misc]
                self._pending = None
            if kind == "open":
                self._do_open(*arg)
            else:
                self._do_frame(arg)
                self._prefetch(arg + 1)

    def _prefetch(self, index: int) -> None:
        """While idle, decode the next frame ahead: the usual next key is → (a cache hit then)."""
        with self._cond:
            if self._pending is not None or self._quit:
                return
        server = self.server
        if server is None or not 0 <= index < server.info.frame_count:
            return
        try:
            server.frame(index)
        except Exception:  # a damaged frame: reported when it is really asked for
            pass

    def _do_open(self, path: Path, info: Any, then: int = 0) -> None:
        from critique_app.media.frame_server import FrameServer

        if self.server is not None:
            self.server.close()
            self.server = None
        try:
            self.server = FrameServer(path, info)
        except UserError as err:
            self.open_failed.emit(str(err))
            return
        except Exception as err:  # a file PyAV chokes on is still the user's file problem
            self.open_failed.emit(f"{path.name} could not be opened: {err}.")
            return
        self.opened.emit(self.server.info)
        self._do_frame(then)

    def _do_frame(self, index: int) -> None:
        if self.server is None:
            return
        try:
            frame = self.server.frame(index)
        except UserError as err:
            self.failed.emit(index, str(err))
            return
        except Exception as err:
            self.failed.emit(index, f"Frame {index} could not be decoded: {err}.")
            return
        self.ready.emit(frame)
