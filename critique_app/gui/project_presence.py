"""One window per project: the window that holds a project answers on a local socket.

A second `critique-app open P`, or File ▸ Open of a project another window holds, asks that
window to come forward instead of opening the project twice; a terminal command learns that
a window will show its change (critique_app.services.window_presence is the asking side and
names the socket). A window that opened a project read-only does not answer for it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtNetwork import QLocalServer, QLocalSocket

from critique_app.i18n import _
from critique_app.services.window_presence import socket_path, window_holds
from critique_app.services.workspace import ProjectWorkspace


class ProjectPresence(QObject):
    def __init__(self, window: Any, session: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.server: QLocalServer | None = None
        session.project_opened.connect(self._opened)
        session.project_closed.connect(self.stop)

    def _opened(self, project: ProjectWorkspace) -> None:
        self.stop()
        if project.path is None or project.read_only is not None:
            return
        where = socket_path(project.path)
        if where is None or window_holds(project.path):
            return  # another window answers for it (opened read-only here, or a race)
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        QLocalServer.removeServer(str(where))  # a socket left by a window that crashed
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(str(where)):
            server.deleteLater()
            return  # not fatal: the project is open, only the "one window" check is lost
        server.newConnection.connect(self._connection)
        self.server = server

    def _connection(self) -> None:
        server = self.server
        while server is not None and server.hasPendingConnections():
            client = server.nextPendingConnection()
            if client is None:
                break
            client.readyRead.connect(lambda c=client: self._request(c))
            client.disconnected.connect(client.deleteLater)
            if client.canReadLine():
                self._request(client)

    def _request(self, client: QLocalSocket) -> None:
        while client.canReadLine():
            line = bytes(client.readLine().data()).decode(errors="replace").strip()
            if line == "raise":
                self.come_forward()
            client.write(b"ok\n")
            client.flush()

    def come_forward(self) -> None:
        w = self.window
        if w.isMinimized():
            w.setWindowState(w.windowState() & ~Qt.WindowState.WindowMinimized)
        w.show()
        w.raise_()
        w.activateWindow()
        w.show_message(_("This project is already open here, in this window."))

    def stop(self) -> None:
        if self.server is not None:
            with contextlib.suppress(RuntimeError):
                self.server.close()  # removes the socket file
                self.server.deleteLater()
            self.server = None

    @staticmethod
    def held_elsewhere(path: str | Path) -> bool:
        return Path(path).suffix == ".critique" and window_holds(path)
