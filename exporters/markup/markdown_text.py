"""An annotation's value as stored: Markdown where Markdown can say it (bold, italics, strike),
the other tags kept as written; read into the markup tree and written from it so that any tree
reads back the same."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt

from exporters.markup.tree import (
    KEPT_TAG,
    SPACED_BREAK,
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
# words Markdown reads as they are: no sign, an '&' that starts no entity, a '!' (no '[')
_SAFE_WORDS = re.compile(r"(?:[^\\*_~`\[\]<&]|&(?![#A-Za-z]))*")
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


def _surely_read_back(nodes: Markup, in_emphasis: bool, at_top: bool = True) -> bool:
    """Whether the first guess reads back without asking the parser: words with no sign
    Markdown knows (an '&' that starts no entity, a '!' no '[' follows are no signs), and each
    bold, italic or strike with words (never another emphasis) beside it and, at each inner
    end, a letter or digit, or another sign where a space or the value's edge is outside
    (`*Where?* No.`, subtitles' usual italics). Then every delimiter run is one span's, flanked
    as CommonMark wants, and nested runs of one sign are told apart by the rule of 3. Asking
    the parser instead costs a parse per cue: most of a 500,000-cue import."""
    for n, node in enumerate(nodes):
        if isinstance(node, str):
            if not _SAFE_WORDS.fullmatch(node):
                return False
            continue
        if node.tag in _EMPHASIS and not node.attrs:
            kids = node.children
            first, last = (kids[0], kids[-1]) if kids else ("", "")
            before = nodes[n - 1] if n > 0 else None
            after = nodes[n + 1] if n + 1 < len(nodes) else None
            if isinstance(before, Span) or isinstance(after, Span):
                return False
            if in_emphasis and (before is None or after is None):
                return False
            # outside: the words beside, or the value's edge ('') at the top only (inside a
            # kept tag, the tag is there; then only a letter or digit inside will do)
            edge = "" if at_top else "<"
            outside_before = before[-1:] if isinstance(before, str) else edge
            outside_after = after[:1] if isinstance(after, str) else edge
            if not (isinstance(first, str) and _opens(first[:1], outside_before)):
                return False
            if not (isinstance(last, str) and _opens(last[-1:], outside_after)):
                return False
            if not _surely_read_back(kids, True, False):
                return False
        elif not _surely_read_back(node.children, False, False):
            return False
    return True


def _opens(inner: str, outside: str) -> bool:
    """Whether a delimiter between `outside` (one character, '' at the value's edge) and
    `inner` (the span's first or last character) is flanked on the span's side only."""
    if inner.isalnum():
        return True
    return bool(inner) and not inner.isspace() and (outside == "" or outside.isspace())


def _flat_markdown(nodes: Markup) -> str | None:
    """The first guess written in one pass for spans one deep (most cues with markup), when it
    surely reads back as `_surely_read_back` tells; None for any other tree. Such words need
    no escape: `_SAFE_WORDS` holds none of the signs `_SOME_SIGNS` escapes."""
    out = []
    last = len(nodes) - 1
    for n, node in enumerate(nodes):
        if isinstance(node, str):
            if not _SAFE_WORDS.fullmatch(node):
                return None
            out.append(node)
            continue
        kids = node.children
        if len(kids) > 1 or node.tag in ("code", "a"):
            return None
        words = kids[0] if kids else ""
        if not isinstance(words, str) or not _SAFE_WORDS.fullmatch(words):
            return None
        signs = _EMPHASIS.get(node.tag) if not node.attrs else None
        if signs is None:
            out.append(f"<{node.tag}{node.attrs}>{words}</{node.tag}>")
            continue
        before = nodes[n - 1] if n > 0 else ""
        after = nodes[n + 1] if n < last else ""
        if isinstance(before, Span) or isinstance(after, Span):
            return None
        if not (_opens(words[:1], before[-1:]) and _opens(words[-1:], after[:1])):
            return None
        out.append(f"{signs[0]}{words}{signs[0]}")
    return "".join(out)


def to_markdown(nodes: Markup) -> str:
    """The tree as a stored value: Markdown for each bold, italic and strike that reads back as
    the same tree, a kept tag for the others, so that `from_markdown(to_markdown(t)) == t`."""
    return tidy_to_markdown(tidy(nodes))


def words_to_markdown(text: str) -> str:
    """`to_markdown((text,))` for words without markup (most subtitle cues), without building
    a tree: tidied as `tidy` does, then the same escapes."""
    words = (SPACED_BREAK.sub("\n", text) if "\n" in text else text).strip(" \t\n")
    if _PLAIN.fullmatch(words):
        return words
    return tidy_to_markdown((words,))


def tidy_to_markdown(nodes: Markup) -> str:
    """`to_markdown` of a tree already in `tidy`'s one form (as every reader gives it), without
    tidying it again."""
    if all(isinstance(n, str) for n in nodes):
        words = "".join(n for n in nodes if isinstance(n, str))
        if _PLAIN.fullmatch(words):
            return words
    flat = _flat_markdown(nodes)
    if flat is not None:
        return flat
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
