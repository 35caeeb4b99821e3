"""Films in a project, known by path AND by content: add with a streamed SHA-256, re-link moved files.

A festival copy is often renamed or moved between sessions; the hash finds it again in a
folder the user points to. Sizes are compared first so that only likely candidates are read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from critique_app.digest import sha256_file as sha256_file_digest
from critique_app.domain.model import Film
from critique_app.errors import UserError
from critique_app.i18n import _, ngettext
from critique_app.progress import NO_PROGRESS, Progress
from db.project import Project


def sha256_file(path: str | Path, progress: Progress = NO_PROGRESS) -> str:
    """SHA-256 of a file read in chunks (films can be tens of gigabytes), with progress."""
    path = Path(path)
    try:
        return sha256_file_digest(
            path,
            lambda done, total: progress.update(
                done, total, _("Checking {name}").format(name=path.name)
            ),
        )
    except FileNotFoundError:
        raise UserError(_("{path} does not exist.").format(path=path)) from None
    except IsADirectoryError:
        raise UserError(_("{path} is a folder, not a film file.").format(path=path)) from None
    except PermissionError:
        raise UserError(_("{path} cannot be read (permission denied).").format(path=path)) from None


def add_film(
    project: Project, path: str | Path, progress: Progress = NO_PROGRESS, title: str | None = None
) -> Film:
    """Probe and hash a film and add it; the same content already in the project is reused.

    A film already present (same SHA-256) gets its path updated if the old one is gone.
    """
    from critique_app.media.probe import probe  # PyAV: heavy, imported when needed

    path = Path(path).resolve()
    info = probe(path)  # UserError with a sentence for missing, empty or non-media files
    sha = sha256_file(path, progress)
    known = project.repo.film_by_sha256(sha)
    if known is not None:
        if not Path(known.path).is_file() or Path(known.path) == path:
            return project.repo.set_film_path(known.id or 0, str(path))
        return known
    return project.repo.add_film(
        str(path),
        sha256=sha,
        size=path.stat().st_size,
        rate=info.rate,
        frame_count=info.frame_count,
        title=title or path.stem,
        container=info.container,
        codec=info.codec,
        width=info.width,
        height=info.height,
        rotation=info.rotation,
        duration=info.duration,
        start_timecode=info.start_timecode,
        drop_frame=info.drop_frame,
        vfr=info.vfr,
        has_audio=info.has_audio,
        probe_json=json.dumps(info.to_json()),
    )


def missing_films(project: Project) -> list[Film]:
    """Films whose recorded file is no longer where the project says."""
    return [f for f in project.repo.films() if not Path(f.path).is_file()]


@dataclass
class RelinkResult:
    found: list[tuple[Film, str]] = field(default_factory=list)  # film (old path), new path
    still_missing: list[Film] = field(default_factory=list)
    files_hashed: int = 0

    def sentence(self) -> str:
        found = len(self.found)
        parts = [ngettext("Found {count} film again", "Found {count} films again", found)]
        parts[0] = parts[0].format(count=found)
        if self.still_missing:
            names = ", ".join(f.title for f in self.still_missing[:3])
            more = "…" if len(self.still_missing) > 3 else ""
            missing = len(self.still_missing)
            parts.append(
                ngettext(
                    "{count} still missing ({names})", "{count} still missing ({names})", missing
                ).format(count=missing, names=names + more)
            )
        return "; ".join(parts) + "."


def relink(
    project: Project,
    folder: str | Path,
    progress: Progress = NO_PROGRESS,
    films: list[Film] | None = None,
) -> RelinkResult:
    """Find moved or renamed films by content in `folder` (and its sub-folders).

    Only files of exactly the right size are hashed; paths are updated in the project.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise UserError(_("{folder} is not a folder to look for films in.").format(folder=folder))
    wanted = missing_films(project) if films is None else list(films)
    result = RelinkResult()
    if not wanted:
        return result
    by_size: dict[int, list[Film]] = {}
    for film in wanted:
        by_size.setdefault(film.size, []).append(film)
    candidates: list[tuple[Path, int]] = []
    for root, _dirs, names in os.walk(folder):
        progress.check()
        for name in names:
            candidate = Path(root) / name
            try:
                size = candidate.stat().st_size
            except OSError:
                continue
            if size in by_size and candidate.is_file():
                candidates.append((candidate, size))
    total = sum(size for _, size in candidates) or 1
    done = 0
    pending = {f.id: f for f in wanted}
    for candidate, size in candidates:
        if not any(f.id in pending for f in by_size[size]):
            continue

        def report(part: int, _total: int, message: str, base: int = done) -> None:
            progress.update(base + part, total, message)

        sha = sha256_file(candidate, Progress(report) if progress is not NO_PROGRESS else progress)
        done += size
        result.files_hashed += 1
        for film in by_size[size]:
            if film.id in pending and film.sha256 == sha:
                project.repo.set_film_path(film.id or 0, str(candidate.resolve()))
                result.found.append((film, str(candidate.resolve())))
                del pending[film.id]
        progress.check()
    result.still_missing = list(pending.values())
    return result
