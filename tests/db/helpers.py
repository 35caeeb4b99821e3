"""Small builders shared by the db tests: a film and a tier in a project."""

from __future__ import annotations

from fractions import Fraction

from critique_app.domain.model import Film, Tier
from db.repository import Repository


def film(repo: Repository, name: str = "film", frames: int = 1000, sha: str | None = None) -> Film:
    return repo.add_film(
        f"/films/{name}.mp4",
        sha256=sha or (name.encode().hex() * 64)[:64],
        size=1234,
        rate=Fraction(24000, 1001),
        frame_count=frames,
        width=1920,
        height=1080,
        start_timecode="01:00:00:00",
    )


def tier(repo: Repository, name: str = "Alice") -> Tier:
    return repo.add_tier(name, author=name)
