"""`critique-app open PATH` and plain `critique-app`: open the GUI on a project or a film.

Without a command the last project opens, else the demo (built once). Qt is imported only
when the window opens (critique_app.cli.window).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from critique_app.cli.window import ensure_demo, open_gui
from critique_app.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "open",
        help="open a project (*.critique) or a film in the GUI",
        description="Open a project (*.critique, created when missing) or a media file in the GUI.",
    )
    # optional: the desktop entry runs `critique-app open %f`, and %f is empty from the menu
    parser.add_argument("path", metavar="PATH", nargs="?", help="a project file or a film")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.path is None:
        return run_default()
    path = Path(args.path).expanduser()
    if path.suffix != ".critique" and not path.exists():
        raise UserError(f"{path} does not exist.")
    if path.suffix != ".critique" and not path.is_file():
        raise UserError(f"{path} is not a file.")
    return open_gui(path)


def run_default() -> int:
    """`critique-app` alone: the last project, else the demo (built once)."""
    from critique_app.gui.app import last_project
    from critique_app.paths import demo_dir

    path = last_project()
    if path is None:
        path = ensure_demo(demo_dir()).project
    return open_gui(path)
