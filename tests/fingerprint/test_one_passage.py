"""A passage's source frames from the pictures it was found in, and one way round (issue 24,
session 15): the three causes of the stacked split screens' passages more than 3 source
frames off, on hashes (the pictures of a copy as the film's hashes give them)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from critique_app.cli import main
from critique_app.media.film_hashes import EXTRA_PICTURES
from critique_app.provenance.matching import ReferenceItem, ReferenceLibrary, find_segments
from tests.fingerprint import material as m
from tests.media.montage_films import ffmpeg

N = 200  # film frames


def _random_hashes(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.integers(0, 2**63, shape, dtype=np.int64).view(np.uint64)


def _bits(count: int) -> np.uint64:
    return np.uint64(2**count - 1)


def test_a_run_begun_in_another_panel_starts_where_its_own_panel_does() -> None:
    """Ten frames of the left half's picture 10 bits from one library frame, just before the
    passage in the bottom half: the segment starts with the bottom half's passage, at its
    first frame, not 12 frames earlier spread at 0.94x over both."""
    rng = np.random.default_rng(15)
    item = _random_hashes(rng, 240)
    library = ReferenceLibrary([ReferenceItem(1, "bikes", item)])
    extra = np.zeros((N, len(EXTRA_PICTURES)), np.uint64)
    bottom, left = EXTRA_PICTURES.index("half-bottom"), EXTRA_PICTURES.index("half-left")
    extra[60:70, left] = item[6] ^ _bits(10)
    extra[72:192, bottom] = item[:120]
    segs = find_segments(
        _random_hashes(rng, N), _random_hashes(rng, N), np.full(N, 30.0, np.float32), library,
        extra=extra,
    )  # fmt: skip
    assert [(s.start, s.end, s.item_start, s.item_end, s.picture) for s in segs] == [
        (72, 191, 0, 119, "half-bottom")
    ]


def test_a_scaled_panel_and_its_inset_map_the_passage_together() -> None:
    """A shot that moves, then lies still for its last 100 frames: its first 60 found in the
    bottom half's picture, its still end in the inset (the same picture, boxed by black once
    the top half's is narrower), as 80 of the passage's 140 frames. The still frames fit any
    line; the panel's moving frames fix it, at the frames the passage shows, not the frame's
    own pictures (a stack's two halves), which come within 11 bits of frames 10 earlier."""
    rng = np.random.default_rng(16)
    still = _random_hashes(rng, 1)[0]
    item = np.r_[_random_hashes(rng, 140), np.repeat(still, 100)]
    library = ReferenceLibrary([ReferenceItem(1, "generated", item)])
    extra = np.zeros((N, len(EXTRA_PICTURES)), np.uint64)
    extra[30:90, EXTRA_PICTURES.index("half-bottom")] = item[80:140]
    centre = _random_hashes(rng, N)
    centre[30:90] = item[70:130] ^ _bits(11)  # the seam of the two halves, by chance
    inset = np.zeros(N, np.uint64)
    inset[90:170] = item[140:220]
    extra[90:170, EXTRA_PICTURES.index("inset middle")] = item[140:220]
    segs = find_segments(
        _random_hashes(rng, N), _random_hashes(rng, N), np.full(N, 30.0, np.float32), library,
        inset=inset, inset_mirror=np.zeros(N, np.uint64), centre=centre, extra=extra,
    )  # fmt: skip
    assert [(s.start, s.end, s.item_start, s.item_end, s.order) for s in segs] == [
        (30, 169, 80, 219, "forward")
    ]


def test_a_passage_is_found_one_way_round() -> None:
    """A dark start matches flipped as well (a near-symmetric picture): 20 frames found
    flipped 30 film frames before the 60 found the right way round are dropped, and so is
    another item's flipped segment they hid (4 bits off where they are 0). Flipped frames
    101 film frames after a passage are a passage of their own."""
    rng = np.random.default_rng(17)
    item = _random_hashes(rng, 240)
    other = item ^ _bits(4)
    library = ReferenceLibrary([ReferenceItem(1, "ebu", item), ReferenceItem(2, "watch", other)])
    n = 300
    contrast = np.full(n, 30.0, np.float32)

    def found(flipped_at: int) -> list[tuple[int, int, int, str]]:
        whole, mirrored = _random_hashes(rng, n), _random_hashes(rng, n)
        whole[80:140] = item[60:120]
        mirrored[flipped_at : flipped_at + 20] = item[200:180:-1]
        segs = find_segments(whole, mirrored, contrast, library)
        return [(s.item_id, s.start, s.end, s.variant) for s in segs]

    assert found(30) == [(1, 80, 139, "plain")]
    assert found(240) == [(1, 80, 139, "plain"), (1, 240, 259, "mirror")]


def test_both_panels_of_a_scaled_stack_keep_their_first_frames(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy made by ffmpeg: two clips scaled into the halves of a stack, the top one
    narrower after 40 frames; the bottom clip moves for 48 frames and then lies still. Each
    is found from the first film frame it is shown in, at the frames it shows, whether the
    inset detector boxed it or not (a run's rows found in the inset are never left out)."""
    project = tmp_path / "jury.critique"
    moving = m.shot(801, 48, (640, 360))
    clips = [
        m.write_clip(tmp_path / "still-end.mp4", moving + [moving[-1]] * 96, crf=16),
        m.write_clip(tmp_path / "other.mp4", m.shot(802, 144, (640, 360)), crf=16),
    ]
    for clip in clips:
        assert main(["library", "add", str(project), str(clip), "--note", "generated"]) == 0
    head = m.write_clip(tmp_path / "head.mp4", m.footage([720, 721], [18, 18], (640, 360)))
    tail = m.write_clip(tmp_path / "tail.mp4", m.shot(722, 36, (640, 360)))
    half = "pad=640:180:(ow-iw)/2:0"
    graph = (
        f"[1:v]scale=320:180,{half}[bottom];[2:v]split[a][b];"
        f"[a]trim=end_frame=40,scale=320:180,{half}[wide];"
        f"[b]trim=start_frame=40,setpts=PTS-STARTPTS,scale=240:180,{half}[narrow];"
        "[wide][narrow]concat=n=2:v=1[top];[top][bottom]vstack,setsar=1[mid];"
        "[0:v][mid][3:v]concat=n=3:v=1[out]"
    )
    film = _ffmpeg_copy(tmp_path / "stacked.mp4", [head, *clips, tail], graph)
    found = {x["label"]: x for x in _matches(film, project, capsys)}
    assert sorted(found) == ["other", "still-end"]
    for x in found.values():
        assert x["start_frame"] == 36 and x["item_start"] == 0, x
        assert x["end_frame"] >= 36 + 140 and x["item_end"] >= 140, x


def test_a_still_of_the_clip_in_the_top_half_before_its_passage_in_the_bottom_half(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy made by ffmpeg, stacked top and bottom (each half cropped from its clip): for
    10 frames the top half holds the clip's frame 24 above unrelated footage, then the clip
    plays from frame 24 in the bottom half. The passage starts where the bottom half's does,
    at frame 24; one run through both halves started 10 frames early at frame 14 (frames
    10 off there), the top half's rows mapped with the bottom half's picture."""
    project = tmp_path / "jury.critique"
    clip = m.write_clip(tmp_path / "item.mp4", m.shot(710, 96, (640, 360)), crf=16)
    assert main(["library", "add", str(project), str(clip), "--note", "generated"]) == 0
    head = m.write_clip(tmp_path / "head.mp4", m.footage([720, 721], [18, 18], (640, 360)))
    other = m.write_clip(tmp_path / "other.mp4", m.shot(730, 96, (640, 360)))
    tail = m.write_clip(tmp_path / "tail.mp4", m.shot(722, 36, (640, 360)))
    half = "crop=iw:ih/2:0:ih/4"
    graph = (
        "[1:v]split[x][y];[2:v]split[o1][o2];"
        f"[x]trim=start_frame=24:end_frame=25,setpts=PTS-STARTPTS,loop=loop=9:size=1:start=0,"
        f"{half}[still];[o1]trim=end_frame=10,{half}[below];[still][below]vstack[teaser];"
        f"[o2]trim=start_frame=10:end_frame=82,setpts=PTS-STARTPTS,{half}[above];"
        f"[y]trim=start_frame=24,setpts=PTS-STARTPTS,{half}[bottom];[above][bottom]vstack[plays];"
        "[0:v][teaser][plays][3:v]concat=n=4:v=1,setsar=1[out]"
    )
    film = _ffmpeg_copy(tmp_path / "teaser.mp4", [head, clip, other, tail], graph)
    found = [
        (x["start_frame"], x["end_frame"], x["item_start"], x["item_end"])
        for x in _matches(film, project, capsys)
    ]
    assert found == [(46, 117, 24, 95)]


def _ffmpeg_copy(film: Path, inputs: list[Path], graph: str) -> Path:
    """`inputs` through the filter `graph` (its output labelled [out]), as H.264."""
    subprocess.run(
        [ffmpeg(), "-v", "error", "-y", *[a for path in inputs for a in ("-i", str(path))],
         "-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-crf", "20",
         "-pix_fmt", "yuv420p", str(film)],
        check=True,
    )  # fmt: skip
    return film


def _matches(film: Path, project: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert main(["match", str(film), "--project", str(project), "--json"]) == 0
    return list(json.loads(capsys.readouterr().out)["matches"])
