"""The window's one owner of background work: every worker thread starts, reports and ends here.

Like Anki's TaskManager: `TaskRunner.run(label, fn, *args)` starts `fn(progress, *args)` on a
thread. The worker only ever emits on a relay that the task itself keeps alive (never on a
panel's object), and the runner re-emits on the GUI thread, dropping what a cancelled task
still sends. Tasks belong to a scope: "film" work is cancelled when another film opens,
"project" work when the project closes, and `shutdown()` cancels and joins everything before
the window's objects go.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from PyQt6.QtCore import QObject, QSize, Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from critique_app.errors import Cancelled, UserError
from critique_app.i18n import _
from critique_app.progress import Progress

_QUEUED = Qt.ConnectionType.QueuedConnection
log = logging.getLogger("critique.worker")
PROGRESS_EVERY_S = 0.05  # a bar redrawn 20 times a second is smooth; per frame floods the queue
SCOPES = ("window", "project", "film")
Q = TypeVar("Q", bound=QObject)


class _Relay(QObject):
    """What a worker thread emits on. Parentless and held by its task: Qt never deletes it
    under a running thread."""

    progressed = pyqtSignal(int, int, str)
    partial = pyqtSignal(object)
    ended = pyqtSignal(str, object)  # "done" | "failed" | "cancelled", result or sentence


class Task(QObject):
    """One piece of background work. Its signals are emitted on the GUI thread only, and not at
    all once the task was cancelled from the window (its results belong to nobody)."""

    progressed = pyqtSignal(int, int, str)
    partial = pyqtSignal(object)
    done = pyqtSignal(object)  # the function's result
    failed = pyqtSignal(str)  # a sentence (UserError) or a bug summary
    cancelled = pyqtSignal()
    finished = pyqtSignal()  # after any of the three above, even when dropped (not after shutdown)

    def __init__(
        self,
        label: str,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        scope: str = "window",
    ) -> None:
        super().__init__()
        self.label, self.scope = label, scope
        self._relay = _Relay()
        self._relay.progressed.connect(self._on_progress, _QUEUED)  # type: ignore[call-arg]  # stubs lack the connection type
        self._relay.partial.connect(self._on_partial, _QUEUED)  # type: ignore[call-arg]  # stubs lack the connection type
        self._relay.ended.connect(self._on_ended, _QUEUED)  # type: ignore[call-arg]  # stubs lack the connection type
        self.progress = Progress(self._report, self._relay.partial.emit)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._thread = threading.Thread(target=self._run, name=f"task:{label}", daemon=True)
        self._last_report = 0.0
        self.dropped = False  # cancelled from the window: nothing more reaches the GUI
        self.silenced = False  # its window shut down: not even `finished` is emitted
        self.delivered = False  # `finished` has run on the GUI thread
        self.result: Any = None
        self.error: str | None = None

    def where(self) -> str:
        """Where the task's thread is now (its innermost calls), for the log of a task that
        did not stop when cancelled: the place that does not check for Cancel."""
        frame = sys._current_frames().get(self._thread.ident or -1)
        return "".join(traceback.format_stack(frame, limit=8)) if frame else "(ended)"

    # -- the GUI thread ----------------------------------------------------------------------
    def start(self) -> Task:
        self._thread.start()
        return self

    def cancel(self) -> None:
        """The user's Cancel: stop at the next frame; `cancelled` follows."""
        self.progress.cancel()

    def drop(self) -> None:
        """Stale work (another film, another project, the window closing): stop at the next
        frame, and nothing it still produces reaches the GUI."""
        self.dropped = True
        self.progress.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread.ident is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if not self.dropped:
            self.progressed.emit(done, total, message)

    def _on_partial(self, item: object) -> None:
        if not self.dropped:
            self.partial.emit(item)

    def _on_ended(self, how: str, value: object) -> None:
        if self.silenced:  # whoever listened to `finished` may be deleted by now
            self.delivered = True
            return
        if not self.dropped:
            if how == "done":
                self.done.emit(value)
            elif how == "failed":
                self.failed.emit(str(value))
            else:
                self.cancelled.emit()
        self.delivered = True
        self.finished.emit()

    # -- the worker thread -------------------------------------------------------------------
    def _report(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if now - self._last_report >= PROGRESS_EVERY_S or done >= total:
            self._last_report = now
            self._relay.progressed.emit(done, total, message)

    def _run(self) -> None:
        try:
            self.result = self._fn(self.progress, *self._args, **self._kwargs)
        except Cancelled:
            self._relay.ended.emit("cancelled", None)
        except UserError as err:
            self.error = str(err)
            self._relay.ended.emit("failed", self.error)
        except Exception as err:  # a bug: keep the traceback in the log, show one line
            log.error("%s failed\n%s", self.label, traceback.format_exc())
            self.error = _("{task} failed unexpectedly: {error}").format(
                task=self.label, error=repr(err)
            )
            self._relay.ended.emit("failed", self.error)
        else:
            if self.progress.cancelled:
                self._relay.ended.emit("cancelled", None)
            else:
                self._relay.ended.emit("done", self.result)


class TaskRunner(QObject):
    """Owned by the main window for its whole life; the only place the window starts threads."""

    started = pyqtSignal(object)  # Task, shown by the TaskBar when it is visible work

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: list[Task] = []  # kept until `finished` has been delivered
        self._adopted: list[QObject] = []
        self.closed = False

    def adopt(self, relay: Q) -> Q:
        """Keep a parentless object that threads outside the runner emit on (libvlc's event
        threads call the engine bridge) alive as long as the runner itself."""
        self._adopted.append(relay)
        return relay

    def run(
        self,
        label: str,
        fn: Callable[..., Any],
        *args: Any,
        scope: str = "window",
        visible: bool = True,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_partial: Callable[[Any], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Task:
        """Start `fn(progress, *args, **kwargs)`; the callbacks run on the GUI thread."""
        if scope not in SCOPES:
            raise ValueError(f"'{scope}' is not a task scope ({', '.join(SCOPES)}).")
        task = Task(label, fn, args, kwargs, scope)
        for signal, slot in (
            (task.done, on_done),
            (task.failed, on_error),
            (task.partial, on_partial),
            (task.cancelled, on_cancelled),
            (task.finished, on_finished),
        ):
            if slot is not None:
                signal.connect(slot)
        task.finished.connect(lambda: self._forget(task))
        if self.closed:  # the window is going: nothing new starts, nothing will be shown
            log.info("%s not started: the window is closing", label)
            task.dropped = True
            return task
        self._tasks.append(task)
        if visible:
            self.started.emit(task)
        return task.start()

    def spawn(self, label: str, fn: Callable[[Progress], object]) -> Task:
        """A long-lived loop (exact frames, exact playback) as an invisible window task; it
        ends when cancelled (Progress.on_cancel wakes it)."""
        return self.run(label, fn, visible=False)

    def _forget(self, task: Task) -> None:
        if task in self._tasks and not task.running:
            self._tasks.remove(task)

    def tasks(self, scope: str | None = None) -> list[Task]:
        """Tasks whose thread still runs or whose end has not reached the GUI yet."""
        self._tasks = [t for t in self._tasks if t.running or not t.delivered]
        return [t for t in self._tasks if scope is None or t.scope == scope]

    @property
    def idle(self) -> bool:
        return not any(t.running for t in self.tasks())

    def cancel(self, *scopes: str, timeout: float = 1.0) -> list[Task]:
        """Cancel (and join, up to `timeout` in all) the tasks of these scopes; returns those
        still running after it. Their results are dropped either way."""
        doomed = [t for t in self.tasks() if t.scope in scopes]
        for task in doomed:
            task.drop()
        return self._join(doomed, timeout)

    def shutdown(self, timeout: float = 2.0) -> list[Task]:
        """Cancel everything and join it: the first thing the window does when it closes. From
        then on the runner's tasks emit nothing at all, not even `finished`: what they would
        report to is about to be deleted."""
        self.closed = True
        doomed = self.tasks()
        for task in doomed:
            task.drop()
            task.silenced = True  # the window's objects go next: nothing is emitted to them
        late = self._join(doomed, timeout)
        for task in late:
            log.warning(
                "%s did not stop within %.1f s of Cancel, in:\n%s",
                task.label,
                timeout,
                task.where(),
            )
        return late

    def join(self, timeout: float = 60.0) -> list[Task]:
        """After shutdown(): wait for the threads that did not stop within its timeout (a
        worker inside one long native call), so none outlives the objects it reports to or
        the process. `timeout` only guards against a hang; returns those still running."""
        late = self._join([t for t in self._tasks if t.running], timeout)
        for task in late:
            log.error(
                "%s still runs %.0f s after the window closed, in:\n%s",
                task.label,
                timeout,
                task.where(),
            )
        return late

    @staticmethod
    def _join(tasks: list[Task], timeout: float) -> list[Task]:
        deadline = time.monotonic() + timeout
        for task in tasks:
            task.wait(max(0.0, deadline - time.monotonic()))
        return [t for t in tasks if t.running]


LABEL_MOST = 420  # pixels: the widest the task's label asks to be


class _TaskLabel(QLabel):
    """The task and its step, asking for the room its words take up to LABEL_MOST pixels and
    content with a pixel: asking for none, it was left what the status bar's permanent side
    had ("Recherche des corresponda…" at 1280 px beside the audio warning, session 20); asking
    for all, a long step ("Export html: writing the page") widened the window past the screen."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        return QSize(min(hint.width(), LABEL_MOST), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(1, super().minimumSizeHint().height())


class TaskBar(QWidget):
    """Label + progress bar + Cancel for the newest visible task; hidden when none runs."""

    def __init__(self, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TaskBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = _TaskLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # the button as wide as its word: stretched, it took half the label's room and cut
        # the anchor pass's label and step at 1280 px in French (session 19)
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.task: Task | None = None
        self._shown: list[Task] = []
        self._state: dict[int, tuple[int, int, str]] = {}
        self.cancel_button.clicked.connect(self._cancel)
        if runner is not None:
            runner.started.connect(self.follow)
        self.hide()

    def follow(self, task: Task) -> None:
        self._shown.append(task)
        task.progressed.connect(lambda d, t, m: self._progress(task, d, t, m))
        task.finished.connect(lambda: self._finished(task))
        self._show(task)

    def _show(self, task: Task) -> None:
        self.task = task
        done, total, message = self._state.get(id(task), (0, 0, ""))
        self.label.setText(
            _("{task}: {step}").format(task=task.label, step=message) if message else task.label
        )
        self.label.setToolTip(self.label.text())  # the whole step when the label is cut
        self.bar.setRange(0, total if total > 0 else 0)
        if total > 0:
            self.bar.setValue(done)
        self.show()

    def _progress(self, task: Task, done: int, total: int, message: str) -> None:
        self._state[id(task)] = (done, total, message)
        if task is self.task:
            self._show(task)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self._finished(self.task)

    def _finished(self, task: Task) -> None:
        self._state.pop(id(task), None)
        if task in self._shown:
            self._shown.remove(task)
        if task is self.task:
            self.task = None
            if self._shown:
                self._show(self._shown[-1])
            else:
                self.hide()
