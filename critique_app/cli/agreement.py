"""`critique-app agreement P [--film F] [--tiers T...] [--by author|tier] [--json] [--seminar NAME]`.

How far a class's annotations of a film agree: Krippendorff's alpha overall and per category,
Cohen's kappa and frame IoU per pair, and the passages of most disagreement (which --seminar
adds to a seminar, created when needed).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.i18n import _, ngettext


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "agreement",
        help=_("how far a class's annotations of a film agree (alpha, kappa, IoU)"),
        description=_(
            "Measure the agreement of the annotators (authors, or tiers) of a film: "
            "Krippendorff's alpha (nominal) over the category labels, overall and per category "
            "against the rest; Cohen's kappa and the frame overlap (IoU) per category for each "
            "pair; the passages with the most disagreement, with timecodes. Units are the frames "
            "that at least one annotator marked; unmarked frames count as 'none'. An annotation "
            "without category counts as 'uncategorised'; where one annotator's annotations "
            "overlap, the shortest gives the value."
        ),
    )
    p.add_argument("project", metavar="P", help=_("project file (*.critique), e.g. a merged class"))
    p.add_argument(
        "--film",
        metavar="F",
        help=_("the film (title, file name, id); default: every annotated film"),
    )
    p.add_argument(
        "--tiers", nargs="+", metavar="TIER", help=_("only annotations in these tiers (names)")
    )
    p.add_argument(
        "--by",
        choices=["author", "tier"],
        default="author",
        help=_("who is an annotator: each author (default) or each tier"),
    )
    p.add_argument(
        "--passages", type=int, default=10, metavar="N", help=_("passages of disagreement listed")
    )
    p.add_argument(
        "--seminar",
        metavar="NAME",
        help=_("add the passages of most disagreement to this seminar (created if needed)"),
    )
    p.add_argument("--json", action="store_true", help=_("machine-readable result on stdout"))
    p.set_defaults(func=run)


def _number(x: float | None) -> str:
    return _("n/a") if x is None else f"{x:.3f}"


def _print(report: Any) -> None:
    print(report.sentence())
    for note in report.notes:
        print("  " + _("note: {note}").format(note=note))
    if report.categories:
        print("  " + _("per category (against the rest):"))
        for c in report.categories:
            frames = ngettext("{count} frame", "{count} frames", c.frames).format(count=c.frames)
            print(f"    {c.label:<40} alpha {_number(c.alpha):>7}  {frames}")
    if report.pairs:
        print("  " + _("pairs:"))
        for p in report.pairs:
            print(f"    {p.a} / {p.b}: kappa {_number(p.kappa)}")
    if report.passages:
        print("  " + _("passages with the most disagreement:"))
        for d in report.passages:
            print(
                "    "
                + _(
                    "{start} - {end} (frames {first}-{last}, {share} of pairs differ): {said}"
                ).format(
                    start=d.in_tc,
                    end=d.out_tc,
                    first=d.range.start,
                    last=d.range.end,
                    share=f"{d.disagreement:.0%}",
                    said="; ".join(f"{k}: {v}" for k, v in d.said.items()),
                )
            )


def run(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import project_to_use
    from critique_app.errors import UserError
    from critique_app.services.agreement import add_disagreements_to_seminar, class_agreement

    if args.passages < 0:
        raise UserError(_("--passages must be 0 or more."))
    with project_to_use(args.project, needs=_("there are no annotations to compare")) as project:
        reports = class_agreement(
            project, film=args.film, by=args.by, tiers=args.tiers, passages=args.passages
        )
        added = None
        if args.seminar:
            added = add_disagreements_to_seminar(project, reports, args.seminar)
    if args.json:
        out: dict[str, Any] = {"films": [r.to_json() for r in reports]}
        if added is not None:
            out["seminar"] = {"name": added[0].name, "items_added": len(added[1])}
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for report in reports:
            _print(report)
        if added is not None:
            n = len(added[1])
            print(
                ngettext(
                    "{count} passage added to the seminar '{name}'.",
                    "{count} passages added to the seminar '{name}'.",
                    n,
                ).format(count=n, name=added[0].name)
            )
    return 0
