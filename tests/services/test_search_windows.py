"""Search hits a window at a time (issue 26): SQLite returns them in the table's order (film,
first frame, id) with a limit, and the windows read one after another are exactly the whole
answer of the old query, in the same order, on a project of a few thousand annotations."""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.domain.model import Annotation, FrameRange
from critique_app.services.workspace import ProjectWorkspace
from db.project import open_project

WORDS = ("match", "mirror", "montage", "light", "door", "hands", "window", "cut", "zoom")
SEARCHES = ("m", "ma", "light", "door hands", "mirror m", "zo", "absent", "l")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectWorkspace]:
    """Three films, 3,000 annotations with notes of three words; many starting together."""
    path = tmp_path_factory.mktemp("search_windows") / "class.critique"
    rng = random.Random(26)
    with open_project(path) as project:
        repo = project.repo
        films = [
            repo.add_film(
                f"/films/{n}.mp4",
                sha256=f"{n:064x}",
                size=1,
                rate=Fraction(24),
                frame_count=5000,
                title=f"Film {n}",
            ).id
            or 0
            for n in range(3)
        ]
        tiers = [repo.add_tier(f"Student {n}", author=f"Student {n}").id or 0 for n in range(5)]
        with project.db.atomic():
            for _ in range(3000):
                start = rng.randrange(0, 400)  # about 7 annotations share each first frame
                repo.add_annotation(
                    Annotation.create(
                        rng.choice(films),
                        rng.choice(tiers),
                        FrameRange(start, start + 10),
                        note=" ".join(rng.sample(WORDS, 3)),
                        tags=tuple(rng.sample(WORDS, rng.randrange(0, 2))),
                    )
                )
        yield ProjectWorkspace(project)


def windows(workspace: ProjectWorkspace, size: int, **filters: object) -> Iterator[list[int]]:
    """The hits a window at a time, each read behind the last one's listing key."""
    after = None
    while True:
        found = workspace.annotation_ids(**filters, after=after, limit=size)  # type: ignore[arg-type]
        if not found:
            return
        yield found
        after = workspace.listing_keys([found[-1]])[found[-1]]


@pytest.mark.parametrize("text", SEARCHES)
@pytest.mark.parametrize("film", [None, 0])
def test_windows_read_in_turn_are_the_old_answer_in_its_order(
    workspace: ProjectWorkspace, text: str, film: int | None
) -> None:
    film_id = None if film is None else workspace.films()[film].id
    whole = workspace.annotation_ids(film_id=film_id, search=text)  # the old path: every hit
    keys = workspace.listing_keys(whole)
    assert [keys[i] for i in whole] == sorted(keys.values())  # film, first frame, id
    for size in (1, 7, 500):
        read = [
            i for window in windows(workspace, size, film_id=film_id, search=text) for i in window
        ]
        assert read == whole
    assert workspace.count_annotation_ids(film_id=film_id, search=text) == len(whole)
    first = workspace.annotation_ids(film_id=film_id, search=text, limit=500)
    assert first == whole[:500]


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_counts_without_a_filter_are_the_listing_s_length(
    workspace: ProjectWorkspace, tmp_path: Path, blank: str | None
) -> None:
    """Each film's count, the project's, and the only film's (taken from the table's count,
    not the listing index: 26 ms → 3 ms after every edit at 100,000)."""
    assert workspace.count_annotation_ids(search=blank) == len(workspace.annotation_ids())
    for film in workspace.films():
        listed = workspace.annotation_ids(film_id=film.id)
        assert workspace.count_annotation_ids(film_id=film.id, search=blank) == len(listed)
    with open_project(tmp_path / "one.critique") as project:
        repo = project.repo
        film = repo.add_film(
            "/films/one.mp4", sha256="1" * 64, size=1, rate=Fraction(24), frame_count=100
        )
        tier = repo.add_tier("Student", author="Student").id or 0
        for start in (3, 1, 2):
            repo.add_annotation(Annotation.create(film.id or 0, tier, FrameRange(start, 9)))
        only = ProjectWorkspace(project)
        assert only.count_annotation_ids(film_id=film.id, search=blank) == 3
        assert only.count_annotation_ids(film_id=(film.id or 0) + 1) == 0  # no such film


def test_among_asks_about_a_few_ids_with_every_filter(workspace: ProjectWorkspace) -> None:
    tier = workspace.tiers()[1].id
    some = workspace.annotation_ids()[::37]
    for filters in (
        {"search": "m"},
        {"search": "light door"},
        {"tier_ids": (tier,), "search": "mirr"},
        {"film_id": workspace.films()[2].id},
        {"statuses": ("contested",)},
    ):
        everything = set(workspace.annotation_ids(**filters))  # type: ignore[arg-type]
        kept = workspace.annotation_ids(**filters, among=some)  # type: ignore[arg-type]
        assert kept == [i for i in workspace.annotation_ids(**filters) if i in set(some)]  # type: ignore[arg-type]
        assert set(kept) == everything & set(some)
    assert workspace.annotation_ids(among=[]) == []
