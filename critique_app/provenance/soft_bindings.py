"""Soft bindings a manifest declares (c2pa.soft-binding): a watermark or a fingerprint that can
find the credentials again once a copy lost them, named from the C2PA algorithm list.

Critique shows each one (algorithm, value shortened, scope) as the signed manifest declares it.
It decodes no watermark and computes no vendor fingerprint: that needs the vendor's decoder.
So a soft binding never makes or changes a verdict, and a watermark Critique cannot see in a
copy proves nothing. The names come from a dated snapshot of the C2PA soft-binding algorithm
list in resources/softbinding (its source and licence are in ATTRIBUTION.md there).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from critique_app.i18n import _, join_items
from critique_app.paths import resource

SHORT = 24  # a value longer than this is shown as its start … its end


@lru_cache(maxsize=1)
def algorithm_list() -> dict[str, Any]:
    """The bundled snapshot: {source, commit, date, licence, algorithms: [...]}."""
    return dict(json.loads(resource("softbinding", "algorithm-list.json").read_text("utf-8")))


def algorithm(alg: str | None) -> dict[str, Any] | None:
    """The list's entry for an `alg` name, or None when the list (as bundled) does not hold it."""
    for entry in algorithm_list()["algorithms"]:
        if entry["alg"] == alg:
            return dict(entry)
    return None


def shortened(value: str) -> str:
    return value if len(value) <= SHORT else f"{value[:14]}…{value[-8:]}"


def scope_words(scope: dict[str, Any] | None) -> str:
    """What part of the asset a block covers, in words."""
    if not scope:
        return _("the whole asset")
    parts = []
    span = scope.get("timespan")
    if isinstance(span, dict):
        parts.append(
            _("the time span {start} to {end}").format(
                start=span.get("start", "?"), end=span.get("end", "?")
            )
        )
    if scope.get("region"):
        parts.append(_("a region of the picture"))
    if scope.get("extent") is not None:
        parts.append(_("a part of the asset's bytes"))
    return ", ".join(parts) or _("a part of the asset it does not describe")


def note(kind: str | None) -> str:
    """What Critique can and cannot say about a soft binding of this kind."""
    if kind == "fingerprint":
        return _(
            "Computing this fingerprint needs the vendor's own algorithm, which Critique does "
            "not include: it is shown as the credentials declare it, not checked."
        )
    return _(
        "Decoding this watermark needs the vendor's decoder, which Critique does not include: "
        "it is shown as the credentials declare it, not checked, and not finding it in a copy "
        "would prove nothing."
    )


def describe(found: dict[str, Any]) -> dict[str, Any]:
    """One soft binding for the report (`c2pa.soft_bindings` in `verify --json`)."""
    entry = algorithm(found.get("alg"))
    kind = entry["type"] if entry else None
    return {
        "assertion": found.get("assertion"),
        "alg": found.get("alg"),
        "algorithm_name": entry["description"] if entry else None,
        "kind": kind,  # watermark | fingerprint | None (not on the list)
        "on_c2pa_list": entry is not None,
        "informational_url": entry.get("informational_url") if entry else None,
        "name": found.get("name"),
        "blocks": [
            {
                "value": b.get("value", ""),
                "value_shown": shortened(str(b.get("value", ""))),
                "scope": b.get("scope") or {},
                "scope_words": scope_words(b.get("scope")),
            }
            for b in found.get("blocks") or []
        ],
        "note": note(kind),
    }


def kind_words(kind: str | None) -> str:
    if kind == "watermark":
        return _("a watermark")
    if kind == "fingerprint":
        return _("a fingerprint")
    return _("an algorithm not on the C2PA soft-binding list (as bundled, {date})").format(
        date=algorithm_list()["date"]
    )


def sentence(sb: dict[str, Any]) -> str:
    """One soft binding in a sentence: 'Adobe Trustmark variant P, a watermark
    (com.adobe.trustmark.P): 2*0010011110…1110 over the whole asset.'"""
    name = sb.get("algorithm_name") or sb.get("alg") or _("an unnamed algorithm")
    values = join_items(
        _("{value} over {scope}").format(value=b["value_shown"], scope=b["scope_words"])
        for b in sb.get("blocks") or []
    ) or _("no value")
    return _("{name}, {kind} ({alg}): {values}.").format(
        name=name, kind=kind_words(sb.get("kind")), alg=sb.get("alg"), values=values
    )


def heading() -> str:
    return _(
        "Soft bindings (declared in the credentials, to find them again if a copy loses them; "
        "never part of the verdict, and their absence proves nothing):"
    )
