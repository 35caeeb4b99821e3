"""User text (notes, titles, tags) made safe for HTML and for the PDF's paragraph markup.

Notes are Markdown written by students: rendered with raw HTML disabled and without links or
images (a handout must not point outside itself), so whatever they contain comes out as text.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["link", "image", "autolink", "reference", "html_inline", "html_block"]
)


def markdown_html(text: str) -> Markup:
    """Markdown -> HTML where every character the user typed is escaped text."""
    return Markup(_MD.render(text or ""))


def _inline(children: list[Token]) -> str:
    """Inline tokens -> reportlab paragraph markup (b, i, font, br only; text escaped)."""
    parts: list[str] = []
    for tok in children:
        if tok.type == "text":
            parts.append(escape(tok.content, quote=False))
        elif tok.type == "code_inline":
            parts.append(f'<font face="Mono">{escape(tok.content, quote=False)}</font>')
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append("<br/>")
        elif tok.type == "strong_open":
            parts.append("<b>")
        elif tok.type == "strong_close":
            parts.append("</b>")
        elif tok.type == "em_open":
            parts.append("<i>")
        elif tok.type == "em_close":
            parts.append("</i>")
        elif tok.content:
            parts.append(escape(tok.content, quote=False))
    return "".join(parts)


def markdown_paragraphs(text: str) -> list[tuple[str, str]]:
    """Markdown -> [(kind, markup)] where kind is 'p', 'bullet', 'heading', 'quote' or 'code'."""
    out: list[tuple[str, str]] = []
    kind = "p"
    depth_list = 0
    quote = 0
    for tok in _MD.parse(text or ""):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth_list += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth_list -= 1
        elif tok.type == "blockquote_open":
            quote += 1
        elif tok.type == "blockquote_close":
            quote -= 1
        elif tok.type == "heading_open":
            kind = "heading"
        elif tok.type in ("fence", "code_block"):
            out.append(("code", escape(tok.content.rstrip("\n"), quote=False)))
        elif tok.type == "inline":
            if kind == "heading":
                out.append(("heading", _inline(tok.children or [])))
                kind = "p"
            elif depth_list:
                out.append(("bullet", _inline(tok.children or [])))
            elif quote:
                out.append(("quote", _inline(tok.children or [])))
            else:
                out.append(("p", _inline(tok.children or [])))
    return out


# What opens raw HTML in Markdown: a tag, closing tag, comment, declaration or instruction.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def inert_markdown(text: str) -> str:
    """Markdown whose raw HTML shows as text in any renderer: '<' before a letter, '/', '!'
    or '?' becomes '&lt;', which renders as '<'. Everything else stays Markdown.

    Code is not spared: a renderer that knows no fences (Markdown.pl) would pass HTML in one
    through, so inside `code` such a '<' shows as '&lt;'.
    """
    return _TAG_OPEN.sub("&lt;", text or "")


def plain(text: str) -> str:
    """Markup-free text for PDF paragraphs: escaped, line breaks kept."""
    return escape(text or "", quote=False).replace("\n", "<br/>")
