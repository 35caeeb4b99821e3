"""How every sub-command treats its project argument: one decision, one story.

A command either *needs* an existing project (it reads one, or adds to what is already in
it: `export`, `agreement`, `import`, `reanchor`, `library list`, `match`, `compare --project`,
`verify --project`) or *may create* one (`fingerprint`, `library add`, `screen`):

- a command that needs a project refuses a path that does not exist with one sentence and
  exit status 2, before anything is opened, so a typo never leaves a file behind;
- a command that may create one says `created P` on stderr when it made the file and kept it;
  when it fails before storing anything in it (an error, or a non-zero exit status), the new
  file and its -wal/-shm are removed, so the folder is as it was.

The project itself is opened by db.project.open_project, as before.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from critique_app.errors import UserError
from critique_app.i18n import _

if TYPE_CHECKING:
    from db.project import Project

SIDECARS = ("-wal", "-shm", "-journal")


class UsageError(UserError):
    """A command given something it cannot use at all (exit status 2, like argparse)."""

    exit_status = 2


def existing_project(path: str | Path, why: str) -> Path:
    """`path` as a Path when it is a project file that exists, else UsageError (exit 2).

    `why` completes the sentence: "P does not exist: <why>." It should say what the command
    needed the project for, e.g. "there is nothing to export"."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise UsageError(_("{path} is a folder, not a project file (*.critique).").format(path=p))
    if not p.exists():
        raise UsageError(_("{path} does not exist: {why}.").format(path=p, why=why))
    if p.stat().st_size == 0:
        raise UsageError(
            _("{path} is an empty file, not a Critique project: {why}.").format(path=p, why=why)
        )
    return p


@dataclass
class _Made:
    """A project file a command is about to open, and what was at its place before."""

    path: Path
    existed: bool  # a non-empty file was there: never removed, never announced
    was_empty: bool  # an empty file was there (made by the user): emptied again, not removed
    sidecars: frozenset[str]  # -wal/-shm that were already there: left alone
    stored: bool = False  # the command wrote something into the new project

    @classmethod
    def look(cls, path: Path) -> _Made:
        size = path.stat().st_size if path.is_file() else None
        return cls(
            path,
            existed=bool(size),
            was_empty=size == 0,
            sidecars=frozenset(s for s in SIDECARS if Path(f"{path}{s}").exists()),
        )

    def undo(self) -> None:
        """Remove what the command made: the project file and its -wal/-shm."""
        for suffix in SIDECARS:
            if suffix not in self.sidecars:
                with contextlib.suppress(OSError):  # absent, or on a read-only disk
                    Path(f"{self.path}{suffix}").unlink()
        if self.was_empty:
            with contextlib.suppress(OSError), self.path.open("wb"):
                pass
        else:
            with contextlib.suppress(OSError):
                self.path.unlink()


# The projects the running command created, for finish_command.
_created: list[_Made] = []


def _changes(project: Project) -> int:
    """Rows written so far through the project's connection (a command writes through it)."""
    return int(project.db.conn.total_changes)


@contextlib.contextmanager
def project_to_use(path: str | Path, *, needs: str | None = None) -> Iterator[Project]:
    """Open the project of a command, with the rules of this module.

    `needs`: the end of the sentence refusing a missing project ("P does not exist: <needs>.")
    for a command that needs an existing one; None: the command may create the project."""
    from db.project import open_project

    if needs is not None:
        with open_project(existing_project(path, needs)) as project:
            yield project
        return
    made = _Made.look(Path(path).expanduser())
    try:
        project = open_project(made.path)
    except BaseException:
        if not made.existed:
            made.undo()  # open_project failed half-way: nothing of it stays
        raise
    if made.existed:
        with project:
            yield project
        return
    _created.append(made)
    at_open = _changes(project)
    try:
        yield project
    finally:
        made.stored = _changes(project) != at_open
        project.close()


def finish_command(status: int | None, say: Callable[[str], None] | None = None) -> None:
    """After a command ended with exit `status` (None: an exception escaped): `created P` for
    each project it created and keeps. A new project is removed when the command failed before
    storing anything in it; one it stored work in (an interrupted fingerprinting, a library
    with some files skipped) is kept, and announced."""
    say = say or (lambda text: print(text, file=sys.stderr))
    created, _created[:] = list(_created), []
    for made in created:
        if (status is None or status != 0) and not made.stored:
            made.undo()
        else:
            say(f"created {made.path}")


def say_if_a_window_holds(args: object) -> None:
    """A window open on the project this command uses will show its changes: say so on
    stderr, so nobody wonders whether to close the window first (nothing needs closing)."""
    project = getattr(args, "project", None)
    if getattr(args, "command", None) == "open" or not project:
        return
    if not str(project).endswith(".critique"):
        return
    from critique_app.services.window_presence import notice_for_terminal

    notice = notice_for_terminal(project)
    if notice is not None:
        print(notice, file=sys.stderr)
