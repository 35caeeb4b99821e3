"""A private Xvfb server and the environment of a process that opens real X windows on it:
one place for the suite (tests/xvfb/conftest.py) and the benchmarks that run the same
scenarios (benchmarks/scenario_crashes.py, benchmarks/quit_latency.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class NoDisplay(RuntimeError):
    """Xvfb is missing or did not start: the sentence says which."""


def start_xvfb(first: int = 90) -> tuple[subprocess.Popen[bytes], str]:
    """An Xvfb server at 1280×800 (the laptop screen the window must fit) on the first free
    display number from `first`; the process and its DISPLAY."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise NoDisplay("Xvfb is not installed (Debian: apt-get install xvfb xauth).")
    for number in range(first, 400):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        proc = subprocess.Popen(
            [xvfb, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # a hang guard, not a bound: a busy machine may take a while to start a server
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return proc, f":{number}"
            time.sleep(0.05)
        proc.kill()  # another server took the number meanwhile (or it hung): try the next
        proc.wait()
    raise NoDisplay("Xvfb did not start on any display number up to :399.")


WINDOW_USER = "Camille Test"  # the name a scenario's user gave at the first run


def x_environment(
    display: str, data_dir: Path, repo: Path = REPO, *, user: str | None = WINDOW_USER
) -> dict[str, str]:
    """The environment of a process with real X windows on `display`: silent VLC, its own
    data folder, this checkout's code, and a Python stack printed on a crash. `user` is the
    name stored in its settings, as after a first run (None: a first run, the app asks)."""
    if user is not None:
        settings = data_dir / "settings.ini"
        if not settings.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            settings.write_text(f"[user]\nname={user}\n", encoding="utf-8")
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="xcb",
        DISPLAY=display,
        CRITIQUE_VLC_AOUT="dummy",
        CRITIQUE_DATA_DIR=str(data_dir),
        PYTHONPATH=str(repo),
        PYTHONFAULTHANDLER="1",
    )
    return env
