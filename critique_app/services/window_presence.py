"""Which project a Critique window holds: one window per project, and the command line knows.

A window that opens a project listens on a local socket named after the project's path (the
window side is critique_app.gui.project_presence, on Qt's QLocalServer). Anything else that is
about to open the same project (`critique-app open`, a second window, a terminal command)
asks here first: a second window brings the first forward instead of opening the project
twice, and a terminal command says that the open window will show its change.

Plain sockets, no Qt: the command line must not load Qt to answer this.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import tempfile
from pathlib import Path

from critique_app.i18n import _

TIMEOUT = 2.0  # a live window answers at once; a hung one must not hang a terminal command


def socket_path(project: str | Path) -> Path | None:
    """Where the window holding `project` listens (None where Unix sockets are unavailable)."""
    if not hasattr(socket, "AF_UNIX"):
        return None
    key = hashlib.sha256(str(Path(project).expanduser().resolve()).encode()).hexdigest()[:20]
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"critique-{os.getuid() if hasattr(os, 'getuid') else 0}" / f"{key}.sock"


def _ask(project: str | Path, request: str) -> str | None:
    """Send one line to the window holding `project`; its answer, or None when none holds it."""
    where = socket_path(project)
    if where is None or not where.exists():
        return None
    with contextlib.closing(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)) as sock:
        sock.settimeout(TIMEOUT)
        try:
            sock.connect(str(where))
            sock.sendall(request.encode() + b"\n")
            answer = b""
            while not answer.endswith(b"\n"):
                chunk = sock.recv(256)
                if not chunk:
                    break
                answer += chunk
        except OSError:  # a window that crashed left its socket file: nobody holds the project
            return None
    return answer.decode(errors="replace").strip() or None


def window_holds(project: str | Path) -> bool:
    """True when a running Critique window has `project` open."""
    return _ask(project, "ping") is not None


def bring_forward(project: str | Path) -> bool:
    """Ask the window holding `project` to come to the front; False when none holds it."""
    return _ask(project, "raise") is not None


def notice_for_terminal(project: str | Path) -> str | None:
    """The sentence a terminal command prints when a window has its project open."""
    if not window_holds(project):
        return None
    return _(
        "A Critique window has {name} open: it will show this command's changes within a second."
    ).format(name=Path(project).name)
