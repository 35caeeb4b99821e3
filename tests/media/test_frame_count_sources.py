"""probe's frame count against FFmpeg's own command-line reader (ffprobe), and what it says about
how it counted: from the container's index where that is exact, else from every packet."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.media.probe import probe
from tests.media_factory import make_coded_clip, make_edit_list_copy
from tests.missing import missing

SIZE = (96, 64)


@pytest.fixture(scope="module")
def ffprobe() -> str:
    found = shutil.which("ffprobe")
    if found is None:
        missing("ffprobe is not installed (Debian: apt-get install ffmpeg)")
    return found


def ffprobe_count(ffprobe: str, path: Path) -> tuple[int, int]:
    """(packets ffprobe -count_packets reads, those of them flagged 'discard'): the frames
    shown are the difference (an edit list hides the discarded ones)."""

    def run(*args: str) -> str:
        done = subprocess.run(
            [ffprobe, "-v", "error", "-select_streams", "v:0", *args, "-of", "json", str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return done.stdout

    counted = json.loads(run("-count_packets", "-show_entries", "stream=nb_read_packets"))
    packets = int(counted["streams"][0]["nb_read_packets"])
    flags = json.loads(run("-show_entries", "packet=flags"))["packets"]
    assert len(flags) == packets
    return packets, sum("D" in p["flags"] for p in flags)


def _clip(tmp_path: Path, name: str) -> Path:
    if name == "mp4":
        return make_coded_clip(tmp_path / "cfr.mp4", frames=97, size=SIZE, gop=12, audio=True)
    if name == "mov":
        return make_coded_clip(
            tmp_path / "ntsc.mov", frames=90, size=SIZE, rate=Fraction(30000, 1001)
        )
    if name == "mkv":
        return make_coded_clip(tmp_path / "cfr.mkv", frames=75, size=SIZE, gop=12)
    if name == "webm":
        return make_coded_clip(tmp_path / "vp9.webm", frames=40, size=SIZE, codec="libvpx-vp9")
    if name == "vfr":
        return make_coded_clip(tmp_path / "vfr.mp4", frames=80, size=SIZE, vfr=True)
    if name in ("edit_list_mp4", "edit_list_mov"):
        suffix = name.rsplit("_", 1)[1]
        source = make_coded_clip(tmp_path / f"whole.{suffix}", frames=120, size=SIZE, gop=12)
        return make_edit_list_copy(source, tmp_path / f"cut.{suffix}", skip_frames=31)
    if name == "edit_list_on_a_keyframe":
        source = make_coded_clip(tmp_path / "whole.mp4", frames=60, size=SIZE, gop=12)
        return make_edit_list_copy(source, tmp_path / "cut_at_key.mp4", skip_frames=24)
    raise KeyError(name)


# file -> how probe must have counted (from the index, or why it read every packet)
CASES = {
    "mp4": ("index", None),
    "mov": ("index", None),
    "mkv": ("packets", "format"),
    "webm": ("packets", "format"),
    "vfr": ("packets", "variable"),
    "edit_list_mp4": ("packets", "edit_list"),
    "edit_list_mov": ("packets", "edit_list"),
    "edit_list_on_a_keyframe": ("packets", "edit_list"),
}


# frames an edit-list copy shows: its source's frames from the edit's start on
SHOWN_AFTER_EDIT = {
    "edit_list_mp4": 120 - 31,
    "edit_list_mov": 120 - 31,
    "edit_list_on_a_keyframe": 60 - 24,
}


@pytest.mark.parametrize("name", list(CASES))
def test_frame_count_equals_ffprobe(name: str, tmp_path: Path, ffprobe: str) -> None:
    path = _clip(tmp_path, name)
    packets, discarded = ffprobe_count(ffprobe, path)
    info = probe(path)
    assert info.frame_count == packets - discarded
    if name in SHOWN_AFTER_EDIT:  # the edit list really hides the frames before its start
        assert info.frame_count == SHOWN_AFTER_EDIT[name]
    else:
        assert discarded == 0  # nothing hidden: the plain -count_packets figure
    assert (info.counted_from, info.counted_why) == CASES[name]
    assert info.problem is None
    facts = info.to_json()
    assert (facts["frames_counted_from"], facts["frames_counted_why"]) == CASES[name]


def test_the_two_ways_of_counting_give_the_same_facts(tmp_path: Path, monkeypatch) -> None:
    """Reading every packet of an MP4 the index describes gives the very same facts."""
    from critique_app.media import probe as probe_module
    from critique_app.media.stream_index import NoIndexCount

    path = make_coded_clip(
        tmp_path / "ntsc.mp4", frames=91, size=SIZE, rate=Fraction(30000, 1001), gop=15
    )
    indexed = probe(path)
    monkeypatch.setattr(probe_module, "count_from_index", lambda *a: NoIndexCount("format"))
    scanned = probe(path)
    assert indexed.counted_from == "index" and scanned.counted_from == "packets"
    keep = {"frames_counted_from", "frames_counted_why"}
    assert {k: v for k, v in indexed.to_json().items() if k not in keep} == {
        k: v for k, v in scanned.to_json().items() if k not in keep
    }


def test_a_cut_copy_whose_index_survives_is_read_packet_by_packet(tmp_path: Path) -> None:
    """A truncated MP4 with its index first: the index points past the end of the file."""
    whole = make_coded_clip(tmp_path / "whole.mp4", frames=72, size=SIZE, faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    info = probe(cut)
    assert (info.counted_from, info.counted_why) == ("packets", "cut")
    assert info.problem is not None and 0 < info.frame_count < 72


def test_the_sentence_says_how_the_frames_were_counted(tmp_path: Path) -> None:
    indexed = probe(make_coded_clip(tmp_path / "a.mp4", frames=24, size=SIZE))
    scanned = probe(make_coded_clip(tmp_path / "a.mkv", frames=24, size=SIZE))
    assert indexed.counting_sentence() == "24 (exact, counted from the file's index)"
    assert scanned.counting_sentence().startswith("24 (exact, counted by reading every packet")
