"""Shot cuts from the fingerprint decode; letterbox and pillarbox bars found and removed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from critique_app.cli import main
from critique_app.media.film_hashes import hash_film
from critique_app.media.fingerprint import FrameHashes
from critique_app.media.grey_frames import Crop, read_layout
from critique_app.media.letterbox import decodes_from_start, detect_bars, detect_film_bars
from critique_app.media.shots import find_cuts
from critique_app.services.fingerprinting import detect_shots, fingerprint_film
from db import fingerprint_store as store
from db.project import open_project
from tests.fingerprint import material as m


def test_cuts_found_exactly_and_pans_and_flashes_do_not_cut(tmp_path: Path) -> None:
    lengths = [30, 18, 40, 25, 31]
    frames = m.footage([11, 12, 13, 14, 15], lengths)
    frames[60] = np.clip(frames[60].astype(np.int16) + 90, 0, 255).astype(np.uint8)  # a flash
    film = m.write_clip(tmp_path / "film.mp4", frames)
    assert detect_shots(film).cuts == list(np.cumsum(lengths)[:-1])


def test_a_flash_is_one_event_not_two() -> None:
    diffs = np.full(100, 2.0, np.float32)
    diffs[50], diffs[51] = 60.0, 58.0  # into and out of a one-frame flash
    diffs[80] = 45.0
    assert find_cuts(diffs) == [50, 80]


def test_shots_cli_json(tmp_path: Path, capsys) -> None:
    film = m.write_clip(tmp_path / "film.mp4", m.footage([21, 22], [24, 24]))
    assert main(["shots", str(film), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cuts"] == [24]
    assert out["shots"][1] == {
        "shot": 2,
        "start_frame": 24,
        "end_frame": 47,
        "start_timecode": "00:00:01:00",
        "frames": 24,
    }


def test_shots_cli_on_a_file_that_is_not_a_film(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "notes.mp4"
    bad.write_bytes(b"not a film at all" * 100)
    assert main(["shots", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "notes.mp4" in err and "Traceback" not in err


def test_letterbox_and_pillarbox_detected(tmp_path: Path) -> None:
    frames = m.footage([31, 32], [20, 20])
    boxed = m.write_clip(tmp_path / "boxed.mp4", [m.letterbox(f, 30) for f in frames])
    pillar = m.write_clip(tmp_path / "pillar.mp4", [m.pillarbox(f, 40) for f in frames])
    plain = m.write_clip(tmp_path / "plain.mp4", frames)
    assert detect_film_bars(boxed) == detect_film_bars(boxed)
    crop = detect_film_bars(boxed)
    assert crop is not None and (crop.x, crop.width) == (0, 320) and abs(crop.y - 30) <= 2
    assert abs(crop.height - 180) <= 4
    crop = detect_film_bars(pillar)
    assert crop is not None and abs(crop.x - 40) <= 2 and abs(crop.width - 320) <= 4
    assert detect_film_bars(plain) is None


def test_black_frames_do_not_count_as_bars() -> None:
    picture = np.full((90, 160), 120, np.uint8)
    picture[:10] = 0
    picture[-10:] = 0
    black = np.zeros((90, 160), np.uint8)
    crop = detect_bars([black, picture, black])
    assert crop is not None and (crop.y, crop.height) == (10, 70)
    assert detect_bars([black]) is None


def test_bars_found_on_the_way_give_the_crop_and_hashes_of_a_separate_search(
    tmp_path: Path,
) -> None:
    """Few keyframes: the fingerprint pass finds the bars on the frames it decodes anyway,
    and stores exactly what a separate bar search followed by a cropped pass gives."""
    frames = m.footage([41, 42, 43], [150, 150, 150])  # past the 9 samples and two batches
    films = {
        "boxed": m.write_clip(
            tmp_path / "boxed.mp4", [m.letterbox(f, 30) for f in frames], gop=250
        ),
        "plain": m.write_clip(tmp_path / "plain.mp4", frames, gop=250),
    }
    for name, film in films.items():
        layout = read_layout(film)
        assert decodes_from_start(layout)
        crop = detect_film_bars(film, layout)
        assert (crop is not None) == (name == "boxed")
        separate = FrameHashes.joined(
            [r.hashes for r in hash_film(film, layout, crop=crop, workers=1) if len(r)]
        )
        with open_project(tmp_path / f"{name}.critique") as project:
            summary = fingerprint_film(project, film, workers=1)
            stored = store.load_fingerprints(project.db, summary.film_id)
        assert summary.crop == crop and summary.hashed == layout.frame_count
        assert stored is not None and Crop.from_json(stored.crop) == crop
        assert np.array_equal(stored.phash, separate.phash)
        assert np.array_equal(stored.dhash, separate.dhash)
        assert np.array_equal(stored.phash_mirror, separate.phash_mirror)
