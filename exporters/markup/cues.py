"""Cue text (WebVTT, SubRip with ASS overrides) read into the markup tree and written from it."""

from __future__ import annotations

import re

from exporters.markup.tree import (
    ENTITY,
    KEPT_TAG,
    SPACED_BREAK,
    TAG,
    Builder,
    Markup,
    Node,
    Span,
    canonical,
    decode,
    tidy,
)

_CUE_TAG = re.compile(
    TAG + r"|<(\d+:)?\d{2}:\d{2}\.\d{3}>"  # a karaoke timestamp: timing, not markup
    r"|\{\\([^{}]*)\}",  # ASS/SSA override tags as SubRip files carry them: {\i1}, {\an8}
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_-]*)(?:[.\s][^<>]*)?>")
_ASS_STYLE = re.compile(r"\\([ibus])(\d+)")
# Most marked-up cues: one span at a time, of a tag written in lower case, with words and
# entities around it (`<i>Tu entends ?</i>`, `<v Léa>Oui.`, `<b>Stop</b> &amp; go`).
_FLAT_TAG = re.compile(r"<(/?)(i|b|u|s|c|v|lang)((?:\.[^\s.<>]+)*)(?:[ \t]([^<>]*))?>")
# Tags a subtitle file can carry: WebVTT's, plus SubRip's <s> and <font> (WebVTT readers
# ignore tags they do not know and keep the words, so Critique's own tags survive a trip).
_VTT_TAGS = frozenset({"b", "i", "u", "s", "c", "v", "lang", "ruby", "rt", "font"})
_SRT_TAGS = frozenset({"b", "i", "u", "s", "font"})


def _without_unknown_tags(text: str, vtt: bool) -> str:
    """A cue without the tags no subtitle reader knows (`<bad>`, `<invalid_tag par=5>`). The
    WebVTT parser ignores every one of them and keeps the words; SubRip players (VLC, MPC) hide
    one only when the cue closes it later, and show the others as typed, as Critique does."""
    unknown = [m for m in _ANY_TAG.finditer(text) if not KEPT_TAG.fullmatch(m.group(0))]
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
    flat = _flat_cue(text) if vtt and "{\\" not in text else None
    return flat if flat is not None else _read_tags(text, vtt)


def _read_tags(text: str, vtt: bool) -> Markup:
    """`from_cue` for any cue, tag by tag."""
    text = _without_unknown_tags(text, vtt)
    build = Builder()
    pos = 0
    for match in _CUE_TAG.finditer(text):
        build.text(decode(text[pos : match.start()]))
        pos = match.end()
        closing, name, classes, annotation, _stamp, override = match.groups()
        if override is not None:
            for style, value in _ASS_STYLE.findall("\\" + override):
                build.open(style) if value != "0" else build.close(style)
        elif name is not None:
            tag, attrs = canonical(name, classes, annotation)
            if not closing:
                build.open(tag, attrs)
            elif not build.close(tag) and not vtt:
                build.text(match.group(0))  # SubRip players show a tag closing nothing as text
    build.text(decode(text[pos:]))
    return tidy(build.done())


def _flat_cue(text: str) -> Markup | None:
    """`from_cue`'s tree for a WebVTT cue whose spans are one deep, each closed by its own tag
    or by the cue's end, without building it span by span (most cues with markup: a third of
    a large file's reading); None for any other cue (a '<' that is not such a tag, nesting, a
    tag closing another), which the general reading takes."""
    nodes: list[Node] = []
    words = ""  # the words outside any span since the last one
    opened: tuple[str, str] | None = None  # the open span's tag and attributes
    pos = 0
    for match in _FLAT_TAG.finditer(text):
        between = text[pos : match.start()]
        if "<" in between:
            return None
        pos = match.end()
        closing, name, classes, annotation = match.groups()
        if opened is None:
            words += between
            if closing:
                return None  # closes nothing: the general reading ignores it
            if words:
                nodes.append(words)
                words = ""
            opened = canonical(name, classes, annotation) if classes or annotation else (name, "")
        elif closing and name == opened[0]:
            nodes.append(_span(opened, between))
            opened = None
        else:
            return None  # nested, or closing another tag
    rest = text[pos:]
    if "<" in rest:
        return None
    if opened is not None:
        nodes.append(_span(opened, rest))  # closed by the cue's end
    elif words + rest:
        nodes.append(words + rest)
    return _flat_tidy(nodes)


def _span(opened: tuple[str, str], inner: str) -> Span:
    inner = decode(inner) if "&" in inner else inner
    if "\n" in inner:
        inner = SPACED_BREAK.sub("\n", inner)
    return Span(opened[0], opened[1], (inner,) if inner else ())


def _flat_tidy(nodes: list[Node]) -> Markup:
    """`tidy` for spans one deep whose words are tidy already: words decoded, no spaces around
    a line break, none at either end."""
    for n, node in enumerate(nodes):
        if isinstance(node, str):
            node = decode(node) if "&" in node else node
            nodes[n] = SPACED_BREAK.sub("\n", node) if "\n" in node else node
    if nodes and isinstance(nodes[0], str):
        nodes[0] = nodes[0].lstrip(" \t\n")
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] = nodes[-1].rstrip(" \t\n")
    return tuple(n for n in nodes if n != "")


def _escape_cue(text: str, vtt: bool) -> str:
    if vtt:  # WebVTT's escapes for every '&', '<' and '>'
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # SubRip has no escapes of its own: only what Critique would read as a tag or an entity
    out = []
    for n, c in enumerate(text):
        if c == "<" and (_CUE_TAG.match(text, n) or _ANY_TAG.match(text, n)):
            out.append("&lt;")
        elif c == "&" and ENTITY.match(text, n):
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
