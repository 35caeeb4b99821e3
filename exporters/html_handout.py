"""The handout as ONE self-contained HTML file: stills inside as data: URIs, nothing fetched."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from critique_app import __version__, i18n
from critique_app.i18n import _
from exporters.document import ExportContext, ExportDocument
from exporters.safe_text import markdown_html
from exporters.stills import data_uri, stills_in_decode_order
from exporters.views import KIND_LABELS, film_views, item_view, templates

STILL_WIDTH = 880


def render(doc: ExportDocument, ctx: ExportContext) -> str:
    """The page, in the export's language (headings, captions, labels and the provenance
    words; the project's own texts as they were written)."""
    with i18n.speaking(ctx.language):
        return _render(doc, ctx)


def _render(doc: ExportDocument, ctx: ExportContext) -> str:
    total = len(doc.items)
    stills = stills_in_decode_order(ctx, doc.items, STILL_WIDTH) if ctx.stills else {}
    items = []
    for item in doc.items:
        view = dataclasses.asdict(item_view(item, ctx.language))
        still = stills.get(item.position)
        view["still"] = data_uri(still) if still is not None else ""
        view["still_w"], view["still_h"] = still.size if still is not None else (0, 0)
        view["note"] = markdown_html(view.pop("note_markdown"))
        view["prompt_html"] = markdown_html(view["prompt"])
        items.append(view)
    ctx.progress.update(total, total, _("writing the page"))
    return (
        templates()
        .get_template("handout.html.j2")
        .render(
            doc=doc,
            items=items,
            films=film_views(doc),
            kind_label=_(KIND_LABELS.get(doc.kind, KIND_LABELS["seminar"])),
            created=doc.created_at[:10],
            language=ctx.language,
            version=__version__,
        )
    )


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    out.write_text(render(doc, ctx), encoding="utf-8")
