"""Where a film opened on its own is kept: in the open project, else in one beside it.

A student who opens a film wants to annotate it at once; annotations live in a project
file, so opening a bare film creates (or reopens) `<film>.critique` next to it, or in the
user data folder when the film's folder is read-only (a festival USB stick, a DVD).
"""

from __future__ import annotations

import os
from pathlib import Path

from critique_app.paths import user_data_dir
from critique_app.progress import NO_PROGRESS, Progress


def project_for_film(film: str | Path) -> Path:
    film = Path(film).resolve()
    beside = film.with_suffix(".critique")
    if beside.exists() or os.access(film.parent, os.W_OK):
        return beside
    folder = user_data_dir() / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{film.stem}.critique"


def add_film_to_project_file(progress: Progress, project_path: str | Path, film: str | Path) -> int:
    """Probe and hash the film into the project (own connection: safe on a worker thread)."""
    from critique_app.services.films import add_film
    from db.project import open_project

    with open_project(project_path) as project:
        return add_film(project, film, progress or NO_PROGRESS).id or 0


def relink_project_file(progress: Progress, project_path: str | Path, folder: str | Path) -> str:
    """Find the project's moved films in `folder` (own connection: safe on a worker)."""
    from critique_app.services.films import relink
    from db.project import open_project

    with open_project(project_path) as project:
        return relink(project, folder, progress).sentence()
