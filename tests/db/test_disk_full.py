"""A project on a full disk, or on a read-only one: one sentence, what was saved is kept,
nothing changes.

As root (CI runs as root) the disk is a real tiny tmpfs mount, filled up, or remounted
read-only; elsewhere those two are skipped (chmod does not stop root, and only root can
mount), but under CI=true they must run. SQLite's `max_page_count` on the open project gives
the same "full" error everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from critique_app.domain.commands import CreateAnnotation
from critique_app.domain.model import Annotation, FrameRange
from critique_app.errors import UserError
from db.project import Project, open_project
from tests.conftest import REPO
from tests.media_factory import make_coded_clip
from tests.missing import missing

FULL = "is full"
READ_ONLY = "read-only disk"


class TinyDisk:
    """A 3 MB tmpfs mounted on `path` for one test (root only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir()
        self.mounted = False
        if os.geteuid() != 0:
            self.why = "mounting a tiny disk needs root"
            return
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0755", "critique-test", str(path)],
            capture_output=True,
            text=True,
        )
        self.mounted = done.returncode == 0
        self.why = done.stderr.strip() or f"mount exited with {done.returncode}"

    def fill(self) -> None:
        """Write a file until the disk refuses another byte."""
        with (self.path / "filler").open("wb", buffering=0) as out:
            for size in (1 << 16, 4096, 512, 1):
                try:
                    while True:
                        out.write(b"\0" * size)
                except OSError as err:
                    assert err.errno == errno.ENOSPC

    def free(self) -> None:
        (self.path / "filler").unlink(missing_ok=True)

    def remount(self, mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True)

    def unmount(self) -> None:
        if self.mounted:
            done = subprocess.run(["umount", str(self.path)], capture_output=True)
            if done.returncode != 0:
                subprocess.run(["umount", "-l", str(self.path)], check=False)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[TinyDisk]:
    tiny = TinyDisk(tmp_path / "disk")
    if not tiny.mounted:
        # chmod does not stop root, so a full or read-only disk needs a real mount; CI runs as root
        missing(
            f"a full or read-only disk needs a tiny mount ({tiny.why}); "
            "test_full_project_by_page_limit covers the same errors without one"
        )
    try:
        yield tiny
    finally:
        tiny.unmount()


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("disk-film")
    return make_coded_clip(folder / "film.mp4", frames=48, size=(64, 48), gop=12)


@pytest.fixture(scope="module")
def cues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("disk-cues") / "cues.vtt"
    lines = ["WEBVTT", ""]
    for n in range(400):
        lines += [f"00:00:00.{n % 9}00 --> 00:00:01.000", f"cue {n}: " + "words " * 40, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def make_project(path: Path, film: Path) -> None:
    from critique_app.services.films import add_film

    with open_project(path) as project:
        added = add_film(project, film)
        tier = project.repo.add_tier("Class", author="Teacher")
        for n in range(5):
            project.repo.add_annotation(
                Annotation.create(added.id or 0, tier.id or 0, FrameRange(n, n + 4), note=f"n{n}")
            )


def contents(path: Path) -> dict[str, object]:
    """What the project holds, and whether SQLite finds it sound."""
    conn = sqlite3.connect(path)
    try:
        counts: dict[str, object] = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("films", "tiers", "annotations", "fingerprints")
        }
        counts["notes"] = [r[0] for r in conn.execute("SELECT note FROM annotations ORDER BY id")]
        counts["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return counts
    finally:
        conn.close()


def cli(*argv: str) -> tuple[int, str]:
    from critique_app.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return code, err.getvalue()


def one_sentence(stderr: str, words: str) -> str:
    said = [ln for ln in stderr.splitlines() if ln.startswith("critique-app:")]
    assert len(said) == 1, stderr
    assert words in said[0] and "unexpected" not in said[0] and "Traceback" not in stderr
    return said[0]


def big_edit(project: Project) -> CreateAnnotation:
    # a pasted page of text: needs new pages whatever space SQLite still has in its files
    return CreateAnnotation(
        Annotation.create(1, 1, FrameRange(10, 20), note="A long pasted text. " * 20_000)
    )


def test_full_disk(disk: TinyDisk, film: Path, cues: Path) -> None:
    path = disk.path / "class.critique"
    make_project(path, film)
    before = contents(path)
    with open_project(path) as project:
        disk.fill()
        with pytest.raises(UserError, match=FULL) as edit:
            project.undo.push(big_edit(project))
        assert str(edit.value).startswith(f"The disk holding {path.name} ({disk.path}) is full")
        assert project.undo._done == []  # nothing to undo: nothing happened
        assert len(project.repo.annotations()) == 5  # what was saved is still there
    code, stderr = cli("import", str(path), str(cues), "--film", film.name)
    assert code == 1
    one_sentence(stderr, FULL)
    code, stderr = cli("fingerprint", str(film), "--project", str(path), "--workers", "1")
    assert code == 1
    one_sentence(stderr, FULL)
    # the real command line: exit 1 and the sentence on stderr
    done = subprocess.run(
        [sys.executable, "-m", "critique_app", "import", str(path), str(cues), "--film", film.name],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    one_sentence(done.stderr, FULL)
    disk.free()
    assert contents(path) == before


def test_full_project_by_page_limit(film: Path, cues: Path, tmp_path: Path) -> None:
    """Anywhere, root or not: SQLite's own limit on the file's size gives the same error."""
    from critique_app.services.fingerprinting import fingerprint_film
    from critique_app.services.import_annotations import import_file

    path = tmp_path / "class.critique"
    make_project(path, film)
    before = contents(path)
    with open_project(path) as project:
        pages = project.db.execute("PRAGMA page_count").fetchone()[0]
        project.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(UserError, match=FULL):
            project.undo.push(big_edit(project))
        with pytest.raises(UserError, match=FULL):
            import_file(project, cues, film=film.name)
        # hashes of a longer film: more than the free room left in the file's pages
        longer = make_coded_clip(tmp_path / "longer.mp4", frames=600, size=(48, 32), gop=48)
        with pytest.raises(UserError, match=FULL):
            fingerprint_film(project, longer, workers=1)
    after = contents(path)
    # the film is now known, and its fingerprints begun with not one frame claimed
    assert after.pop("films") == before.pop("films") + 1
    from db.fingerprint_store import KINDS

    assert after.pop("fingerprints") == len(KINDS) and before.pop("fingerprints") == 0
    assert after == before, (after, before)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT max(frame_count) FROM fingerprints").fetchone()[0] == 0
    conn.close()


def test_read_only_disk(disk: TinyDisk, film: Path, cues: Path) -> None:
    path = disk.path / "class.critique"
    make_project(path, film)
    before = contents(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    disk.remount("ro")
    try:
        with open_project(path) as project:
            assert project.read_only is not None and READ_ONLY in project.read_only
            assert len(project.repo.annotations()) == 5  # it opens, to read
            with pytest.raises(UserError, match=READ_ONLY) as edit:
                project.undo.push(big_edit(project))
            assert str(edit.value).startswith(f"{path.name} is on a read-only disk")
            with pytest.raises(UserError, match=READ_ONLY):
                project.repo.add_tier("Another")
        code, stderr = cli("import", str(path), str(cues), "--film", film.name)
        assert code == 1
        one_sentence(stderr, READ_ONLY)
        code, stderr = cli("fingerprint", str(film), "--project", str(path), "--workers", "1")
        assert code == 1
        one_sentence(stderr, READ_ONLY)
        new = disk.path / "new.critique"
        code, stderr = cli("fingerprint", str(film), "--project", str(new), "--workers", "1")
        assert code == 1
        one_sentence(stderr, READ_ONLY)
    finally:
        disk.remount("rw")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # not one byte changed
    assert contents(path) == before
