"""`critique-app open PATH` and plain `critique-app`: open the GUI on a project or a film.

Without a command the last project opens, else the demo (built once). Qt is imported only
when the window opens (critique_app.cli.window).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from critique_app.cli.window import ensure_demo, open_gui
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.services.window_presence import bring_forward, window_holds


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "open",
        help=_("open a project (*.critique) or a film in the GUI"),
        description=_(
            "Open a project (*.critique, created when missing) or a media file in the GUI."
        ),
    )
    # optional: the desktop entry runs `critique-app open %f`, and %f is empty from the menu
    parser.add_argument("path", metavar="PATH", nargs="?", help=_("a project file or a film"))
    parser.add_argument(
        "--read-only",
        action="store_true",
        help=_(
            "when another window has the project open, open a second one that only reads it "
            "(without this, the window that has it comes to the front)"
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.path is None:
        return run_default()
    path = Path(args.path).expanduser()
    if path.suffix != ".critique" and not path.exists():
        raise UserError(_("{path} does not exist.").format(path=path))
    if path.suffix != ".critique" and not path.is_file():
        raise UserError(_("{path} is not a file.").format(path=path))
    if path.suffix == ".critique" and window_holds(path):
        if not args.read_only:
            bring_forward(path)
            print(
                _(
                    "{name} is already open in a Critique window: it is in front now. (--read-only opens a second window that only reads it.)"
                ).format(name=path.name),
                file=sys.stderr,
            )
            return 0
        return open_gui(path, read_only=True)
    return open_gui(path)


def run_default() -> int:
    """`critique-app` alone: the last project, else the demo (built once)."""
    from critique_app.gui.app import last_project
    from critique_app.paths import demo_dir

    path = last_project()
    if path is None:
        path = ensure_demo(demo_dir()).project
    if bring_forward(path):  # the last project is open already: that window comes forward
        print(
            _("{name} is already open in a Critique window: it is in front now.").format(
                name=path.name
            ),
            file=sys.stderr,
        )
        return 0
    return open_gui(path)
