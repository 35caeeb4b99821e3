"""One way to run long work from the window: a plain function taking a Progress, on a thread.

`run_task(fn, *args)` starts `fn(progress, *args)` on a worker thread; progress, the result and
errors come back as signals on the GUI thread. `TaskBar` shows a label, a bar and Cancel.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QObject, Qt, pyqtSignal
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from critique_app.errors import Cancelled, UserError
from critique_app.progress import Progress

_QUEUED = Qt.ConnectionType.QueuedConnection
log = logging.getLogger("critique.worker")


class Task(QObject):
    progressed = pyqtSignal(int, int, str)
    done = pyqtSignal(object)  # the function's result
    failed = pyqtSignal(str)  # a sentence (UserError) or a bug summary
    cancelled = pyqtSignal()
    finished = pyqtSignal()  # after any of the three above

    def __init__(self, label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.label = label
        self.progress = Progress(self._report)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._thread = threading.Thread(target=self._run, name=f"task:{label}", daemon=True)
        self.result: Any = None
        self.error: str | None = None

    def start(self) -> Task:
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.progress.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _report(self, done: int, total: int, message: str) -> None:
        self.progressed.emit(done, total, message)

    def _run(self) -> None:
        try:
            self.result = self._fn(self.progress, *self._args, **self._kwargs)
        except Cancelled:
            self.cancelled.emit()
        except UserError as err:
            self.error = str(err)
            self.failed.emit(self.error)
        except Exception as err:  # a bug: keep the traceback in the log, show one line
            log.error("%s failed\n%s", self.label, traceback.format_exc())
            self.error = f"{self.label} failed unexpectedly: {err!r}"
            self.failed.emit(self.error)
        else:
            self.done.emit(self.result)
        self.finished.emit()


def run_task(
    label: str,
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    bar: TaskBar | None = None,
    **kwargs: Any,
) -> Task:
    """Start `fn(progress, *args, **kwargs)`; callbacks run on the GUI thread."""
    task = Task(label, fn, *args, **kwargs)
    if on_done is not None:
        task.done.connect(on_done, _QUEUED)
    if on_error is not None:
        task.failed.connect(on_error, _QUEUED)
    if bar is not None:
        bar.follow(task)
    return task.start()


class TaskBar(QWidget):
    """Label + progress bar + Cancel for the task it follows; hidden when idle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TaskBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.task: Task | None = None
        self.cancel_button.clicked.connect(self._cancel)
        self.hide()

    def follow(self, task: Task) -> None:
        self.task = task
        self.label.setText(task.label)
        self.bar.setRange(0, 0)
        task.progressed.connect(self._progress, _QUEUED)
        task.finished.connect(self._finished, _QUEUED)
        self.show()

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if message:
            self.label.setText(f"{self.task.label if self.task else ''}: {message}")

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _finished(self) -> None:
        if self.task is not None and not self.task.running:
            self.hide()
