"""Trim a large ELAN file to its first minutes, keeping its structure (used once to make the
corpus; see SOURCES.md). Keeps every tier, type, CV and header; keeps the aligned annotations
whose time slots come before the cut (in TIME_ORDER), their descendants, and those slots.

    python tests/foreign/trim_eaf.py IN.eaf OUT.eaf CUT_MS
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def trim(source: str, target: str, cut_ms: int) -> None:
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    tree = ET.parse(source)
    root = tree.getroot()
    order = root.find("TIME_ORDER")
    assert order is not None
    slots = list(order)
    cut = next(
        (
            n
            for n, s in enumerate(slots)
            if s.get("TIME_VALUE") and int(s.get("TIME_VALUE") or 0) >= cut_ms
        ),
        len(slots),
    )
    keep_slots = {s.get("TIME_SLOT_ID") for s in slots[:cut]}
    kept: set[str] = set()
    for ann in root.iterfind("TIER/ANNOTATION/ALIGNABLE_ANNOTATION"):
        if ann.get("TIME_SLOT_REF1") in keep_slots and ann.get("TIME_SLOT_REF2") in keep_slots:
            kept.add(ann.get("ANNOTATION_ID") or "")
    grew = True
    while grew:
        grew = False
        for ann in root.iterfind("TIER/ANNOTATION/REF_ANNOTATION"):
            ident = ann.get("ANNOTATION_ID") or ""
            if ident not in kept and ann.get("ANNOTATION_REF") in kept:
                kept.add(ident)
                grew = True
    for tier in root.iterfind("TIER"):
        for wrapper in list(tier):
            inner = wrapper[0]
            if inner.get("ANNOTATION_ID") not in kept:
                tier.remove(wrapper)
    for slot in slots[cut:]:
        order.remove(slot)
    tree.write(target, encoding="UTF-8", xml_declaration=True)


if __name__ == "__main__":
    trim(sys.argv[1], sys.argv[2], int(sys.argv[3]))
