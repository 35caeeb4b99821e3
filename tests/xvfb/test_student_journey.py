"""A student's first session at 1280×800, in one run of the real window driven with real keys
and clicks through the X server (xdotool), as the student gives them: the first run asks the
name; on a new project without tiers, I, → → →, O and N make an annotation by that name in a
tier named after them; the category is found by typing part of its name; a note typed with
J, K, L, N, F and Space in it stays a note and nothing else happens; Esc, R and a drag draw a
rectangle; Edit ▸ Undo names the drawing, Ctrl+Z takes it back, and Undo then names the note.

The window (tests/xvfb/student_journey.py) publishes what it shows several times a second;
every step waits for what the student would see, never for a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from critique_app.services.films import add_film
from db.project import open_project
from tests.media_factory import make_coded_clip
from tests.xvfb.conftest import REPO
from tests.xvfb.display import keyboard_to, x_environment, xdotool

pytestmark = pytest.mark.xvfb

NAME = "Maya Deren"
WELCOME = "Welcome to Critique"
MORPHING = "Morphing without a cut"  # in the default vocabulary, the one name holding "morph"
# J, K, L, N, F and Space, in lower and upper case, and R, E, V, I, O: all shortcuts on the picture
NOTE = "Jules kicks lamps, Nora fades in JKL NF jkl nf over a vivid sky"
HANG_GUARD = 180.0  # seconds: a hang fails the test; a slow machine only waits


def _plain(text: str) -> str:
    return text.replace("&", "")  # a menu's Alt letter aside


class StudentWindow:
    """The app's one run; `shown()` is what it last said it shows."""

    def __init__(self, display: str, tmp_path: Path, project: Path) -> None:
        self.display = display
        self.state = tmp_path / "shown.json"
        self.log_path = tmp_path / "app.log"
        self.log = self.log_path.open("w")  # a file, not a pipe nobody reads meanwhile
        env = x_environment(display, tmp_path / "data", user=None)  # nobody said who they are
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.xvfb.student_journey", str(project), str(self.state)],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            env={**os.environ, "DISPLAY": self.display},
            capture_output=True,
            text=True,
            timeout=120,  # a hang guard, not a bound
            check=True,
        )
        return done.stdout.strip()

    def shown(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.state.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def wait(self, what: str, condition: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
        """Until the window shows `condition`; the guard fails a hang, not a slow machine."""
        end = time.monotonic() + HANG_GUARD
        while True:
            shown = self.shown()
            if shown and condition(shown):
                return shown
            if self.proc.poll() is not None or time.monotonic() > end:
                ended = self.proc.poll() is not None
                log = self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
                raise AssertionError(
                    f"never happened: {what} (the app {'ended' if ended else 'still runs'})\n"
                    f"last shown: {shown}\n{log}"
                )
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.xdotool("key", "--clearmodifiers", key)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "60", text)

    def point(self, x: float, y: float) -> None:
        self.xdotool("mousemove", "--sync", str(round(x)), str(round(y)))

    def click(self, rect: list[int]) -> None:
        x, y, w, h = rect
        self.point(x + w // 2, y + h // 2)
        self.xdotool("click", "1")

    def in_front(self, title: str) -> None:
        """The window titled `title` has the keyboard (openbox may leave it elsewhere after a
        dialog closes: the student would click it; here it is activated)."""
        if self.shown().get("active_window") != title:
            run = partial(xdotool, self.display)  # "" for a window gone meanwhile, no error

            def titled() -> list[str]:
                found = run("search", "--onlyvisible", "--pid", str(self.proc.pid)).split()
                return [wid for wid in found if run("getwindowname", wid) == title]

            keyboard_to(titled, run, time.sleep, repr(title))
        self.wait(f"{title!r} in front", lambda s: s["active_window"] == title)

    def menu_entries(self, title: str) -> dict[str, str]:
        """The entries of the menu open, by the first word of each: {'Undo': 'Undo …'}."""
        shown = self.wait(f"the {title} menu open", lambda s: bool(s.get("popup")))
        return {_plain(e["text"]).split()[0]: _plain(e["text"]) for e in shown["popup"]}

    def close_menu(self) -> None:
        self.keys("Escape")
        self.wait("the menu closed", lambda s: s["popup"] is None)

    def end(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def the_annotation(shown: dict[str, Any]) -> dict[str, Any]:
    """The project's one annotation as shown ({} while there is not exactly one)."""
    found = shown["annotations"]
    return dict(found[0]) if len(found) == 1 else {}


def test_first_run_annotate_find_a_category_type_a_note_draw_and_undo_by_name(
    window_manager: str, tmp_path: Path
) -> None:
    clip = make_coded_clip(tmp_path / "coded.mp4", frames=72)
    project = tmp_path / "first.critique"
    with open_project(project) as p:  # a new project: one film, the default vocabulary, no tier
        add_film(p, clip, title="Coded clip")
        assert p.repo.tiers() == []
    app = StudentWindow(window_manager, tmp_path, project)
    try:
        # 1. The first run asks the name.
        shown = app.wait("the welcome dialog", lambda s: s["modal"] == WELCOME)
        assert shown["user_name"] == ""
        app.in_front(WELCOME)
        app.wait("the name field has the keyboard", lambda s: s["focus_name"] == "UserName")
        app.type(NAME)
        app.wait("the name in the field", lambda s: s["name_field"] == NAME)
        app.keys("Return")
        app.wait("the dialog gone, the name kept", lambda s: s["modal"] is None)
        assert app.shown()["user_name"] == NAME

        # 2. The film on screen: I, three frames on, O, N.
        shown = app.wait(
            "the film's exact picture", lambda s: s["film"] == "Coded clip" and s["exact"]
        )
        assert shown["screen"] == [1280, 800]
        assert shown["frame_geometry"][0] <= 1280 and shown["frame_geometry"][1] <= 800
        app.in_front(shown["title"])
        app.keys("Escape")  # the keys to the picture, wherever the dialog left the focus
        shown = app.wait("the picture has the keys", lambda s: s["focus"] == "VideoView")
        start = shown["frame"]
        app.keys("i")
        app.wait("the in point", lambda s: s["marks"][0] == start)
        for step in range(1, 4):
            app.keys("Right")
            app.wait(
                f"frame {start + step}", lambda s, f=start + step: s["frame"] == f and s["exact"]
            )
        app.keys("o")
        app.wait("the out point", lambda s: s["marks"] == [start, start + 3])
        app.keys("n")
        shown = app.wait("the new annotation", lambda s: len(s["annotations"]) == 1)
        made = the_annotation(shown)
        assert made["author"] == NAME  # the name typed at the first run, not the login name
        assert made["tier"] == NAME  # a tier made for the student, named after them
        assert made["range"] == [start, start + 3]
        assert made["category"] is None
        shown = app.wait(
            "the editor on it", lambda s: s["selected"] == made["id"] and s["category"]
        )
        assert "new tier" in shown["message"] and NAME in shown["message"]

        # 3. The category found by typing part of its name.
        app.click(shown["category"])
        app.wait(
            "the category field ready to search",
            lambda s: s["focus_name"] == "Category" and s["category_selected"] == "— no category —",
        )
        app.type("morph")
        shown = app.wait(
            "the names holding 'morph'", lambda s: s["category_text"] == "morph" and s["found"]
        )
        assert shown["found"] == [MORPHING]
        app.keys("Down")
        app.wait("the name highlighted", lambda s: (s["highlighted"] or "").strip() == MORPHING)
        app.keys("Return")
        shown = app.wait(
            "the category stored", lambda s: the_annotation(s).get("category") == MORPHING
        )
        shown = app.wait("the list closed", lambda s: s["found"] is None)
        assert shown["category_text"] == MORPHING
        assert shown["editor_title"].endswith(MORPHING)
        assert _plain(shown["undo"]) == "Undo Change category"

        # 4. A note typed with the picture's keys in it: only a note.
        for _ in range(60):  # scrolled into view with the wheel, as a student does
            shown = app.shown()
            if shown["note"] is not None and shown["note"][3] == shown["note_height"]:
                break
            x, y, _w, h = shown["editor_scroll"]
            # over the form's left margin: a wheel over a combo would change its choice
            app.point(x + 4, y + h / 2)
            app.xdotool("click", "5")
            app.wait("the editor scrolled", lambda s, before=shown["note"]: s["note"] != before)
        else:
            pytest.fail(f"the note never came into view: {app.shown()}")
        before = app.shown()
        app.click(before["note"])
        app.wait("the note has the keys", lambda s: s["focus"] == "QPlainTextEdit")
        app.type(NOTE)
        app.wait("the note typed", lambda s: the_annotation(s).get("note") == NOTE)

        # 5. Esc, R and a drag on the picture: a rectangle.
        app.keys("Escape")
        after = app.wait("the picture has the keys again", lambda s: s["focus"] == "VideoView")
        assert after["note_text"] == NOTE  # every letter typed, nothing else
        assert len(after["annotations"]) == 1  # N and Shift+N made nothing
        assert after["played"] == before["played"]  # Space, J and L never played
        assert after["full_screen_toggles"] == before["full_screen_toggles"]  # F: no full screen
        assert not after["full_screen"]
        assert after["frame"] == before["frame"] == start + 3  # nor stepped
        assert after["marks"] == before["marks"]  # I and O moved no mark
        assert after["tool"] is None  # R and E chose no drawing tool
        assert _plain(after["undo"]) == "Undo Edit note"  # the whole note: one step
        app.keys("r")
        shown = app.wait("the rectangle tool", lambda s: s["tool"] == "rectangle")
        assert shown["exact"]
        x, y, w, h = shown["picture"]
        app.point(x + w * 0.3, y + h * 0.3)
        app.xdotool("mousedown", "1")
        for fraction in (0.4, 0.5, 0.6):
            app.point(x + w * fraction, y + h * fraction)
        app.xdotool("mouseup", "1")
        shown = app.wait("the region", lambda s: the_annotation(s).get("regions") == ["rectangle"])
        assert len(shown["annotations"]) == 1  # drawn on the annotation, not a new one

        # 6. Undo by name: Edit ▸ Undo says what it will undo; Ctrl+Z; then the step before.
        app.keys("alt+e")
        entries = app.menu_entries("Edit")
        assert entries["Undo"] == "Undo Draw region"
        assert entries["Redo"] == "Redo"
        app.close_menu()
        app.keys("ctrl+z")
        shown = app.wait("the region gone", lambda s: the_annotation(s).get("regions") == [])
        assert (
            the_annotation(shown)["note"] == NOTE and the_annotation(shown)["category"] == MORPHING
        )
        edit = next(e for e in shown["menubar"] if _plain(e["text"]) == "Edit")
        app.click(edit["rect"])
        entries = app.menu_entries("Edit")
        assert entries["Undo"] == "Undo Edit note"
        assert entries["Redo"] == "Redo Draw region"
        app.close_menu()

        app.keys("ctrl+q")
        assert app.proc.wait(timeout=120) == 0, app.log_path.read_text()[-4000:]
    finally:
        app.end()
    with open_project(project) as p:  # what the student leaves on disk
        tiers = {t.id: t.name for t in p.repo.tiers()}
        ((author, tier, category_id, note, regions),) = [
            (a.author, tiers[a.tier_id], a.category_id, a.note, a.regions)
            for a in p.repo.annotations()
        ]
        category = p.repo.get_category(category_id)
    assert (author, tier, note, regions) == (NAME, NAME, NOTE, ())
    assert category is not None and category.label_en == MORPHING
