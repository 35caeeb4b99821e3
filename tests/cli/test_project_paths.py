"""Commands never leave a project they did not mean to make (critique_app/cli/projects.py).

Commands that need a project refuse a missing path with one sentence and exit status 2, and
nothing appears on disk; commands that may create one say `created P` on stderr, and remove
the new file (with its -wal/-shm) when they fail. Run as real processes on real files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.media_factory import make_coded_clip

SCRIPT = Path(sys.executable).with_name("critique-app")


def cli(*args: str | Path, console_script: bool = False) -> subprocess.CompletedProcess[str]:
    """`critique-app ARGS` (the installed console script) or `python -m critique_app ARGS`."""
    if console_script and SCRIPT.exists():
        command = [str(SCRIPT)]
    else:
        command = [sys.executable, "-m", "critique_app"]
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, env=os.environ.copy()
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".critique" in p.name)


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("material")
    still = folder / "still.png"
    Image.new("RGB", (64, 48), (200, 30, 10)).save(still)
    film = make_coded_clip(folder / "film.mp4", frames=24, size=(96, 64))
    annotations = folder / "notes.json"
    annotations.write_text('{"type": "AnnotationPage", "items": []}', encoding="utf-8")
    return {"still": still, "film": film, "annotations": annotations}


def _read_only_commands(p: Path, m: dict[str, Path], out: Path) -> dict[str, list[str | Path]]:
    return {
        "export": ["export", p, "--format", "md", "-o", out / "handout.md"],
        "agreement": ["agreement", p],
        "import": ["import", p, m["annotations"]],
        "reanchor": ["reanchor", p, m["film"], "--film", "film"],
        "library list": ["library", "list", p],
        "library remove": ["library", "remove", p, "1"],
        "match": ["match", m["film"], "--project", p],
        "compare --project": ["compare", m["film"], m["film"], "--project", p],
        "verify --project": ["verify", m["still"], "--project", p],
    }


READ_ONLY = [
    "export",
    "agreement",
    "import",
    "reanchor",
    "library list",
    "library remove",
    "match",
    "compare --project",
    "verify --project",
]


@pytest.mark.parametrize("command", READ_ONLY)
def test_a_command_that_reads_a_project_refuses_a_missing_path_and_makes_nothing(
    command: str, material: dict[str, Path], tmp_path: Path
) -> None:
    typo = tmp_path / "clas.critique"  # the user meant class.critique
    args = _read_only_commands(typo, material, tmp_path)[command]
    done = cli(*args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"critique-app: {typo} does not exist: ")
    assert lines[0].endswith(".")
    assert "unexpected" not in done.stderr and "Traceback" not in done.stderr
    assert leftovers(tmp_path) == []


def test_a_missing_project_in_a_missing_folder_is_the_same_sentence(
    material: dict[str, Path], tmp_path: Path
) -> None:
    typo = tmp_path / "no-such-folder" / "class.critique"
    done = cli("export", typo, "--format", "md", "-o", tmp_path / "x.md", console_script=True)
    assert done.returncode == 2
    assert done.stderr == f"critique-app: {typo} does not exist: there is nothing to export.\n"
    assert not typo.parent.exists()


def test_an_empty_file_is_not_read_as_a_project_nor_turned_into_one(tmp_path: Path) -> None:
    empty = tmp_path / "empty.critique"
    empty.write_bytes(b"")
    done = cli("agreement", empty)
    assert done.returncode == 2
    assert "is an empty file, not a Critique project" in done.stderr
    assert empty.stat().st_size == 0
    assert leftovers(tmp_path) == ["empty.critique"]


def test_a_command_that_may_create_says_created_and_keeps_the_project(
    material: dict[str, Path], tmp_path: Path
) -> None:
    new = tmp_path / "refs.critique"
    done = cli("library", "add", new, material["still"], console_script=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == f"created {new}"
    assert "created" not in done.stdout  # one stream for it: stderr
    assert new.is_file()
    listed = cli("library", "list", new)
    assert listed.returncode == 0 and "still" in listed.stdout
    # the second time the project exists: nothing is said about creating it
    again = cli("library", "add", new, material["still"])
    assert again.returncode == 0
    assert "created" not in again.stderr


def test_fingerprint_into_a_new_project_says_created(
    material: dict[str, Path], tmp_path: Path
) -> None:
    new = tmp_path / "prints.critique"
    done = cli("fingerprint", material["film"], "--project", new, "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert f"created {new}" in done.stderr.splitlines()
    assert new.is_file()


@pytest.mark.parametrize(
    "make_args",
    [
        pytest.param(lambda new, tmp: ["library", "add", new, tmp / "missing.png"], id="library"),
        pytest.param(
            lambda new, tmp: ["fingerprint", tmp / "missing.mp4", "--project", new],
            id="fingerprint",
        ),
        pytest.param(
            lambda new, tmp: ["fingerprint", tmp / "not-a-film.mp4", "--project", new],
            id="fingerprint-not-a-film",
        ),
        pytest.param(
            lambda new, tmp: ["screen", tmp / "missing-folder", "--project", new], id="screen"
        ),
    ],
)
def test_a_failed_command_removes_the_project_it_created(make_args: object, tmp_path: Path) -> None:
    (tmp_path / "not-a-film.mp4").write_text("this is text, not a film\n")
    new = tmp_path / "typo.critique"
    done = cli(*make_args(new, tmp_path))  # type: ignore[operator]
    assert done.returncode == 1, done.stderr
    assert "created" not in done.stderr and "unexpected" not in done.stderr
    assert leftovers(tmp_path) == []  # no .critique, no -wal, no -shm


def test_a_failed_command_leaves_an_existing_project_as_it_was(
    material: dict[str, Path], tmp_path: Path
) -> None:
    project = tmp_path / "kept.critique"
    assert cli("library", "add", project, material["still"]).returncode == 0
    before = project.read_bytes()
    done = cli("library", "add", project, tmp_path / "missing.png")
    assert done.returncode == 1
    assert project.read_bytes() == before
    assert "created" not in done.stderr


def test_an_empty_file_given_to_a_failing_command_stays_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "later.critique"
    empty.write_bytes(b"")
    done = cli("library", "add", empty, tmp_path / "missing.png")
    assert done.returncode == 1
    assert empty.stat().st_size == 0
    assert leftovers(tmp_path) == ["later.critique"]


def test_stored_work_is_kept_when_the_command_ends_with_a_problem(
    material: dict[str, Path], tmp_path: Path
) -> None:
    """Some files added, one skipped: exit 1, but what was added stays, and is announced."""
    new = tmp_path / "partial.critique"
    done = cli("library", "add", new, material["still"], tmp_path / "missing.png")
    assert done.returncode == 1
    assert f"created {new}" in done.stderr.splitlines()
    listed = cli("library", "list", new, "--json")
    assert listed.returncode == 0 and '"label": "still"' in listed.stdout


def test_every_project_argument_goes_through_the_one_helper() -> None:
    """No command opens a project by itself: the decision lives in cli/projects.py only."""
    folder = Path(__file__).parents[2] / "critique_app" / "cli"
    direct = [
        p.name
        for p in folder.glob("*.py")
        if p.name != "projects.py" and "open_project" in p.read_text(encoding="utf-8")
    ]
    assert direct == []
