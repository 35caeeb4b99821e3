"""W3C Web Annotation JSON-LD: media-fragment selectors (t=, xywh= or SVG), read back too.

Time fragments are seconds; the exact frame range, rate and keyframed regions travel as
`critique:` properties so that a Critique reader loses nothing while other tools still
understand the standard part.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from critique_app.domain.model import Annotation, FrameRange, Region, now_iso
from critique_app.errors import UserError
from exporters.document import ExportContext, ExportDocument, ExportItem, Imported

CONTEXT: list[Any] = ["http://www.w3.org/ns/anno.jsonld", {"critique": "urn:critique:"}]
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"


def _pct(value: float) -> str:
    return f"{value * 100:.3f}".rstrip("0").rstrip(".")


def region_selector(region: Region, frame: int) -> dict[str, Any]:
    """xywh=percent for a rectangle, an SVG shape (viewBox in percent) otherwise."""
    if region.shape == "rectangle":
        x0, y0, x1, y1 = region.bounds(frame)
        return {
            "type": "FragmentSelector",
            "conformsTo": MEDIA_FRAGMENTS,
            "value": f"xywh=percent:{_pct(x0)},{_pct(y0)},{_pct(x1 - x0)},{_pct(y1 - y0)}",
        }
    pts = region.interpolate(frame)
    if region.shape == "ellipse":
        (ax, ay), (bx, by) = pts
        shape = (
            f'<ellipse cx="{_pct((ax + bx) / 2)}" cy="{_pct((ay + by) / 2)}" '
            f'rx="{_pct(abs(bx - ax) / 2)}" ry="{_pct(abs(by - ay) / 2)}"/>'
        )
    else:
        tag = "polygon" if region.shape == "polygon" else "polyline"
        shape = f'<{tag} points="{" ".join(f"{_pct(x)},{_pct(y)}" for x, y in pts)}"/>'
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{shape}</svg>'
    return {"type": "SvgSelector", "value": svg}


def annotation_json(item: ExportItem, source: str | None = None) -> dict[str, Any]:
    """One item as a Web Annotation (an item without annotation becomes a bookmark)."""
    a = item.annotation
    film = item.film
    start, end = float(item.start_seconds), float(item.end_seconds)
    time_selector: dict[str, Any] = {
        "type": "FragmentSelector",
        "conformsTo": MEDIA_FRAGMENTS,
        "value": f"t={start:.6f},{end:.6f}",
    }
    regions = a.regions if a else ()
    if regions:
        refined = [region_selector(r, item.still_frame) for r in regions]
        time_selector["refinedBy"] = refined[0] if len(refined) == 1 else refined
    body: list[dict[str, Any]] = []
    if item.text:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/markdown",
                "value": item.text,
            }
        )
    if item.category:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "classifying",
                "value": item.category.label(),
                "critique:categoryKey": item.category.key,
            }
        )
    for tag in a.tags if a else ():
        body.append({"type": "TextualBody", "purpose": "tagging", "value": tag})
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{a.uuid}" if a else f"urn:critique:item:{item.position}",
        "type": "Annotation",
        "motivation": "commenting" if a else "bookmarking",
        "body": body,
        "target": {
            "source": source or f"urn:sha256:{film.sha256}",
            "type": "Video",
            "critique:title": film.title,
            "critique:sha256": film.sha256,
            "selector": time_selector,
        },
        "critique:frames": {
            "start": item.range.start,
            "end": item.range.end,
            "rate": str(film.rate),
        },
        "critique:timecode": {"in": item.in_tc, "out": item.out_tc},
    }
    if a:
        result.update(
            {
                "creator": {"type": "Person", "name": a.author},
                "created": a.created_at,
                "modified": a.modified_at,
                "critique:status": a.status,
                "critique:confidence": a.confidence,
                "critique:evidence": a.evidence,
                "critique:tier": item.tier.name if item.tier else "",
                "critique:tierAuthor": item.tier.author if item.tier else None,
                "critique:regions": [
                    {"shape": r.shape, "label": r.label, "keyframes": r.to_json()}
                    for r in a.regions
                ],
            }
        )
    if item.prompt:
        result["critique:prompt"] = item.prompt
    return result


def collection_json(doc: ExportDocument) -> dict[str, Any]:
    items = [annotation_json(i) for i in doc.items]
    for entry in items:
        entry.pop("@context", None)  # one context for the whole collection
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": doc.title,
        "critique:description": doc.description,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    out.write_text(json.dumps(collection_json(doc), ensure_ascii=False, indent=2), encoding="utf-8")


def _frames(entry: dict[str, Any]) -> FrameRange:
    frames = entry.get("critique:frames")
    if isinstance(frames, dict):
        return FrameRange(int(frames["start"]), int(frames["end"]))
    # Another tool's annotation: only seconds and (maybe) a rate.
    selector = entry["target"]["selector"]
    value = selector["value"] if isinstance(selector, dict) else selector[0]["value"]
    t = value.split("t=", 1)[1].split("&", 1)[0]
    start_s, end_s = (Fraction(x) for x in t.replace("npt:", "").split(","))
    rate = Fraction(entry.get("critique:rate", "25"))
    return FrameRange(round(start_s * rate), max(round(start_s * rate), round(end_s * rate) - 1))


def _one(entry: dict[str, Any]) -> Imported | None:
    if entry.get("type") != "Annotation" or not str(entry.get("id", "")).startswith("urn:uuid:"):
        return None  # bookmarks of plain ranges are seminar items, not annotations
    bodies = entry.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    note = next((b.get("value", "") for b in bodies if b.get("purpose") == "commenting"), "")
    tags = tuple(b["value"] for b in bodies if b.get("purpose") == "tagging")
    cat = next((b for b in bodies if b.get("purpose") == "classifying"), None)
    regions = tuple(
        Region.from_json(r["shape"], r["keyframes"], r.get("label"))
        for r in entry.get("critique:regions", [])
    )
    creator = entry.get("creator") or {}
    annotation = Annotation(
        id=None,
        uuid=entry["id"].removeprefix("urn:uuid:"),
        film_id=0,
        tier_id=0,
        range=_frames(entry),
        tags=tags,
        note=note,
        status=entry.get("critique:status", "observed"),
        confidence=entry.get("critique:confidence", "medium"),
        evidence=entry.get("critique:evidence"),
        author=creator.get("name", "") if isinstance(creator, dict) else str(creator),
        created_at=entry.get("created") or now_iso(),
        modified_at=entry.get("modified") or now_iso(),
        regions=regions,
    )
    target = entry.get("target", {})
    source = str(target.get("source", ""))
    sha = target.get("critique:sha256") or (
        source[10:] if source.startswith("urn:sha256:") else None
    )
    return Imported(
        annotation,
        entry.get("critique:tier") or annotation.author or "Imported",
        sha,
        target.get("critique:title"),
        cat.get("critique:categoryKey") if cat else None,
        cat.get("value") if cat else None,
        entry.get("critique:tierAuthor"),
    )


def read(path: Path) -> list[Imported]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UserError(f"{path.name} is not readable JSON ({err}).") from None
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        entries = data.get("first", {}).get("items", [])
    elif isinstance(data, dict) and data.get("type") == "Annotation":
        entries = [data]
    elif isinstance(data, list):
        entries = data
    else:
        raise UserError(f"{path.name} is not a W3C Web Annotation file (no Annotation inside).")
    try:
        return [found for found in (_one(e) for e in entries) if found is not None]
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise UserError(f"{path.name} holds an annotation Critique cannot read ({err}).") from None
