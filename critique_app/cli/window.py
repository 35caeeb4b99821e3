"""Opening the window from the command line: shared by `open`, `demo` and plain `critique-app`.

Qt is imported only inside these functions, through critique_app.gui, so `--help` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from critique_app.i18n import _

if TYPE_CHECKING:
    from critique_app.services.demo import DemoProject


def open_gui(path: Path | None, *, read_only: bool = False) -> int:
    """Run the window on `path` (a project or a film; None: an empty window); `read_only`:
    another window holds the project, this one only reads it."""
    from critique_app.gui.app import run_gui

    return run_gui(path, read_only=read_only)


def ensure_demo(folder: Path, *, rebuild: bool = False) -> DemoProject:
    """The demo project in `folder`, built first (about a minute) when missing or asked for."""
    from critique_app.progress import TerminalProgress
    from critique_app.services.demo import build_demo, demo_paths, is_built

    if rebuild or not is_built(folder):
        print(
            _("Building the demo project in {folder} (once; about a minute)…").format(
                folder=folder
            ),
            file=sys.stderr,
        )
        progress = TerminalProgress("demo")
        try:
            build_demo(folder, progress)
        finally:
            progress.finish()
    return demo_paths(folder)
