"""Frame index <-> SMPTE timecode, seconds and what users type, with rational frame rates.

The frame index (0-based, presentation order) is the truth; everything else is derived
from it with an exact `Fraction` rate. Drop-frame timecode (29.97 and 59.94, `;` before
the frames) skips frame *labels*, never frames.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from critique_app.i18n import _

# The NTSC family: nominal rate n is really n * 1000/1001.
_NTSC_NOMINALS = (24, 30, 48, 60, 120)
_DROP_FRAME_RATES = (Fraction(30000, 1001), Fraction(60000, 1001))

_SMPTE_RE = re.compile(r"^(\d{1,3})[:;.](\d{1,2})[:;.](\d{1,2})([:;.,])(\d{1,3})$")
_FRAMES_RE = re.compile(r"^(\d+)\s*f?$", re.IGNORECASE)
_SECONDS_RE = re.compile(r"^(\d+(?:[.,]\d*)?|[.,]\d+)\s*s$", re.IGNORECASE)


def parse_rate(value: str | int | float | Fraction) -> Fraction:
    """A frame rate as an exact fraction; decimal NTSC rates snap to n*1000/1001.

    '24' -> 24, '29.97' -> 30000/1001, '23.976' -> 24000/1001, '30000/1001' -> 30000/1001.
    """
    try:
        if isinstance(value, Fraction):
            rate = value
        elif isinstance(value, bool):
            raise ValueError
        elif isinstance(value, int):
            rate = Fraction(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError
            rate = Fraction(value).limit_denominator(100000)
        else:
            rate = Fraction(str(value).strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            _("'{value}' is not a frame rate (try 24, 25, 29.97 or 30000/1001).").format(
                value=value
            )
        ) from None
    if rate <= 0 or rate > 1000:
        raise ValueError(
            _("'{value}' is not a usable frame rate (it must be above 0 and at most 1000).").format(
                value=value
            )
        )
    if rate.denominator == 1 or rate in (Fraction(n * 1000, 1001) for n in _NTSC_NOMINALS):
        return rate
    for nominal in _NTSC_NOMINALS:
        # Decimal spellings (29.97, 29.976, 59.94, 23.976...) mean the 1000/1001 rate.
        if abs(rate - Fraction(nominal * 1000, 1001)) < Fraction(1, 100):
            return Fraction(nominal * 1000, 1001)
    if abs(rate - round(rate)) < Fraction(1, 1000):
        return Fraction(round(rate))
    return rate


def is_drop_frame_rate(rate: Fraction) -> bool:
    """True for 30000/1001 and 60000/1001, the rates with drop-frame timecode."""
    return Fraction(rate) in _DROP_FRAME_RATES


def nominal_fps(rate: Fraction) -> int:
    """The frame labels counted per timecode second: round(rate), e.g. 30 for 29.97."""
    return max(1, round(Fraction(rate)))


def _use_drop_frame(rate: Fraction, drop_frame: bool | None) -> bool:
    if drop_frame is None:
        return is_drop_frame_rate(rate)
    if drop_frame and not is_drop_frame_rate(rate):
        raise ValueError(
            _(
                "Drop-frame timecode exists only at 29.97 and 59.94 frames per second, not at "
                "{rate}."
            ).format(rate=format(float(rate), "g"))
        )
    return drop_frame


def _dropped_per_minute(rate: Fraction) -> int:
    # 2 labels per minute at 29.97, 4 at 59.94 (except every tenth minute).
    return nominal_fps(rate) // 15


def frame_to_smpte(
    frame: int, rate: Fraction, *, drop_frame: bool | None = None, start: int = 0
) -> str:
    """SMPTE timecode of a frame index; `start` is the source start timecode in frames.

    Hours do not wrap at 24 so that every timecode maps back to one frame.
    """
    total = int(frame) + int(start)
    if total < 0:
        raise ValueError(_("Frame {frame} lies before the start of the film.").format(frame=frame))
    fps = nominal_fps(rate)
    drop = _use_drop_frame(rate, drop_frame)
    if drop:
        d = _dropped_per_minute(rate)
        per_minute = fps * 60 - d
        per_ten_minutes = per_minute * 10 + d
        tens, rest = divmod(total, per_ten_minutes)
        total += 9 * d * tens
        if rest > d:
            total += d * ((rest - d) // per_minute)
    ff = total % fps
    seconds = total // fps
    hh, rem = divmod(seconds, 3600)
    mm, ss = divmod(rem, 60)
    sep = ";" if drop else ":"
    width = len(str(fps - 1))
    return f"{hh:02d}:{mm:02d}:{ss:02d}{sep}{ff:0{max(2, width)}d}"


def smpte_to_frame(
    text: str, rate: Fraction, *, drop_frame: bool | None = None, start: int = 0
) -> int:
    """Frame index of a SMPTE timecode (minus `start`); ValueError with a sentence otherwise."""
    raw = str(text).strip()
    match = _SMPTE_RE.match(raw)
    if not match:
        raise ValueError(
            _("'{raw}' is not a timecode; write it as HH:MM:SS:FF, e.g. 01:02:03:04.").format(
                raw=raw
            )
        )
    hh, mm, ss, sep, ff = match.groups()
    h, m, s, f = int(hh), int(mm), int(ss), int(ff)
    fps = nominal_fps(rate)
    if drop_frame is None and sep == ";":
        if not is_drop_frame_rate(rate):
            raise ValueError(
                _(
                    "'{raw}' is a drop-frame timecode (';'), but this film runs at {rate} frames per "
                    "second, which has no drop-frame timecode."
                ).format(raw=raw, rate=format(float(rate), "g"))
            )
        drop = True
    else:
        drop = _use_drop_frame(rate, drop_frame)
    if sep == ";" and not drop:
        raise ValueError(
            _(
                "'{raw}' is written as drop-frame (';') but this film's timecode is non-drop; use "
                "':' before the frames."
            ).format(raw=raw)
        )
    if m > 59 or s > 59:
        raise ValueError(
            _("'{raw}' is not a timecode: minutes and seconds go from 00 to 59.").format(raw=raw)
        )
    if f >= fps:
        raise ValueError(
            _("'{raw}' is not a timecode at this rate: frames go from 00 to {last}.").format(
                raw=raw, last=format(fps - 1, "02d")
            )
        )
    total = (h * 3600 + m * 60 + s) * fps + f
    if drop:
        d = _dropped_per_minute(rate)
        if s == 0 and f < d and m % 10 != 0:
            raise ValueError(
                _(
                    "'{raw}' does not exist in drop-frame timecode: frames 00 to {last} are skipped at "
                    "the start of every minute except each tenth minute."
                ).format(raw=raw, last=format(d - 1, "02d"))
            )
        minutes = h * 60 + m
        total -= d * (minutes - minutes // 10)
    frame = total - int(start)
    if frame < 0:
        raise ValueError(_("'{raw}' lies before the film's start timecode.").format(raw=raw))
    return frame


def frame_to_seconds(frame: int, rate: Fraction) -> Fraction:
    """Start time of a frame, in seconds from the first frame (exact)."""
    return Fraction(int(frame)) / Fraction(rate)


def seconds_to_frame(seconds: Fraction | float, rate: Fraction) -> int:
    """The frame shown at that instant (floor of seconds x rate)."""
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise ValueError(_("{seconds} is not a time in seconds.").format(seconds=seconds))
    exact = Fraction(seconds)
    if exact < 0:
        raise ValueError(
            _("{seconds} s lies before the start of the film.").format(
                seconds=format(float(exact), "g")
            )
        )
    position = exact * Fraction(rate)
    if isinstance(seconds, float):
        # Floats carry binary noise: a frame's own start time computed in floats may fall a
        # hair before it; within a millionth of a frame, it is that frame.
        nearest = round(position)
        if abs(position - nearest) < Fraction(1, 1_000_000):
            return int(nearest)
    return math.floor(position)


def pts_to_seconds(pts: int, time_base: Fraction) -> Fraction:
    """A stream timestamp in seconds, exactly."""
    return Fraction(int(pts)) * Fraction(time_base)


def parse_position(
    text: str, rate: Fraction, *, drop_frame: bool | None = None, start: int = 0
) -> int:
    """A frame index from what a user types: '01:02:03:04', '01:02:03;04', '1234', '1234f', '83.5s'."""
    raw = str(text).strip()
    if not raw:
        raise ValueError(
            _("Type a position: a timecode (01:02:03:04), a frame (1234) or seconds (83.5s).")
        )
    if _SMPTE_RE.match(raw):
        return smpte_to_frame(raw, rate, drop_frame=drop_frame, start=start)
    match = _FRAMES_RE.match(raw)
    if match:
        return int(match.group(1))
    match = _SECONDS_RE.match(raw)
    if match:
        return seconds_to_frame(Fraction(match.group(1).replace(",", ".")), rate)
    raise ValueError(
        _(
            "'{raw}' is not a position: type a timecode (01:02:03:04, or 01:02:03;04 for "
            "drop-frame), a frame number (1234 or 1234f) or seconds (83.5s)."
        ).format(raw=raw)
    )
