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
