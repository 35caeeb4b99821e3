"""A first start of the real app under Xvfb at 1280×800 (openbox, keys through the X server
with xdotool, as a user types them): the window asks who is annotating, the name typed is
kept, and the annotation made next carries it (and so does the tier N makes for it)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from critique_app.services.films import add_film
from db.project import open_project
from tests.media_factory import make_coded_clip
from tests.xvfb.conftest import REPO
from tests.xvfb.display import give_keyboard, x_environment, xdotool

pytestmark = pytest.mark.xvfb

NAME = "Chantal Akerman"
WELCOME = "^Welcome to Critique$"


def visible(display: str, title: str) -> list[str]:
    """The X windows on screen whose title matches `title` (a regular expression)."""
    return xdotool(display, "search", "--onlyvisible", "--name", title).split()


def wait_for(condition: Callable[[], object], what: str, app: subprocess.Popen[str]) -> None:
    """Until `condition()` holds; a hang guard (not a bound) fails with what was awaited."""
    deadline = time.monotonic() + 180
    while not condition():
        if app.poll() is not None:
            pytest.fail(f"the app ended while waiting for {what} (its output: app.log)")
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.1)


def annotations(project: Path) -> list[tuple[str, str]]:
    """(author, tier name) of every annotation, read as another program does meanwhile."""
    with open_project(project) as p:
        tiers = {t.id: t.name for t in p.repo.tiers()}
        return [(a.author, tiers[a.tier_id]) for a in p.repo.annotations()]


def test_first_run_asks_the_name_and_the_new_annotation_carries_it(
    window_manager: str, tmp_path: Path
) -> None:
    display = window_manager
    clip = make_coded_clip(tmp_path / "coded.mp4", frames=72)
    project = tmp_path / "first.critique"
    with open_project(project) as p:  # a student's first project: one film, no tier
        add_film(p, clip, title="Coded clip")
    env = x_environment(display, tmp_path / "data", user=None)  # nobody has said who they are
    settings = Path(env["CRITIQUE_DATA_DIR"]) / "settings.ini"
    assert not settings.exists()  # a first run: no name stored anywhere

    log = (tmp_path / "app.log").open("w")  # a file, not a pipe nobody reads meanwhile
    app = subprocess.Popen(
        [sys.executable, "-m", "critique_app", "open", str(project)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: visible(display, WELCOME), "the welcome dialog on screen", app)
        welcome = give_keyboard(display, "--name", WELCOME)
        geometry = xdotool(display, "getwindowgeometry", "--shell", welcome)
        fields = dict(line.split("=") for line in geometry.splitlines())
        assert int(fields["X"]) + int(fields["WIDTH"]) <= 1280  # on the laptop screen
        assert int(fields["Y"]) + int(fields["HEIGHT"]) <= 800

        xdotool(display, "type", "--delay", "60", NAME)
        xdotool(display, "key", "--delay", "60", "Return")
        wait_for(lambda: not visible(display, WELCOME), "the welcome dialog to close", app)
        wait_for(
            lambda: settings.is_file() and NAME in settings.read_text(encoding="utf-8"),
            "the name stored",
            app,
        )

        # the title names the film once its exact first frame is on screen
        wait_for(lambda: visible(display, "^Coded clip"), "the film in the window", app)
        give_keyboard(display, "--name", "^Coded clip")
        xdotool(display, "key", "--delay", "80", "shift+n")  # a new annotation on this frame
        wait_for(lambda: annotations(project), "the new annotation in the project", app)
        assert annotations(project) == [(NAME, NAME)]

        xdotool(display, "key", "--delay", "80", "ctrl+q")
        assert app.wait(timeout=120) == 0, (tmp_path / "app.log").read_text()[-4000:]
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        log.close()
