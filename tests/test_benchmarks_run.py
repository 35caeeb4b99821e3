"""Benchmarks that cannot rot (issue 26): every script in benchmarks/ runs once in its
`--quick` mode and writes its JSON. Only that it runs is checked, never a time or a ratio:
the figures of a quick run on tiny inputs mean nothing, and a busy machine is not a bug.

Deselect with `-m "not benchmark_quick"`; ./run-tests runs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from tests.missing import missing

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = sorted(
    p.stem for p in (REPO / "benchmarks").glob("*.py") if not p.stem.startswith("_")
)
# Benchmarks that read the real provenance corpus (../shared/fixtures/provenance).
NEEDS_CORPUS = {"verify"}
# Benchmarks that open real X windows on their own Xvfb (tests/xvfb/display.py).
NEEDS_XVFB = {"quit_latency", "scenario_crashes"}
HANG_GUARD_S = 600  # a guard against a hung run, not a time bound


def _left_behind(marker: str) -> list[str]:
    """Processes still carrying this run's marker in their environment: the benchmark's
    children (workers, servers, scenario windows) that outlived it."""
    left = []
    for proc in psutil.process_iter(["pid", "name"]):
        try:
            if proc.environ().get("CRITIQUE_BENCH_RUN") == marker:
                left.append(f"{proc.info['pid']} {proc.info['name']}")
        except (psutil.Error, OSError):
            continue
    return left


@pytest.mark.benchmark_quick
@pytest.mark.parametrize("name", BENCHMARKS)
def test_quick_mode_runs_and_writes_its_json(name: str, tmp_path: Path, request) -> None:
    if name in NEEDS_CORPUS:
        request.getfixturevalue("provenance_corpus")  # skips with a reason, fails in CI
    if name in NEEDS_XVFB and shutil.which("Xvfb") is None:
        missing("Xvfb is not installed (Debian: apt-get install xvfb xauth)")
    out = tmp_path / f"{name}.json"
    marker = uuid.uuid4().hex
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(REPO),
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        CRITIQUE_BENCH_RUN=marker,
        TMPDIR=str(tmp_path),  # whatever a benchmark makes in a temporary folder lands here
    )
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / f"{name}.py"), "--quick", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
    )
    assert done.returncode == 0, (
        f"{name} --quick ended with {done.returncode}:\n{done.stderr[-6000:]}"
    )
    assert out.is_file(), f"{name} --quick wrote no {out.name}:\n{done.stdout[-3000:]}"
    report = json.loads(out.read_text("utf-8"))
    assert isinstance(report, dict) and report, f"{name}: {out.name} is not a non-empty object"
    deadline = time.monotonic() + 30  # processes told to end get a moment (a guard, not a bound)
    while _left_behind(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _left_behind(marker), f"{name} left processes behind: {_left_behind(marker)}"
