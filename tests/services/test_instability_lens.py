"""The décor lens as a use-case: progress over the passage, Cancel stops the decode at once,
the heat is drawn over the film's own frame at its full size."""

from __future__ import annotations

import pytest

from critique_app.errors import Cancelled, UserError
from critique_app.progress import Progress
from critique_app.services.instability_lens import heat_picture, measure_passage
from tests.decor_clips import DecorClip, make_decor_clip


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> DecorClip:
    folder = tmp_path_factory.mktemp("lens-service")
    return make_decor_clip(folder / "boil.mp4", frames=20, size=(320, 180), boil=(150, 60, 60, 45))


def test_progress_runs_over_the_passage_and_ends_at_its_length(film: DecorClip) -> None:
    seen: list[tuple[int, int]] = []
    progress = Progress(lambda done, total, _message: seen.append((done, total)))
    result = measure_passage(film.path, 5, 14, progress)
    assert sorted(result.scores) == list(range(5, 15))
    assert seen[-1] == (10, 10)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


def test_cancel_stops_the_measure(film: DecorClip) -> None:
    seen: list[int] = []

    def stop_after_three(done: int, _total: int, _message: str) -> None:
        seen.append(done)
        if len(seen) == 3:
            progress.cancel()

    progress = Progress(stop_after_three)
    with pytest.raises(Cancelled):
        measure_passage(film.path, 0, 19, progress)
    assert len(seen) == 3


def test_the_heat_is_drawn_at_the_films_size(film: DecorClip) -> None:
    result = measure_passage(film.path, 0, 19)
    picture = heat_picture(film.path, result)
    assert picture.shape == (180, 320, 3)
    # inferno is warm where the patch boiled: red clearly above blue there
    x, y, w, h = film.patch[0]
    centre = picture[y + h // 2, x + w // 2].astype(int)
    assert centre[0] > centre[2] + 40


def test_a_passage_outside_the_film_is_one_sentence(film: DecorClip) -> None:
    with pytest.raises(UserError, match="has frames 0 to 19; frame 20 does not exist"):
        measure_passage(film.path, 0, 20)
