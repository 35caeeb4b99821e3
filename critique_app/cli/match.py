"""`critique-app match MEDIA --project P [--json]`: passages of a film matching the library.

Fingerprints the film first when the project has no (complete) fingerprints for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.domain.provenance_words import (
    ai_signal_words,
    signer_name,
    verdict_words,
    with_code,
)
from critique_app.i18n import _, ngettext


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "match",
        help=_("find passages of a film that match the project's reference library"),
        description=_(
            "Find segments of a film whose frames match library items (perceptual hash, "
            "plain or mirrored; dark and flat frames ignored; several consecutive frames needed)."
        ),
    )
    p.add_argument("media", metavar="MEDIA", help=_("the film"))
    p.add_argument(
        "--project",
        required=True,
        metavar="P",
        help=_("project file (*.critique) with the library"),
    )
    p.add_argument("--json", action="store_true", help=_("machine-readable result on stdout"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import project_to_use
    from critique_app.progress import TerminalProgress
    from critique_app.services.fingerprinting import match_film

    progress = TerminalProgress("match")
    needs = _("a film is matched against the library of an existing project")
    with project_to_use(args.project, needs=needs) as project:
        try:
            report = match_film(project, args.media, progress)
        finally:
            progress.finish()
    data = report.to_json()
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        t = data["thresholds"]
        found = ngettext(
            "{film}: {count} matching passage (frame distance <= {frame}, median <= {median}, "
            "at least {min_frames} frames).",
            "{film}: {count} matching passages (frame distance <= {frame}, median <= {median}, "
            "at least {min_frames} frames).",
            len(report.segments),
        ).format(
            film=report.film.title,
            count=len(report.segments),
            frame=t["frame"],
            median=t["median"],
            min_frames=t["min_frames"],
        )
        # two sentences, each agreeing with its own number ("against 1 library items" before)
        searched = ngettext(
            "{items} library item searched.",
            "{items} library items searched.",
            report.library_items,
        ).format(items=report.library_items)
        print(f"{found} {searched}")
        for m, segment in zip(data["matches"], report.segments, strict=True):
            if m["variant"] == "mirror":
                line = _(
                    "  {start} - {end}  frames {first}-{last}  = {label} frames "
                    "{item_first}-{item_last}, mirrored  (median {median}, worst {worst})"
                )
            else:
                line = _(
                    "  {start} - {end}  frames {first}-{last}  = {label} frames "
                    "{item_first}-{item_last}  (median {median}, worst {worst})"
                )
            print(
                line.format(
                    start=m["start_timecode"],
                    end=m["end_timecode"],
                    first=m["start_frame"],
                    last=m["end_frame"],
                    label=m["label"],
                    item_first=m["item_start"],
                    item_last=m["item_end"],
                    median=format(m["median_distance"], "g"),
                    worst=m["worst_distance"],
                )
            )
            print("    " + report.playback(segment))
            o = m.get("original_provenance")
            if o:
                print(
                    "    "
                    + _(
                        "original's Content Credentials ({note}) {verdict}, signed by "
                        "{signer}, AI signal {signal}, manifest {manifest}"
                    ).format(
                        note=_(o["note"]),
                        verdict=with_code(verdict_words, o.get("reason")),
                        signer=signer_name(o.get("signer")),
                        signal=with_code(ai_signal_words, o.get("ai_signal")),
                        manifest=o.get("manifest_label"),
                    )
                )
    for sentence in report.not_searched:
        print(f"critique-app: {sentence}", file=sys.stderr)
    if report.fingerprints.problem:
        print(
            f"critique-app: {report.fingerprints.problem}",
            file=sys.stderr,
        )
        return 1
    return 0
