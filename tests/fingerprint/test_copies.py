"""Moving a class's annotations onto another copy of the film: every annotation lands on the
same picture, its region on the same part of it, as one undoable step; nothing is guessed."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import pytest

from critique_app.cli import main
from critique_app.domain.model import Annotation, FrameRange, Keyframe, Region
from critique_app.errors import UserError
from critique_app.media.frame_server import FrameServer
from critique_app.progress import Progress
from critique_app.services.copies import move_annotations_to_copy
from critique_app.services.films import add_film
from critique_app.services.fingerprinting import fingerprint_film
from db.project import Project, open_project
from tests.fingerprint import material as m
from tests.media_factory import draw_frame_code, read_frame_code

CODE_BOX = ((0.0, 0.0), (144 / 320, 72 / 180))  # the original's corner carrying a frame code
HEAD = 60  # 2.5 s at 24 fps
RANGES = {  # note -> frames of the screener
    "opening": FrameRange(0, 5),
    "morph": FrameRange(30, 40),
    "single frame": FrameRange(50, 50),
    "long drift": FrameRange(100, 140),
    "after the cut": FrameRange(112, 119),  # the web copy stops at 109
    "last frame": FrameRange(149, 149),
}


@dataclass
class Copies:
    folder: Path
    screener: Path
    festival: Path  # 2.5 s longer head, rescaled to 480x270, letterboxed, re-encoded
    web: Path  # same head, cut after frame 109 of the screener
    other: Path  # an unrelated film
    annotated: Path  # a project: the screener annotated and fingerprinted (copied per test)


def annotate(project: Project, film_id: int) -> dict[str, int]:
    """The class's annotations: categories, tags, a keyframed region on the code, relations."""
    repo = project.repo
    tier = repo.add_tier("Seminar A", author="ines")
    morph = repo.category_by_key("visual.temporal.morphing") or repo.categories()[-1]
    ids = {}
    for note, frames in RANGES.items():
        regions: tuple[Region, ...] = ()
        if note == "morph":  # a rectangle on the code, moving right by 0.1 from 30 to 40
            region = Region.still("rectangle", list(CODE_BOX), 30, "the code")
            later = Region.still("rectangle", [(0.1, 0.0), (0.1 + CODE_BOX[1][0], 0.4)], 40)
            regions = (Region("rectangle", region.keyframes + later.keyframes, "the code"),)
        a = repo.add_annotation(
            Annotation.create(
                film_id,
                tier.id or 0,
                frames,
                category_id=morph.id,
                tags=("identity drift", note),
                note=f"{note}: what the class saw",
                status="contested",
                confidence="high",
                evidence="visual inspection",
                author="ines",
                regions=regions,
            )
        )
        ids[note] = a.id or 0
    repo.add_relation(ids["morph"], ids["long drift"], "continues")
    repo.add_relation(ids["opening"], ids["last frame"], "contradicts")
    return ids


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Copies:
    folder = tmp_path_factory.mktemp("copies")
    original = m.footage([11, 12, 13, 14, 15, 16], [24, 30, 20, 28, 22, 26])
    for i, picture in enumerate(original):
        draw_frame_code(picture[:72, :144], i)  # the code fills the top half of this box
    head = m.footage([21, 22], [30, 30])
    festival = [m.letterbox(m.rescale(f, (480, 270)), bar=45) for f in head + original]
    screener = m.write_clip(folder / "screener.mp4", original)
    annotated = folder / "annotated.critique"
    with open_project(annotated) as project:
        film_id = fingerprint_film(project, screener).film_id
        annotate(project, film_id)
    return Copies(
        folder,
        screener,
        m.write_clip(folder / "festival.mp4", festival, bitrate=500_000),
        m.write_clip(folder / "web.mp4", head + original[:110]),
        m.write_clip(folder / "other.mp4", m.footage([41, 42], [40, 40])),
        annotated,
    )


@pytest.fixture
def project_path(copies: Copies, tmp_path: Path) -> Path:
    path = tmp_path / "class.critique"
    shutil.copy(copies.annotated, path)
    return path


def code_in(image, box: tuple[float, float, float, float]) -> int:
    h, w = image.shape[:2]
    x0, y0, x1, y1 = box
    return read_frame_code(image[round(y0 * h) : round(y1 * h), round(x0 * w) : round(x1 * w)])


def test_every_annotation_lands_on_the_same_picture(copies: Copies, project_path: Path) -> None:
    reports: list[str] = []
    with open_project(project_path) as project:
        repo = project.repo
        source = repo.films()[0]
        before = {a.id: a for a in repo.annotations(film_id=source.id)}
        result = move_annotations_to_copy(
            project,
            source.id or 0,
            copies.festival,
            Progress(lambda d, t, msg: reports.append(msg)),
        )
        copy = repo.get_film(result.copy_film.id or 0)
        moved = {a.id: a for a in repo.annotations(film_id=copy.id)}
        relations = {(r.source_id, r.target_id, r.kind) for r in repo.relations()}

    assert result.mapping.offset == HEAD and result.mapping.ratio == 1
    assert result.mapping.confidence > 0.95
    assert result.unplaced == [] and len(result.created) == len(RANGES) == len(moved)
    assert any("Fingerprinting festival.mp4" in r for r in reports)
    assert "6 annotations moved onto 'festival'" in result.sentence()
    assert "+ 60" in result.sentence() and "2.50 s more at the head" in result.sentence()
    new_of = dict(result.created)
    with FrameServer(copies.festival) as server:
        for source_id, new_id in result.created:
            old, new = before[source_id], moved[new_id]
            # the same remark, a new identity, on the copy
            assert new.uuid != old.uuid and new.film_id == copy.id
            assert (new.tier_id, new.category_id, new.tags, new.note) == (
                old.tier_id,
                old.category_id,
                old.tags,
                old.note,
            )
            assert (new.status, new.confidence, new.author, new.evidence) == (
                "contested",
                "high",
                "ines",
                "visual inspection",
            )
            assert new.range == FrameRange(old.range.start + HEAD, old.range.end + HEAD)
            assert new.start_pts == Fraction(new.range.start, 24)
            # the very pictures the class annotated, read back from the copy's frames
            for was, now in ((old.range.start, new.range.start), (old.range.end, new.range.end)):
                image = server.frame(now).image
                assert code_in(image, _through(result.mapping, CODE_BOX)) == was
            for region, old_region in zip(new.regions, old.regions, strict=True):
                # the region, keyframe by keyframe, covers the same part of the same picture
                assert [k.frame for k in region.keyframes] == [
                    k.frame + HEAD for k in old_region.keyframes
                ]
                first = region.keyframes[0]
                assert code_in(server.frame(first.frame).image, region.bounds(first.frame)) == (
                    old_region.keyframes[0].frame
                )
                x0, y0, x1, y1 = region.bounds(region.keyframes[1].frame)
                # moved right by 0.1, between the bars (detected to a pixel or two)
                assert (x0, x1, y0, y1) == pytest.approx((0.1, 0.55, 0.125, 0.425), abs=0.006)
    assert sum(bool(a.regions) for a in moved.values()) == 1
    ids = {before[s].note.split(":")[0]: n for s, n in new_of.items()}
    assert (ids["morph"], ids["long drift"], "continues") in relations
    assert (ids["opening"], ids["last frame"], "contradicts") in relations


def _through(mapping, box) -> tuple[float, float, float, float]:
    (x0, y0), (x1, y1) = (mapping.map_point(*p) for p in box)
    return x0, y0, x1, y1


def test_one_undo_removes_every_moved_annotation(copies: Copies, project_path: Path) -> None:
    with open_project(project_path) as project:
        repo = project.repo
        source = repo.films()[0]
        relations_before = len(repo.relations())
        result = move_annotations_to_copy(project, source.id or 0, copies.festival)
        copy_id = result.copy_film.id
        assert repo.count_annotations(copy_id) == 6
        assert project.undo.undo_label == "Move 6 annotations onto 'festival'"
        project.undo.undo()
        assert repo.count_annotations(copy_id) == 0
        assert repo.count_annotations(source.id) == 6  # the class's own are untouched
        assert len(repo.relations()) == relations_before
        project.undo.redo()  # redo brings back the same annotations
        assert {a.id for a in repo.annotations(film_id=copy_id)} == {n for _s, n in result.created}
        assert len(repo.relations()) == relations_before + 2
        # moving again does not make them twice
        again = move_annotations_to_copy(project, source.id or 0, copies.festival)
        assert again.created == [] and len(again.already) == 6
        assert repo.count_annotations(copy_id) == 6


def test_an_unrelated_film_is_refused_and_nothing_is_created(
    copies: Copies, project_path: Path
) -> None:
    with open_project(project_path) as project:
        source = project.repo.films()[0]
        with pytest.raises(UserError, match="other.mp4 does not look like another copy") as err:
            move_annotations_to_copy(project, source.id or 0, copies.other)
        assert "no annotation was moved" in str(err.value)
        # one whole sentence for "only 7%" and one for "none", never a fragment put inside
        assert re.search(
            r": (only \d+%|none) of that film's pictures were found in it \(at least 20% needed\)",
            str(err.value),
        )
        assert project.repo.count_annotations() == 6 and not project.undo.can_undo
        with pytest.raises(UserError, match="very film"):
            move_annotations_to_copy(project, source.id or 0, copies.screener)
        bare = add_film(project, copies.festival)
        with pytest.raises(UserError, match="'festival' has no annotations to move"):
            move_annotations_to_copy(project, bare.id or 0, copies.screener)


def test_cli_moves_lists_the_unplaced_and_says_when_nothing_fits(
    copies: Copies, project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["reanchor", str(project_path), str(copies.web), "--film", "screener"])
    out = capsys.readouterr().out
    assert code == 0
    assert "3 annotations moved onto 'web'" in out and "+ 60" in out
    unplaced = out.split("were not placed:")[1].splitlines()[1:4]
    assert [line.split()[1] for line in unplaced] == ["100-140", "112-119", "149-149"]
    assert "long drift: what the class saw: only" in unplaced[0] and "found in" in unplaced[0]
    assert "after the cut: what the class saw: the copy shows other frames" in unplaced[1]

    code = main(["reanchor", str(project_path), str(copies.web), "--film", "1", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["created"] == [] and len(data["already"]) == 3
    assert data["mapping"]["offset"] == HEAD and data["mapping"]["confidence"] > 0.6
    assert [u["start"] for u in data["unplaced"]] == [100, 112, 149]

    # only the passages the web copy lacks: nothing can be placed -> exit 1
    with open_project(project_path) as project:
        screener = project.repo.films()[0]
        for a in project.repo.annotations(film_id=screener.id):
            if a.range.start < 100:
                project.repo.delete_annotation(a.id or 0)
    code = main(["reanchor", str(project_path), str(copies.web), "--film", str(copies.screener)])
    captured = capsys.readouterr()
    assert code == 1 and "0 annotations moved" in captured.out
    assert "nothing could be placed" in captured.err

    code = main(["reanchor", str(project_path), str(copies.other), "--film", "screener"])
    err = capsys.readouterr().err
    assert code == 1 and "does not look like another copy" in err and "Traceback" not in err
    assert main(["reanchor", str(project_path), str(copies.web), "--film", "nope"]) == 1
    assert "no film 'nope'" in capsys.readouterr().err


def test_regions_follow_bars_mirror_and_a_slower_copy() -> None:
    """No media: a region keyframed on three frames, onto a mirrored, pillarboxed copy at half
    the frame numbers (two keyframes meet on one frame: the first holds), points on the
    original's bar kept on the copy's picture edge."""
    from critique_app.services.alignment import FrameMapping, Picture
    from critique_app.services.copies import map_region

    mapping = FrameMapping(
        Fraction(1, 2),
        (10.0,),
        "mirror",
        0.9,
        2.0,
        Picture(320, 240, (0, 30, 320, 180)),  # letterboxed original
        Picture(400, 180, (40, 0, 320, 180)),  # pillarboxed copy
        100,
    )
    keys = (
        Keyframe(4, ((0.0, 0.0), (0.25, 0.5))),
        Keyframe(5, ((0.5, 0.5), (0.75, 0.875))),
        Keyframe(20, ((0.1, 0.2), (0.3, 0.4))),
    )
    region = Region("rectangle", keys, "a face")
    moved = map_region(region, mapping, 10.0, 99)
    assert [k.frame for k in moved.keyframes] == [12, 20]
    (a, b), _ = (k.points for k in moved.keyframes)
    assert a == pytest.approx(((40 + 320) / 400, 0.0))  # on the bar above: the picture's edge
    assert b == pytest.approx(((40 + 0.75 * 320) / 400, (120 - 30) / 180))  # mirrored
    assert moved.label == "a face" and moved.shape == "rectangle"


def test_create_annotations_is_all_or_nothing(tmp_path: Path, copies: Copies) -> None:
    """One of the batch cannot be stored (its identifier is taken): none of them stays."""
    from critique_app.domain.commands import CreateAnnotations

    with open_project(tmp_path / "p.critique") as project:
        film_id = add_film(project, copies.screener).id or 0
        tier = project.repo.add_tier("T")
        taken = project.repo.add_annotation(
            Annotation.create(film_id, tier.id or 0, RANGES["morph"])
        )
        batch = [
            Annotation.create(film_id, tier.id or 0, RANGES["opening"]),
            replace(taken, id=None),  # the same uuid again
        ]
        with pytest.raises(UserError, match="identifier"):
            project.undo.push(CreateAnnotations(batch, [(0, 1, "continues")]))
        assert [a.id for a in project.repo.annotations()] == [taken.id]
        assert not project.undo.can_undo
