"""Styled cues from other projects' test suites keep their markup through Critique (issue 23,
item 2): nested bold, italics, underline, strike, fonts, classes, voices, languages and ruby.

vtt.js's cue-text cases are compared with the DOM vtt.js's own processing model builds for them
(its `-proc.json` files); pysrt's SubRip capability tester (ale5000) with `srt`'s cues and an
HTML reading of each cue by Python's `html.parser`. Every file is then imported into a project,
exported as WebVTT and SubRip, and imported again: the same values, so the same markup.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import srt
import webvtt

from critique_app.services import export as service
from critique_app.services.import_annotations import import_file
from db.project import Project, memory_project
from exporters.markup import Markup, Span, from_cue, from_markdown, plain, tidy, to_cue
from tests.foreign.conftest import RATE, files

VTTJS = files("subtitles/markup/vttjs", "*.vtt")
CAPABILITY = files("subtitles/markup", "pysrt_capability_tester.srt")[0]
# A tag never closed by '>': the WebVTT parser makes the rest of the cue its annotation and the
# words vanish; Critique keeps them as text, so nothing typed is lost.
KEEPS_WORDS = {
    "lang_no-end-gt.vtt",
    "tag-format_end-tag-no-gt.vtt",
    "tag-format_no-closing-gt.vtt",
    "tag-format_start-tag-missing-gt.vtt",
    "voice_no-end-gt.vtt",
}


def _dom(node: dict[str, Any]) -> Markup:
    """The cue as vtt.js builds it: b/i/u/ruby/rt elements, spans for classes (className),
    voices (title) and languages (lang), text nodes."""
    out: list[Any] = []
    for child in node["childNodes"]:
        if "data" in child:
            out.append(child["data"].replace("\u00a0", " "))  # Critique reads &nbsp; as a space
            continue
        kids = _dom(child)
        classes = "".join(f".{c}" for c in child["className"].split())
        if child["localName"] != "span":
            out.append(Span(child["localName"], classes, kids))
        elif child["title"]:
            out.append(Span("v", f"{classes} {child['title']}", kids))
        elif child["lang"]:
            out.append(Span("lang", f"{classes} {child['lang']}", kids))
        else:
            out.append(Span("c", classes, kids))
    return tidy(tuple(out))


def _nameless_voice_as_class(nodes: Markup) -> Markup:
    """vtt.js writes <v> without a name as a span without a title, as it writes <c>."""
    return tuple(
        n
        if isinstance(n, str)
        else Span(
            "c" if n.tag == "v" and " " not in n.attrs else n.tag,
            n.attrs,
            _nameless_voice_as_class(n.children),
        )
        for n in nodes
    )


def _value_tree(project: Project) -> list[Markup]:
    """Each annotation's markup as stored, with its voice when one speaks the whole cue."""
    out = []
    for a in sorted(project.repo.annotations(), key=lambda a: a.range.start):
        tree = from_markdown(a.value)
        voices = [t[len("voice:") :] for t in a.tags if t.startswith("voice:")]
        if len(voices) == 1 and not any(
            isinstance(n, Span) and n.tag == "v" for n in tree
        ):  # stored as a tag
            tree = (Span("v", f" {voices[0]}", tree),)
        out.append(tree)
    return out


def _again(project: Project, fmt: str, folder: Path) -> tuple[Path, list[tuple]]:
    """The project's annotations exported in `fmt`, imported into a new project."""
    out = service.export(service.film_document(project, 1), fmt, folder / f"again.{fmt}")
    with memory_project() as fresh:
        fresh.repo.add_film("/films/f.mp4", sha256="e" * 64, size=1, rate=RATE, frame_count=10**6)
        import_file(fresh, out)
        values = [(a.value, a.tags, a.range) for a in fresh.repo.annotations()]
    return out, values


@pytest.mark.parametrize("path", VTTJS, ids=[p.name for p in VTTJS])
def test_vttjs_cue_text_as_vttjs_builds_it(project, path: Path, tmp_path: Path) -> None:
    (caption,) = webvtt.read(str(path))  # webvtt-py, for the raw cue text
    ours = from_cue(caption.raw_text)
    dom = json.loads(path.with_name(path.stem + "-proc.json").read_text("utf-8"))
    theirs = _dom(dom[0]["childNodes"][0])
    if path.name in KEEPS_WORDS:  # every word typed is kept, as text
        assert set(re.sub(r"<[^<>]*>", "", caption.raw_text).split()) <= set(plain(ours).split())
    else:
        assert _nameless_voice_as_class(ours) == theirs
    import_file(project, path)
    assert _value_tree(project) == [ours]
    before = [(a.value, a.tags, a.range) for a in project.repo.annotations()]
    out, after = _again(project, "vtt", tmp_path)
    assert [(v, t) for v, t, _r in after] == [(v, t) for v, t, _r in before]
    (again,) = webvtt.read(str(out))
    assert from_cue(again.raw_text) == ours


class _HTMLCue(HTMLParser):
    """A SubRip cue read as HTML, the way players treat it: b, i, u, s and font are markup
    (font attributes as written), any other tag is hidden, the words are kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, list]] = [("", "", [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("b", "i", "u", "s", "font"):
            shown = "".join(f' {k}="{v}"' for k, v in attrs)
            node: tuple[str, str, list] = (tag, shown, [])
            self.stack[-1][2].append(node)
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1][2].append(data)

    def tree(self) -> Markup:
        def freeze(items: list) -> Markup:
            return tuple(x if isinstance(x, str) else Span(x[0], x[1], freeze(x[2])) for x in items)

        return tidy(freeze(self.stack[0][2]))


def _html(cue: str) -> Markup:
    reader = _HTMLCue()
    reader.feed(cue)
    reader.close()
    return reader.tree()


def test_subrip_capability_tester(project, tmp_path: Path) -> None:
    text = CAPABILITY.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    cues = list(srt.parse(text))
    summary = import_file(project, CAPABILITY)
    assert summary.added == len(cues) == 37, summary.sentence(CAPABILITY.name)
    annotations = project.repo.annotations()
    for cue in cues:
        if not _plain_html(cue.content):
            continue  # ASS overrides, tags left open or closing nothing: checked below
        value = next(a.value for a in annotations if _same(a, cue))
        assert from_markdown(value) == _html(cue.content), (cue.index, value)
    values = {a.value for a in annotations}
    # Markdown where it can say it, kept tags for the rest, any nesting
    assert (
        "SubRip subtitles capability tester 1.3o by ale5000\n"
        "**_Use VLC 1.1 or higher as reference for most things and MPC Home Cinema for others_**\n"
        '<font color="#0000FF">This text should be blue</font>\n'
        '<font color="red">This text should be red</font>\n'
        '<font color="#000000">This text should be black</font>\n'
        '<font face="Webdings">If you see this with the normal font, the player don\'t (fully) '
        "support font face</font>"
    ) in values
    assert any(
        '<font size="30">**_<u>This text should be bold, italics and underline</u>_**</font>' in v
        for v in values
    )
    assert (
        "**This line should be bold**\n*This line should be italics*\n"
        "<u>This line should be underline</u>\n~~This line should be strikethrough~~\n"
        "<u>Both lines\nshould be underline</u>"
    ) in values
    assert any(
        v.startswith('<font color="#00FF00" size="6">This could be the <font size="35">m<font')
        for v in values
    )
    # tags no player knows: hidden when closed, shown as typed when not (VLC's behaviour)
    seven = next(v for v in values if v.startswith(">\nIt would be"))
    assert "hide invalid html tags that are closed and show the text in them\n" in seven
    assert "<invalid_tag_unclosed>but show un-closed" in seven
    assert "Show not opened tags</invalid_tag_not_opened>\n<" in seven
    assert "<u>This text should be showed underlined without problems also: 2<3,5>1,4<6</u>" in (
        next(v for v in values if v.startswith("and also"))
    )
    assert (  # {\an8}: a position, not kept
        "Implementation is the same of the ASS tag\nThis text should be at the\n"
        "top and horizontally centered"
    ) in values
    shown = {plain(from_markdown(v)): from_markdown(v) for v in values}
    assert (
        "It shouldn't be strikethrough,\nnot opened tag showed as text.</s>\n"
        "Not opened tag showed as text.</xxxxx>"
    ) in shown
    assert shown[
        "Both line should be strikethrough,\nyes.\nCorrectly closed tags\nshould be hidden."
    ]
    (struck,) = shown[
        "Three lines should be strikethrough,\nyes.\n<yyyy>Not closed tags showed as text"
    ]
    assert isinstance(struck, Span) and struck.tag == "s"
    (struck,) = shown[
        "Both line should be strikethrough but\nthe wrong closing tag should be showed</b>"
    ]
    assert isinstance(struck, Span) and struck.tag == "s"
    assert any("Show this: \\TEST and this: \\-)" in words for words in shown)  # not markup
    before = sorted((a.value, a.tags) for a in project.repo.annotations())
    _out, after = _again(project, "vtt", tmp_path)
    assert sorted((v, t) for v, t, _r in after) == before
    # SubRip: the same values (its timing line does not carry cue settings, kept as tags)
    _out, after = _again(project, "srt", tmp_path)
    assert sorted(v for v, _t, _r in after) == sorted(v for v, _t in before)


def _plain_html(cue: str) -> bool:
    """A cue whose every tag is closed, without ASS overrides or escapes."""
    names = re.findall(r"<(/?)([A-Za-z]\w*)", cue)
    opened = sorted(n.lower() for slash, n in names if not slash)
    return (
        "{" not in cue
        and "\\" not in cue
        and opened == sorted(n.lower() for slash, n in names if slash)
    )


def _same(annotation: Any, cue: srt.Subtitle) -> bool:
    words = re.sub(r"<[^<>]*>|\{\\[^{}]*\}", "", cue.content).split()
    return plain(from_markdown(annotation.value)).split() == words


EVERY = [
    p
    for p in files("subtitles", "*.vtt", "*.srt", "markup/*.srt", "markup/vttjs/*.vtt")
    if "invalid" not in p.name and "missing_timeframe" not in p.name
]


@pytest.mark.parametrize("fmt", ["vtt", "srt"])
@pytest.mark.parametrize("path", EVERY, ids=[p.name for p in EVERY])
def test_every_subtitle_file_round_trips_its_markup(
    project, path: Path, fmt: str, tmp_path: Path
) -> None:
    """Each file read, written as WebVTT or SubRip and read again: the same values (the same
    Markdown and kept tags), so the same markup in the same nesting. SubRip writes no classes,
    voices, languages or ruby: there, the words of those."""
    import_file(project, path)
    before = sorted((from_markdown(a.value) for a in project.repo.annotations()), key=repr)
    _out, after = _again(project, fmt, tmp_path)
    again = sorted((from_markdown(v) for v, _t, _r in after), key=repr)
    if fmt == "vtt":
        assert again == before
    else:
        assert again == sorted((from_cue(to_cue(t, False), False) for t in before), key=repr)
