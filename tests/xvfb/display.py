"""A private Xvfb server and the environment of a process that opens real X windows on it:
one place for the suite (tests/xvfb/conftest.py) and the benchmarks that run the same
scenarios (benchmarks/scenario_crashes.py, benchmarks/quit_latency.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from functools import partial
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


def xdotool(display: str, *args: str) -> str:
    """What xdotool prints on `display` ("" when it fails: a window gone, say)."""
    done = subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard, not a bound
    )
    return done.stdout.strip() if done.returncode == 0 else ""


# Tries at giving a window the keyboard: under load openbox may not hand it over at once.
ACTIVATIONS = 10
LOOKS = 30  # pacing: how often (every 0.1 s) a try looks whether the window has it


def give_keyboard(display: str, *search: str) -> str:
    """Give the keyboard to the first window on screen that `search` (xdotool search terms)
    finds (on screen already: wait for it first), check that it has it, and return its id."""
    run = partial(xdotool, display)
    windows = partial(run, "search", "--onlyvisible", *search)
    return keyboard_to(lambda: windows().split(), run, time.sleep, " ".join(search))


def keyboard_to(
    find: Callable[[], list[str]],
    run: Callable[..., str],
    pause: Callable[[float], None],
    what: str,
) -> str:
    """Activate the first X window `find` gives, until `run` (xdotool) says it is the active
    one; its id. Found again at each try: a window found may be gone by the time it is
    activated ("BadWindow": the keys then went nowhere). `pause` waits (an app in the same
    process keeps answering meanwhile)."""
    for _try in range(ACTIVATIONS):
        for wid in find():
            run("windowactivate", wid)
            for _look in range(LOOKS):
                if run("getactivewindow") == wid:
                    return wid
                pause(0.1)
        pause(0.5)
    raise TimeoutError(f"{what} never had the keyboard ({ACTIVATIONS} tries)")
