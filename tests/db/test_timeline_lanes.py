"""What the timeline's lanes read from a project: shot cuts and labelled matches."""

from __future__ import annotations

import numpy as np

from db import fingerprint_store as store
from db.project import memory_project
from db.timeline_lanes import match_spans, shot_cuts
from tests.db.helpers import film


def _match(item_id: int, start: int, end: int) -> dict[str, object]:
    return {
        "library_item_id": item_id,
        "start_frame": start,
        "end_frame": end,
        "item_start": 0,
        "item_end": end - start,
        "median_distance": 2.0,
        "worst_distance": 6,
        "threshold": 10,
        "variant": "plain",
    }


def test_match_spans_name_the_library_item() -> None:
    with memory_project() as project:
        a, b = film(project.repo, "a"), film(project.repo, "b")
        assert a.id is not None and b.id is not None
        hashes = np.arange(4, dtype=np.uint64)
        sea = store.add_library_item(
            project.db, label="sea", source_note="", path="/s.png", sha256="1" * 64,
            kind="still", hashes=hashes,
        )  # fmt: skip
        face = store.add_library_item(
            project.db, label="face", source_note="", path="/f.png", sha256="2" * 64,
            kind="still", hashes=hashes,
        )  # fmt: skip
        store.replace_matches(project.db, a.id, [_match(face.id, 300, 340), _match(sea.id, 10, 40)])
        store.replace_matches(project.db, b.id, [_match(sea.id, 5, 9)])
        assert sorted(match_spans(project.db, a.id)) == [(10, 40, "sea"), (300, 340, "face")]
        assert match_spans(project.db, b.id) == [(5, 9, "sea")]
        store.save_shots(project.db, a.id, [24, 96], "test")
        assert shot_cuts(project.db, a.id) == [24, 96]
        assert shot_cuts(project.db, b.id) == []
