"""One module per export format, behind a registry (name -> exporter).

Each format module has `write(doc, out, ctx)`; a module is imported only when its format is
used, so listing formats (for `--help` or a menu) stays instant.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exporters.document import ExportContext, ExportDocument

WriteFunction = Callable[["ExportDocument", Path, "ExportContext"], None]


@dataclass(frozen=True)
class Exporter:
    """A format: its name on the command line, the file it writes, what it is for."""

    name: str
    extension: str  # '' when the output is a folder
    description: str
    module: str
    function: str = "write"
    needs_stills: bool = False

    @property
    def writes_folder(self) -> bool:
        return self.extension == ""

    def load(self) -> WriteFunction:
        module = importlib.import_module(f"exporters.{self.module}")
        return getattr(module, self.function)  # type: ignore[no-any-return]


_REGISTRY: dict[str, Exporter] = {}


def register(exporter: Exporter) -> None:
    _REGISTRY[exporter.name] = exporter


def get(name: str) -> Exporter:
    """The exporter called `name`; KeyError lists the known formats."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(
            f"'{name}' is not an export format (choose from {', '.join(names())})."
        ) from None


def names() -> list[str]:
    return list(_REGISTRY)


def all_exporters() -> list[Exporter]:
    return list(_REGISTRY.values())


for _exporter in (
    Exporter(
        "html",
        ".html",
        "handout: one self-contained web page with stills",
        "html_handout",
        needs_stills=True,
    ),
    Exporter(
        "pdf",
        ".pdf",
        "handout: a printable PDF with stills and a table of contents",
        "pdf_handout",
        needs_stills=True,
    ),
    Exporter("md", ".md", "Markdown text of the seminar (no stills)", "markdown_doc"),
    Exporter(
        "csv", ".csv", "table: one row per annotation, SMPTE timecodes and frames", "csv_table"
    ),
    Exporter("json", ".json", "W3C Web Annotation JSON-LD (media fragments)", "w3c"),
    Exporter(
        "iiif",
        ".json",
        "IIIF Presentation 3 manifest: an AV canvas per film with its annotations",
        "iiif",
    ),
    Exporter("vtt", ".vtt", "WebVTT subtitles: the annotations as cues", "subtitles", "write_vtt"),
    Exporter("srt", ".srt", "SubRip subtitles: the annotations as cues", "subtitles", "write_srt"),
    Exporter("otio", ".otio", "OpenTimelineIO timeline of the passages", "timeline", "write_otio"),
    Exporter(
        "edl",
        ".edl",
        "CMX 3600 edit decision list with Avid and Resolve markers (split past 24 hours)",
        "edl",
    ),
    Exporter(
        "fcp7",
        ".xml",
        "Final Cut Pro 7 XML timeline with markers, for Premiere and Resolve",
        "final_cut",
        "write_fcp7",
    ),
    Exporter(
        "fcpxml",
        ".fcpxml",
        "FCPXML timeline with markers, for Final Cut Pro and Resolve",
        "final_cut",
        "write_fcpxml",
    ),
    Exporter("eaf", ".eaf", "ELAN annotation file: tiers and controlled vocabulary", "elan"),
    Exporter("xspf", ".xspf", "playlist VLC opens, each item from its in to its out", "xspf"),
    Exporter("clips", "", "one frame-exact clip per item, with a sidecar JSON", "clips"),
    Exporter(
        "pack",
        ".zip",
        "zip: handouts, clips, playlist, timeline, annotations, README",
        "pack",
        needs_stills=True,
    ),
):
    register(_exporter)
