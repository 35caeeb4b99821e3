"""Shared test set-up: Qt offscreen, a private data folder, the real provenance corpus."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Before any Qt import: widgets render offscreen unless a test runs its own X server.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("CRITIQUE_SHARED", REPO.parent / "shared")) / "fixtures" / "provenance"


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
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must have the real provenance corpus at {CORPUS}, and it is missing.")
    pytest.skip(
        f"the real provenance corpus is not beside this clone ({CORPUS}); "
        "tests on generated media still ran"
    )


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory):  # -> DemoProject
    """The real demo project, built once per test session (about a minute)."""
    from critique_app.services.demo import ensure_demo

    return ensure_demo(tmp_path_factory.mktemp("demo"))


# A busy machine (CI, two cores) can make a worker thread take seconds where a laptop takes
# milliseconds. Waits end as soon as their condition holds, so a generous floor costs nothing
# when things work and only turns "slow" into "still passes"; a real hang still fails.
PATIENCE_MS = 45_000


@pytest.fixture(autouse=True, scope="session")
def _patient_qtbot() -> Iterator[None]:
    try:
        from pytestqt.qtbot import QtBot
    except ImportError:  # tests without Qt
        yield
        return
    wait_until, wait_signal, wait_signals = QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals

    def patient_until(self: Any, callback: Any, *, timeout: int = 5000) -> None:
        wait_until(self, callback, timeout=max(timeout, PATIENCE_MS))

    def patient_signal(self: Any, signal: Any, *, timeout: int = 5000, **kw: Any) -> Any:
        return wait_signal(
            self, signal, timeout=max(timeout, PATIENCE_MS) if timeout > 0 else timeout, **kw
        )

    def patient_signals(self: Any, signals: Any, *, timeout: int = 5000, **kw: Any) -> Any:
        return wait_signals(
            self, signals, timeout=max(timeout, PATIENCE_MS) if timeout > 0 else timeout, **kw
        )

    QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals = (  # type: ignore[method-assign]
        patient_until,
        patient_signal,
        patient_signals,
    )
    yield
    QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals = (  # type: ignore[method-assign]
        wait_until,
        wait_signal,
        wait_signals,
    )
