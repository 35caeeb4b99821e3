"""A teacher's day at 1280×800, in one run of a real X window then a restart, driven with real
keys and clicks through the X server (xdotool) as the teacher gives them, every step waiting for
what the window shows (tests/xvfb/workbench_window.py publishes it), never for a time:

File ▸ New project… (Ctrl+N, the name typed into the file dialog); two films added (the Films
panel's button, then Ctrl+Shift+O) and listed; the first opened with a double click; two
annotations made on the picture with I, →, O and N, by the user and in a tier named after them;
the first added to a new seminar through Annotate ▸ Add to seminar… (naming it), the second
through a right click on its row of the table; a question for discussion typed in the Seminars
panel; the seminar's HTML handout exported from that panel through the file dialog and Open
clicked in the status bar's offer (a stub `xdg-open` first on PATH stands for the desktop, the
one thing outside the app); File ▸ Export annotations… in ELAN (the format list's first
choice, Enter) and the .eaf read back; the panels arranged (the Films tab, the Seminars tab
clicked back to the front, the picture/timeline splitter dragged); Ctrl+Q. The next start
reopens the project from File ▸ Open Recent: the same arrangement, the seminar's two passages,
the film on screen with its annotations, both films listed.
"""

from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from db.project import open_project
from tests.media_factory import make_coded_clip
from tests.xvfb.display import WINDOW_USER
from tests.xvfb.journey_driver import Journey, Shown, same_entry

pytestmark = pytest.mark.xvfb

SCREEN = (1280, 800)
PROMPT = "Where does the door become a window?"
ADDED = "Added to seminar “Week 3”."
FILMS = [
    ["rushes one", "00:00:02:00", "24 fps", "Not checked yet", "Not fingerprinted"],
    ["rushes two", "00:00:02:10", "25 fps", "Not checked yet", "Not fingerprinted"],
]


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


def showing(frame: int) -> Callable[[Shown], bool]:
    """The picture at rest on the exact `frame`."""
    return lambda s: bool(s["position"] == frame and s["exact"])


def step_to(journey: Journey, frame: int) -> None:
    """→ until the picture shows `frame`, waiting for each exact frame as the eye does."""
    while (position := journey.shown()["position"]) < frame:
        journey.keys("Right")
        journey.wait(f"frame {position + 1}", showing(position + 1))


def annotate(journey: Journey, start: int, end: int) -> dict[str, Any]:
    """I at `start`, → to `end`, O, N on the picture: the new annotation as shown."""
    journey.keys("Escape")  # the keys to the picture, wherever the last click left them
    journey.wait("the picture has the keys", lambda s: s["focus"] == "VideoView")
    step_to(journey, start)
    before = len(journey.shown()["annotations"])
    journey.keys("i")
    journey.wait("the in point", lambda s: s["marks"][0] == start)
    step_to(journey, end)
    journey.keys("o")
    journey.wait("the out point", lambda s: s["marks"] == [start, end])
    journey.keys("n")
    shown = journey.wait("the new annotation", lambda s: len(s["annotations"]) == before + 1)
    (made,) = [a for a in shown["annotations"] if a["range"] == [start, end]]
    return dict(made)


def said(shown: Shown, sentence: str) -> int:
    """How many times the status bar said `sentence`."""
    return sum(1 for m in shown["messages"] if m == sentence)


def test_a_teachers_day_from_a_new_project_to_open_recent(
    window_manager: str, tmp_path: Path
) -> None:
    display = window_manager
    work = tmp_path / "course"
    work.mkdir()
    first = make_coded_clip(work / "rushes one.mp4", frames=48)
    second = make_coded_clip(work / "rushes two.mov", frames=60, rate=Fraction(25))
    project = (work / "seminar.critique").resolve()
    handouts = tmp_path / "handouts"
    handouts.mkdir()
    handout, elan = handouts / "week three.html", handouts / "rushes one.eaf"
    desktop, given = desktop_opener(tmp_path)

    morning = Journey(display, tmp_path, 1, env=desktop)
    try:
        # 1. File ▸ New project…: the name typed without a suffix
        morning.wait("the empty window", lambda s: s["title"] == "Critique" and s["active"])
        morning.keys("ctrl+n")
        morning.answer_file_dialog("New project", work / "seminar")
        shown = morning.wait("the new project", lambda s: s["project"] == str(project))
        assert shown["title"] == "seminar — Critique"

        # 2. Two films: the Films panel's button, then Ctrl+Shift+O
        morning.open_films_panel()
        add = morning.wait("the Add button", lambda s: s["add_button"] is not None)["add_button"]
        morning.click(add)
        morning.answer_file_dialog("Add a film", first)
        morning.wait("the first film listed", lambda s: len(s["films"] or []) == 1)
        morning.keys("ctrl+shift+o")
        morning.answer_file_dialog("Add a film", second)
        shown = morning.wait("both films listed", lambda s: len(s["films"] or []) == 2)
        assert shown["films"] == FILMS

        # 3. The first film opened with a double click on its row
        shown = morning.wait(
            "the second film on screen", lambda s: s["film"] == "rushes two" and s["exact"]
        )
        morning.click(shown["film_rows"][0], times=2)
        shown = morning.wait(
            "the first film's exact picture", lambda s: s["film"] == "rushes one" and s["exact"]
        )

        # 4. Two annotations with I, →, O, N: the user's, in a tier named after them
        start = shown["position"]
        door = annotate(morning, start, start + 3)
        assert (door["author"], door["tier"]) == (WINDOW_USER, WINDOW_USER)
        shown = morning.wait("the tier made", lambda s: any("new tier" in m for m in s["messages"]))
        assert any(WINDOW_USER in m for m in shown["messages"] if "new tier" in m)
        window = annotate(morning, start + 6, start + 9)
        assert (window["author"], window["tier"]) == (WINDOW_USER, WINDOW_USER)

        # 5. The first to a new seminar from Annotate ▸ Add to seminar…
        rows = morning.wait(
            "both rows in the table",
            lambda s: {str(door["id"]), str(window["id"])} <= set(s["table_rows"]),
        )["table_rows"]
        morning.click(rows[str(door["id"])])
        morning.wait("the first annotation selected", lambda s: s["selected"] == door["id"])
        morning.click_entry("menubar", "&Annotate")
        shown = morning.wait(
            "Add to seminar… in the menu",
            lambda s: any(same_entry(e, "Add to seminar…") for e in s["popup"] or []),
        )
        (entry,) = [e for e in shown["popup"] if same_entry(e, "Add to seminar…")]
        assert entry["keys"] == "Ctrl+Shift+A"
        morning.click(entry["rect"])
        shown = morning.wait("the seminar's name asked", lambda s: s["asked"] is not None)
        assert "no seminar yet" in shown["asked"]["question"]
        morning.keys("ctrl+a")
        morning.type("Week 3")
        morning.wait("the name typed", lambda s: (s["asked"] or {}).get("text") == "Week 3")
        morning.keys("Return")
        shown = morning.wait("the first passage added", lambda s: said(s, ADDED) == 1)
        assert shown["asked"] is None

        # 6. The second from a right click on its row: the same command, the same key
        morning.click(rows[str(window["id"])], button=3)
        shown = morning.wait(
            "the row's menu", lambda s: s["popup"] is not None and s["selected"] == window["id"]
        )
        (entry,) = [e for e in shown["popup"] if same_entry(e, "Add to seminar…")]
        assert entry["keys"] == "Ctrl+Shift+A"
        morning.click(entry["rect"])
        morning.wait("the second passage added", lambda s: said(s, ADDED) == 2)

        # 7. The Seminars panel: both passages, a question for discussion typed
        morning.menu("&Panels", "Seminars")
        panel = morning.wait(
            "the seminar and its two passages",
            lambda s: (
                (s["seminars"] or {}).get("seminar") == "Week 3" and s["seminars"]["passages"] == 2
            ),
        )["seminars"]
        morning.click(panel["prompt"])
        morning.wait("the prompt has the keys", lambda s: s["focus"] == "QPlainTextEdit")
        morning.type(PROMPT)
        shown = morning.wait(
            "the question kept", lambda s: (s["seminars"] or {}).get("prompt_text") == PROMPT
        )
        assert len(shown["annotations"]) == 2  # the letters typed made nothing

        # 8. The handout, from the Seminars panel, opened from the status bar's offer
        panel = shown["seminars"]
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
        assert "data:image/" in page  # the passages' stills inside: one self-contained page
        morning.click(shown["offer"]["open"])
        morning.wait(
            "the desktop given the handout",
            lambda _s: given.is_file() and given.read_text(encoding="utf-8").endswith("\n"),
        )
        (argument,) = given.read_text(encoding="utf-8").splitlines()
        assert as_path(argument) == handout

        # 9. File ▸ Export annotations…: ELAN, chosen first, taken with Enter
        morning.menu("&File", "&Export annotations…")
        shown = morning.wait("the format list", lambda s: (s["asked"] or {}).get("chosen"))
        assert shown["modal"] == "Export annotations" and shown["asked"]["chosen"] == "eaf"
        morning.keys("Return")
        morning.wait("the export file dialog", lambda s: s["modal"] == "Export")
        morning.answer_file_dialog("Export", elan, replace=True)
        shown = morning.wait(
            "the ELAN file offered", lambda s: (s["offer"] or {}).get("path") == str(elan)
        )
        assert shown["offer"]["sentence"] == (
            "The annotations of 'rushes one' are exported to rushes one.eaf."
        )
        assert on_screen(shown["offer"]["open"]), shown["offer"]
        tiers = {t.get("TIER_ID"): t for t in ET.parse(elan).getroot().iter("TIER")}
        written = tiers[WINDOW_USER].findall("ANNOTATION/ALIGNABLE_ANNOTATION")
        assert len(written) == len(shown["annotations"]) == 2

        # 10. The panels arranged: the Films tab, the Seminars tab back in front, the splitter
        films_tab = tab_rect(shown, "Films")
        assert films_tab is not None, shown["tab_bars"]
        morning.click(films_tab)
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
        afternoon.menu("&File", "Open &Recent", "&1 seminar.critique")
        afternoon.wait("the project again", lambda s: s["project"] == str(project))
        afternoon.wait("the same arrangement", lambda s: layout(s) == left)
        shown = afternoon.wait(  # the panel in front is the project's, not a placeholder
            "the seminar and its two passages in its panel",
            lambda s: (
                (s["seminars"] or {}).get("seminar") == "Week 3" and s["seminars"]["passages"] == 2
            ),
        )
        assert any(PROMPT in label for label in shown["seminars"]["labels"])
        shown = afternoon.wait(
            "the film shown last, with its annotations",
            lambda s: s["film"] == "rushes one" and len(s["annotations"]) == 2,
        )
        assert sorted(a["range"] for a in shown["annotations"]) == [door["range"], window["range"]]
        assert shown["title"].endswith("seminar — Critique")
        films_tab = tab_rect(shown, "Films")
        assert films_tab is not None, shown["tab_bars"]
        afternoon.click(films_tab)
        shown = afternoon.wait("both films again", lambda s: len(s["films"] or []) == 2)
        assert [row[0] for row in shown["films"]] == ["rushes one", "rushes two"]
        afternoon.quit()
    finally:
        afternoon.kill()

    with open_project(project) as kept:  # what the teacher leaves on disk
        (seminar,) = kept.repo.seminars()
        assert seminar.id is not None
        passages = [i.annotation_id for i in kept.repo.seminar_items(seminar.id)]
        films = sorted(f.title for f in kept.repo.films())
    assert seminar.name == "Week 3"
    assert passages == [door["id"], window["id"]]  # in the order they were added
    assert films == ["rushes one", "rushes two"]
