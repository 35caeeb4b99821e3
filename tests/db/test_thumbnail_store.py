"""The timeline's thumbnails kept in the project: per film and strip height, replaced in place."""

from __future__ import annotations

from db.project import memory_project
from db.thumbnail_store import load_thumbnails, store_thumbnails
from tests.db.helpers import film


def test_thumbnails_come_back_per_film_and_height() -> None:
    with memory_project() as project:
        a, b = film(project.repo, "a"), film(project.repo, "b")
        assert a.id is not None and b.id is not None
        store_thumbnails(project.db, a.id, {0: b"a0", 24: b"a24"}, 54)
        store_thumbnails(project.db, a.id, {0: b"tall"}, 108)
        store_thumbnails(project.db, b.id, {0: b"b0"}, 54)
        assert load_thumbnails(project.db, a.id, 54) == {0: b"a0", 24: b"a24"}
        assert load_thumbnails(project.db, a.id, 108) == {0: b"tall"}
        assert load_thumbnails(project.db, b.id, 54) == {0: b"b0"}
        assert load_thumbnails(project.db, b.id, 108) == {}


def test_storing_again_replaces_the_same_frames() -> None:
    with memory_project() as project:
        a = film(project.repo)
        assert a.id is not None
        store_thumbnails(project.db, a.id, {0: b"old", 24: b"kept"}, 54)
        store_thumbnails(project.db, a.id, {0: b"new"}, 54)
        assert load_thumbnails(project.db, a.id, 54) == {0: b"new", 24: b"kept"}


def test_a_removed_film_takes_its_thumbnails_along() -> None:
    with memory_project() as project:
        a = film(project.repo)
        assert a.id is not None
        store_thumbnails(project.db, a.id, {0: b"a0"}, 54)
        project.repo.delete_film(a.id)
        assert load_thumbnails(project.db, a.id, 54) == {}
