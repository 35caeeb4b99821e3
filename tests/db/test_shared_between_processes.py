"""One project, two processes: the window keeps it open while a terminal command opens and
closes it. Nothing the window writes afterwards may be lost.

Found by a user: with the window open, `critique-app match … --project P` in a terminal made
the window's next edit vanish (or fail as "damaged"). The window's workers opened their own
connection through `open_project`, which read the file's header with a plain open()/close().
Closing any descriptor on a file drops every POSIX lock the process holds on it, the window's
own connection's too. The terminal command, closing last as far as the locks told it, folded
and deleted the -wal and -shm, and the window went on writing into the deleted WAL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from db.project import open_project


def _in_another_process(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def _tier_names(path: Path) -> set[str]:
    """An independent reader: Python's sqlite3 in another process, not our code."""
    out = _in_another_process(
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1] if len(sys.argv) > 1 else "
        f"{str(path)!r}); print('\\n'.join(r[0] for r in c.execute('SELECT name FROM tiers')))"
    )
    return set(out.split())


def test_an_edit_after_a_command_closed_the_project_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "class.critique"
    with open_project(path) as window:
        window.repo.add_tier("Before", author="ines")
        for _round in range(3):
            # a worker of the window: its own connection, opened and closed
            with open_project(path) as worker:
                worker.repo.tiers()
            # a terminal command on the same project
            _in_another_process(
                "from db.project import open_project\n"
                f"with open_project({str(path)!r}) as p:\n"
                f"    p.repo.add_tier('Terminal{_round}', author='cli')\n"
            )
            assert Path(f"{path}-wal").exists(), "the terminal command deleted the open WAL"
            window.repo.add_tier(f"After{_round}", author="ines")
        names = _tier_names(path)
        assert {"Before", "After0", "After1", "After2"} <= names
        assert {"Terminal0", "Terminal1", "Terminal2"} <= names
    assert not Path(f"{path}-wal").exists()  # the last close folds the WAL in: one file to copy
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_command_that_is_not_a_project_is_refused_without_touching_locks(tmp_path: Path) -> None:
    import pytest

    from critique_app.errors import UserError

    fake = tmp_path / "notes.critique"
    fake.write_text("not a database, just notes\n" * 10)
    with pytest.raises(UserError, match="not an SQLite database file"):
        open_project(fake)
    assert fake.read_text().startswith("not a database")


def test_processes_opening_an_older_project_at_once_migrate_it_once(tmp_path: Path) -> None:
    """The window and terminal commands open a project from an older version at the same
    moment: one of them migrates it, the others wait for the write lock and find it done."""
    from db.schema import latest_version, migrate

    path = tmp_path / "older.critique"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    migrate(conn, upto=2)
    conn.close()
    start = tmp_path / "go"
    opener = (
        "import sys, time, pathlib\n"
        "from db.project import open_project\n"
        f"go = pathlib.Path({str(start)!r})\n"
        "while not go.exists(): time.sleep(0.005)\n"
        f"with open_project({str(path)!r}, timeout=60) as p: print(p.repo.tiers() is not None)\n"
    )
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", opener],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    start.touch()
    results = [p.communicate(timeout=120) for p in openers]
    assert [p.returncode for p in openers] == [0] * 4, results
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()
