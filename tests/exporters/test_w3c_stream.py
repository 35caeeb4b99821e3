"""A W3C collection read an annotation at a time gives what the whole reader gives (issue 23,
streaming imports): the same entries in the same order, the same skips and notes, references
resolved the same way, on every foreign W3C, IIIF and CLARIAH file and on generated
collections; a large collection is never decoded as one tree."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from critique_app.errors import Cancelled
from critique_app.progress import Progress
from critique_app.services.import_annotations import BATCH, import_file, open_file
from db.project import Project, open_project
from exporters import w3c, w3c_stream

FOREIGN = Path(__file__).resolve().parents[1] / "foreign"
FILES = sorted(
    p for folder in ("w3c", "iiif", "clariah") for p in (FOREIGN / folder).glob("*.json*")
)


def _timeless(entries: Any) -> list[Any]:
    """Entries without the moment they were read (an annotation without dates is dated when
    it is read, and the two readers may read it a second apart)."""
    out = []
    for e in entries:
        a = e.annotation
        if a.created_at == a.modified_at:
            a = dataclasses.replace(a, created_at="", modified_at="")
        out.append(dataclasses.replace(e, annotation=a))
    return out


def _said(stream: Any) -> tuple[list[Any], int, list[str], list[str]]:
    entries = _timeless(stream.entries)
    info = stream.info
    return entries, info.skipped, info.skipped_examples, info.notes


def _whole(path: Path) -> tuple[list[Any], int, list[str], list[str]]:
    found = w3c.read(path)
    return _timeless(found), found.info.skipped, found.info.skipped_examples, found.info.notes


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_foreign_file_gives_what_the_whole_reader_gives(path: Path) -> None:
    assert _said(w3c_stream.stream(path)) == _whole(path)


def _annotation(n: int) -> dict[str, Any]:
    return {
        "id": f"https://example.org/anno/{n}",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": f"remark {n}"},
        "target": {
            "source": "film.mp4",
            "selector": {"type": "FragmentSelector", "value": f"t={n},{n + 1}"},
        },
    }


def test_an_undated_annotation_is_created_and_modified_at_one_moment(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Read when the clock turns a second: the dates must still be one moment (each read the
    clock once, and one run in many a second apart: the comparisons above failed then)."""
    ticks = iter(f"2026-12-05T16:00:{s:02d}+00:00" for s in range(60))
    monkeypatch.setattr(w3c, "now_iso", lambda: next(ticks))
    path = tmp_path / "undated.json"
    path.write_text(json.dumps(_annotation(3)), encoding="utf-8")
    (entry,) = w3c.read(path)
    assert entry.annotation.created_at == entry.annotation.modified_at


def _reference(n: int) -> dict[str, Any]:
    return {"type": "Annotation", "id": f"https://example.org/anno/{n}"}


# Where each annotation of a generated collection is: in full in the page, a reference in the
# page (to one in full in the page, elsewhere in the file, or nowhere), or an id-less one.
places = st.lists(
    st.tuples(st.integers(0, 7), st.sampled_from(["page", "reference", "elsewhere", "both"])),
    max_size=12,
)


@settings(deadline=None)  # a busy machine is slow now and then
@given(places, st.booleans(), st.booleans())
def test_generated_collections_give_what_the_whole_reader_gives(
    tmp_path_factory: Any, layout: list[tuple[int, str]], type_first: bool, id_less: bool
) -> None:
    items: list[Any] = []
    elsewhere: list[Any] = []
    for n, place in layout:
        if place in ("page", "both"):
            items.append(_annotation(n))
        if place in ("reference", "elsewhere", "both"):
            items.append(_reference(n))
        if place == "elsewhere":
            elsewhere.append(_annotation(n))
    if id_less:
        items.append({k: v for k, v in _annotation(99).items() if k != "id"})
    page = {"type": "AnnotationPage", "items": items}
    head = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection"}
    document = (
        {**head, "first": page, "critique:extra": elsewhere}
        if type_first
        else {"first": page, **head, "critique:extra": elsewhere}
    )
    path = tmp_path_factory.mktemp("w3c") / "collection.json"
    path.write_text(json.dumps(document, indent=1), "utf-8")
    streamed, whole = _said(w3c_stream.stream(path)), _whole(path)
    assert streamed[1:] == whole[1:]
    # The same annotations; an annotation referenced before it is found elsewhere in the file
    # comes where it is found, so the annotation without an id after it has another place
    # (its uuid comes from its place: the stream's own, the same at every import).
    assert sorted(map(_content, streamed[0])) == sorted(map(_content, whole[0]))


def _content(entry: Any) -> tuple[Any, ...]:
    a = entry.annotation
    return (a.value, a.uuid if a.value != "remark 99" else "", entry.seconds)


def test_a_collection_is_walked_item_by_item(tmp_path: Path, monkeypatch: Any) -> None:
    """The decoder is given one annotation at a time, never the page or the collection."""
    page = {"type": "AnnotationPage", "items": [_annotation(n) for n in range(50)]}
    document = {"type": "AnnotationCollection", "label": "Cours", "first": page}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(document), "utf-8")
    decoded: list[Any] = []
    original = json.JSONDecoder.raw_decode

    def noting(self: json.JSONDecoder, text: str, pos: int = 0) -> Any:
        value, end = original(self, text, pos)
        decoded.append(value)
        return value, end

    monkeypatch.setattr(json.JSONDecoder, "raw_decode", noting)
    stream = w3c_stream.stream(path)
    entries = list(stream.entries)
    assert len(entries) == 50
    assert stream.position() == stream.size
    largest = max(
        (v for v in decoded if isinstance(v, (dict, list))), key=lambda v: len(json.dumps(v))
    )
    assert largest in page["items"]


def test_a_broken_collection_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    good = json.dumps(_annotation(1))
    path.write_text(
        '{"type": "AnnotationCollection", "first": {"items": [' + good + ", {]}}", "utf-8"
    )
    stream = w3c_stream.stream(path)
    with pytest.raises(Exception, match="broken.json is not readable JSON .line 1"):
        list(stream.entries)


def _collection(path: Path, count: int) -> Path:
    page = {"type": "AnnotationPage", "items": [_annotation(n) for n in range(count)]}
    path.write_text(json.dumps({"type": "AnnotationCollection", "first": page}), "utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with open_project(tmp_path / "p.critique") as opened:
        opened.repo.add_film(
            "/film.mp4", sha256="e" * 64, size=1, rate=Fraction(25), frame_count=10**6
        )
        yield opened


def test_a_large_collection_is_stored_in_batches_with_progress(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = BATCH * 2 + 7
    path = _collection(tmp_path / "big.json", count)
    found = open_file(path)
    assert next(found.entries).annotation.value == "remark 0"
    assert found.position() < found.size  # one annotation decoded, not the collection
    batches: list[int] = []
    insert = project.repo.insert_annotations
    monkeypatch.setattr(
        project.repo, "insert_annotations", lambda a: (batches.append(len(a)), insert(a))[1]
    )
    seen: list[int] = []
    summary = import_file(project, path, progress=Progress(lambda d, t, m: seen.append(d)))
    assert summary.added == count and batches == [BATCH, BATCH, 7]
    assert len(set(seen)) >= 3 and seen == sorted(seen)


def test_a_cancel_while_a_collection_is_read_leaves_the_project_as_it_was(
    project: Project, tmp_path: Path
) -> None:
    path = _collection(tmp_path / "big.json", BATCH * 2 + 7)

    def report(done: int, total: int, _message: str) -> None:
        if 0 < done < total:
            progress.cancel()

    progress = Progress(report)
    with pytest.raises(Cancelled):
        import_file(project, path, progress=progress)
    assert project.repo.annotations() == []
