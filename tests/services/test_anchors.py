"""Anchor fingerprints: an annotation remembers what its first, middle and last frame look like."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from critique_app.domain import commands as cmd
from critique_app.domain.model import Annotation, FrameRange
from critique_app.media.fingerprint import hamming
from critique_app.media.frame_server import FrameServer
from critique_app.progress import Progress
from critique_app.provenance.reference_library import hash_still
from critique_app.services.anchors import compute_anchor_hashes, fill_missing_anchors
from critique_app.services.films import add_film
from db.project import open_project
from tests.media_factory import make_coded_clip


def _project_with_annotations(tmp_path: Path, clip: Path):  # type: ignore[no-untyped-def]
    project = open_project(tmp_path / "anchors.critique")
    film = add_film(project, clip)
    tier = project.repo.add_tier("Léa")
    for frames in (FrameRange(3, 20), FrameRange.single(40), FrameRange(50, 95)):
        project.undo.push(
            cmd.CreateAnnotation(Annotation.create(film.id or 0, tier.id or 0, frames))
        )
    return project, film


def test_anchors_are_the_hashes_of_the_exact_frames(tmp_path: Path) -> None:
    clip = make_coded_clip(tmp_path / "clip.mp4", frames=100, rate=Fraction(24))
    project, film = _project_with_annotations(tmp_path, clip)
    assert all(a.anchor_hashes is None for a in project.repo.annotations())
    assert fill_missing_anchors(project, film.id or 0) == 3
    server = FrameServer(clip)
    for a in project.repo.annotations():
        assert a.anchor_hashes is not None
        expected = [
            int(hash_still(server.frame(i).image)[0])
            for i in (a.range.start, a.range.middle, a.range.end)
        ]
        assert list(a.anchor_hashes) == expected
    server.close()
    assert fill_missing_anchors(project, film.id or 0) == 0  # nothing left to do
    project.close()
    with open_project(tmp_path / "anchors.critique") as again:  # saved at once
        assert all(a.anchor_hashes for a in again.repo.annotations())


def test_the_progress_says_how_many_annotations_are_done(tmp_path: Path) -> None:
    """Session 19: beside its label ("Anchor fingerprints") the status bar showed the step
    "fingerprinting annotation anchors", the label again, cut at 1280 px in French; the step
    now says how far the pass is, as an import does."""
    clip = make_coded_clip(tmp_path / "clip.mp4", frames=100, rate=Fraction(24))
    project, film = _project_with_annotations(tmp_path, clip)
    steps: list[tuple[int, int, str]] = []
    assert fill_missing_anchors(project, film.id or 0, Progress(lambda *s: steps.append(s))) == 3
    said = [m for _d, _t, m in steps if m]
    assert said[:3] == ["0 of 3 annotations", "1 of 3 annotations", "2 of 3 annotations"]
    project.close()


def test_a_new_range_gets_new_anchors_and_undo_restores_the_old(tmp_path: Path) -> None:
    clip = make_coded_clip(tmp_path / "clip.mp4", frames=100, rate=Fraction(24))
    project, film = _project_with_annotations(tmp_path, clip)
    fill_missing_anchors(project, film.id or 0)
    first = project.repo.annotations()[0]
    project.undo.push(cmd.change_range(first.id or 0, FrameRange(60, 90)))
    assert project.repo.get_annotation(first.id or 0).anchor_hashes is None
    fill_missing_anchors(project, film.id or 0)
    moved = project.repo.get_annotation(first.id or 0).anchor_hashes
    assert moved is not None and moved != first.anchor_hashes
    project.undo.undo()
    assert project.repo.get_annotation(first.id or 0).anchor_hashes == first.anchor_hashes
    project.close()


def _rescaled_copy(source: Path, dest: Path, size: tuple[int, int]) -> Path:
    """Another copy of the same film: smaller and re-encoded at a low quality."""
    with av.open(str(source)) as src, av.open(str(dest), "w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.options = {"crf": "35"}
        for index, frame in enumerate(src.decode(video=0)):
            small = frame.reformat(size[0], size[1], "yuv420p")
            small.pts, small.time_base = index, Fraction(1, 24)
            out.mux(stream.encode(small))
        out.mux(stream.encode(None))
    return dest


def test_anchors_find_the_passage_again_in_a_smaller_reencoded_copy(tmp_path: Path) -> None:
    original = make_coded_clip(tmp_path / "a.mp4", frames=100, size=(320, 240))
    copy = _rescaled_copy(original, tmp_path / "b.mp4", (160, 120))
    frames = FrameRange(10, 60)
    anchors = compute_anchor_hashes(original, {1: frames})[1]
    server = FrameServer(copy)
    copy_hashes = np.array(
        [hash_still(server.frame(i).image)[0] for i in range(100)], dtype=np.uint64
    )
    server.close()
    for index, anchor in zip((frames.start, frames.middle, frames.end), anchors, strict=True):
        distances = hamming(copy_hashes, np.full(100, anchor, dtype=np.uint64))
        assert abs(int(np.argmin(distances)) - index) <= 1, "the anchor points at its own frame"
