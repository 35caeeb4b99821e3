"""Everything for a seminar in one zip: handouts (HTML, PDF), clips, playlist, timeline,
annotations JSON and a short README. Every entry name is built by us from safe parts."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import opentimelineio as otio

from critique_app import i18n
from critique_app.i18n import N_, _
from exporters.clips import export_clips
from exporters.document import ExportContext, ExportDocument, safe_name
from exporters.timeline import build_timeline, clip_for
from exporters.views import item_view
from exporters.w3c import collection_json
from exporters.xspf import build as build_playlist

_SAFE_ENTRY = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


def safe_entry(name: str) -> str:
    """Refuse any zip entry name that could land outside the folder it is unpacked into."""
    path = PurePosixPath(name)
    if (
        not _SAFE_ENTRY.match(name)
        or path.is_absolute()
        or any(part.startswith(".") for part in name.split("/"))
    ):
        raise ValueError(f"unsafe zip entry name {name!r}")
    return name


# The pack's files and what each is for (README.txt), in the export's language.
CONTENTS = (
    ("handout.html", N_("the handout; open it in any web browser (works offline)")),
    ("handout.pdf", N_("the same handout, to print")),
    ("playlist.xspf", N_("open in VLC: plays the passages in order")),
    ("timeline.otio", N_("an OpenTimelineIO timeline of the clips, for an editor")),
    ("annotations.json", N_("the annotations as W3C Web Annotations (JSON-LD)")),
    (
        "clips/",
        N_(
            "one frame-exact clip per passage, each with a .json sidecar\n"
            "(its annotation, the source film's SHA-256 and frame range)"
        ),
    ),
)


def readme(doc: ExportDocument, clip_names: list[str], language: str = "en") -> str:
    """README.txt of the pack, in `language` (the project's own texts as they were written)."""
    with i18n.speaking(language):
        lines = [doc.title, "=" * min(len(doc.title), 72), ""]
        if doc.description:
            lines += [doc.description, ""]
        lines.append(_("What is in this pack:"))
        for name, what in CONTENTS:
            first, *more = _(what).splitlines()
            lines.append(f"  {name:<18}{first}")
            lines += [f"  {'':<18}{line}" for line in more]
        lines += ["", _("Passages:")]
        for item, name in zip(doc.items, clip_names, strict=True):
            v = item_view(item, language)
            lines.append(
                f"  {v.position:>3}. {v.heading} — {v.film}, {v.in_tc}-{v.out_tc}  ({name})"
            )
        lines += ["", _("Made with Critique.")]
    return "\n".join(lines) + "\n"


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    from exporters import html_handout, pdf_handout

    with tempfile.TemporaryDirectory(prefix="critique-pack-") as tmp:
        work = Path(tmp)
        clips = export_clips(doc, work / "clips", ctx)
        ctx.progress.update(0, 1, _("handouts"))
        html_handout.write(doc, work / "handout.html", ctx)
        pdf_handout.write(doc, work / "handout.pdf", ctx)
        names = [f"clips/{c.name}" for c in clips]
        build_playlist(doc, locations=names, first_frames=[0] * len(names)).write(
            work / "playlist.xspf", encoding="UTF-8", xml_declaration=True
        )
        timeline_clips = []
        for item, name in zip(doc.items, names, strict=True):
            reference = otio.schema.ExternalReference(
                target_url=name,
                available_range=otio.opentime.TimeRange(
                    otio.opentime.RationalTime(0, float(item.film.rate)),
                    otio.opentime.RationalTime(item.range.length, float(item.film.rate)),
                ),
            )
            timeline_clips.append(clip_for(item, reference, offset=0))
        otio.adapters.write_to_file(
            build_timeline(doc, timeline_clips),
            str(work / "timeline.otio"),
            adapter_name="otio_json",
        )
        (work / "annotations.json").write_text(
            json.dumps(collection_json(doc), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        text = readme(doc, [c.name for c in clips], ctx.language)
        (work / "README.txt").write_text(text, encoding="utf-8")
        folder = safe_name(doc.title, 40)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(work.rglob("*")):
                if path.is_file():
                    entry = safe_entry(f"{folder}/{path.relative_to(work).as_posix()}")
                    stored = path.suffix in (".mp4", ".jpg", ".png", ".pdf")
                    archive.write(
                        path,
                        entry,
                        compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                    )
