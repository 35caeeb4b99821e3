"""The `critique-app` command: the GUI by default, sub-commands for batch work.

Each sub-command lives in its own module of this package with two functions,
`register(subparsers)` and `run(args) -> int`; heavy imports happen inside
`run` so that `critique-app --help` stays instant. Exit status: 0 success (also when the
reader of the output went away, as `| head` does), 1 a file could not be processed (one
sentence on stderr), 2 usage error (a bad option, or a project that does not exist given to a
command that needs one: see critique_app.cli.projects), 130 interrupted.

Every sentence is in the language chosen by `--language`, else the computer's (LANG,
LANGUAGE), through critique_app.i18n; argparse's own words ("usage:", "options"...) too
(critique_app.cli.argparse_words). The language is chosen before the parser is built, since
the help texts are translated as the sub-commands register them.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import importlib.util
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO

from critique_app import __version__, i18n
from critique_app.cli.argparse_words import translate_argparse
from critique_app.errors import UserError
from critique_app.i18n import _

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
    "lens": "lens",
    "track": "track",
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
    translate_argparse()
    parser = argparse.ArgumentParser(
        prog="critique-app",
        description=_(
            "Annotate and critique AI-generated sequences in films, frame by frame; "
            "check their provenance; turn annotations into seminar material. "
            "Without a command, opens the GUI (last project, else the demo)."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"critique-app {__version__}",
        help=_("show the version of Critique and exit"),
    )
    parser.add_argument(
        "--language",
        dest="interface_language",
        choices=list(i18n.LANGUAGES),
        metavar="LANG",
        help=_(
            "the language of the window, the messages and the exports: en or fr (default: "
            "the one set in Preferences, else the computer's)"
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in available_commands().values():
        importlib.import_module(f"critique_app.cli.{module}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit status. Output into a closed pipe (`... | head -1`) ends the
    command quietly with status 0, as Python's documentation advises for SIGPIPE."""
    try:
        status = _main(argv)
        _flush(sys.stdout)  # a closed pipe shows here at the latest, not at interpreter exit
        return status
    except BrokenPipeError:
        return _pipe_closed()


def _main(argv: Sequence[str] | None) -> int:
    from critique_app.cli.projects import finish_command, say_if_a_window_holds

    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--provenance-worker"]:
        # The bundled app has no `python -m`: it re-runs itself as the isolated C2PA reader.
        from critique_app.provenance.worker import serve

        serve(int(args_list[1]))
        return 0
    explicit = language_asked(args_list)
    i18n.use(i18n.choose(explicit), explicit=explicit is not None)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exit_.code or 0)
    if args.command is None:
        from critique_app.cli.open_cmd import run_default

        return run_default()
    say_if_a_window_holds(args)
    status: int | None = None
    try:
        status = int(args.func(args) or 0)
        _flush(sys.stdout)
        return status
    except BrokenPipeError:
        raise
    except UserError as err:
        if _is_broken_pipe(err):
            raise BrokenPipeError from err
        print(f"critique-app: {err}", file=sys.stderr)
        return int(getattr(err, "exit_status", 1))
    except KeyboardInterrupt:
        print("critique-app: " + _("interrupted."), file=sys.stderr)
        return 130
    except Exception as err:  # a bug: say so, keep the traceback in the log
        if _is_broken_pipe(err):
            raise BrokenPipeError from err
        from critique_app.paths import log_file

        path = log_file()
        logging.basicConfig(filename=path, level=logging.ERROR)
        logging.getLogger("critique").error("unexpected error\n%s", traceback.format_exc())
        last_line = traceback.format_exc(limit=1).strip().splitlines()[-1]
        print(
            "critique-app: "
            + _("unexpected error (a bug); details in {log}:").format(log=path)
            + f"\n{last_line}",
            file=sys.stderr,
        )
        return 1
    finally:
        finish_command(status)


def language_asked(args: Sequence[str]) -> str | None:
    """The value of `--language` in the arguments (the last one when given twice), before
    they are parsed: the help texts must be translated before the parser is built. The
    export's own --language chooses the messages' language too, which is what one expects."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--language" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--language="):
            found = arg.split("=", 1)[1]
    return found


def _flush(stream: TextIO) -> None:
    with contextlib.suppress(ValueError):  # a stream already closed: nothing to flush
        stream.flush()


def _is_broken_pipe(err: BaseException | None) -> bool:
    """A write into a closed pipe, even when a library wrapped it in another exception."""
    seen = 0
    while err is not None and seen < 10:
        if isinstance(err, BrokenPipeError) or (
            isinstance(err, OSError) and err.errno == errno.EPIPE
        ):
            return True
        err = err.__cause__ or err.__context__
        seen += 1
    return False


def _pipe_closed() -> int:
    """The reader of stdout (or stderr) went away: point both at devnull, so that Python's
    own flush at exit writes nowhere instead of failing, and end with status 0."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return 0
