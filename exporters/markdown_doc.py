"""The seminar as Markdown text (no stills): for a wiki, an e-mail, a course page.

Notes and prompts stay Markdown (bold, lists, code); raw HTML in any user string is escaped so
that it shows as text in whatever renders the file (see `safe_text.inert_markdown`).
"""

from __future__ import annotations

from pathlib import Path

from exporters.document import ExportContext, ExportDocument
from exporters.safe_text import inert_markdown
from exporters.views import film_views, item_view


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


def render(doc: ExportDocument, language: str = "en") -> str:
    md = inert_markdown  # every user string: notes and prompts stay Markdown, minus raw HTML
    lines = [f"# {md(doc.title)}", ""]
    if doc.description:
        lines += [md(doc.description), ""]
    lines += ["## Films", ""]
    for f in film_views(doc):
        extra = f" — Content Credentials: {md(f.provenance.verdict_words)}" if f.provenance else ""
        lines.append(f"- **{md(f.title)}** ({f.rate} fps, {f.frames} frames){extra}")
    lines.append("")
    for item in doc.items:
        v = item_view(item, language)
        lines += [f"## {v.position}. {md(v.heading)}", ""]
        lines.append(
            f"*{md(v.film)}* · {v.in_tc} – {v.out_tc} "
            f"(frames {v.in_frame}–{v.out_frame}, {v.duration})"
        )
        facts = [
            f"**{k}:** {md(val)}"
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
            lines += ["", f"*{md(v.definition)}*"]
        if v.note_markdown:
            lines += ["", md(v.note_markdown.strip())]
        if v.item_notes:
            lines += ["", md(v.item_notes.strip())]
        if v.prompt:
            lines += ["", _quote("**For discussion:** " + md(v.prompt.strip()))]
        lines.append("")
    lines += agreement_markdown(doc)
    return "\n".join(lines)


def agreement_markdown(doc: ExportDocument) -> list[str]:
    """The optional section on how far the class agrees, one table per film."""
    if not doc.agreement:
        return []
    lines = ["## Agreement of the class", ""]
    for a in doc.agreement:
        lines += [
            f"### {a.film}",
            "",
            f"Krippendorff's alpha (nominal) **{a.alpha}** between {len(a.coders)} "
            f"{a.by}s ({', '.join(a.coders)}) over {a.units} marked frames.",
            "",
        ]
        if a.categories:
            lines += ["| Category | Alpha (against the rest) | Frames |", "|---|---|---|"]
            lines += [f"| {_cell(c)} | {al} | {n} |" for c, al, n in a.categories]
            lines.append("")
        if a.pairs:
            lines += ["| Pair | Cohen's kappa |", "|---|---|"]
            lines += [f"| {_cell(x)} / {_cell(y)} | {k} |" for x, y, k in a.pairs]
            lines.append("")
        if a.passages:
            lines += [
                "| In | Out | Frames | Pairs differing | Who saw what |",
                "|---|---|---|---|---|",
            ]
            lines += [
                f"| {i} | {o} | {n} | {share} | {_cell(said)} |"
                for i, o, n, share, said in a.passages
            ]
            lines.append("")
        lines += [f"*{note}*" for note in a.notes]
        lines.append("")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    out.write_text(render(doc, ctx.language), encoding="utf-8")
