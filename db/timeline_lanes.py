"""What the timeline's lanes show beside the tiers: shot cuts and perceptual matches of a film."""

from __future__ import annotations

import json
from typing import Any


def shot_cuts(db: Any, film_id: int) -> list[int]:
    """The cut frames found when the film was fingerprinted (none before that)."""
    row = db.execute("SELECT cuts_json FROM shots WHERE film_id = ?", [film_id]).fetchone()
    return [int(f) for f in json.loads(row[0])] if row else []


def match_spans(db: Any, film_id: int) -> list[tuple[int, int, str]]:
    """(first frame, last frame, library item label) of every stored match of the film."""
    rows = db.execute(
        "SELECT m.start_frame, m.end_frame, l.label FROM matches m "
        "JOIN library_items l ON l.id = m.library_item_id WHERE m.film_id = ?",
        [film_id],
    ).fetchall()
    return [(int(s), int(e), str(label)) for s, e, label in rows]
