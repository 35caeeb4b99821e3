"""Timecode: known SMPTE values, drop-frame rules, and property tests for every round trip."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from critique_app.domain.timecode import (
    frame_to_seconds,
    frame_to_smpte,
    is_drop_frame_rate,
    nominal_fps,
    parse_position,
    parse_rate,
    pts_to_seconds,
    seconds_to_frame,
    smpte_to_frame,
)

NTSC30 = Fraction(30000, 1001)
NTSC60 = Fraction(60000, 1001)
RATES = [
    Fraction(24),
    Fraction(25),
    Fraction(24000, 1001),
    NTSC30,
    Fraction(30),
    Fraction(50),
    NTSC60,
    Fraction(60),
]
rates = st.sampled_from(RATES)
frames = st.integers(min_value=0, max_value=24 * 3600 * 60)
starts = st.integers(min_value=0, max_value=3600 * 60)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24", Fraction(24)),
        ("25", Fraction(25)),
        ("29.97", NTSC30),
        ("29.976", NTSC30),
        ("59.94", NTSC60),
        ("23.976", Fraction(24000, 1001)),
        ("30000/1001", NTSC30),
        (29.97002997, NTSC30),
        (23.976023976023978, Fraction(24000, 1001)),
        (25.0, Fraction(25)),
        (Fraction(2997, 100), NTSC30),
        ("12.5", Fraction(25, 2)),
    ],
)
def test_parse_rate(text: object, expected: Fraction) -> None:
    assert parse_rate(text) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "abc", "0", "-24", "24/0", float("nan")])
def test_parse_rate_rejects_nonsense(bad: object) -> None:
    with pytest.raises(ValueError, match="frame rate"):
        parse_rate(bad)  # type: ignore[arg-type]


def test_drop_frame_rates_and_nominal_fps() -> None:
    assert is_drop_frame_rate(NTSC30) and is_drop_frame_rate(NTSC60)
    assert not is_drop_frame_rate(Fraction(30)) and not is_drop_frame_rate(Fraction(24000, 1001))
    assert nominal_fps(NTSC30) == 30 and nominal_fps(Fraction(24000, 1001)) == 24


@pytest.mark.parametrize(
    ("frame", "rate", "drop", "expected"),
    [
        (0, Fraction(24), None, "00:00:00:00"),
        (24 * 3723 + 4, Fraction(24), None, "01:02:03:04"),
        (25, Fraction(25), None, "00:00:01:00"),
        # The classic drop-frame landmarks at 29.97.
        (1799, NTSC30, None, "00:00:59;29"),
        (1800, NTSC30, None, "00:01:00;02"),
        (17981, NTSC30, None, "00:09:59;29"),
        (17982, NTSC30, None, "00:10:00;00"),
        (107892, NTSC30, None, "01:00:00;00"),  # one real hour of 29.97 video
        (1800, NTSC30, False, "00:01:00:00"),
        (3600, NTSC60, None, "00:01:00;04"),
        (215784, NTSC60, None, "01:00:00;00"),
    ],
)
def test_known_timecodes(frame: int, rate: Fraction, drop: bool | None, expected: str) -> None:
    assert frame_to_smpte(frame, rate, drop_frame=drop) == expected
    assert smpte_to_frame(expected, rate, drop_frame=drop) == frame


def test_start_timecode_is_added_and_removed() -> None:
    start = smpte_to_frame("01:00:00:00", Fraction(25))
    assert frame_to_smpte(0, Fraction(25), start=start) == "01:00:00:00"
    assert frame_to_smpte(26, Fraction(25), start=start) == "01:00:01:01"
    assert parse_position("01:00:01:01", Fraction(25), start=start) == 26
    with pytest.raises(ValueError, match="before the film's start timecode"):
        parse_position("00:59:59:00", Fraction(25), start=start)


def test_dropped_labels_are_refused_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="does not exist in drop-frame"):
        smpte_to_frame("00:01:00;00", NTSC30)
    with pytest.raises(ValueError, match="does not exist in drop-frame"):
        smpte_to_frame("00:01:00;03", NTSC60)
    assert smpte_to_frame("00:10:00;00", NTSC30) == 17982  # tenth minutes keep every label


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("01:02:03", "not a position"),
        ("01:61:03:04", "minutes and seconds"),
        ("01:02:03:24", "frames go from 00 to 23"),
        ("01:02:03;04", "no drop-frame"),
        ("-5", "not a position"),
        ("abc", "not a position"),
        ("", "Type a position"),
    ],
)
def test_bad_positions_get_a_sentence(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_position(text, Fraction(24))


def test_parse_position_forms() -> None:
    assert parse_position("01:02:03:04", Fraction(24)) == 24 * 3723 + 4
    assert parse_position(" 1234 ", Fraction(24)) == 1234
    assert parse_position("1234f", Fraction(24)) == 1234
    assert parse_position("83.5s", Fraction(24)) == 2004
    assert parse_position("83,5 s", Fraction(24)) == 2004
    assert parse_position("83.5s", NTSC30) == 2502  # 83.5 * 29.97 = 2502.497: the frame shown
    assert parse_position("00:01:00;02", NTSC30) == 1800
    assert parse_position("00:01:00:02", NTSC30, drop_frame=False) == 1802
    with pytest.raises(ValueError, match="non-drop"):
        parse_position("00:01:00;02", NTSC30, drop_frame=False)


def test_drop_frame_refused_at_other_rates() -> None:
    with pytest.raises(ValueError, match="only at 29.97 and 59.94"):
        frame_to_smpte(10, Fraction(25), drop_frame=True)


def test_pts_to_seconds_is_exact() -> None:
    assert pts_to_seconds(1001, Fraction(1, 30000)) == Fraction(1001, 30000)


# ---- property tests: every round trip ---------------------------------------------------


@given(frame=frames, rate=rates, start=starts)
def test_frame_smpte_round_trip(frame: int, rate: Fraction, start: int) -> None:
    text = frame_to_smpte(frame, rate, start=start)
    assert smpte_to_frame(text, rate, start=start) == frame
    assert parse_position(text, rate, start=start) == frame


@given(frame=frames, rate=st.sampled_from([NTSC30, NTSC60]), start=starts)
def test_non_drop_round_trip_at_ntsc_rates(frame: int, rate: Fraction, start: int) -> None:
    text = frame_to_smpte(frame, rate, drop_frame=False, start=start)
    assert ";" not in text
    assert smpte_to_frame(text, rate, drop_frame=False, start=start) == frame


def _label_seconds(text: str, rate: Fraction) -> Fraction:
    hh, mm, rest = text.split(":")
    ss, ff = rest.split(";")
    return int(hh) * 3600 + int(mm) * 60 + int(ss) + Fraction(int(ff), nominal_fps(rate))


def _ten_minute_cycle(rate: Fraction) -> int:
    """Frames in one 10-minute drop-frame cycle: 9 of its 10 minutes drop 2 (at 60p: 4) labels."""
    nominal = nominal_fps(rate)
    return nominal * 600 - 9 * 2 * (nominal // 30)


def test_drop_frame_drift_is_86_ms_a_day() -> None:
    # A 10-minute label cycle is 17,982 real frames = 599.9994 s: the label runs 0.6 ms ahead
    # per cycle, 144 cycles a day, 86.4 ms a day; SMPTE's scheme cannot do better.
    for rate in (NTSC30, NTSC60):
        cycle = _ten_minute_cycle(rate)
        assert frame_to_smpte(cycle, rate) == "00:10:00;00"
        per_cycle = 600 - frame_to_seconds(cycle, rate)
        assert per_cycle == Fraction(3, 5000)
        assert per_cycle * 144 == Fraction(864, 10000)


@given(frame=frames, rate=st.sampled_from([NTSC30, NTSC60]))
@example(frame=4907288, rate=NTSC30)  # 45:29:00;02, where a flat "within 0.2 s" failed
def test_drop_frame_timecode_tracks_wall_clock(frame: int, rate: Fraction) -> None:
    # Drop-frame keeps the label near real elapsed time: off by the 0.6 ms a 10-minute cycle
    # accumulates (86.4 ms a day), plus at most 2 frames inside a cycle.
    cycle = _ten_minute_cycle(rate)
    label = _label_seconds(frame_to_smpte(frame, rate), rate)
    real = frame_to_seconds(frame, rate)
    drift = (frame // cycle) * (600 - frame_to_seconds(cycle, rate))
    assert abs(label - real - drift) <= Fraction(2, 30)


@given(frame=frames, rate=rates)
def test_consecutive_frames_have_increasing_labels(frame: int, rate: Fraction) -> None:
    a = frame_to_smpte(frame, rate)
    b = frame_to_smpte(frame + 1, rate)
    assert a.replace(";", ":") < b.replace(";", ":") or len(a) != len(b)


@given(frame=frames, rate=rates)
def test_seconds_round_trip_exact_and_float(frame: int, rate: Fraction) -> None:
    seconds = frame_to_seconds(frame, rate)
    assert seconds_to_frame(seconds, rate) == frame
    assert seconds_to_frame(float(seconds), rate) == frame
    # Just before the next frame starts, it is still this frame that shows.
    assert seconds_to_frame(frame_to_seconds(frame + 1, rate) - Fraction(1, 10**9), rate) == frame


@given(frame=frames, rate=rates)
def test_frame_text_round_trip(frame: int, rate: Fraction) -> None:
    assert parse_position(str(frame), rate) == frame
    assert parse_position(f"{frame}f", rate) == frame


@given(frame=frames, rate=rates)
def test_seconds_text_round_trip(frame: int, rate: Fraction) -> None:
    # Seconds typed with enough decimals land on the frame they name.
    text = f"{float(frame_to_seconds(frame, rate)) + 1e-7:.7f}s"
    assert parse_position(text, rate) == frame


@given(
    value=st.sampled_from(["24", "25", "29.97", "30", "50", "59.94", "23.976", "30000/1001"]),
)
def test_parse_rate_round_trip_through_str(value: str) -> None:
    rate = parse_rate(value)
    assert parse_rate(str(rate)) == rate
    assert parse_rate(float(rate)) == rate
