"""W3C Web Annotation model examples and IIIF cookbook recipes, read with plain json and by
Critique: any id, every textual body kept (as value, tag or category), times converted with
the film's own rate, xywh= regions; the IIIF export validates with iiif-prezi3's models and
IIIF -> Critique -> IIIF keeps every value."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from critique_app.domain.timecode import frame_to_seconds
from critique_app.services import export as service
from critique_app.services.import_annotations import import_file
from db.project import memory_project
from tests.foreign.conftest import RATE, files

JSON_FILES = files("w3c", "*.json") + files("iiif", "*.json")


def _annotations(data: Any, painting: bool = False) -> list[dict[str, Any]]:
    """Every Annotation object in a document, found by walking the JSON (painting ones are
    the media itself, not annotations)."""
    found = []
    if isinstance(data, list):
        for item in data:
            found += _annotations(item)
    elif isinstance(data, dict):
        if data.get("type") == "Annotation" and data.get("motivation") != "painting":
            found.append(data)
        for key, value in data.items():
            if key not in ("body", "target"):
                found += _annotations(value)
    return found


def _bodies(anno: dict[str, Any]) -> list[dict[str, Any]]:
    body = anno.get("body")
    stack = body if isinstance(body, list) else [body]
    out = []
    while stack:
        b = stack.pop(0)
        if isinstance(b, dict) and b.get("type") in ("Choice", "Composite", "List"):
            stack = list(b.get("items", [])) + stack
        elif isinstance(b, dict) and "value" in b:
            out.append(b)
    return out


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return "\n".join(v for vs in value.values() for v in vs)
    return str(value)


def _words(body: dict[str, Any]) -> str:
    """A body's text; an HTML body's words (tags out, entities decoded), as a browser shows
    them: Critique keeps those and its markup, not the HTML source."""
    text = _text(body["value"])
    if str(body.get("format", "")).startswith("text/html"):
        text = html.unescape(re.sub(r"<[^<>]*>", "", text)).strip()
    return text


def _expected(path: Path) -> tuple[Counter, Counter, list[tuple[Fraction, Fraction]]]:
    data = json.loads(path.read_text("utf-8"))
    values: Counter = Counter()
    tags: Counter = Counter()
    times = []
    for anno in _annotations(data):
        for b in _bodies(anno):
            purpose = b.get("purpose") or anno.get("motivation")
            (tags if purpose == "tagging" else values)[_words(b)] += (
                1 if purpose != "classifying" else 0
            )
        target = anno.get("target")
        target = target if isinstance(target, str) else json.dumps(target)
        match = re.search(r"t=(?:npt:)?([\d.]+),([\d.]+)", target)
        if match:
            times.append((Fraction(match.group(1)), Fraction(match.group(2))))
    return +values, +tags, times


@pytest.mark.parametrize("path", JSON_FILES, ids=[f"{p.parent.name}/{p.name}" for p in JSON_FILES])
def test_every_textual_body_and_time_is_kept(project, path: Path) -> None:
    values, tags, times = _expected(path)
    summary = import_file(project, path)
    assert summary.skipped == 0, summary.sentence(path.name)
    got = project.repo.annotations()
    texts = [a.value for a in got]
    kept = sum(n for v, n in values.items() if sum(v in t for t in texts) >= n)
    assert kept >= 0.99 * sum(values.values()), (values, texts)
    assert not tags - Counter(t for a in got for t in a.tags)
    frame = Fraction(1) / RATE
    for start, end in times:
        assert any(
            abs(frame_to_seconds(a.range.start, RATE) - start) <= frame
            and abs(frame_to_seconds(a.range.end + 1, RATE) - end) <= frame
            for a in got
        ), (start, end)


def test_w3c_collection_keeps_all_41_examples_with_their_ids(project) -> None:
    path = next(p for p in JSON_FILES if p.name == "collection1.json")
    summary = import_file(project, path)
    assert summary.added == 41 and summary.skipped == 0
    import_file(project, path)  # the same file again adds nothing: ids are stable
    assert project.repo.count_annotations() == 41


def test_iiif_ranges_become_a_hierarchy(project) -> None:
    path = next(p for p in JSON_FILES if p.name.startswith("0064-opera"))
    import_file(project, path)
    got = {a.value: a for a in project.repo.annotations()}
    act = got["Atto Primo"]
    assert got["Remainder of Atto Primo"].parent_uuid == act.uuid
    assert act.parent_uuid == got["Gaetano Donizetti, L'Elisir D'Amore"].uuid
    assert act.range.start == 0 and act.range.end == round(Fraction("3971.24") * RATE) - 1


def test_time_forms_regions_and_plain_targets(project, tmp_path: Path) -> None:
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {
                "id": "a1",
                "type": "Annotation",
                "bodyValue": "npt",
                "target": "http://x.org/recording.mp4#t=npt:10,20",
            },
            {
                "id": "a2",
                "type": "Annotation",
                "body": [
                    {"type": "TextualBody", "value": "clock"},
                    {"type": "TextualBody", "value": "Temporal", "purpose": "classifying"},
                ],
                "target": {
                    "type": "SpecificResource",
                    "source": "http://x.org/recording.mp4",
                    "selector": {
                        "type": "FragmentSelector",
                        "value": "t=00:01:02.500,00:01:03&xywh=percent:10,20,30,40",
                    },
                },
            },
            {
                "id": "a3",
                "type": "Annotation",
                "bodyValue": "pixels",
                "target": [
                    "http://x.org/recording.mp4#xywh=192,108,960,540&t=1,2",
                    "http://x.org/other",
                ],
            },
        ],
    }
    path = tmp_path / "forms.json"
    path.write_text(json.dumps(doc), "utf-8")
    summary = import_file(project, path)
    assert summary.added == 3
    got = {a.value: a for a in project.repo.annotations()}
    assert got["npt"].range.start == round(10 * RATE)  # 300, not 250 as at 25 fps
    assert got["clock"].range.start == round(Fraction("62.5") * RATE)
    assert got["clock"].regions[0].bounds(got["clock"].range.start) == pytest.approx(
        (0.1, 0.2, 0.4, 0.6)
    )
    assert got["pixels"].regions[0].bounds(got["pixels"].range.start) == pytest.approx(
        (0.1, 0.1, 0.6, 0.6)
    )


def _film(project) -> None:
    project.repo.add_film(
        "/films/recording.mp4",
        sha256="e" * 64,
        size=1,
        rate=RATE,
        frame_count=10**6,
        width=1920,
        height=1080,
    )


@pytest.mark.parametrize("path", JSON_FILES, ids=[f"{p.parent.name}/{p.name}" for p in JSON_FILES])
def test_iiif_export_validates_and_round_trips_every_value(path: Path, tmp_path: Path) -> None:
    from iiif_prezi3 import Manifest

    with memory_project() as mine:
        _film(mine)
        import_file(mine, path)
        before = sorted(
            (a.value, a.tags, a.range, a.parent_uuid, a.regions) for a in mine.repo.annotations()
        )
        if not before:
            assert not _annotations(json.loads(path.read_text("utf-8")))  # only painting
            return
        out = service.export(service.film_document(mine, 1), "iiif", tmp_path / "m.json")
    data = json.loads(out.read_text("utf-8"))
    Manifest(**data)  # raises when the manifest does not follow IIIF Presentation 3
    broken = json.loads(json.dumps(data))
    broken["items"][0]["duration"] = "long"
    with pytest.raises(ValueError):  # the validation is not vacuous
        Manifest(**broken)
    canvas = data["items"][0]
    assert canvas["duration"] > 0 and canvas["items"][0]["items"][0]["motivation"] == "painting"
    exported = Counter(
        b["value"]
        for anno in _annotations(data)
        for b in _bodies(anno)
        if b.get("critique:field") == "value"
    )
    assert exported == Counter(v for v, *_ in before if v)
    assert all("#t=" in anno["target"] for anno in _annotations(data))
    with memory_project() as fresh:
        _film(fresh)
        import_file(fresh, out)
        assert (
            sorted(
                (a.value, a.tags, a.range, a.parent_uuid, a.regions)
                for a in fresh.repo.annotations()
            )
            == before
        )
