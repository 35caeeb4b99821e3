"""The Films panel's rows and its relink, read from real projects on generated clips."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.errors import UserError
from critique_app.progress import NO_PROGRESS
from critique_app.services.film_list import list_films, rate_words, relink_film
from critique_app.services.films import add_film
from db.project import open_project
from tests.gui.annotation_projects import make_project
from tests.media_factory import make_coded_clip


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("film-list")
    return (
        make_coded_clip(folder / "coded.mp4", frames=120),
        make_coded_clip(
            folder / "ntsc.mov", frames=90, rate=Fraction(30000, 1001), start_timecode="01:00:00;00"
        ),
    )


def test_each_film_with_its_length_rate_and_states(
    tmp_path: Path, clips: tuple[Path, Path]
) -> None:
    coded, ntsc = clips
    path = make_project(tmp_path, coded)
    with open_project(path) as project:
        add_film(project, ntsc, title="NTSC")
    first, second = list_films(NO_PROGRESS, path)
    assert (first.title, first.length, first.rate) == ("Coded clip", "00:00:05:00", "24 fps")
    assert (first.annotations, first.fingerprint, first.credentials) == (4, "none", None)
    assert first.present
    assert (second.title, second.length, second.rate) == ("NTSC", "00:00:03;00", "29.97 fps")
    assert second.annotations == 0


def test_rates_in_words() -> None:
    assert rate_words(Fraction(25)) == "25 fps"
    assert rate_words(Fraction(24000, 1001)) == "23.976 fps"
    assert rate_words(Fraction(60000, 1001)) == "59.94 fps"


def test_relink_checks_the_content(tmp_path: Path, clips: tuple[Path, Path]) -> None:
    coded, ntsc = clips
    film = tmp_path / "screener.mp4"
    shutil.copy(coded, film)
    path = make_project(tmp_path, film)
    moved = tmp_path / "moved" / "renamed.mp4"
    moved.parent.mkdir()
    film.rename(moved)
    (entry,) = list_films(NO_PROGRESS, path)
    assert not entry.present
    with pytest.raises(UserError, match="is not the film 'Coded clip'"):
        relink_film(NO_PROGRESS, path, entry.id, ntsc)
    sentence = relink_film(NO_PROGRESS, path, entry.id, moved)
    assert sentence == f"The film 'Coded clip' is linked to {moved.resolve()} now."
    (entry,) = list_films(NO_PROGRESS, path)
    assert entry.present and entry.path == str(moved.resolve())
