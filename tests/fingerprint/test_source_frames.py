"""The library frames a match reports are the ones the film shows, however the copy was made.

A library item of three shots (the middle one a slow pan, nearly static) is cut into a film
at 24 fps; the film is then converted by the real `ffmpeg` program as broadcasters and
uploaders do (3:2 pulldown, slow motion, doubled frames, 25 fps, blended 30 fps, black and
white with grain). The truth
of every output frame comes from its time; `match --json` must report library frames within
2 of it. Then what a jury must be told: a held still, a reversed passage, re-ordered shots.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from critique_app.cli import main
from tests.fingerprint import material as m
from tests.media.montage_films import ffmpeg

SHOT = 40  # frames of each of the item's three shots
HEAD = 24  # unrelated frames before the item in the film
TOLERANCE = 2  # library frames


def _item() -> list[np.ndarray]:
    slow = list(m.shot_frames(611, SHOT, speed=0.15))
    return [*m.shot(610, SHOT), *slow, *m.shot(612, SHOT)]


@dataclass(frozen=True)
class Copy:
    """An ffmpeg filter chain and where output frame j's time was in the 24 fps film."""

    filters: str
    rate: Fraction  # of the output
    source_time: Callable[[float], float] = lambda t: t


COPIES = {
    "3:2 pulldown": Copy("telecine=pattern=23", Fraction(30000, 1001)),
    "0.5x slow motion": Copy("setpts=2*PTS,fps=24", Fraction(24), lambda t: t / 2),
    "doubled frames": Copy("fps=48", Fraction(48)),
    "25 fps (PAL speed-up)": Copy("setpts=PTS*24/25,fps=25", Fraction(25), lambda t: t * 25 / 24),
    "blended 24 to 30 fps": Copy("framerate=fps=30", Fraction(30)),
    "b&w with grain": Copy("hue=s=0,noise=alls=24:allf=t", Fraction(24)),
}


@pytest.fixture(scope="module")
def item_and_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("source-frames")
    item = m.write_clip(folder / "three_shots.mp4", _item(), crf=16)
    project = folder / "jury.critique"
    assert main(["library", "add", str(project), str(item), "--note", "generated"]) == 0
    return folder, project


def _match(film: Path, project: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert main(["match", str(film), "--project", str(project), "--json"]) == 0
    return list(json.loads(capsys.readouterr().out)["matches"])


@pytest.mark.parametrize("name", list(COPIES))
def test_copies_made_by_ffmpeg_report_the_library_frames_they_show(
    name: str, item_and_project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = item_and_project
    copy = COPIES[name]
    film = folder / f"film-{name.split()[0].replace(':', '').replace('&', '')}-{len(name)}.mp4"
    if not film.exists():
        base = m.write_clip(
            folder / "base.mp4", [*m.shot(620, HEAD), *_item(), *m.shot(621, HEAD)], crf=16
        )
        run = [ffmpeg(), "-v", "error", "-y", "-i", str(base), "-vf", copy.filters]
        subprocess.run(
            [*run, "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", str(film)], check=True
        )
    matches = [x for x in _match(film, project, capsys) if x["label"] == "three_shots"]
    assert matches, name

    def truth(frame: int) -> float:
        return copy.source_time(frame / float(copy.rate)) * 24 - HEAD

    for hit in matches:
        a, b = truth(hit["start_frame"]), truth(hit["end_frame"])
        assert abs(hit["item_start"] - a) <= TOLERANCE, (name, hit, a)
        assert abs(hit["item_end"] - b) <= TOLERANCE, (name, hit, b)
        assert hit["order"] == "forward"
        expected = (b - a) / (hit["end_frame"] - hit["start_frame"])
        assert abs(hit["speed"] - expected) <= 0.1, (hit["speed"], expected)
    covered = sum(x["end_frame"] - x["start_frame"] + 1 for x in matches)
    assert covered >= 0.8 * 3 * SHOT * float(copy.rate) / 24 * (2 if "slow" in name else 1)


def _film(folder: Path, name: str, pictures: list[np.ndarray]) -> Path:
    return m.write_clip(
        folder / f"{name}.mp4", [*m.shot(630, HEAD), *pictures, *m.shot(631, HEAD)], crf=16
    )


def test_a_held_still_is_one_library_frame_held(
    item_and_project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = item_and_project
    held = _item()[20]
    (hit,) = _match(_film(folder, "held", [held] * 72), project, capsys)
    assert hit["order"] == "held" and abs(hit["item_start"] - 20) <= 1
    assert hit["item_end"] - hit["item_start"] <= 1
    assert hit["held_frames"] >= 70 and hit["speed"] <= 0.02
    capsys.readouterr()
    assert main(["match", str(folder / "held.mp4"), "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert f"Holds library frame {hit['item_start']} still for " in out
    assert f" s ({hit['held_frames']} film frames)." in out


def test_a_reversed_passage_is_reported_reversed(
    item_and_project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = item_and_project
    backwards = _item()[SHOT - 1 :: -1]
    (hit,) = _match(_film(folder, "reversed", backwards), project, capsys)
    assert hit["order"] == "reversed", hit
    assert hit["item_start"] <= TOLERANCE and abs(hit["item_end"] - (SHOT - 1)) <= TOLERANCE
    assert abs(hit["speed"] - 1) <= 0.1
    capsys.readouterr()
    assert main(["match", str(folder / "reversed.mp4"), "--project", str(project)]) == 0
    said = "Plays library frames {last} back to {first} backwards, at "
    assert said.format(first=hit["item_start"], last=hit["item_end"]) in capsys.readouterr().out


def test_re_ordered_shots_are_segments_of_their_own(
    item_and_project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = item_and_project
    a, b, c = (_item()[k * SHOT : (k + 1) * SHOT] for k in range(3))
    hits = _match(_film(folder, "re-ordered", [*a, *c, *b]), project, capsys)
    shown = [(h["start_frame"] - HEAD, h["item_start"], h["item_end"]) for h in hits]
    assert len(shown) == 3, shown
    for (at, first, last), (want_at, want_first) in zip(
        shown, [(0, 0), (SHOT, 2 * SHOT), (2 * SHOT, SHOT)], strict=True
    ):
        assert abs(at - want_at) <= 2 and abs(first - want_first) <= 2, shown
        assert abs(last - (want_first + SHOT - 1)) <= 2, shown


def test_a_freeze_inside_a_passage_is_said_apart(
    item_and_project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, project = item_and_project
    shot = _item()[:SHOT]
    frozen = [*shot[:16], *[shot[16]] * 48, *shot[17:]]
    hits = _match(_film(folder, "freeze", frozen), project, capsys)
    said = [(h["order"], h["item_start"], h["item_end"]) for h in hits]
    assert [order for order, _a, _b in said] == ["forward", "held", "forward"], said
    (held,) = (h for h in hits if h["order"] == "held")
    assert abs(held["item_start"] - 16) <= 1 and held["held_frames"] >= 46
    assert abs(hits[0]["item_start"]) <= TOLERANCE and abs(hits[2]["item_end"] - 39) <= TOLERANCE


STILL = 72  # frames of the still between the two shots of the item below


@pytest.fixture(scope="module")
def still_and_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """An item whose picture stands still for 3 s between two moving shots (the grain of a
    near-still: a grey level or two), in a library of its own, and a film of it in full."""
    folder = tmp_path_factory.mktemp("still")
    a, b = m.shot(640, SHOT), m.shot(641, SHOT)
    rng = np.random.default_rng(5)
    held = [
        np.clip(a[-1].astype(np.int16) + rng.integers(-2, 3, a[-1].shape), 0, 255).astype(np.uint8)
        for _ in range(STILL)
    ]
    item = [*a, *held, *b]
    m.write_clip(folder / "still.mp4", item, crf=16)
    project = folder / "jury.critique"
    assert main(["library", "add", str(project), str(folder / "still.mp4"), "--note", "g"]) == 0
    film = m.write_clip(folder / "base.mp4", [*m.shot(650, HEAD), *item, *m.shot(651, HEAD)])
    return folder, project, film


# a 4:5 slice a quarter of the way from the right, pillarboxed into a square frame
FOUR_FIVE = "crop=ih*4/5:ih:(iw-ih*4/5)*3/4:0,pad=ih:ih:-1:0"


@pytest.mark.parametrize(
    ("name", "first", "last", "picture"),
    [
        ("out of the still, whole frame", 60, 139, "null"),
        ("into the still, a 4:5 slice", 20, 89, FOUR_FIVE),
    ],
)
def test_a_passage_into_or_out_of_a_library_still_keeps_its_steady_speed_through_it(
    name: str,
    first: int,
    last: int,
    picture: str,
    still_and_project: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Any stretch of the still matches as well as the true one: the frames that can be told
    # apart (the shot before or after it) place the passage, its speed carries it through.
    folder, project, base = still_and_project
    (hit,) = _match(_cut(folder, base, first, last, picture), project, capsys)
    assert hit["order"] == "forward", (name, hit)
    assert abs(hit["item_start"] - first) <= TOLERANCE, (name, hit)
    assert abs(hit["item_end"] - last) <= TOLERANCE, (name, hit)


def _cut(folder: Path, base: Path, first: int, last: int, picture: str) -> Path:
    """A copy made by `ffmpeg` of the still item's library frames `first`..`last`, between
    the unrelated shots around the item in `base`, through the filter `picture`."""
    film = folder / f"{first}-{last}-{len(picture)}.mp4"
    keep = (
        f"between(n,{first + HEAD},{last + HEAD})+lt(n,{HEAD})+gt(n,{2 * SHOT + STILL + HEAD - 1})"
    )
    graph = f"select='{keep}',setpts=N/24/TB,{picture}"
    run = [ffmpeg(), "-v", "error", "-y", "-i", str(base), "-vf", graph, "-r", "24"]
    subprocess.run(
        [*run, "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", str(film)], check=True
    )
    return film


@pytest.mark.parametrize(
    ("first", "last", "picture"),
    [(52, 97, "null"), (50, 100, FOUR_FIVE)],
)
def test_a_copy_cut_inside_a_library_still_is_said_to_show_the_still_with_its_frames(
    first: int,
    last: int,
    picture: str,
    still_and_project: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # No frame of the copy tells where in the still it was cut: the jury is told which
    # library frames show that picture (SHOT - 1, the first shot's last frame, to
    # SHOT + STILL - 1), not a place among them.
    folder, project, base = still_and_project
    film = _cut(folder, base, first, last, picture)
    (hit,) = _match(film, project, capsys)
    assert hit["library_still"] and hit["order"] == "held", hit
    assert abs(hit["item_start"] - (SHOT - 1)) <= TOLERANCE, hit
    assert abs(hit["item_end"] - (SHOT + STILL - 1)) <= TOLERANCE, hit
    assert hit["held_frames"] == hit["end_frame"] - hit["start_frame"] + 1 >= last - first - 2
    capsys.readouterr()
    assert main(["match", str(film), "--project", str(project)]) == 0
    said = (
        f"Library frames {hit['item_start']}–{hit['item_end']} show one still picture; this "
        f"passage shows it for "
    )
    assert said in capsys.readouterr().out
