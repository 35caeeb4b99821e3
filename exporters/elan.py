"""ELAN annotation files (EAF 3.0): tiers to tiers, the vocabulary to a controlled vocabulary.

Each Critique tier becomes an ELAN tier whose values come from the controlled vocabulary
(the category), with two dependent tiers: the note, and a record (JSON) of what ELAN has no
field for (uuid, tags, status, regions), so Critique reads its own EAF back without loss.
ELAN forbids overlaps within a tier, so overlapping annotations spill into 'Tier (2)'...
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

from critique_app.domain.model import Annotation, FrameRange, Region, new_uuid, now_iso
from critique_app.errors import UserError
from exporters.document import ExportContext, ExportDocument, ExportItem, Imported, safe_name
from exporters.subtitles import _one_film

CATEGORY_TYPE = "critique-category"
TEXT_TYPE = "critique-text"
NOTE_SUFFIX = " · note"
RECORD_SUFFIX = " · critique"
_LANGS = {
    "eng": ("http://cdb.iso.org/lg/CDB-00138502-001", "English (eng)"),
    "fra": ("http://cdb.iso.org/lg/CDB-00138580-001", "French (fra)"),
}
_CONSTRAINTS = {
    "Time_Subdivision": "Time subdivision of parent annotation's time interval, no time gaps allowed within this interval",
    "Symbolic_Subdivision": "Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered",
    "Symbolic_Association": "1-1 association with a parent annotation",
    "Included_In": "Time alignable annotations within the parent annotation's time interval, gaps are allowed",
}


def ms(frame: int, rate: Fraction) -> int:
    """Milliseconds at the start of a frame (ELAN counts in whole milliseconds)."""
    return round(Fraction(frame) / rate * 1000)


def _cve_id(key: str) -> str:
    return "cve-" + safe_name(key, 120)


def _lanes(items: list[ExportItem]) -> list[list[ExportItem]]:
    """Split one tier's items into lanes without overlaps (ELAN's rule), first fit."""
    lanes: list[list[ExportItem]] = []
    for item in sorted(items, key=lambda i: (i.range.start, i.range.end)):
        for lane in lanes:
            if lane[-1].range.end < item.range.start:
                lane.append(item)
                break
        else:
            lanes.append([item])
    return lanes


def _record(item: ExportItem) -> str:
    a = item.annotation
    assert a is not None
    return json.dumps(
        {
            "uuid": a.uuid,
            "start": a.range.start,
            "end": a.range.end,
            "tier": item.tier.name if item.tier else "",
            "tier_author": item.tier.author if item.tier else None,
            "category_key": item.category.key if item.category else None,
            "tags": list(a.tags),
            "status": a.status,
            "confidence": a.confidence,
            "evidence": a.evidence,
            "author": a.author,
            "created_at": a.created_at,
            "modified_at": a.modified_at,
            "regions": [
                {"shape": r.shape, "label": r.label, "keyframes": r.to_json()} for r in a.regions
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    _one_film(doc, "ELAN")
    root = ET.Element(
        "ANNOTATION_DOCUMENT",
        {
            "AUTHOR": "Critique",
            "DATE": doc.created_at,
            "FORMAT": "3.0",
            "VERSION": "3.0",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "http://www.mpi.nl/tools/elan/EAFv3.0.xsd",
        },
    )
    header = ET.SubElement(root, "HEADER", {"MEDIA_FILE": "", "TIME_UNITS": "milliseconds"})
    films = doc.films
    if films:
        film = films[0]
        ET.SubElement(
            header,
            "MEDIA_DESCRIPTOR",
            {
                "MEDIA_URL": Path(film.path).resolve().as_uri()
                if film.path.startswith("/")
                else film.path,
                "MIME_TYPE": "video/mp4",
                "RELATIVE_MEDIA_URL": "./" + Path(film.path).name,
            },
        )
        for name, value in (
            ("critique:film_sha256", film.sha256),
            ("critique:rate", str(film.rate)),
            ("critique:film_title", film.title),
        ):
            ET.SubElement(header, "PROPERTY", {"NAME": name}).text = value
    time_order = ET.SubElement(root, "TIME_ORDER")
    tiers: list[ET.Element] = []
    counter = {"ts": 0, "a": 0}

    def slot(value: int) -> str:
        counter["ts"] += 1
        ET.SubElement(
            time_order,
            "TIME_SLOT",
            {"TIME_SLOT_ID": f"ts{counter['ts']}", "TIME_VALUE": str(value)},
        )
        return f"ts{counter['ts']}"

    def ann_id() -> str:
        counter["a"] += 1
        return f"a{counter['a']}"

    by_tier: dict[str, list[ExportItem]] = {}
    for item in doc.annotated_items:
        by_tier.setdefault(item.tier.name if item.tier else "Annotations", []).append(item)
    for name, items in by_tier.items():
        participant = (items[0].tier.author if items[0].tier else None) or ""
        for number, lane in enumerate(_lanes(items), start=1):
            tier_id = name if number == 1 else f"{name} ({number})"
            main = ET.Element(
                "TIER",
                {
                    "LINGUISTIC_TYPE_REF": CATEGORY_TYPE,
                    "PARTICIPANT": participant,
                    "TIER_ID": tier_id,
                },
            )
            note = ET.Element(
                "TIER",
                {
                    "LINGUISTIC_TYPE_REF": TEXT_TYPE,
                    "PARENT_REF": tier_id,
                    "PARTICIPANT": participant,
                    "TIER_ID": tier_id + NOTE_SUFFIX,
                },
            )
            record = ET.Element(
                "TIER",
                {
                    "LINGUISTIC_TYPE_REF": TEXT_TYPE,
                    "PARENT_REF": tier_id,
                    "PARTICIPANT": participant,
                    "TIER_ID": tier_id + RECORD_SUFFIX,
                },
            )
            for item in lane:
                rate = item.film.rate
                attrs = {
                    "ANNOTATION_ID": ann_id(),
                    "TIME_SLOT_REF1": slot(ms(item.range.start, rate)),
                    "TIME_SLOT_REF2": slot(ms(item.range.end + 1, rate)),
                }
                if item.category:
                    attrs["CVE_REF"] = _cve_id(item.category.key)
                aligned = ET.SubElement(
                    ET.SubElement(main, "ANNOTATION"), "ALIGNABLE_ANNOTATION", attrs
                )
                ET.SubElement(aligned, "ANNOTATION_VALUE").text = item.category_label
                for tier, value in ((note, item.text), (record, _record(item))):
                    ref = ET.SubElement(
                        ET.SubElement(tier, "ANNOTATION"),
                        "REF_ANNOTATION",
                        {"ANNOTATION_ID": ann_id(), "ANNOTATION_REF": attrs["ANNOTATION_ID"]},
                    )
                    ET.SubElement(ref, "ANNOTATION_VALUE").text = value
            tiers += [main, note, record]
    ET.SubElement(header, "PROPERTY", {"NAME": "lastUsedAnnotationId"}).text = str(counter["a"])
    root.extend(tiers)
    vocab = doc.vocabulary
    lt = {
        "GRAPHIC_REFERENCES": "false",
        "LINGUISTIC_TYPE_ID": CATEGORY_TYPE,
        "TIME_ALIGNABLE": "true",
    }
    if vocab is not None:
        lt["CONTROLLED_VOCABULARY_REF"] = vocab.key
    ET.SubElement(root, "LINGUISTIC_TYPE", lt)
    ET.SubElement(
        root,
        "LINGUISTIC_TYPE",
        {
            "CONSTRAINTS": "Symbolic_Association",
            "GRAPHIC_REFERENCES": "false",
            "LINGUISTIC_TYPE_ID": TEXT_TYPE,
            "TIME_ALIGNABLE": "false",
        },
    )
    for lang, (definition, label) in _LANGS.items():
        ET.SubElement(
            root, "LANGUAGE", {"LANG_DEF": definition, "LANG_ID": lang, "LANG_LABEL": label}
        )
    for stereotype, description in _CONSTRAINTS.items():
        ET.SubElement(root, "CONSTRAINT", {"DESCRIPTION": description, "STEREOTYPE": stereotype})
    if vocab is not None:
        cv = ET.SubElement(root, "CONTROLLED_VOCABULARY", {"CV_ID": vocab.key})
        ET.SubElement(cv, "DESCRIPTION", {"LANG_REF": "eng"}).text = vocab.description or vocab.name
        for cat in vocab.categories:
            entry = ET.SubElement(cv, "CV_ENTRY_ML", {"CVE_ID": _cve_id(cat.key)})
            ET.SubElement(
                entry, "CVE_VALUE", {"DESCRIPTION": cat.definition_en or "", "LANG_REF": "eng"}
            ).text = cat.label_en
            if cat.label_fr:
                ET.SubElement(
                    entry, "CVE_VALUE", {"DESCRIPTION": cat.definition_fr or "", "LANG_REF": "fra"}
                ).text = cat.label_fr
    ET.indent(root)
    ET.ElementTree(root).write(out, encoding="UTF-8", xml_declaration=True)


def read(path: Path, rate: Fraction | None = None) -> list[Imported]:
    """Annotations of an EAF: Critique's own restore every field; others get category + note."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as err:
        raise UserError(f"{path.name} is not a readable ELAN file ({err}).") from None
    if root.tag != "ANNOTATION_DOCUMENT":
        raise UserError(f"{path.name} is not an ELAN file (no ANNOTATION_DOCUMENT).")
    props = {p.get("NAME"): p.text or "" for p in root.iterfind("HEADER/PROPERTY")}
    if rate is None and props.get("critique:rate"):
        rate = Fraction(props["critique:rate"])
    slots = {
        s.get("TIME_SLOT_ID"): int(s.get("TIME_VALUE") or 0)
        for s in root.iterfind("TIME_ORDER/TIME_SLOT")
    }
    cve_keys = {
        e.get("CVE_ID"): (e.get("CVE_ID") or "").removeprefix("cve-")
        for e in root.iterfind("CONTROLLED_VOCABULARY/CV_ENTRY_ML")
    }
    refs: dict[str, dict[str, str]] = {}
    for tier in root.iterfind("TIER"):
        suffix = next(
            (s for s in (NOTE_SUFFIX, RECORD_SUFFIX) if (tier.get("TIER_ID") or "").endswith(s)),
            None,
        )
        for ref in tier.iterfind("ANNOTATION/REF_ANNOTATION"):
            kind = "record" if suffix == RECORD_SUFFIX else "note"
            refs.setdefault(ref.get("ANNOTATION_REF") or "", {})[kind] = (
                ref.findtext("ANNOTATION_VALUE") or ""
            )
    found: list[Imported] = []
    for tier in root.iterfind("TIER"):
        for ann in tier.iterfind("ANNOTATION/ALIGNABLE_ANNOTATION"):
            extra = refs.get(ann.get("ANNOTATION_ID") or "", {})
            label = ann.findtext("ANNOTATION_VALUE") or ""
            try:
                found.append(_imported(tier, ann, extra, label, slots, cve_keys, rate, props, path))
            except (KeyError, ValueError, TypeError) as err:
                raise UserError(f"{path.name}: an annotation cannot be read ({err}).") from None
    return found


def _imported(
    tier: ET.Element,
    ann: ET.Element,
    extra: dict[str, str],
    label: str,
    slots: dict[str | None, int],
    cve_keys: dict[str | None, str],
    rate: Fraction | None,
    props: dict[str | None, str],
    path: Path,
) -> Imported:
    film_sha, film_title = props.get("critique:film_sha256"), props.get("critique:film_title")
    if "record" in extra:
        m = json.loads(extra["record"])
        annotation = Annotation(
            id=None,
            uuid=m["uuid"],
            film_id=0,
            tier_id=0,
            range=FrameRange(m["start"], m["end"]),
            tags=tuple(m.get("tags") or ()),
            note=extra.get("note", ""),
            status=m["status"],
            confidence=m["confidence"],
            evidence=m.get("evidence"),
            author=m.get("author") or "",
            created_at=m.get("created_at") or now_iso(),
            modified_at=m.get("modified_at") or now_iso(),
            regions=tuple(
                Region.from_json(r["shape"], r["keyframes"], r.get("label"))
                for r in m.get("regions") or ()
            ),
        )
        return Imported(
            annotation,
            m.get("tier") or tier.get("TIER_ID") or "ELAN",
            film_sha,
            film_title,
            m.get("category_key"),
            label or None,
            m.get("tier_author"),
        )
    if rate is None:
        raise UserError(
            f"{path.name} is in milliseconds: import it onto a film (--film) so "
            "its times can become frames."
        )
    start = round(Fraction(slots[ann.get("TIME_SLOT_REF1")], 1000) * rate)
    end = max(start, round(Fraction(slots[ann.get("TIME_SLOT_REF2")], 1000) * rate) - 1)
    annotation = Annotation(
        id=None,
        uuid=new_uuid(),
        film_id=0,
        tier_id=0,
        range=FrameRange(start, end),
        note=extra.get("note", ""),
        author=tier.get("PARTICIPANT") or "",
    )
    key = cve_keys.get(ann.get("CVE_REF")) if ann.get("CVE_REF") else None
    return Imported(
        annotation,
        tier.get("TIER_ID") or "ELAN",
        film_sha,
        film_title,
        key,
        label or None,
        tier.get("PARTICIPANT") or None,
    )
