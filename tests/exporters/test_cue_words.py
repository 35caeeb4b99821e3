"""The short way a cue's text becomes a value (issue 23, streaming imports): a cue without
markup skips the tree, and a tidy tree is not tidied again. Both must give exactly what the
full way gives (read the cue as a tree, name its voices, write the tree as Markdown, escapes
included), on generated cues and on every cue of the foreign subtitle files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from exporters.markup import from_cue, to_markdown, voices
from exporters.markup.markdown_text import words_to_markdown
from exporters.subtitles import (
    any_cue_times,
    cue_milliseconds,
    cue_value,
    srt_seconds,
    vtt_seconds,
)

SUBTITLES = Path(__file__).resolve().parents[1] / "foreign" / "subtitles"
# Markdown's signs, spaces and line breaks around words, and now and then markup.
SIGNS = "ab é,.?'*_~`[]!#\\-+>|()"
MARKUP = ("<i>", "</i>", "<b>", "<v Léa>", "</v>", "&amp;", "&", "<", "{\\i1}", "<u>")


def full_way(text: str, vtt: bool) -> tuple[str, list[str]]:
    """The cue through the tree, as every cue went before the short ways."""
    tree = from_cue(text, vtt)
    names = voices(tree)
    whole = tree[0] if len(tree) == 1 and not isinstance(tree[0], str) else None
    if whole is not None and whole.tag == "v" and whole.attrs.startswith(" "):
        tree = whole.children
    return to_markdown(tree), names


words = st.text(alphabet=SIGNS + " \t\n", max_size=40)
cues = st.lists(st.one_of(words, st.sampled_from(MARKUP)), max_size=6).map("".join)


@settings(deadline=None)  # a busy machine is slow now and then
@given(words)
def test_words_give_the_value_the_tree_gives(text: str) -> None:
    assert words_to_markdown(text) == to_markdown((text,))
    assert cue_value(text) == full_way(text, True)


@settings(deadline=None)  # a busy machine is slow now and then
@given(cues, st.booleans())
def test_any_cue_gives_the_value_the_full_way_gives(text: str, vtt: bool) -> None:
    assert cue_value(text, vtt) == full_way(text, vtt)


def _cue_texts() -> list[tuple[str, bool]]:
    """The text of every block of the foreign subtitle files that is not a timing, a number or
    a header: real cues as other tools wrote them."""
    found = []
    for path in sorted(SUBTITLES.rglob("*")):
        if path.suffix not in (".vtt", ".srt"):
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue  # the encoding files: their cues are read in test_foreign_encodings
        for block in text.replace("\r\n", "\n").split("\n\n"):
            lines = [ln for ln in block.split("\n") if "-->" not in ln and not ln.isdigit()]
            if lines:
                found.append(("\n".join(lines), path.suffix == ".vtt"))
    return found


def test_every_real_cue_gives_the_value_the_full_way_gives() -> None:
    texts = _cue_texts()
    assert len(texts) > 100
    plain = [t for t, _vtt in texts if "<" not in t and "&" not in t and "{" not in t]
    assert len(plain) > 30  # the short way is taken, not only the tree's
    for text, vtt in texts:
        assert cue_value(text, vtt) == full_way(text, vtt), text


digits = st.text(alphabet="0123456789", min_size=1, max_size=3)
stamps = st.one_of(
    st.builds("{}:{}:{}.{}".format, digits, digits, digits, digits),
    st.builds("{}:{}.{}".format, digits, digits, digits),
    st.builds("{}:{}:{},{}".format, digits, digits, digits, digits),
)
spaces = st.sampled_from(["", " ", "\t", "  ", " \t"])


def _in_seconds(parsed: tuple[int, int, str] | None) -> tuple[Fraction, Fraction, str] | None:
    if parsed is None:
        return None
    start, end, settings = parsed
    return Fraction(start, 1000), Fraction(end, 1000), settings


@settings(deadline=None)  # a busy machine is slow now and then
@given(spaces, stamps, st.sampled_from([" --> ", "\t-->\t", " -->", "-->", " ->  "]), stamps)
def test_usual_timing_lines_give_the_times_the_general_way_gives(
    lead: str, start: str, arrow: str, end: str
) -> None:
    for extra in ("", " align:start", "x", "\t line:0%  ", " -->"):
        line = f"{lead}{start}{arrow}{end}{extra}"
        for seconds in (vtt_seconds, srt_seconds):
            assert _in_seconds(cue_milliseconds(line, seconds)) == any_cue_times(line, seconds), (
                line
            )
