"""A jury checks a signed still through Provenance ▸ Check a file… in a real window at
1280×800 (Xvfb, openbox, real clicks and keys): the panel says, on screen, that the signer is
on no trust list, and which lists it consulted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.xvfb.conftest import REPO, scenario_env

pytestmark = pytest.mark.xvfb


def test_check_a_file_from_the_menu_on_a_signed_still(
    window_manager: str, provenance_corpus: Path, tmp_path: Path
) -> None:
    still = provenance_corpus / "c2pa-rs" / "C.jpg"  # MANIFEST.txt: untrusted under every list
    out = tmp_path / "check_file.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.xvfb.check_file_scenario", str(still), str(out)],
        cwd=REPO,
        env=scenario_env(window_manager, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    result = json.loads(out.read_text())
    assert result["screen"] == [1280, 800] and result["typed"] == str(still)
    assert result["checked"] == "C.jpg"
    assert result["badge"] == "Valid, but the signer is not on a trust list"
    assert "The signer is not on any trust list consulted" in result["trust"]
    assert "the C2PA trust list" in result["trust"]
    assert "the CAI interim trust list" in result["trust"]
    assert "?" not in result["signer"]
    for shown in (result["trust_on_screen"], result["badge_on_screen"]):
        assert shown["visible"] and shown["width"] > 0 and shown["height"] > 0, shown
        assert 0 <= shown["x"] < 1280 and 0 <= shown["y"] < 800, shown  # on the screen
