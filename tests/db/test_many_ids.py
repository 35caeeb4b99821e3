"""A query on the ids an import just brought (73,528 annotations in one go) stays one query:
no placeholder per id, which passes SQLite's limit of host parameters."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from critique_app.domain.model import Annotation, FrameRange
from critique_app.services.anchors import missing_anchors
from db.project import open_project
from tests.db.helpers import film, tier

_MANY = 40_000


def test_forty_thousand_ids_in_a_real_project_file(tmp_path: Path) -> None:
    project = open_project(tmp_path / "many.critique")
    try:
        repo = project.repo
        f, t = film(repo, frames=_MANY * 2), tier(repo)
        made = [
            Annotation.create(f.id or 0, t.id or 0, FrameRange(i, i + 1), note="plan fixe")
            for i in range(_MANY)
        ]
        with repo.inserting_in_bulk():
            ids = repo.insert_annotations(made)
        # an old build's limit: even it must take every id at once
        repo.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        found = missing_anchors(repo, f.id or 0, among=ids)
        assert sorted(found) == sorted(ids)
        assert found[ids[-1]] == FrameRange(_MANY - 1, _MANY)
        assert len(repo.listing_keys(ids)) == _MANY
        assert repo.annotation_ids(among=ids) == ids
        assert repo.annotation_ids(among=ids, search="plan") == ids
        assert repo.annotation_ids(among=ids[:300], search="plan") == ids[:300]
        assert [a.id for a in repo.annotations_by_id(ids)] == ids
    finally:
        project.close()
