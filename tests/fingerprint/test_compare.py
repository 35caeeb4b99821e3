"""Comparing two copies: a copy with a longer head, conformed to 25 fps, letterboxed,
mirrored, with a passage inserted, one removed and one regenerated reports each of them
within 2 frames; each frame of A maps to the B frame that shows it (read off frame codes)."""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from critique_app.cli import main
from critique_app.errors import UserError
from critique_app.media.frame_server import FrameServer
from critique_app.progress import Cancelled, Progress
from critique_app.services.compare import Comparison, compare_files, map_unrelated
from tests.fingerprint import material as m
from tests.media_factory import draw_frame_code, read_frame_code

HEAD = 36  # frames of new material before the film in B
INSERT_AT, INSERTED = 100, 30  # B inserts 30 new frames before A's frame 100
CHANGED = (150, 173)  # regenerated in B: other pictures, same length
REMOVED = (200, 229)  # cut from B
# Where each passage lands in B (inclusive ranges), computed from the edit list above.
EXPECTED = [
    ("inserted", None, (0, HEAD - 1)),
    ("inserted", None, (HEAD + INSERT_AT, HEAD + INSERT_AT + INSERTED - 1)),
    ("changed", CHANGED, (CHANGED[0] + HEAD + INSERTED, CHANGED[1] + HEAD + INSERTED)),
    ("removed", REMOVED, None),
]


@dataclass
class Edited:
    a: Path
    b: Path  # head, 25 fps conform, letterbox, mirror, inserted/changed/removed passages
    clean: Path  # the same film re-encoded small and soft: nothing differs
    converted: Path  # 20 frames more at the head, converted to 25 fps (a frame repeated a second)
    other: Path  # an unrelated film


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Edited:
    folder = tmp_path_factory.mktemp("compare")
    a = m.footage([11, 12, 13, 14, 15, 16], [40, 50, 45, 55, 50, 60])
    for i, picture in enumerate(a):
        draw_frame_code(picture[:72, :144], i)  # the code fills the top half of this box
    head, insert, regen = (
        m.footage([21], [HEAD]),
        m.footage([31], [INSERTED]),
        m.footage([32], [24]),
    )
    b = (
        head
        + a[:INSERT_AT]
        + insert
        + a[INSERT_AT : CHANGED[0]]
        + regen
        + a[CHANGED[1] + 1 : REMOVED[0]]
        + a[REMOVED[1] + 1 :]
    )
    festival = [m.mirror(m.letterbox(m.rescale(f, (480, 270)), bar=45)) for f in b]
    converted = m.footage([22], [20])
    for i, picture in enumerate(a):
        converted += [picture, picture] if i % 24 == 23 else [picture]
    return Edited(
        m.write_clip(folder / "screener.mp4", a),
        m.write_clip(folder / "festival.mp4", festival, rate=25, bitrate=500_000),
        m.write_clip(folder / "web.mp4", [m.rescale(f, (256, 144)) for f in a], crf=28),
        m.write_clip(folder / "pal.mp4", converted, rate=25),
        m.write_clip(folder / "other.mp4", m.footage([41, 42], [60, 60])),
    )


@pytest.fixture(scope="module")
def comparison(edited: Edited) -> Comparison:
    return compare_files(edited.a, edited.b)


def _within(got: tuple[int, int] | None, want: tuple[int, int] | None) -> bool:
    if got is None or want is None:
        return got is want
    return abs(got[0] - want[0]) <= 2 and abs(got[1] - want[1]) <= 2


def test_json_reports_every_edit_within_two_frames(
    edited: Edited, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", str(edited.a), str(edited.b), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    mapping = out["mapping"]
    assert (mapping["offset"], mapping["ratio"], mapping["variant"]) == (HEAD, "1/1", "mirror")
    assert (mapping["rate_a"], mapping["rate_b"]) == ("24/1", "25/1")
    assert mapping["offset_seconds"] == pytest.approx(HEAD / 25)
    found = [
        (
            p["kind"],
            (p["a"]["start"], p["a"]["end"]) if p["a"] else None,
            (p["b"]["start"], p["b"]["end"]) if p["b"] else None,
        )
        for p in out["passages"]
    ]
    assert len(found) == len(EXPECTED), found
    for (kind, a, b), (want_kind, want_a, want_b) in zip(found, EXPECTED, strict=True):
        assert kind == want_kind and _within(a, want_a) and _within(b, want_b), (kind, a, b)
    removed = out["passages"][-1]
    assert removed["a"]["start_tc"] == "00:00:08:08"  # A runs at 24 fps
    assert out["passages"][2]["b"]["start_tc"] == "00:00:08:16"  # B at 25 fps: frame 216
    # Shots: untouched ones score near 0, the regenerated and cut ones far above.
    scores = {(s["start"], s["end"]): s["score"] for s in out["shots"]}
    assert len(scores) == 6
    assert scores[0, 39] < 0.1 and scores[240, 299] < 0.1
    assert scores[135, 189] > 0.3 and scores[190, 239] > 0.5


def test_each_frame_maps_to_the_frame_showing_it(edited: Edited, comparison: Comparison) -> None:
    m_ = comparison.mapping
    with FrameServer(edited.b) as server:
        for a in (0, 57, 99, 100, 149, 174, 199, 230, 299):
            b = comparison.map_frame(a)
            assert b is not None and comparison.frame_status(a) == "same"
            x, y, w, h = m_.copy.crop or (0, 0, 480, 360)
            picture = server.frame(b).image[y : y + h, x : x + w][:, ::-1]  # undo the mirror
            picture = np.asarray(Image.fromarray(picture).resize((320, 180)))
            assert read_frame_code(picture[:72, :144]) == a
    assert comparison.map_frame(210) is None and comparison.frame_status(210) == "removed"
    assert comparison.frame_status(160) == "changed"
    assert comparison.map_frame(160) == 160 + HEAD + INSERTED
    # And back, from B: inserted material has no frame of A.
    assert comparison.map_frame_back(HEAD + 57) == 57
    assert comparison.map_frame_back(5) is None and comparison.map_frame_back(140) is None
    runs = comparison.differing_runs()
    assert any(a <= 160 <= b for a, b in runs) and any(a <= 210 <= b for a, b in runs)
    assert not any(a <= 57 <= b for a, b in runs)


def test_a_clean_copy_differs_nowhere_and_an_unrelated_film_is_refused(edited: Edited) -> None:
    clean = compare_files(edited.a, edited.clean)
    assert clean.passages == [] and clean.mapping.offset == 0
    assert max(s.score for s in clean.shots) < 0.15
    with pytest.raises(UserError, match="is not a copy of screener.mp4"):
        compare_files(edited.a, edited.other)
    converted = compare_files(edited.a, edited.converted)
    assert converted.mapping.ratio == Fraction(25, 24)
    assert [(p.kind, p.b) for p in converted.passages] == [("inserted", (0, 19))]
    with FrameServer(edited.converted) as server:
        for a_frame in (0, 23, 24, 150, 299):  # around the repeated frames too
            b_frame = converted.map_frame(a_frame)
            assert b_frame is not None and 0 <= b_frame - (20 + a_frame + a_frame // 24) <= 1
            assert read_frame_code(server.frame(b_frame).image[:72, :144]) == a_frame
    # Unrelated films lock by frame number or by time, with a user's offset.
    a, b = clean.film_a, replace(clean.film_b, rate=Fraction(25), frame_count=320)
    assert map_unrelated(48, a, b) == 48 and map_unrelated(48, a, b, offset=-3) == 45
    assert map_unrelated(48, a, b, by="timecode") == 50  # 2 s in at 25 fps
    assert map_unrelated(310, a, b, offset=20) is None


def test_stills_side_by_side_and_wipe(
    edited: Edited, comparison: Comparison, tmp_path: Path
) -> None:
    from critique_app.services.compare import write_still

    side = Image.open(write_still(comparison, 120, tmp_path / "side.png")).convert("RGB")
    pixels = np.asarray(side, np.int16)
    w = 320  # A's picture, no bars
    a_half, b_half = pixels[:180, :w], pixels[:180, -w:]
    # B's frame, bars cropped and mirror undone, overlaps A's picture.
    assert np.abs(a_half - b_half).mean() < 12
    assert np.abs(a_half - b_half[:, ::-1]).mean() > 2 * np.abs(a_half - b_half).mean()
    missing = np.asarray(
        Image.open(write_still(comparison, 210, tmp_path / "missing.png")).convert("RGB"), np.int16
    )
    b_half = missing[:180, -w:]
    assert (b_half == 60).all(axis=2).mean() > 0.8  # a plain panel...
    assert (b_half > 200).all(axis=2).sum() > 100  # ...with the sentence written on it
    wipe = np.asarray(
        Image.open(write_still(comparison, 120, tmp_path / "wipe.png", mode="wipe")).convert("RGB"),
        np.int16,
    )
    assert wipe.shape[1] == w
    assert np.abs(wipe[:180, :150] - a_half[:, :150]).mean() < 1
    assert main(["compare", str(edited.a), str(edited.b), "--still", "5"]) == 2
    assert (
        main(
            [
                "compare",
                str(edited.a),
                str(edited.b),
                "--still",
                "9999",
                "-o",
                str(tmp_path / "x.png"),
            ]
        )
        == 1
    )


class _WhereCancelled(Progress):
    """A Progress that records which function's check raised the Cancel."""

    raised_in = ""

    def check(self) -> None:
        if self.cancelled and not self.raised_in:
            self.raised_in = inspect.stack()[1].function
        super().check()


def test_cancel_while_aligning_stops_inside_the_search(edited: Edited) -> None:
    """A window closing while its compare task aligns two copies: the task stops in the hash
    search itself (between query blocks or bands), not after it. Seen under load: the search
    outlasted the 2 s a closing window waits for its work."""

    def cancel_when_aligning(_done: int, _total: int, message: str) -> None:
        if message.startswith("Aligning"):
            progress.cancel()

    progress = _WhereCancelled(cancel_when_aligning)
    with pytest.raises(Cancelled):
        compare_files(edited.a, edited.b, progress=progress)
    assert progress.raised_in == "search"
