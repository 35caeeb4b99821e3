"""Nested markup round-trips (issue 23, item 2): a cue read into a project and written back
carries the same tags in the same nesting, whatever the nesting; the value keeps Markdown
where Markdown can say it and the other tags as written; markers get the words only.

The cues are written here by a small renderer of the test's own (not Critique's writer), read
with Critique's subtitle reader, and written again with its subtitle writers.
"""

from __future__ import annotations

import json
import tempfile
from fractions import Fraction
from pathlib import Path

import srt
import webvtt
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from critique_app.domain.model import Annotation, Film, FrameRange
from exporters import subtitles, w3c
from exporters.document import ExportContext, ExportDocument, ExportItem
from exporters.markers import plain_text
from exporters.markup import cues as cues_module
from exporters.markup import from_cue, from_markdown, plain, to_markdown

FILM = Film(1, "Film", "/films/a.mov", "ab" * 32, 1, Fraction(25), 100_000, drop_frame=False)
COLOURS = ("red", "#ff0000", "#00FF7f", "yellow")
# Letters Markdown, HTML and cues each give a meaning to, beside plain ones.
LETTERS = "ab é*_~`<>&\\[]!#-{}"

# A tree as the test writes it: a string, or (tag, attrs, children).
text = st.text(alphabet=LETTERS, min_size=1, max_size=6)
tag = st.one_of(
    st.sampled_from([("b", ""), ("i", ""), ("u", ""), ("s", ""), ("c", ".loud")]),
    st.sampled_from(COLOURS).map(lambda colour: ("font", f' color="{colour}"')),
)
trees = st.recursive(
    text | st.just("\n"),
    lambda inner: st.tuples(tag, st.lists(inner, max_size=4)).map(
        lambda t: (t[0][0], t[0][1], t[1])
    ),
    max_leaves=12,
)
cues = st.lists(trees, min_size=1, max_size=4)
# Words as most cues have them (no sign Markdown knows): the path that trusts its first guess.
wordy = st.recursive(
    st.text(alphabet="ab é,.?'", min_size=1, max_size=5) | st.just("\n"),
    lambda inner: st.tuples(tag, st.lists(inner, max_size=3)).map(
        lambda t: (t[0][0], t[0][1], t[1])
    ),
    max_leaves=10,
)


def render(nodes: list, vtt: bool) -> str:
    """Cue text as a subtitle editor writes it: closed tags, '&', '<', '>' escaped."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        elif not vtt and node[0] == "c":
            out.append(render(node[2], vtt))  # SubRip has no class spans: their words
        else:
            name, attrs, children = node
            out.append(f"<{name}{attrs}>{render(children, vtt)}</{name}>")
    return "".join(out)


def through_a_project(cue: str, vtt: bool, folder: Path) -> tuple[Annotation, str]:
    """The cue read from a file as an annotation, then the cue of the file written from it."""
    head = "WEBVTT\n\n" if vtt else "1\n"
    source = folder / ("in.vtt" if vtt else "in.srt")
    source.write_text(f"{head}00:00:01.000 --> 00:00:02.000\n{cue}\n", "utf-8")
    (entry,) = subtitles.read(source)
    annotation = entry.annotation
    item = ExportItem(1, FILM, FrameRange(25, 49), annotation)
    out = folder / ("out.vtt" if vtt else "out.srt")
    write = subtitles.write_vtt if vtt else subtitles.write_srt
    write(ExportDocument("Cues", (item,)), out, ExportContext())
    written = out.read_text("utf-8")
    body = written.split(" --> ", 1)[1].split("\n", 1)[1]
    return annotation, body.rstrip("\n")


def _shown(cue: str) -> bool:
    """What a cue can hold at all: no blank line, no spaces at a line's ends (no reader keeps
    them), no line break at its ends, no timing arrow, no ASS override."""
    lines = cue.split("\n")
    return (
        "-->" not in plain(from_cue(cue))  # written '→': a timing line may not start in a cue
        and "{\\" not in cue  # an ASS override ({\\an8}), read as one in any cue
        and all(line.strip() == line and line for line in lines)
        and not cue.startswith("\n")
    )


@settings(deadline=None)  # a file written and read per example; a busy machine is slow
@given(cues)
def test_any_nesting_round_trips_through_webvtt(nodes: list) -> None:
    cue = render(nodes, vtt=True)
    assume(_shown(cue) and plain(from_cue(cue)).strip())
    with tempfile.TemporaryDirectory() as folder:
        annotation, again = through_a_project(cue, True, Path(folder))
    assert again == cue, annotation.value
    assert from_markdown(annotation.value) == from_cue(cue)
    (caption,) = webvtt.from_string(f"WEBVTT\n\n00:01.000 --> 00:02.000\n{again}\n")
    assert caption.raw_text == cue  # one cue for webvtt-py too, its text intact


@settings(deadline=None)  # a file written and read per example; a busy machine is slow
@given(cues)
def test_any_nesting_round_trips_through_subrip(nodes: list) -> None:
    cue = render(nodes, vtt=False)
    assume(_shown(cue) and plain(from_cue(cue)).strip())
    with tempfile.TemporaryDirectory() as folder:
        annotation, again = through_a_project(cue, False, Path(folder))
    # SubRip has no escapes: Critique writes an entity only where a reader would see a tag
    assert from_cue(again) == from_cue(cue), (annotation.value, again)
    assert srt.make_legal_content(again) == again  # srt's own reader keeps it as one cue


@settings(deadline=None)  # a file written and read per example; a busy machine is slow
@given(st.one_of(cues, st.lists(wordy, min_size=1, max_size=4)))
def test_stored_markdown_reads_back_as_the_same_tree(nodes: list) -> None:
    tree = from_cue(render(nodes, vtt=True))
    assert from_markdown(to_markdown(tree)) == tree


def test_the_issue_examples(tmp_path: Path) -> None:
    cases = {
        "<b><i>x</i></b>": "**_x_**",
        "<i>it <b>nested</b></i>": "*it __nested__*",
        "<u>under</u> <font color=#FF0000>red</font> <s>gone</s>": (
            '<u>under</u> <font color="#FF0000">red</font> ~~gone~~'
        ),
        "<em>em</em> and <strong>strong</strong>": "*em* and **strong**",
    }
    for cue, value in cases.items():
        annotation, again = through_a_project(cue, True, tmp_path)
        assert annotation.value == value
        assert from_cue(again) == from_cue(cue)
    annotation, again = through_a_project("<i>it <b>nested</b></i>", False, tmp_path)
    assert again == "<i>it <b>nested</b></i>"


def test_voices_classes_and_ass_overrides(tmp_path: Path) -> None:
    one, again = through_a_project("<v Léa>Who <i>said</i> it?", True, tmp_path)
    assert one.value == "Who *said* it?" and "voice:Léa" in one.tags
    assert again == "<v Léa>Who <i>said</i> it?</v>"
    two, again = through_a_project("<v A>Hi</v> <v.loud B>Ho <c.x>ha</c></v>", True, tmp_path)
    assert two.value == "<v A>Hi</v> <v.loud B>Ho <c.x>ha</c></v>"
    assert {"voice:A", "voice:B"} <= set(two.tags)
    assert again == "<v A>Hi</v> <v.loud B>Ho <c.x>ha</c></v>"
    ass, again = through_a_project("{\\an8}{\\i1}Top{\\i0} line", False, tmp_path)
    assert ass.value == "*Top* line" and again == "<i>Top</i> line"


def test_literal_signs_stay_words(tmp_path: Path) -> None:
    cue = "5 * 3 &lt;u&gt; R&amp;D &amp;amp; \\o/ [x](y)"
    annotation, again = through_a_project(cue, True, tmp_path)
    assert plain(from_markdown(annotation.value)) == "5 * 3 <u> R&D &amp; \\o/ [x](y)"
    assert again == cue
    (caption,) = webvtt.read(str(tmp_path / "out.vtt"))
    assert caption.raw_text == cue  # webvtt-py, an independent reader, finds the same cue


def test_markers_give_the_words_of_the_same_tree() -> None:
    value = '**_x_** <u>under</u> <font color="red">red</font> ~~gone~~ <v A>Hi</v>'
    assert plain_text(value) == "x under red gone Hi"
    assert plain_text("## Title\n\\*not\\* `code`") == "Title\n*not* code"


def test_an_html_body_keeps_its_emphasis_and_goes_out_as_cue_tags(tmp_path: Path) -> None:
    """A W3C TextualBody in text/html (as the model's own example 5, with emphasis)."""
    body = (
        "<p>Le <em>décor</em> <strong>change <em>vite</em></strong> "
        '<u>ici</u>, <s>pas là</s>, <font color="red">rouge</font></p><p>second<br>line &amp; co'
        "<script>alert(1)</script></p>"
    )
    anno = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno5",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": body, "format": "text/html", "language": "fr"},
        "target": "http://example.org/film.mp4#t=1,2",
    }
    source = tmp_path / "anno.json"
    source.write_text(json.dumps(anno), "utf-8")
    (entry,) = w3c.read(source)
    value = entry.annotation.value
    assert value == (
        'Le *décor* **change _vite_** <u>ici</u>, ~~pas là~~, <font color="red">rouge</font>'
        "\n\nsecond\nline & co"
    )
    item = ExportItem(1, FILM, FrameRange(25, 49), entry.annotation)
    out = tmp_path / "out.vtt"
    subtitles.write_vtt(ExportDocument("Cues", (item,)), out, ExportContext())
    (caption,) = webvtt.read(str(out))
    assert caption.raw_text == (
        'Le <i>décor</i> <b>change <i>vite</i></b> <u>ici</u>, <s>pas là</s>, <font color="red">'
        "rouge</font>\nsecond\nline &amp; co"
    )


def test_hostile_cues_end_with_their_words(tmp_path: Path) -> None:
    """Nesting no reader needs, thousands of spans and a whole file in one cue: read, stored
    and written back without a crash (every function of the tree recurses), words kept."""
    deep = "<i><b>" * 3000 + "deep" + "</b></i>" * 3000
    many = " ".join(f"<i> x{n}</i><u>y</u>" for n in range(2000))
    long = "<b>bold</b> " + "5 * 3 < 4 & [a](b) " * 6_000  # past LONG_VALUE once escaped
    for cue in (deep, many, long):
        for vtt in (True, False):
            annotation, again = through_a_project(cue, vtt, tmp_path)
            assert plain(from_cue(again, vtt)) == plain(from_cue(cue, vtt))
            assert plain(from_markdown(annotation.value)) == plain(from_cue(cue, vtt))


FLAT_CUES = [
    "<i>Tu entends ?</i>\nNon.",
    " <v Léa> Oui \n alors",
    "<b>STOP</b> &amp; <i>go</i>!",
    "<c.loud.red>x</c> <lang en>hi</lang> <u></u>",
    "&nbsp;<i>_x_</i>&lrm;",
    "<v.loud Léa>a</v> et <v Max>b",
]


@settings(deadline=None)
@given(st.one_of(cues.map(lambda nodes: render(nodes, vtt=True)), st.sampled_from(FLAT_CUES)))
def test_one_pass_reading_gives_the_tag_by_tag_tree(cue: str) -> None:
    # the one-pass reading of most cues with markup must never differ from the general one
    flat = cues_module._flat_cue(cue)
    assert flat is None or flat == cues_module._read_tags(cue, True)
    assert from_cue(cue) == cues_module._read_tags(cue, True)
