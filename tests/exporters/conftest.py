"""A small real project for the exporter tests: two coded films, tiers, annotations, a seminar."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.domain.model import Annotation, FrameRange, Region
from critique_app.services.films import add_film
from critique_app.services.seminars import Seminars
from db.project import Project, open_project
from tests.media_factory import make_coded_clip


@dataclass
class Sample:
    project: Project
    folder: Path
    films: list
    annotations: list
    seminar_id: int


# frames under which the films' sound beeps (silent elsewhere): clips must keep them in step
BEEPS = {"drift.mp4": (14, 20, 65), "wall.mov": (8, 45, 70)}


def build_sample(
    folder: Path,
    *,
    notes: list[str] | None = None,
    titles: tuple[str, str] = ("Morning Drift", "Le mur qui respire"),
    seminar_name: str = "New visual regimes",
    tags: tuple[str, ...] = ("morph", "wall"),
) -> Sample:
    folder.mkdir(parents=True, exist_ok=True)
    clip_a = make_coded_clip(
        folder / "drift.mp4",
        frames=72,
        size=(320, 240),
        rate=Fraction(24),
        gop=12,
        bframes=2,
        beeps=BEEPS["drift.mp4"],
    )
    clip_b = make_coded_clip(
        folder / "wall.mov",
        frames=90,
        size=(320, 240),
        rate=Fraction(30000, 1001),
        gop=15,
        bframes=2,
        start_timecode="01:00:00;00",
        beeps=BEEPS["wall.mov"],
    )
    project = open_project(folder / "sample.critique")
    film_a = add_film(project, clip_a, title=titles[0])
    film_b = add_film(project, clip_b, title=titles[1])
    repo = project.repo
    alice = repo.add_tier("Alice", author="Alice Martin")
    theme = repo.add_tier("Regimes", author="Bruno")
    cats = repo.categories()
    leaves = [c for c in cats if c.parent_key][:4]
    notes = notes or [
        "The face **morphs** without a cut;\n\n- eyes drift\n- teeth merge",
        "Background *breathes*: the wall texture crawls.",
        "A sign with hallucinated letters `R0ZA`.",
        "Impossible dolly through the window.",
    ]
    specs = [
        (
            film_a,
            alice,
            FrameRange(10, 33),
            leaves[0],
            notes[0 % len(notes)],
            (Region.still("rectangle", [(0.1, 0.2), (0.5, 0.6)]),),
            "observed",
        ),
        (film_a, theme, FrameRange(20, 20), leaves[1], notes[1 % len(notes)], (), "contested"),
        (
            film_b,
            alice,
            FrameRange(5, 47),
            leaves[2],
            notes[2 % len(notes)],
            (
                Region.still("ellipse", [(0.3, 0.3), (0.7, 0.8)]),
                Region(
                    "polygon",
                    (Region.still("polygon", [(0.1, 0.1), (0.4, 0.1), (0.2, 0.5)]).keyframes[0],),
                ),
            ),
            "declared",
        ),
        (film_b, theme, FrameRange(40, 89), leaves[3], notes[3 % len(notes)], (), "observed"),
    ]
    annotations = []
    for n, (film, tier, frames, cat, note, regions, status) in enumerate(specs):
        a = Annotation.create(
            film.id,
            tier.id,
            frames,
            category_id=cat.id,
            note=note,
            tags=(tags[n % len(tags)], "seminar"),
            status=status,
            author=tier.author,
            regions=regions,
            evidence="visual inference",
        )
        annotations.append(repo.add_annotation(a))
    seminars = Seminars(project)
    seminar = seminars.create(seminar_name, "Passages where the generator shows.")
    prompts = [
        "What does the morph do to the *face* as evidence?",
        "",
        "Who wrote this sign?",
        "Where is the camera?",
    ]
    for a, prompt in zip(annotations, prompts, strict=True):
        seminars.add_annotation(seminar.id, a.id, prompt=prompt)
    seminars.add_range(
        seminar.id,
        film_a.id,
        FrameRange(60, 71),
        prompt="A plain range.",
        notes="No annotation here.",
    )
    return Sample(project, folder, [film_a, film_b], annotations, seminar.id)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    made = build_sample(tmp_path_factory.mktemp("sample"))
    yield made
    made.project.close()
