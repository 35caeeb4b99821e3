"""Keys that never surprise, in a real window at 1280×800 (Xvfb, openbox, real libvlc) driven
with real keys and a real click (xdotool): a note typed with the picture's shortcut letters in it
is exactly the text typed, and nothing else happens; Esc gives the keys back to the picture."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui.annotation_projects import make_project
from tests.media_factory import make_coded_clip
from tests.xvfb.conftest import REPO, scenario_env
from tests.xvfb.test_real_window import assert_exact_on_screen
from tests.xvfb.typing_scenario import TYPED

pytestmark = pytest.mark.xvfb


def test_a_note_typed_with_real_keys_stays_a_note(window_manager: str, tmp_path: Path) -> None:
    clip = make_coded_clip(tmp_path / "coded.mp4", frames=96, bframes=2)
    project = make_project(tmp_path, clip)
    out = tmp_path / "typing.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.xvfb.typing_scenario", str(project), str(out)],
        cwd=REPO,
        env=scenario_env(window_manager, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    result = json.loads(out.read_text())
    assert result["screen"] == [1280, 800]
    assert result["made"] == [2, 3]  # I, O and N pressed on the picture made one annotation
    assert "#5" in result["message_after_n"]
    typing = result["typing"]
    assert typing["note"] == TYPED  # every letter typed is in the note, nothing else
    assert typing["stored"] == TYPED  # and saved in the project
    assert typing["annotations_added"] == 0  # N and Shift+N made nothing
    assert typing["played"] == []  # Space, J and L never started playback
    assert typing["full_screen_toggles"] == [] and not typing["full_screen"]  # nor F full screen
    assert typing["frame_moved"] == 0
    assert typing["tool"] is None  # R and E chose no drawing tool (V: select, as before)
    assert typing["marks"] == [2, 3]  # I and O moved no mark
    assert result["focus_after_esc"] == "VideoView"
    after = result["after_right"]
    assert after["displayed_index"] == result["before_right"] + 1  # → stepped exactly one frame
    assert_exact_on_screen(after)
