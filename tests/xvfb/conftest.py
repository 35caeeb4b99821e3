"""A private Xvfb server per test session, on a free display number.

Qt cannot switch platform inside one process (the suite runs offscreen), so the scenarios run in
a subprocess with QT_QPA_PLATFORM=xcb and DISPLAY pointing at this server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.xvfb.display import REPO, NoDisplay, start_xvfb, x_environment


@pytest.fixture(scope="session")
def xvfb_display() -> Iterator[str]:
    try:  # a missing dependency fails: ./run-tests installs xvfb
        proc, display = start_xvfb()
    except NoDisplay as err:
        pytest.fail(str(err))
    try:
        yield display
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def window_manager(xvfb_display: str) -> Iterator[str]:
    """openbox on the display: without a window manager, keys sent through XTEST (xdotool)
    reach no window."""
    if shutil.which("openbox") is None or shutil.which("xdotool") is None:
        pytest.fail("openbox and xdotool are needed (./run-tests installs them).")
    wm = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env={**os.environ, "DISPLAY": xvfb_display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield xvfb_display
    finally:
        wm.terminate()
        wm.wait(10)


def scenario_env(display: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a scenario process: a real X window on `display`, silent VLC."""
    return x_environment(display, tmp_path / "data")


# A scenario that prints nothing new for this long is hung. Its whole length is never bounded:
# fifty windows with libvlc take minutes on a quiet machine and far longer beside CPU hogs (a
# 900 s bound on the whole failed three runs at load 14 while every window still came and went).
STALL_SECONDS = 300.0


@pytest.fixture
def run_scenario(xvfb_display: str, tmp_path: Path) -> Any:
    """`run_scenario(name, clip)` -> the JSON the scenario wrote (its checks, as data). The
    scenario prints a line at each step (tests/xvfb/scenarios.py `step`); only a scenario that
    makes no step for STALL_SECONDS is stopped, as hung."""

    def run(name: str, clip: Path) -> dict[str, Any]:
        out = tmp_path / f"{name}.json"
        log = tmp_path / f"{name}.log"
        env = scenario_env(xvfb_display, tmp_path)
        with log.open("w") as sink:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.xvfb.scenarios", name, str(clip), str(out)],
                cwd=REPO,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
            )
            size, quiet_since = 0, time.monotonic()
            while proc.poll() is None:
                try:
                    proc.wait(timeout=1.0)
                except subprocess.TimeoutExpired:
                    pass
                grown = log.stat().st_size
                if grown != size:
                    size, quiet_since = grown, time.monotonic()
                elif time.monotonic() - quiet_since > STALL_SECONDS:
                    proc.kill()
                    proc.wait()
                    pytest.fail(
                        f"scenario {name} made no step in {STALL_SECONDS:.0f} s (hung):\n"
                        + log.read_text()[-4000:]
                    )
        output = log.read_text()
        assert proc.returncode == 0, f"scenario {name} failed:\n{output[-8000:]}"
        return json.loads(out.read_text())

    return run
