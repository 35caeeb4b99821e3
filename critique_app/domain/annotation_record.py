"""An annotation as a portable record: the fields that travel with it through files.

ELAN keeps it in an annotation's extra record, WebVTT/SRT in a NOTE block, the spreadsheet in
its columns: each wrote and read the same fields by hand, and a field added to one was lost in
another. One writer and one reader now, so every format carries the same annotation; each
format adds what only it names (tier, category, vocabulary) beside these fields.

Not carried: row ids, film and tier ids (a project's own numbers), anchor hashes and
presentation times (recomputed from the film), conflict marks (a merge's state).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from critique_app.domain.model import Annotation, FrameRange, Region, now_iso

# The annotation's fields no file carries, and why (a test fails on a field in neither list).
NOT_CARRIED = {
    "id": "the project's own row number",
    "film_id": "the project's own film number: formats name the film",
    "tier_id": "the project's own tier number: formats name the tier",
    "category_id": "the project's own category number: formats name the category",
    "anchor_hashes": "recomputed from the film's pictures",
    "start_pts": "recomputed from the film's frames",
    "end_pts": "recomputed from the film's frames",
    "conflict_of": "a merge's state in one project",
}
CARRIED = {"range": ("start", "end")}  # fields whose record names differ


def to_record(a: Annotation) -> dict[str, Any]:
    """The annotation's portable fields, ready for JSON (plain types only)."""
    return {
        "uuid": a.uuid,
        "start": a.range.start,
        "end": a.range.end,
        "tags": list(a.tags),
        "note": a.note,
        "value": a.value,
        "parent_uuid": a.parent_uuid,
        "status": a.status,
        "confidence": a.confidence,
        "evidence": a.evidence,
        "author": a.author,
        "created_at": a.created_at,
        "modified_at": a.modified_at,
        "regions": [
            {"shape": r.shape, "label": r.label, "keyframes": r.to_json()} for r in a.regions
        ],
    }


def from_record(m: Mapping[str, Any], note: str | None = None) -> Annotation:
    """The annotation a record describes, not yet in a project (film and tier 0).

    `uuid`, `start` and `end` are required (KeyError/ValueError otherwise: the reader names
    the entry); everything else falls back to what a new annotation has, so a record written
    by an older version, or cut down by hand, still comes in. `note`, when given, replaces the
    record's own (ELAN keeps the note outside the record)."""
    return Annotation(
        id=None,
        uuid=str(m["uuid"]),
        film_id=0,
        tier_id=0,
        range=FrameRange(int(m["start"]), int(m["end"])),
        tags=tuple(m.get("tags") or ()),
        note=str(m.get("note") or "") if note is None else note,
        status=str(m.get("status") or "observed"),
        confidence=str(m.get("confidence") or "medium"),
        evidence=m.get("evidence") or None,
        author=str(m.get("author") or ""),
        created_at=str(m.get("created_at") or now_iso()),
        modified_at=str(m.get("modified_at") or now_iso()),
        regions=tuple(
            Region.from_json(r["shape"], r["keyframes"], r.get("label"))
            for r in m.get("regions") or ()
        ),
        value=str(m.get("value") or ""),
        parent_uuid=m.get("parent_uuid") or None,
    )
