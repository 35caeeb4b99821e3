"""Real project files for the annotation GUI tests: a generated coded clip, tiers, a small
bilingual vocabulary and a few annotations with notes, tags and statuses."""

from __future__ import annotations

import json
from pathlib import Path

from critique_app.domain.model import Annotation, FrameRange, Keyframe, Region
from critique_app.domain.vocabulary import parse_vocabulary
from critique_app.services.films import add_film
from db.project import open_project
from tests.decor_clips import DecorClip

VOCABULARY = {
    "format": "critique-vocabulary",
    "format_version": 1,
    "key": "regimes",
    "name": {"en": "AI visual regimes", "fr": "Régimes visuels de l'IA"},
    "levels": [
        {
            "key": "temporal",
            "label": {"en": "Temporal regime", "fr": "Régime temporel"},
            "color": "#d9822b",
            "types": [
                {
                    "key": "temporal.morphing",
                    "label": {"en": "Morphing without a cut", "fr": "Morphose sans coupe"},
                    "definition": {"en": "One thing becomes another inside a shot."},
                },
                {
                    "key": "temporal.identity-drift",
                    "label": {"en": "Identity drift", "fr": "Dérive d'identité"},
                },
            ],
        },
        {
            "key": "anatomy",
            "label": {"en": "Anatomy", "fr": "Anatomie"},
            "color": "#3fa46a",
            "types": [{"key": "anatomy.hands", "label": {"en": "Hands", "fr": "Mains"}}],
        },
    ],
}


def vocabulary_text() -> str:
    return json.dumps(VOCABULARY, ensure_ascii=False, indent=2)


def make_project(folder: Path, clip: Path, name: str = "study.critique") -> Path:
    """A project on `clip` with two tiers, the small vocabulary and four annotations."""
    path = folder / name
    with open_project(path, default_vocabulary=False) as project:
        repo = project.repo
        repo.save_vocabulary(parse_vocabulary(vocabulary_text()))
        film = add_film(project, clip, title="Coded clip")
        anna = repo.add_tier("Anna", author="Anna", color="#d9822b")
        theme = repo.add_tier("Theme: hands", author="Bruno", color="#3fa46a")
        cat = {c.key: c.id for c in repo.categories()}
        repo.add_annotation(
            Annotation.create(
                film.id,
                anna.id,
                FrameRange(10, 30),
                category_id=cat["temporal.morphing"],
                note="The **door** melts into a window without any cut.",
                tags=("door", "morph"),
                status="observed",
                author="Anna",
            )
        )
        repo.add_annotation(
            Annotation.create(
                film.id,
                anna.id,
                FrameRange(60, 60),
                category_id=cat["temporal.identity-drift"],
                note="Her face is someone else for one frame.",
                status="contested",
                author="Anna",
            )
        )
        repo.add_annotation(
            Annotation.create(
                film.id,
                theme.id,
                FrameRange(45, 80),
                category_id=cat["anatomy.hands"],
                note="Six fingers on the railing.",
                tags=("hands",),
                status="declared",
                author="Bruno",
            )
        )
        repo.add_annotation(
            Annotation.create(
                film.id,
                theme.id,
                FrameRange(90, 100),
                note="A window frame bends like rubber.",
                status="observed",
                author="Bruno",
            )
        )
    return path


def with_square_annotation(folder: Path, clip: DecorClip, frame: int) -> tuple[Path, int]:
    """The project above on a film of tests/decor_clips.py with a moving square, plus an
    annotation on frames 4-44 whose rectangle is drawn around the square on `frame` only."""
    project = make_project(folder, clip.path)
    width, height = clip.size
    x, y, w, h = clip.mover[frame]
    corners = ((x / width, y / height), ((x + w) / width, (y + h) / height))
    with open_project(project) as opened:
        repo = opened.repo
        made = repo.add_annotation(
            Annotation.create(
                repo.films()[0].id,
                repo.tiers()[0].id,
                FrameRange(4, 44),
                regions=(Region("rectangle", (Keyframe(frame, corners),)),),
                note="The square walks across the set.",
                author="Anna",
            )
        )
    assert made.id is not None
    return project, made.id
