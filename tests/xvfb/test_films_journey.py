"""A teacher's morning at 1280×800, in a real X window driven with real keys and clicks
(xdotool): File ▸ New project…, two films added (from the Films panel's button, then with
Ctrl+Shift+O), both listed in the Films panel; quit; start again and reopen the project from
File ▸ Open Recent, its two films listed again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.media_factory import make_coded_clip
from tests.xvfb.conftest import REPO, scenario_env

pytestmark = pytest.mark.xvfb


def _xdotool(display: str, *args: str) -> None:
    subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        timeout=30,
        check=True,
    )


class Journey:
    """One run of the window; `shown` is what it last said it shows."""

    def __init__(self, display: str, tmp_path: Path, run: int) -> None:
        self.display = display
        self.state = tmp_path / f"shown{run}.json"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.xvfb.films_journey", str(self.state)],
            cwd=REPO,
            env=scenario_env(display, tmp_path),  # the same data folder: settings kept
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def shown(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.state.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def wait(self, what: str, condition: Any, limit: float = 120.0) -> dict[str, Any]:
        """A hang guard only (generous): the check is that it happens, not how fast."""
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
            _xdotool(self.display, "key", "--clearmodifiers", key)

    def click(self, rect: list[int]) -> None:
        x, y, w, h = rect
        _xdotool(self.display, "mousemove", "--sync", str(x + w // 2), str(y + h // 2))
        _xdotool(self.display, "click", "1")

    def click_entry(self, where: str, text: str) -> None:
        """Click the entry `text` of the menu bar or of the menu open ("popup")."""
        def same(entry: dict[str, Any]) -> bool:  # Alt letters aside: they are the menus' own
            return bool(entry["text"].replace("&", "") == text.replace("&", ""))

        shown = self.wait(f"{text!r} in the {where}", lambda s: any(map(same, s.get(where) or [])))
        self.click(next(e["rect"] for e in shown[where] if same(e)))

    def answer_file_dialog(self, title_start: str, path: Path) -> None:
        """Type the path into the file dialog, as a user does, and press Return."""
        self.wait(
            f"the dialog {title_start!r}", lambda s: (s["modal"] or "").startswith(title_start)
        )
        _xdotool(self.display, "type", "--delay", "20", str(path))
        end = time.monotonic() + 60
        while (self.shown().get("modal") or "").startswith(title_start):
            # the first Return may only close the name completer's list
            self.keys("Return")
            time.sleep(1.0)
            assert time.monotonic() < end, "the file dialog never took the path"

    def open_films_panel(self) -> None:
        if not self.shown().get("films_visible"):
            self.click_entry("menubar", "&Panels")
            self.click_entry("popup", "Films")
        self.wait("the Films panel", lambda s: s["films_visible"] and s["films"] is not None)

    def quit(self) -> None:
        self.keys("ctrl+q")
        out, _ = self.proc.communicate(timeout=120)
        assert self.proc.returncode == 0, out

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def test_new_project_two_films_quit_and_open_recent(window_manager: str, tmp_path: Path) -> None:
    display = window_manager
    work = tmp_path / "course"
    work.mkdir()
    first = make_coded_clip(work / "rushes one.mp4", frames=48)
    second = make_coded_clip(work / "rushes two.mov", frames=60, rate=Fraction(25))
    project = (work / "seminar.critique").resolve()

    morning = Journey(display, tmp_path, 1)
    try:
        morning.wait("the empty window", lambda s: s["title"] == "Critique" and s["active"])
        morning.keys("ctrl+n")
        morning.answer_file_dialog("New project", work / "seminar")  # typed without a suffix
        shown = morning.wait("the new project", lambda s: s["project"] == str(project))
        assert shown["title"] == "seminar — Critique"

        morning.open_films_panel()
        add = morning.wait("the Add button", lambda s: s["add_button"] is not None)["add_button"]
        morning.click(add)
        morning.answer_file_dialog("Add a film", first)
        morning.wait("the first film listed", lambda s: len(s["films"] or []) == 1)
        morning.keys("ctrl+shift+o")
        morning.answer_file_dialog("Add a film", second)
        shown = morning.wait("both films listed", lambda s: len(s["films"] or []) == 2)
        assert shown["films"] == [
            ["rushes one", "00:00:02:00", "24 fps", "Not checked yet", "Not fingerprinted"],
            ["rushes two", "00:00:02:10", "25 fps", "Not checked yet", "Not fingerprinted"],
        ]
        morning.quit()
    finally:
        morning.kill()

    afternoon = Journey(display, tmp_path, 2)
    try:
        shown = afternoon.wait("the empty window", lambda s: s["title"] == "Critique")
        assert shown["project"] is None
        afternoon.wait("the window in front", lambda s: s["active"])
        afternoon.click_entry("menubar", "&File")
        afternoon.click_entry("popup", "Open &Recent")
        afternoon.click_entry("popup", "&1 seminar.critique")
        shown = afternoon.wait("the project again", lambda s: s["project"] == str(project))
        afternoon.open_films_panel()
        shown = afternoon.wait("both films again", lambda s: len(s["films"] or []) == 2)
        assert [row[0] for row in shown["films"]] == ["rushes one", "rushes two"]
        assert shown["title"].endswith("seminar — Critique")
        afternoon.quit()
    finally:
        afternoon.kill()
