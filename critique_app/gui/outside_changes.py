"""What another process wrote into the open project: the window shows it within a second.

A jury member runs `critique-app match` or `screen` in a terminal while the window is open on
the same project; a teacher imports a class's files. SQLite's `PRAGMA data_version` moves
when another connection commits (it costs a few microseconds: a read of shared memory, so a
timer on the GUI thread is cheaper than a round trip through the task runner). The project's
edit counters then say what moved, and only those panels re-read.

The window's own edits move the counters too, but not data_version: after each of them the
counters are taken again as the new baseline, so an own edit never triggers a re-read.

The window's own background work (an import, fingerprints, a merge) writes on connections of
its own, which move data_version as another program would. The project counts the commits of
this process's other connections: when they moved too, what moved is re-read all the same but
reported as (possibly) the window's own (`by_another_program` False), so the status bar keeps
the work's own sentence ("…; Ctrl+Z takes them back.") instead of blaming another program.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from critique_app.services.workspace import ProjectWorkspace

POLL_MS = 400  # "within a second", with room for the re-read itself


class OutsideChanges(QObject):
    """Emits `changed(frozenset of topics)` when another process wrote into the project."""

    # frozenset[str] ("annotations", "structure", "library"…), and whether another program
    # wrote it (False: the window's own background work may have, or did)
    changed = pyqtSignal(object, bool)

    def __init__(self, session: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._version: int | None = None
        self._counts: dict[str, int] = {}
        self._background = 0  # commits of the window's own workers, at the last look
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        session.project_opened.connect(self._opened)
        session.project_closed.connect(self._closed)
        session.changed.connect(lambda _change: self._look(own_edit=True))  # new baseline

    def _opened(self, project: ProjectWorkspace) -> None:
        self._version = project.data_version()
        self._counts = project.edit_counts()
        self._background = project.background_commits()
        self._timer.start()

    def _closed(self) -> None:
        self._timer.stop()
        self._version, self._counts = None, {}

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> None:
        self._look(own_edit=False)

    def _look(self, *, own_edit: bool) -> None:
        project = self.session.project
        if project is None or self._version is None:
            return
        try:
            version = project.data_version()
            if version == self._version and not own_edit:
                return  # nobody else wrote: nothing to read
            counts = project.edit_counts()
            background = project.background_commits()
        except Exception:  # noqa: BLE001 - a closing or failing project: the next open resets
            return
        moved = frozenset(t for t, n in counts.items() if self._counts.get(t) != n)
        outside = version != self._version
        by_another_program = background == self._background  # no worker of ours wrote
        self._version, self._counts, self._background = version, counts, background
        if outside and moved:  # may include our own edit's topic: one harmless extra re-read
            self.changed.emit(moved, by_another_program)
