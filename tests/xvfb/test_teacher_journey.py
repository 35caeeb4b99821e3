"""A teacher prepares a seminar at 1280×800, in a real X window driven with real keys and clicks
(xdotool): the project opened with Ctrl+O, the seminar's HTML handout exported from the
Seminars panel through the file dialog, Open clicked in the status bar's offer (the handout
goes to the desktop's opener: a stub `xdg-open` first on PATH stands for the desktop, the one
thing outside the app); then the panels arranged (Films shown, the Seminars tab clicked back
to the front, the picture/timeline splitter dragged), Ctrl+Q, and the next start, reopening the
project from File ▸ Open Recent, shows the same arrangement.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from critique_app.domain.model import FrameRange
from db.project import open_project
from tests.gui.annotation_projects import make_project
from tests.media_factory import make_coded_clip
from tests.xvfb.journey_driver import Journey, Shown

pytestmark = pytest.mark.xvfb

SCREEN = (1280, 800)
PROMPT = "Where does the door become a window?"


def seminar_project(folder: Path) -> Path:
    """Four annotations (tests/gui/annotation_projects.py) and the seminar "Week 3" holding
    the morphing passage, with a question for discussion."""
    clip = make_coded_clip(folder / "coded.mp4", frames=120)
    path = make_project(folder, clip, name="course.critique")
    with open_project(path) as project:
        repo = project.repo
        morph = next(a for a in repo.annotations() if a.range == FrameRange(10, 30))
        seminar = repo.add_seminar("Week 3")
        repo.add_seminar_item(
            seminar.id, morph.film_id, morph.range, annotation_id=morph.id, prompt=PROMPT
        )
    return path.resolve()


def desktop_opener(folder: Path) -> tuple[dict[str, str], Path]:
    """A folder holding a stub `xdg-open` that writes what it was given to a file; the
    environment putting it first on PATH, and the file it writes."""
    bin_dir, said = folder / "desktop-bin", folder / "xdg-open-was-given.txt"
    bin_dir.mkdir()
    stub = bin_dir / "xdg-open"
    stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{said}"\n', encoding="utf-8")
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}, said


def as_path(argument: str) -> Path:
    """What the opener was given (a file:// URL or a path) as a path."""
    url = urlparse(argument)
    return Path(unquote(url.path) if url.scheme == "file" else argument)


def layout(shown: Shown) -> dict[str, Any]:
    """The arrangement the user sees: which panels are open, which are in front, the tabs
    and the one in front of each, the splitter's sizes."""
    docks = shown["docks"]
    return {
        "open": sorted(t for t, d in docks.items() if d["open"]),
        "in_front": sorted(t for t, d in docks.items() if d["visible"]),
        "floating": sorted(t for t, d in docks.items() if d["floating"]),
        "tabs": sorted((tuple(b["tabs"]), b["current"]) for b in shown["tab_bars"]),
        "splitter": shown["splitter"]["sizes"],
    }


def on_screen(rect: list[int]) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and x + w <= SCREEN[0] and y + h <= SCREEN[1]


def tab_rect(shown: Shown, title: str) -> list[int] | None:
    for bar in shown["tab_bars"]:
        if title in bar["tabs"]:
            return list(bar["rects"][bar["tabs"].index(title)])
    return None


def test_export_the_handout_open_it_and_find_the_layout_again(
    window_manager: str, tmp_path: Path
) -> None:
    display = window_manager
    project = seminar_project(tmp_path)
    handout = tmp_path / "handouts" / "week three.html"
    handout.parent.mkdir()
    desktop, given = desktop_opener(tmp_path)

    morning = Journey(display, tmp_path, 1, env=desktop)
    try:
        morning.wait("the empty window", lambda s: s["title"] == "Critique" and s["active"])
        morning.keys("ctrl+o")
        morning.answer_file_dialog("Open a project", project)
        morning.wait("the project", lambda s: s["project"] == str(project))

        # the handout, from the Seminars panel
        morning.menu("&Panels", "Seminars")
        panel = morning.wait(
            "the seminar and its passage",
            lambda s: (
                (s["seminars"] or {}).get("seminar") == "Week 3" and s["seminars"]["passages"] == 1
            ),
        )["seminars"]
        assert panel["format"] == "html"  # the first format offered: the handout
        morning.click(panel["export_button"])
        morning.answer_file_dialog("Export", handout, replace=True)
        shown = morning.wait("the export offer", lambda s: s["offer"] is not None)
        assert on_screen(shown["frame"]), shown["frame"]  # the export did not widen the window
        assert on_screen(shown["offer"]["open"]), shown["offer"]
        assert shown["offer"]["path"] == str(handout)
        assert shown["offer"]["sentence"] == "The seminar is exported to week three.html."
        page = handout.read_text(encoding="utf-8")
        assert "<html" in page.lower() and "Week 3" in page and PROMPT in page
        assert "data:image/" in page  # the passage's still inside: one self-contained page

        morning.click(shown["offer"]["open"])
        morning.wait(
            "the desktop given the handout",
            lambda _s: given.is_file() and given.read_text(encoding="utf-8").endswith("\n"),
        )
        (argument,) = given.read_text(encoding="utf-8").splitlines()
        assert as_path(argument) == handout

        # the panels arranged: Films shown, the Seminars tab clicked back to the front
        morning.menu("&Panels", "Films")
        shown = morning.wait("the Films tab in front", lambda s: s["docks"]["Films"]["visible"])
        seminars_tab = tab_rect(shown, "Seminars")
        assert seminars_tab is not None, shown["tab_bars"]
        morning.click(seminars_tab)
        shown = morning.wait(
            "the Seminars tab in front again", lambda s: s["docks"]["Seminars"]["visible"]
        )
        before = shown["splitter"]
        assert before["handle"] is not None
        morning.drag(before["handle"], -80)  # more room for the timeline
        shown = morning.wait(
            "the splitter moved", lambda s: s["splitter"]["sizes"][1] > before["sizes"][1] + 40
        )
        left = layout(shown)
        assert "Films" in left["open"] and "Seminars" in left["in_front"]
        assert "Films" not in left["in_front"]
        morning.quit()
    finally:
        morning.kill()

    afternoon = Journey(display, tmp_path, 2, env=desktop)
    try:
        shown = afternoon.wait("the empty window", lambda s: s["title"] == "Critique")
        assert shown["project"] is None
        afternoon.wait("the window in front", lambda s: s["active"])
        afternoon.menu("&File", "Open &Recent", "&1 course.critique")
        afternoon.wait("the project again", lambda s: s["project"] == str(project))
        afternoon.wait("the same arrangement", lambda s: layout(s) == left)
        afternoon.wait(  # the panel in front is the project's, not a placeholder
            "the seminar in its panel",
            lambda s: (s["seminars"] or {}).get("seminar") == "Week 3",
        )
        afternoon.quit()
    finally:
        afternoon.kill()
