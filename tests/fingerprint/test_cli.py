"""`critique-app fingerprint`: a film's fingerprints and shots into a project, as a user sees it."""

from __future__ import annotations

import json
from pathlib import Path

from critique_app.cli import main
from tests.fingerprint import material as m


def test_fingerprint_a_letterboxed_film_into_a_new_project(tmp_path: Path, capsys) -> None:
    film = m.write_clip(
        tmp_path / "festival.mp4", [m.letterbox(f) for f in m.footage([5, 6], [30, 26])]
    )
    project = tmp_path / "class.critique"
    assert main(["fingerprint", str(film), "--project", str(project), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hashed"] == out["frame_count"] == 56 and out["complete"]
    assert out["cuts"] == [30]
    assert out["crop"] is not None and out["crop"][1] in (30, 31, 32)
    # a second run finds the work done
    assert main(["fingerprint", str(film), "--project", str(project)]) == 0
    assert "56 of 56 frames fingerprinted" in capsys.readouterr().out


def test_fingerprint_of_a_missing_film_is_one_sentence(tmp_path: Path, capsys) -> None:
    code = main(
        ["fingerprint", str(tmp_path / "nope.mp4"), "--project", str(tmp_path / "p.critique")]
    )
    err = capsys.readouterr().err
    assert code == 1 and "nope.mp4" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
