"""Failed opens in a real window under Xvfb (openbox, real libvlc, keys through the X server):
after each failure the title is unchanged and → shows the next exact frame of the film on
screen, read back from an X11 screenshot."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui.test_failed_open import make_festival
from tests.media_factory import make_coded_clip
from tests.xvfb.conftest import REPO, scenario_env
from tests.xvfb.test_real_window import assert_exact_on_screen

pytestmark = pytest.mark.xvfb


def test_failed_opens_leave_the_real_window_stepping_exact_frames(
    window_manager: str, tmp_path: Path
) -> None:
    clip = make_coded_clip(tmp_path / "coded.mp4", frames=96, bframes=2)
    project = make_festival(tmp_path, clip)
    fake = tmp_path / "fake.mp4"
    fake.write_text("not a film\n" * 40)
    newer = make_festival(tmp_path, clip, "newer")
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 999")
    missing = tmp_path / "gone.mov"
    out = tmp_path / "failed.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.xvfb.failed_open_scenario",
            str(project),
            str(out),
            str(fake),
            str(newer),
            str(missing),
        ],
        cwd=REPO,
        env=scenario_env(window_manager, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    result = json.loads(out.read_text())
    first = result["first"]
    assert_exact_on_screen(first)
    assert first["displayed_index"] == 4  # four real → presses
    assert len(result["attempts"]) == 3
    for n, attempt in enumerate(result["attempts"], start=1):
        assert attempt["title"] == result["title"], attempt
        assert attempt["film"] == str(clip), attempt
        assert attempt["message"], attempt
        assert_exact_on_screen(attempt["after_right"])
        assert attempt["after_right"]["displayed_index"] == 4 + n, attempt
