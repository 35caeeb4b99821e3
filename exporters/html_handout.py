"""The handout as ONE self-contained HTML file: stills inside as data: URIs, nothing fetched.

The page is written as it is made: the stills wait on disk (a StillSpool) and each goes into
the file a piece at a time where its marker stands, so memory does not grow with the number
of items (issue 26).
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from pathlib import Path
from typing import TextIO

from critique_app import __version__, i18n
from critique_app.i18n import _
from exporters.document import ExportContext, ExportDocument
from exporters.safe_text import markdown_html
from exporters.stills import SpooledStill, StillSpool, spool_in_decode_order
from exporters.views import KIND_LABELS, date_words, film_views, item_view, templates

STILL_WIDTH = 880
STILL_QUALITY = 82
DATA_URI = "data:image/jpeg;base64,"


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    """The page, in the export's language (headings, captions, labels and the provenance
    words; the project's own texts as they were written)."""
    with i18n.speaking(ctx.language), StillSpool() as spool:
        stills = _stills(doc, ctx, spool)
        with out.open("w", encoding="utf-8") as page:
            _write(doc, ctx, stills, page)


def _stills(doc: ExportDocument, ctx: ExportContext, spool: StillSpool) -> dict[int, SpooledStill]:
    if not ctx.stills:
        return {}
    versions = {"page": (STILL_WIDTH, STILL_QUALITY)}
    return {
        position: made["page"]
        for position, made in spool_in_decode_order(ctx, doc.items, spool, versions).items()
    }


def _write(
    doc: ExportDocument, ctx: ExportContext, stills: dict[int, SpooledStill], page: TextIO
) -> None:
    total = len(doc.items)
    # A marker per still where its data goes: random for each export, so no text of the
    # project can stand for one (user text is escaped, but a marker must not rely on that).
    token = secrets.token_hex(16)
    items = []
    for item in doc.items:
        view = dataclasses.asdict(item_view(item, ctx.language))
        still = stills.get(item.position)
        view["still"] = f"{DATA_URI}{token}-{item.position}." if still is not None else ""
        view["still_w"], view["still_h"] = (still.width, still.height) if still else (0, 0)
        view["note"] = markdown_html(view.pop("note_markdown"))
        view["prompt_html"] = markdown_html(view["prompt"])
        items.append(view)
    ctx.progress.update(total, total, _("writing the page"))
    html = (
        templates()
        .get_template("handout.html.j2")
        .render(
            doc=doc,
            items=items,
            films=film_views(doc),
            kind_label=_(KIND_LABELS.get(doc.kind, KIND_LABELS["seminar"])),
            created=date_words(doc.created_at, ctx.language),
            language=ctx.language,
            version=__version__,
        )
    )
    marker = re.compile(re.escape(DATA_URI + token) + r"-(\d+)\.")
    at = 0
    for found in marker.finditer(html):
        page.write(html[at : found.start()])
        page.write(DATA_URI)
        for piece in stills[int(found.group(1))].base64_chunks():
            page.write(piece)
        at = found.end()
    page.write(html[at:])
