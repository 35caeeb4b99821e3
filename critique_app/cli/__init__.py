"""The `critique-app` command: the GUI by default, sub-commands for batch work.

Each sub-command lives in its own module of this package with two functions,
`register(subparsers)` and `run(args) -> int`; heavy imports happen inside
`run` so that `critique-app --help` stays instant. Exit status: 0 success,
1 a file could not be processed (one sentence on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys
import traceback
from collections.abc import Sequence

from critique_app import __version__
from critique_app.errors import UserError

# command name -> module in this package (order = order in --help)
COMMANDS: dict[str, str] = {
    "open": "open_cmd",
    "demo": "demo",
    "probe": "probe",
    "frame": "frame",
    "verify": "verify",
    "trust": "trust_cmd",
    "fingerprint": "fingerprint",
    "library": "library",
    "match": "match",
    "screen": "screen",
    "reanchor": "reanchor",
    "shots": "shots",
    "export": "export",
    "import": "import_cmd",
    "agreement": "agreement",
    "compare": "compare",
}


def available_commands() -> dict[str, str]:
    """Commands whose module exists (features land issue by issue)."""
    return {
        name: module
        for name, module in COMMANDS.items()
        if importlib.util.find_spec(f"critique_app.cli.{module}") is not None
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="critique-app",
        description="Annotate and critique AI-generated sequences in films, frame by frame; "
        "check their provenance; turn annotations into seminar material. "
        "Without a command, opens the GUI (last project, else the demo).",
    )
    parser.add_argument("--version", action="version", version=f"critique-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in available_commands().values():
        importlib.import_module(f"critique_app.cli.{module}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--provenance-worker"]:
        # The bundled app has no `python -m`: it re-runs itself as the isolated C2PA reader.
        from critique_app.provenance.worker import serve

        serve(int(args_list[1]))
        return 0
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exit_.code or 0)
    if args.command is None:
        from critique_app.cli.open_cmd import run_default

        return run_default()
    _say_if_a_window_holds(args)
    try:
        return int(args.func(args) or 0)
    except UserError as err:
        print(f"critique-app: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("critique-app: interrupted.", file=sys.stderr)
        return 130
    except Exception:  # a bug: say so, keep the traceback in the log
        from critique_app.paths import log_file

        path = log_file()
        logging.basicConfig(filename=path, level=logging.ERROR)
        logging.getLogger("critique").error("unexpected error\n%s", traceback.format_exc())
        print(
            f"critique-app: unexpected error (a bug); details in {path}:\n"
            f"{traceback.format_exc(limit=1).strip().splitlines()[-1]}",
            file=sys.stderr,
        )
        return 1


def _say_if_a_window_holds(args: argparse.Namespace) -> None:
    """A window open on the project this command uses will show its changes: say so, so
    nobody wonders whether to close the window first (nothing needs closing)."""
    project = getattr(args, "project", None)
    if args.command == "open" or not project or not str(project).endswith(".critique"):
        return
    from critique_app.services.window_presence import notice_for_terminal

    notice = notice_for_terminal(project)
    if notice is not None:
        print(notice, file=sys.stderr)
