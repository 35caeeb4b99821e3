"""The markup of a text (bold, italics, underline, colour, voices…) as a small tree, read from
subtitle cues, HTML or the Markdown an annotation's value is stored in, and written back.

A value keeps Markdown where Markdown can say it (`**bold**`, `*italic*`, `~~struck~~`) and every
other tag as a kept tag, as written (`<u>`, `<font color="red">`, `<c.loud>`, `<v Léa>`). Every
reader and writer goes through this one tree, so any nesting that comes in goes out the same:
`from_cue` / `from_html` / `from_markdown` read, `to_cue` / `to_markdown` / `plain` write.
"""

from exporters.markup.cues import from_cue, to_cue
from exporters.markup.html_bodies import from_html
from exporters.markup.markdown_text import (
    from_markdown,
    tidy_to_markdown,
    to_markdown,
    words_to_markdown,
)
from exporters.markup.tree import MAX_DEPTH, Markup, Node, Span, plain, tidy, voices

__all__ = [
    "MAX_DEPTH",
    "Markup",
    "Node",
    "Span",
    "from_cue",
    "from_html",
    "from_markdown",
    "plain",
    "tidy",
    "tidy_to_markdown",
    "to_cue",
    "to_markdown",
    "words_to_markdown",
    "voices",
]
