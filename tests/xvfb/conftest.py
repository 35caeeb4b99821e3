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

REPO = Path(__file__).resolve().parents[2]


def _free_display() -> int:
    for number in range(90, 400):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError("no free X display number between :90 and :399")


@pytest.fixture(scope="session")
def xvfb_display() -> Iterator[str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:  # a missing dependency fails: ./run-tests installs xvfb
        pytest.fail("Xvfb is not installed (Debian: apt-get install xvfb xauth).")
    for _attempt in range(5):
        number = _free_display()
        proc = subprocess.Popen(
            [xvfb, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        if proc.poll() is None:
            break  # running; otherwise another server took the number meanwhile: try the next
    else:
        pytest.fail("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def scenario_env(display: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a scenario process: a real X window on `display`, silent VLC."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="xcb",
        DISPLAY=display,
        CRITIQUE_VLC_AOUT="dummy",
        CRITIQUE_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
        PYTHONFAULTHANDLER="1",  # a crash prints its Python stack in the failure
    )
    return env


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
