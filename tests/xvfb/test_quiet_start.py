"""A quiet start: real libvlc playing two films in a real X window prints none of the lines it
used to (24,176 ALSA lines and VDPAU messages on a machine without sound), and without a
sound device the window says once that films play without sound."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from critique_app.player.sound_devices import NO_SOUND, sound_output_found
from tests.media_factory import make_coded_clip
from tests.xvfb.display import REPO, x_environment

pytestmark = pytest.mark.xvfb

# What libvlc and the libraries under it printed on a start before (one pattern per source)
SPAM = {
    "alsa-lib": re.compile(r"ALSA lib"),
    "libvlc log": re.compile(r"^\[[0-9a-f]{8,16}\] "),  # "[00007f…] alsa audio output error: …"
    "vdpau": re.compile(r"vdpau", re.IGNORECASE),
    "xcb": re.compile(r"\[xcb\]|xcb_"),
    "libva": re.compile(r"libva"),
}


def test_real_libvlc_start_prints_nothing_and_says_no_sound_once(
    xvfb_display: str, tmp_path: Path
) -> None:
    films = [
        make_coded_clip(tmp_path / "first.mp4", frames=96),
        make_coded_clip(tmp_path / "second.mp4", frames=72),
    ]
    env = x_environment(xvfb_display, tmp_path / "data")
    del env["CRITIQUE_VLC_AOUT"]  # as a user starts it: libvlc finds (or not) a sound device
    out = tmp_path / "quiet.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.xvfb.quiet_start_scenario", *map(str, films), str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    report = json.loads(out.read_text())
    assert report["engine"] == "vlc", report
    assert [f["path"] for f in report["films"]] == [str(f) for f in films]
    noisy = {
        source: [line for line in done.stderr.splitlines() if pattern.search(line)][:3]
        for source, pattern in SPAM.items()
    }
    assert not any(noisy.values()), noisy
    said = report["status_messages"] + [report["engine_note_after"]]
    times = sum(NO_SOUND in text for text in said)
    if sound_output_found():  # a machine with sound: nothing to say
        assert times == 0 and report["plays_audio"], said
    else:
        assert times == 1, said  # once, not at every film
        assert report["engine_note"] == NO_SOUND and not report["plays_audio"]
