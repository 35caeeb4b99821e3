"""The reference project every format's contract test exports and reads back: one real coded
film (so that handouts, clips and packs can be made too), French everywhere a user writes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.domain.model import Annotation, Film, FrameRange, Region
from critique_app.services.films import add_film
from db.project import Project, open_project
from tests.media_factory import make_coded_clip

# what a French annotator writes: accents, ligatures, guillemets, a narrow no-break space
VALUE = "Décor « qui respire » : cœur de l’été"
NOTE = "Plan‑séquence — la façade *bouge* ; Noël à l’œil nu, ça dérange."
TITLE = "Le mur qui respire"
FRENCH = (VALUE, NOTE, TITLE)


@dataclass
class Reference:
    project: Project
    film: Film
    annotations: list[Annotation]


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reference]:
    folder = tmp_path_factory.mktemp("reference")
    clip = make_coded_clip(
        folder / "mur.mov",
        frames=48,
        size=(160, 120),
        rate=Fraction(30000, 1001),  # 29.97 with a start timecode: the hard case
        gop=12,
        start_timecode="01:00:00;00",
    )
    project = open_project(folder / "reference.critique")
    film = add_film(project, clip, title=TITLE)
    repo = project.repo
    elodie = repo.add_tier("Élodie", author="Élodie Durand")
    regimes = repo.add_tier("Régimes visuels", author="Bruno")
    leaves = [c for c in repo.categories() if c.parent_key][:2]
    specs = [
        (elodie, FrameRange(5, 20), leaves[0].id, VALUE, NOTE, ("décor", "séance")),
        (regimes, FrameRange(12, 12), None, "", "Deuxième passage, très lent.", ("séance",)),
        (elodie, FrameRange(25, 47), leaves[1].id, "Fenêtre ouverte", "", ()),
    ]
    annotations = []
    for n, (tier, frames, category, value, note, tags) in enumerate(specs):
        regions = (Region.still("rectangle", [(0.1, 0.2), (0.5, 0.6)]),) if n == 0 else ()
        annotations.append(
            repo.add_annotation(
                Annotation.create(
                    film.id,
                    tier.id,
                    frames,
                    category_id=category,
                    value=value,
                    note=note,
                    tags=tags,
                    author=tier.author,
                    status="observed",
                    regions=regions,
                )
            )
        )
    yield Reference(project, film, annotations)
    project.close()


@pytest.fixture
def fresh(tmp_path: Path, reference: Reference) -> Iterator[Project]:
    """An empty project holding the reference film (matched by its SHA-256), nothing else."""
    with open_project(tmp_path / "fresh.critique") as project:
        add_film(project, reference.film.path)
        yield project
