"""A IIIF range that ends a little past its film (written to the next whole second) is cut at
the film's end with the chapters that hold it, never dropped with them; a range wholly after
the end is left out, and no child keeps a parent that points nowhere (it hangs from its nearest
kept ancestor instead). Each is said in the import's sentence."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from critique_app.services.import_annotations import import_file
from db.project import Project, memory_project
from tests.foreign.conftest import HERE, RATE

OPERA = HERE / "iiif" / "0064-opera-one-canvas_manifest.json"
# the same manifest with "Atto Secondo" ending at 7279 s on its 7278.422 s canvas (SOURCES.md)
PAST_THE_END = HERE / "iiif" / "0064-opera-one-canvas_range-past-the-end_manifest.json"


def _ranges(path: Path) -> dict[str, str]:
    """Every range's label by id, read with plain json."""
    found: dict[str, str] = {}
    stack = list(json.loads(path.read_text("utf-8"))["structures"])
    while stack:
        item = stack.pop()
        if isinstance(item, dict) and item.get("type") == "Range":
            found[item["id"]] = next(v for vs in item["label"].values() for v in vs)
            stack += item.get("items") or []
    return found


def _film_project(seconds: Fraction) -> Project:
    project = memory_project()
    project.repo.add_film(
        "/films/opera.mp4",
        sha256="e" * 64,
        size=1,
        rate=RATE,
        frame_count=int(seconds * RATE),  # the last whole frame inside the canvas
        title="opera",
    )
    return project


def _no_parent_points_nowhere(project: Project) -> None:
    uuids = {a.uuid for a in project.repo.annotations()}
    assert all(a.parent_uuid in uuids for a in project.repo.annotations() if a.parent_uuid)


def test_a_range_past_the_end_is_cut_with_its_chapter_and_said() -> None:
    duration = Fraction(str(json.loads(PAST_THE_END.read_text("utf-8"))["items"][0]["duration"]))
    assert duration == Fraction("7278.422")
    with _film_project(duration) as project:
        summary = import_file(project, PAST_THE_END)
        (film,) = project.repo.films()
        got = {a.value: a for a in project.repo.annotations()}
        assert set(got) == set(_ranges(PAST_THE_END).values())  # every range, none dropped
        last = film.frame_count - 1
        second = got["Atto Secondo"]
        whole = got["Gaetano Donizetti, L'Elisir D'Amore"]
        assert second.range.end == last and whole.range.end == last
        assert second.range.start == round(Fraction("3971.24") * RATE)
        assert second.parent_uuid == whole.uuid
        _no_parent_points_nowhere(project)
        sentence = summary.sentence(PAST_THE_END.name)
        assert summary.added == 5 and summary.outside_film == 0
        assert (
            "2 annotations ran past the end of the film and were cut at its end (2:01:18.404): "
            "“Gaetano Donizetti, L'Elisir D'Amore” ended at 2:01:19.000, "
            "“Atto Secondo” ended at 2:01:19.000"
        ) in sentence, sentence


def test_a_range_wholly_after_the_end_is_left_out_and_its_chapters_are_cut() -> None:
    """The cookbook's opera on a one-hour film: the second act begins after its end."""
    with _film_project(Fraction(3600)) as project:
        summary = import_file(project, OPERA)
        got = {a.value: a for a in project.repo.annotations()}
        assert "Atto Secondo" not in got and summary.outside_film == 1
        assert {
            "Gaetano Donizetti, L'Elisir D'Amore",
            "Atto Primo",
            "Remainder of Atto Primo",
        } <= set(got)
        assert summary.past_the_end.count == 3
        assert got["Atto Primo"].parent_uuid == got["Gaetano Donizetti, L'Elisir D'Amore"].uuid
        _no_parent_points_nowhere(project)
        assert (
            "1 annotation began after the end of the film (59:59.996) and was left out: "
            "“Atto Secondo” began at 1:06:11.240"
        ) in summary.sentence(OPERA.name)


def _annotation(ident: str, text: str, target: str, parent: str | None = None) -> dict:
    entry = {
        "id": f"urn:uuid:{ident}",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": text},
        "target": target,
    }
    if parent:
        entry["critique:parent"] = parent
    return entry


def test_a_child_whose_parent_is_left_out_hangs_from_the_nearest_kept_ancestor(
    project, tmp_path: Path
) -> None:
    act, scene, shot = (f"{n:08d}-0000-4000-8000-000000000000" for n in (1, 2, 3))
    broken, orphan = (f"{n:08d}-0000-4000-8000-000000000000" for n in (4, 5))
    page = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            _annotation(act, "Act", "recording.mp4#t=0,60"),
            # a scene written after the film's end (3 h), its shot inside it
            _annotation(scene, "Scene", "recording.mp4#t=20000,20010", act),
            _annotation(shot, "Shot", "recording.mp4#t=10,12", scene),
            # a parent the reader cannot use, and its child
            {**_annotation(broken, "Broken", "recording.mp4"), "critique:frames": {"start": "x"}},
            _annotation(orphan, "Orphan", "recording.mp4#t=1,2", broken),
        ],
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), "utf-8")
    summary = import_file(project, path)
    got = {a.value: a for a in project.repo.annotations()}
    assert set(got) == {"Act", "Shot", "Orphan"}
    assert got["Shot"].parent_uuid == act
    assert got["Orphan"].parent_uuid is None
    _no_parent_points_nowhere(project)
    assert (
        "2 annotations whose parent was left out now hang from their nearest kept ancestor: "
        "“Shot” (now under “Act”), “Orphan” (now at the top)"
    ) in summary.sentence(path.name)
