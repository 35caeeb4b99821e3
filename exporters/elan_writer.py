"""Writing ELAN annotation files (EAF 3.0, valid against ELAN's schema).

Each Critique tier becomes an ELAN tier (its own linguistic type and parent when it came from
ELAN), with two dependent tiers: the note, and a record (JSON) of what ELAN has no field for
(uuid, tags, status, regions), so Critique reads its own EAF back without loss. ELAN forbids
overlaps within a tier, so overlapping annotations of a tier without children spill into
'Tier (2)'...
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from critique_app.domain.annotation_record import to_record
from critique_app.domain.model import Tier, Vocabulary
from exporters.document import ExportContext, ExportDocument, ExportItem, safe_name
from exporters.elan import CATEGORY_TYPE, NOTE_SUFFIX, RECORD_SUFFIX, SYMBOLIC, TEXT_TYPE
from exporters.subtitles import _one_film

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


_XML_ID = re.compile(r"[A-Za-z_][\w.\-]*")


def _cve_id(key: str) -> str:
    """An entry id from a category key: the key itself when XML allows it (ELAN's own ids such
    as 'cveid0' come back unchanged), else a safe 'cve-' form."""
    return key if _XML_ID.fullmatch(key) else "cve-" + safe_name(key, 120)


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


def _record(item: ExportItem, vocab_of: dict[int | None, Vocabulary]) -> str:
    a = item.annotation
    assert a is not None
    record = to_record(a)
    del record["note"]  # ELAN shows the note as the annotation's own text: kept once
    record |= {
        "tier": item.tier.name if item.tier else "",
        "tier_author": item.tier.author if item.tier else None,
        "category_key": item.category.key if item.category else None,
        "vocabulary_key": vocab_of[item.category.id].key
        if item.category and item.category.id in vocab_of
        else None,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    """One EAF 3.0: Critique's tiers with their ELAN hierarchy (parent, linguistic type,
    constraint), values as annotation values, child annotations as REF_ANNOTATIONs of their
    parent, every vocabulary used as a controlled vocabulary with its entry ids."""
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
    counter = {"ts": 0}

    def slot(value: int) -> str:
        counter["ts"] += 1
        ET.SubElement(
            time_order,
            "TIME_SLOT",
            {"TIME_SLOT_ID": f"ts{counter['ts']}", "TIME_VALUE": str(value)},
        )
        return f"ts{counter['ts']}"

    vocabularies = {
        v.key: v for v in (doc.vocabularies or ((doc.vocabulary,) if doc.vocabulary else ()))
    }
    vocab_of = {c.id: v for v in vocabularies.values() for c in v.categories}
    items = doc.annotated_items
    ids = {
        item.annotation.uuid: f"a{n}" for n, item in enumerate(items, start=1) if item.annotation
    }
    last_id = len(ids)
    by_tier: dict[str, list[ExportItem]] = {}
    tier_of: dict[str, Tier | None] = {}
    for item in items:
        name = item.tier.name if item.tier else "Annotations"
        by_tier.setdefault(name, []).append(item)
        tier_of[name] = item.tier
    # Parents are written too (even empty) and before their children; so are ELAN tiers
    # without annotations (an EAF comes back with all of its tiers).
    known = {t.id: t for t in doc.tiers}
    for t in doc.tiers:
        if t.linguistic_type is not None:
            tier_of.setdefault(t.name, t)
    for name in list(tier_of):
        up = tier_of[name]
        while up is not None and up.parent_id in known:
            parent = known[up.parent_id]
            tier_of.setdefault(parent.name, parent)
            up = parent
    has_children = {known[t.parent_id].name for t in tier_of.values() if t and t.parent_id in known}
    order = sorted(tier_of, key=lambda n: _depth(tier_of[n], known))
    tiers: list[ET.Element] = []
    types: dict[str, Tier | None] = {}
    slots_of: dict[str, dict[int, str]] = {}  # an aligned annotation's slots, by time
    for name in order:
        tier = tier_of[name]
        entries = by_tier.get(name, [])
        participant = (tier.author if tier else None) or ""
        parent_name = known[tier.parent_id].name if tier and tier.parent_id in known else None
        lt = (tier.linguistic_type if tier else None) or CATEGORY_TYPE
        types.setdefault(lt, tier if tier and tier.linguistic_type else None)
        symbolic = bool(tier and tier.constraint in SYMBOLIC)
        subdivision = bool(tier and tier.constraint == "Time_Subdivision")
        lanes = [entries] if (symbolic or name in has_children) else _lanes(entries) or [[]]
        for number, lane in enumerate(lanes, start=1):
            tier_id = name if number == 1 else f"{name} ({number})"
            attrs = {"LINGUISTIC_TYPE_REF": lt, "PARTICIPANT": participant, "TIER_ID": tier_id}
            if parent_name:
                attrs["PARENT_REF"] = parent_name
            main = ET.Element("TIER", attrs)
            children = {
                kind: ET.Element(
                    "TIER",
                    {
                        "LINGUISTIC_TYPE_REF": TEXT_TYPE,
                        "PARENT_REF": tier_id,
                        "PARTICIPANT": participant,
                        "TIER_ID": tier_id + suffix,
                    },
                )
                for kind, suffix in (("note", NOTE_SUFFIX), ("record", RECORD_SUFFIX))
            }
            previous: dict[str, str] = {}
            for item in sorted(lane, key=lambda i: (i.range.start, i.range.end, i.position)):
                a = item.annotation
                assert a is not None
                ident = ids[a.uuid]
                value = a.value or (item.category_label if lt == CATEGORY_TYPE else "")
                attrs = {"ANNOTATION_ID": ident}
                if symbolic and a.parent_uuid in ids:
                    parent_id = ids[a.parent_uuid or ""]
                    attrs["ANNOTATION_REF"] = parent_id
                    if tier and tier.constraint == "Symbolic_Subdivision" and parent_id in previous:
                        attrs["PREVIOUS_ANNOTATION"] = previous[parent_id]
                    previous[parent_id] = ident
                    tag = "REF_ANNOTATION"
                else:
                    rate = item.film.rate
                    times = (ms(item.range.start, rate), ms(item.range.end + 1, rate))
                    # A time subdivision shares its parent's time slots (and its neighbours'),
                    # as ELAN writes it: that is how ELAN and other readers find the parent.
                    shared = slots_of.get(a.parent_uuid or "") if subdivision else None
                    refs = []
                    for at in times:
                        if shared is None:
                            refs.append(slot(at))
                        else:
                            refs.append(shared.get(at) or shared.setdefault(at, slot(at)))
                    attrs["TIME_SLOT_REF1"], attrs["TIME_SLOT_REF2"] = refs
                    slots_of[a.uuid] = {times[1]: refs[1], times[0]: refs[0]}
                    tag = "ALIGNABLE_ANNOTATION"
                if item.category and item.category.id in vocab_of:
                    attrs["CVE_REF"] = _cve_id(item.category.key)
                element = ET.SubElement(ET.SubElement(main, "ANNOTATION"), tag, attrs)
                ET.SubElement(element, "ANNOTATION_VALUE").text = value
                for kind, text in (("note", item.text), ("record", _record(item, vocab_of))):
                    if kind == "note" and not text and tier and tier.linguistic_type:
                        continue  # an ELAN tier gets a note child only where there are notes
                    last_id += 1
                    ref = ET.SubElement(
                        ET.SubElement(children[kind], "ANNOTATION"),
                        "REF_ANNOTATION",
                        {"ANNOTATION_ID": f"a{last_id}", "ANNOTATION_REF": ident},
                    )
                    ET.SubElement(ref, "ANNOTATION_VALUE").text = text
            tiers.append(main)
            tiers += [t for t in children.values() if len(t) or not (tier and tier.linguistic_type)]
    ET.SubElement(header, "PROPERTY", {"NAME": "lastUsedAnnotationId"}).text = str(last_id)
    root.extend(tiers)
    default_vocab = (
        doc.vocabulary.key if doc.vocabulary and doc.vocabulary.key in vocabularies else None
    )
    for lt, tier in types.items():
        attrs = {"GRAPHIC_REFERENCES": "false", "LINGUISTIC_TYPE_ID": lt, "TIME_ALIGNABLE": "true"}
        cv = default_vocab if tier is None else tier.vocabulary_key
        if tier is not None and tier.constraint:
            attrs["CONSTRAINTS"] = tier.constraint
            if tier.constraint in SYMBOLIC:
                attrs["TIME_ALIGNABLE"] = "false"
        if cv in vocabularies:
            attrs["CONTROLLED_VOCABULARY_REF"] = cv or ""
        ET.SubElement(root, "LINGUISTIC_TYPE", dict(sorted(attrs.items())))
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
    external = _external_refs(vocabularies.values())
    for vocab in vocabularies.values():
        cv_element = ET.SubElement(root, "CONTROLLED_VOCABULARY", {"CV_ID": vocab.key})
        ET.SubElement(cv_element, "DESCRIPTION", {"LANG_REF": "eng"}).text = (
            vocab.description or vocab.name
        )
        if vocab.external_file:
            # ELAN reads the entries from the .ecv: the schema has the reference instead of
            # entries, and the annotations' CVE_REFs name the .ecv's own entry ids.
            cv_element.set("EXT_REF", external[vocab.external_file])
            continue
        for cat in vocab.categories:
            entry = ET.SubElement(cv_element, "CV_ENTRY_ML", {"CVE_ID": _cve_id(cat.key)})
            ET.SubElement(
                entry, "CVE_VALUE", {"DESCRIPTION": cat.definition_en or "", "LANG_REF": "eng"}
            ).text = cat.label_en
            if cat.label_fr:
                ET.SubElement(
                    entry, "CVE_VALUE", {"DESCRIPTION": cat.definition_fr or "", "LANG_REF": "fra"}
                ).text = cat.label_fr
    for url, ident in external.items():  # last in the file, as the schema orders it
        ET.SubElement(root, "EXTERNAL_REF", {"EXT_REF_ID": ident, "TYPE": "ecv", "VALUE": url})
    ET.indent(root)
    ET.ElementTree(root).write(out, encoding="UTF-8", xml_declaration=True)


def _external_refs(vocabularies: Iterable[Vocabulary]) -> dict[str, str]:
    """An EXTERNAL_REF id for each .ecv the vocabularies keep their entries in (one per file,
    as ELAN writes them: several CVs of one .ecv share it)."""
    found: dict[str, str] = {}
    for vocab in vocabularies:
        if vocab.external_file and vocab.external_file not in found:
            found[vocab.external_file] = f"er{len(found) + 1}"
    return found


def _depth(tier: Tier | None, known: dict[int | None, Tier]) -> int:
    n, seen = 0, set()
    while tier is not None and tier.parent_id in known and tier.id not in seen:
        seen.add(tier.id)
        tier = known[tier.parent_id]
        n += 1
    return n
