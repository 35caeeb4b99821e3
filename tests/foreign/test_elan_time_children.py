"""ELAN's time-aligned children (Time_Subdivision, Included_In) get their parent annotation, in
the files of other projects and back out of Critique's EAF; empty controlled vocabularies are
kept. Parents are found independently from pympi-ling's reading: a subdivision's chain of
shared time slots from its parent's first slot to its last (how ELAN writes it), an included
annotation by the parent annotation whose aligned times hold it."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pympi
import pytest

from critique_app.services import export as service
from critique_app.services.import_annotations import import_file
from tests.foreign.conftest import HERE, files
from tests.foreign.test_elan_corpus import _schema

EAF_FILES = files("elan", "*.eaf")
TIME_CHILDREN = ("Time_Subdivision", "Included_In")


def _eaf(path: Path) -> pympi.Elan.Eaf:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pympi warns on EAF versions it does not list
        return pympi.Elan.Eaf(str(path))


def _constraint(eaf: pympi.Elan.Eaf, tier: str) -> str | None:
    lt = eaf.tiers[tier][2]["LINGUISTIC_TYPE_REF"]
    return eaf.linguistic_types[lt].get("CONSTRAINTS")


def _expected_parents(eaf: pympi.Elan.Eaf) -> Counter[tuple[str, str, str]]:
    """(child tier, child value, parent value) of every time-aligned child pympi's data
    gives a parent."""
    found: Counter[tuple[str, str, str]] = Counter()
    times = eaf.timeslots
    for tier, (aligned, _refs, attrs, _o) in eaf.tiers.items():
        kind = _constraint(eaf, tier)
        if kind not in TIME_CHILDREN:
            continue
        parents = eaf.tiers[attrs["PARENT_REF"]][0]
        if kind == "Time_Subdivision":
            by_first = {}
            for ident, (first, _last, _v, _s) in aligned.items():
                by_first.setdefault(first, []).append(ident)
            for first, last, value, _svg in parents.values():
                chain, at = [], first
                while at != last and len(by_first.get(at, [])) == 1:
                    child = by_first[at][0]
                    chain.append(child)
                    at = aligned[child][1]
                if at == last:
                    found.update((tier, aligned[c][2] or "", value or "") for c in chain)
        else:
            for first, last, value, _svg in aligned.values():
                holders = [
                    p_value
                    for p_first, p_last, p_value, _s in parents.values()
                    if None not in (times[first], times[last], times[p_first], times[p_last])
                    and times[p_first] <= times[first]
                    and times[last] <= times[p_last]
                ]
                if len(holders) == 1:
                    found[(tier, value or "", holders[0] or "")] += 1
    return found


def _linked(project) -> Counter[tuple[str, str, str]]:
    repo = project.repo
    tiers = {t.id: t for t in repo.tiers()}
    annotations = repo.annotations()
    by_uuid = {a.uuid: a for a in annotations}
    got: Counter[tuple[str, str, str]] = Counter()
    for a in annotations:
        tier = tiers[a.tier_id]
        if tier.constraint in TIME_CHILDREN and a.parent_uuid is not None:
            parent = by_uuid[a.parent_uuid]  # never a parent that points nowhere
            assert tiers[parent.tier_id].id == tier.parent_id
            assert parent.range.start <= a.range.start and a.range.end <= parent.range.end
            got[(tier.name, a.value, parent.value)] += 1
    return got


TIME_FILES = [
    p for p in EAF_FILES if any(_constraint(_eaf(p), t) in TIME_CHILDREN for t in _eaf(p).tiers)
]


@pytest.mark.parametrize("path", TIME_FILES, ids=lambda p: p.name)
def test_time_aligned_children_get_the_parent_pympi_finds(project, path: Path) -> None:
    expected = _expected_parents(_eaf(path))
    summary = import_file(project, path)
    assert sum(expected.values()) > 0
    assert _linked(project) == expected, summary.sentence(path.name)


def test_the_poio_words_hang_from_their_utterance(project) -> None:
    """poio's example: every word of W-Words (Time_Subdivision, two of them on unaligned
    slots) is linked to the W-Spch utterance it divides, every phase to its gesture unit."""
    path = HERE / "elan" / "poio_example_2.3.eaf"
    import_file(project, path)
    linked = _linked(project)
    assert sum(n for (tier, _v, _p), n in linked.items() if tier == "W-Words") == 97
    assert sum(n for (tier, _v, _p), n in linked.items() if tier == "W-RGph") == 59


def test_a_child_outside_every_parent_is_counted_and_named(project) -> None:
    """The trimmed pympi sample cut one utterance whose first word and gesture stayed: kept,
    without a parent, and said."""
    path = HERE / "elan" / "pympi_sample_3.0.eaf"
    summary = import_file(project, path)
    sentence = summary.sentence(path.name)
    assert "2 annotations of time-subdivision or included-in tiers lie within no annotation" in (
        sentence
    )
    assert "annotation a495 (line" in sentence and "on tier words-timesub" in sentence


def test_empty_controlled_vocabularies_are_kept_and_said(project) -> None:
    path = HERE / "elan" / "pympi_sample_3.0.eaf"
    summary = import_file(project, path)
    empty = {"Contact 2011", "Function 2011", "Formal Relation 2011"}
    kept = {v.key: v for v in project.repo.vocabularies()}
    assert empty <= set(kept)
    assert all(not kept[k].categories for k in empty)
    assert "test_ecv_export.ecv" in (kept["Contact 2011"].description or "")
    assert (
        "3 controlled vocabularies have no entries in the file and are kept empty: "
        "Contact 2011 (entries in test_ecv_export.ecv)" in summary.sentence(path.name)
    )


@pytest.mark.parametrize("path", TIME_FILES, ids=lambda p: p.name)
def test_parents_and_empty_cvs_survive_an_eaf_export(project, path: Path, tmp_path: Path) -> None:
    original = _eaf(path)
    import_file(project, path)
    (film,) = project.repo.films()
    out = service.export(service.film_document(project, film.id), "eaf", tmp_path / "again.eaf")
    _schema().validate(str(out))
    again = _eaf(out)
    assert _expected_parents(again) == _expected_parents(original)
    assert set(original.controlled_vocabularies) <= set(again.controlled_vocabularies)
