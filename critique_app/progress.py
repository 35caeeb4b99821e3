"""One way to run long work: a plain function taking a `Progress`.

The function calls `progress.update(done, total, message)` now and then; that
call raises `Cancelled` once the user has asked to stop. The GUI wraps it in a
worker with a progress bar and Cancel; the command line prints a bar on stderr.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

from critique_app.errors import Cancelled

ProgressCallback = Callable[[int, int, str], None]


class Progress:
    """Progress report plus cancel token, passed into long-running functions.

    `publish(item)` hands a partial result (a thumbnail, a decoded frame) to whoever runs the
    work; `on_cancel(wake)` lets a worker that sleeps on its own condition be woken by Cancel.
    """

    def __init__(
        self,
        callback: ProgressCallback | None = None,
        on_partial: Callable[[Any], None] | None = None,
    ) -> None:
        self._callback = callback
        self._on_partial = on_partial
        self._cancel = threading.Event()
        self._settled = False
        self._wakers: list[Callable[[], None]] = []

    def cancel(self) -> None:
        self._cancel.set()
        for wake in list(self._wakers):
            wake()

    def on_cancel(self, wake: Callable[[], None]) -> None:
        """Call `wake` when cancelled (at once when that already happened)."""
        self._wakers.append(wake)
        if self._cancel.is_set():
            wake()

    def publish(self, item: Any) -> None:
        """A partial result; dropped when nobody listens."""
        if self._on_partial is not None:
            self._on_partial(item)

    @property
    def cancelled(self) -> bool:
        """Whether the work stops (or stopped) at the user's request: never once it is settled."""
        return self._cancel.is_set() and not self._settled

    @property
    def asked_to_cancel(self) -> bool:
        """Whether Cancel was pressed at all, even after the work was settled."""
        return self._cancel.is_set()

    def settle(self) -> None:
        """The work is done and kept (an import committed): a Cancel pressed from now on, or
        between the last check and the commit, no longer makes it 'cancelled', so whoever ran
        it reports what really happened."""
        self._settled = True

    def check(self) -> None:
        """Raise `Cancelled` if the user asked to stop."""
        if self.cancelled:
            raise Cancelled()

    def update(self, done: int, total: int, message: str = "") -> None:
        self.check()
        if self._callback is not None:
            self._callback(done, total, message)


NO_PROGRESS = Progress()


class Background:
    """Work on a plain thread, for code without a window (the command line, tests).

    In the window the task runner plays this part (same `cancel`, `wait` and `running`), so
    engines written against it never start threads the window does not own.
    """

    def __init__(self, label: str, fn: Callable[[Progress], object]) -> None:
        self.label = label
        self.progress = Progress()
        self._thread = threading.Thread(target=fn, args=(self.progress,), name=label, daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self.progress.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


Spawn = Callable[[str, Callable[[Progress], object]], Any]
"""Starts `fn(progress)` in the background; returns something with cancel/wait/running."""


class TerminalProgress(Progress):
    """A bar on stderr for the command line, redrawn at most ten times a second."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        super().__init__(self._draw)
        self._label = label
        self._stream = stream if stream is not None else sys.stderr
        self._last = 0.0
        self._shown = False

    def _draw(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        if not self._stream.isatty():
            return
        width = 30
        filled = int(width * done / total) if total else 0
        pct = f"{100 * done / total:5.1f}%" if total else "     "
        text = f"\r{self._label} [{'#' * filled}{'.' * (width - filled)}] {pct} {message[:40]:<40}"
        self._stream.write(text)
        self._stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()
