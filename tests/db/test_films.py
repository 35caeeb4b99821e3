"""Films by path and SHA-256: adding a real clip, and finding it again after a move and rename."""

from __future__ import annotations

import hashlib
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.errors import Cancelled, UserError
from critique_app.progress import Progress
from critique_app.services.films import add_film, missing_films, relink, sha256_file
from db.project import open_project
from tests.media_factory import make_coded_clip


def test_streamed_sha256_matches_and_reports_progress(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * 12_000)  # ~3 MB: several chunks
    seen: list[tuple[int, int]] = []
    digest = sha256_file(path, Progress(lambda d, t, m: seen.append((d, t))))
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(seen) >= 3 and seen[-1] == (path.stat().st_size, path.stat().st_size)


def test_hashing_can_be_cancelled(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * (3 << 20))
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        sha256_file(path, progress)


def test_missing_file_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        sha256_file(tmp_path / "nope.mp4")


def test_moved_and_renamed_film_is_found_by_content(tmp_path: Path) -> None:
    (tmp_path / "rushes").mkdir()
    original = make_coded_clip(
        tmp_path / "rushes" / "ondes.mp4", frames=24, size=(160, 120), rate=Fraction(25)
    )
    decoy = make_coded_clip(tmp_path / "decoy.mp4", frames=24, size=(160, 120), rate=Fraction(24))
    with open_project(tmp_path / "class.critique", default_vocabulary=False) as project:
        film = add_film(project, original)
        assert film.sha256 == hashlib.sha256(original.read_bytes()).hexdigest()
        assert (film.frame_count, film.rate, film.width) == (24, Fraction(25), 160)
        assert add_film(project, original).id == film.id  # same content: not added twice

        # The student moves the film to another disk and renames it.
        elsewhere = tmp_path / "disk" / "final cut" / "ONDES_v2.mp4"
        elsewhere.parent.mkdir(parents=True)
        original.rename(elsewhere)
        # Same size, other content: must not be taken for the film.
        (tmp_path / "disk" / "same-size.bin").write_bytes(b"\0" * elsewhere.stat().st_size)
        decoy.rename(tmp_path / "disk" / "decoy.mp4")
        assert missing_films(project) == [film]

        result = relink(project, tmp_path / "disk")
        assert [(f.id, p) for f, p in result.found] == [(film.id, str(elsewhere.resolve()))]
        assert result.files_hashed == 2  # the film and the same-size decoy; nothing else read
        assert result.sentence() == "Found 1 film again."
        assert project.repo.get_film(film.id or 0).path == str(elsewhere.resolve())
        assert missing_films(project) == []

    with (
        open_project(tmp_path / "class.critique") as project,
        pytest.raises(UserError, match="is not a folder"),
    ):
        relink(project, tmp_path / "no-such-folder")
