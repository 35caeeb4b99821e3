"""Fingerprints kept compactly in the project, resumed after Cancel, damaged films reported."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database

from critique_app.errors import Cancelled
from critique_app.media import film_hashes, grey_frames
from critique_app.progress import Progress
from critique_app.services.fingerprinting import film_not_searched, fingerprint_film
from db import fingerprint_store as store
from db.project import open_project
from db.schema import migrate
from tests.fingerprint import material as m


def add_a_film(
    conn: Database | sqlite3.Connection, film_id: int = 1, frame_count: int = 10
) -> None:
    """A film row, as fingerprints need one (24 fps; no file behind it)."""
    conn.execute(
        "INSERT INTO films (id, title, path, sha256, size, rate_num, rate_den, frame_count, added_at) "
        "VALUES (?, ?, ?, 'x', 1, 24, 1, ?, 'now')",
        [film_id, f"film {film_id}", f"/films/{film_id}.mp4", frame_count],
    )


@pytest.fixture
def db() -> Database:
    """An in-memory project with one film (id 1, 10 frames)."""
    db = Database(memory=True)
    migrate(db.conn)
    add_a_film(db)
    return db


def test_blob_arrays_round_trip_in_appended_chunks(db: Database) -> None:
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
    chunks = db.execute(
        "SELECT first_frame, length(hashes) FROM fingerprint_chunks WHERE kind = 'phash' "
        "ORDER BY first_frame"
    ).fetchall()
    assert chunks == [(0, 4 * 8), (4, 4 * 8)]  # 8 bytes a frame (2**64 - 1), a row a flush


def test_a_flush_adds_a_chunk_and_never_rewrites_the_earlier_ones(db: Database) -> None:
    store.start_fingerprints(db, 1, crop=None)
    values = {"phash": np.arange(3, dtype=np.uint64), "contrast": np.ones(3, np.float32)}
    store.append_fingerprints(db, 1, 0, values)
    first = db.execute("SELECT rowid, kind, hashes FROM fingerprint_chunks").fetchall()
    store.append_fingerprints(db, 1, 3, values)
    store.append_fingerprints(db, 1, 6, {"phash": np.zeros(0, np.uint64)})  # nothing new
    rows = db.execute("SELECT rowid, kind, hashes FROM fingerprint_chunks").fetchall()
    assert set(first) < set(rows) and len(rows) == 2 * len(first)
    progress = store.stored_progress(db, 1)
    assert progress is not None and (progress.frame_count, progress.complete) == (6, False)
    got = store.load_fingerprints(db, 1)
    assert got is not None and got.phash.tolist() == [0, 1, 2, 0, 1, 2]
    got.phash[0] = 9  # the arrays are the caller's own, not views of SQLite's bytes


def test_the_kinds_a_film_lacks_are_read_without_its_hashes(db: Database) -> None:
    """`stored_progress` says which optional kinds were stored before they existed, as
    `load_fingerprints` does, from the one row per kind (no chunk is read)."""
    assert store.stored_progress(db, 1) is None  # never fingerprinted
    store.start_fingerprints(db, 1, crop=None)
    for start in (0, 3):
        store.append_fingerprints(db, 1, start, {"phash": np.arange(3, dtype=np.uint64)})
    now = store.stored_progress(db, 1)
    assert now is not None and now.missing_kinds == () and now.frame_count == 6
    # hashed before insets and split screens were looked for: those kinds have no row
    older = ("inset", *store.EXTRA_KINDS)
    marks = ", ".join("?" * len(older))
    db.execute(f"DELETE FROM fingerprints WHERE kind IN ({marks})", list(older))
    then, prints = store.stored_progress(db, 1), store.load_fingerprints(db, 1)
    assert then is not None and prints is not None
    assert then.missing_kinds == prints.missing_kinds == older
    db.execute("DELETE FROM fingerprint_chunks WHERE kind = 'phash' AND first_frame = 0")
    with pytest.raises(RuntimeError):  # the hashes cannot be read now; what is missing can
        store.load_fingerprints(db, 1)
    assert store.stored_progress(db, 1) == then


def test_the_library_items_variant_names_are_read_without_their_hashes(db: Database) -> None:
    from critique_app.media.regions import LIBRARY_VARIANTS
    from critique_app.provenance.reference_library import VARIANT_NAMES

    hashes = np.arange(4, dtype=np.uint64)
    for n, names in enumerate([(), LIBRARY_VARIANTS, VARIANT_NAMES]):
        store.add_library_item(
            db,
            label=f"item {n}",
            source_note="",
            path=f"/library/{n}.mp4",
            sha256=str(n),
            kind="clip",
            hashes=hashes,
            variants=np.zeros((len(names), len(hashes)), np.uint64) if names else None,
            variant_names=names,
        )
    assert store.library_variant_names(db) == [(), LIBRARY_VARIANTS, VARIANT_NAMES]
    assert store.library_variant_names(db) == [i.variant_names for i in store.library_items(db)]


def test_a_version_6_file_keeps_every_hash_in_chunks(tmp_path: Path) -> None:
    """Fingerprints stored as one BLOB per kind (schema 6) read back the same after migration."""
    path = tmp_path / "old.critique"
    conn = sqlite3.connect(path)
    migrate(conn, upto=6)
    add_a_film(conn, 1, frame_count=1000)
    add_a_film(conn, 2, frame_count=9)
    rng = np.random.default_rng(6)
    expected = {}
    version_6 = [k for k in store.KINDS if k not in store.EXTRA_KINDS]  # panels came later
    for kind in version_6:  # film 1: complete, 1,000 frames, values with NUL bytes and top bits
        values = rng.integers(0, 2**63, 1000, dtype=np.int64).view(np.uint64) << np.uint64(1)
        values[:3] = [0, 2**64 - 1, 255] if kind not in store.MEASURE_KINDS else [0, 100, 255]
        expected[kind] = values
        conn.execute(
            "INSERT INTO fingerprints (film_id, kind, step, frame_count, complete, crop_json, "
            "hashes, updated_at) VALUES (1, ?, 1, 1000, 1, '[0, 10, 320, 160]', ?, 'then')",
            [kind, store.to_blob(values)],
        )
    for kind in ("phash", "phash_mirror", "dhash", "contrast", "frame_diff"):  # film 2: begun
        conn.execute(
            "INSERT INTO fingerprints (film_id, kind, step, frame_count, complete, crop_json, "
            "hashes, updated_at) VALUES (2, ?, 1, 0, 0, NULL, ?, 'then')",
            [kind, b""],
        )
    conn.commit()
    conn.close()
    with open_project(path) as project:
        got = store.load_fingerprints(project.db, 1)
        assert got is not None and got.complete and got.frame_count == 1000
        assert got.crop == [0, 10, 320, 160]
        for kind in store.HASH_KINDS:
            if kind not in store.EXTRA_KINDS:
                assert getattr(got, kind).tolist() == expected[kind].tolist(), kind
        # hashed before split screens were looked for: no panel, and said so
        assert not got.extra.any() and got.extra.shape == (1000, len(store.EXTRA_KINDS))
        assert got.missing_kinds == store.EXTRA_KINDS
        (said,) = film_not_searched(project, 1, "film 1")  # no library item: nothing else
        assert said.startswith("film 1 was fingerprinted before split screens were looked for")
        assert np.array_equal(got.contrast, (expected["contrast"] / 100.0).astype(np.float32))
        begun = store.stored_progress(project.db, 2)
        assert begun is not None and begun.frame_count == 0 and not begun.complete
        assert film_not_searched(project, 2, "film 2") == []  # nothing hashed, nothing missed
        # the begun film goes on in chunks, and its optional kinds stay absent as before
        store.append_fingerprints(project.db, 2, 0, {"phash": np.arange(9, dtype=np.uint64)})
        again = store.load_fingerprints(project.db, 2)
        assert again is not None and again.phash.tolist() == list(range(9))
        assert again.inset.tolist() == [0] * 9
        columns = [r[1] for r in project.db.execute("PRAGMA table_info(fingerprints)")]
        assert "hashes" not in columns  # the old BLOBs are gone, not kept twice


def test_a_chunk_is_as_narrow_as_its_values_and_reads_back_the_same(db: Database) -> None:
    store.start_fingerprints(db, 1, crop=None)
    values = {
        "phash": np.array([1, 2**64 - 1, 0], np.uint64),
        "dhash": np.array([255, 0, 7], np.uint64),
        "inset": np.array([0, 2**40, 0], np.uint64),
        "contrast": np.array([0.0, 80.0, 655.35], np.float32),  # 65,535 hundredths at most
        "frame_diff": np.array([0.0, 40.0, 255.0], np.float32),
    }
    store.append_fingerprints(db, 1, 0, values)
    store.append_fingerprints(db, 1, 3, {"phash": np.array([5, 6], np.uint64)})  # no inset here
    widths = dict(
        db.execute(
            "SELECT kind, group_concat(length(hashes), ' ') FROM "
            "(SELECT * FROM fingerprint_chunks ORDER BY first_frame) GROUP BY kind"
        ).fetchall()
    )
    assert widths["phash"] == f"{3 * 8} {2 * 1}" and widths["dhash"] == f"{3 * 1} 0"
    assert widths["inset"] == f"{3 * 8} 0" and widths["extra:half-left"] == "0 0"
    assert widths["contrast"] == f"{3 * 2} 0" and widths["frame_diff"] == f"{3 * 4} 0"
    got = store.load_fingerprints(db, 1)
    assert got is not None and got.frame_count == 5
    assert got.phash.tolist() == [1, 2**64 - 1, 0, 5, 6]
    assert got.dhash.tolist() == [255, 0, 7, 0, 0]
    assert got.inset.tolist() == [0, 2**40, 0, 0, 0] and not got.extra.any()
    assert np.allclose(got.contrast, [0.0, 80.0, 655.35, 0, 0], atol=1e-2)
    assert np.allclose(got.frame_diff, [0.0, 40.0, 255.0, 0, 0], atol=1e-3)
    db.execute("DELETE FROM fingerprint_chunks WHERE kind = 'dhash' AND first_frame = 0")
    with pytest.raises(RuntimeError, match="dhash"):  # a chunk lost is found, not read as 0
        store.load_fingerprints(db, 1)


def test_a_pass_begun_in_8_byte_chunks_goes_on_in_narrow_ones(tmp_path: Path) -> None:
    """Chunks stored before schema 10 (all 8 bytes a frame) read beside the narrow ones that
    a resumed pass adds; a chunk whose length is no width of its frames is refused."""
    path = tmp_path / "version-9.critique"
    conn = sqlite3.connect(path)
    migrate(conn, upto=9)
    add_a_film(conn)
    before = np.array([0, 3, 2**64 - 1, 9], np.uint64)
    for kind in store.KINDS:
        conn.execute(
            "INSERT INTO fingerprints (film_id, kind, step, frame_count, complete, crop_json, "
            "updated_at) VALUES (1, ?, 1, 4, 0, NULL, 'then')",
            [kind],
        )
        conn.execute(
            "INSERT INTO fingerprint_chunks (film_id, kind, first_frame, hashes) VALUES (1, ?, 0, ?)",
            [kind, store.to_blob(before)],
        )
    conn.commit()
    conn.close()
    with open_project(path) as project:
        store.append_fingerprints(project.db, 1, 4, {"phash": np.array([4, 5], np.uint64)})
        got = store.load_fingerprints(project.db, 1)
        assert got is not None and got.frame_count == 6
        assert got.phash.tolist() == [*before.tolist(), 4, 5]
        assert got.extra[:, 0].tolist() == [*before.tolist(), 0, 0]
        project.db.execute(
            "UPDATE fingerprint_chunks SET hashes = substr(hashes, 2) "
            "WHERE kind = 'dhash' AND first_frame = 0"
        )
        with pytest.raises(RuntimeError, match="dhash"):
            store.load_fingerprints(project.db, 1)


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
