"""The tree every reader and writer of markup shares: spans of tags holding words, built in
reading order, in one form for one markup; the cue tags a value may keep, in one written form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape


@dataclass(frozen=True)
class Span:
    """A tag and what it holds. `tag` is in lower case (`em` is read as `i`, `strong` as `b`);
    `attrs` is what follows the name, in one written form: '.loud' (classes), ' Léa' (a voice
    or a language), ' color="red"' (font attributes)."""

    tag: str
    attrs: str = ""
    children: tuple[Node, ...] = ()


Node = str | Span
Markup = tuple[Node, ...]

# The cue-text tags of WebVTT, with what SubRip files and HTML bodies use for the same things.
TAG = r"<(/?)(c|i|b|u|s|v|lang|ruby|rt|font|em|strong)((?:\.[^\s.<>]+)*)(?:[ \t]([^<>]*))?>"
KEPT_TAG = re.compile(TAG, re.IGNORECASE)  # the tags a stored value keeps
SAME = {"em": "i", "strong": "b", "del": "s", "strike": "s", "ins": "u"}
ENTITY = re.compile(r"&(amp|lt|gt|nbsp|lrm|rlm|quot|apos|#\d+|#x[0-9a-fA-F]+);")
_ATTR = re.compile(r"""([^\s=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
SPACED_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# Tags deeper than this are dropped (their words kept): every function here recurses.
MAX_DEPTH = 40


@dataclass
class _Open:
    tag: str
    attrs: str
    children: list[_Open | str] = field(default_factory=list)

    def freeze(self) -> Markup:
        return tuple(
            c if isinstance(c, str) else Span(c.tag, c.attrs, c.freeze()) for c in self.children
        )


class Builder:
    """Opens and closes spans in reading order. A closing tag closes the innermost open span
    of its name (and any opened inside it); one that matches nothing is ignored (the reader
    may show it instead), and spans still open at the end close there, as the WebVTT parser
    does."""

    def __init__(self) -> None:
        self.stack = [_Open("", "")]
        self.too_deep: dict[str, int] = {}  # tags opened past MAX_DEPTH, by name

    def text(self, text: str) -> None:
        if not text:
            return
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += text
        else:
            children.append(text)

    def open(self, tag: str, attrs: str = "") -> None:
        if len(self.stack) > MAX_DEPTH:  # a hostile file: no reader nests this deep
            self.too_deep[tag] = self.too_deep.get(tag, 0) + 1
            return
        node = _Open(tag, attrs)
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def close(self, tag: str) -> bool:
        if self.too_deep.get(tag):
            self.too_deep[tag] -= 1
            return True
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return True
        return False

    def done(self) -> Markup:
        return self.stack[0].freeze()


def tidy(nodes: Markup) -> Markup:
    """One form for one markup: neighbouring texts joined, empty texts gone, no spaces around a
    line break (neither a cue nor Markdown shows them), no space or line break at either end."""
    out = list(_joined(nodes))
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip(" \t\n")
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(" \t\n")
    return tuple(n for n in out if n != "")


def _joined(nodes: Markup) -> Markup:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Span):
            out.append(Span(node.tag, node.attrs, _joined(node.children)))
            continue
        node = SPACED_BREAK.sub("\n", node)
        if out and isinstance(out[-1], str):
            out[-1] = SPACED_BREAK.sub("\n", out[-1] + node)
        elif node:
            out.append(node)
    return tuple(out)


def canonical(name: str, classes: str, annotation: str | None) -> tuple[str, str]:
    tag = SAME.get(name.lower(), name.lower())
    annotation = decode((annotation or "").strip())
    if tag == "font":
        return tag, font_attrs((k, v.strip("\"'")) for k, v in _ATTR.findall(annotation))
    if tag in ("v", "lang") and annotation:
        return tag, f"{classes} {annotation}"
    return tag, classes


def font_attrs(pairs: Iterable[tuple[str, str | None]]) -> str:
    """Font attributes in one written form: lower-case names, values in double quotes (single
    quotes around a value that holds a double one)."""
    out = []
    for name, value in pairs:
        value = value or ""
        quote = "'" if '"' in value else '"'
        out.append(f" {name.lower()}={quote}{value}{quote}")
    return "".join(out)


def decode(text: str) -> str:
    return ENTITY.sub(lambda m: unescape(m.group(0)).replace("\u00a0", " "), text)


def spans(nodes: Markup) -> Iterator[Span]:
    for node in nodes:
        if isinstance(node, Span):
            yield node
            yield from spans(node.children)


def plain(nodes: Markup) -> str:
    """The words only, every tag and Markdown sign gone (markers for editors, labels)."""
    return "".join(n if isinstance(n, str) else plain(n.children) for n in nodes)


def voices(nodes: Markup) -> list[str]:
    """The names of the voices (<v Name>) in the tree, each once, in reading order."""
    names = [s.attrs.split(" ", 1)[1] for s in spans(nodes) if s.tag == "v" and " " in s.attrs]
    return list(dict.fromkeys(n for n in names if n))
