"""probe reads the facts a user relies on, and says in one sentence what is wrong with bad files."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from critique_app.errors import UserError
from critique_app.media.probe import probe
from tests.media_factory import make_coded_clip

EXPECTED = {
    # name: (container, codec, frames, rate, has_audio, vfr)
    "h264_open_gop": ("mp4", "h264", 180, Fraction(24), True, False),
    "mov_29_97_df": ("mov", "h264", 150, Fraction(30000, 1001), False, False),
    "vp9_webm": ("webm", "vp9", 150, Fraction(24), True, False),
    "hevc_mkv": ("mkv", "hevc", 150, Fraction(24), False, False),
    "vfr_mp4": ("mp4", "h264", 150, None, False, True),
    "prores_mov": ("mov", "prores", 60, Fraction(24), False, False),
    "mpeg4_avi": ("avi", "mpeg4", 150, Fraction(24), True, False),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_facts_of_each_clip(name: str, clip: Callable[[str], Path]) -> None:
    container, codec, frames, rate, has_audio, vfr = EXPECTED[name]
    info = probe(clip(name))
    assert (info.container, info.codec, info.frame_count) == (container, codec, frames)
    assert (info.width, info.height, info.rotation) == (176, 144, 0)
    assert (info.has_audio, info.vfr) == (has_audio, vfr)
    assert info.problem is None
    if rate is not None:
        assert info.rate == rate
        assert info.duration == pytest.approx(frames / rate, abs=0.002)
    assert json.loads(json.dumps(info.to_json()))["frame_count"] == frames


def test_drop_frame_start_timecode_from_the_mov_tmcd_track(clip: Callable[[str], Path]) -> None:
    info = probe(clip("mov_29_97_df"))
    assert info.start_timecode == "01:00:00;00"
    assert info.drop_frame is True
    assert info.start_frame == 107892  # one hour of 29.97 drop-frame labels
    assert info.to_json()["rate"] == "30000/1001"


def test_no_timecode_means_start_zero(clip: Callable[[str], Path]) -> None:
    info = probe(clip("h264_open_gop"))
    assert (info.start_timecode, info.start_frame, info.drop_frame) == (None, 0, False)


def test_vfr_clip_is_flagged_with_its_average_rate(clip: Callable[[str], Path]) -> None:
    info = probe(clip("vfr_mp4"))
    assert info.vfr
    # durations of 0.5x..3x the 24 fps period: the average is well below 24
    assert 8 < float(info.rate) < 20
    assert info.duration == pytest.approx(info.frame_count / float(info.rate), rel=0.02)


def test_ntsc_in_matroska_millisecond_ticks_is_not_vfr(tmp_path: Path) -> None:
    """1 ms ticks round 29.97 fps to 33/34 ms: rounding, not a variable rate."""
    path = make_coded_clip(
        tmp_path / "ntsc.mkv", frames=90, size=(96, 64), rate=Fraction(30000, 1001)
    )
    info = probe(path)
    assert info.time_base == Fraction(1, 1000)
    assert not info.vfr
    assert info.rate == Fraction(30000, 1001) and info.drop_frame
    assert info.frame_count == 90


def test_rotation_from_the_display_matrix(tmp_path: Path) -> None:
    path = make_coded_clip(tmp_path / "phone.mp4", frames=12, size=(96, 64), rotation=90)
    assert probe(path).rotation == 90


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"nothere\.mp4 does not exist\."):
        probe(tmp_path / "nothere.mp4")


def test_zero_byte_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(UserError, match=r"empty\.mp4 is empty \(0 bytes\)"):
        probe(empty)


def test_random_bytes_named_mp4(tmp_path: Path) -> None:
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(np.random.default_rng(3).integers(0, 256, 50_000, np.uint8).tobytes())
    with pytest.raises(UserError, match=r"noise\.mp4 is not a video file that can be read"):
        probe(noise)


def test_audio_only_file(tmp_path: Path) -> None:
    path = tmp_path / "voice.wav"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=8000)
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 800), np.int16), format="s16", layout="mono"
        )
        frame.sample_rate = 8000
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    with pytest.raises(UserError, match=r"voice\.wav has no video stream"):
        probe(path)


def test_truncated_mp4_without_its_index_cannot_be_read(tmp_path: Path) -> None:
    """FFmpeg writes the MP4 index at the end: the first 60% of the bytes hold no index."""
    whole = make_coded_clip(tmp_path / "whole.mp4", frames=60, size=(96, 64))
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    with pytest.raises(
        UserError,
        match=r"cut\.mp4 is cut short or damaged: its index .* is "
        r"missing, so not one frame can be read\.",
    ):
        probe(cut)


@pytest.mark.parametrize("suffix", [".mp4", ".mkv", ".webm"])
def test_truncated_file_with_its_index_first_says_how_much_is_left(
    tmp_path: Path, suffix: str
) -> None:
    codec = "libvpx-vp9" if suffix == ".webm" else "libx264"
    whole = make_coded_clip(
        tmp_path / f"whole{suffix}", frames=80, size=(96, 64), codec=codec, faststart=True
    )
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    info = probe(cut)
    assert 20 < info.frame_count < 80
    assert info.problem is not None
    assert info.problem.startswith(f"{cut} is cut short or damaged")
    assert f"only its first {info.frame_count}" in info.problem
