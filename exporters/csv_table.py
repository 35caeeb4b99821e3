"""A table of annotations (one row each) with SMPTE timecodes and frame numbers; read back too.

Cells a spreadsheet would run as a formula (=, +, -, @ first) get a leading apostrophe; a
leading apostrophe is always doubled, so reading strips exactly one and loses nothing.
"""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path

from critique_app.domain.model import Annotation, FrameRange, Region, now_iso
from critique_app.errors import UserError
from exporters.document import ExportContext, ExportDocument, Imported

COLUMNS = [
    "item",
    "uuid",
    "film",
    "film_sha256",
    "rate",
    "tier",
    "tier_author",
    "category_key",
    "category",
    "in_timecode",
    "out_timecode",
    "in_frame",
    "out_frame",
    "frames",
    "in_seconds",
    "out_seconds",
    "status",
    "confidence",
    "author",
    "tags",
    "note",
    "evidence",
    "prompt",
    "created_at",
    "modified_at",
    "regions",
]
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for item in doc.annotated_items:
            a = item.annotation
            assert a is not None
            row = [
                item.position,
                a.uuid,
                item.film.title,
                item.film.sha256,
                str(item.film.rate),
                item.tier.name if item.tier else "",
                (item.tier.author or "") if item.tier else "",
                item.category.key if item.category else "",
                item.category_label,
                item.in_tc,
                item.out_tc,
                a.range.start,
                a.range.end,
                a.range.length,
                f"{float(item.start_seconds):.6f}",
                f"{float(item.end_seconds):.6f}",
                a.status,
                a.confidence,
                a.author,
                "; ".join(a.tags),
                a.note,
                a.evidence or "",
                item.prompt,
                a.created_at,
                a.modified_at,
                json.dumps(
                    [
                        {"shape": r.shape, "label": r.label, "keyframes": r.to_json()}
                        for r in a.regions
                    ]
                )
                if a.regions
                else "",
            ]
            writer.writerow([_cell(v) for v in row])


def read(path: Path) -> list[Imported]:
    """Rows written by `write` back into annotations (frames are the truth, not timecodes)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"uuid", "in_frame", "out_frame", "tier"} - set(reader.fieldnames or [])
        if missing:
            raise UserError(
                f"{path.name} is not a Critique annotation table: the columns "
                f"{', '.join(sorted(missing))} are missing."
            )
        found = []
        for line, raw in enumerate(reader, start=2):
            row = {k: _uncell(v or "") for k, v in raw.items() if k}
            try:
                annotation = Annotation(
                    id=None,
                    uuid=row["uuid"],
                    film_id=0,
                    tier_id=0,
                    range=FrameRange(int(row["in_frame"]), int(row["out_frame"])),
                    tags=tuple(t for t in row.get("tags", "").split("; ") if t),
                    note=row.get("note", ""),
                    status=row.get("status") or "observed",
                    confidence=row.get("confidence") or "medium",
                    evidence=row.get("evidence") or None,
                    author=row.get("author", ""),
                    created_at=row.get("created_at") or now_iso(),
                    modified_at=row.get("modified_at") or now_iso(),
                    regions=tuple(
                        Region.from_json(r["shape"], r["keyframes"], r.get("label"))
                        for r in json.loads(row.get("regions") or "[]")
                    ),
                )
                Fraction(row.get("rate") or "1")
            except (ValueError, KeyError, TypeError) as err:
                raise UserError(f"{path.name}, line {line}: {err}") from None
            found.append(
                Imported(
                    annotation,
                    row["tier"],
                    row.get("film_sha256") or None,
                    row.get("film") or None,
                    row.get("category_key") or None,
                    row.get("category") or None,
                    row.get("tier_author") or None,
                )
            )
        return found
