"""`critique-app probe` and `critique-app frame`: exact PNGs, JSON on stdout, one sentence on
stderr and exit status 1 for files that cannot be processed."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from critique_app.cli import main
from tests.media_factory import make_coded_clip, read_frame_code

SIZE = (176, 144)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cli-clips")
    whole = make_coded_clip(
        folder / "film.mp4", frames=72, size=SIZE, gop=12, bframes=3, open_gop=True
    )
    ntsc = make_coded_clip(
        folder / "ntsc.mov",
        frames=60,
        size=SIZE,
        rate=Fraction(30000, 1001),
        start_timecode="01:00:00;00",
    )
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    noise = folder / "noise.mp4"
    noise.write_bytes(np.random.default_rng(5).integers(0, 256, 40_000, np.uint8).tobytes())
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    return {
        "film": whole,
        "ntsc": ntsc,
        "empty": empty,
        "noise": noise,
        "truncated": truncated,
        "missing": folder / "missing.mp4",
    }


def decoded_in_order(path: Path, index: int) -> np.ndarray:
    """The frame at `index` by plain sequential decoding: the reference the CLI must match."""
    with av.open(str(path)) as container:
        for position, frame in enumerate(container.decode(video=0)):
            if position == index:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"{path} has no frame {index}")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("empty", "empty.mp4 is empty (0 bytes)"),
        ("noise", "noise.mp4 is not a video file that can be read"),
        ("truncated", "truncated.mp4 is cut short or damaged"),
        ("missing", "missing.mp4 does not exist"),
    ],
)
@pytest.mark.parametrize("command", ["probe", "frame"])
def test_unusable_files_exit_1_with_one_sentence(
    clips: dict[str, Path],
    name: str,
    sentence: str,
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [command, str(clips[name])]
    if command == "frame":
        args += ["--index", "0", "-o", str(tmp_path / "out.png")]
    status, out, err = run(args, capsys)
    assert status == 1
    assert out == ""
    assert err.startswith(f"critique-app: {clips[name]}")
    assert sentence in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out.png").exists()


def test_index_out_of_range(
    clips: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = run(
        ["frame", str(clips["film"]), "--index", "72", "-o", str(tmp_path / "x.png")], capsys
    )
    assert status == 1
    assert (
        err.strip() == f"critique-app: {clips['film']} has frames 0 to 71; frame 72 does not exist."
    )


def test_the_console_script_exits_1_without_traceback(clips: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "critique_app", "probe", str(clips["noise"])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("index", [0, 13, 37, 71])
def test_png_is_the_exact_frame_at_full_resolution(
    clips: dict[str, Path], index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"frame{index}.png"
    status, stdout, err = run(
        ["frame", str(clips["film"]), "--index", str(index), "-o", str(out)], capsys
    )
    assert (status, err) == (0, "")
    assert f"frame {index}" in stdout
    with Image.open(out) as png:
        assert png.format == "PNG" and png.size == SIZE and png.mode == "RGB"
        pixels = np.asarray(png)
    assert read_frame_code(pixels) == index
    assert np.array_equal(pixels, decoded_in_order(clips["film"], index))  # lossless


def test_frame_by_drop_frame_timecode_uses_the_start_timecode(
    clips: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tc.png"
    status, stdout, _err = run(
        ["frame", str(clips["ntsc"]), "--tc", "01:00:01;12", "-o", str(out)], capsys
    )
    assert status == 0
    assert "frame 42 (01:00:01;12)" in stdout
    with Image.open(out) as png:
        assert read_frame_code(np.asarray(png)) == 42


def test_frame_with_a_bad_timecode(
    clips: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = run(
        ["frame", str(clips["ntsc"]), "--tc", "half past one", "-o", str(tmp_path / "x.png")],
        capsys,
    )
    assert status == 1
    assert err.startswith(f"critique-app: {clips['ntsc']}: 'half past one' is not a position")


def test_frame_needs_index_or_timecode(
    clips: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, _err = run(["frame", str(clips["film"]), "-o", str(tmp_path / "x.png")], capsys)
    assert status == 2


def test_probe_json_on_stdout_only(
    clips: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["probe", str(clips["ntsc"]), "--json"], capsys)
    assert (status, err) == (0, "")
    facts = json.loads(out)
    assert facts["frame_count"] == 60
    assert facts["rate"] == "30000/1001"
    assert facts["start_timecode"] == "01:00:00;00" and facts["drop_frame"] is True
    assert facts["vfr"] is False


def test_probe_lines_for_people(clips: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(["probe", str(clips["ntsc"])], capsys)
    assert status == 0
    assert "frames:    60 (exact" in out
    assert "29.97 fps (30000/1001)" in out
    assert "starts at 01:00:00;00 (drop-frame)" in out


def test_truncated_file_with_its_index_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The frames that survive are still served; probe says what is left and exits 1."""
    whole = make_coded_clip(tmp_path / "whole.mp4", frames=72, size=SIZE, faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    status, out, err = run(["probe", str(cut)], capsys)
    assert status == 1
    assert "frames:" in out
    assert err.startswith(f"critique-app: {cut} is cut short or damaged")
    assert "frames can be read." in err and len(err.strip().splitlines()) == 1
    status, _out, err = run(
        ["frame", str(cut), "--index", "5", "-o", str(tmp_path / "5.png")], capsys
    )
    assert (status, err) == (0, "")
    with Image.open(tmp_path / "5.png") as png:
        assert read_frame_code(np.asarray(png)) == 5
