"""`screen` on real Dask clusters: 2 workers equal 1, a killed worker, a killed client, a cluster
started apart (`dask scheduler` + `dask worker`), with generated media and real C2PA files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from critique_app.cli import main
from critique_app.domain.screening import ScreeningResult
from critique_app.provenance.recovered import RECOVERED_WORDING
from critique_app.services.screening_cluster import ScreeningSummary, run_screening
from critique_app.services.screening_table import row_of
from db import screening_store
from db.project import open_project
from tests.screening.conftest import by_path, free_port, wait_for

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def screen(project: Path, folder: Path, **kw: Any) -> tuple[ScreeningSummary, list[dict]]:
    with open_project(project) as p:
        summary = run_screening(p, [folder], **kw)
        return summary, [r.to_json() for r in screening_store.results(p.db, summary.settings_key)]


@pytest.fixture(scope="module")
def serial(screening_material: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The reference: the same screening on one worker process."""
    import shutil

    project = tmp_path_factory.mktemp("serial") / "serial.critique"
    shutil.copy(screening_material["project"], project)
    summary, results = screen(project, screening_material["submissions"], workers=1)
    assert summary.workers == 1 and summary.screened == summary.found
    return {"summary": summary, "results": by_path(results), "raw": results}


@pytest.fixture(scope="module")
def two_workers() -> Iterator[str]:
    """One LocalCluster of 2 worker processes for the tests that do not kill workers."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
        host="127.0.0.1", silence_logs=50,
    ) as cluster:  # fmt: skip
        yield cluster.scheduler_address


def test_two_workers_equal_one_field_by_field(
    serial: dict, screening_material: dict[str, Path], fresh_project: Path, two_workers: str
) -> None:
    summary, results = screen(
        fresh_project, screening_material["submissions"], scheduler=two_workers
    )
    assert summary.workers == 2
    assert by_path(results) == serial["results"]
    # what a jury must see first, and what was found
    names = {Path(p).name: r for p, r in serial["results"].items()}
    assert set(names) == {
        "festival_copy.mp4", "misnamed.dat", "own_film.mp4", "broken.mp4", "nested_moov_1000.mp4",
        "dashinit.mp4", "still_copy.jpg", "declared_ai.jpg", "adobe-20220124-E-sig-CA.jpg",
        "C.jpg", "sample1.webp", "trailer_crop.mp4",
    }  # fmt: skip
    order = [Path(r["path"]).name for r in serial["raw"]]
    assert order[0] == "adobe-20220124-E-sig-CA.jpg"  # tampered first
    assert order.index("declared_ai.jpg") < order.index("festival_copy.mp4")
    copy = names["festival_copy.mp4"]
    assert copy["matches"] and copy["matches"][0]["label"] == "ai_clip"
    assert copy["matches"][0]["start_timecode"] == "00:00:00:00"
    assert {m["label"] for m in names["still_copy.jpg"]["matches"]} == {"ai_still", "ai_clip"}
    assert not names["own_film.mp4"]["matches"]
    # a cropped copy whose manifest was stripped: matched through the library's crop variants,
    # and the signed original's credentials recovered by content, worded as an inference
    trailer = names["trailer_crop.mp4"]
    assert [m["label"] for m in trailer["matches"]] == ["generated_ai"]
    assert 25 <= trailer["matches"][0]["start_frame"] <= 35
    recovered = trailer["verify"]["c2pa"]["recovered_by_content"]
    assert [r["item"]["label"] for r in recovered] == ["generated_ai"]
    assert recovered[0]["original"]["ai_signal"] == "fully_genai"
    assert recovered[0]["note"] == RECOVERED_WORDING
    assert "recovered_by_content" not in names["festival_copy.mp4"]["verify"]["c2pa"]
    row = row_of(
        ScreeningResult.from_json(
            next(r for r in serial["raw"] if r["path"].endswith("trailer_crop.mp4"))
        )
    )
    assert row.recovered_by_content.startswith("generated_ai: original untrusted_signer")
    assert "AI signal fully_genai" in row.recovered_by_content
    assert row.recovered_by_content.endswith(f"({RECOVERED_WORDING})")
    assert names["own_film.mp4"]["sidecar"].endswith("own_film.c2pa")
    assert names["dashinit.mp4"]["fragments"][0].endswith("dash1.m4s")
    assert names["dashinit.mp4"]["verify"]["c2pa"]["reason"] == "untrusted_signer"
    assert names["misnamed.dat"]["picture"]["frames"] == 48  # found by content, not name
    assert names["nested_moov_1000.mp4"]["verify"]["c2pa"]["reason"] == "unreadable"
    assert names["broken.mp4"]["problem"]
    skipped = " ".join(serial["summary"].skipped)
    assert "notes.txt is not a picture" in skipped and "orphan.c2pa is a C2PA sidecar" in skipped


def test_a_worker_killed_mid_run_the_run_completes(
    serial: dict, screening_material: dict[str, Path], fresh_project: Path
) -> None:
    from distributed import Client, LocalCluster

    killed: list[int] = []
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", silence_logs=50,
        dashboard_address=":0",
    ) as cluster, Client(cluster) as watcher:  # fmt: skip
        pids = watcher.run(os.getpid)

        def kill_one_busy_worker(status: Any) -> None:
            if killed or status.done < 1:
                return
            busy = [w for w, keys in watcher.processing().items() if keys]
            assert busy, "no worker was screening a file when the kill came"
            killed.append(pids[busy[0]])
            os.kill(pids[busy[0]], signal.SIGKILL)  # mid-file: it holds a task

        summary, results = screen(
            fresh_project,
            screening_material["submissions"],
            scheduler=cluster.scheduler_address,
            on_status=kill_one_busy_worker,
        )
    assert killed, "the run ended before a worker could be killed"
    assert summary.screened == summary.found and not summary.not_seen
    assert by_path(results) == serial["results"]


def _stored(project: Path) -> int:
    try:
        with sqlite3.connect(f"file:{project}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM screenings").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_the_client_killed_and_restarted_resumes(
    serial: dict, screening_material: dict[str, Path], fresh_project: Path, two_workers: str
) -> None:
    cmd = [sys.executable, "-m", "critique_app", "screen", str(screening_material["submissions"]),
           "--project", str(fresh_project), "--workers", "2"]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for(lambda: _stored(fresh_project) >= 2 or proc.poll() is not None, 120, "2 results")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        # its workers notice their parent is gone and leave by themselves
        wait_for(lambda: not _session_members(proc.pid), 30, "the killed client's workers to exit")
    finally:
        _kill_session(proc.pid)
        if proc.stderr:
            proc.stderr.close()
    kept = _stored(fresh_project)
    assert 2 <= kept < serial["summary"].found, "the client should have died mid-run"
    summary, results = screen(
        fresh_project, screening_material["submissions"], scheduler=two_workers
    )
    assert summary.already_done == kept and summary.screened == summary.found - kept
    assert by_path(results) == serial["results"]
    again, _ = screen(fresh_project, screening_material["submissions"], workers=2)
    assert again.already_done == again.found and again.screened == 0 and again.workers == 0
    assert "already screened with the same settings" in " ".join(again.sentences())


def _session_members(sid: int) -> list[psutil.Process]:
    out = []
    for p in psutil.process_iter(["pid"]):
        try:
            if os.getsid(p.pid) == sid and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except (ProcessLookupError, psutil.Error, PermissionError):
            continue
    return out


def _kill_session(sid: int) -> None:
    for p in _session_members(sid):
        try:
            p.kill()
        except psutil.Error:
            pass


def test_a_cluster_started_apart_gives_the_same_results(
    serial: dict,
    screening_material: dict[str, Path],
    fresh_project: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The --scheduler path, through the command line: `dask scheduler` + 2 `dask worker`."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask_cli = [sys.executable, "-m", "distributed.cli.dask_worker"]
    scheduler_cli = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    procs = [
        subprocess.Popen(
            [*scheduler_cli, "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    ]  # fmt: skip
    try:
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [*dask_cli, address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                     "--host", "127.0.0.1", "--death-timeout", "30"],
                    cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        from distributed import Client

        with Client(address, timeout="30s") as waiting:
            waiting.wait_for_workers(2, timeout=60)
        report = fresh_project.parent / "jury.html"
        code = main(["screen", str(screening_material["submissions"]), "--project",
                     str(fresh_project), "--scheduler", address, "--json", "--report", str(report)])  # fmt: skip
        captured = capsys.readouterr()
        out = json.loads(captured.out)
        assert code == 1  # broken.mp4 and nested_moov_1000.mp4 could not be read: named
        assert "broken.mp4" in captured.err and "Traceback" not in captured.err
        assert out["workers"] == 2 and out["screened"] == out["found"] == 12
        assert by_path(out["results"]) == serial["results"]
        assert [r["path"] for r in out["rows"]] == [r["path"] for r in serial["raw"]]
        assert report.is_file() and report.with_suffix(".csv").is_file()
        assert json.loads(report.with_suffix(".json").read_text())[0]["reason"] == "tampered"
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
        for p in reversed(procs):
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                for child in psutil.Process(p.pid).children(recursive=True):
                    child.kill()
                p.kill()
                p.wait(5)


def test_a_worker_that_cannot_see_the_files_says_so(tmp_path: Path) -> None:
    from critique_app.services.screening import (
        LibrarySnapshot,
        ScreeningSettings,
        Submission,
        screen_file,
    )

    result = screen_file(
        Submission(str(tmp_path / "elsewhere" / "film.mp4"), "mp4"),
        LibrarySnapshot.of([]),
        ScreeningSettings(),
    )
    assert result.visible is False
    assert result.problem and "cannot see" in result.problem and "shared path" in result.problem
