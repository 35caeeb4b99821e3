"""The markup of a text (bold, italics, underline, colour, voices…) as a small tree, read from
subtitle cues, HTML or the Markdown an annotation's value is stored in, and written back.

A value keeps Markdown where Markdown can say it (`**bold**`, `*italic*`, `~~struck~~`) and every
other tag as a kept tag, as written (`<u>`, `<font color="red">`, `<c.loud>`, `<v Léa>`). Every
reader and writer goes through this one tree, so any nesting that comes in goes out the same:
`from_cue` / `from_html` / `from_markdown` read, `to_cue` / `to_markdown` / `plain` write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html import unescape
from html.parser import HTMLParser

from markdown_it import MarkdownIt


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
_TAG = r"<(/?)(c|i|b|u|s|v|lang|ruby|rt|font|em|strong)((?:\.[^\s.<>]+)*)(?:[ \t]([^<>]*))?>"
_CUE_TAG = re.compile(
    _TAG + r"|<(\d+:)?\d{2}:\d{2}\.\d{3}>"  # a karaoke timestamp: timing, not markup
    r"|\{\\([^{}]*)\}",  # ASS/SSA override tags as SubRip files carry them: {\i1}, {\an8}
    re.IGNORECASE,
)
_KEPT_TAG = re.compile(_TAG, re.IGNORECASE)  # what a stored value keeps: tags only
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_-]*)(?:[.\s][^<>]*)?>")
_SAME = {"em": "i", "strong": "b", "del": "s", "strike": "s", "ins": "u"}
_ASS_STYLE = re.compile(r"\\([ibus])(\d+)")
_ENTITY = re.compile(r"&(amp|lt|gt|nbsp|lrm|rlm|quot|apos|#\d+|#x[0-9a-fA-F]+);")
_ATTR = re.compile(r"""([^\s=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
# Tags a subtitle file can carry: WebVTT's, plus SubRip's <s> and <font> (WebVTT readers
# ignore tags they do not know and keep the words, so Critique's own tags survive a trip).
_VTT_TAGS = frozenset({"b", "i", "u", "s", "c", "v", "lang", "ruby", "rt", "font"})
_SRT_TAGS = frozenset({"b", "i", "u", "s", "font"})
# What Markdown can say itself, each with the delimiters to try (the second where the first
# would run into a neighbour: `**_x_**`, not `***x***`, for bold around italics).
_EMPHASIS = {"b": ("**", "__"), "i": ("*", "_"), "s": ("~~",)}
_EVERY_SIGN = re.compile(r"[!-/:-@\[-`{-~]")  # ASCII punctuation: each may be escaped
_SOME_SIGNS = re.compile(
    r"\\(?=[!-/:-@\[-`{-~\n]|\Z)"  # a backslash before punctuation or a line's end
    r"|&(?=#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"
    r"|<(?=" + _TAG[1:] + r"|[A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@)",
    re.IGNORECASE,
)
_SPACED_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# Tags deeper than this are dropped (their words kept): every function here recurses.
MAX_DEPTH = 40
# Past these, a value is written without trying Markdown span by span (each try is a parse).
LONG_VALUE = 100_000
MANY_SPANS = 24
# Characters of Unicode's private use areas: one the text does not hold marks its kept tags.
_SPARE = "".join(chr(c) for c in (*range(0xE000, 0xF900), *range(0xF0000, 0xFFFFE)))


@dataclass
class _Open:
    tag: str
    attrs: str
    children: list[_Open | str] = field(default_factory=list)

    def freeze(self) -> Markup:
        return tuple(
            c if isinstance(c, str) else Span(c.tag, c.attrs, c.freeze()) for c in self.children
        )


class _Builder:
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
        node = _SPACED_BREAK.sub("\n", node)
        if out and isinstance(out[-1], str):
            out[-1] = _SPACED_BREAK.sub("\n", out[-1] + node)
        elif node:
            out.append(node)
    return tuple(out)


def _canonical(name: str, classes: str, annotation: str | None) -> tuple[str, str]:
    tag = _SAME.get(name.lower(), name.lower())
    annotation = _decode((annotation or "").strip())
    if tag == "font":
        return tag, _font_attrs((k, v.strip("\"'")) for k, v in _ATTR.findall(annotation))
    if tag in ("v", "lang") and annotation:
        return tag, f"{classes} {annotation}"
    return tag, classes


def _font_attrs(pairs: Iterable[tuple[str, str | None]]) -> str:
    """Font attributes in one written form: lower-case names, values in double quotes (single
    quotes around a value that holds a double one)."""
    out = []
    for name, value in pairs:
        value = value or ""
        quote = "'" if '"' in value else '"'
        out.append(f" {name.lower()}={quote}{value}{quote}")
    return "".join(out)


def _decode(text: str) -> str:
    return _ENTITY.sub(lambda m: unescape(m.group(0)).replace("\u00a0", " "), text)


def _without_unknown_tags(text: str, vtt: bool) -> str:
    """A cue without the tags no subtitle reader knows (`<bad>`, `<invalid_tag par=5>`). The
    WebVTT parser ignores every one of them and keeps the words; SubRip players (VLC, MPC) hide
    one only when the cue closes it later, and show the others as typed, as Critique does."""
    unknown = [m for m in _ANY_TAG.finditer(text) if not _KEPT_TAG.fullmatch(m.group(0))]
    if not unknown:
        return text
    if not vtt:
        waiting: dict[str, list[re.Match[str]]] = {}
        paired: list[re.Match[str]] = []
        for match in unknown:
            name = match.group(2).lower()
            if not match.group(1):
                waiting.setdefault(name, []).append(match)
            elif waiting.get(name):
                paired += [waiting[name].pop(), match]
        unknown = sorted(paired, key=lambda m: m.start())
    kept, pos = [], 0
    for match in unknown:
        kept.append(text[pos : match.start()])
        pos = match.end()
    return "".join(kept) + text[pos:]


def from_cue(text: str, vtt: bool = True) -> Markup:
    """A cue's text (WebVTT, or SubRip with `{\\i1}`-style overrides) as a tree; entities are
    decoded, '<' and '&' that start no tag or entity stay as written, tags no reader knows go
    as the format's players drop them (`_without_unknown_tags`)."""
    if "<" not in text and "&" not in text and "{" not in text:
        return tidy((text,))  # most cues: words only
    text = _without_unknown_tags(text, vtt)
    build = _Builder()
    pos = 0
    for match in _CUE_TAG.finditer(text):
        build.text(_decode(text[pos : match.start()]))
        pos = match.end()
        closing, name, classes, annotation, _stamp, override = match.groups()
        if override is not None:
            for style, value in _ASS_STYLE.findall("\\" + override):
                build.open(style) if value != "0" else build.close(style)
        elif name is not None:
            tag, attrs = _canonical(name, classes, annotation)
            if not closing:
                build.open(tag, attrs)
            elif not build.close(tag) and not vtt:
                build.text(match.group(0))  # SubRip players show a tag closing nothing as text
    build.text(_decode(text[pos:]))
    return tidy(build.done())


class _HTMLReader(HTMLParser):
    _BREAKS = {
        **{"br": "\n", "p": "\n\n", "div": "\n", "li": "\n", "tr": "\n", "blockquote": "\n\n"},
        **{f"h{n}": "\n\n" for n in range(1, 7)},
    }
    _SKIPPED = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.build = _Builder()
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = _SAME.get(tag, tag)
        if tag in self._SKIPPED:
            self.skipping += 1
        elif tag in self._BREAKS:
            self.build.text(self._BREAKS[tag])
        elif tag in ("b", "i", "u", "s"):
            self.build.open(tag)
        elif tag == "font":
            self.build.open(tag, _font_attrs(attrs))

    def handle_endtag(self, tag: str) -> None:
        tag = _SAME.get(tag, tag)
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


# ---- Markdown -------------------------------------------------------------------------------


@cache
def _markdown() -> MarkdownIt:
    # Raw HTML is not Markdown's here: the kept tags are found before it parses, and any other
    # HTML is text. Escapes stay apart (no text_join) so that an escaped '<' is never a tag.
    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .enable("strikethrough")
        .disable("text_join")
    )


def _kept_tags(text: str) -> tuple[str, re.Pattern[str], list[re.Match[str]]]:
    """The text with each kept tag (one not escaped by a backslash) swapped for '<', a character
    of Unicode's private use area the text does not hold, its number and '>': Markdown parses
    around it as around the tag (its emphasis rules look at the '<' and '>'), and no Markdown
    reads it. Also the pattern that finds them again, and the tags by number."""
    present = set(text)
    marker = next(c for c in _SPARE if c not in present)
    found: list[re.Match[str]] = []
    parts: list[str] = []
    pos = 0
    for match in _KEPT_TAG.finditer(text):
        slashes = 0
        while match.start() - slashes > 0 and text[match.start() - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2:
            continue
        parts += [text[pos : match.start()], f"<{marker}{len(found)}>"]
        found.append(match)
        pos = match.end()
    parts.append(text[pos:])
    return "".join(parts), re.compile(f"<{marker}(\\d+)>"), found


def from_markdown(text: str) -> Markup:
    """A stored value (or note) as a tree: Markdown's emphasis, strike, code and links, and the
    kept tags. Headings, lists and quotes are not read: a value is inline text."""
    if _PLAIN.fullmatch(text):
        return tidy((text,))  # nothing Markdown or a tag could mean: the words as they are
    source, placeholder, kept = _kept_tags(text)

    def literal(content: str) -> str:
        return (
            placeholder.sub(lambda m: kept[int(m.group(1))].group(0), content) if kept else content
        )

    build = _Builder()
    for token in _markdown().parseInline(source)[0].children or ():
        kind = token.type
        if kind == "text":
            pieces = placeholder.split(token.content) if kept else [token.content]
            for n, piece in enumerate(pieces):
                if n % 2 == 0:  # words; between them, the numbers of kept tags
                    build.text(piece)
                    continue
                match = kept[int(piece)]
                tag, attrs = _canonical(match.group(2), match.group(3), match.group(4))
                build.close(tag) if match.group(1) else build.open(tag, attrs)
        elif kind in ("softbreak", "hardbreak"):
            build.text("\n")
        elif kind in ("strong_open", "em_open", "s_open", "link_open"):
            build.open({"strong_open": "b", "em_open": "i", "s_open": "s"}.get(kind, "a"))
        elif kind in ("strong_close", "em_close", "s_close", "link_close"):
            build.close({"strong_close": "b", "em_close": "i", "s_close": "s"}.get(kind, "a"))
        elif kind == "code_inline":
            build.open("code", token.markup)  # the backticks, for writers that show them
            build.text(literal(token.content))
            build.close("code")
        else:  # escapes, entities, an image's description
            build.text(literal(token.content))
    return tidy(build.done())


def _escape_md(text: str, everything: bool) -> str:
    """Text Markdown reads back as the same words: every ASCII punctuation escaped, or (the
    first try) only what would start a kept tag, an autolink, an entity or an escape."""
    if _PLAIN.fullmatch(text):
        return text
    return (_EVERY_SIGN if everything else _SOME_SIGNS).sub(r"\\\g<0>", text)


def _write_md(nodes: Markup, chosen: dict[int, str], everything: bool, count: list[int]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_escape_md(node, everything))
            continue
        number = count[0]
        count[0] += 1
        inner = _write_md(node.children, chosen, everything, count)
        if number in chosen:
            out.append(f"{chosen[number]}{inner}{chosen[number]}")
        elif node.tag in ("code", "a"):
            out.append(inner)  # never made by a reader of cues or HTML: the words stay
        else:
            out.append(f"<{node.tag}{node.attrs}>{inner}</{node.tag}>")
    return "".join(out)


def _spans(nodes: Markup) -> Iterator[Span]:
    for node in nodes:
        if isinstance(node, Span):
            yield node
            yield from _spans(node.children)


_PLAIN = re.compile(r"[^\\*_~`\[\]<&!]*")


def _guess(nodes: Markup, parent: str, chosen: dict[int, str], count: list[int]) -> None:
    """Markdown for every bold, italic and strike, the second delimiter where a span touches
    the edge of a parent that uses the same sign (`**_x_**`): right for most cues at once."""
    last = len(nodes) - 1
    for n, node in enumerate(nodes):
        if isinstance(node, str):
            continue
        number = count[0]
        count[0] += 1
        signs = _EMPHASIS.get(node.tag, ()) if not node.attrs else ()
        if signs:
            edge = parent and (n == 0 or n == last) and parent[0] == signs[0][0]
            chosen[number] = signs[-1] if edge else signs[0]
        _guess(node.children, chosen.get(number, ""), chosen, count)


def _surely_read_back(nodes: Markup, in_emphasis: bool) -> bool:
    """Whether the first guess reads back without asking the parser: words with no sign
    Markdown knows, and each bold, italic or strike with a letter or digit at both its inner
    ends and words (never another emphasis) beside it. Then every delimiter run is one span's,
    flanked as CommonMark wants, and nested runs of one sign are told apart by the rule of 3."""
    for n, node in enumerate(nodes):
        if isinstance(node, str):
            if not _PLAIN.fullmatch(node):
                return False
            continue
        if node.tag in _EMPHASIS and not node.attrs:
            kids = node.children
            first, last = (kids[0], kids[-1]) if kids else ("", "")
            if not (isinstance(first, str) and first[:1].isalnum()):
                return False
            if not (isinstance(last, str) and last[-1:].isalnum()):
                return False
            for side in (n - 1, n + 1):
                beside = nodes[side] if 0 <= side < len(nodes) else None
                if isinstance(beside, Span) or (beside is None and in_emphasis):
                    return False
            if not _surely_read_back(kids, True):
                return False
        elif not _surely_read_back(node.children, False):
            return False
    return True


def to_markdown(nodes: Markup) -> str:
    """The tree as a stored value: Markdown for each bold, italic and strike that reads back as
    the same tree, a kept tag for the others, so that `from_markdown(to_markdown(t)) == t`."""
    nodes = tidy(nodes)
    if all(isinstance(n, str) for n in nodes):
        words = "".join(n for n in nodes if isinstance(n, str))
        if _PLAIN.fullmatch(words):
            return words
    guess: dict[int, str] = {}
    _guess(nodes, "", guess, [0])
    written = _write_md(nodes, guess, False, [0])
    if _surely_read_back(nodes, False):
        return written  # no parse for the usual cue
    if len(written) > LONG_VALUE:  # a whole file in one cue: no Markdown, every sign escaped
        return _write_md(nodes, {}, True, [0])
    if from_markdown(written) == nodes:
        return written
    # Otherwise span by span, outermost first: Markdown where it reads back, a kept tag not
    # (with many spans, kept tags for all: each try is a parse).
    spans = list(_spans(nodes))
    for everything in (False, True):
        chosen: dict[int, str] = {}
        if from_markdown(_write_md(nodes, chosen, everything, [0])) != nodes:
            continue
        for number, span in enumerate(spans if len(spans) <= MANY_SPANS else ()):
            if span.attrs or span.tag not in _EMPHASIS:
                continue
            for delimiter in _EMPHASIS[span.tag]:
                trial = {**chosen, number: delimiter}
                if from_markdown(_write_md(nodes, trial, everything, [0])) == nodes:
                    chosen = trial
                    break
        return _write_md(nodes, chosen, everything, [0])
    return _write_md(nodes, {}, True, [0])


# ---- cues and plain text ----------------------------------------------------------------------


def _escape_cue(text: str, vtt: bool) -> str:
    if vtt:  # WebVTT's escapes for every '&', '<' and '>'
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # SubRip has no escapes of its own: only what Critique would read as a tag or an entity
    out = []
    for n, c in enumerate(text):
        if c == "<" and (_CUE_TAG.match(text, n) or _ANY_TAG.match(text, n)):
            out.append("&lt;")
        elif c == "&" and _ENTITY.match(text, n):
            out.append("&amp;")
        else:
            out.append(c)
    return "".join(out)


def to_cue(nodes: Markup, vtt: bool) -> str:
    """The tree as cue text. WebVTT keeps every tag; SubRip keeps <b>, <i>, <u>, <s> and
    <font> and gives the words of the others (voices, classes, languages, ruby)."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_escape_cue(node, vtt))
            continue
        inner = to_cue(node.children, vtt)
        if node.tag == "code":  # a cue cannot set code apart: it shows the backticks written
            out.append(f"{node.attrs}{inner}{node.attrs}")
        elif node.tag in (_VTT_TAGS if vtt else _SRT_TAGS):
            attrs = _escape_cue(node.attrs, vtt) if node.tag in ("v", "lang") else node.attrs
            out.append(f"<{node.tag}{attrs}>{inner}</{node.tag}>")
        else:
            out.append(inner)
    return "".join(out)


def plain(nodes: Markup) -> str:
    """The words only, every tag and Markdown sign gone (markers for editors, labels)."""
    return "".join(n if isinstance(n, str) else plain(n.children) for n in nodes)


def voices(nodes: Markup) -> list[str]:
    """The names of the voices (<v Name>) in the tree, each once, in reading order."""
    names = [s.attrs.split(" ", 1)[1] for s in _spans(nodes) if s.tag == "v" and " " in s.attrs]
    return list(dict.fromkeys(n for n in names if n))
