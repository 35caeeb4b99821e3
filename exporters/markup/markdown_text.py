"""An annotation's value as stored: Markdown where Markdown can say it (bold, italics, strike),
the other tags kept as written; read into the markup tree and written from it so that any tree
reads back the same."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt

from exporters.markup.tree import (
    KEPT_TAG,
    TAG,
    Builder,
    Markup,
    Span,
    canonical,
    spans,
    tidy,
)

# What Markdown can say itself, each with the delimiters to try (the second where the first
# would run into a neighbour: `**_x_**`, not `***x***`, for bold around italics).
_EMPHASIS = {"b": ("**", "__"), "i": ("*", "_"), "s": ("~~",)}
_EVERY_SIGN = re.compile(r"[!-/:-@\[-`{-~]")  # ASCII punctuation: each may be escaped
_SOME_SIGNS = re.compile(
    r"\\(?=[!-/:-@\[-`{-~\n]|\Z)"  # a backslash before punctuation or a line's end
    r"|&(?=#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"
    r"|<(?=" + TAG[1:] + r"|[A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@)",
    re.IGNORECASE,
)
_PLAIN = re.compile(r"[^\\*_~`\[\]<&!]*")  # words no Markdown sign or tag is in
# Past these, a value is written without trying Markdown span by span (each try is a parse).
LONG_VALUE = 100_000
MANY_SPANS = 24
# Characters of Unicode's private use areas: one the text does not hold marks its kept tags.
_SPARE = "".join(chr(c) for c in (*range(0xE000, 0xF900), *range(0xF0000, 0xFFFFE)))


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
    for match in KEPT_TAG.finditer(text):
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

    build = Builder()
    for token in _markdown().parseInline(source)[0].children or ():
        kind = token.type
        if kind == "text":
            pieces = placeholder.split(token.content) if kept else [token.content]
            for n, piece in enumerate(pieces):
                if n % 2 == 0:  # words; between them, the numbers of kept tags
                    build.text(piece)
                    continue
                match = kept[int(piece)]
                tag, attrs = canonical(match.group(2), match.group(3), match.group(4))
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
    every_span = list(spans(nodes))
    for everything in (False, True):
        chosen: dict[int, str] = {}
        if from_markdown(_write_md(nodes, chosen, everything, [0])) != nodes:
            continue
        for number, span in enumerate(every_span if len(every_span) <= MANY_SPANS else ()):
            if span.attrs or span.tag not in _EMPHASIS:
                continue
            for delimiter in _EMPHASIS[span.tag]:
                trial = {**chosen, number: delimiter}
                if from_markdown(_write_md(nodes, trial, everything, [0])) == nodes:
                    chosen = trial
                    break
        return _write_md(nodes, chosen, everything, [0])
    return _write_md(nodes, {}, True, [0])
