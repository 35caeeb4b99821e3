"""Controlled vocabularies: read and check them from JSON text, write JSON and ELAN .ecv text.

Pure functions over text (the caller reads and writes files), so a malformed or newer
file is refused with one sentence before anything in a project changes.
A vocabulary is a tree (levels -> types -> values, as in the AdA film ontology) whose
entries have stable dotted keys: 'temporal', 'temporal.identity-drift', ...
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from typing import Any

from critique_app.domain.model import Category, Vocabulary
from critique_app.domain.reading_limits import parse_xml, reading_limits
from critique_app.errors import UserError
from critique_app.i18n import _

FORMAT = "critique-vocabulary"
FORMAT_VERSION = 1
_CHILDREN = ("levels", "types", "values")  # the name of the child list at each depth
# Dotted keys; camelCase allowed so IPTC terms keep their spelling (…trainedAlgorithmicMedia).
_KEY = re.compile(r"^[a-z][A-Za-z0-9_-]*(\.[A-Za-z0-9][A-Za-z0-9_-]*)*$")
_ELAN_LANGS = {
    "en": ("eng", "English (eng)", "http://cdb.iso.org/lg/CDB-00138502-001"),
    "fr": ("fra", "French (fra)", "http://cdb.iso.org/lg/CDB-00138580-001"),
}


def _bilingual(
    entry: dict[str, Any], name: str, where: str, source: str, required: bool
) -> tuple[str | None, str | None]:
    value = entry.get(name)
    if value is None:
        if required:
            raise UserError(
                _("{source}: {where} has no {name}.").format(source=source, where=where, name=name)
            )
        return None, None
    if isinstance(value, str):
        return value, None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise UserError(
            _('{source}: the {name} of {where} must be text or {{"en": ..., "fr": ...}}.').format(
                source=source, name=name, where=where
            )
        )
    if required and not value.get("en"):
        raise UserError(
            _('{source}: {where} has no English {name} ("en").').format(
                source=source, where=where, name=name
            )
        )
    return value.get("en"), value.get("fr")


def parse_vocabulary(text: str, source: str | None = None) -> Vocabulary:
    """A vocabulary from JSON text; UserError naming `source` when it is malformed or newer."""
    source = source or _("The vocabulary file")  # in the language in use when it is read
    try:
        with reading_limits(source):
            data = json.loads(text)
    except json.JSONDecodeError as err:
        raise UserError(
            _("{source} is not valid JSON (line {line}, column {column}: {reason}).").format(
                source=source, line=err.lineno, column=err.colno, reason=err.msg
            )
        ) from None
    if not isinstance(data, dict):
        raise UserError(
            _("{source} is not a Critique vocabulary (expected a JSON object).").format(
                source=source
            )
        )
    if data.get("format") != FORMAT:
        raise UserError(
            _('{source} is not a Critique vocabulary (its "format" should be "{format}").').format(
                source=source, format=FORMAT
            )
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserError(_('{source} has no valid "format_version".').format(source=source))
    if version > FORMAT_VERSION:
        raise UserError(
            _(
                "{source} was written by a newer version of Critique (vocabulary format {version}; "
                "this version reads up to {latest}). Update Critique."
            ).format(source=source, version=version, latest=FORMAT_VERSION)
        )
    key = data.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise UserError(
            _('{source} needs a "key" of lower-case letters, digits and dashes.').format(
                source=source
            )
        )
    name_en, name_fr = _bilingual(data, "name", _("the vocabulary"), source, True)
    desc_en, desc_fr = _bilingual(data, "description", _("the vocabulary"), source, False)
    categories: list[Category] = []
    seen: set[str] = set()

    def walk(entries: Any, depth: int, parent: str | None) -> None:
        where_list = (
            _("the {list} of '{parent}'").format(list=_CHILDREN[min(depth, 2)], parent=parent)
            if parent
            else _('"levels"')
        )
        if not isinstance(entries, list):
            raise UserError(
                _("{source}: {where} must be a list.").format(source=source, where=where_list)
            )
        for position, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise UserError(
                    _("{source}: entry {number} of {where} is not an object.").format(
                        source=source, number=position + 1, where=where_list
                    )
                )
            ckey = entry.get("key")
            if not isinstance(ckey, str) or not _KEY.match(ckey):
                raise UserError(
                    _(
                        '{source}: entry {number} of {where} has no valid "key" (letters, digits, dashes '
                        "and dots, starting with a lower-case letter)."
                    ).format(source=source, number=position + 1, where=where_list)
                )
            if ckey in seen:
                raise UserError(
                    _("{source}: the key '{key}' is used twice.").format(source=source, key=ckey)
                )
            seen.add(ckey)
            where = f"'{ckey}'"
            label_en, label_fr = _bilingual(entry, "label", where, source, True)
            def_en, def_fr = _bilingual(entry, "definition", where, source, False)
            color = entry.get("color")
            if color is not None and not (
                isinstance(color, str) and re.match(r"^#[0-9a-fA-F]{6}$", color)
            ):
                raise UserError(
                    _("{source}: the colour of {where} must look like #4f8cc9.").format(
                        source=source, where=where
                    )
                )
            categories.append(
                Category(
                    key=ckey,
                    label_en=label_en or ckey,
                    label_fr=label_fr,
                    definition_en=def_en,
                    definition_fr=def_fr,
                    parent_key=parent,
                    color=color,
                    position=position,
                )
            )
            for child_name in _CHILDREN:
                if child_name in entry:
                    walk(entry[child_name], depth + 1, ckey)
                    break

    walk(data.get("levels"), 0, None)
    if not categories:
        raise UserError(
            _('{source} defines no categories ("levels" is empty).').format(source=source)
        )
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    metadata = dict(metadata or {})
    if name_fr:
        metadata["name_fr"] = name_fr
    if desc_fr:
        metadata["description_fr"] = desc_fr
    version_text = data.get("version")
    return Vocabulary(
        key=key,
        name=name_en or key,
        version=str(version_text) if version_text else None,
        description=desc_en,
        categories=tuple(categories),
        metadata=metadata,
    )


def _text(en: str | None, fr: str | None) -> Any:
    return {k: v for k, v in (("en", en), ("fr", fr)) if v} if fr else en


def vocabulary_to_dict(vocabulary: Vocabulary) -> dict[str, Any]:
    """The JSON structure `parse_vocabulary` reads back to an equal vocabulary."""
    meta = dict(vocabulary.metadata)
    name_fr = meta.pop("name_fr", None)
    desc_fr = meta.pop("description_fr", None)

    def entries(parent: str | None, depth: int) -> list[dict[str, Any]]:
        out = []
        for cat in vocabulary.children(parent):
            item: dict[str, Any] = {"key": cat.key, "label": _text(cat.label_en, cat.label_fr)}
            if cat.definition_en or cat.definition_fr:
                item["definition"] = _text(cat.definition_en, cat.definition_fr)
            if cat.color:
                item["color"] = cat.color
            kids = entries(cat.key, depth + 1)
            if kids:
                item[_CHILDREN[min(depth + 1, len(_CHILDREN) - 1)]] = kids
            out.append(item)
        return out

    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "key": vocabulary.key,
        "name": _text(vocabulary.name, str(name_fr) if name_fr else None),
    }
    if vocabulary.version:
        data["version"] = vocabulary.version
    if vocabulary.description or desc_fr:
        data["description"] = _text(vocabulary.description, str(desc_fr) if desc_fr else None)
    if meta:
        data["metadata"] = meta
    data["levels"] = entries(None, 0)
    return data


def vocabulary_to_json(vocabulary: Vocabulary) -> str:
    return json.dumps(vocabulary_to_dict(vocabulary), ensure_ascii=False, indent=2) + "\n"


def vocabulary_to_ecv(vocabulary: Vocabulary) -> str:
    """An ELAN external controlled vocabulary (.ecv): one CV, entries in English and French.

    ELAN vocabularies are flat; the tree survives in the dotted entry ids.
    """
    root = ET.Element(
        "CV_RESOURCE",
        {
            "AUTHOR": "Critique",
            "DATE": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "VERSION": "0.2",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "http://www.mpi.nl/tools/elan/EAFv2.8.xsd",
        },
    )
    for code, label, definition in _ELAN_LANGS.values():
        ET.SubElement(
            root, "LANGUAGE", {"LANG_DEF": definition, "LANG_ID": code, "LANG_LABEL": label}
        )
    cv = ET.SubElement(root, "CONTROLLED_VOCABULARY", {"CV_ID": vocabulary.key})
    desc_fr = vocabulary.metadata.get("description_fr")
    for lang, text in (("eng", vocabulary.description), ("fra", desc_fr)):
        element = ET.SubElement(cv, "DESCRIPTION", {"LANG_REF": lang})
        element.text = str(text) if text else None
    for cat in vocabulary.categories:
        entry = ET.SubElement(cv, "CV_ENTRY_ML", {"CVE_ID": cat.key})
        rows: tuple[tuple[str, str | None, str | None], ...] = (
            ("eng", cat.label_en, cat.definition_en),
            ("fra", cat.label_fr, cat.definition_fr),
        )
        for lang, value, meaning in rows:
            element = ET.SubElement(
                entry, "CVE_VALUE", {"DESCRIPTION": meaning or "", "LANG_REF": lang}
            )
            element.text = value or cat.label_en
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def parse_ecv(text: str, source: str | None = None, *, name: str | None = None) -> Vocabulary:
    """A vocabulary from an ELAN .ecv file (the first controlled vocabulary in it)."""
    source = source or _("The ELAN vocabulary file")
    try:
        root = parse_xml(text, source)
    except ET.ParseError as err:
        raise UserError(
            _("{source} is not valid XML ({reason}).").format(source=source, reason=err)
        ) from None
    if root.tag != "CV_RESOURCE":
        raise UserError(
            _("{source} is not an ELAN controlled vocabulary (no CV_RESOURCE).").format(
                source=source
            )
        )
    langs = {e.get("LANG_ID"): e.get("LANG_DEF", "") for e in root.findall("LANGUAGE")}
    codes = {code: short for short, (code, _, _) in _ELAN_LANGS.items()}
    cv = root.find("CONTROLLED_VOCABULARY")
    if cv is None:
        raise UserError(_("{source} holds no controlled vocabulary.").format(source=source))
    key = (cv.get("CV_ID") or "").strip()
    norm_key = re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-") or "elan-vocabulary"
    if not norm_key[0].isalpha():
        norm_key = "cv-" + norm_key
    descriptions = {
        codes.get(d.get("LANG_REF", ""), "en"): (d.text or "").strip()
        for d in cv.findall("DESCRIPTION")
    }
    raw: list[tuple[str, dict[str, tuple[str, str]]]] = []
    for position, entry in enumerate(cv.findall("CV_ENTRY_ML")):
        values: dict[str, tuple[str, str]] = {}
        for value in entry.findall("CVE_VALUE"):
            lang = codes.get(value.get("LANG_REF", ""), value.get("LANG_REF", ""))
            values[lang] = ((value.text or "").strip(), value.get("DESCRIPTION", "").strip())
        ckey = (entry.get("CVE_ID") or "").strip()
        if not _KEY.match(ckey):
            ckey = f"entry-{position + 1}"
        raw.append((ckey, values))
    if not raw:
        raise UserError(
            _("{source} holds a controlled vocabulary with no entries.").format(source=source)
        )
    keys = {k for k, _ in raw}
    categories = []
    counters: dict[str | None, int] = {}
    for ckey, values in raw:
        parent = _parent_key(ckey, keys)
        position = counters.get(parent, 0)
        counters[parent] = position + 1
        first = next(iter(values.values()), ("", ""))
        en = values.get("en", first)
        fr = values.get("fr")
        categories.append(
            Category(
                key=ckey,
                label_en=en[0] or ckey,
                label_fr=fr[0] if fr and fr[0] else None,
                definition_en=en[1] or None,
                definition_fr=fr[1] if fr and fr[1] else None,
                parent_key=parent,
                position=position,
            )
        )
    del langs
    meta: dict[str, object] = {"imported_from": "ELAN .ecv"}
    if descriptions.get("fr"):
        meta["description_fr"] = descriptions["fr"]
    return Vocabulary(
        key=norm_key,
        name=name or key or norm_key,
        description=descriptions.get("en") or None,
        categories=tuple(_parents_first(categories)),
        metadata=meta,
    )


def _parent_key(key: str, keys: set[str]) -> str | None:
    parts = key.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:cut])
        if candidate in keys:
            return candidate
    return None


def _parents_first(categories: list[Category]) -> list[Category]:
    by_parent: dict[str | None, list[Category]] = {}
    for cat in categories:
        by_parent.setdefault(cat.parent_key, []).append(cat)
    ordered: list[Category] = []

    def walk(parent: str | None) -> None:
        for cat in by_parent.get(parent, []):
            ordered.append(cat)
            walk(cat.key)

    walk(None)
    return ordered
