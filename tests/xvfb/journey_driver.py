"""Driving a real window through the X server as a user does, for the journey tests: the window
runs in its own process (tests/xvfb/workbench_window.py) and publishes what it shows in a small
JSON; the test presses real keys and clicks with xdotool where that JSON says things are.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.xvfb.conftest import REPO, scenario_env

Shown = dict[str, Any]
RETURNS = 5  # Returns pressed into a file dialog before only waiting for it
TYPINGS = 3  # times a path is typed into a file dialog when the field does not show it
LOOKS = 20  # looks at the name field (every half second) before typing the path again
HANG_GUARD = 180.0  # seconds; generous: the checks are that things happen, never how fast


def xdotool(display: str, *args: str) -> None:
    subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        timeout=60,
        check=True,
    )


def same_entry(entry: Shown, text: str) -> bool:
    """Menu entries match Alt letters aside: they are the menus' own."""
    return bool(entry["text"].replace("&", "") == text.replace("&", ""))


class Journey:
    """One run of the window; `shown()` is what it last said it shows."""

    def __init__(
        self,
        display: str,
        tmp_path: Path,
        run: int,
        env: dict[str, str] | None = None,
        module: str = "tests.xvfb.workbench_window",
    ) -> None:
        self.display = display
        self.state = tmp_path / f"shown{run}.json"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, str(self.state)],
            cwd=REPO,
            # the same data folder for every run of a test: its settings are kept
            env={**scenario_env(display, tmp_path), **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def shown(self) -> Shown:
        try:
            return dict(json.loads(self.state.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def wait(
        self, what: str, condition: Callable[[Shown], Any], limit: float = HANG_GUARD
    ) -> Shown:
        end = time.monotonic() + limit
        while True:
            shown = self.shown()
            if shown and condition(shown):
                return shown
            if self.proc.poll() is not None or time.monotonic() > end:
                out = self.proc.communicate()[0] if self.proc.poll() is not None else ""
                raise AssertionError(f"never happened: {what}\nlast shown: {shown}\n{out}")
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        for key in keys:
            xdotool(self.display, "key", "--clearmodifiers", key)

    def type(self, text: str) -> None:
        xdotool(self.display, "type", "--delay", "40", text)

    def click(self, rect: list[int], button: int = 1, times: int = 1) -> None:
        """Click the middle of `rect` (`button` 3: a right click; `times` 2: a double click)."""
        x, y, w, h = rect
        xdotool(self.display, "mousemove", "--sync", str(x + w // 2), str(y + h // 2))
        xdotool(self.display, "click", "--repeat", str(times), str(button))

    def drag(self, rect: list[int], dy: int) -> None:
        """Press in the middle of `rect`, move `dy` pixels down in small steps, release."""
        x, y, w, h = rect
        x, y = x + w // 2, y + h // 2
        xdotool(self.display, "mousemove", "--sync", str(x), str(y))
        xdotool(self.display, "mousedown", "1")
        step = 1 if dy > 0 else -1
        for moved in range(step * 10, dy + step, step * 10):
            xdotool(self.display, "mousemove", "--sync", str(x), str(y + moved))
        xdotool(self.display, "mousemove", "--sync", str(x), str(y + dy))
        xdotool(self.display, "mouseup", "1")

    def click_entry(self, where: str, text: str) -> None:
        """Click the entry `text` of the menu bar ("menubar") or of the menu open ("popup")."""
        shown = self.wait(
            f"{text!r} in the {where}",
            lambda s: any(same_entry(e, text) for e in s.get(where) or []),
        )
        self.click(next(e["rect"] for e in shown[where] if same_entry(e, text)))

    def menu(self, *path: str) -> None:
        """Menu bar ▸ entry ▸ entry…, each clicked."""
        self.click_entry("menubar", path[0])
        for entry in path[1:]:
            self.click_entry("popup", entry)

    def open_films_panel(self) -> None:
        """Panels ▸ Films unless it shows already (a second click would close it)."""
        if not self.shown().get("films_visible"):
            self.menu("&Panels", "Films")
        self.wait("the Films panel", lambda s: s["films_visible"] and s["films"] is not None)

    def answer_file_dialog(self, title_start: str, path: Path, replace: bool = False) -> None:
        """Type the path into the file dialog, as a user does, and press Return (`replace`:
        first select the name the dialog proposes, so the typing replaces it).

        Like a user, it waits for the dialog to have the keyboard before typing, and looks at
        the name field before pressing Return: on a busy machine keys typed while the window
        manager was still handing the dialog the focus went nowhere (1 run in 5 beside two
        CPU hogs: "the file dialog took the path" never happened)."""
        self.wait(
            f"the dialog {title_start!r} with the keyboard",
            lambda s: (s["modal"] or "").startswith(title_start) and s.get("dialog_ready"),
        )

        def taken(shown: Shown) -> bool:
            return not (shown.get("modal") or "").startswith(title_start)

        for attempt in range(TYPINGS):
            if replace or attempt:
                self.keys("ctrl+a")
            xdotool(self.display, "type", "--delay", "20", str(path))
            for _look in range(LOOKS):  # pacing: the field shows the last keys a little later
                if self.shown().get("dialog_path") == str(path):
                    break
                time.sleep(0.5)
            else:
                continue  # a key was lost: select what is there and type the path again
            break

        # A few Returns (the first may only close the name completer's list), then the same
        # hang guard as every wait: the check is that the dialog takes the path, not how fast.
        for _press in range(RETURNS):
            if taken(self.shown()):
                return
            self.keys("Return")
            time.sleep(1.0)  # pacing: let the dialog react before looking again
        self.wait("the file dialog took the path", taken)

    def quit(self) -> None:
        self.keys("ctrl+q")
        out, _ = self.proc.communicate(timeout=HANG_GUARD)
        assert self.proc.returncode == 0, out

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
