"""Re-frames and split screens made by the real `ffmpeg` program (crop, scale, pad, hstack)
from generated 16:9 footage: each library item shown is found, with the frames it shows;
an unrelated film gives no segment."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from critique_app.cli import main
from critique_app.media.reframes import STACKED_SLICES
from critique_app.provenance.reference_library import VARIANT_NAMES
from critique_app.services.fingerprinting import not_searched
from db import fingerprint_store as store
from db.project import open_project
from tests.fingerprint import material as m
from tests.fingerprint.earlier_versions import add_as_an_earlier_version, add_as_before_re_frames
from tests.media.montage_films import ffmpeg

ITEM_FRAMES = 96
SKIP = 24  # the copies start at this frame of each item
HEAD = 36  # unrelated footage before and after the passage
TOLERANCE = 3  # library frames
PORTRAIT = "[i0]crop=ih*9/16:ih,scale=180:320,setsar=1"  # a 9:16 centre crop, as phones show


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three 16:9 library clips (640x360), a 2.39 one (640x268) and a project holding them."""
    folder = tmp_path_factory.mktemp("reframes")
    project = folder / "jury.critique"
    sizes = [(640, 360)] * 3 + [(640, 268)]
    for k, (seed, size) in enumerate(zip((710, 711, 712, 713), sizes, strict=True)):
        clip = m.write_clip(folder / f"item{k}.mp4", m.shot(seed, ITEM_FRAMES, size), crf=16)
        assert main(["library", "add", str(project), str(clip), "--note", "generated"]) == 0
    return folder, project


def _copy(folder: Path, name: str, graph: str, items: list[int], size: str) -> Path:
    """A film: unrelated footage, the items (from frame SKIP, labelled [i<item>]) through
    `graph`, unrelated footage, all at `size`, encoded as H.264 by ffmpeg."""
    film = folder / f"{name}.mp4"
    w, h = (int(v) for v in size.split("x"))
    head = m.write_clip(folder / f"{name}-head.mp4", m.footage([720, 721], [HEAD // 2] * 2, (w, h)))
    tail = m.write_clip(folder / f"{name}-tail.mp4", m.shot(722, HEAD, (w, h)))
    trims = "".join(
        f"[{n + 1}:v]trim=start_frame={SKIP},setpts=PTS-STARTPTS[i{k}];"
        for n, k in enumerate(items)
    )
    joined = f"{trims}{graph}[mid];[0:v][mid][{len(items) + 1}:v]concat=n=3:v=1[out]"
    inputs = [arg for k in items for arg in ("-i", str(folder / f"item{k}.mp4"))]
    args = ["-i", str(head), *inputs, "-i", str(tail), "-filter_complex", joined, "-map", "[out]"]
    _x264(args, film, crf=20)
    return film


def _x264(args: list[str], out: Path, crf: int) -> None:
    """ffmpeg's inputs and filters `args`, encoded as H.264 into `out`."""
    subprocess.run(
        [ffmpeg(), "-v", "error", "-y", *args, "-c:v", "libx264", "-crf", str(crf),
         "-pix_fmt", "yuv420p", str(out)],
        check=True,
    )  # fmt: skip


def _matches(film: Path, project: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert main(["match", str(film), "--project", str(project), "--json"]) == 0
    return list(json.loads(capsys.readouterr().out)["matches"])


def _assert_found(matches: list[dict], items: list[int], tolerance: int = TOLERANCE) -> None:
    """Every item in `items` found as a segment of its own, at the frames the copy shows."""
    assert sorted({x["label"] for x in matches}) == [f"item{k}" for k in items], matches
    for x in matches:
        assert x["start_frame"] >= HEAD - 2, x
        shown = SKIP + x["start_frame"] - HEAD
        assert abs(x["item_start"] - shown) <= tolerance, x
        assert x["end_frame"] - x["start_frame"] >= 0.8 * (ITEM_FRAMES - SKIP) - 1, x


def test_a_9_16_centre_crop_is_found_with_its_source_frames(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = library
    film = _copy(folder, "portrait", PORTRAIT, [0], "180x320")
    _assert_found(_matches(film, project, capsys), [0])


def test_a_9_16_centre_crop_of_a_scope_film_is_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = library
    graph = "[i3]crop=ih*9/16:ih,scale=180:320,setsar=1"
    _assert_found(_matches(_copy(folder, "scope", graph, [3], "180x320"), project, capsys), [3])


def test_a_9_16_crop_against_the_left_edge_is_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = library
    graph = "[i1]crop=ih*9/16:ih:0:0,scale=180:320,setsar=1"
    _assert_found(
        _matches(_copy(folder, "portrait-left", graph, [1], "180x320"), project, capsys), [1]
    )


def test_both_films_of_a_cropped_split_screen_are_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = library
    graph = "[i0]crop=iw/2:ih[a];[i1]crop=iw/2:ih[b];[a][b]hstack,scale=640:360,setsar=1"
    matches = _matches(_copy(folder, "split2", graph, [0, 1], "640x360"), project, capsys)
    _assert_found(matches, [0, 1])
    assert {x["variant"] for x in matches} == {"panel"}


def test_three_films_scaled_into_thirds_are_all_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = library
    panels = "".join(f"[i{k}]scale=214:120,pad=214:360:0:(oh-ih)/2[p{k}];" for k in range(3))
    graph = f"{panels}[p0][p1][p2]hstack=inputs=3,scale=642:360,setsar=1"
    matches = _matches(_copy(folder, "split3", graph, [0, 1, 2], "642x360"), project, capsys)
    # A picture a third of the frame wide is 21 pixels of the 64 hashed: neighbouring frames
    # of these slow pans hash within 2 bits of each other, so the frames shown are only
    # known to within a few frames.
    _assert_found(matches, [0, 1, 2], tolerance=3 * TOLERANCE)


def test_two_films_cropped_and_stacked_top_and_bottom_are_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = library
    graph = "[i0]crop=iw:ih/2[a];[i1]crop=iw:ih/2[b];[a][b]vstack,setsar=1"
    matches = _matches(_copy(folder, "stacked", graph, [0, 1], "640x360"), project, capsys)
    _assert_found(matches, [0, 1])
    assert {x["variant"] for x in matches} == {"panel"}


def test_two_films_scaled_and_stacked_top_and_bottom_are_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each 16:9 picture scaled into a half-height panel, dark columns beside it."""
    folder, project = library
    panels = "".join(f"[i{k}]scale=320:180,pad=640:180:(ow-iw)/2:0[p{k}];" for k in range(2))
    graph = f"{panels}[p0][p1]vstack,setsar=1"
    matches = _matches(_copy(folder, "stacked-scaled", graph, [0, 1], "640x360"), project, capsys)
    _assert_found(matches, [0, 1], tolerance=2 * TOLERANCE)


def test_a_letterboxed_film_scaled_into_the_top_panel_is_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The scope film letterboxed in its 16:9 frame (as the street footage of issue 24), then
    scaled into the top panel: the frame is dark at its top only, which is no bar."""
    folder, project = library
    boxed = "[i3]pad=640:360:0:46,scale=320:180,pad=640:180:(ow-iw)/2:0[p3];"
    graph = f"{boxed}[i0]scale=320:180,pad=640:180:(ow-iw)/2:0[p0];[p3][p0]vstack,setsar=1"
    film = _copy(folder, "stacked-letterboxed", graph, [3, 0], "640x360")
    _assert_found(_matches(film, project, capsys), [0, 3], tolerance=2 * TOLERANCE)


def test_two_films_cropped_and_stacked_in_a_9_16_frame_are_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The social-media stacking: a film above, another below, each cropped to 9:8."""
    folder, project = library
    panels = "".join(f"[i{k}]crop=ih*9/8:ih,scale=180:160[p{k}];" for k in range(2))
    graph = f"{panels}[p0][p1]vstack,setsar=1"
    matches = _matches(_copy(folder, "stacked-9x16", graph, [0, 1], "180x320"), project, capsys)
    _assert_found(matches, [0, 1])


IN_9_16_SCALED = (
    "[i{top}]scale=180:102,pad=180:160:0:(oh-ih)/2[p{top}];"
    "[i{bottom}]scale=180:102,pad=180:160:0:(oh-ih)/2[p{bottom}];[p{top}][p{bottom}]vstack,setsar=1"
)


def test_two_films_scaled_and_stacked_in_a_9_16_frame_are_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each 16:9 picture letterboxed in its 9:8 panel: the pictures meet across dark rows."""
    folder, project = library
    graph = IN_9_16_SCALED.format(top=0, bottom=1)
    film = _copy(folder, "stacked-9x16-scaled", graph, [0, 1], "180x320")
    _assert_found(_matches(film, project, capsys), [0, 1], tolerance=2 * TOLERANCE)


def test_a_letterboxed_film_cropped_into_a_9_16_stack_is_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 24, session 14: a scope film letterboxed in its 16:9 file (the street footage),
    its frame cropped to 9:8, bars and all, in the bottom panel. Without its bars the panel
    shows the picture at 1.49, a slice the library took of the picture without its bars at
    9:8: 14 bits apart."""
    folder, _project = library
    project = folder / "letterboxed.critique"
    if not project.exists():
        boxed = folder / "item6.mp4"
        _x264(["-i", str(folder / "item3.mp4"), "-vf", "pad=640:360:0:46"], boxed, crf=16)
        assert main(["library", "add", str(project), str(boxed), "--note", "generated"]) == 0
    panels = "".join(f"[i{k}]crop=ih*9/8:ih,scale=180:160[p{k}];" for k in (0, 6))
    film = _copy(folder, "stacked-9x16-letterboxed", f"{panels}[p0][p6]vstack,setsar=1", [0, 6],
                 "180x320")  # fmt: skip
    _assert_found(_matches(film, project, capsys), [6])


def test_four_films_in_a_2x2_grid_are_all_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = library
    panels = "".join(
        f"[i{k}]scale=320:-2,pad=320:180:0:(oh-ih)/2,setsar=1[p{k}];" for k in range(4)
    )
    graph = f"{panels}[p0][p1][p2][p3]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0,setsar=1"
    matches = _matches(_copy(folder, "grid", graph, [0, 1, 2, 3], "640x360"), project, capsys)
    _assert_found(matches, [0, 1, 2, 3], tolerance=2 * TOLERANCE)


def test_an_unrelated_film_gives_no_segment(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = library
    film = m.write_clip(
        folder / "unrelated.mp4", m.footage([730, 731, 732, 733], [60, 60, 60, 60], (640, 360))
    )
    assert _matches(film, project, capsys) == []


def test_an_item_added_before_re_frames_is_named_as_not_searched(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Stored by an earlier version (no re-frame slices): still read, and the match says
    what it could not look for instead of finding nothing silently."""
    folder, _project = library
    older = folder / "older.critique"
    with open_project(older) as project:
        add_as_before_re_frames(project.db, folder / "item0.mp4", "item0")
    capsys.readouterr()
    film = _copy(folder, "portrait-older", PORTRAIT, [0], "180x320")
    assert main(["match", str(film), "--project", str(older)]) == 0
    err = capsys.readouterr().err
    assert "1 library item was added before re-framed copies (9:16, 4:5, 1:1)" in err


def test_an_item_added_before_stacked_split_screens_is_named_as_not_searched(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Stored with every re-frame but the halves of stacked split screens: said so, and not
    as an item without re-frames."""
    folder, _project = library
    older = folder / "before-stacks.critique"
    with open_project(older) as project:
        add_as_an_earlier_version(
            project.db,
            folder / "item0.mp4",
            "item0",
            [name for name in VARIANT_NAMES if name not in STACKED_SLICES],
        )
    capsys.readouterr()
    film = _copy(folder, "portrait-before-stacks", PORTRAIT, [0], "180x320")
    assert main(["match", str(film), "--project", str(older)]) == 0
    err = capsys.readouterr().err
    assert "1 library item was added before split screens stacked top and bottom" in err
    assert "re-framed copies" not in err


def test_a_film_hashed_before_stacked_panels_is_told_apart_from_one_without_panels() -> None:
    stacked = tuple(k for k in store.EXTRA_KINDS if "top" in k or "bottom" in k)
    progress = store.StoredProgress(10, True, None)
    before_stacks = not_searched(replace(progress, missing_kinds=stacked), [], "Dune")
    before_panels = not_searched(replace(progress, missing_kinds=store.EXTRA_KINDS), [], "Dune")
    assert len(before_stacks) == 1 and "stacked top and bottom" in before_stacks[0]
    assert len(before_panels) == 1 and "stacked" not in before_panels[0]
    assert not_searched(progress, [], "Dune") == []


def test_the_halves_of_a_cropped_stack_are_marked_as_having_no_middle(
    library: tuple[Path, Path],
) -> None:
    """Issue 24, session 19: a 32:9 half of a stack cropped from its film can have no middle
    (the library has no slice for one), while a film scaled into a half has one, withheld
    only when it is too dark: the fingerprint says which (film_hashes.NO_MIDDLE, one bit per
    panel), so that the matcher holds the first as a picture alone (within 8 bits) and the
    second as before. On FFmpeg's stacks of two clips: every frame of the passage marks both
    halves of the cropped stack and neither of the scaled one."""
    from critique_app.media.film_hashes import EXTRA_PICTURES, NO_MIDDLE, _concat, hash_film
    from critique_app.media.grey_frames import read_layout
    from critique_app.media.reframes import PANEL_NAMES

    folder, _project = library
    halves = sum(1 << PANEL_NAMES.index(name) for name in ("half-top", "half-bottom"))
    shown = np.arange(HEAD + 2, HEAD + ITEM_FRAMES - SKIP - 2)
    cropped = "[i0]crop=iw:ih/2[a];[i1]crop=iw:ih/2[b];[a][b]vstack,setsar=1"
    panels = "".join(f"[i{k}]scale=320:180,pad=640:180:(ow-iw)/2:0[p{k}];" for k in range(2))
    for name, graph, marked in (
        ("stacked-marks", cropped, halves),
        ("stacked-scaled-marks", f"{panels}[p0][p1]vstack,setsar=1", 0),
    ):
        film = _copy(folder, name, graph, [0, 1], "640x360")
        runs = list(hash_film(film, read_layout(film), workers=1))
        extra = _concat(runs, 0, None).hashes.extra
        assert extra is not None
        marks = extra[shown, EXTRA_PICTURES.index(NO_MIDDLE)]
        assert (marks == marked).all(), (name, np.unique(marks))
        top = extra[shown, EXTRA_PICTURES.index("half-top")]
        assert (top != 0).all(), name  # the half is searched either way


def test_a_dark_film_scaled_into_a_stacks_half_is_not_marked(
    library: tuple[Path, Path], provenance_corpus: Path
) -> None:
    """Issue 24, session 19: the EBU's Eurovox product shots (the real clip of the corpus,
    dark: black with lit objects) scaled into the bottom half of a stack. Its bars are black
    on black, so its panel is the whole 32:9 half, which can have no middle; but no frame of
    it is lit enough to tell bars by, so it may be a picture scaled into the half (it is),
    and it is not marked: the matcher counts it within 10 bits, as a panel whose middle is
    withheld for the dark. Marked, set A's and set C's stacked scaled passage of this clip
    was lost (its frames 8-10 bits off)."""
    from critique_app.media.film_hashes import EXTRA_PICTURES, NO_MIDDLE, _concat, hash_film
    from critique_app.media.grey_frames import read_layout
    from critique_app.media.reframes import PANEL_NAMES

    folder, _project = library
    clip = provenance_corpus / "c2pa-video-player" / "PTS_NO_CRs_c2pa_ebu_eurovox.mp4"
    _x264(["-i", str(clip), "-vf", "fps=24,scale=640:360", "-frames:v", "160"],
          folder / "item9.mp4", crf=16)  # fmt: skip
    graph = (
        "[i0]crop=iw:ih/2[a];[i9]trim=start_frame=20,setpts=PTS-STARTPTS,"
        "scale=320:180,pad=640:180:(ow-iw)/2:0[b];[a][b]vstack,setsar=1"
    )
    film = _copy(folder, "stacked-scaled-eurovox", graph, [0, 9], "640x360")
    extra = _concat(list(hash_film(film, read_layout(film), workers=1)), 0, None).hashes.extra
    assert extra is not None
    shown = np.arange(HEAD + 2, HEAD + 60)
    bottom, middle, marks = (
        extra[shown, EXTRA_PICTURES.index(p)]
        for p in ("half-bottom", "half-bottom middle", NO_MIDDLE)
    )
    assert (bottom != 0).mean() >= 0.8 and (middle == 0).mean() >= 0.8
    assert not (marks & np.uint64(1 << PANEL_NAMES.index("half-bottom"))).any()


SPLIT_COPIES = {
    "split2": ("[i0]crop=iw/2:ih[a];[i1]crop=iw/2:ih[b];[a][b]hstack,scale=640:360,setsar=1",
               "640x360", ("half-left", "half-right")),
    "stacked-9x16": ("".join(f"[i{k}]crop=ih*9/8:ih,scale=180:160[p{k}];" for k in range(2))
                     + "[p0][p1]vstack,setsar=1", "180x320", ("half-top", "half-bottom")),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SPLIT_COPIES))
def test_the_middle_of_each_panel_is_its_library_frames_centre_slice(
    library: tuple[Path, Path], name: str
) -> None:
    """Issue 24, session 12: the second picture of a panel (its 9:16 middle) is the library's
    9:16 centre slice of the frame the panel shows, so that it can confirm the panel's hits:
    within the frame threshold on the frames of a real FFmpeg split screen."""
    from critique_app.media.film_hashes import EXTRA_PICTURES, _concat, hash_film
    from critique_app.media.fingerprint import hamming
    from critique_app.media.grey_frames import read_layout
    from critique_app.provenance.matching import FRAME_THRESHOLD
    from critique_app.provenance.reference_library import hash_reference

    folder, _project = library
    graph, size, panels = SPLIT_COPIES[name]
    film = _copy(folder, f"{name}-middles", graph, [0, 1], size)
    extra = _concat(list(hash_film(film, read_layout(film), workers=1)), 0, None).hashes.extra
    assert extra is not None
    shown = np.arange(HEAD + 2, HEAD + ITEM_FRAMES - SKIP - 2)
    for k, panel in enumerate(panels):
        item = hash_reference(folder / f"item{k}.mp4")
        grid = np.concatenate([item.hashes[None], np.asarray(item.variants)])
        middle = extra[shown, EXTRA_PICTURES.index(f"{panel} middle")]
        assert (middle != 0).all(), panel
        near = [
            int(hamming(q, grid[:, max(f - 2, 0) : f + 3]).min())
            for q, f in zip(middle, shown - HEAD + SKIP, strict=True)
        ]
        assert np.median(near) <= 4 and np.mean(np.array(near) <= FRAME_THRESHOLD) >= 0.9, near


def test_a_9_16_centre_crop_of_a_clip_dark_on_one_side_is_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Dark on its right (a seventh of the frame, as the product shots of issue 24): the
    library takes it for a bar, but a copy's centre crop is the centre of the whole frame."""
    folder, _project = library
    project = _dark_side(folder)
    film = _copy(folder, "portrait-dark-side", PORTRAIT.replace("[i0]", "[i4]"), [4], "180x320")
    _assert_found(_matches(film, project, capsys), [4])


def _dark_side(folder: Path) -> Path:
    """A project holding item4, a clip dark on its right (a seventh of the frame)."""
    project = folder / "dark-side.critique"
    if not project.exists():
        lit = m.write_clip(folder / "lit.mp4", m.shot(714, ITEM_FRAMES, (640, 360)), crf=16)
        clip = folder / "item4.mp4"
        box = "drawbox=x=548:y=0:w=92:h=360:color=black:t=fill"
        _x264(["-i", str(lit), "-vf", box], clip, crf=16)
        assert main(["library", "add", str(project), str(clip), "--note", "generated"]) == 0
    return project


GRID = "".join(f"[i{k}]scale=320:180,setsar=1[p{k}];" for k in (4, 0, 1, 2))


@pytest.mark.parametrize(
    ("name", "graph", "items", "size"),
    [
        ("stacked-9x16-dark-side", IN_9_16_SCALED.format(top=4, bottom=0), [4, 0], "180x320"),
        ("grid-dark-side", GRID + "[p4][p0][p1][p2]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0",
         [4, 0, 1, 2], "640x360"),
        ("split-dark-side", "".join(f"[i{k}]scale=320:180,pad=320:360:0:90[p{k}];" for k in (0, 4))
         + "[p0][p4]hstack,setsar=1", [0, 4], "640x360"),
    ],
)  # fmt: skip
def test_a_clip_dark_on_one_side_scaled_into_a_panel_is_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str], name: str, graph: str,
    items: list[int], size: str,
) -> None:  # fmt: skip
    """Issue 24, session 14: the panel loses the dark side, as the library's frames do (a
    half side by side kept it: 14 bits); its middle is still the centre of the whole frame,
    as the library's 9:16 slice is (centred on the rest, it was 12-18 bits away and the
    panel of a stack or a grid was not confirmed)."""
    folder, _project = library
    project = _dark_side(folder)
    film = _copy(folder, name, graph, items, size)
    _assert_found(_matches(film, project, capsys), [4], tolerance=2 * TOLERANCE)


def test_a_panel_gone_dark_is_not_searched(library: tuple[Path, Path]) -> None:
    """Issue 24, session 13: the top panel of a 9:16 stack fades to black (a little noise
    left, as a codec leaves) while the bottom one goes on. A dark panel hashes to noise: one
    of the product shots came within 4 bits of the Earth's first frames for 12 frames. It is
    left out as a dark frame is, its middle with it; the lit panel below is still searched."""
    from critique_app.media.film_hashes import EXTRA_PICTURES, _concat, hash_film
    from critique_app.media.grey_frames import read_layout

    folder, _project = library
    crop = "crop=ih*9/8:ih,scale=180:160"
    graph = (
        f"[i0]{crop},fade=t=out:start_frame=30:nb_frames=6,noise=alls=6:allf=t[p0];"
        f"[i1]{crop}[p1];[p0][p1]vstack,setsar=1"
    )
    film = _copy(folder, "stacked-9x16-fading", graph, [0, 1], "180x320")
    extra = _concat(list(hash_film(film, read_layout(film), workers=1)), 0, None).hashes.extra
    assert extra is not None
    top, bottom, middle = (
        extra[:, EXTRA_PICTURES.index(p)] for p in ("half-top", "half-bottom", "half-top middle")
    )
    lit, dark = np.arange(HEAD + 2, HEAD + 28), np.arange(HEAD + 38, HEAD + ITEM_FRAMES - SKIP)
    assert (top[lit] != 0).all() and (middle[lit] != 0).all()
    assert (top[dark] == 0).all() and (middle[dark] == 0).all(), top[dark]
    assert (bottom[np.r_[lit, dark]] != 0).all()


def _planet_on_black(folder: Path) -> Path:
    """A lit disc on black with a few bright lights (the Earth on black of issue 24), dark as
    a whole: no frame is bright enough on average (regions.DARK_FRAME) to say anything
    about bars."""
    w, h = 640, 360
    yy, xx = np.ogrid[0:h, 0:w]
    disc = (np.hypot(xx - w / 2, yy - h / 2) < 0.42 * h)[..., None]
    lights = np.zeros((h, w, 1), bool)
    for k in range(20):  # on a spiral inside the disc, one every few rows
        r, a = 0.4 * h * (k + 1) / 21, 2.4 * k
        y, x = int(h / 2 + r * np.sin(a)), int(w / 2 + r * np.cos(a))
        lights[y - 5 : y + 5, x - 5 : x + 5] = True
    frames = [
        np.where(lights, 255, f * disc * 0.3).astype(np.uint8)
        for f in m.shot(715, ITEM_FRAMES, (w, h))
    ]
    assert max(float(f.mean()) for f in frames) < 16
    return m.write_clip(folder / "item5.mp4", frames, crf=16)


TOP_DARK = "[i5]scale=320:180,pad=640:180:(ow-iw)/2:0[p5];"
BELOW = "[i0]scale=320:180,{dim}pad=640:180:(ow-iw)/2:0[p0];[p5][p0]vstack,setsar=1"


IN_9_16 = "".join(f"[i{k}]scale=180:102,pad=180:160:0:(oh-ih)/2[p{k}];" for k in (5, 0))


@pytest.mark.parametrize(
    ("name", "graph", "size"),
    [
        # a lit film below: its middle was 14-20 bits from the library's 9:16 slice
        ("stacked-dark", TOP_DARK + BELOW.format(dim=""), "640x360"),
        # a dim one: the whole frame too dark for bars, the panel kept its pillars (12 bits)
        ("stacked-dark-dim", TOP_DARK + BELOW.format(dim="lutrgb=r=val/5:g=val/5:b=val/5,"),
         "640x360"),
        # in a 9:16 stack: more dark rows above than below, the seam was taken too low
        ("stacked-9x16-dark", IN_9_16 + "[p5][p0]vstack,setsar=1", "180x320"),
    ],
)  # fmt: skip
def test_a_dark_picture_scaled_into_the_top_panel_is_found(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str], name: str, graph: str, size: str
) -> None:
    """Its bars cannot be told from its own black by their grey: the picture is taken where
    its proportions put it in the panel, as the library keeps it (whole)."""
    folder, _project = library
    project = folder / "dark-planet.critique"
    if not project.exists():
        clip = _planet_on_black(folder)
        assert main(["library", "add", str(project), str(clip), "--note", "generated"]) == 0
    film = _copy(folder, name, graph, [5, 0], size)
    _assert_found(_matches(film, project, capsys), [5], tolerance=2 * TOLERANCE)


def test_a_dim_quarter_whose_middle_is_itself_is_not_searched(library: tuple[Path, Path]) -> None:
    """Issue 24, session 14: a 9:16 stack, the planet on black above (dark as a whole: its
    bars cannot be found), two films side by side below (a seam: the frame is also cut into
    quarters). A top quarter is then a 9:16 cell of black with a lit sliver, its middle the
    quarter itself: a dim quarter of a real clip at night came within 4-14 bits of the
    Earth's first frames that way. It is not searched; the top half and the quarters below
    are."""
    from critique_app.media.film_hashes import EXTRA_PICTURES, _concat, hash_film
    from critique_app.media.grey_frames import read_layout

    folder, _project = library
    if not (folder / "item5.mp4").exists():
        _planet_on_black(folder)
    below = "".join(f"[i{k}]crop=ih*9/16:ih,scale=90:160[b{k}];" for k in (1, 2))
    graph = f"{IN_9_16.split(';')[0]};{below}[b1][b2]hstack[p1];[p5][p1]vstack,setsar=1"
    film = _copy(folder, "stacked-9x16-dim-quarters", graph, [5, 1, 2], "180x320")
    extra = _concat(list(hash_film(film, read_layout(film), workers=1)), 0, None).hashes.extra
    assert extra is not None
    passage = np.arange(HEAD + 2, HEAD + ITEM_FRAMES - SKIP - 2)
    column = {name: extra[passage, EXTRA_PICTURES.index(name)] for name in EXTRA_PICTURES}
    assert (column["quarter-bottom-left"] != 0).all() and (column["half-top"] != 0).all()
    for name in ("quarter-top-left", "quarter-top-right"):
        assert (column[name] == 0).all() and (column[f"{name} middle"] == 0).all(), name


def test_a_9_16_copy_is_looked_at_again_on_its_original_and_found_without_it(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A passage found through a re-frame slice has its source frames found again on the
    original's own pictures; when the original has moved, the library's hashes alone give
    the same passage (no error, nothing else lost)."""
    folder, project = library
    graph = "[i2]crop=ih*9/16:ih:iw-ih*9/16:0,scale=180:320,setsar=1"  # the right edge
    film = _copy(folder, "portrait-right", graph, [2], "180x320")
    seen = _matches(film, project, capsys)
    _assert_found(seen, [2])
    original = folder / "item2.mp4"
    moved = original.rename(folder / "item2-moved.mp4")
    try:
        alone = _matches(film, project, capsys)
    finally:
        moved.rename(original)
    _assert_found(alone, [2])
    assert [(x["start_frame"], x["end_frame"]) for x in alone] == [
        (x["start_frame"], x["end_frame"]) for x in seen
    ]


def test_a_passage_shown_twice_is_looked_at_again_with_one_read_of_its_original(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 24, session 13: both passages of a film showing a 9:16 right-edge copy twice are
    looked at again on the original's pictures, which are decoded once for the film (the
    windows of one item merged), and only around the passages."""
    from critique_app.provenance import source_pictures

    reads: list[tuple[str, int, int]] = []
    decode = source_pictures.grey_batches

    def counted(path: Path, **kw: Any) -> Any:
        reads.append((Path(path).name, kw["start"], kw["stop"]))
        return decode(path, **kw)

    monkeypatch.setattr(source_pictures, "grey_batches", counted)
    folder, project = library
    graph = "[i2]crop=ih*9/16:ih:iw-ih*9/16:0,scale=180:320,setsar=1,split[a][b];[a][b]concat=n=2"
    seen = _matches(_copy(folder, "portrait-right-twice", graph, [2], "180x320"), project, capsys)
    assert [x["label"] for x in seen] == ["item2", "item2"], seen
    for x, at in zip(seen, (HEAD, HEAD + ITEM_FRAMES - SKIP), strict=True):
        assert abs(x["item_start"] - (SKIP + max(x["start_frame"] - at, 0))) <= TOLERANCE, x
    assert [name for name, _start, _stop in reads] == ["item2.mp4"], reads
    assert reads[0][1] <= SKIP and reads[0][2] == ITEM_FRAMES, reads
