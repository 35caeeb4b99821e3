"""argparse's own words ("usage:", "options", its error sentences) in the user's language.

argparse calls the `gettext` module's `_` and `ngettext` for them, in the domain of whatever
program runs it; Critique's catalogue holds them instead (marked below, so extraction finds
them), and `translate_argparse` points argparse at critique_app.i18n. The list covers the
Python versions Critique runs on (3.10 said "optional arguments", later ones "options"); the
pseudo-locale test of every --help finds one a new Python adds.
"""

from __future__ import annotations

import argparse

from critique_app import i18n
from critique_app.i18n import N_, ngettext

ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("optional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _plural_words(n: int) -> str:
    """Only here for extraction: argparse's one plural sentence."""
    return ngettext("expected %s argument", "expected %s arguments", n)


def translate_argparse() -> None:
    """argparse's words through Critique's catalogue from now on (its module-level `_` and
    `ngettext` are looked up at each call, so rebinding them is enough)."""
    argparse.__dict__.update(_=i18n._, ngettext=i18n.ngettext)
