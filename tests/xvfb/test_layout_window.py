"""A real window on a 1280×800 X screen with a window manager: it opens inside the screen (its
frame, title bar included), and the editor's controls lie inside the screen once scrolled to.
The screenshot of the whole screen stays in the test's tmp folder for a human to look at."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.gui.annotation_projects import make_project
from tests.media_factory import make_coded_clip
from tests.xvfb.conftest import REPO, scenario_env

pytestmark = pytest.mark.xvfb


def inside(outer: list[int], inner: list[int]) -> bool:
    ox, oy, ow, oh = outer
    x, y, w, h = inner
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


def test_the_window_fits_a_1280_by_800_screen(window_manager: str, tmp_path: Path) -> None:
    clip = make_coded_clip(tmp_path / "coded.mp4", frames=48)
    project = make_project(tmp_path, clip)
    out = tmp_path / "shots"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "tests.xvfb.layout_scenario", str(project), str(out)],
        cwd=REPO,
        env=scenario_env(window_manager, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard, not a bound
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    report = json.loads((out / "layout.json").read_text())
    assert report["screen"] == [0, 0, 1280, 800]
    available, frame = report["available"], report["frame"]
    assert frame != report["geometry"], "the window manager framed the window"
    assert inside(available, frame), (available, frame)
    assert frame[2] >= 1200 and frame[3] >= 700, frame  # it uses the laptop's room
    assert report["editor_visible"]
    for name, control in report["controls"].items():
        assert control["visible"] and control["inside_editor"], (name, control)
        assert inside(available, control["screen_rect"]), (name, control)
    with Image.open(out / "screen.png") as shot:
        assert shot.size == (1280, 800)
