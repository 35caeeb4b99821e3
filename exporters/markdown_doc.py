"""The seminar as Markdown text (no stills): for a wiki, an e-mail, a course page.

Notes and prompts stay Markdown (bold, lists, code); raw HTML in any user string is escaped so
that it shows as text in whatever renders the file (see `safe_text.inert_markdown`).
"""

from __future__ import annotations

from pathlib import Path

from critique_app import i18n
from critique_app.i18n import _, ngettext
from exporters.document import ExportContext, ExportDocument
from exporters.safe_text import inert_markdown
from exporters.views import film_views, item_view


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


def render(doc: ExportDocument, language: str = "en") -> str:
    """The text, in `language` (the project's own texts as they were written)."""
    with i18n.speaking(language):
        return _render(doc, language)


def _render(doc: ExportDocument, language: str) -> str:
    md = inert_markdown  # every user string: notes and prompts stay Markdown, minus raw HTML
    lines = [f"# {md(doc.title)}", ""]
    if doc.description:
        lines += [md(doc.description), ""]
    lines += [f"## {_('Films')}", ""]
    for f in film_views(doc):
        extra = ""
        if f.provenance:
            verdict = md(f.provenance.verdict_words)
            extra = " — " + _("Content Credentials: {verdict}").format(verdict=verdict)
        about = ngettext("{rate} fps, {count} frame", "{rate} fps, {count} frames", f.frames)
        lines.append(f"- **{md(f.title)}** ({about.format(rate=f.rate, count=f.frames)}){extra}")
    lines.append("")
    for item in doc.items:
        v = item_view(item, language)
        lines += [f"## {v.position}. {md(v.heading)}", ""]
        frames = _("frames {first}–{last}").format(first=v.in_frame, last=v.out_frame)
        lines.append(f"*{md(v.film)}* · {v.in_tc} – {v.out_tc} ({frames}, {v.duration})")
        facts = [
            _("**{label}:** {value}").format(label=label, value=md(val))
            for label, val in (
                (_("Category"), v.category),
                (_("Status"), v.status),
                (_("Author"), v.author),
                (_("Tags"), ", ".join(v.tags)),
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
            prompt = _("**For discussion:** {prompt}").format(prompt=md(v.prompt.strip()))
            lines += ["", _quote(prompt)]
        lines.append("")
    lines += agreement_markdown(doc)
    return "\n".join(lines)


def agreement_markdown(doc: ExportDocument) -> list[str]:
    """The optional section on how far the class agrees, one table per film."""
    if not doc.agreement:
        return []
    lines = [f"## {_('Agreement of the class')}", ""]
    for a in doc.agreement:
        n = len(a.coders)
        coders = (
            ngettext("{count} author", "{count} authors", n)
            if a.by == "author"
            else ngettext("{count} tier", "{count} tiers", n)
        ).format(count=n)
        lines += [
            f"### {a.film}",
            "",
            _(
                "Krippendorff's alpha (nominal) {alpha} between {coders} ({names}) over "
                "{units} marked frames."
            ).format(
                alpha=f"**{a.alpha}**", coders=coders, names=", ".join(a.coders), units=a.units
            ),
            "",
        ]
        if a.categories:
            head: tuple[str, ...] = (_("Category"), _("Alpha (against the rest)"), _("Frames"))
            lines += [f"| {' | '.join(head)} |", "|---|---|---|"]
            lines += [f"| {_cell(c)} | {al} | {n} |" for c, al, n in a.categories]
            lines.append("")
        if a.pairs:
            head = (_("Pair"), _("Cohen's kappa"))
            lines += [f"| {' | '.join(head)} |", "|---|---|"]
            lines += [f"| {_cell(x)} / {_cell(y)} | {k} |" for x, y, k in a.pairs]
            lines.append("")
        if a.passages:
            head = (_("In"), _("Out"), _("Frames"), _("Pairs differing"), _("Who saw what"))
            lines += [f"| {' | '.join(head)} |", "|---|---|---|---|---|"]
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
