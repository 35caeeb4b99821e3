"""ELAN files made by ELAN and by other tools, read by pympi-ling and by Critique: every
value kept, aligned times within a frame, the tier hierarchy and parent links kept; then
EAF -> Critique -> EAF keeps every value, tier, parent, type and CV reference (checked with
pympi-ling, and the export validated against ELAN's EAFv3.0.xsd)."""

from __future__ import annotations

import functools
import re
import warnings
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pympi
import pytest

from critique_app.domain.timecode import frame_to_seconds
from critique_app.errors import UserError
from critique_app.services import export as service
from critique_app.services.import_annotations import import_file
from db.project import memory_project
from tests.foreign.conftest import HERE, RATE, files

EAF_FILES = files("elan", "*.eaf")
XSD = HERE / "elan" / "EAFv3.0.xsd"


@functools.cache
def _schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


def _eaf(path: Path) -> pympi.Elan.Eaf:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pympi warns on EAF versions it does not list
        return pympi.Elan.Eaf(str(path))


def _pympi_values(eaf: pympi.Elan.Eaf) -> Counter[tuple[str, str]]:
    """(tier, value) of every annotation, aligned and reference, as pympi reads them."""
    found: Counter[tuple[str, str]] = Counter()
    for tier, (aligned, refs, _attrs, _ord) in eaf.tiers.items():
        for _s, _e, value, _svg in aligned.values():
            found[(tier, value or "")] += 1
        for _parent, value, _prev, _svg in refs.values():
            found[(tier, value or "")] += 1
    return found


def _kept(expected: Counter, got: Counter) -> float:
    total = sum(expected.values())
    return sum((expected & got).values()) / total if total else 1.0


@pytest.mark.parametrize("path", EAF_FILES, ids=[p.name for p in EAF_FILES])
def test_every_value_time_and_parent_of_an_elan_file_is_kept(project, path: Path) -> None:
    eaf = _eaf(path)
    summary = import_file(project, path)
    repo = project.repo
    tiers = {t.id: t for t in repo.tiers()}
    names = {t.name: t for t in tiers.values()}
    annotations = repo.annotations()
    got = Counter((tiers[a.tier_id].name, a.value) for a in annotations)
    expected = _pympi_values(eaf)
    assert _kept(expected, got) >= 0.99, (summary.sentence(path.name), expected - got)
    assert summary.skipped == 0 and "skipped" not in summary.sentence(path.name)
    # the hierarchy: parent tier, linguistic type and its constraint
    for name, (_a, _r, attrs, _o) in eaf.tiers.items():
        tier = names[name]
        parent = tiers[tier.parent_id].name if tier.parent_id else None
        assert parent == attrs.get("PARENT_REF"), name
        lt = attrs["LINGUISTIC_TYPE_REF"]
        assert tier.linguistic_type == lt
        assert tier.constraint == eaf.linguistic_types[lt].get("CONSTRAINTS")
    # aligned times within one frame (pympi gives milliseconds; None when a slot is unaligned)
    by_value: dict[tuple[str, str], list] = {}
    for a in annotations:
        by_value.setdefault((tiers[a.tier_id].name, a.value), []).append(a)
    frame = Fraction(1) / RATE
    checked = 0
    for tier_name, (aligned, _r, _attrs, _o) in eaf.tiers.items():
        for ref1, ref2, value, _svg in aligned.values():
            start, end = eaf.timeslots[ref1], eaf.timeslots[ref2]
            if start is None or end is None:
                continue
            candidates = by_value[(tier_name, value or "")]
            assert any(
                abs(frame_to_seconds(a.range.start, RATE) - Fraction(start, 1000)) <= frame
                and abs(frame_to_seconds(a.range.end + 1, RATE) - Fraction(max(start, end), 1000))
                <= frame
                for a in candidates
            ), (tier_name, value, start, end)
            checked += 1
    assert checked > 0
    # child annotations point at their parent: the parent's value is pympi's reference value
    by_uuid = {a.uuid: a for a in annotations}
    for tier_name, (_a, refs, _attrs, _o) in eaf.tiers.items():
        if not refs:
            continue
        parent_values = Counter(
            (eaf.get_parameters_for_tier(tier_name)["PARENT_REF"], _value_of(eaf, parent))
            for parent, _v, _p, _s in refs.values()
        )
        linked = Counter(
            (tiers[by_uuid[a.parent_uuid].tier_id].name, by_uuid[a.parent_uuid].value)
            for a in annotations
            if tiers[a.tier_id].name == tier_name and a.parent_uuid in by_uuid
        )
        assert linked == parent_values, tier_name
    # unaligned slots are placed between their neighbours, not piled up at frame 0
    at_zero = sum(1 for a in annotations if a.range.start == 0)
    assert at_zero <= max(3, len(annotations) // 50)


def _value_of(eaf: pympi.Elan.Eaf, ident: str) -> str:
    for aligned, refs, _attrs, _o in eaf.tiers.values():
        if ident in aligned:
            return aligned[ident][2] or ""
        if ident in refs:
            return refs[ident][1] or ""
    raise KeyError(ident)


@pytest.mark.parametrize(
    "path",
    EAF_FILES,
    ids=lambda p: p.name,
)
def test_eaf_to_critique_to_eaf_keeps_values_tiers_parents_types_and_cv_refs(
    project, path: Path, tmp_path: Path
) -> None:
    original = _eaf(path)
    import_file(project, path)
    (film,) = project.repo.films()
    out = service.export(service.film_document(project, film.id), "eaf", tmp_path / "again.eaf")
    _schema().validate(str(out))  # raises with the first place the file breaks EAF 3.0
    again = _eaf(out)
    ours = {t for t in again.tiers if not t.endswith((" · note", " · critique"))}
    assert set(original.tiers) == ours
    for name in original.tiers:
        before, after = original.tiers[name][2], again.tiers[name][2]
        assert before.get("PARENT_REF") == after.get("PARENT_REF"), name
        assert before["LINGUISTIC_TYPE_REF"] == after["LINGUISTIC_TYPE_REF"], name
        lt = before["LINGUISTIC_TYPE_REF"]
        assert original.linguistic_types[lt].get("CONSTRAINTS") == again.linguistic_types[lt].get(
            "CONSTRAINTS"
        )
    assert _pympi_values(again) - Counter(
        {k: v for k, v in _pympi_values(again).items() if k[0].endswith((" · note", " · critique"))}
    ) == _pympi_values(original)
    # CV references: the same entry ids on the same values
    refs_before = _cve_refs(path)
    refs_after = _cve_refs(out)
    # every reference kept (files older than EAF 2.8 gain CVE_REFs: their values are entries)
    assert not refs_before - refs_after
    # and importing the export again into a fresh project gives the same values and parents
    with memory_project() as fresh:
        fresh.repo.add_film(
            film.path, sha256=film.sha256, size=1, rate=film.rate, frame_count=film.frame_count
        )
        import_file(fresh, out)
        assert {(a.uuid, a.value, a.parent_uuid, a.range) for a in fresh.repo.annotations()} == {
            (a.uuid, a.value, a.parent_uuid, a.range) for a in project.repo.annotations()
        }


def _cve_refs(path: Path) -> Counter:
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    found: Counter = Counter()
    for ann in root.iterfind("TIER/ANNOTATION/*"):
        if ann.get("CVE_REF"):
            found[(ann.get("CVE_REF"), ann.findtext("ANNOTATION_VALUE"))] += 1
    return found


def test_a_broken_reference_names_the_annotation_and_its_line(project, tmp_path: Path) -> None:
    source = (HERE / "elan" / "speach_test_3.0.eaf").read_text("utf-8")
    bad = tmp_path / "bad.eaf"
    bad.write_text(source.replace('TIME_SLOT_REF2="ts4"', 'TIME_SLOT_REF2="ts9999"', 1), "utf-8")
    with pytest.raises(UserError, match=r"bad\.eaf: annotation a\d+ \(line \d+\) .*ts9999"):
        import_file(project, bad)
    orphan = tmp_path / "orphan.eaf"
    ref = source.index('ANNOTATION_REF="') + len('ANNOTATION_REF="')
    end = source.index('"', ref)
    orphan.write_text(source[:ref] + "a424242" + source[end:], "utf-8")
    with pytest.raises(UserError, match=r"orphan\.eaf: annotation a\d+ \(line \d+\).*a424242"):
        import_file(project, orphan)
    assert project.repo.count_annotations() == 0  # nothing half-imported
    wrong = tmp_path / "wrong.eaf"
    first_ref = source.index('CVE_REF="') + len('CVE_REF="')
    wrong.write_text(
        source[:first_ref] + "cveid_nowhere" + source[source.index('"', first_ref) :], "utf-8"
    )
    summary = import_file(project, wrong)
    assert summary.added == 43
    assert re.search(
        r"annotation a\d+ \(line \d+\) refers to the entry cveid_nowhere, which is not in the "
        r"controlled vocabulary Languages: its value is kept",
        summary.sentence(wrong.name),
    )


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_xml_entity_attacks_are_refused(project, tmp_path: Path, doctype: str) -> None:
    source = (HERE / "elan" / "speach_test_3.0.eaf").read_text("utf-8")
    evil = tmp_path / "evil.eaf"
    evil.write_text(source.replace("?>", "?>\n" + doctype, 1), "utf-8")
    with pytest.raises(UserError, match="evil.eaf declares a DTD or XML entities"):
        import_file(project, evil)
