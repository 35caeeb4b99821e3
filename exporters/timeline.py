"""An editing timeline of the passages as OpenTimelineIO objects: the OTIO export, and the
base of the pack's timeline and of the FCP 7 XML / FCPXML exports.

Each item is a clip whose media reference is the film itself; source ranges are exact frames
at the film's own rate, offset by its start timecode (so an editor's timecodes match the
handout's). A marker on each clip carries the category, the note and the prompt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import opentimelineio as otio

from exporters.document import ExportContext, ExportDocument, ExportItem
from exporters.markers import item_marker_text, marker_colour, one_line


def film_reference(item: ExportItem, target: str | None = None) -> otio.schema.ExternalReference:
    film = item.film
    rate = float(film.rate)
    path = Path(film.path)
    url = target or (path.resolve().as_uri() if path.is_absolute() else film.path)
    return otio.schema.ExternalReference(
        target_url=url,
        available_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(film.start_frame, rate),
            otio.opentime.RationalTime(film.frame_count, rate),
        ),
        metadata={"critique": {"sha256": film.sha256, "rate": str(film.rate), "title": film.title}},
    )


def source_range(item: ExportItem, offset: int | None = None) -> otio.opentime.TimeRange:
    rate = float(item.film.rate)
    first = item.film.start_frame + item.range.start if offset is None else offset
    return otio.opentime.TimeRange(
        otio.opentime.RationalTime(first, rate),
        otio.opentime.RationalTime(item.range.length, rate),
    )


def clip_for(
    item: ExportItem,
    reference: otio.schema.ExternalReference | None = None,
    offset: int | None = None,
) -> otio.schema.Clip:
    """A clip of the item; `reference`/`offset` point it at an exported clip file instead."""
    a = item.annotation
    rng = source_range(item, offset)
    meta: dict[str, Any] = {
        "frames": {"in": item.range.start, "out": item.range.end},
        "timecode": {"in": item.in_tc, "out": item.out_tc},
        "prompt": item.prompt,
        "notes": item.notes,
    }
    if a:
        meta.update(uuid=a.uuid, note=a.note, tags=list(a.tags), status=a.status, author=a.author)
    name = f"{item.position:02d} {item.category_label or item.film.title}"
    clip = otio.schema.Clip(
        name=one_line(name, 60),
        media_reference=reference or film_reference(item),
        source_range=rng,
        metadata={"critique": meta},
    )
    clip.markers.append(
        otio.schema.Marker(
            name=item_marker_text(item),
            marked_range=rng,
            color=getattr(otio.schema.MarkerColor, marker_colour(item).otio),
            metadata={
                "critique": {
                    "category": item.category_label,
                    "category_key": item.category.key if item.category else None,
                    "definition": item.category.definition() if item.category else "",
                    "note": item.text,
                    "prompt": item.prompt,
                }
            },
        )
    )
    return clip


def build_timeline(
    doc: ExportDocument, clips: list[otio.schema.Clip] | None = None
) -> otio.schema.Timeline:
    timeline = otio.schema.Timeline(
        name=one_line(doc.title) or "Seminar",
        metadata={"critique": {"description": doc.description}},
    )
    track = otio.schema.Track(name="Passages", kind=otio.schema.TrackKind.Video)
    for clip in clips if clips is not None else [clip_for(i) for i in doc.items]:
        track.append(clip)
    timeline.tracks.append(track)
    if doc.items:
        first = doc.items[0].film
        timeline.global_start_time = otio.opentime.RationalTime(0, float(first.rate))
    return timeline


def write_otio(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    otio.adapters.write_to_file(build_timeline(doc), str(out), adapter_name="otio_json")
