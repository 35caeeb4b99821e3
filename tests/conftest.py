"""Shared test set-up: Qt offscreen, a private data folder, the real provenance corpus."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.missing import missing

# CI (CI=true) replays the same examples every run, so a red CI is a regression and never luck;
# deadlines are off there because a busy 2-core runner can make any one example slow. Locally
# the default profile keeps exploring new examples.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]

# Before any Qt import: widgets render offscreen, on one 1280×800 screen (the laptop the window
# must fit, issue 21), unless a test runs its own X server.
os.environ.setdefault(
    "QT_QPA_PLATFORM", f"offscreen:configfile={REPO / 'tests' / 'laptop_screen.json'}"
)
# The tests read Critique's English sentences: a developer's French computer (LANG=fr_FR...)
# must not change them. Translation tests choose their language themselves (tests/i18n/).
os.environ["LANGUAGE"] = "en"
CORPUS = Path(os.environ.get("CRITIQUE_SHARED", REPO.parent / "shared")) / "fixtures" / "provenance"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """After pytest-qt has closed a test's windows, delete them at once, as the app's event
    loop would. pytest-qt's deleteLater() otherwise waits for the next test's first event loop,
    and closed windows, half taken apart by Python's garbage collector, piled up (1,380 widgets
    of four windows by the Preferences tests): an app-wide restyle walked them and once crashed
    CI (a segfault in QApplication.setStyleSheet)."""
    yield
    import sys

    if "PyQt6.QtWidgets" not in sys.modules:  # a test without Qt: nothing to delete
        return
    from PyQt6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


@pytest.fixture(autouse=True)
def _english_again() -> Iterator[None]:
    """Each test finds English, whatever the one before chose: Preferences' language applies
    at once, and a window built after a French test measured 1 px too wide for a 1280×720
    screen (the French transport bar is 25 px wider)."""
    yield
    from critique_app import i18n

    if i18n.current() != i18n.SOURCE or i18n.chosen_explicitly():
        i18n.use(i18n.SOURCE)


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's own ~/.local/share/critique from a test."""
    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(tmp_path_factory.mktemp("critique-data")))


@pytest.fixture(scope="session")
def provenance_corpus() -> Path:
    """../shared/fixtures/provenance: required in CI, skipped with a reason elsewhere."""
    if (CORPUS / "MANIFEST.txt").is_file():
        return CORPUS
    missing(
        f"the real provenance corpus is not beside this clone ({CORPUS}); "
        "tests on generated media still ran"
    )


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory):  # -> DemoProject
    """The real demo project, built once per test session (about a minute)."""
    from critique_app.services.demo import ensure_demo

    return ensure_demo(tmp_path_factory.mktemp("demo"))


# How long a GUI test waits for what it asked a worker for, when the test names no time:
# one exact frame decoded on a busy two-core machine. A test waiting for longer work (an export,
# fingerprinting a film) says so with its own timeout; nothing pads an explicit one.
FRAME_WAIT_MS = 20_000


@pytest.fixture(autouse=True, scope="session")
def _frame_wait_default() -> Iterator[None]:
    try:
        from pytestqt.qtbot import QtBot
    except ImportError:  # tests without Qt
        yield
        return
    wait_until, wait_signal, wait_signals = QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals

    def until(self: Any, callback: Any, *, timeout: int = FRAME_WAIT_MS) -> None:
        wait_until(self, callback, timeout=timeout)

    def signal(self: Any, sig: Any = None, *, timeout: int = FRAME_WAIT_MS, **kw: Any) -> Any:
        return wait_signal(self, sig, timeout=timeout, **kw)

    def signals(self: Any, sigs: Any = None, *, timeout: int = FRAME_WAIT_MS, **kw: Any) -> Any:
        return wait_signals(self, sigs, timeout=timeout, **kw)

    QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals = (  # type: ignore[method-assign]
        until,
        signal,
        signals,
    )
    yield
    QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals = (  # type: ignore[method-assign]
        wait_until,
        wait_signal,
        wait_signals,
    )


def _process_wide(thread: threading.Thread) -> bool:
    """Threads that belong to the process, not to a test: the app's one warm C2PA reader
    (started on first use, closed with the window or at exit), and Dask's offload executor
    (one per process, shared by every Dask client that process ever makes)."""
    return thread.name == "critique-reader-pipe" or thread.name.startswith("Dask-Offload")


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail any test that leaves a thread running (a task, a fetcher, an engine loop): work
    that outlives its test would outlive its window in the app."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5.0  # threads told to stop get a moment to end
    while True:
        leaked = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not _process_wide(t)
        ]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not leaked, f"test left threads running: {sorted(t.name for t in leaked)}"
