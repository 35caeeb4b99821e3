"""Real files made by other tools (see SOURCES.md), imported into a project with one film."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from db.project import Project, memory_project

HERE = Path(__file__).resolve().parent
RATE = Fraction(30000, 1001)  # NTSC: a rate where "25 fps" or float seconds go wrong


def files(folder: str, *patterns: str) -> list[Path]:
    found: list[Path] = []
    for pattern in patterns:
        found += sorted((HERE / folder).glob(pattern))
    return found


@pytest.fixture
def project() -> Iterator[Project]:
    """A project with one registered film, long enough for every file of the corpus (3 h)."""
    p = memory_project()
    p.repo.add_film(
        "/films/recording.mp4",
        sha256="f" * 64,
        size=1,
        rate=RATE,
        frame_count=3 * 3600 * 30,
        title="recording",
        width=1920,
        height=1080,
    )
    yield p
    p.close()
