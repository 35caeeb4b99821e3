"""A closed output pipe (`critique-app verify FILE | head -1`) ends any command quietly with
exit status 0: no "unexpected error", no traceback, nothing in the log.

The pipe's reading end is closed before the process starts, so every write fails with EPIPE
whatever the timing: the test does not depend on how fast `head` would have been.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

SCRIPT = Path(sys.executable).with_name("critique-app")


def run_into_closed_pipe(
    *args: str | Path, stream: str = "stdout"
) -> subprocess.CompletedProcess[bytes]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "critique_app"]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte is written
    try:
        kwargs: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        kwargs[stream] = write_end
        return subprocess.run([*command, *map(str, args)], **kwargs)  # type: ignore[call-overload,no-any-return]
    finally:
        os.close(write_end)


@pytest.fixture(scope="module")
def still(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pipes") / "still.png"
    Image.new("RGB", (64, 48), (10, 120, 200)).save(path)
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, still: Path) -> Path:
    path = tmp_path_factory.mktemp("pipes-project") / "refs.critique"
    done = subprocess.run(
        [sys.executable, "-m", "critique_app", "library", "add", str(path), str(still)],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    return path


def _log() -> Path:
    return Path(os.environ["CRITIQUE_DATA_DIR"]) / "critique.log"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(lambda still, project: ["verify", still], id="verify"),
        pytest.param(lambda still, project: ["verify", "--json", still], id="verify-json"),
        pytest.param(lambda still, project: ["trust", "list"], id="trust-list"),
        pytest.param(lambda still, project: ["library", "list", project], id="library-list"),
        pytest.param(lambda still, project: ["--help"], id="help"),
        pytest.param(lambda still, project: ["verify", "--help"], id="verify-help"),
        pytest.param(lambda still, project: ["library", "list", project, "--json"], id="list-json"),
    ],
)
def test_a_closed_stdout_ends_the_command_quietly_with_exit_0(
    args: object, still: Path, project: Path
) -> None:
    done = run_into_closed_pipe(*args(still, project))  # type: ignore[operator]
    assert done.returncode == 0, done.stderr
    assert b"unexpected error" not in done.stderr
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr
    assert not _log().exists() or b"BrokenPipe" not in _log().read_bytes()


def test_a_closed_stderr_ends_the_command_quietly_with_exit_0(still: Path, tmp_path: Path) -> None:
    """`library add` reports on stdout and says `created P` on stderr: both may be the pipe."""
    new = tmp_path / "new.critique"
    done = run_into_closed_pipe("library", "add", new, still, stream="stderr")
    assert done.returncode == 0
    assert new.is_file()  # the work was done; only the saying of it went nowhere


def test_a_failing_command_into_a_closed_pipe_still_says_nothing_and_ends_0(
    tmp_path: Path,
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not an image\n")
    done = run_into_closed_pipe("verify", text)
    assert done.returncode == 0
    assert b"unexpected error" not in done.stderr
