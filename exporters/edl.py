"""CMX 3600 edit decision lists for editors: one event per passage, with markers Avid,
OpenTimelineIO and DaVinci Resolve read.

Written directly rather than through OTIO's cmx_3600 writer, which writes no `FCM:` line,
wraps record timecode past 24 hours and upper-cases marker text. What an EDL holds:

- `FCM: DROP FRAME` at 29.97/59.94 drop-frame, else `FCM: NON-DROP FRAME`;
- per event, `* FROM CLIP NAME:` (the film's file name, for relinking), `* FROM FILE:` (its
  path), `* LOC:` at the event's record in (Avid's convention, as in OTIO's sample EDLs) and
  Resolve's marker line `|C:ResolveColor… |M:… |D:frames`.

Record timecode never passes 24:00:00:00 and an EDL holds at most 999 events: a longer
seminar is split into several EDLs (`name.edl`, `name-2.edl`, …), each starting again at
00:00:00:00, and the export says so. Several files rather than a new record reel in one file,
because Resolve and Premiere import one EDL as one timeline, and every file then stands alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from critique_app.domain.timecode import frame_to_smpte, is_drop_frame_rate, nominal_fps
from critique_app.errors import UserError
from critique_app.i18n import _
from exporters.document import ExportContext, ExportDocument, ExportItem
from exporters.markers import item_marker_text, marker_colour, one_line

MAX_EVENTS = 999  # event numbers have three digits


def day_frames(rate: Fraction, drop_frame: bool) -> int:
    """Frames from 00:00:00:00 to 24:00:00:00 in this timecode."""
    fps = nominal_fps(rate)
    if not drop_frame:
        return 24 * 3600 * fps
    dropped = fps // 15  # labels dropped per minute, except every tenth minute
    return 24 * 6 * ((fps * 60 - dropped) * 10 + dropped)


@dataclass(frozen=True)
class Event:
    """One EDL event: `length` frames of an item from `offset` frames into it."""

    item: ExportItem
    offset: int
    length: int
    record_in: int


def plan(items: tuple[ExportItem, ...], capacity: int) -> list[list[Event]]:
    """Events laid end to end, a new EDL whenever the next passage would pass `capacity`
    frames or the 999th event; a passage longer than `capacity` is cut into several events."""
    parts: list[list[Event]] = [[]]
    record = 0
    for item in items:
        done = 0
        while done < item.range.length:
            left = item.range.length - done
            full = len(parts[-1]) >= MAX_EVENTS
            if parts[-1] and (full or record + left > capacity):
                parts.append([])
                record = 0
            take = min(left, capacity - record)
            parts[-1].append(Event(item, done, take, record))
            record += take
            done += take
    return parts


def _reel(item: ExportItem) -> str:
    """A CMX reel: at most 8 letters or digits from the film's file name."""
    return (re.sub(r"[^A-Za-z0-9_]", "", Path(item.film.path).stem)[:8] or "AX").upper()


def _resolve_field(text: str) -> str:
    # '|' separates Resolve's fields: a bar in a note would start a new one.
    return one_line(text.replace("|", "/"), 200)


def event_lines(number: int, event: Event, record_tc: str, record_out_tc: str) -> list[str]:
    item = event.item
    film = item.film
    first = item.range.start + event.offset
    src_in = film.timecode(first)
    src_out = film.timecode(first + event.length)
    text = item_marker_text(item)
    if event.length < item.range.length:
        text = (
            _("{text} (part from frame {first})").format(text=text, first=first)
            if event.offset
            else _("{text} (first part)").format(text=text)
        )
    colour = marker_colour(item)
    return [
        f"{number:03d}  {_reel(item):<8} V     C        {src_in} {src_out} {record_tc} {record_out_tc}",
        f"* FROM CLIP NAME:  {one_line(Path(film.path).name)}",
        f"* FROM FILE: {one_line(film.path, 1000)}",
        f"* LOC: {record_tc} {colour.otio:<7} {one_line(text)}",
        f" |C:ResolveColor{colour.resolve} |M:{_resolve_field(text)} |D:{event.length}",
    ]


def render(title: str, events: list[Event], rate: Fraction, drop_frame: bool) -> str:
    lines = [
        f"TITLE: {one_line(title, 70) or _('Seminar')}",
        f"FCM: {'DROP FRAME' if drop_frame else 'NON-DROP FRAME'}",
        "",
    ]
    for number, event in enumerate(events, start=1):
        rec_in = frame_to_smpte(event.record_in, rate, drop_frame=drop_frame)
        rec_out = frame_to_smpte(event.record_in + event.length, rate, drop_frame=drop_frame)
        lines += event_lines(number, event, rec_in, rec_out)
        lines.append("")
    return "\n".join(lines)


def _uses_drop_frame(doc: ExportDocument, rate: Fraction) -> bool:
    return is_drop_frame_rate(rate) and doc.items[0].film.drop_frame


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    rates = {i.film.rate for i in doc.items}
    if len(rates) > 1:
        raise UserError(
            _(
                "An EDL runs at one frame rate and these films have several ({rates} fps): export an "
                "OTIO, FCP 7 XML or FCPXML timeline instead."
            ).format(rates=", ".join(str(float(r)) for r in sorted(rates)))
        )
    (rate,) = rates
    drop_frame = _uses_drop_frame(doc, rate)
    # The last record out point must stay below 24:00:00:00.
    capacity = day_frames(rate, drop_frame) - 1
    parts = plan(doc.items, capacity)
    names = [ctx.final_name(out)] + [ctx.final_name(out, f"-{k}") for k in range(2, len(parts) + 1)]
    for k, events in enumerate(parts, start=1):
        ctx.progress.check()
        title = doc.title if len(parts) == 1 else f"{doc.title} ({k} of {len(parts)})"
        path = out if k == 1 else ctx.companion(out, f"-{k}")
        path.write_text(render(title, events, rate, drop_frame), encoding="utf-8")
    if len(parts) > 1:
        total = sum(i.range.length for i in doc.items)
        spans = ", ".join(
            f"{name} (passages {p[0].item.position}–{p[-1].item.position})"
            for name, p in zip(names, parts, strict=True)
        )
        ctx.notes.append(
            _(
                "The passages last {duration} in all ({count} passages), more than one EDL can "
                "hold (record timecode stops at 24:00:00:00, events at {events}): they are split "
                "into {parts} EDLs, each starting at 00:00:00:00: {spans}."
            ).format(
                duration=frame_to_smpte(total, rate, drop_frame=drop_frame),
                count=len(doc.items),
                events=MAX_EVENTS,
                parts=len(parts),
                spans=spans,
            )
        )
    for item in doc.items:
        pieces = sum(1 for p in parts for e in p if e.item is item)
        if pieces > 1:
            ctx.notes.append(
                _(
                    "Passage {position} lasts more than 24 hours ({length} frames): it is cut into "
                    "{pieces} events."
                ).format(position=item.position, length=item.range.length, pieces=pieces)
            )
