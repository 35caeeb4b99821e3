"""What an EAF says without references: the parent of a time-aligned child annotation, and
controlled vocabularies with no entries in the file.

ELAN links a Symbolic_Subdivision or Symbolic_Association child to its parent by reference
(ANNOTATION_REF), but a Time_Subdivision or Included_In child is an aligned annotation of its
own: its parent is the annotation of the parent tier whose time span holds it. A CV may have no
entries in the file (they are in an external .ecv, or it was never filled); ELAN keeps it, and
so does the project, as an empty vocabulary.
"""

from __future__ import annotations

import bisect
import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Callable
from fractions import Fraction
from typing import Protocol, TypeVar

from critique_app.domain.model import Vocabulary
from critique_app.i18n import _, ngettext
from exporters.document import TierSpec

TIME_CHILDREN = ("Time_Subdivision", "Included_In")


class _Annotation(Protocol):
    """An annotation as the EAF reader holds it (exporters.elan_reader._Ann)."""

    ident: str
    tier: str
    ref1: str | None  # time slots of an aligned annotation
    ref2: str | None
    parent: str | None  # the parent annotation's id
    start: Fraction | None  # milliseconds, once placed
    end: Fraction | None


_Ann = TypeVar("_Ann", bound=_Annotation)


def link_time_children(anns: dict[str, _Ann], tiers: dict[str, TierSpec]) -> list[_Ann]:
    """Give each aligned child of a Time_Subdivision or Included_In tier its parent annotation
    (`parent`, as a reference would); the children that no parent annotation holds are
    returned (a file cut short, or edited by hand)."""
    placed: dict[str, list[_Ann]] = {}
    for a in anns.values():
        if a.ref1 is not None and a.start is not None and a.end is not None:
            placed.setdefault(a.tier, []).append(a)
    for spans in placed.values():
        spans.sort(key=lambda a: (a.start, a.end))
    unplaced: list[_Ann] = []
    for name, spec in tiers.items():
        if spec.constraint not in TIME_CHILDREN or spec.parent is None:
            continue
        parents = placed.get(spec.parent, [])
        starts = [p.start for p in parents if p.start is not None]  # all placed: all of them
        # ELAN makes a subdivision share its parent's first and last time slot
        by_slot = {slot: p for p in parents for slot in (p.ref1, p.ref2)}
        for child in placed.get(name, []):
            if child.parent is not None:
                continue
            parent = by_slot.get(child.ref1) or by_slot.get(child.ref2 or "")
            if parent is None or not _holds(parent, child):
                parent = _holder(child, parents, starts)
            if parent is None:
                unplaced.append(child)
            else:
                child.parent = parent.ident
    return unplaced


def _holds(parent: _Ann, child: _Ann) -> bool:
    if parent.start is None or parent.end is None or child.start is None or child.end is None:
        return False
    return parent.start <= child.start and child.end <= parent.end


def _holder(child: _Ann, parents: list[_Ann], starts: list[Fraction]) -> _Ann | None:
    """The parent annotation whose span holds the child: among those starting at or before
    it, latest first (annotations of one ELAN tier do not overlap, so ends rise with starts)."""
    if child.start is None:
        return None
    for n in range(bisect.bisect_right(starts, child.start) - 1, -1, -1):
        parent = parents[n]
        if _holds(parent, child):
            return parent
        if parent.end is not None and parent.end < child.start:
            break
    return None


def unplaced_sentence(unplaced: list[_Ann], where: Callable[[_Ann], str]) -> str:
    """Children no parent annotation holds, counted and named (they keep no parent)."""
    shown = ", ".join(f"{where(a)} on tier {a.tier}" for a in unplaced[:3])
    more = len(unplaced) - 3
    if more > 0:
        shown += ngettext(" and {count} more", " and {count} more", more).format(count=more)
    return ngettext(
        "{count} annotation of a time-subdivision or included-in tier lies within no "
        "annotation of its parent tier and is kept without a parent: {which}",
        "{count} annotations of time-subdivision or included-in tiers lie within no "
        "annotation of their parent tier and are kept without a parent: {which}",
        len(unplaced),
    ).format(count=len(unplaced), which=shown)


def keep_empty_vocabularies(
    root: ET.Element, vocabularies: list[Vocabulary], notes: list[str]
) -> list[Vocabulary]:
    """The file's CVs, the empty ones described (where their entries are) and named in the
    import's sentence, so an empty vocabulary in the project is no surprise; a CV whose
    entries are in an external .ecv keeps that file's address."""
    external = {
        ref.get("EXT_REF_ID"): ref.get("VALUE") or ""
        for ref in root.iterfind("EXTERNAL_REF")
        if ref.get("TYPE") == "ecv"
    }
    ext_of = {
        cv.get("CV_ID"): external.get(cv.get("EXT_REF"))
        for cv in root.iterfind("CONTROLLED_VOCABULARY")
    }
    kept: list[Vocabulary] = []
    empty: list[str] = []
    for vocab in vocabularies:
        url = ext_of.get(vocab.key)
        if url:  # kept, so that an EAF export refers to the .ecv again (elan_writer)
            vocab = dataclasses.replace(vocab, external_file=url)
        if not vocab.categories:
            where = url.replace("\\", "/").rsplit("/", 1)[-1] if url else None
            if where:
                empty.append(_("{name} (entries in {file})").format(name=vocab.key, file=where))
                description = _("{name}: its entries are in the external file {url}").format(
                    name=vocab.key, url=url
                )
            else:
                empty.append(vocab.key)
                description = _("{name}: no entries in the ELAN file").format(name=vocab.key)
            vocab = dataclasses.replace(vocab, description=vocab.description or description)
        kept.append(vocab)
    if empty:
        notes.append(
            ngettext(
                "{count} controlled vocabulary has no entries in the file and is kept empty: "
                "{names}",
                "{count} controlled vocabularies have no entries in the file and are kept "
                "empty: {names}",
                len(empty),
            ).format(count=len(empty), names=", ".join(empty))
        )
    return kept
