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


@pytest.fixture
def run_scenario(xvfb_display: str, tmp_path: Path) -> Any:
    """`run_scenario(name, clip)` -> the JSON the scenario wrote (its checks, as data)."""

    def run(name: str, clip: Path, timeout: float = 90) -> dict[str, Any]:
        out = tmp_path / f"{name}.json"
        env = scenario_env(xvfb_display, tmp_path)
        done = subprocess.run(
            [sys.executable, "-m", "tests.xvfb.scenarios", name, str(clip), str(out)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"scenario {name} failed:\n{done.stdout}\n{done.stderr}"
        return json.loads(out.read_text())

    return run
