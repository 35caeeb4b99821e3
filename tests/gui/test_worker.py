"""The worker helper: a plain function with a Progress on a thread; results, errors and Cancel
come back on the GUI thread, with a bar the user sees."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PyQt6.QtWidgets import QApplication

from critique_app.errors import UserError
from critique_app.gui.worker import TaskBar, run_task
from critique_app.progress import Progress


def count_to(progress: Progress, n: int, delay: float = 0.0) -> int:
    for i in range(n):
        progress.update(i + 1, n, f"step {i + 1}")
        time.sleep(delay)
    return threading.get_ident()


def test_result_and_progress_come_back_on_the_gui_thread(qtbot: Any) -> None:
    bar = TaskBar()
    qtbot.addWidget(bar)
    got: list[Any] = []
    task = run_task(
        "Counting", count_to, 20, on_done=lambda r: got.append((r, threading.get_ident())), bar=bar
    )
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    worker_thread, called_on = got[0]
    assert worker_thread != threading.get_ident()
    assert called_on == threading.get_ident()
    qtbot.waitUntil(lambda: bar.bar.value() == 20)
    assert task.result == worker_thread


def test_cancel_stops_the_work(qtbot: Any) -> None:
    bar = TaskBar()
    qtbot.addWidget(bar)
    bar.show()
    task = run_task("Slow", count_to, 10_000, 0.001, bar=bar)
    qtbot.waitUntil(lambda: bar.bar.value() > 0, timeout=5000)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        bar.cancel_button.click()
    assert task.wait(2)
    qtbot.waitUntil(lambda: not bar.isVisible())


@pytest.mark.parametrize(
    "error, expected",
    [
        (UserError("notes.json is not a vocabulary file."), "notes.json is not a vocabulary file."),
        (ZeroDivisionError("division by zero"), "failed unexpectedly"),
    ],
)
def test_errors_arrive_as_sentences(qtbot: Any, error: Exception, expected: str) -> None:
    def boom(progress: Progress) -> None:
        raise error

    messages: list[str] = []
    run_task("Import", boom, on_error=messages.append)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert expected in messages[0]
    QApplication.processEvents()
