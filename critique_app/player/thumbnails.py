"""Moved: decoding is in `critique_app.media.thumbnails`, storage in `db.thumbnail_store`.

Kept only until gui/timeline_presenter.py imports those two (issue 11); then delete this file.
"""

from __future__ import annotations

from typing import Any

from critique_app.media.thumbnails import (
    THUMB_HEIGHT,
    decode_only,
    generate_thumbnails,
    sample_frames,
)
from db.thumbnail_store import load_thumbnails, store_thumbnails

__all__ = ["THUMB_HEIGHT", "decode_only", "generate_thumbnails", "sample_frames"]


def load_cached(db: Any, film_id: int, height: int = THUMB_HEIGHT) -> dict[int, bytes]:
    return load_thumbnails(db, film_id, height)


def store(db: Any, film_id: int, thumbs: dict[int, bytes], height: int = THUMB_HEIGHT) -> None:
    store_thumbnails(db, film_id, thumbs, height)
