"""Fingerprints kept compactly in the project, resumed after Cancel, damaged films reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database

from critique_app.errors import Cancelled
from critique_app.media import film_hashes, grey_frames
from critique_app.progress import Progress
from critique_app.services.fingerprinting import fingerprint_film
from db import fingerprint_store as store
from db.project import open_project
from tests.fingerprint import material as m

SCHEMA = Path(__file__).resolve().parents[2] / "db" / "migrations" / "0001_initial.sql"


def test_blob_arrays_round_trip_and_append_in_sql() -> None:
    db = Database(memory=True)
    db.executescript(SCHEMA.read_text())
    db.execute(
        "INSERT INTO films (id, title, path, sha256, size, rate_num, rate_den, frame_count, added_at) "
        "VALUES (1, 't', '/f', 'x', 1, 24, 1, 10, 'now')"
    )
    store.start_fingerprints(db, 1, crop=[0, 10, 320, 160])
    values = {
        "phash": np.array([0, 2**64 - 1, 2**63, 255], np.uint64),  # NUL bytes and the top bit
        "phash_mirror": np.arange(4, dtype=np.uint64),
        "dhash": np.arange(4, dtype=np.uint64) * np.uint64(3),
        "contrast": np.array([0.0, 12.5, 3.25, 80.0], np.float32),
        "frame_diff": np.array([0.0, 1.234, 40.0, 2.0], np.float32),
    }
    assert store.append_fingerprints(db, 1, 0, values) == 4
    assert store.append_fingerprints(db, 1, 4, values) == 8
    with pytest.raises(RuntimeError):  # never append out of order
        store.append_fingerprints(db, 1, 4, values)
    got = store.load_fingerprints(db, 1)
    assert got is not None and got.frame_count == 8 and not got.complete
    assert got.phash.tolist() == values["phash"].tolist() * 2
    assert got.crop == [0, 10, 320, 160]
    assert np.allclose(got.frame_diff[:4], values["frame_diff"], atol=1e-3)
    (size,) = db.execute("SELECT length(hashes) FROM fingerprints WHERE kind = 'phash'").fetchone()
    assert size == 8 * 8  # 8 bytes a frame, not a row a frame


def test_cancel_keeps_work_and_the_next_run_resumes(tmp_path: Path, monkeypatch) -> None:
    film = m.write_clip(tmp_path / "film.mp4", m.footage([7, 8, 9], [40, 40, 40]))
    monkeypatch.setattr(grey_frames, "BATCH", 16)
    monkeypatch.setattr("critique_app.services.fingerprinting.FLUSH_SECONDS", 0.0)

    with open_project(tmp_path / "fresh.critique") as project:
        fresh = fingerprint_film(project, film, workers=1)
        reference = store.load_fingerprints(project.db, fresh.film_id)
    assert fresh.complete and fresh.hashed == 120 and fresh.cuts == [40, 80]

    def cancel_midway(done: int, total: int, message: str) -> None:
        if message.startswith("Fingerprinting") and done >= 50:
            progress.cancel()

    progress = Progress(cancel_midway)
    with open_project(tmp_path / "p.critique") as project:
        with pytest.raises(Cancelled):
            fingerprint_film(project, film, progress, workers=1)
        partial = store.load_fingerprints(project.db, 1)
        assert partial is not None and 0 < partial.frame_count < 120 and not partial.complete
        again = fingerprint_film(project, film, workers=1)
        assert again.resumed_from == partial.frame_count and again.complete
        done = store.load_fingerprints(project.db, again.film_id)
        assert store.load_shots(project.db, again.film_id) == [40, 80]
    assert reference is not None and done is not None
    assert done.phash.tolist() == reference.phash.tolist()
    assert done.phash_mirror.tolist() == reference.phash_mirror.tolist()


def test_two_processes_give_the_same_fingerprints(tmp_path: Path, monkeypatch) -> None:
    film = m.write_clip(tmp_path / "film.mp4", m.footage([3, 4, 5, 6], [30, 30, 30, 30]), gop=20)
    layout = grey_frames.read_layout(film)
    single = list(film_hashes.hash_film(film, layout, workers=1))
    monkeypatch.setattr(film_hashes, "CHUNK_FRAMES", 40)
    monkeypatch.setattr(film_hashes, "PARALLEL_MIN_FRAMES", 0)
    assert len(film_hashes.plan_chunks(layout, 0)) >= 2
    split = list(film_hashes.hash_film(film, layout, workers=2))
    assert len(split) >= 2
    for kind in ("phash", "phash_mirror", "dhash"):
        a = np.concatenate([getattr(r.hashes, kind) for r in single])
        b = np.concatenate([getattr(r.hashes, kind) for r in split])
        assert a.tolist() == b.tolist()


def test_a_film_cut_short_is_reported_and_its_frames_kept(tmp_path: Path) -> None:
    whole = m.write_clip(tmp_path / "whole.mp4", m.footage([1, 2], [60, 60]), faststart=True)
    data = whole.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with open_project(tmp_path / "p.critique") as project:
        summary = fingerprint_film(project, cut, workers=1)
        kept = store.load_fingerprints(project.db, summary.film_id)
    assert summary.problem is not None and "cut.mp4" in summary.problem
    assert kept is not None and 20 < kept.frame_count < 120
