"""Project files as File ▸ New project… and Save a copy as… see them: where a new project
may be made, and a whole copy of the open one (SQLite's backup API, never a file copy).
"""

from __future__ import annotations

from pathlib import Path

from critique_app.errors import UserError
from critique_app.i18n import N_, _
from critique_app.progress import NO_PROGRESS, Progress
from db.project_copy import backup_project

PROJECT_SUFFIX = ".critique"


def with_project_suffix(path: str | Path) -> Path:
    """The name a user typed, ending in .critique (added when it does not)."""
    path = Path(path).expanduser()
    return path if path.suffix == PROJECT_SUFFIX else path.with_name(path.name + PROJECT_SUFFIX)


NO_FOLDER = N_("The folder {folder} does not exist: choose another folder.")


def new_project_path(chosen: str | Path) -> Path:
    """Where File ▸ New project… makes the project; a sentence when it cannot be there.
    A new project never replaces a file: its annotations would be gone."""
    path = with_project_suffix(chosen)
    if path.exists():
        raise UserError(
            _(
                "{name} already exists, and a new project never replaces it: "
                "open it with File ▸ Open…, or choose another name."
            ).format(name=path.name)
        )
    if not path.parent.is_dir():
        raise UserError(_(NO_FOLDER).format(folder=path.parent))
    return path.resolve()


def _in_use(path: Path) -> bool:
    """A project file somebody has open (SQLite keeps its -wal and -shm beside it meanwhile)."""
    return any(Path(f"{path}{end}").exists() for end in ("-wal", "-shm"))


def copy_target(project: str | Path, chosen: str | Path) -> Path:
    """Where Save a copy as… writes; a sentence when that place would harm a project."""
    source = Path(project).resolve()
    target = with_project_suffix(chosen).resolve()
    if target == source:
        raise UserError(
            _("{name} is the project itself: choose another name for the copy.").format(
                name=target.name
            )
        )
    if target.exists() and _in_use(target):
        raise UserError(
            _(
                "{name} is open in Critique or another program: choose another name for the copy."
            ).format(name=target.name)
        )
    if not target.parent.is_dir():
        raise UserError(_(NO_FOLDER).format(folder=target.parent))
    return target


def save_copy(progress: Progress, project: str | Path, target: str | Path) -> Path:
    """A whole, consistent copy of the project at `target` (for a worker: it reads the
    project through a connection of its own, whatever the window writes meanwhile)."""
    return backup_project(project, copy_target(project, target), progress or NO_PROGRESS)


def safety_copy_path(project: str | Path, film_title: str) -> Path:
    """A free name beside the project for the copy kept before a film leaves it."""
    project = Path(project)
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in film_title).strip() or "film"
    base = _("{project} (before removing {removed})").format(project=project.stem, removed=safe)
    candidate = project.with_name(base + PROJECT_SUFFIX)
    number = 2
    while candidate.exists():
        candidate = project.with_name(f"{base} {number}{PROJECT_SUFFIX}")
        number += 1
    return candidate
