"""Exports gathered by CLARIAH's video-annotation interoperability project (VIAN, Waldorf,
Advene), read with plain json and by Critique. VIAN and Waldorf list each collection's
annotations as references ({"type": "Annotation", "id": ...}) and write them in full further
down; Advene wraps its collections in an LDP container. Every annotation written in full must
arrive once with its text and time, a reference never as an empty whole-film annotation, and a
reference to nothing in the file is counted and named in the summary."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from critique_app.cli import main
from critique_app.domain.model import Annotation
from critique_app.domain.timecode import frame_to_seconds
from critique_app.services.import_annotations import import_file
from db.project import open_project
from tests.foreign.conftest import HERE, RATE, files

FILES = files("clariah", "*.json", "*.jsonld")
FRAME = Fraction(1) / RATE


def _written_in_full(data: Any) -> dict[str, dict[str, Any]]:
    """Annotations with a body or a target, by id, wherever they are in the document."""
    found: dict[str, dict[str, Any]] = {}
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack += item
        elif isinstance(item, dict):
            if (item.get("type") or item.get("@type")) == "Annotation" and (
                "body" in item or "target" in item
            ):
                found[item.get("id") or item["@id"]] = item
            stack += [v for k, v in item.items() if k not in ("body", "target")]
    return found


def _texts(anno: dict[str, Any]) -> list[str]:
    body = anno.get("body")
    texts = []
    for b in body if isinstance(body, list) else [body]:
        value = b.get("value") if isinstance(b, dict) else None
        if isinstance(value, dict) and "value" not in value:
            value = [str(v) for v in value.values()]  # VIAN's analyses: {"hdf5_dataset": ...}
        for v in value if isinstance(value, list) else [value]:
            v = v.get("value") if isinstance(v, dict) else v
            if isinstance(v, str) and v.strip():
                texts.append(v.strip())
    return texts


def _times(anno: dict[str, Any]) -> tuple[Fraction, Fraction]:
    match = re.search(r"t=([\d.]+),([\d.]+)", json.dumps(anno["target"]))
    assert match, anno["target"]
    return Fraction(match.group(1)), Fraction(match.group(2))


def _all_text(a: Annotation) -> str:
    return "\n".join([a.value, a.note, *a.tags])


def _check_every_annotation_arrives(project, expected: dict[str, dict[str, Any]]) -> None:
    got = project.repo.annotations()
    assert len(got) == len(expected)
    film = project.repo.films()[0]
    left = list(got)
    # the annotations with most text first, so that one without text cannot take their place
    for ident, anno in sorted(expected.items(), key=lambda kv: -len(_texts(kv[1]))):
        start, end = _times(anno)
        # the closest fit: "Ahum" must not take the annotation that says "Ahumm"
        match = min(
            (
                a
                for a in left
                if abs(frame_to_seconds(a.range.start, RATE) - start) <= FRAME
                # a still (VIAN's screenshots: t=89.7,89.7) lasts one frame in Critique
                and abs(frame_to_seconds(a.range.end + 1, RATE) - max(end, start + FRAME)) <= FRAME
                and all(t in _all_text(a) for t in _texts(anno))
            ),
            key=lambda a: len(_all_text(a)),
            default=None,
        )
        assert match is not None, (ident, _texts(anno), (start, end))
        left.remove(match)
    # nothing about the whole film: every file here gives each annotation a time
    assert all(a.range.end - a.range.start < film.frame_count - 1 for a in got)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_annotation_written_in_full_arrives_once_with_text_and_time(
    project, path: Path
) -> None:
    expected = _written_in_full(json.loads(path.read_text("utf-8")))
    summary = import_file(project, path)
    sentence = summary.sentence(path.name)
    assert summary.added == len(expected) and summary.skipped == 0, sentence
    assert "already in the project" not in sentence and "reference" not in sentence
    _check_every_annotation_arrives(project, expected)


def test_the_figures_of_the_files(project) -> None:
    """The counts a reader of the files finds by hand (0 of 15 and 5 of 11 texts were kept
    before references were followed; Advene's container was refused)."""
    counts = {p.name: len(_written_in_full(json.loads(p.read_text("utf-8")))) for p in FILES}
    assert counts == {
        "advene_Rudi_and_Mireille.jsonld": 59,
        "vian_example_export_vian.json": 11,
        "vian_webannotation_export.json": 15,
        "waldorf_example_annotation.json": 1,
    }


def test_a_reference_to_nothing_in_the_file_is_named_not_imported(project, tmp_path: Path) -> None:
    data = json.loads((HERE / "clariah" / "vian_webannotation_export.json").read_text("utf-8"))
    gone = [
        "Gaudenz_Halter:Netflix4/Main_Segmentation/1/1",
        "Gaudenz_Halter:Netflix4/New_Layer/1/0",
    ]
    data = [d for d in data if d.get("id") not in gone]  # the full forms dropped, references kept
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(data), "utf-8")
    summary = import_file(project, path)
    sentence = summary.sentence(path.name)
    assert summary.added == 13
    assert (
        "2 references to annotations not written in the file left out: " + ", ".join(gone)
    ) in sentence
    _check_every_annotation_arrives(project, _written_in_full(data))


def test_references_across_the_pages_of_one_collection(project, tmp_path: Path) -> None:
    """A collection whose second page is named by `next` and written elsewhere in the file."""
    data = json.loads((HERE / "clariah" / "vian_webannotation_export.json").read_text("utf-8"))
    segments = data[0]
    refs = segments["first"]["items"]
    page2 = {"id": "page-2", "type": "AnnotationPage", "startIndex": 3, "items": refs[3:]}
    segments["first"] = {**segments["first"], "items": refs[:3], "next": "page-2"}
    data.insert(1, page2)
    path = tmp_path / "paged.json"
    path.write_text(json.dumps(data), "utf-8")
    summary = import_file(project, path)
    assert summary.added == 15 and "reference" not in summary.sentence(path.name)
    _check_every_annotation_arrives(project, _written_in_full(data))


def test_the_import_command_says_what_it_imported(tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.critique"
    with open_project(path) as project:
        project.repo.add_film(
            "/films/trailer.mp4", sha256="d" * 64, size=1, rate=RATE, frame_count=10**5
        )
    sample = HERE / "clariah" / "vian_webannotation_export.json"
    assert main(["import", str(path), str(sample)]) == 0
    err = capsys.readouterr().err
    assert "15 annotations imported from vian_webannotation_export.json" in err
    assert "already in the project" not in err
    with open_project(path) as project:
        assert all(a.value for a in project.repo.annotations())
