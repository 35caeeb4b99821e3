"""Compare and Match tell one story: a film showing a short passage of another is, for
Compare, what Match says it is, not "only 0% of its pictures were found"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from critique_app.cli import main
from critique_app.services.compare import compare_files
from tests.fingerprint import material as m

PASSAGE = (150, 209)  # frames of A showing B's frames 10-69
SHOWN = 10


def test_compare_falls_back_on_what_match_finds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    b_pictures = m.shot(810, 80)
    unrelated = m.footage([801, 802, 803, 804], [75, 75, 75, 75])
    length = PASSAGE[1] - PASSAGE[0] + 1
    a_pictures = [
        *unrelated[: PASSAGE[0]],
        *b_pictures[SHOWN : SHOWN + length],
        *unrelated[PASSAGE[0] :],
    ]
    a = m.write_clip(tmp_path / "festival_cut.mp4", a_pictures)
    b = m.write_clip(tmp_path / "library_clip.mp4", b_pictures, crf=16)
    project = tmp_path / "jury.critique"
    assert main(["library", "add", str(project), str(b), "--note", "generated"]) == 0
    capsys.readouterr()
    assert main(["match", str(a), "--project", str(project), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["matches"]
    assert len(found) == 1

    comparison = compare_files(a, b)  # under 20 % of A's pictures: alignment alone refused it
    assert comparison.mapping.confidence < 0.2
    said = [(s.start, s.end, s.item_start, s.item_end, s.order) for s in comparison.matched]
    assert said == [
        (x["start_frame"], x["end_frame"], x["item_start"], x["item_end"], x["order"])
        for x in found
    ]
    for frame in range(found[0]["start_frame"], found[0]["end_frame"] + 1):
        shown = comparison.map_frame(frame)
        assert shown is not None and abs(shown - (frame - PASSAGE[0] + SHOWN)) <= 2
    assert comparison.map_frame(PASSAGE[0] - 20) is None
    assert comparison.frame_status(PASSAGE[0] + 5) == "same"
    assert "found as the Matches list finds them" in comparison.sentence()
    frames = found[0]["end_frame"] - found[0]["start_frame"] + 1
    assert f"in 1 passage ({frames} frames" in comparison.sentence()
    assert comparison.to_json()["matched"][0]["b"]["start"] == found[0]["item_start"]
