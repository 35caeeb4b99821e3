"""The window's task runner: a plain function with a Progress on a thread; results, partial
results, errors and Cancel come back on the GUI thread; stale work is dropped and joined."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PyQt6.QtWidgets import QApplication, QLabel, QMainWindow

from critique_app.errors import UserError
from critique_app.gui.worker import LABEL_MOST, TaskBar, TaskRunner
from critique_app.progress import Progress
from tests.conftest import FRAME_WAIT_MS

HANG_GUARD_S = FRAME_WAIT_MS / 1000  # a join that takes this long is a hang, not slowness


def count_to(progress: Progress, n: int, delay: float = 0.0) -> int:
    for i in range(n):
        progress.update(i + 1, n, f"step {i + 1}")
        progress.publish(i)
        time.sleep(delay)
    return threading.get_ident()


@pytest.fixture
def runner(qtbot: Any) -> Any:
    made = TaskRunner()
    yield made
    made.shutdown()


def test_result_partials_and_progress_come_back_on_the_gui_thread(
    qtbot: Any, runner: TaskRunner
) -> None:
    bar = TaskBar(runner)
    qtbot.addWidget(bar)
    got: list[Any] = []
    partial_threads: set[int] = set()
    task = runner.run(
        "Counting",
        count_to,
        20,
        on_done=lambda r: got.append((r, threading.get_ident())),
        on_partial=lambda _i: partial_threads.add(threading.get_ident()),
    )
    qtbot.waitUntil(lambda: bool(got), timeout=FRAME_WAIT_MS)
    worker_thread, called_on = got[0]
    assert worker_thread != threading.get_ident()
    assert called_on == threading.get_ident()
    assert partial_threads == {threading.get_ident()}
    assert task.result == worker_thread
    qtbot.waitUntil(lambda: runner.idle and not bar.isVisible())


def test_cancel_from_the_bar_stops_the_work(qtbot: Any, runner: TaskRunner) -> None:
    bar = TaskBar(runner)
    qtbot.addWidget(bar)
    task = runner.run("Slow", count_to, 100_000, 0.001)
    qtbot.waitUntil(lambda: bar.isVisible() and bar.bar.value() > 0, timeout=FRAME_WAIT_MS)
    with qtbot.waitSignal(task.cancelled, timeout=FRAME_WAIT_MS):
        bar.cancel_button.click()
    assert task.wait(HANG_GUARD_S)  # it ends (the bound only guards against a hang)
    qtbot.waitUntil(lambda: not bar.isVisible())


def test_the_bars_label_takes_the_room_the_cancel_button_does_not_need(
    qtbot: Any, runner: TaskRunner
) -> None:
    """Session 19: in the French window at 1280 px, Cancel stretched to 210 pixels beside a
    label cut to "Empreintes d'ancrage : 195 annotat"; the button keeps its own width, and
    the label gets the rest of the bar."""
    bar = TaskBar(runner)
    qtbot.addWidget(bar)
    task = runner.run("Anchor fingerprints", count_to, 100_000, 0.001)
    qtbot.waitUntil(lambda: bar.isVisible() and bar.bar.value() > 0, timeout=FRAME_WAIT_MS)
    bar.resize(700, bar.sizeHint().height())
    qtbot.waitUntil(lambda: bar.width() == 700)
    button = bar.cancel_button
    assert button.width() == button.sizeHint().width()
    spacing = 2 * bar.layout().spacing()
    assert bar.label.width() == 700 - bar.bar.width() - button.width() - spacing
    task.cancel()
    assert task.wait(HANG_GUARD_S)


def test_the_task_is_named_whole_beside_a_message_at_1280_pixels(
    qtbot: Any, runner: TaskRunner
) -> None:
    """Session 20: in the French window at 1280 px, beside the audio warning, the bar read
    "Recherche des corresponda" (179 pixels for 247) with half the status bar empty; a step
    longer than LABEL_MOST is cut there and never widens the window."""
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = TaskBar(runner, window)
    status = window.statusBar()
    assert status is not None
    status.addPermanentWidget(bar)
    status.addWidget(QLabel("Aucun périphérique audio trouvé : les films sont lus sans le son."))
    window.resize(1280, 800)
    window.show()
    label = bar.label
    for name, whole in (("Recherche des correspondances", True), ("Export html " * 30, False)):
        task = runner.run(name, count_to, 100_000, 0.001)
        qtbot.waitUntil(
            lambda task=task: bar.task is task and bar.bar.value() > 0, timeout=FRAME_WAIT_MS
        )
        needs = label.fontMetrics().horizontalAdvance(label.text())
        if whole:
            qtbot.waitUntil(lambda needs=needs: label.width() >= needs, timeout=FRAME_WAIT_MS)
        else:
            qtbot.waitUntil(lambda: label.width() == LABEL_MOST, timeout=FRAME_WAIT_MS)
        assert window.width() == 1280 and window.minimumSizeHint().width() < 1280
        task.cancel()
        assert task.wait(HANG_GUARD_S)
        qtbot.waitUntil(bar.isHidden, timeout=FRAME_WAIT_MS)  # its end said before the next


def test_dropped_work_reports_nothing_and_is_joined(qtbot: Any, runner: TaskRunner) -> None:
    seen: list[object] = []
    film_a = runner.run(
        "Thumbnails of film A",
        count_to,
        100_000,
        0.001,
        scope="film",
        on_partial=seen.append,
        on_done=seen.append,
        on_cancelled=lambda: seen.append("cancelled"),
    )
    qtbot.waitUntil(lambda: len(seen) > 3)
    late = runner.cancel("film", timeout=HANG_GUARD_S)  # another film opens
    assert late == [] and not film_a.running
    count = len(seen)
    qtbot.wait(100)  # whatever was queued before the drop is not delivered either
    assert len(seen) == count and "cancelled" not in seen
    assert runner.tasks("film") == []


def test_each_scope_is_cancelled_on_its_own(qtbot: Any, runner: TaskRunner) -> None:
    film = runner.run("Film work", count_to, 100_000, 0.001, scope="film")
    project = runner.run("Project work", count_to, 100_000, 0.001, scope="project")
    runner.cancel("film", timeout=HANG_GUARD_S)
    assert not film.running and project.running
    runner.cancel("project", timeout=HANG_GUARD_S)
    assert not project.running


def test_shutdown_joins_everything_at_once(qtbot: Any, runner: TaskRunner) -> None:
    tasks = [runner.run(f"Work {i}", count_to, 1_000_000, 0.001) for i in range(4)]
    # every task stopped at its Cancel and was joined (the bound only guards against a hang)
    assert runner.shutdown(timeout=HANG_GUARD_S) == []
    assert not any(t.running for t in tasks)
    after = runner.run("Too late", count_to, 10)
    assert not after.running and after.dropped  # nothing starts in a closing window


@pytest.mark.parametrize(
    "error, expected",
    [
        (UserError("notes.json is not a vocabulary file."), "notes.json is not a vocabulary file."),
        (ZeroDivisionError("division by zero"), "failed unexpectedly"),
    ],
)
def test_errors_arrive_as_sentences(
    qtbot: Any, runner: TaskRunner, error: Exception, expected: str
) -> None:
    def boom(progress: Progress) -> None:
        raise error

    messages: list[str] = []
    runner.run("Import", boom, on_error=messages.append)
    qtbot.waitUntil(lambda: bool(messages), timeout=FRAME_WAIT_MS)
    assert expected in messages[0]
    QApplication.processEvents()


def test_work_settled_before_a_late_cancel_is_reported_done(qtbot: Any, runner: TaskRunner) -> None:
    """An import committed just before the user's Cancel is reported as what it is: done, with
    its result (the window then says what was imported and Ctrl+Z can take it back), never
    'cancelled: nothing added'."""
    got: list[object] = []
    cancelled: list[bool] = []

    def saved(progress: Progress) -> str:
        progress.update(1, 1, "saving")
        progress.settle()  # committed: a Cancel can no longer take it back
        progress.cancel()  # the user's Cancel, a moment too late
        progress.check()  # and nothing stops because of it
        return "kept"

    task = runner.run(
        "Saving", saved, on_done=got.append, on_cancelled=lambda: cancelled.append(True)
    )
    qtbot.waitUntil(lambda: task.delivered, timeout=FRAME_WAIT_MS)
    assert got == ["kept"] and not cancelled
