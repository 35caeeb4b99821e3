"""The timeline's thumbnails kept in a project (table `thumbnails`): JPEG bytes per film, frame
and strip height, so a film reopens with its strip at once instead of decoding it again.
"""

from __future__ import annotations

from sqlite_utils import Database


def load_thumbnails(db: Database, film_id: int, height: int) -> dict[int, bytes]:
    """JPEG bytes per frame index already stored for this film at this strip height."""
    rows = db.execute(
        "SELECT frame, image FROM thumbnails WHERE film_id = ? AND height = ? ORDER BY frame",
        [film_id, height],
    ).fetchall()
    return {int(frame): bytes(image) for frame, image in rows}


def store_thumbnails(db: Database, film_id: int, thumbs: dict[int, bytes], height: int) -> None:
    """Keep (or replace) thumbnails for this film at this strip height, in one transaction."""
    with db.atomic():
        db.conn.executemany(
            "INSERT OR REPLACE INTO thumbnails (film_id, frame, height, image) VALUES (?, ?, ?, ?)",
            [(film_id, frame, height, image) for frame, image in thumbs.items()],
        )
