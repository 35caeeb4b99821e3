"""A bar's label is the value's words: Markdown signs and the subtitle tags a value keeps
(underline, font colour, voices) are taken out through the same tree as editors' markers."""

from __future__ import annotations

from critique_app.domain.model import Annotation, FrameRange
from critique_app.gui.timeline.timeline_presenter import bar_for


def test_a_styled_subtitle_value_labels_its_bar_with_words() -> None:
    value = '**_Nested_** <u>under</u> <font color="red">red</font> ~~gone~~ <v A>Hi</v>\nline 2'
    a = Annotation.create(1, 1, FrameRange(0, 10), value=value)
    assert bar_for(a, {}).label == "Nested under red gone Hi"


def test_a_note_heading_and_literal_signs() -> None:
    a = Annotation.create(1, 1, FrameRange(0, 10), note="## A *cut* \\*here\\* a > b\nmore")
    assert bar_for(a, {}).label == "A cut *here* a > b"
