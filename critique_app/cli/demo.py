"""`critique-app demo [--no-gui] [--dir D]`: build (once) and open the demo project.

The demo is what `critique-app` opens the first time: a generated film imitating AI visual
regimes, signed with a local "Critique demo" certificate, annotated, with a seminar.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from critique_app.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help=_("build (once) and open the demo project"),
        description=_(
            "Build the demo project once (a 40-second generated film whose passages "
            "imitate AI visual regimes, signed with Content Credentials by a local 'Critique demo' "
            "certificate, with example annotations, reference stills and a seminar), then open it."
        ),
    )
    parser.add_argument("--no-gui", action="store_true", help=_("build only; print the paths"))
    parser.add_argument("--dir", metavar="D", help=_("build into folder D (default: user data)"))
    parser.add_argument("--rebuild", action="store_true", help=_("build again even if present"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from critique_app.cli.window import ensure_demo, open_gui
    from critique_app.paths import demo_dir

    folder = Path(args.dir).expanduser().resolve() if args.dir else demo_dir()
    demo = ensure_demo(folder, rebuild=getattr(args, "rebuild", False))
    if args.no_gui:
        print(_("project: {path}").format(path=demo.project))
        print(_("film: {path}").format(path=demo.film))
        print(_("stills: {path}").format(path=demo.stills[0].parent))
        print(_("demo CA: {path}  (critique-app verify --trust {path} FILE)").format(path=demo.ca))
        return 0
    return open_gui(demo.project)
