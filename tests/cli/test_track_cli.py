"""`critique-app track`: JSON boxes in film pixels forward and backward, a text listing that
first says what the tracker measures, a clear sentence for a box that is not a box."""

from __future__ import annotations

import json

import pytest

from critique_app.cli import main
from tests.decor_clips import DecorClip, make_decor_clip


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> DecorClip:
    folder = tmp_path_factory.mktemp("track-cli")
    return make_decor_clip(folder / "square.mp4", frames=20, mover=(4, 2))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def box_arg(square: DecorClip, frame: int) -> str:
    return ",".join(str(v) for v in square.mover[frame])


@pytest.mark.parametrize(("start", "end"), [(2, 15), (15, 2)])
def test_json_shape_forward_and_backward(
    square: DecorClip, start: int, end: int, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        [
            "track",
            str(square.path),
            "--frame",
            str(start),
            "--box",
            box_arg(square, start),
            "--to",
            str(end),
            "--json",
        ],
        capsys,
    )
    assert status == 0, err
    data = json.loads(out)
    step = 1 if end > start else -1
    assert [b["frame"] for b in data["boxes"]] == list(range(start, end + step, step))
    for box in data["boxes"]:
        assert set(box) == {"frame", "x", "y", "w", "h", "confidence"}
        assert all(isinstance(box[k], int) for k in ("frame", "x", "y", "w", "h"))
        assert 0.0 <= box["confidence"] <= 1.0
        tx, ty, tw, th = square.mover[box["frame"]]
        assert abs(box["x"] - tx) <= 5 and abs(box["y"] - ty) <= 5
    assert data["boxes"][0]["confidence"] == 1.0
    assert (data["width"], data["height"]) == square.size


def test_text_says_what_it_measures_then_one_line_per_box(
    square: DecorClip, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        ["track", str(square.path), "--frame", "3", "--box", box_arg(square, 3), "--to", "7"],
        capsys,
    )
    assert status == 0, err
    lines = out.strip().splitlines()
    assert "Confidence" in lines[0] and "drift" in lines[0]
    assert len(lines) == 1 + 5
    assert lines[1].split()[0] == "3" and lines[1].endswith("confidence 1")
    assert lines[-1].split()[0] == "7"


@pytest.mark.parametrize("box", ["10,20,30", "a,b,c,d", "700,20,30,30", "10,10,0,5"])
def test_a_bad_box_is_named(
    square: DecorClip, box: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        ["track", str(square.path), "--frame", "0", f"--box={box}", "--to", "5"], capsys
    )
    assert status == 1
    assert out == ""
    assert "box" in err and "Traceback" not in err
