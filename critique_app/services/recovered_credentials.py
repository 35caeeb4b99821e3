"""Credentials recovered by content: a copy stripped of its manifest, traced to a signed original.

When a library item is added from a file with Content Credentials, the summary of its verify
report is kept with it. A copy whose pictures match such an item (re-encoded, cropped,
re-timed: the manifest is gone) can then be told what the original declared. This mirrors
C2PA's soft-binding lookup, with the project's library as the manifest repository, offline.
It is an inference from pictures, never a signature on the copy: every place that shows it
says so with RECOVERED_WORDING.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

from critique_app.domain.provenance_words import (
    ai_signal_words,
    signer_name,
    trust_list_words,
    verdict_words,
    with_code,
)
from critique_app.i18n import _
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.provenance.matching import MatchSegment
from critique_app.provenance.recovered import (
    OWN_CREDENTIALS_STAND,
    RECOVERED_WORDING,
)
from critique_app.services.fingerprinting import segments_of_file


def needs_recovery(report_json: dict[str, Any]) -> bool:
    """A file with no manifest of its own, or one that does not stand (invalid, unreadable)."""
    c = report_json["c2pa"]
    return not c.get("present") or c.get("state") not in OWN_CREDENTIALS_STAND


def recovered_entries(
    segments: list[MatchSegment],
    credentials_of: Callable[[int], dict[str, Any] | None],
    describe_item: Callable[[int], dict[str, Any]],
) -> list[dict[str, Any]]:
    """One entry per matched library item that has credentials: `{item, segments,
    median_distance, original, note}`, closest first."""
    by_item: dict[int, list[MatchSegment]] = {}
    for s in segments:
        by_item.setdefault(s.item_id, []).append(s)
    out = []
    for item_id, segs in by_item.items():
        original = credentials_of(item_id)
        if original is None:
            continue
        out.append(
            {
                "item": describe_item(item_id),
                "segments": [
                    {
                        "start_frame": s.start,
                        "end_frame": s.end,
                        "item_start": s.item_start,
                        "item_end": s.item_end,
                        "variant": s.variant,
                        "median_distance": s.median_distance,
                        "matched_frames": s.matched_frames,
                    }
                    for s in segs
                ],
                "median_distance": float(
                    median(d for s in segs for d in [s.median_distance] * s.matched_frames)
                ),
                "original": original,
                "note": RECOVERED_WORDING,
            }
        )
    return sorted(out, key=lambda e: e["median_distance"])


def recover_by_content(
    project_path: str | Path, path: str | Path, progress: Progress = NO_PROGRESS
) -> list[dict[str, Any]]:
    """Signed library originals whose pictures the file shows (the project is only read)."""
    from db import fingerprint_store as store
    from db.project import open_project

    with open_project(project_path) as project:
        items = {i.id: i for i in store.library_items(project.db)}
        if not any(i.credentials for i in items.values()):
            return []
        segments = segments_of_file(project, path, progress)
    return recovered_entries(
        segments,
        lambda i: items[i].credentials,
        lambda i: {
            "id": i,
            "label": items[i].label,
            "path": items[i].path,
            "sha256": items[i].sha256,
            "kind": items[i].kind,
        },
    )


def recovered_lines(entries: list[dict[str, Any]]) -> list[str]:
    """The CLI's text for recovered credentials (indented under a verify block)."""
    if not entries:
        return []
    lines = [
        "  "
        + _("Credentials recovered by content ({wording})").format(wording=_(RECOVERED_WORDING))
    ]
    for e in entries:
        o, item = e["original"], e["item"]
        frames = ", ".join(f"{s['start_frame']}-{s['end_frame']}" for s in e["segments"])
        lines.append(
            "    "
            + _(
                "matches library item '{label}' (frames {frames}, median distance {median}): "
                "original {verdict}, signed by {signer}, vouched for by {trust_list}, "
                "AI signal {signal}, manifest {manifest}"
            ).format(
                label=item["label"],
                frames=frames,
                median=format(e["median_distance"], "g"),
                verdict=with_code(verdict_words, o.get("reason")),
                signer=signer_name(o.get("signer")),
                trust_list=trust_list_words(o.get("trust_list")),
                signal=with_code(ai_signal_words, o.get("ai_signal")),
                manifest=o.get("manifest_label"),
            )
        )
    return lines
