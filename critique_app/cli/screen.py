"""`critique-app screen FOLDER... --project P [--workers N | --scheduler ADDR] [--json] [--report OUT.html]`.

A jury's screening: every media file under the folders is verified, fingerprinted and matched
against the project's library on Dask, results stored in the project as they arrive. A second
run skips what is done. Exit 1 when a file could not be processed (named on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import _, ngettext


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "screen",
        help=_("screen folders of submissions on Dask: credentials, AI signal, library matches"),
        description=_(
            "Screen every film and still under the folders (found by content; .c2pa "
            "sidecars paired): SHA-256, Content Credentials (as `verify`), fingerprints and "
            "matches against the project's library, one Dask task per file. Results go into the "
            "project as they arrive; running again skips files already screened with the same "
            "settings. The table is ranked so what needs a human eye comes first."
        ),
    )
    p.add_argument("folders", nargs="+", metavar="FOLDER", help=_("folders (or files) to screen"))
    p.add_argument(
        "--project",
        required=True,
        metavar="P",
        help=_(
            "project file (*.critique) with the library; the results are stored in it "
            "(created when missing: says `created P`)"
        ),
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=_positive, default=None, metavar="N",
        help=_("worker processes of a local Dask cluster (default: one per core)"),
    )  # fmt: skip
    where.add_argument(
        "--scheduler", default=None, metavar="ADDRESS",
        help=_("use an existing Dask cluster, e.g. tcp://host:8786 (workers must see the files "
        "at the same paths: shared storage)"),
    )  # fmt: skip
    p.add_argument(
        "--trust", default="all", metavar="all|c2pa|interim|none|PEM",
        help=_("trust lists for the credentials, as for `verify` (default: all)"),
    )  # fmt: skip
    p.add_argument(
        "--json", action="store_true", help=_("the ranked table and results as JSON on stdout")
    )
    p.add_argument(
        "--report", default=None, metavar="OUT.html",
        help=_("write an HTML report of the table, with OUT.csv and OUT.json beside it"),
    )  # fmt: skip
    p.set_defaults(func=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("must be a whole number of 1 or more, not '{text}'").format(text=text)
        )
    return value


class _Bar:
    """Files done/total, rate, time left and failures on one redrawn stderr line."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False
        self.dashboard_said = False

    def status(self, status: Any) -> None:
        if status.dashboard and not self.dashboard_said:
            self.say(_("Dask dashboard: {link}").format(link=status.dashboard))
        if not self.tty:
            return
        width = 24
        filled = int(width * status.done / status.total) if status.total else 0
        sys.stderr.write(f"\rscreen [{'#' * filled}{'.' * (width - filled)}] {status.line():<60}")
        sys.stderr.flush()
        self.shown = True

    def client(self, client: Any) -> None:
        from critique_app.services.screening_cluster import _dashboard, has_dashboard

        link = _dashboard(client, local=getattr(client, "cluster", None) is not None)
        if link:
            self.say(_("Dask dashboard: {link}").format(link=link))
        elif not has_dashboard():
            self.say(_("No Dask dashboard: it needs bokeh (pip install bokeh)."))
        self.dashboard_said = True

    def say(self, text: str) -> None:
        self.finish()
        print(text, file=sys.stderr)

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from critique_app.cli.projects import project_to_use
    from critique_app.errors import Cancelled
    from critique_app.services.screening_cluster import run_screening
    from critique_app.services.screening_table import ranked, row_of
    from db import screening_store

    bar = _Bar()
    with project_to_use(args.project) as project:
        try:
            summary = run_screening(
                project,
                args.folders,
                trust=args.trust,
                workers=args.workers,
                scheduler=args.scheduler,
                on_status=bar.status,
                on_client=bar.client,
            )
        except (Cancelled, KeyboardInterrupt):
            bar.finish()
            print(
                _(
                    "critique-app: stopped; every file screened so far is stored in the project "
                    "and the next run resumes."
                ),
                file=sys.stderr,
            )
            return 130
        finally:
            bar.finish()
        results = screening_store.results(project.db, summary.settings_key)
    wanted = _paths_under(args.folders)
    results = [r for r in results if _under(r.path, wanted)]
    rows = ranked(row_of(r) for r in results)
    for sentence in summary.sentences():
        print(sentence, file=sys.stderr)
    if args.report:
        from critique_app.services.screening_report import write_report

        files = write_report(
            rows,
            args.report,
            title=", ".join(Path(f).name for f in args.folders),
            notes=summary.library_notes(),
        )
        print(
            _("Report: {report} (with {table} and {data})").format(
                report=files.html, table=files.csv.name, data=files.json.name
            ),
            file=sys.stderr,
        )
    if args.json:
        out = {
            "settings_key": summary.settings_key,
            "found": summary.found,
            "screened": summary.screened,
            "already_done": summary.already_done,
            "moved": summary.moved,
            "skipped": summary.skipped,
            "failed": summary.failed,
            "not_seen": summary.not_seen,
            "workers": summary.workers,
            "library_too_plain": summary.plain_items,  # items no copy of which can be found
            "rows": [r.to_json() for r in rows],
            "results": [r.to_json() for r in results],
        }
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        needs = [r for r in rows if r.needs_eye]
        print(
            ngettext(
                "{count} submission; {needs} need a human eye:",
                "{count} submissions; {needs} need a human eye:",
                len(rows),
            ).format(count=len(rows), needs=len(needs))
        )
        for r in rows:
            flag = "!" if r.needs_eye else " "
            signal = r.ai_signal_words or _("not checked")
            if r.match_count:
                line = ngettext(
                    "{flag} {name}  [{verdict}, AI signal {signal}; {matches} match]  {reason}",
                    "{flag} {name}  [{verdict}, AI signal {signal}; {matches} matches]  {reason}",
                    r.match_count,
                )
            else:
                line = _("{flag} {name}  [{verdict}, AI signal {signal}]  {reason}")
            print(
                line.format(
                    flag=flag,
                    name=r.name,
                    verdict=r.verdict,
                    signal=signal,
                    matches=r.match_count,
                    reason=r.rank_reason,
                )
            )
    for sentence in summary.failed:
        print(f"critique-app: {sentence}", file=sys.stderr)
    return 1 if summary.failed or summary.not_seen else 0


def _paths_under(folders: list[str]) -> list[str]:
    from pathlib import Path

    return [str(Path(f).resolve()) for f in folders]


def _under(path: str, roots: list[str]) -> bool:
    import os

    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
