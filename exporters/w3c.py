"""W3C Web Annotation JSON-LD: media-fragment selectors (t=, xywh= or SVG), read back too.

Time fragments are seconds; the exact frame range, rate and keyframed regions travel as
`critique:` properties so that a Critique reader loses nothing while other tools still
understand the standard part.
"""

from __future__ import annotations

import dataclasses
import json
import re
import uuid as uuid_module
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from critique_app.domain.model import Annotation, FrameRange, Region, now_iso
from critique_app.errors import UserError
from critique_app.i18n import _, ngettext
from exporters import markup
from exporters.document import (
    ExportContext,
    ExportDocument,
    ExportItem,
    Imported,
    ImportedFile,
    ImportedList,
    imported_tier,
)
from exporters.text_decoding import decode

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
    if a and a.value:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": a.value,
                "critique:field": "value",
            }
        )
    if item.text:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/markdown",
                "value": item.text,
                "critique:field": "note",
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
                "critique:parent": a.parent_uuid,
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


# ---- reading -------------------------------------------------------------------------------

_NAMESPACE = uuid_module.UUID("9b3e7c1a-2f4d-4e8b-a6c5-3d1f0e9b8a72")
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)")
_MEDIA = {"Video", "Sound", "Audio", "Image", "dctypes:MovingImage", "dctypes:Sound"}


@dataclass
class _Canvas:
    """What a IIIF canvas tells about its annotations' target: size, length, media names."""

    ident: str = ""
    duration: Fraction | None = None
    width: int | None = None
    height: int | None = None
    names: tuple[str, ...] = ()
    sha256: str | None = None
    title: str | None = None


def fragment_seconds(text: str) -> Fraction:
    """A media-fragment time: seconds ('12.5'), npt seconds or clock ('00:01:02.500')."""
    text = text.strip().removeprefix("npt:")
    match = _CLOCK.fullmatch(text)
    if match:
        h, m, sec = match.groups()
        return Fraction(int(h or 0) * 3600 + int(m) * 60) + Fraction(sec)
    return Fraction(text)


def _fragment(fragment: str) -> tuple[tuple[Fraction, Fraction | None] | None, str | None]:
    """The t= and xywh= parts of a media fragment ('t=1,2&xywh=percent:0,0,50,50')."""
    times, box = None, None
    for part in fragment.lstrip("#").split("&"):
        key, _sep, value = part.partition("=")
        if key == "t" and value:
            start, _sep, end = value.partition(",")
            first = fragment_seconds(start) if start.strip().removeprefix("npt:") else Fraction(0)
            times = (first, fragment_seconds(end) if end.strip() else None)
        elif key == "xywh" and value:
            box = value
    return times, box


def _region(box: str, canvas: _Canvas) -> tuple[Region | None, tuple[float, ...] | None]:
    """A rectangle from xywh= (percent: or pixels). Pixels need a size: the canvas's, else
    the film's (the import service finishes those: returned as pixels)."""
    unit, _sep, numbers = box.rpartition(":")
    x, y, w, h = (float(v) for v in numbers.split(","))
    if unit == "percent":
        x, y, w, h = x / 100, y / 100, w / 100, h / 100
    elif canvas.width and canvas.height:
        x, y, w, h = x / canvas.width, y / canvas.height, w / canvas.width, h / canvas.height
    else:
        return None, (x, y, w, h)

    def clamp(v: float) -> float:
        return min(1.0, max(0.0, v))

    return Region.still("rectangle", [(clamp(x), clamp(y)), (clamp(x + w), clamp(y + h))]), None


def _text(value: Any) -> str:
    """A IIIF language map ({"en": ["..."]}) or a plain string as text."""
    if isinstance(value, dict):
        return "\n".join(
            str(v) for vs in value.values() for v in (vs if isinstance(vs, list) else [vs])
        )
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    return "" if value is None else str(value)


def _name(uri: str) -> str | None:
    path = uri.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    name = path.rsplit("/", 1)[-1]
    return name or None


def _bodies(entry: dict[str, Any]) -> list[Any]:
    found: list[Any] = []
    if "bodyValue" in entry:
        found.append({"type": "TextualBody", "value": entry["bodyValue"]})
    body = entry.get("body")
    stack = list(body) if isinstance(body, list) else ([body] if body is not None else [])
    while stack:
        b = stack.pop(0)
        if isinstance(b, dict) and b.get("type") in ("Choice", "Composite", "List", "Independents"):
            stack[:0] = list(b.get("items") or [])
            continue
        found.append(b)
    return found


def _target(entry: dict[str, Any], canvases: dict[str, _Canvas]) -> tuple[str, str, list[str]]:
    """(source, fragment, notes) of an annotation's first target; selectors and refinedBy are
    followed for t= and xywh=."""
    target = entry.get("target")
    notes: list[str] = []
    if isinstance(target, list):
        if len(target) > 1:
            notes.append(_("{count} targets; the first is used").format(count=len(target)))
        target = target[0] if target else ""
    if isinstance(target, dict) and target.get("type") in ("Composite", "List", "Independents"):
        items = target.get("items") or [""]
        target = items[0]
    if isinstance(target, str):
        source, _sep, fragment = target.partition("#")
        return source, fragment, notes
    if not isinstance(target, dict):
        return "", "", notes
    found: Any = target.get("source", target.get("id", ""))
    if isinstance(found, dict):
        found = found.get("id", "")
    source = str(found)
    source, _sep, fragment = source.partition("#")
    parts = [fragment] if fragment else []
    selectors = target.get("selector")
    queue = list(selectors) if isinstance(selectors, list) else ([selectors] if selectors else [])
    while queue:
        sel = queue.pop(0)
        if isinstance(sel, dict):
            if sel.get("type") in ("FragmentSelector", None) and isinstance(sel.get("value"), str):
                # VIAN writes the media's name before the fragment ("trailer.mp4#t=0.0,13.6")
                parts.append(sel["value"].rpartition("#")[2])
            elif sel.get("type") == "PointSelector" and "t" in sel:
                parts.append(f"t={sel['t']}")
            refined = sel.get("refinedBy")
            queue += refined if isinstance(refined, list) else ([refined] if refined else [])
    return source, "&".join(parts), notes


def _walk(
    data: Any,
    canvas: _Canvas,
    canvases: dict[str, _Canvas],
    out: list[tuple[dict[str, Any], _Canvas]],
) -> None:
    """Annotations anywhere in a W3C / IIIF document, with the canvas they belong to."""
    if isinstance(data, list):
        for item in data:
            _walk(item, canvas, canvases, out)
        return
    if not isinstance(data, dict):
        return
    kind = data.get("type") or data.get("@type")
    if kind in ("Annotation", "oa:Annotation"):
        out.append((data, canvas))
    elif kind == "AnnotationCollection":
        for key in ("first", "items"):
            _walk(data.get(key), canvas, canvases, out)
    elif kind == "AnnotationPage":
        _walk(data.get("items"), canvas, canvases, out)
        if isinstance(data.get("next"), dict):
            _walk(data["next"], canvas, canvases, out)
    elif kind == "Manifest":
        _walk(data.get("items"), canvas, canvases, out)
        _walk(data.get("annotations"), canvas, canvases, out)
        for entry in _ranges(data.get("structures"), None):
            source = str(entry["target"]).split("#", 1)[0]
            out.append((entry, canvases.get(source, canvas)))
    elif kind in (None, "ldp:Container", "ldp:BasicContainer", "BasicContainer", "Container"):
        # an LDP container (Advene) or a JSON-LD graph holds its collections under these keys
        for key in ("ldp:contains", "contains", "@graph"):
            _walk(data.get(key), canvas, canvases, out)
    elif kind == "Canvas":
        here = _Canvas(
            ident=str(data.get("id", "")),
            duration=Fraction(str(data["duration"])) if data.get("duration") is not None else None,
            width=data.get("width"),
            height=data.get("height"),
            sha256=data.get("critique:sha256"),
            title=data.get("critique:title") or _text(data.get("label")) or None,
        )
        painted: list[tuple[dict[str, Any], _Canvas]] = []
        _walk(data.get("items"), here, canvases, painted)
        names = []
        for anno, _c in painted:
            for body in _bodies(anno):
                uri = body.get("id") if isinstance(body, dict) else body
                if isinstance(uri, str) and _name(uri):
                    names.append(_name(uri) or "")
        here.names = tuple(names)
        canvases[here.ident] = here
        out += [(a, here) for a, _c in painted if a.get("motivation") != "painting"]
        _walk(data.get("annotations"), here, canvases, out)


def _ranges(structures: Any, parent: str | None) -> list[dict[str, Any]]:
    """IIIF Ranges (a table of contents: acts, scenes, chapters) as annotations: the label is
    the value, the span covers the canvas fragments inside, a sub-range's parent is its range."""
    found: list[dict[str, Any]] = []
    for rng in structures if isinstance(structures, list) else []:
        if not isinstance(rng, dict) or rng.get("type") != "Range":
            continue
        spans: list[tuple[str, Fraction, Fraction]] = []
        stack = list(rng.get("items") or [])
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict) and item.get("type") == "Range":
                stack += list(item.get("items") or [])
                continue
            if isinstance(item, dict) and item.get("type") == "SpecificResource":
                item = item.get("source") or ""
            ident = item.get("id", "") if isinstance(item, dict) else str(item)
            source, _sep, fragment = ident.partition("#")
            times, _box = _fragment(fragment)
            if times is not None:
                spans.append((source, times[0], times[1] if times[1] is not None else times[0]))
        ident = str(rng.get("id", ""))
        if spans:
            source = spans[0][0]
            start = min(s for c, s, _e in spans if c == source)
            end = max(e for c, _s, e in spans if c == source)
            found.append(
                {
                    "id": ident,
                    "type": "Annotation",
                    "motivation": "describing",
                    "body": {"type": "TextualBody", "value": _text(rng.get("label"))},
                    "target": f"{source}#t={start},{end}",
                    "critique:tier": imported_tier("ranges"),
                    "critique:parent": str(uuid_module.uuid5(_NAMESPACE, parent))
                    if parent
                    else None,
                }
            )
        found += _ranges(
            [i for i in rng.get("items") or [] if isinstance(i, dict)], ident or parent
        )
    return found


# What a reference to an annotation holds: its id and type, nothing to import.
_REFERENCE_KEYS = {"id", "@id", "type", "@type", "@context", "context"}


def _ident(entry: dict[str, Any]) -> str:
    return str(entry.get("id") or entry.get("@id") or "")


def _is_reference(entry: dict[str, Any]) -> bool:
    return bool(_ident(entry)) and set(entry) <= _REFERENCE_KEYS


def _full_annotations(data: Any) -> dict[str, dict[str, Any]]:
    """Every annotation with content anywhere in the document, by id (bodies and targets are
    not searched: an annotation there is what is annotated, not one of the file's)."""
    found: dict[str, dict[str, Any]] = {}
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack += item
        elif isinstance(item, dict):
            kind = item.get("type") or item.get("@type")
            if kind in ("Annotation", "oa:Annotation") and not _is_reference(item):
                found.setdefault(_ident(item), item)
            stack += [v for k, v in item.items() if k not in ("body", "target")]
    return found


def _resolve_references(
    data: Any, found: list[tuple[dict[str, Any], _Canvas]], info: ImportedFile
) -> list[tuple[dict[str, Any], _Canvas]]:
    """VIAN and CLARIAH list a collection's annotations as references ({"type": "Annotation",
    "id": ...}) and write them in full further down the file: each reference is replaced by
    its annotation, once; a reference to nothing in the file is counted and named, never
    imported as an empty annotation about the whole film."""
    full = _full_annotations(data)
    listed = {_ident(e) for e, _c in found if not _is_reference(e)}
    out: list[tuple[dict[str, Any], _Canvas]] = []
    seen: set[int] = set()
    missing: list[str] = []
    for entry, canvas in found:
        if _is_reference(entry):
            ident = _ident(entry)
            if ident in listed:
                continue  # imported where it is written in full
            if ident not in full:
                if ident not in missing:
                    missing.append(ident)
                continue
            entry = full[ident]
            listed.add(ident)
        if id(entry) not in seen:  # a page reached twice (as an item and as "next")
            seen.add(id(entry))
            out.append((entry, canvas))
    left_out(missing, info)
    return out


def left_out(missing: list[str], info: ImportedFile) -> None:
    """References to annotations the file does not write, named in the file's notes."""
    if not missing:
        return
    shown = ", ".join(missing[:5]) + (
        _(" and {count} more").format(count=len(missing) - 5) if len(missing) > 5 else ""
    )
    info.notes.append(
        ngettext(
            "{count} reference to an annotation not written in the file left out: {shown}",
            "{count} references to annotations not written in the file left out: {shown}",
            len(missing),
        ).format(count=len(missing), shown=shown)
    )


def text_of(path: Path, encoding: str | None) -> tuple[str, str]:
    """The file's text and the encoding it was read as, or one sentence why it cannot be."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UserError(
            _("{name} cannot be read ({reason}).").format(name=path.name, reason=err.strerror)
        ) from None
    return decode(raw, path.name, encoding)


def not_json(path: Path, err: json.JSONDecodeError) -> UserError:
    return UserError(
        _("{name} is not readable JSON (line {line}, column {column}: {reason}).").format(
            name=path.name, line=err.lineno, column=err.colno, reason=err.msg.lower()
        )
    )


def read(path: Path, encoding: str | None = None) -> ImportedList:
    """Web Annotations from W3C JSON-LD (Annotation, AnnotationCollection with its pages) or
    IIIF Presentation 3 (AnnotationPage, Manifest with AV canvases); any id."""
    text, used = text_of(path, encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise not_json(path, err) from None
    found: list[tuple[dict[str, Any], _Canvas]] = []
    canvases: dict[str, _Canvas] = {}
    _walk(data, _Canvas(), canvases, found)
    kind = data.get("type") if isinstance(data, dict) else None
    if not found and kind not in ("AnnotationCollection", "AnnotationPage", "Manifest"):
        raise UserError(
            _(
                "{name} is not a W3C Web Annotation or IIIF file (no Annotation, "
                "AnnotationCollection, AnnotationPage or Manifest inside)."
            ).format(name=path.name)
        )
    info = read_info(used)
    for one in imported_from(_resolve_references(data, found, info), canvases, path, info):
        info.entries.append(one)
    return ImportedList(info)


def read_info(used: str) -> ImportedFile:
    return ImportedFile(
        [], skipped_what="annotations", notes=[_("read as {used}").format(used=_(used))]
    )


def imported_from(
    found: Iterable[tuple[dict[str, Any], _Canvas]],
    canvases: dict[str, _Canvas],
    path: Path,
    info: ImportedFile,
) -> Iterator[Imported]:
    """The file's annotations as entries, in order (the n-th one's uuid, when it has no id,
    comes from its place); what cannot be used is counted in `info` as it comes."""
    bookmarks = 0
    for n, (entry, canvas) in enumerate(found):
        if str(entry.get("id", "")).startswith("urn:critique:item:"):
            bookmarks += 1  # a seminar's plain passage, not an annotation
            continue
        try:
            one = _one(entry, canvas, canvases, path, n)
        except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError) as err:
            ident = entry.get("id", f"number {n + 1}")
            info.skip(f"annotation {ident}: {type(err).__name__} {err}"[:120])
            continue
        if one is None:
            info.skip(
                _("annotation {ident} has no time Critique can use").format(
                    ident=entry.get("id", n + 1)
                )
            )
            continue
        yield dataclasses.replace(one, source=info)
    if bookmarks:
        info.notes.append(
            ngettext(
                "{count} seminar passage without annotation not imported (it is a bookmark)",
                "{count} seminar passages without annotation not imported (they are bookmarks)",
                bookmarks,
            ).format(count=bookmarks)
        )


def _one(
    entry: dict[str, Any], canvas: _Canvas, canvases: dict[str, _Canvas], path: Path, n: int
) -> Imported | None:
    ident = str(entry.get("id") or entry.get("@id") or "")
    source, fragment, notes = _target(entry, canvases)
    canvas = canvases.get(source, canvas)
    times, box = _fragment(fragment)
    if times is not None and times[1] is not None and fragment.count("t=") > 1:
        notes.append(_("several time fragments; the first is used"))
    bodies = _bodies(entry)
    values, note_lines, tags = [], [], []
    category_key = category_label = None
    motivation = entry.get("motivation")
    motivation = motivation[0] if isinstance(motivation, list) and motivation else motivation
    for b in bodies:
        if isinstance(b, str):
            note_lines.append(f"Body: {b}")
            continue
        if not isinstance(b, dict):
            continue
        purpose = b.get("purpose") or motivation
        purpose = purpose[0] if isinstance(purpose, list) and purpose else purpose
        if "value" not in b:
            uri = (
                b.get("id")
                or (b.get("source", {}) if isinstance(b.get("source"), dict) else {}).get("id")
                or b.get("source")
            )
            if uri:
                note_lines.append(f"{b.get('type', 'Body')}: {uri}")
            continue
        text = _text(b["value"])
        if str(b.get("format", "")).lower().startswith(("text/html", "application/xhtml")):
            # HTML bodies: their emphasis kept as a value's Markdown and kept tags, like cues
            text = markup.to_markdown(markup.from_html(text))
        field_role = b.get("critique:field")
        if purpose == "tagging":
            tags.append(text)
        elif purpose == "classifying":
            category_label = text
            category_key = b.get("critique:categoryKey")
        elif field_role == "note" or (
            purpose == "commenting" and "critique:frames" in entry and field_role != "value"
        ):
            note_lines.append(text)
        else:
            values.append(text)
    own = entry.get("critique:frames")
    creator = entry.get("creator") or {}
    if isinstance(creator, list):
        creator = creator[0] if creator else {}
    author = creator.get("name", "") if isinstance(creator, dict) else str(creator)
    if ident.startswith("urn:uuid:"):
        uuid = ident.removeprefix("urn:uuid:")
    else:
        key = ident or f"{path.name}#{n}:{json.dumps(entry, sort_keys=True)[:2000]}"
        uuid = str(uuid_module.uuid5(_NAMESPACE, key))
    regions: tuple[Region, ...] = ()
    pixel_box = None
    if entry.get("critique:regions"):
        regions = tuple(
            Region.from_json(r["shape"], r["keyframes"], r.get("label"))
            for r in entry["critique:regions"]
        )
    elif box:
        region, pixel_box = _region(box, canvas)
        regions = (region,) if region is not None else ()
    seconds = None
    frames = FrameRange(0, 0)
    whole = False
    if isinstance(own, dict):
        frames = FrameRange(int(own["start"]), int(own["end"]))
    elif times is not None:
        start, end = times
        if end is None:
            end = canvas.duration if canvas.duration is not None else start
        seconds = (start, max(start, end))
    else:
        whole = True  # no time fragment: the annotation is about the whole film
        if notes == []:
            notes.append(_("no time given: the whole film"))
    target = entry.get("target")
    target_dict = target if isinstance(target, dict) else {}
    sha = (
        target_dict.get("critique:sha256")
        or canvas.sha256
        or (source[len("urn:sha256:") :] if source.startswith("urn:sha256:") else None)
    )
    names = canvas.names if canvas.names and canvas.ident == source else (_name(source) or "",)
    names = tuple(n for n in names if n)
    # read once: an annotation without dates is created and modified at the same moment (two
    # calls could fall either side of a second)
    read_at = now_iso()
    annotation = Annotation(
        id=None,
        uuid=uuid,
        film_id=0,
        tier_id=0,
        range=frames,
        tags=tuple(tags),
        note="\n\n".join(note_lines),
        status=entry.get("critique:status", "observed"),
        confidence=entry.get("critique:confidence", "medium"),
        evidence=entry.get("critique:evidence"),
        author=author,
        created_at=str(entry.get("created") or read_at),
        modified_at=str(entry.get("modified") or entry.get("created") or read_at),
        regions=regions,
        value="\n\n".join(values),
        parent_uuid=entry.get("critique:parent"),
    )
    return Imported(
        annotation,
        entry.get("critique:tier") or imported_tier("web"),
        sha,
        target_dict.get("critique:title") or canvas.title,
        category_key,
        category_label,
        entry.get("critique:tierAuthor"),
        seconds=seconds,
        film_names=names,
        whole_film=whole,
        pixel_box=pixel_box,
    )
