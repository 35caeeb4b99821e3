"""Two connections writing to one project (the window and a worker): a transaction that reads
before it writes waits for the other writer instead of failing with "database is locked".

Found by five fresh-clone runs in a row: moving annotations onto a copy failed once, because
the worker's fingerprint append (SELECT, then UPDATE in one deferred transaction) met a
thumbnail the window had just stored (SQLITE_BUSY_SNAPSHOT: refused at once, no waiting)."""

from __future__ import annotations

import threading
from pathlib import Path

from db.project import open_project


def test_a_read_then_write_transaction_waits_for_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "class.critique"
    with open_project(path) as project:
        project.repo.add_tier("Window", author="ines")
    errors: list[BaseException] = []

    def other_writer() -> None:  # a worker: its own connection, one small write
        try:
            with open_project(path) as other, other.db.atomic():
                other.db.execute("UPDATE tiers SET name = 'Worker' WHERE name = 'Window'")
        except BaseException as err:  # reported to the test below
            errors.append(err)

    with open_project(path) as project:
        with project.db.atomic():
            (count,) = project.db.execute("SELECT count(*) FROM tiers").fetchone()
            worker = threading.Thread(target=other_writer)
            worker.start()
            # Deferred, the other write would be committed now and ours refused at once.
            # Immediate, the other one waits for our commit (its busy timeout is 5 s).
            worker.join(timeout=1.0)
            project.db.execute("INSERT INTO tiers (name, author) VALUES ('Later', 'ines')")
        worker.join()
    assert count == 1 and not errors, errors
    with open_project(path) as project:
        names = sorted(r[0] for r in project.db.execute("SELECT name FROM tiers"))
    assert names == ["Later", "Worker"]


def test_a_window_that_sees_a_workers_commit_sees_it_counted_as_its_own(
    tmp_path: Path, monkeypatch
) -> None:
    """The window blames another program for what moved data_version unless this process's
    workers counted a commit. Seen the instant the worker's COMMIT lands (before the line after
    it runs), the commit must already be counted: the French window said « Ce projet a été
    modifié par un autre programme » one second before its own import's summary."""
    from db.project import ProjectDatabase

    path = tmp_path / "class.critique"
    seen: list[tuple[bool, int]] = []
    with open_project(path) as window, open_project(path) as worker:
        before = window.data_version(), window.background_commits()
        real_commit = ProjectDatabase._commit

        def commit_then_look(db: ProjectDatabase) -> None:
            real_commit(db)
            if db is worker.db:  # the window's poll, at the worst moment
                seen.append((window.data_version() != before[0], window.background_commits()))

        monkeypatch.setattr(ProjectDatabase, "_commit", commit_then_look)
        worker.repo.add_tier("Imported subtitles", author="")
    assert seen == [(True, before[1] + 1)]
