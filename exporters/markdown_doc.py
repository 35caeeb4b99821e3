"""The seminar as Markdown text (no stills): for a wiki, an e-mail, a course page."""

from __future__ import annotations

from pathlib import Path

from exporters.document import ExportContext, ExportDocument
from exporters.views import film_views, item_view


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


def render(doc: ExportDocument, language: str = "en") -> str:
    lines = [f"# {doc.title}", ""]
    if doc.description:
        lines += [doc.description, ""]
    lines += ["## Films", ""]
    for f in film_views(doc):
        extra = f" — Content Credentials: {f.provenance.state}" if f.provenance else ""
        lines.append(f"- **{f.title}** ({f.rate} fps, {f.frames} frames){extra}")
    lines.append("")
    for item in doc.items:
        v = item_view(item, language)
        lines += [f"## {v.position}. {v.heading}", ""]
        lines.append(
            f"*{v.film}* · {v.in_tc} – {v.out_tc} (frames {v.in_frame}–{v.out_frame}, {v.duration})"
        )
        facts = [
            f"**{k}:** {val}"
            for k, val in (
                ("Category", v.category),
                ("Status", v.status),
                ("Author", v.author),
                ("Tags", ", ".join(v.tags)),
            )
            if val
        ]
        if facts:
            lines += ["", " · ".join(facts)]
        if v.definition:
            lines += ["", f"*{v.definition}*"]
        if v.note_markdown:
            lines += ["", v.note_markdown.strip()]
        if v.item_notes:
            lines += ["", v.item_notes.strip()]
        if v.prompt:
            lines += ["", _quote("**For discussion:** " + v.prompt.strip())]
        lines.append("")
    return "\n".join(lines)


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    out.write_text(render(doc, ctx.language), encoding="utf-8")
