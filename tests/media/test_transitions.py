"""The montage lens: every transition found with its kind and its frames, on films FFmpeg made
with its own transition filters, and the film's rhythm measured as film scholars measure it."""

from __future__ import annotations

import json
import statistics as stats
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from critique_app.cli import main
from critique_app.domain.rhythm import (
    ShotStatistics,
    Transition,
    shot_boundaries,
    shot_spans,
    shot_starts,
    shot_statistics,
)
from critique_app.media.fingerprint import pool_to_32
from critique_app.media.shots import frame_differences
from critique_app.media.transitions import MIX_FIT, find_transitions, mix_residual
from critique_app.services.fingerprinting import detect_shots
from exporters.rhythm_plot import COLOURS
from tests.fingerprint import material as m
from tests.media.montage_films import (
    FRAMES,
    SHORT_FILMS,
    SHOT_STARTS,
    TRUTH,
    make_montage_film,
    make_short_film,
)

TOLERANCE = 2  # frames, at each end of a gradual transition (the "within 2 frames")


@pytest.fixture(scope="module")
def montage_film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_montage_film(tmp_path_factory.mktemp("montage"))


def _matches(found: list[Transition], truth: list[tuple[str, int, int]] = TRUTH) -> None:
    assert [t.kind for t in found] == [kind for kind, _, _ in truth]
    for t, (kind, start, end) in zip(found, truth, strict=True):
        if kind == "cut":
            assert (t.start_frame, t.end_frame) == (start, end)  # cuts to the frame
        else:
            assert abs(t.start_frame - start) <= TOLERANCE, (kind, t, start)
            assert abs(t.end_frame - end) <= TOLERANCE, (kind, t, end)


def test_every_transition_is_found_with_its_kind_and_frames(montage_film: Path) -> None:
    found = detect_shots(montage_film)
    assert found.frame_count == FRAMES and found.problem is None
    _matches(found.transitions)
    assert found.cuts == [s for kind, s, _ in TRUTH if kind == "cut"]


@pytest.mark.parametrize("name", sorted(SHORT_FILMS))
def test_one_question_films(name: str, tmp_path: Path) -> None:
    """Fades through white, a 6-frame and a 60-frame dissolve; a pan and a zoom that last their
    whole shot are no transition."""
    _matches(detect_shots(make_short_film(tmp_path, name)).transitions, SHORT_FILMS[name][2])


def test_shots_json_keeps_its_fields_and_adds_transitions_and_statistics(
    montage_film: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shots", str(montage_film), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for field in ("media", "frame_count", "method", "crop", "cuts", "shots", "problem"):
        assert field in out
    _matches([Transition(**t) for t in out["transitions"]])
    starts = [s["start_frame"] for s in out["shots"][1:]]
    assert len(starts) == len(SHOT_STARTS)
    assert all(abs(a - b) <= TOLERANCE for a, b in zip(starts, SHOT_STARTS, strict=True))
    assert sum(s["frames"] for s in out["shots"]) == FRAMES
    # the figures, computed again here with Python's statistics module from the shots listed
    seconds = [s["frames"] / 25 for s in out["shots"]]
    figures = out["statistics"]
    assert figures["shots"] == len(seconds) == 10
    assert figures["asl_seconds"] == pytest.approx(stats.fmean(seconds))
    assert figures["asl_seconds"] == pytest.approx(FRAMES / 25 / len(seconds))
    assert figures["median_seconds"] == pytest.approx(stats.median(seconds))
    assert figures["shortest_seconds"] == pytest.approx(min(seconds))
    assert figures["longest_seconds"] == pytest.approx(max(seconds))
    assert figures["cv"] == pytest.approx(stats.pstdev(seconds) / stats.fmean(seconds))


def test_shots_in_sentences_and_the_plot_as_svg_and_png(
    montage_film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    svg, png = tmp_path / "rhythm.svg", tmp_path / "rhythm.png"
    assert main(["shots", str(montage_film), "--plot", str(svg)]) == 0
    text = capsys.readouterr().out
    assert "Dissolve from" in text and "Fade out from" in text and "Morph from" in text
    assert "10 shots: average shot length 1.92 s" in text
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    ns = {"s": "http://www.w3.org/2000/svg"}
    fills = [r.get("fill") for r in root.iterfind("s:rect", ns)]
    for kind in ("dissolve", "fade_out", "fade_in", "morph"):
        # the transition's mark in the strip, its legend swatch, and (but for fade out) a bar
        assert fills.count(COLOURS[kind]) >= 2, kind
    texts = [t.text for t in root.iterfind("s:text", ns)]
    assert "montage.mp4" in texts and "morph" in texts and "ASL 1.9 s" in texts
    cut_ticks = [ln for ln in root.iterfind("s:line", ns) if ln.get("stroke") == COLOURS["cut"]]
    assert len(cut_ticks) == sum(1 for kind, _, _ in TRUTH if kind == "cut")

    assert main(["shots", str(montage_film), "--plot", str(png)]) == 0
    capsys.readouterr()
    with Image.open(png) as image:
        image.load()
        assert image.format == "PNG" and image.size == (1000, 380)
        colours = {c for _, c in image.getcolors(maxcolors=1 << 16) or []}
        assert (0xC0, 0x30, 0x7A) in colours  # the morph is drawn


def test_a_plot_in_an_unknown_format_is_one_sentence(
    montage_film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shots", str(montage_film), "--plot", str(tmp_path / "r.jpg")]) == 1
    err = capsys.readouterr().err
    assert ".svg or .png" in err and "Traceback" not in err


def test_pans_and_flashes_make_no_gradual_transition(tmp_path: Path) -> None:
    lengths = [30, 18, 40, 25, 31]
    frames = m.footage([11, 12, 13, 14, 15], lengths)  # panning shots
    frames[60] = np.clip(frames[60].astype(np.int16) + 90, 0, 255).astype(np.uint8)  # a flash
    found = detect_shots(m.write_clip(tmp_path / "film.mp4", frames))
    assert found.transitions == [Transition("cut", c, c) for c in np.cumsum(lengths)[:-1]]


def _blocks(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.kron(rng.integers(20, 236, (8, 8)), np.ones((8, 8))).astype(np.float32)


def test_a_dip_to_black_without_a_held_frame_is_a_fade_out_then_a_fade_in() -> None:
    a, b = _blocks(1), _blocks(2)
    pictures = [a] * 30 + [a * (1 - k / 10) for k in range(1, 11)]  # black at frame 39
    pictures += [b * k / 10 for k in range(1, 11)] + [b] * 30  # b complete at frame 49
    grey = np.clip(np.rint(pictures), 0, 255).astype(np.uint8)
    found = find_transitions(frame_differences(grey), pool_to_32(grey), [])
    assert found == [Transition("fade_out", 30, 39), Transition("fade_in", 40, 49)]
    assert shot_starts(found) == [40]


def test_a_mix_fits_and_a_slide_does_not() -> None:
    a, b = _blocks(3)[::2, ::2], _blocks(4)[::2, ::2]
    mixes = np.stack([a * (1 - t) + b * t for t in np.linspace(0.1, 0.9, 9)])
    assert mix_residual(mixes, a, b) < 0.01
    moves = np.stack([np.roll(a, k, axis=1) for k in range(1, 10)])  # the picture slides
    assert mix_residual(moves, a, np.roll(a, 10, axis=1)) > MIX_FIT


def test_boundaries_follow_cinemetrics() -> None:
    found = [
        Transition("fade_in", 0, 11),  # the film opens from black: no boundary
        Transition("cut", 40, 40),
        Transition("dissolve", 60, 83),  # middle: 72
        Transition("fade_out", 100, 111),  # a fade out ended by a cut: the cut is the boundary
        Transition("cut", 120, 120),
        Transition("fade_out", 150, 161),
        Transition("fade_in", 166, 177),  # one boundary in the middle of the two: 164
        Transition("morph", 200, 223),
    ]
    assert shot_starts(found) == [40, 72, 120, 164, 212]
    assert dict(shot_boundaries(found))[164].kind == "fade_in"
    assert shot_spans([40, 72], 100) == [(0, 39), (40, 71), (72, 99)]


@pytest.mark.parametrize(
    "frames", [[24], [24, 48], [1, 2, 3, 500], [25, 26, 30, 31, 90, 12, 7], [48] * 5]
)
def test_statistics_agree_with_pythons_statistics_module(frames: list[int]) -> None:
    rate = Fraction(24000, 1001)
    seconds = [float(Fraction(n) / rate) for n in frames]
    got = shot_statistics(frames, rate)
    assert got.shots == len(frames)
    assert got.asl_seconds == pytest.approx(stats.fmean(seconds))
    assert got.median_seconds == pytest.approx(stats.median(seconds))
    assert (got.shortest_seconds, got.longest_seconds) == pytest.approx(
        (min(seconds), max(seconds))
    )
    assert got.cv == pytest.approx(stats.pstdev(seconds) / stats.fmean(seconds))


def test_no_shots_no_figures() -> None:
    assert shot_statistics([], Fraction(25)) == ShotStatistics(0, 0.0, 0.0, 0.0, 0.0, 0.0)


# Real footage from the shared provenance corpus (../shared/fixtures/provenance/MANIFEST.txt:
# Security4Media/c2pa-video-player, Apache-2.0), marked by hand: every frame's mean absolute
# difference from the one before at full size, and the frames around each change looked at.
# - prmiere-firefly.mp4 (1920x1080, 25 fps, 75 frames, a Premiere Pro export): one
#   cross-dissolve from a photograph of an office to a Firefly picture of an island; frames
#   24..48 change (3 grey levels each), the rest are still.
# - PTS_NO_CRs_c2pa_ebu_eurovox.mp4 (1280x720, 29.97 fps, 452 frames, a broadcast clip of a
#   watch): four hard cuts, at 101 (into a near-black shot), 250, 271 and 333; no gradual
#   transition.
REAL_MARKS = {
    "prmiere-firefly.mp4": [("dissolve", 24, 48)],
    "PTS_NO_CRs_c2pa_ebu_eurovox.mp4": [("cut", c, c) for c in (101, 250, 271, 333)],
}


@pytest.mark.parametrize("name", sorted(REAL_MARKS))
def test_real_footage_against_hand_marks(
    name: str, provenance_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    film = provenance_corpus / "c2pa-video-player" / name
    assert main(["shots", str(film), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    found = out["transitions"]
    assert [t["kind"] for t in found] == [kind for kind, _, _ in REAL_MARKS[name]]
    for t, (kind, start, end) in zip(found, REAL_MARKS[name], strict=True):
        slack = 0 if kind == "cut" else TOLERANCE
        assert abs(t["start_frame"] - start) <= slack and abs(t["end_frame"] - end) <= slack
    rate = Fraction(25) if name.startswith("prmiere") else Fraction(30000, 1001)
    seconds = [float(Fraction(s["frames"]) / rate) for s in out["shots"]]
    assert out["statistics"]["asl_seconds"] == pytest.approx(stats.fmean(seconds))
    assert out["statistics"]["median_seconds"] == pytest.approx(stats.median(seconds))
    assert out["statistics"]["cv"] == pytest.approx(stats.pstdev(seconds) / stats.fmean(seconds))
