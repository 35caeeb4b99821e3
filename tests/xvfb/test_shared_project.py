"""One project, two processes, as a jury member and a teacher use it: the window (a real X
window under Xvfb, driven with real keys through XTEST) annotates while `critique-app` in a
terminal imports, adds to the library, matches, fingerprints and screens into the same project.

Every edit and every imported row must be there afterwards, the file must pass SQLite's own
integrity check, and the word "damaged" must never appear. Read back with Python's sqlite3, not
with Critique's code. A second `critique-app open` of the project brings the first window
forward instead of opening a second one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

from critique_app.services.window_presence import window_holds
from tests.gui.annotation_projects import make_project
from tests.media_factory import make_coded_clip
from tests.xvfb.conftest import REPO, scenario_env
from tests.xvfb.display import WINDOW_USER, give_keyboard, xdotool

ROUNDS = 20
SCREENING_ROUNDS = (3, 15)
CLI = [sys.executable, "-m", "critique_app"]


def _wait(condition: object, what: str, limit: float = 120.0) -> None:
    """A hang guard only (generous): the assertion is that it happens, not how fast."""
    end = time.monotonic() + limit
    while not condition():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


def _window_id(display: str, *search: str) -> str:
    found: list[str] = []

    def shown() -> bool:
        found[:] = xdotool(display, "search", "--onlyvisible", *search).split()
        return bool(found)

    _wait(shown, "the window on screen")
    return found[0]


def _press(display: str, window: tuple[str, ...], *keys: str) -> None:
    """The keys, pressed once the window (found by these xdotool search terms) has them."""
    give_keyboard(display, *window)
    for key in keys:
        xdotool(display, "key", "--delay", "60", key)


def _subtitles(path: Path, round_: int) -> Path:
    path.write_text(
        f"1\n00:00:00,500 --> 00:00:01,000\nround {round_} first cue\n\n"
        f"2\n00:00:02,000 --> 00:00:02,500\nround {round_} second cue\n",
        encoding="utf-8",
    )
    return path


def _still(path: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    blocks = rng.integers(0, 256, (9, 16, 3), dtype=np.uint8)
    Image.fromarray(blocks).resize((640, 360), Image.Resampling.NEAREST).save(path)
    return path


def _terminal_commands(round_: int, project: Path, clip: Path, work: Path) -> list[list[str]]:
    """What the terminal does this round: an import, then in turn a library addition, a match,
    a fingerprint pass and a screening, all into the project the window has open."""
    srt = _subtitles(work / f"round{round_}.srt", round_)
    commands = [[*CLI, "import", str(project), str(srt), "--film", clip.name]]
    turn = round_ % 4
    if turn == 0:
        still = _still(work / f"still{round_}.png", round_)
        commands.append([*CLI, "library", "add", str(project), str(still)])
    elif turn == 1:
        commands.append([*CLI, "match", "--project", str(project), str(clip)])
    elif turn == 2 or round_ not in SCREENING_ROUNDS:
        commands.append([*CLI, "fingerprint", "--project", str(project), "--restart", str(clip)])
    else:  # a Dask cluster takes seconds to start: two screenings are enough
        commands.append(
            [*CLI, "screen", "--project", str(project), "--workers", "1", str(work / "festival")]
        )
    return commands


def test_window_and_terminal_share_a_project_for_twenty_rounds(
    window_manager: str, tmp_path: Path
) -> None:
    display = window_manager
    work = tmp_path / "work"
    (work / "festival").mkdir(parents=True)
    clip = make_coded_clip(work / "coded.mp4", frames=120)
    shutil.copy(clip, work / "festival" / "submission.mp4")
    project = make_project(work, clip)
    env = scenario_env(display, tmp_path)
    with sqlite3.connect(project) as conn:
        before = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
    conn.close()

    window = subprocess.Popen(
        [*CLI, "open", str(project)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait(lambda: window_holds(project), "the window holding the project")
        main_window = ("--all", "--pid", str(window.pid), "--name", "Critique")
        wid = _window_id(display, *main_window)
        outputs: list[str] = []
        for round_ in range(ROUNDS):
            terminal = subprocess.Popen(
                [
                    "sh",
                    "-c",
                    " && ".join(
                        subprocess.list2cmdline(c)
                        for c in _terminal_commands(round_, project, clip, work)
                    ),
                ],
                cwd=REPO,
                env={**env, "QT_QPA_PLATFORM": "offscreen"},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            # meanwhile, in the window: one frame on, and an annotation of the frame on screen
            _press(display, main_window, "Right", "shift+n")
            out, _ = terminal.communicate(timeout=600)
            outputs.append(out)
            assert terminal.returncode == 0, f"round {round_}:\n{out}"
            assert "will show this command's changes" in out, out  # the terminal says so

        # A second `open` brings the first window forward instead of opening the project twice.
        other = subprocess.Popen(
            ["xmessage", "-geometry", "+0+0", "another program in front"],
            env={**os.environ, "DISPLAY": display},
        )
        try:
            _window_id(display, "--class", "Xmessage")
            give_keyboard(display, "--class", "Xmessage")
            second = subprocess.run(
                [*CLI, "open", str(project)],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert second.returncode == 0, second.stderr
            assert "already open in a Critique window" in second.stderr
            _wait(lambda: xdotool(display, "getactivewindow") == wid, "the first window in front")
        finally:
            other.kill()
            other.wait()

        _press(display, main_window, "ctrl+q")
        window_out, _ = window.communicate(timeout=120)
    finally:
        if window.poll() is None:
            window.kill()
            window.communicate()
    assert window.returncode == 0, window_out
    everything = window_out + "".join(outputs)
    assert "damaged" not in everything.lower(), everything

    conn = sqlite3.connect(project)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT author, value, note, start_frame FROM annotations").fetchall()
        library = conn.execute("SELECT count(*) FROM library_items").fetchone()[0]
        screened = conn.execute("SELECT count(*) FROM screenings").fetchone()[0]
        printed = conn.execute("SELECT count(*) FROM fingerprints").fetchone()[0]
    finally:
        conn.close()
    mine = [r for r in rows if r[0] == WINDOW_USER and not r[1] and not r[2]]
    imported = {r[1] for r in rows if (r[1] or "").startswith("round ")}
    assert len(mine) == ROUNDS, rows  # every key-made annotation of the window
    assert sorted(r[3] for r in mine) == list(range(1, ROUNDS + 1))  # one frame on each round
    assert imported == {f"round {r} {w} cue" for r in range(ROUNDS) for w in ("first", "second")}
    assert len(rows) == before + ROUNDS + 2 * ROUNDS
    assert library == len(range(0, ROUNDS, 4))
    assert screened == len(SCREENING_ROUNDS) and printed >= 1
