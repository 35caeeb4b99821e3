"""A teacher's morning at 1280×800, in a real X window driven with real keys and clicks
(xdotool): File ▸ New project…, two films added (from the Films panel's button, then with
Ctrl+Shift+O), both listed in the Films panel; quit; start again and reopen the project from
File ▸ Open Recent, its two films listed again.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from tests.media_factory import make_coded_clip
from tests.xvfb import journey_driver

pytestmark = pytest.mark.xvfb


class Journey(journey_driver.Journey):
    """One run of the window as `run_gui(None)` starts it (tests/xvfb/films_journey.py); the
    keys, clicks and waits are the journeys' shared driver's."""

    def __init__(self, display: str, tmp_path: Path, run: int) -> None:
        super().__init__(display, tmp_path, run, module="tests.xvfb.films_journey")

    def open_films_panel(self) -> None:
        if not self.shown().get("films_visible"):
            self.click_entry("menubar", "&Panels")
            self.click_entry("popup", "Films")
        self.wait("the Films panel", lambda s: s["films_visible"] and s["films"] is not None)


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
