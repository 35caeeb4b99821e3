"""Coded test clips, generated once per test session (small: they must stay quick to decode)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.media_factory import make_coded_clip

SMALL = (176, 144)

# name -> (file name, make_coded_clip arguments); the five clips of the issue, then ProRes and AVI
CLIPS: dict[str, tuple[str, dict[str, Any]]] = {
    "h264_open_gop": (
        "bframes_open_gop.mp4",
        dict(frames=180, gop=15, bframes=3, open_gop=True, audio=True),
    ),
    "mov_29_97_df": (
        "ntsc_df.mov",
        dict(frames=150, rate=Fraction(30000, 1001), start_timecode="01:00:00;00", gop=12),
    ),
    "vp9_webm": ("vp9.webm", dict(frames=150, codec="libvpx-vp9", gop=24, audio=True)),
    "hevc_mkv": ("hevc.mkv", dict(frames=150, codec="libx265", gop=16, bframes=3, open_gop=True)),
    "vfr_mp4": ("vfr.mp4", dict(frames=150, vfr=True, gop=12)),
    "prores_mov": ("prores.mov", dict(frames=60, codec="prores_ks")),
    "mpeg4_avi": ("mpeg4.avi", dict(frames=150, codec="mpeg4", gop=12, bframes=2, audio=True)),
}


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """clip(name) -> path of that generated clip (made on first use)."""
    folder = tmp_path_factory.mktemp("coded-clips")
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            file_name, options = CLIPS[name]
            made[name] = make_coded_clip(folder / file_name, size=SMALL, **options)
        return made[name]

    return get


@pytest.fixture(scope="session")
def clip_args() -> Callable[[str], dict[str, Any]]:
    return lambda name: CLIPS[name][1]
