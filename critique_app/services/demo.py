"""The demo project: what a newcomer explores before they have a film of their own.

Built once into a folder (the user data folder by default): a generated film whose passages
imitate AI visual regimes, signed with Content Credentials by a local "Critique demo"
certificate; reference stills for the library; example annotations, a seminar, and the
provenance report — everything the app shows, on material that ships with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from critique_app.domain.model import Annotation, FrameRange, Keyframe, Region
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.media import demo_film
from critique_app.paths import demo_dir
from critique_app.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from db.project import Project

PROJECT_NAME = "Critique demo.critique"
FILM_NAME = "Nouveaux regimes - demo film.mp4"
DEMO_VERSION = "3"  # bump when the recipe changes: an older demo is rebuilt


@dataclass(frozen=True)
class DemoProject:
    folder: Path
    project: Path
    film: Path
    stills: tuple[Path, ...]
    ca: Path  # the demo certificate authority: `verify --trust` it to see "trusted"


def demo_paths(folder: Path) -> DemoProject:
    stills = tuple(
        folder / "reference stills" / f"{p.key}.png"
        for p in demo_film.PASSAGES
        if p.key != "street"
    )
    return DemoProject(
        folder, folder / PROJECT_NAME, folder / FILM_NAME, stills, folder / "signing" / "ca.pem"
    )


def is_built(folder: Path) -> bool:
    from db.project import open_project

    demo = demo_paths(folder)
    if not (demo.project.is_file() and demo.film.is_file()):
        return False
    try:
        with open_project(demo.project) as project:
            return bool(project.repo.setting("demo_version") == DEMO_VERSION)
    except UserError:
        return False


def ensure_demo(folder: Path | None = None, progress: Progress = NO_PROGRESS) -> DemoProject:
    """The demo project in `folder`, built first if it is missing, incomplete or outdated."""
    folder = Path(folder) if folder is not None else demo_dir()
    if is_built(folder):
        return demo_paths(folder)
    return build_demo(folder, progress)


def build_demo(folder: Path, progress: Progress = NO_PROGRESS) -> DemoProject:
    """Build the demo project from scratch into `folder` (about a minute: the film)."""
    from critique_app.provenance.c2pa_signer import (
        IngredientSpec,
        SigningIdentity,
        make_test_ca,
        sign_file,
    )

    folder.mkdir(parents=True, exist_ok=True)
    demo = demo_paths(folder)
    for name in (PROJECT_NAME, PROJECT_NAME + "-wal", PROJECT_NAME + "-shm"):
        (folder / name).unlink(missing_ok=True)
    total = demo_film.FRAME_COUNT + 40

    def film_progress(done: int, _total: int, message: str) -> None:
        progress.update(done, total, message)

    # 1. the film: most of the time goes here
    raw = folder / ".demo-film-unsigned.mp4"
    demo_film.write_demo_film(raw, Progress(film_progress))
    progress.update(demo_film.FRAME_COUNT, total, _("signing the film and its stills"))

    # 2. a local signing identity, so a jury sees a real (if untrusted) signature
    make_test_ca("Critique demo", "Critique demo signer").save(folder / "signing")
    identity = SigningIdentity.load(folder / "signing")

    # 3. reference stills: the "published generator outputs" of the AI-like passages, each
    #    signed as created by a trained algorithm; they become the film's ingredients.
    demo.stills[0].parent.mkdir(parents=True, exist_ok=True)
    for passage, still in zip(_AI_PASSAGES, demo.stills, strict=True):
        plain = still.with_suffix(".unsigned.png")
        demo_film.still((passage.start + passage.end) // 2).save(plain)
        sign_file(
            plain,
            still,
            identity,
            title=f"{passage.title} (reference still)",
            description=f"Demo generator output for the passage '{passage.title}'.",
        )
        plain.unlink()

    listed = "; ".join(f"frames {p.start}-{p.end}: {p.title}" for p in _AI_PASSAGES)
    sign_file(
        raw,
        demo.film,
        identity,
        title="Nouveaux regimes (Critique demo film)",
        digital_source_type="compositeWithTrainedAlgorithmicMedia",
        description=f"Generated passages (trainedAlgorithmicMedia): {listed}.",
        ingredients=[IngredientSpec(s, "componentOf", s.stem) for s in demo.stills],
    )
    raw.unlink()
    progress.update(demo_film.FRAME_COUNT + 20, total, _("writing the project"))
    _fill_project(demo, progress)
    progress.update(total, total, _("done"))
    return demo


def _fill_project(demo: DemoProject, progress: Progress) -> None:
    from critique_app.services.anchors import fill_missing_anchors
    from critique_app.services.films import add_film
    from db.project import open_project

    with open_project(demo.project) as project:
        repo = project.repo
        film = add_film(project, demo.film, title="Nouveaux régimes (demo)")
        film_id = film.id or 0
        lea = repo.add_tier("Léa — montage", author="Léa", color="#e0a040")
        samir = repo.add_tier("Samir — décor", author="Samir", color="#5fb0a0")
        teacher = repo.add_tier("Séminaire", author="Prof. Moreau", color="#b07fd0")

        def category_id(key: str) -> int | None:
            category = repo.category_by_key(key)
            return category.id if category is not None else None

        made: dict[str, Annotation] = {}
        for passage in demo_film.PASSAGES:
            tier = samir if passage.key in ("wall", "sign") else lea
            made[passage.key] = repo.add_annotation(
                Annotation.create(
                    film_id,
                    tier.id or 0,
                    FrameRange(passage.start, passage.end),
                    category_id=category_id(passage.category),
                    note=passage.note,
                    tags=_TAGS[passage.key],
                    status="contested" if passage.key == "street" else "declared",
                    confidence=_CONFIDENCE[passage.key],
                    evidence="visual inference" if passage.key == "street" else "C2PA",
                    author=tier.author or "",
                    regions=_REGIONS.get(passage.key, ()),
                )
            )
        # a single-frame annotation: the exact frame where the eyes are gone
        made["eyes"] = repo.add_annotation(
            Annotation.create(
                film_id,
                teacher.id or 0,
                FrameRange.single(262),
                category_id=category_id(_EYES_CATEGORY),
                note="Frame 262: the eyes sink into the surface. Where, exactly, does the face end?",
                tags=("face", "threshold"),
                status="observed",
                confidence="high",
                evidence="visual inference",
                author="Prof. Moreau",
            )
        )
        repo.add_relation(made["wall"].id or 0, made["sign"].id or 0, "same generator as")
        repo.add_relation(made["dolly"].id or 0, made["street"].id or 0, "counter-reading of")
        repo.add_marker(film_id, 168, "cut: morph")
        repo.add_marker(film_id, 744, "cut: dolly")

        seminar = repo.add_seminar(
            "Nouveaux régimes visuels",
            "Séance 3 — montage et décor à l'ère des images probables.",
        )
        for key, prompt in _PROMPTS:
            a = made[key]
            repo.add_seminar_item(
                seminar.id or 0,
                film_id,
                a.range,
                annotation_id=a.id,
                prompt=prompt,
            )
        fill_missing_anchors(project, film_id)
        _provenance_and_library(project, demo, film_id, progress)
        repo.set_setting("demo_version", DEMO_VERSION)


def _provenance_and_library(
    project: Project, demo: DemoProject, film_id: int, progress: Progress
) -> None:
    """Store the film's provenance report; put the stills in the library; match the film."""
    from critique_app.services.fingerprinting import add_to_library, match_film
    from critique_app.services.verify import verify_file
    from db.provenance_store import save_report

    save_report(project.db, verify_file(demo.film).to_json(), film_id=film_id)
    for passage, still in zip(_AI_PASSAGES, demo.stills, strict=True):
        add_to_library(
            project,
            [still],
            label=passage.title,
            note="Demo generator output (signed by the local 'Critique demo' certificate).",
        )
    match_film(project, demo.film)


_AI_PASSAGES = tuple(p for p in demo_film.PASSAGES if p.key != "street")
_EYES_CATEGORY = "anatomy.eyes-teeth"
_TAGS: dict[str, tuple[str, ...]] = {
    "street": ("reference", "parallax"),
    "morph": ("morphing", "face", "no cut"),
    "wall": ("décor", "texture", "wall"),
    "sign": ("text", "décor", "signage"),
    "dolly": ("camera", "parallax", "horizon"),
}
_CONFIDENCE = {
    "street": "low",
    "morph": "high",
    "wall": "medium",
    "sign": "high",
    "dolly": "medium",
}
_REGIONS: dict[str, tuple[Region, ...]] = {
    # keyframed: the outline follows the head as it becomes a vase
    "morph": (
        Region(
            "ellipse",
            (
                Keyframe(168, ((0.35, 0.20), (0.65, 0.86))),
                Keyframe(264, ((0.34, 0.22), (0.66, 0.84))),
                Keyframe(359, ((0.37, 0.24), (0.63, 0.82))),
            ),
            label="the head / the vase",
        ),
    ),
    "sign": (Region.still("rectangle", [(0.12, 0.24), (0.88, 0.53)], 552, "the sign"),),
    "wall": (
        Region.still(
            "polygon",
            [(0.1, 0.1), (0.5, 0.05), (0.9, 0.2), (0.7, 0.8), (0.2, 0.9)],
            360,
            "where the mortar bends most",
        ),
    ),
}
_PROMPTS: tuple[tuple[str, str], ...] = (
    ("street", "What makes this pan feel 'indexical'? List the cues before you trust them."),
    ("morph", "There is no cut here. Is this still montage? Where would Eisenstein put the shock?"),
    ("wall", "The décor re-samples itself every frame. What happens to the idea of a set?"),
    ("sign", "Text becomes texture. Read Steyerl's 'Mean Images' against this sign."),
    ("dolly", "Which camera could have made this move? What does the image claim about space?"),
)
