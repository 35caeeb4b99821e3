"""`critique-app lens instability`: JSON on stdout in film pixels, positions as frames or
timecodes, a heat-map PNG with the film's shape, a sentence saying what the score measures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from critique_app.cli import main
from tests.decor_clips import DecorClip, make_decor_clip


@pytest.fixture(scope="module")
def boil(tmp_path_factory: pytest.TempPathFactory) -> DecorClip:
    folder = tmp_path_factory.mktemp("lens-cli")
    return make_decor_clip(
        folder / "boil.mp4", frames=24, size=(640, 272), boil=(300, 100, 120, 90), cut=18
    )


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_json_shape_in_film_pixels(
    boil: DecorClip, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    heatmap = tmp_path / "heat.png"
    status, out, err = run(
        [
            "lens",
            "instability",
            str(boil.path),
            "--from",
            "10",
            "--to",
            "20",
            "--json",
            "--heatmap",
            str(heatmap),
        ],
        capsys,
    )
    assert status == 0, err
    data = json.loads(out)
    assert [f["frame"] for f in data["frames"]] == [f for f in range(10, 21) if f != 18]
    assert all(set(f) == {"frame", "score"} for f in data["frames"])
    assert data["cuts"] == [18]
    assert data["regions"]
    for region in data["regions"]:
        assert set(region) == {"frame", "x", "y", "w", "h", "score"}
        assert 10 <= region["frame"] <= 20 and region["frame"] != 18
        assert region["x"] + region["w"] <= 640 and region["y"] + region["h"] <= 272
    top = {}
    for region in data["regions"]:
        top.setdefault(region["frame"], region)
    x, y, w, h = boil.patch[12]
    assert abs(top[12]["x"] - x) < 12 and abs(top[12]["y"] - y) < 12
    assert abs(top[12]["w"] - w) < 16 and abs(top[12]["h"] - h) < 16
    assert data["heatmap"] == str(heatmap)
    with Image.open(heatmap) as picture:
        assert picture.format == "PNG"
        assert picture.size == (640, 272)  # the film's own size and aspect


def test_timecodes_and_frames_give_the_same_passage(
    boil: DecorClip, capsys: pytest.CaptureFixture[str]
) -> None:
    by_frame = run(
        ["lens", "instability", str(boil.path), "--from", "3", "--to", "7", "--json"], capsys
    )
    by_tc = run(
        [
            "lens",
            "instability",
            str(boil.path),
            "--from",
            "00:00:00:03",
            "--to",
            "7f",
            "--json",
        ],
        capsys,
    )
    assert by_frame[0] == by_tc[0] == 0
    assert json.loads(by_frame[1])["frames"] == json.loads(by_tc[1])["frames"]
    assert [f["frame"] for f in json.loads(by_tc[1])["frames"]] == [3, 4, 5, 6, 7]


def test_text_says_what_the_score_measures(
    boil: DecorClip, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = run(
        ["--language", "en", "lens", "instability", str(boil.path), "--from", "16", "--to", "19"],
        capsys,
    )
    assert status == 0
    lines = out.splitlines()
    assert "still changes after the camera's and the objects' motion is followed" in lines[0]
    assert "it does not detect anything" in lines[0]
    assert lines[1].split()[:2] == ["16", "00:00:00:16"]
    assert "hottest" in lines[1]
    assert "cut" in lines[3] and lines[3].split()[0] == "18"


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--from", "10", "--to", "5"], "ends (frame 5) before it starts (frame 10)"),
        (["--to", "24"], "has frames 0 to 23; frame 24 does not exist"),
        (["--from", "nowhere"], "is not a position"),
    ],
)
def test_a_bad_passage_is_one_sentence_and_status_1(
    boil: DecorClip, args: list[str], sentence: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        ["--language", "en", "lens", "instability", str(boil.path), *args], capsys
    )
    assert status == 1
    assert out == ""
    assert sentence in err and err.count("\n") == 1
