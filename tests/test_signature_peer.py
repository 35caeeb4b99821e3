"""The FFmpeg signature peer of benchmarks/robustness.py reads what the real filter prints
(issue 24): a film holding a 4 s excerpt of one item, and an item it does not hold."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from benchmarks import _signature_peer as peer
from tests.fingerprint import material
from tests.missing import missing

RATE = 24


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> list[peer.SignatureMatch]:
    if shutil.which("ffmpeg") is None:
        missing("ffmpeg is not installed (Debian: apt-get install ffmpeg)")
    tmp = tmp_path_factory.mktemp("signature")
    source = list(material.shot_frames(11, 6 * RATE))
    item = material.write_clip(tmp / "item.mp4", iter(source), rate=RATE)
    other = material.write_clip(tmp / "other.mp4", material.shot_frames(12, 6 * RATE), rate=RATE)
    before, after = material.shot_frames(13, 3 * RATE), material.shot_frames(14, 2 * RATE)
    film = material.write_clip(
        tmp / "film.mp4",
        itertools.chain(before, source[RATE : 5 * RATE], after),  # item 1-5 s at film 3-7 s
        rate=RATE,
    )
    return peer.compare(Path(film), [Path(item), Path(other)])


def test_the_filter_finds_the_excerpt_where_the_film_shows_it(found) -> None:
    pair = {(m.first, m.second): m for m in found}
    assert set(pair) >= {(0, 1), (0, 2)}, found  # one verdict per pair with the film
    hit = pair[(0, 1)]
    assert hit.frames > 0
    [segment] = peer.segments([hit], ["item", "other"], RATE)
    assert segment.item_id == 1 and segment.label == "item"
    assert segment.start <= 7 * RATE - 1 and segment.end >= 3 * RATE  # overlaps the passage


def test_an_item_the_film_does_not_hold_gives_no_segment(found) -> None:
    other = [m for m in found if (m.first, m.second) == (0, 2)]
    assert other and other[0].frames == 0
    assert peer.segments(other, ["item", "other"], RATE) == []


def test_the_log_lines_are_read_as_ffmpeg_prints_them() -> None:
    log = (
        "[Parsed_signature_0 @ 0x55d38c27f140] matching of video 0 at 5.583333 and 1 at "
        "2.083333, 102 frames matching\n"
        "[Parsed_signature_0 @ 0x55d38c27f140] whole video matching\n"
        "[Parsed_signature_0 @ 0x55d38c27f140] no matching of video 0 and 2\n"
    )
    assert peer.parse_log(log) == [
        peer.SignatureMatch(0, 1, 5.583333, 2.083333, 102),
        peer.SignatureMatch(0, 2, 0.0, 0.0, 0),
    ]
