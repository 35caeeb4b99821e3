"""HTML fragments (W3C TextualBodies in text/html) read into the markup tree."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from exporters.markup.tree import SAME, Builder, Markup, Span, font_attrs, tidy


class _HTMLReader(HTMLParser):
    _BREAKS = {
        **{"br": "\n", "p": "\n\n", "div": "\n", "li": "\n", "tr": "\n", "blockquote": "\n\n"},
        **{f"h{n}": "\n\n" for n in range(1, 7)},
    }
    _SKIPPED = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.build = Builder()
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = SAME.get(tag, tag)
        if tag in self._SKIPPED:
            self.skipping += 1
        elif tag in self._BREAKS:
            self.build.text(self._BREAKS[tag])
        elif tag in ("b", "i", "u", "s"):
            self.build.open(tag)
        elif tag == "font":
            self.build.open(tag, font_attrs(attrs))

    def handle_endtag(self, tag: str) -> None:
        tag = SAME.get(tag, tag)
        if tag in self._SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BREAKS and tag not in ("br", "li", "tr"):  # a block ends: a line ends
            self.build.text(self._BREAKS[tag])
        else:
            self.build.close(tag)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.build.text(re.sub(r"\s+", " ", data))  # HTML shows any run of spaces as one


def from_html(text: str) -> Markup:
    """An HTML fragment (a W3C TextualBody in text/html) as a tree: emphasis, underline, strike
    and font kept, paragraphs and <br> as line breaks, other tags gone, their words kept."""
    reader = _HTMLReader()
    reader.feed(text)
    reader.close()
    nodes = reader.build.done()
    # paragraphs become one blank line apart, whatever the spaces between the tags
    return tidy(_squeeze(nodes))


def _squeeze(nodes: Markup) -> Markup:
    return tuple(
        re.sub(r"\n{3,}", "\n\n", re.sub(r" *\n *", "\n", n))
        if isinstance(n, str)
        else Span(n.tag, n.attrs, _squeeze(n.children))
        for n in nodes
    )
