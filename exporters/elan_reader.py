"""Reading ELAN annotation files (EAF 2.3 to 3.0): tiers with their hierarchy, values,
controlled vocabularies.

Reading keeps what ELAN users wrote: every annotation's text becomes its value, child tiers
keep their parent, linguistic type and constraint, child annotations their parent, unaligned
time slots are placed as ELAN places them, and CV entries become vocabulary entries. Critique's
own EAF (exporters/elan_writer.py) comes back whole through its note and record tiers.
"""

from __future__ import annotations

import hashlib
import json
import uuid as uuid_module
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from critique_app.domain.annotation_record import from_record
from critique_app.domain.model import (
    Annotation,
    Category,
    FrameRange,
    Vocabulary,
)
from critique_app.domain.reading_limits import parse_xml
from critique_app.errors import UserError
from critique_app.i18n import _
from exporters.document import Imported, ImportedFile, ImportedList, TierSpec
from exporters.elan import CATEGORY_TYPE, NOTE_SUFFIX, RECORD_SUFFIX
from exporters.elan_links import keep_empty_vocabularies, link_time_children, unplaced_sentence

# ELAN files never declare a DTD or entities; a file that does is refused before parsing, which
# shuts out entity expansion ("billion laughs") and external-entity file reading at once.
_DANGEROUS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
# Deterministic identifiers for a foreign file's annotations: importing it twice adds nothing.
_NAMESPACE = uuid_module.UUID("6f1c2a8e-5d0b-4c1e-9a55-1e0c7a0e1a7f")


@dataclass
class _Ann:
    ident: str
    tier: str
    value: str
    line_hint: str
    ref1: str | None = None
    ref2: str | None = None
    parent: str | None = None  # ANNOTATION_REF of a REF_ANNOTATION
    previous: str | None = None  # PREVIOUS_ANNOTATION (symbolic subdivision order)
    cve_ref: str | None = None
    start: Fraction | None = None  # milliseconds, once resolved
    end: Fraction | None = None


def _line(raw: bytes, ident: str) -> int | None:
    """The line of an annotation in the file (only looked up to write an error sentence)."""
    at = raw.find(f'ANNOTATION_ID="{ident}"'.encode())
    return raw.count(b"\n", 0, at) + 1 if at >= 0 else None


def _where(raw: bytes, ident: str) -> str:
    line = _line(raw, ident)
    return f"annotation {ident}" + (f" (line {line})" if line else "")


def _vocabularies(root: ET.Element) -> list[Vocabulary]:
    """CONTROLLED_VOCABULARY elements (EAF 2.7 CV_ENTRY and 2.8+ CV_ENTRY_ML) as vocabularies;
    each entry id (CVE_ID) becomes a category key, so CVE_REFs find their entry again."""
    langs = {lang.get("LANG_ID"): lang.get("LANG_ID") for lang in root.iterfind("LANGUAGE")}
    found = []
    for cv in root.iterfind("CONTROLLED_VOCABULARY"):
        key = cv.get("CV_ID") or ""
        description = cv.get("DESCRIPTION") or cv.findtext("DESCRIPTION") or None
        cats = []
        for n, entry in enumerate(cv.iterfind("CV_ENTRY")):  # EAF 2.7 and older
            value = (entry.text or "").strip()
            cats.append(
                Category(
                    key=entry.get("CVE_ID") or value,
                    label_en=value or (entry.get("CVE_ID") or "?"),
                    definition_en=entry.get("DESCRIPTION") or None,
                    position=n,
                )
            )
        for n, entry in enumerate(cv.iterfind("CV_ENTRY_ML")):  # EAF 2.8 and 3.0
            values = {
                langs.get(v.get("LANG_REF"), v.get("LANG_REF")): (
                    (v.text or "").strip(),
                    v.get("DESCRIPTION") or None,
                )
                for v in entry.iterfind("CVE_VALUE")
            }
            en = values.get("eng") or next(iter(values.values()), ("", None))
            fr = values.get("fra") or values.get("fre")
            ident = entry.get("CVE_ID") or en[0]
            cats.append(
                Category(
                    key=ident,
                    label_en=en[0] or ident,
                    label_fr=fr[0] if fr else None,
                    definition_en=en[1],
                    definition_fr=fr[1] if fr else None,
                    position=n,
                )
            )
        if key:  # an empty CV too: ELAN keeps it, and so does the project (elan_links)
            found.append(
                Vocabulary(key=key, name=key, description=description, categories=tuple(cats))
            )
    return found


def _interpolate(
    anns: list[_Ann], slots: dict[str, int | None], order: dict[str, int]
) -> dict[str, Fraction]:
    """Times of every slot, as ELAN places unaligned ones: spread evenly between the aligned
    slots before and after them on the same tier (slots are taken in time order)."""
    times: dict[str, Fraction] = {k: Fraction(v) for k, v in slots.items() if v is not None}
    by_tier: dict[str, list[_Ann]] = {}
    for a in anns:
        if a.ref1 is not None:
            by_tier.setdefault(a.tier, []).append(a)
    for tier_anns in by_tier.values():
        chain: list[str] = []
        for a in sorted(
            tier_anns, key=lambda a: (order.get(a.ref1 or "", 0), order.get(a.ref2 or "", 0))
        ):
            for ref in (a.ref1, a.ref2):
                if ref is not None and (not chain or chain[-1] != ref):
                    chain.append(ref)
        n = 0
        while n < len(chain):
            if chain[n] in times:
                n += 1
                continue
            run_end = n
            while run_end < len(chain) and chain[run_end] not in times:
                run_end += 1
            before = times.get(chain[n - 1]) if n > 0 else None
            after = times.get(chain[run_end]) if run_end < len(chain) else None
            if before is None and after is None:
                n = run_end
                continue
            lo = before if before is not None else after
            hi = after if after is not None else before
            assert lo is not None and hi is not None
            steps = run_end - n + 1
            for k in range(n, run_end):
                times[chain[k]] = lo + (hi - lo) * (k - n + 1) / steps
            n = run_end
    return times


def read(path: Path, rate: Fraction | None = None) -> ImportedList:
    """Every annotation of an EAF, its text as the value, with ELAN's tier hierarchy.

    Critique's own files restore every field from their record tier. Times stay seconds
    until the import service knows the film (and its exact rate).
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UserError(
            _("{name} cannot be read ({reason}).").format(name=path.name, reason=err.strerror)
        ) from None
    if any(marker in raw for marker in _DANGEROUS):
        raise UserError(
            _(
                "{name} declares a DTD or XML entities, which ELAN files never do: Critique does not "
                "read it (such declarations are how XML entity attacks work)."
            ).format(name=path.name)
        )
    try:
        root = parse_xml(raw, path.name)  # also refuses a DTD in any encoding
    except ET.ParseError as err:
        raise UserError(
            _("{name} is not a readable ELAN file ({reason}).").format(name=path.name, reason=err)
        ) from None
    if root.tag != "ANNOTATION_DOCUMENT":
        raise UserError(
            _("{name} is not an ELAN file (no ANNOTATION_DOCUMENT).").format(name=path.name)
        )
    info = ImportedFile([], skipped_what="annotations")
    props = {p.get("NAME"): p.text or "" for p in root.iterfind("HEADER/PROPERTY")}
    own_rate = Fraction(props["critique:rate"]) if props.get("critique:rate") else None
    media = tuple(
        name
        for d in root.iterfind("HEADER/MEDIA_DESCRIPTOR")
        for name in (_media_name(d.get("MEDIA_URL")), _media_name(d.get("RELATIVE_MEDIA_URL")))
        if name
    )
    film_sha, film_title = props.get("critique:film_sha256"), props.get("critique:film_title")
    slots: dict[str, int | None] = {}
    order: dict[str, int] = {}
    for n, slot in enumerate(root.iterfind("TIME_ORDER/TIME_SLOT")):
        ident = slot.get("TIME_SLOT_ID") or ""
        value = slot.get("TIME_VALUE")
        try:
            slots[ident] = int(value) if value not in (None, "") else None
        except ValueError:
            raise UserError(
                _("{name}: the time slot {ident} has the time '{time}', not milliseconds.").format(
                    name=path.name, ident=ident, time=value
                )
            ) from None
        order[ident] = n
    types = {
        lt.get("LINGUISTIC_TYPE_ID"): (
            lt.get("CONSTRAINTS") or None,
            lt.get("CONTROLLED_VOCABULARY_REF") or None,
        )
        for lt in root.iterfind("LINGUISTIC_TYPE")
    }
    info.vocabularies = _vocabularies(root)
    cv_keys = {v.key: v for v in info.vocabularies}
    tiers: dict[str, TierSpec] = {}
    anns: dict[str, _Ann] = {}
    refs: dict[str, dict[str, str]] = {}  # Critique's own note and record, by parent id
    for tier in root.iterfind("TIER"):
        name = tier.get("TIER_ID") or "ELAN"
        suffix = next((s for s in (NOTE_SUFFIX, RECORD_SUFFIX) if name.endswith(s)), None)
        if suffix is not None and own_rate is not None:
            kind = "record" if suffix == RECORD_SUFFIX else "note"
            for ref in tier.iterfind("ANNOTATION/REF_ANNOTATION"):
                refs.setdefault(ref.get("ANNOTATION_REF") or "", {})[kind] = (
                    ref.findtext("ANNOTATION_VALUE") or ""
                )
            continue
        lt = tier.get("LINGUISTIC_TYPE_REF")
        constraint, cv = types.get(lt, (None, None))
        tiers[name] = TierSpec(
            name=name,
            author=tier.get("PARTICIPANT") or tier.get("ANNOTATOR") or None,
            parent=tier.get("PARENT_REF") or None,
            linguistic_type=lt if lt not in (None, CATEGORY_TYPE) else None,
            constraint=constraint,
            vocabulary_key=cv,
        )
        for ann in tier.iterfind("ANNOTATION/*"):
            ident = ann.get("ANNOTATION_ID") or ""
            item = _Ann(ident, name, ann.findtext("ANNOTATION_VALUE") or "", ident)
            item.cve_ref = ann.get("CVE_REF") or None
            if ann.tag == "ALIGNABLE_ANNOTATION":
                item.ref1, item.ref2 = ann.get("TIME_SLOT_REF1"), ann.get("TIME_SLOT_REF2")
                for slot_id in (item.ref1, item.ref2):
                    if slot_id not in slots:
                        raise UserError(
                            _(
                                "{name}: {where} on tier {tier} refers to the time slot {slot}, which is not in "
                                "the file's TIME_ORDER."
                            ).format(
                                name=path.name,
                                where=_where(raw, ident),
                                tier=name,
                                slot=slot_id or _("(none)"),
                            )
                        )
            elif ann.tag == "REF_ANNOTATION":
                item.parent = ann.get("ANNOTATION_REF")
                item.previous = ann.get("PREVIOUS_ANNOTATION") or None
            else:
                continue
            anns[ident] = item
    for name, spec in tiers.items():
        if spec.parent is not None and spec.parent not in tiers:
            raise UserError(
                _(
                    "{name}: the tier {tier} names the parent tier {parent}, which is not in the file."
                ).format(name=path.name, tier=name, parent=spec.parent)
            )
    for a in anns.values():
        if a.parent is not None and a.parent not in anns and a.parent not in refs:
            raise UserError(
                _(
                    "{name}: {where} on tier {tier} refers to the parent annotation {parent}, which is "
                    "not in the file."
                ).format(name=path.name, where=_where(raw, a.ident), tier=a.tier, parent=a.parent)
            )
    # A CV kept in an external file (.ecv) has no entries here: its entries are made from the
    # references the annotations hold (entry id -> the value written), so they survive.
    external: dict[str, dict[str, str]] = {}
    for a in anns.values():
        cv = tiers[a.tier].vocabulary_key
        if a.cve_ref and cv and (cv not in cv_keys or not cv_keys[cv].categories):
            external.setdefault(cv, {}).setdefault(a.cve_ref, a.value.strip() or a.cve_ref)
    info.vocabularies = [v for v in info.vocabularies if v.key not in external]
    for cv, entries in external.items():
        vocab = Vocabulary(
            key=cv,
            name=cv,
            description=_(
                "{cv} (entries found in {name}; the full list is in an external file)"
            ).format(cv=cv, name=path.name),
            categories=tuple(
                Category(key=k, label_en=label, position=n)
                for n, (k, label) in enumerate(entries.items())
            ),
        )
        info.vocabularies.append(vocab)
        cv_keys[cv] = vocab
    info.vocabularies = keep_empty_vocabularies(root, info.vocabularies, info.notes)
    info.tiers = _parents_first(list(tiers.values()))
    times = _interpolate(list(anns.values()), slots, order)
    _place_children(anns, times, tiers)
    # Time_Subdivision and Included_In children are aligned annotations: their parent is the
    # annotation of the parent tier whose span holds them (ELAN writes no reference).
    unplaced = link_time_children(anns, tiers)
    if unplaced:
        info.notes.append(unplaced_sentence(unplaced, lambda a: _where(raw, a.ident)))
    base = props.get("URN") or hashlib.sha256(raw).hexdigest()
    uuids = {
        a.ident: str(uuid_module.uuid5(_NAMESPACE, f"{base}#{a.ident}")) for a in anns.values()
    }
    bad_refs: list[str] = []
    for a in anns.values():
        extra = refs.get(a.ident, {})
        if "record" in extra:
            try:
                info.add(_restored(extra, a.value, a.tier, film_sha, film_title))
            except (KeyError, ValueError, TypeError) as err:
                raise UserError(
                    _("{name}: the Critique record of {where} cannot be read ({reason}).").format(
                        name=path.name, where=_where(raw, a.ident), reason=err
                    )
                ) from None
            continue
        if a.start is None or a.end is None:
            info.skip(
                _("{where} on tier {tier} has no time ELAN could place").format(
                    where=_where(raw, a.ident), tier=a.tier
                )
            )
            continue
        spec = tiers[a.tier]
        tier_cv = cv_keys.get(spec.vocabulary_key or "")
        key = a.cve_ref
        if key is not None and tier_cv is not None and tier_cv.category(key) is None:
            bad_refs.append(
                _(
                    "{where} refers to the entry {key}, which is not in the controlled vocabulary "
                    "{vocabulary}: its value is kept without a category"
                ).format(where=_where(raw, a.ident), key=key, vocabulary=tier_cv.key)
            )
            key = None
        if key is None and tier_cv is not None:  # EAF 2.7 and older: the value is the entry
            key = next((c.key for c in tier_cv.categories if a.value.strip() == c.label_en), None)
        parent_uuid = None
        if a.parent is not None:
            parent_uuid = uuids.get(a.parent) or _record_uuid(refs.get(a.parent, {}))
        annotation = Annotation(
            id=None,
            uuid=uuids[a.ident],
            film_id=0,
            tier_id=0,
            range=FrameRange(0, 0),
            author=spec.author or "",
            value=a.value,
            parent_uuid=parent_uuid,
        )
        info.add(
            Imported(
                annotation,
                a.tier,
                film_sha,
                film_title,
                key,
                None,
                spec.author,
                vocabulary_key=spec.vocabulary_key if key else None,
                seconds=(a.start / 1000, max(a.start, a.end) / 1000),
                film_names=media,
            )
        )
    if bad_refs:
        more = len(bad_refs) - 2
        info.notes.append(
            "; ".join(bad_refs[:2])
            + (_(" (and {more} more wrong CV references)").format(more=more) if more > 0 else "")
        )
    return ImportedList(info)


def _media_name(url: str | None) -> str | None:
    if not url:
        return None
    name = url.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name or None


def _record_uuid(extra: dict[str, str]) -> str | None:
    if "record" not in extra:
        return None
    try:
        return str(json.loads(extra["record"])["uuid"])
    except (ValueError, KeyError, TypeError):
        return None


def _parents_first(specs: list[TierSpec]) -> list[TierSpec]:
    by_name = {s.name: s for s in specs}

    def depth(spec: TierSpec) -> int:
        seen, n, up = {spec.name}, 0, spec.parent
        while up is not None and up in by_name and up not in seen:
            seen.add(up)
            n += 1
            up = by_name[up].parent
        return n

    return sorted(specs, key=depth)


def _place_children(
    anns: dict[str, _Ann], times: dict[str, Fraction], tiers: dict[str, TierSpec]
) -> None:
    """Times of every annotation: aligned ones from their slots; a REF_ANNOTATION takes its
    parent's span, and symbolic subdivisions share it evenly in PREVIOUS_ANNOTATION order."""
    for a in anns.values():
        if a.ref1 is not None:
            a.start, a.end = times.get(a.ref1), times.get(a.ref2 or "")
    siblings: dict[str, list[_Ann]] = {}
    for a in anns.values():
        if a.parent is not None:
            siblings.setdefault(a.parent, []).append(a)
    done: set[str] = set()

    def place(a: _Ann, depth: int = 0) -> None:
        if a.ident in done or a.parent is None or depth > 64:
            return
        parent = anns.get(a.parent)
        if parent is None:
            done.add(a.ident)
            return
        place(parent, depth + 1)
        group = [s for s in siblings.get(a.parent, []) if s.tier == a.tier]
        ordered = _chain(group)
        if parent.start is None or parent.end is None:
            done.update(s.ident for s in ordered)
            return
        constraint = tiers[a.tier].constraint
        count = len(ordered) if constraint == "Symbolic_Subdivision" else 1
        span = parent.end - parent.start
        for n, s in enumerate(ordered):
            k = n if count > 1 else 0
            s.start = parent.start + span * k / count
            s.end = parent.start + span * (k + 1) / count
            done.add(s.ident)

    for a in anns.values():
        place(a)


def _chain(group: list[_Ann]) -> list[_Ann]:
    """Siblings in ELAN's order: follow PREVIOUS_ANNOTATION links from the first."""
    if len(group) < 2:
        return group
    by_prev = {s.previous: s for s in group}
    first = by_prev.get(None)
    if first is None:
        return group
    ordered, seen = [first], {first.ident}
    while (nxt := by_prev.get(ordered[-1].ident)) is not None and nxt.ident not in seen:
        ordered.append(nxt)
        seen.add(nxt.ident)
    return ordered + [s for s in group if s.ident not in seen]


def _restored(
    extra: dict[str, str], label: str, tier: str, film_sha: str | None, film_title: str | None
) -> Imported:
    m = json.loads(extra["record"])
    annotation = from_record(m, note=extra.get("note", ""))
    return Imported(
        annotation,
        m.get("tier") or tier,
        film_sha,
        film_title,
        m.get("category_key"),
        label if not m.get("value") and label else None,
        m.get("tier_author"),
        vocabulary_key=m.get("vocabulary_key"),
    )
