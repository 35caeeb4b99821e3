"""Annotations re-anchored onto another copy land on the same pictures; the rest is listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from critique_app.domain.model import FrameRange
from critique_app.media.frame_server import FrameServer
from critique_app.services.alignment import align_films, map_points, reanchor
from db.project import open_project
from tests.fingerprint import material as m
from tests.media_factory import draw_frame_code, read_frame_code

CODE_BOX = (144 / 320, 72 / 180)  # the original's top-left corner carrying a frame code
ANNOTATIONS = {
    "opening": FrameRange(0, 5),
    "morph": FrameRange(30, 40),
    "single frame": FrameRange(50, 50),
    "long drift": FrameRange(100, 140),
    "last frame": FrameRange(149, 149),
}


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("copies")
    original = m.footage([11, 12, 13, 14, 15, 16], [24, 30, 20, 28, 22, 26])
    for i, picture in enumerate(original):
        draw_frame_code(picture[:72, :144], i)  # the code fills the top half of this box
    head = m.footage([21, 22], [30, 30])  # 2.5 s at 24 fps
    return {
        "original": m.write_clip(folder / "screener.mp4", original),
        "copy": m.write_clip(  # festival copy: longer head, rescaled, letterboxed, re-encoded
            folder / "festival.mp4",
            [m.letterbox(m.rescale(f, (480, 270)), bar=45) for f in head + original],
            bitrate=500_000,
        ),
        "mirror": m.write_clip(folder / "web.mp4", [m.mirror(f) for f in original[20:]]),
        "cut": m.write_clip(folder / "cut.mp4", head + original[:110]),  # stops in a shot
        "unrelated": m.write_clip(folder / "other.mp4", m.footage([41, 42], [60, 60])),
        "folder": folder,
    }


def test_every_annotation_lands_on_the_same_picture(copies: dict[str, Path]) -> None:
    with open_project(copies["folder"] / "class.critique") as project:
        aligned = align_films(project, copies["original"], copies["copy"])
    mapping = aligned.mapping
    assert mapping is not None
    assert mapping.offset == 60 and mapping.ratio == 1 and mapping.variant == "plain"
    assert mapping.confidence > 0.95
    result = reanchor(mapping, aligned.original, aligned.copy, ANNOTATIONS.items())
    assert result.unplaced == []
    assert {p.key for p in result.placed} == set(ANNOTATIONS)
    # The region around the code, moved onto the copy (bars and scale accounted for), shows
    # the very frame the annotation was made on.
    (x0, y0), (x1, y1) = map_points(mapping, [(0.0, 0.0), CODE_BOX])
    with FrameServer(copies["copy"]) as server:
        for placed in result.placed:
            for old, new in ((placed.start, placed.new_start), (placed.end, placed.new_end)):
                image = server.frame(new).image
                h, w = image.shape[:2]
                box = image[round(y0 * h) : round(y1 * h), round(x0 * w) : round(x1 * w)]
                assert read_frame_code(box) == old, placed.key


def test_a_mirrored_shorter_copy_places_what_it_has(copies: dict[str, Path]) -> None:
    with open_project(copies["folder"] / "web.critique") as project:
        aligned = align_films(project, copies["original"], copies["mirror"])
    mapping = aligned.mapping
    assert mapping is not None and mapping.variant == "mirror" and mapping.offset == -20
    result = reanchor(mapping, aligned.original, aligned.copy, ANNOTATIONS.items())
    assert {u.key for u in result.unplaced} == {"opening"}  # cut from this copy
    assert {p.key: (p.new_start, p.new_end) for p in result.placed}["morph"] == (10, 20)
    ((x, y),) = map_points(mapping, [(0.25, 0.5)])
    assert (round(x, 3), round(y, 3)) == (0.75, 0.5)


def test_an_unrelated_film_places_nothing(copies: dict[str, Path]) -> None:
    with open_project(copies["folder"] / "other.critique") as project:
        aligned = align_films(project, copies["original"], copies["unrelated"])
    result = reanchor(aligned.mapping, aligned.original, aligned.copy, ANNOTATIONS.items())
    assert result.placed == []
    assert len(result.unplaced) == len(ANNOTATIONS)


def test_a_passage_cut_from_the_copy_is_listed_not_guessed(copies: dict[str, Path]) -> None:
    """The frames just before the cut look alike (a slow shot): they must not pass for the
    missing passage "moved" a few frames away."""
    with open_project(copies["folder"] / "cut.critique") as project:
        aligned = align_films(project, copies["original"], copies["cut"])
    assert aligned.mapping is not None and aligned.mapping.offset == 60
    spans = {"before the cut": FrameRange(90, 99), "after the cut": FrameRange(112, 119)}
    result = reanchor(aligned.mapping, aligned.original, aligned.copy, spans.items())
    assert [(p.key, p.new_start, p.new_end) for p in result.placed] == [
        ("before the cut", 150, 159)
    ]
    assert [u.key for u in result.unplaced] == ["after the cut"]
