"""`critique-app trust list [--json]` and `critique-app trust update FILE... --list L [--date D]`.

Which trust files verification uses (list, date, SHA-256, number of certificates, shipped or
installed) and the history of changes; `update` installs newer lists the user brings, keeps
the old ones, and records the change so a re-check of a file shows a different list.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import N_, _, ngettext

# a trust file's role is a code (`--json`, the record of installed lists); the listing says it
# in words (its origin too: provenance.trust.origin_words)
ROLE_WORDS = {
    "anchors": N_("anchors"),
    "allowed": N_("allowed certificates"),
    "config": N_("configuration"),
}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "trust",
        help=_("the trust lists verification uses: list them, install newer ones"),
        description=_(
            "Show or update the trust lists used by `verify` (C2PA, CAI interim, and "
            "the CAWG identity list). Offline: newer lists are files you bring."
        ),
    )
    sub = p.add_subparsers(dest="trust_command", metavar="ACTION", required=True)
    ls = sub.add_parser(
        "list",
        help=_("every trust file in use, with date, SHA-256 and number of certificates"),
        description=_(
            "Print every trust file in use (list, file, role, date, SHA-256, number "
            "of certificates, shipped or installed) and the history of updates."
        ),
    )
    ls.add_argument("--json", action="store_true", help=_("machine-readable output on stdout"))
    ls.set_defaults(func=run_list)
    up = sub.add_parser(
        "update",
        help=_("install newer trust lists you bring (the old ones are kept)"),
        description=_(
            "Install PEM (or .cfg) files as the newer version of the list --list names: "
            "user for certificates of your own (reports name it as your own trust list), or "
            "c2pa, interim or cawg for a newer copy of that official list. Files of the list "
            "not given again stay in use."
        ),
    )
    up.add_argument("files", nargs="+", metavar="FILE", help=_("PEM files (or a .cfg of EKUs)"))
    up.add_argument(
        "--list",
        choices=("user", "c2pa", "interim", "cawg"),
        help=_("the list they update (required): user, or an official list's newer copy"),
    )
    up.add_argument(
        "--date", metavar="YYYY-MM-DD", help=_("the lists' own date (default: today, UTC)")
    )
    up.set_defaults(func=run_update)


def run_list(args: argparse.Namespace) -> int:
    from critique_app.domain.provenance_words import trust_list_words
    from critique_app.provenance.trust import origin_words
    from critique_app.provenance.trust_store import file_json, listing

    files, history = listing()
    if args.json:  # the lists by their keys, for scripts
        out = {"files": [file_json(f) for f in files], "history": history}
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    heading = None
    for f in files:
        if f.list != heading:
            heading = f.list
            # Translators: {list} is a trust list's name, e.g. "the C2PA trust list"
            print(_("Files of {list}:").format(list=trust_list_words(f.list)))
        print(
            ngettext(
                "  {file}  {role}, dated {date}, {count} certificate, sha256 {digest}, {origin}",
                "  {file}  {role}, dated {date}, {count} certificates, sha256 {digest}, {origin}",
                f.anchors,
            ).format(
                file=f.file,
                role=_(ROLE_WORDS.get(f.role, f.role)),
                date=f.date or "—",
                count=f.anchors,
                digest=f.sha256,
                origin=origin_words(f.origin),
            )
        )
    if history:
        print(_("Updates:"))
    for h in history:
        before = h.get("before") or {}
        after = h.get("after") or {}
        print(
            _("  {when}  {list}: {before} → {after}").format(
                when=h["when"],
                list=trust_list_words(h["list"]),
                before=before.get("date", _("none")),
                after=after.get("date"),
            )
        )
    return 0


def run_update(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import UsageError
    from critique_app.provenance.trust_store import update

    if args.list is None:  # never guessed from a file name: an official list's name vouches
        raise UsageError(
            _(
                "trust update needs --list: use --list user for certificates of your own "
                "(reports name them as your own trust list, never as an official one), or "
                "--list c2pa, interim or cawg only for a newer copy of that official list."
            )
        )
    for sentence in update(args.files, args.list, args.date):
        print(sentence)
    return 0
