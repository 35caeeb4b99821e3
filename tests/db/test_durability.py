"""Durability: `kill -9` at random moments during an import, a merge, a re-anchoring, an export
and fingerprinting.

Afterwards the project passes `PRAGMA integrity_check`, each operation happened wholly or not
at all, and fingerprinting resumes to the same hashes as one clean run. The kill moments are
seeded (DURABILITY_SEED), spread over the operation's own clean duration; each operation is
killed at least KILLS times. Operations run in a child forked by tests/kill_driver.py, which
has imported the application once, so a round costs the operation and not Python's start-up.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import REPO
from tests.media_factory import make_coded_clip

KILLS = 20  # per operation
MAX_ROUNDS = 60  # rounds that finish before the kill do not count; stop trying after this
SEED = int(os.environ.get("DURABILITY_SEED", "11"))
FRAMES = 240  # 10 s at 24 fps
ANNOTATIONS = 400  # on the film, to export and to re-anchor
CUES = 400  # in the file imported
STUDENT_NOTES = 100  # per student project merged
LONG_FRAMES = 800  # fingerprinting stores its work per batch of 256 frames: 4 batches


class Zygote:
    """tests/kill_driver.py: runs one command per call, killing it after `delay` seconds."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.kill_driver"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, delay: float, **command: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"delay": delay, **command}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the kill driver died"
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    yield z
    z.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def scalar(path: Path, sql: str, params: tuple[Any, ...] = ()) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    finally:
        conn.close()


@dataclass
class Material:
    folder: Path
    film: Path
    copy: Path
    template: Path  # film + copy fingerprinted, ANNOTATIONS annotations on the film
    cues: Path  # a WebVTT file of CUES cues
    students: list[Path]
    long_film: Path  # LONG_FRAMES tiny frames: several stored chunks when fingerprinting


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Material:
    from critique_app.domain.model import Annotation, FrameRange
    from critique_app.services.fingerprinting import fingerprint_film
    from db.project import open_project

    folder = tmp_path_factory.mktemp("durability")
    film = make_coded_clip(folder / "film.mp4", frames=FRAMES, size=(96, 72), gop=24, grain=6)
    copy = _rescaled_copy(film, folder / "copy.mp4", (128, 96))
    template = folder / "template.critique"
    with open_project(template) as project:
        fingerprint_film(project, film, workers=1)
        fingerprint_film(project, copy, workers=1)
        tier = project.repo.add_tier("Class", author="Teacher")
        with project.db.atomic():
            for n in range(ANNOTATIONS):
                start = (n * 7) % (FRAMES - 30)
                project.repo.add_annotation(
                    Annotation.create(
                        1, tier.id or 0, FrameRange(start, start + 20), note=f"remark {n}"
                    )
                )
    cues = folder / "cues.vtt"
    lines = ["WEBVTT", ""]
    for n in range(CUES):
        start = (n % 90) / 10  # within the 10 s film
        lines += [f"{_vtt(start)} --> {_vtt(start + 0.5)}", f"cue {n}: the face drifts", ""]
    cues.write_text("\n".join(lines), encoding="utf-8")
    students = []
    for name in ("lea", "theo"):
        path = folder / f"{name}.critique"
        shutil.copy(template, path)
        with open_project(path) as project:
            tier = project.repo.add_tier(name.title(), author=name.title())
            with project.db.atomic():
                for n in range(STUDENT_NOTES):
                    project.repo.add_annotation(
                        Annotation.create(
                            1, tier.id or 0, FrameRange(n % 300, n % 300 + 5), note=f"{name} {n}"
                        )
                    )
        students.append(path)
    long_film = make_coded_clip(folder / "long.mp4", frames=LONG_FRAMES, size=(48, 32), gop=48)
    return Material(folder, film, copy, template, cues, students, long_film)


def _rescaled_copy(film: Path, out: Path, size: tuple[int, int]) -> Path:
    """Another copy of the film, the way a festival gets one: decoded, rescaled, re-encoded."""
    import av

    with av.open(str(film)) as source, av.open(str(out), "w") as target:
        stream = target.add_stream("libx264", rate=24, options={"preset": "veryfast"})
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1, 24)
        for index, frame in enumerate(source.decode(video=0)):
            picture = frame.reformat(width=size[0], height=size[1], format="yuv420p")
            picture.pts, picture.time_base = index, Fraction(1, 24)
            target.mux(stream.encode(picture))
        target.mux(stream.encode(None))
    return out


def _vtt(seconds: float) -> str:
    whole = int(seconds)
    return f"00:00:{whole:02d}.{round((seconds - whole) * 1000):03d}"


@dataclass
class Tally:
    kills: int = 0
    finished: int = 0
    outcomes: dict[str, int] | None = None

    def saw(self, outcome: str) -> None:
        self.outcomes = self.outcomes or {}
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def kill_loop(
    zygote: Zygote,
    name: str,
    prepare: Callable[[], None],
    command: dict[str, Any],
    check: Callable[[bool], str],
) -> Tally:
    """Time one clean run, then kill the operation at seeded random moments until KILLS kills.

    `check(killed)` asserts the state is whole and returns a word for what it found."""
    prepare()
    clean = zygote.run(120.0, **command)
    assert not clean["killed"] and clean["code"] == 0, f"{name}: the clean run failed: {clean}"
    check(False)
    rng = random.Random(f"{SEED}:{name}")
    tally = Tally()
    rounds = 0
    # A clean run timed during a busy moment overestimates the work: kills aimed by it land
    # after the end (a run beside other suites made 18 kills in 60 rounds). Aim by the
    # quickest whole run seen so far.
    span = clean["seconds"]
    while tally.kills < KILLS:
        rounds += 1
        assert rounds <= MAX_ROUNDS, f"{name}: only {tally.kills} kills in {MAX_ROUNDS} rounds"
        prepare()
        # the first quarter is mostly start-up and reading: aim most kills at the work itself
        result = zygote.run(span * rng.uniform(0.25, 1.05), **command)
        if result["killed"]:
            tally.kills += 1
        else:
            assert result["code"] == 0, f"{name}: a run ended with {result}"
            tally.finished += 1
            span = min(span, result["seconds"])
        tally.saw(check(result["killed"]))
    print(f"{name}: clean {clean['seconds']:.2f} s, {tally}")
    return tally


def _fresh(material: Material, target: Path, source: Path | None = None) -> Callable[[], None]:
    def prepare() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(source or material.template, target)

    return prepare


ANNOTATION_COUNT = "SELECT count(*) FROM annotations"


def test_import_is_whole_or_absent_after_kill_9(
    zygote: Zygote, material: Material, tmp_path: Path
) -> None:
    project = tmp_path / "import.critique"
    before = ANNOTATIONS

    def check(killed: bool) -> str:
        assert integrity(project) == "ok"
        count = scalar(project, ANNOTATION_COUNT)
        assert count in (before, before + CUES), f"an import stopped half-way: {count} annotations"
        return "none" if count == before else "all"

    tally = kill_loop(
        zygote,
        "import",
        _fresh(material, project),
        {"argv": ["import", str(project), str(material.cues), "--film", "film.mp4"]},
        check,
    )
    assert tally.kills >= KILLS


def test_merge_is_whole_or_absent_after_kill_9(
    zygote: Zygote, material: Material, tmp_path: Path
) -> None:
    project = tmp_path / "merge.critique"
    before = ANNOTATIONS

    def check(killed: bool) -> str:
        assert integrity(project) == "ok"
        count = scalar(project, ANNOTATION_COUNT)
        merges = scalar(project, "SELECT count(*) FROM merges")
        whole = before + len(material.students) * STUDENT_NOTES
        assert (count, merges) in ((before, 0), (whole, len(material.students))), (
            f"a merge stopped half-way: {count} annotations, {merges} merges recorded"
        )
        return "none" if merges == 0 else "all"

    tally = kill_loop(
        zygote,
        "merge",
        _fresh(material, project),
        {
            "call": "critique_app.services.merge:merge_files",
            "args": [str(project), [str(s) for s in material.students]],
        },
        check,
    )
    assert tally.kills >= KILLS


def test_reanchoring_is_whole_or_absent_after_kill_9(
    zygote: Zygote, material: Material, tmp_path: Path
) -> None:
    project = tmp_path / "reanchor.critique"
    placed: list[int] = []

    def check(killed: bool) -> str:
        assert integrity(project) == "ok"
        on_copy = scalar(project, "SELECT count(*) FROM annotations WHERE film_id = 2")
        if not placed:
            assert on_copy > ANNOTATIONS // 2, f"the clean run placed only {on_copy}"
            placed.append(on_copy)
        assert on_copy in (0, placed[0]), f"a re-anchoring stopped half-way: {on_copy} placed"
        return "none" if on_copy == 0 else "all"

    tally = kill_loop(
        zygote,
        "reanchor",
        _fresh(material, project),
        {"argv": ["reanchor", str(project), str(material.copy), "--film", "film.mp4"]},
        check,
    )
    assert tally.kills >= KILLS


def test_export_is_whole_or_absent_after_kill_9(
    zygote: Zygote, material: Material, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "remarks.csv"
    out.parent.mkdir()
    complete: list[int] = []

    def prepare() -> None:
        out.unlink(missing_ok=True)

    def check(killed: bool) -> str:
        assert integrity(material.template) == "ok"
        if not out.exists():
            return "none"
        rows = out.read_text(encoding="utf-8").count("remark ")
        if not complete:
            complete.append(rows)
        assert rows == complete[0] == ANNOTATIONS, f"a half-written export: {rows} rows"
        return "all"

    tally = kill_loop(
        zygote,
        "export",
        prepare,
        {
            "argv": [
                "export",
                str(material.template),
                "--format",
                "csv",
                "--film",
                "film.mp4",
                "-o",
                str(out),
            ]
        },
        check,
    )
    assert tally.kills >= KILLS
    leftovers = [p.name for p in out.parent.iterdir() if p.name != out.name]
    prepare()
    zygote.run(
        120.0,
        argv=["export", str(material.template), "-f", "csv", "--film", "film.mp4", "-o", str(out)],
    )
    left_now = [p.name for p in out.parent.iterdir() if p.name != out.name]
    assert left_now == [], (
        f"half-written files of killed exports were left behind: {len(leftovers)} before the "
        f"next export, {left_now} after it"
    )


def test_fingerprinting_resumes_to_the_clean_hashes_after_kill_9(
    zygote: Zygote, material: Material, tmp_path: Path
) -> None:
    from db import fingerprint_store as store
    from db.project import open_project

    reference = tmp_path / "clean.critique"
    project = tmp_path / "killed.critique"
    command = {
        "argv": ["fingerprint", str(material.long_film), "--project", "PROJECT", "--workers", "1"],
        "flush_seconds": 0.05,  # store every few frames, so kills land between stored chunks
    }

    def run(path: Path, delay: float) -> dict[str, Any]:
        argv = [str(path) if a == "PROJECT" else a for a in command["argv"]]
        return zygote.run(delay, argv=argv, flush_seconds=command["flush_seconds"])

    clean = run(reference, 120.0)
    assert not clean["killed"] and clean["code"] == 0
    with open_project(reference) as p:
        expected = store.load_fingerprints(p.db, 1)
        expected_cuts = store.load_shots(p.db, 1)
    assert expected is not None and expected.complete and expected.frame_count == LONG_FRAMES

    rng = random.Random(f"{SEED}:fingerprint")
    kills = chains = rounds = 0
    progress: list[int] = []
    while kills < KILLS or chains == 0:
        rounds += 1
        assert rounds <= MAX_ROUNDS * 2
        result = run(project, rng.uniform(0.0, clean["seconds"] * 0.6))
        kills += result["killed"]
        assert integrity(project) == "ok"
        # a kill while the new project was being created leaves an empty (still sound) file
        made = scalar(project, "SELECT count(*) FROM sqlite_master WHERE name = 'fingerprints'")
        stored = (
            scalar(project, "SELECT coalesce(min(frame_count), 0) FROM fingerprints") if made else 0
        )
        progress.append(stored)
        if result["killed"]:
            continue
        assert result["code"] == 0
        # finished: the resumed chain of runs must equal one clean run, frame for frame
        with open_project(project) as p:
            got = store.load_fingerprints(p.db, 1)
            cuts = store.load_shots(p.db, 1)
        assert got is not None and got.complete and got.frame_count == LONG_FRAMES
        for kind in ("phash", "phash_mirror", "dhash", "contrast", "frame_diff"):
            np.testing.assert_array_equal(getattr(got, kind), getattr(expected, kind), kind)
        assert cuts == expected_cuts
        assert got.crop == expected.crop
        chains += 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{project}{suffix}").unlink(missing_ok=True)
    print(
        f"fingerprint: clean {clean['seconds']:.2f} s, {kills} kills, {chains} resumed chains "
        f"checked, stored frames after each round: {progress}"
    )
    assert any(0 < n < LONG_FRAMES for n in progress), "no kill landed between stored chunks"


def test_the_kill_driver_really_kills(zygote: Zygote) -> None:
    result = zygote.run(0.2, call="time:sleep", args=[30])
    # killed (not ended by itself) and reaped: the driver returns once the child is gone
    assert result["killed"] and result["code"] is None


def test_a_stop_between_complete_and_shots_never_loses_the_shots(
    material: Material, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The narrowest window of the kill loop, hit on purpose: the run dies while saving shots."""
    from critique_app.services.fingerprinting import fingerprint_film
    from db import fingerprint_store as store
    from db.project import open_project

    def dies(*_args: Any) -> None:
        raise KeyboardInterrupt  # what a kill looks like from inside: nothing after this runs

    with open_project(tmp_path / "p.critique") as project:
        with monkeypatch.context() as patch:
            patch.setattr(store, "save_shots", dies)
            with pytest.raises(KeyboardInterrupt):
                fingerprint_film(project, material.film, workers=1)
        stored = store.load_fingerprints(project.db, 1)
        assert stored is not None and not stored.complete  # not "complete" without its shots
        again = fingerprint_film(project, material.film, workers=1)
        assert again.complete and store.load_shots(project.db, 1) == again.cuts
