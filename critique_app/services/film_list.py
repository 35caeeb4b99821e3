"""The project's films as the Films panel lists them, and what the panel does to one film:
remove it from the project, or relink it to the file it was moved to.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from critique_app.domain.timecode import frame_to_smpte
from critique_app.errors import UserError
from critique_app.i18n import _, format_number
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services.films import sha256_file
from critique_app.services.workspace import ProjectWorkspace, worker_project
from db.film_overview import annotation_count, film_facts


@dataclass(frozen=True)
class FilmEntry:
    """One row of the Films panel: plain data, read on a worker."""

    id: int
    title: str
    path: str
    length: str  # SMPTE, as the transport shows it
    rate: str  # "24 fps", "29.97 fps"
    present: bool  # the file is where the project says
    annotations: int
    fingerprint: str  # "complete", "partial" or "none"
    credentials: str | None  # the latest stored verdict's reason; None: never checked
    trust_list: str | None


def rate_words(rate: Fraction) -> str:
    shown = rate.numerator if rate.denominator == 1 else format_number(round(float(rate), 3))
    # Translators: frames per second ("i/s", images par seconde, in French)
    return _("{rate} fps").format(rate=shown)


def list_films(progress: Progress, project_path: str | Path) -> list[FilmEntry]:
    """Every film of the project with its facts (for a worker: its own connection; it looks
    at each film's file on disk, which may sit on a slow network share)."""
    entries = []
    with worker_project(project_path) as project:
        films = project.repo.films()
        for done, film in enumerate(films):
            progress.update(done, len(films), _("Listing the films"))
            if film.id is None:
                continue
            facts = film_facts(project.db, film.id, film.sha256)
            if facts.fingerprint_complete:
                printed = "complete"
            else:
                printed = "partial" if facts.fingerprinted_frames else "none"
            entries.append(
                FilmEntry(
                    id=film.id,
                    title=film.title,
                    path=film.path,
                    length=frame_to_smpte(film.frame_count, film.rate, drop_frame=film.drop_frame),
                    rate=rate_words(film.rate),
                    present=Path(film.path).is_file(),
                    annotations=facts.annotations,
                    fingerprint=printed,
                    credentials=facts.credentials,
                    trust_list=facts.trust_list,
                )
            )
    return entries


def annotations_on(workspace: ProjectWorkspace, film_id: int) -> int:
    """How many annotations the film carries now (asked again just before a removal)."""
    return annotation_count(workspace.project.db, film_id)


def remove_film(workspace: ProjectWorkspace, film_id: int) -> None:
    """Take the film out of the project, with everything anchored on it (annotations,
    markers, seminar passages, fingerprints, thumbnails, matches). Its file stays on disk.
    The window keeps a copy of the project first when annotations would go."""
    if workspace.read_only is not None:
        raise UserError(workspace.read_only)
    workspace.project.repo.delete_film(film_id)


def relink_film(
    progress: Progress, project_path: str | Path, film_id: int, new_path: str | Path
) -> str:
    """Point the film at the file it was moved to, after checking by content that it is the
    same film (for a worker: the SHA-256 of a film file takes a while); a sentence."""
    new_path = Path(new_path).resolve()
    with worker_project(project_path) as project:
        film = project.repo.get_film(film_id)
        if new_path.is_file() and new_path.stat().st_size != film.size:
            raise UserError(
                _(
                    "{name} is not the film '{title}': its size differs. Choose the moved or renamed "
                    "file itself."
                ).format(name=new_path.name, title=film.title)
            )
        if sha256_file(new_path, progress or NO_PROGRESS) != film.sha256:
            raise UserError(
                _(
                    "{name} is not the film '{title}': its content differs. Choose the moved or renamed "
                    "file itself."
                ).format(name=new_path.name, title=film.title)
            )
        project.repo.set_film_path(film_id, str(new_path))
    return _("The film '{title}' is linked to {path} now.").format(title=film.title, path=new_path)
