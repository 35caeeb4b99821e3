"""Hostile media: 300+ damaged copies of small clips, each read by probe, frame, fingerprint,
the exact-frame engine and the thumbnail strip.

Every run must end with exit 0 or 1 and a sentence: never a traceback, a signal or a hang.
The mutants are seeded (HOSTILE_SEED, default 11), so a failure names a file that can be made
again; they run in a few driver processes (tests/hostile_media.py) so that a crash or a hang
names the mutant it happened on and the rest still run.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hostile_media import KINDS, Mutant, make_mutants
from tests.media_factory import make_coded_clip

MUTANTS = 308
SEED = int(os.environ.get("HOSTILE_SEED", "11"))
LIMIT_SECONDS = 60.0  # per mutant, for everything the driver runs on it
DRIVERS = 3  # mostly waiting (playback, joins): three share two cores well

# The five kinds of film the issue names, kept tiny (a second or two, a few dozen pixels).
CLIPS = {
    "h264": ("h264.mp4", dict(frames=36, size=(64, 48), gop=12, bframes=2, audio=True)),
    "h264_faststart": (
        "h264_faststart.mov",
        dict(frames=30, size=(80, 48), gop=10, bframes=2, faststart=True),
    ),
    "hevc": ("hevc.mkv", dict(frames=30, size=(96, 64), codec="libx265", gop=10, bframes=3)),
    "vp9": ("vp9.webm", dict(frames=30, size=(64, 48), codec="libvpx-vp9", gop=12)),
    "prores": ("prores.mov", dict(frames=24, size=(64, 48), codec="prores_ks")),
    "vfr": ("vfr.mp4", dict(frames=40, size=(64, 48), vfr=True, gop=12, rate=Fraction(30))),
}


@dataclass
class Outcome:
    problems: dict[int, list[str]] = field(default_factory=dict)
    seconds: dict[int, float] = field(default_factory=dict)
    restarts: int = 0


class _Driver:
    """One driver process working through a list of mutants; restarted past a crash or hang."""

    def __init__(self, indices: list[int], mutants: list[Mutant], folder: Path) -> None:
        self.pending, self.mutants, self.folder = list(indices), mutants, folder
        self.proc: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.current: int | None = None  # position in `pending` of the mutant being run
        self.finished = 0  # mutants of `pending` done by this process
        self.started = 0.0

    def launch(self) -> int:
        """Start the process; returns the file descriptor its report arrives on."""
        listing = self.folder / f"batch-{self.pending[0]}.json"
        listing.write_text(json.dumps([str(self.mutants[i].path) for i in self.pending]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile_media", str(listing)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # FFmpeg's own log lines; the verdicts come on stdout
        )
        self.buffer, self.current, self.finished = b"", None, 0
        self.started = time.monotonic()
        assert self.proc.stdout is not None
        return self.proc.stdout.fileno()

    def hung(self, limit: float) -> bool:
        return self.current is not None and time.monotonic() - self.started > limit

    def stop(self, outcome: Outcome, why: str) -> None:
        """The process ended (or is killed): blame the mutant it was on, keep the rest."""
        assert self.proc is not None and self.proc.stdout is not None
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        skip = self.finished
        if self.current is not None:
            outcome.problems[self.pending[self.current]] = [why]
            outcome.restarts += 1
            skip = self.current + 1
        self.pending = self.pending[skip:]
        self.proc = None

    def ended(self, outcome: Outcome) -> None:
        assert self.proc is not None
        code = self.proc.wait()
        why = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
        self.stop(outcome, f"the driver died ({why})" if code > 0 else why)

    def read(self, outcome: Outcome) -> bool:
        """Take what the driver reported; False when the process has ended."""
        assert self.proc is not None and self.proc.stdout is not None
        # raw reads: a buffered reader would hide lines from select()
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        if not chunk:
            return False
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            word, number, *rest = line.decode().split(" ", 2)
            if word == "start":
                self.current, self.started = int(number), time.monotonic()
            elif word == "done":
                result = json.loads(rest[0])
                index = self.pending[int(number)]
                outcome.seconds[index] = result["seconds"]
                if result["problems"]:
                    outcome.problems[index] = result["problems"]
                self.current, self.finished = None, int(number) + 1
        return True


def run_drivers(
    mutants: list[Mutant], folder: Path, drivers: int, limit: float = LIMIT_SECONDS
) -> Outcome:
    """Every mutant through the driver, `drivers` processes side by side."""
    outcome = Outcome()
    indices = list(range(len(mutants)))
    active = [_Driver(indices[k::drivers], mutants, folder) for k in range(drivers)]
    with selectors.DefaultSelector() as sel:
        while active:
            for driver in list(active):
                if driver.proc is None:
                    if not driver.pending:
                        active.remove(driver)
                        continue
                    sel.register(driver.launch(), selectors.EVENT_READ, driver)
            for key, _events in sel.select(timeout=0.5):
                if not key.data.read(outcome):
                    sel.unregister(key.fd)
                    key.data.ended(outcome)
            for driver in active:
                if driver.proc is not None and driver.hung(limit):
                    assert driver.proc.stdout is not None
                    sel.unregister(driver.proc.stdout.fileno())
                    driver.stop(outcome, f"hang: no answer within {limit:.0f} s")
    return outcome


@pytest.fixture(scope="module")
def mutants(tmp_path_factory: pytest.TempPathFactory) -> list[Mutant]:
    folder = tmp_path_factory.mktemp("hostile")
    clips = {
        name: make_coded_clip(folder / file_name, **options)  # type: ignore[arg-type]
        for name, (file_name, options) in CLIPS.items()
    }
    return make_mutants(clips, folder / "mutants", MUTANTS, SEED)


def test_mutants_are_seeded_and_varied(mutants: list[Mutant], tmp_path: Path) -> None:
    assert len(mutants) >= 300
    assert {m.clip for m in mutants} == set(CLIPS)
    assert {m.kind for m in mutants} == set(KINDS)
    # the same seed makes the same files: a failure can be made again from its name
    clips = {m.clip: m for m in mutants if m.kind == "truncate"}
    originals = {
        name: Path(str(m.path.parent.parent / CLIPS[name][0])) for name, m in clips.items()
    }
    again = make_mutants(originals, tmp_path, 2 * len(CLIPS), SEED)
    for first, second in zip(mutants, again, strict=False):
        assert first.path.read_bytes() == second.path.read_bytes()


def test_every_damaged_film_gets_a_sentence(mutants: list[Mutant], tmp_path: Path) -> None:
    started = time.monotonic()
    outcome = run_drivers(mutants, tmp_path, DRIVERS)
    report = [
        f"{mutants[i].describe()}:\n    " + "\n    ".join(p[:600] for p in problems)
        for i, problems in sorted(outcome.problems.items())
    ]
    print(
        f"{len(mutants)} mutants, {outcome.restarts} driver restarts, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert not report, (
        f"{len(report)} of {len(mutants)} damaged films were mishandled:\n" + "\n".join(report)
    )
    assert len(outcome.seconds) == len(mutants)


def test_a_crash_or_a_hang_names_its_mutant_and_the_rest_still_run(
    mutants: list[Mutant], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    few = [m for m in mutants if m.kind == "truncate"][:4]
    monkeypatch.setenv("HOSTILE_CRASH_ON", few[1].path.name)
    monkeypatch.setenv("HOSTILE_HANG_ON", few[3].path.name)
    outcome = run_drivers(few, tmp_path, 1, limit=4.0)
    assert outcome.problems == {1: ["signal SIGSEGV"], 3: ["hang: no answer within 4 s"]}
    assert sorted(outcome.seconds) == [0, 2]
