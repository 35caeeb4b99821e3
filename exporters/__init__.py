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

from critique_app.i18n import N_, _

if TYPE_CHECKING:
    from exporters.document import ExportContext, ExportDocument

WriteFunction = Callable[["ExportDocument", Path, "ExportContext"], None]


@dataclass(frozen=True)
class Exporter:
    """A format: its name on the command line, the file it writes, what it is for."""

    name: str
    extension: str  # '' when the output is a folder
    description: str  # marked with N_(): shown through _() (the catalogue's language)
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
            _("'{name}' is not an export format (choose from {formats}).").format(
                name=name, formats=", ".join(names())
            )
        ) from None


def names() -> list[str]:
    return list(_REGISTRY)


def all_exporters() -> list[Exporter]:
    return list(_REGISTRY.values())


for _exporter in (
    Exporter(
        "html",
        ".html",
        N_("handout: one self-contained web page with stills"),
        "html_handout",
        needs_stills=True,
    ),
    Exporter(
        "pdf",
        ".pdf",
        N_("handout: a printable PDF with stills and a table of contents"),
        "pdf_handout",
        needs_stills=True,
    ),
    Exporter("md", ".md", N_("Markdown text of the seminar (no stills)"), "markdown_doc"),
    Exporter(
        "csv", ".csv", N_("table: one row per annotation, SMPTE timecodes and frames"), "csv_table"
    ),
    Exporter("json", ".json", N_("W3C Web Annotation JSON-LD (media fragments)"), "w3c"),
    Exporter(
        "iiif",
        ".json",
        N_("IIIF Presentation 3 manifest: an AV canvas per film with its annotations"),
        "iiif",
    ),
    Exporter(
        "vtt", ".vtt", N_("WebVTT subtitles: the annotations as cues"), "subtitles", "write_vtt"
    ),
    Exporter(
        "srt", ".srt", N_("SubRip subtitles: the annotations as cues"), "subtitles", "write_srt"
    ),
    Exporter(
        "otio", ".otio", N_("OpenTimelineIO timeline of the passages"), "timeline", "write_otio"
    ),
    Exporter(
        "edl",
        ".edl",
        N_("CMX 3600 edit decision list with Avid and Resolve markers (split past 24 hours)"),
        "edl",
    ),
    Exporter(
        "fcp7",
        ".xml",
        N_("Final Cut Pro 7 XML timeline with markers, for Premiere and Resolve"),
        "final_cut",
        "write_fcp7",
    ),
    Exporter(
        "fcpxml",
        ".fcpxml",
        N_("FCPXML timeline with markers, for Final Cut Pro and Resolve"),
        "final_cut",
        "write_fcpxml",
    ),
    Exporter("eaf", ".eaf", N_("ELAN annotation file: tiers and controlled vocabulary"), "elan"),
    Exporter("xspf", ".xspf", N_("playlist VLC opens, each item from its in to its out"), "xspf"),
    Exporter("clips", "", N_("one frame-exact clip per item, with a sidecar JSON"), "clips"),
    Exporter(
        "pack",
        ".zip",
        N_("zip: handouts, clips, playlist, timeline, annotations, README"),
        "pack",
        needs_stills=True,
    ),
):
    register(_exporter)
