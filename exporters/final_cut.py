"""Timelines for Premiere, Final Cut and Resolve: Final Cut Pro 7 XML (xmeml) and FCPXML,
written by OpenTimelineIO's maintained adapters (otio-fcp-adapter, otio-fcpx-xml-adapter).

Each passage is a clip of its film with one marker over its whole range, named
"Category: value" (see `exporters.markers`). What each adapter needs from us:

- FCP 7 XML counts a clip's marker in frames of its media, like the clip's in and out, so the
  marker is moved from OTIO's source time (start timecode included) to the media's frames;
  drop-frame films ask for drop-frame timecode strings; the note is the marker's comment.
- The FCPXML writer knows no 29.97 or 23.976 frame duration (OTIO issue #903) and writes
  `frameDuration=""`: its rate table is given the films' exact rates first. Its output then
  gets three repairs: the project goes inside an event (FCPXML does not allow browser clips
  and projects side by side at the top), formats always get the film's size and a name Final
  Cut defines (or none: a custom format), whatever ffprobe on the PATH made the adapter
  write, and markers lose the to-do flag the adapter derives from red and green. Marker text
  is plain text (`exporters.markers.plain_text`).
"""

from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import opentimelineio as otio

from exporters.document import ExportContext, ExportDocument
from exporters.markers import one_line, plain_text
from exporters.timeline import build_timeline, clip_for


def _timeline(doc: ExportDocument) -> otio.schema.Timeline:
    return build_timeline(doc, [clip_for(item) for item in doc.items])


def write_fcp7(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    timeline = _timeline(doc)
    for clip, item in zip(timeline.find_clips(), doc.items, strict=True):
        rate = float(item.film.rate)
        for marker in clip.markers:
            marker.marked_range = otio.opentime.TimeRange(
                otio.opentime.RationalTime(item.range.start, rate),
                otio.opentime.RationalTime(item.range.length, rate),
            )
            if item.text.strip():
                comment = one_line(plain_text(item.text), 2000)
                marker.metadata["fcp_xml"] = {"comment": comment}
        clip.media_reference.name = Path(item.film.path).name
        if item.film.drop_frame:
            clip.media_reference.metadata["fcp_xml"] = {"timecode": {"displayformat": "DF"}}
    if doc.items[0].film.drop_frame:
        timeline.metadata["fcp_xml"] = {"timecode": {"displayformat": "DF"}}
    text = otio.adapters.write_to_string(timeline, adapter_name="fcp_xml")
    out.write_text(text, encoding="utf-8")


def _teach_exact_rates(doc: ExportDocument) -> None:
    """Give the FCPXML writer's rate table each film's exact frame duration (issue #903)."""
    # OTIO loads the adapter from its plugin manifest as a module of its own: change that one.
    table = _fcpx_module().FRAMERATE_FRAMEDURATION
    for film in doc.films:
        table.setdefault(float(film.rate), f"{film.rate.denominator}/{film.rate.numerator}s")


def _fcpx_module() -> Any:
    return otio.adapters.from_name("fcpx_xml").module()


def write_fcpxml(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    timeline = _timeline(doc)
    for clip in timeline.find_clips():
        # The adapter looks clips up by name in an XPath predicate, where a quote breaks it.
        clip.name = clip.name.replace("'", "’")
    _teach_exact_rates(doc)
    text = otio.adapters.write_to_string(timeline, adapter_name="fcpx_xml")
    root = ET.fromstring(text)
    frame_duration = _fcpx_module().FcpxOtio._framerate_to_frame_duration
    sizes: dict[str, tuple[int | None, int | None, str | None]] = {}
    for film in doc.films:
        name = fcp_format_name(film.rate, film.width, film.height)
        sizes.setdefault(frame_duration(float(film.rate)), (film.width, film.height, name))
    _repair(root, doc, sizes)
    body = ET.tostring(root, encoding="unicode")
    out.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n' + body + "\n",
        encoding="utf-8",
    )


# The picture sizes and frame rates Final Cut Pro names in its video formats
# ('FFVideoFormat1080p2997'); any other size is a custom format: width, height, frameDuration.
_FCP_SIZES = {
    (1920, 1080): "1080p",
    (1280, 720): "720p",
    (3840, 2160): "3840x2160p",
    (4096, 2160): "4096x2160p",
}
_FCP_RATES = {
    Fraction(24000, 1001): "2398",
    Fraction(24): "24",
    Fraction(25): "25",
    Fraction(30000, 1001): "2997",
    Fraction(30): "30",
    Fraction(50): "50",
    Fraction(60000, 1001): "5994",
    Fraction(60): "60",
}


def fcp_format_name(rate: Fraction, width: int | None, height: int | None) -> str | None:
    """Final Cut Pro's own name for a video format, or None for a custom one."""
    size = _FCP_SIZES.get((width or 0, height or 0))
    suffix = _FCP_RATES.get(Fraction(rate))
    return f"FFVideoFormat{size}{suffix}" if size and suffix else None


def _repair(
    root: ET.Element,
    doc: ExportDocument,
    sizes: dict[str, tuple[int | None, int | None, str | None]],
) -> None:
    """Make the adapter's FCPXML a valid one for Final Cut (see the module docstring)."""
    first = doc.items[0].film
    for fmt in root.iterfind("./resources/format"):
        # The adapter names a format from ffprobe when it is on the PATH, with names Final
        # Cut does not define ('FFVideoFormat64x36p29.97002997002997'): ours replace it.
        fmt.attrib.pop("name", None)
        width, height, name = sizes.get(fmt.get("frameDuration", ""), (None, None, None))
        if name:
            fmt.set("name", name)
        if width and height:
            fmt.set("width", str(width))
            fmt.set("height", str(height))
    for asset in root.iterfind("./resources/asset"):
        # the adapter names an asset after the first clip cut from it; editors expect the file
        asset.set("name", unquote(asset.get("src", "").rsplit("/", 1)[-1]) or asset.get("name", ""))
    for marker in root.iter("marker"):
        marker.attrib.pop("completed", None)
    for clip in root.findall("./asset-clip"):
        root.remove(clip)
    for project in root.iter("project"):
        if not project.get("uid"):
            project.attrib.pop("uid", None)
    for sequence in root.iter("sequence"):
        sequence.set("tcStart", "0s")
        sequence.set("tcFormat", "DF" if first.drop_frame else "NDF")
    projects = root.findall("./project")
    if projects:
        event = ET.SubElement(root, "event", {"name": one_line(doc.title) or "Seminar"})
        for project in projects:
            root.remove(project)
            event.append(copy.deepcopy(project))
    ET.indent(root, space="    ")
