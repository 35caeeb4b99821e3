"""Seminars from anywhere in a real window at 1280×800 (Xvfb, openbox, real libvlc), driven with
real clicks and keys (xdotool): a passage added through Annotate ▸ Add to seminar… (naming the
first seminar), another through a right click on the table; both are in the seminar after."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from db.project import open_project
from tests.gui.annotation_projects import make_project
from tests.media_factory import make_coded_clip
from tests.xvfb.conftest import REPO, scenario_env

pytestmark = pytest.mark.xvfb


def test_add_to_seminar_from_the_menu_and_from_a_right_click(
    window_manager: str, tmp_path: Path
) -> None:
    clip = make_coded_clip(tmp_path / "coded.mp4", frames=120)
    project = make_project(tmp_path, clip)  # four annotations, no seminar yet
    out = tmp_path / "seminar.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.xvfb.seminar_scenario", str(project), str(out)],
        cwd=REPO,
        env=scenario_env(window_manager, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    result = json.loads(out.read_text())
    assert result["menu_entry"].replace("&", "") == "Add to seminar…"  # its Alt letter aside
    assert result["menu_keys"] == "Ctrl+Shift+A"
    assert "no seminar yet" in result["question"]
    assert result["after_menu"] == "Added to seminar “Week 3”."
    assert result["selected_by_right_click"] == result["hands"]
    assert "Add to seminar…" in [e.replace("&", "") for e in result["context_entries"]]
    assert result["context_keys"] == ["Ctrl+Shift+A"]  # the same command, the same key
    assert result["after_right_click"] == "Added to seminar “Week 3”."
    with open_project(project) as opened:
        (seminar,) = opened.repo.seminars()
        passages = [i.annotation_id for i in opened.repo.seminar_items(seminar.id)]
    assert seminar.name == "Week 3"
    assert passages == [result["morph"], result["hands"]]
