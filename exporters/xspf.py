"""A playlist VLC opens (XSPF): each passage starts at its in-frame and stops after its out-frame.

VLC takes start and stop times in seconds (`vlc:option start-time=`); we aim at the middle of
the in-frame so rounding in the player cannot land on the frame before.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

from critique_app.domain.timecode import frame_to_seconds
from exporters.document import ExportContext, ExportDocument, ExportItem

XSPF_NS = "http://xspf.org/ns/0/"
VLC_NS = "http://www.videolan.org/vlc/playlist/ns/0/"
VLC_APP = "http://www.videolan.org/vlc/playlist/0"


def start_time(item: ExportItem, first_frame: int | None = None) -> Fraction:
    frame = item.range.start if first_frame is None else first_frame
    return frame_to_seconds(frame, item.film.rate) + Fraction(1, 2) / item.film.rate


def stop_time(item: ExportItem, first_frame: int | None = None) -> Fraction:
    frame = item.range.end if first_frame is None else first_frame + item.range.length - 1
    return frame_to_seconds(frame + 1, item.film.rate)


def build(
    doc: ExportDocument, locations: list[str] | None = None, first_frames: list[int] | None = None
) -> ET.ElementTree:
    """`locations`/`first_frames` point the tracks at exported clips (a pack) instead of films."""
    ET.register_namespace("", XSPF_NS)
    ET.register_namespace("vlc", VLC_NS)
    root = ET.Element(f"{{{XSPF_NS}}}playlist", {"version": "1"})
    ET.SubElement(root, f"{{{XSPF_NS}}}title").text = doc.title
    tracks = ET.SubElement(root, f"{{{XSPF_NS}}}trackList")
    for n, item in enumerate(doc.items):
        first = first_frames[n] if first_frames is not None else None
        if locations is not None:
            location = locations[n]
        else:
            path = Path(item.film.path)
            location = path.resolve().as_uri() if path.is_absolute() else path.as_posix()
        track = ET.SubElement(tracks, f"{{{XSPF_NS}}}track")
        ET.SubElement(track, f"{{{XSPF_NS}}}location").text = location
        title = f"{item.position}. {item.category_label or item.film.title} — {item.in_tc}"
        ET.SubElement(track, f"{{{XSPF_NS}}}title").text = title
        if item.prompt:
            ET.SubElement(track, f"{{{XSPF_NS}}}annotation").text = item.prompt
        begin, end = start_time(item, first), stop_time(item, first)
        ET.SubElement(track, f"{{{XSPF_NS}}}duration").text = str(round((end - begin) * 1000))
        ext = ET.SubElement(track, f"{{{XSPF_NS}}}extension", {"application": VLC_APP})
        ET.SubElement(ext, f"{{{VLC_NS}}}id").text = str(n)
        ET.SubElement(ext, f"{{{VLC_NS}}}option").text = f"start-time={float(begin):.6f}"
        ET.SubElement(ext, f"{{{VLC_NS}}}option").text = f"stop-time={float(end):.6f}"
    ET.indent(root)
    return ET.ElementTree(root)


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    build(doc).write(out, encoding="UTF-8", xml_declaration=True)
