"""Foreign text files in the encodings other tools save them in (issue 23): UTF-16 without a
byte-order mark, Shift JIS, UTF-16 JSON, WebVTT with NUL characters; `--encoding` overrides the
detection and the summary always names the encoding; a file that cannot be decoded is a
sentence. Each is checked against an independent reader (`srt`, `json`, the spec's rules)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
import srt

from critique_app.cli import main
from critique_app.domain.timecode import frame_to_seconds
from critique_app.errors import UserError
from critique_app.services.import_annotations import import_file
from db.project import Project, open_project
from tests.foreign.conftest import HERE, RATE

SAMPLE_SRT = HERE / "subtitles" / "webvttpy_sample.srt"
GB2312_SRT = HERE / "subtitles" / "srt_gb2312.srt"


def _reference(text: str) -> list[tuple[Fraction, str]]:
    """(start in seconds, words) of every cue, as the `srt` package reads them."""
    return [
        (Fraction(int(c.start.total_seconds() * 1000), 1000), c.content.strip())
        for c in srt.parse(text)
    ]


def _imported(project: Project) -> list[tuple[Fraction, str]]:
    found = sorted(project.repo.annotations(), key=lambda a: a.range.start)
    return [(frame_to_seconds(a.range.start, RATE), a.value) for a in found]


def _same(project: Project, reference: list[tuple[Fraction, str]]) -> None:
    got = _imported(project)
    assert [text for _s, text in got] == [text for _s, text in reference]
    for (start, _), (expected, _) in zip(got, reference, strict=True):
        assert abs(start - expected) <= 1 / RATE


@pytest.mark.parametrize(("codec", "words"), [("utf-16-le", "little"), ("utf-16-be", "big")])
def test_utf16_subtitles_without_a_byte_order_mark(
    project: Project, tmp_path: Path, codec: str, words: str
) -> None:
    """Before: read as Windows-1252, 0 cues and '1 block skipped'."""
    text = SAMPLE_SRT.read_text("utf-8")
    copy = tmp_path / "sample.srt"
    copy.write_bytes(text.encode(codec))  # no byte-order mark: Python writes none for -le/-be
    summary = import_file(project, copy)
    sentence = summary.sentence(copy.name)
    assert summary.skipped == 0, sentence
    assert f"read as UTF-16 ({words}-endian, without a byte-order mark)" in sentence
    _same(project, _reference(text))


JAPANESE = (
    "1\r\n00:00:01,200 --> 00:00:03,000\r\nこんにちは、元気ですか？\r\n\r\n"
    "2\r\n00:00:04,000 --> 00:00:06,500\r\nソフトウェアの表示を確認します。\r\n\r\n"
    "3\r\n00:00:07,000 --> 00:00:09,000\r\n東京駅で待っています\r\n"
)


def test_shift_jis_subtitles_are_read_as_japanese(project: Project, tmp_path: Path) -> None:
    """Before: charset-normalizer answered Korean (CP949) and the words were Hangul."""
    sheet = tmp_path / "japanese.srt"
    sheet.write_bytes(JAPANESE.encode("shift_jis"))  # 'ソ' and '表' end in 0x5C, a backslash
    summary = import_file(project, sheet)
    sentence = summary.sentence(sheet.name)
    assert "read as Shift JIS" in sentence and summary.skipped == 0, sentence
    _same(project, _reference(JAPANESE))


def test_kanji_without_kana_can_be_named(project: Project, tmp_path: Path) -> None:
    """Three kanji are too few for any detector (charset-normalizer answers Big5-HKSCS):
    naming the encoding reads them right, and the summary says which was used."""
    text = "1\r\n00:00:01,000 --> 00:00:02,000\r\n日本語\r\n"
    sheet = tmp_path / "kanji.srt"
    sheet.write_bytes(text.encode("shift_jis"))
    summary = import_file(project, sheet, encoding="shift_jis")
    assert "read as Shift JIS" in summary.sentence(sheet.name)
    _same(project, _reference(text))


def test_encoding_chosen_on_the_command_line_wins(tmp_path: Path, capsys) -> None:
    """`--encoding` reads a real GB2312 file as GB18030 and says so; a wrong choice and an
    unknown name are one sentence each, never a codec's message, and import nothing."""
    path = tmp_path / "p.critique"
    with open_project(path) as project:
        project.repo.add_film("/f.mp4", sha256="c" * 64, size=1, rate=RATE, frame_count=10**6)
    assert main(["import", str(path), str(GB2312_SRT), "--encoding", "gb18030"]) == 0
    err = capsys.readouterr().err
    assert "read as GB18030" in err
    with open_project(path) as project:
        got = sorted(project.repo.annotations(), key=lambda a: a.range.start)
        reference = _reference(GB2312_SRT.read_bytes().decode("gb2312"))
        assert [a.value for a in got] == [text for _s, text in reference]
    with open_project(path) as project:
        with pytest.raises(UserError) as wrong:
            import_file(project, GB2312_SRT, encoding="utf-8")
        with pytest.raises(UserError) as unknown:
            import_file(project, GB2312_SRT, encoding="klingon")
    assert "srt_gb2312.srt is not UTF-8 text: line " in str(wrong.value)
    assert "'klingon' is not an encoding Critique knows" in str(unknown.value)
    for message in (str(wrong.value), str(unknown.value)):
        assert "codec" not in message and "0x" not in message


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_utf16_json_web_annotations(project: Project, tmp_path: Path, codec: str) -> None:
    """Before: refused with "'utf-8' codec can't decode byte 0xff in position 0"."""
    source = HERE / "w3c" / "anno7.json"
    data = json.loads(source.read_text("utf-8"))
    copy = tmp_path / "anno7.json"
    copy.write_bytes(source.read_text("utf-8").encode(codec))
    summary = import_file(project, copy)
    sentence = summary.sentence(copy.name)
    assert summary.added == 1 and "read as UTF-16" in sentence, sentence
    (annotation,) = project.repo.annotations()
    assert annotation.value == data["body"]["value"]


def test_json_that_no_encoding_reads_is_a_sentence(project: Project, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"type": "Annotation", "body": "\xff\xfe\xfd\x80\x81 \x00\x9f"}\x00')
    with pytest.raises(UserError) as err:
        import_file(project, broken, encoding="utf-8")
    assert str(err.value).startswith("broken.json is not UTF-8 text")
    assert "codec" not in str(err.value)


# The cases of the web-platform-tests' nulls.vtt: NUL in the header, an identifier, cue
# settings and the cue text; the spec replaces each NUL with U+FFFD before parsing.
NULS = (
    b"WEBVTT\n\x00(null in header)\n\n"
    b"00:00:00.000 --> 00:00:01.000\ntext0\n\n"
    b"\x00 (null in id)\n00:00:01.000 --> 00:00:02.000\ntext1\n\n"
    b"\x00 (null in cue data)\n00:00:02.000 --> 00:00:03.000\n\x00text\x002\n\n"
    b"00:00:03.000 --> 00:00:04.000 \x00\ntext3\n\n"
    b"NOTE \x00\n\n"
    b"00:00:04.000 --> 00:00:05.000\n\x00\n\n"
    b"00:00:05.000 --> 00:00:06.000\ntext5\n\n"
    b"00:00:06.000 --> 00:00:07.000\n\x00\x00\x00\n"
)


def _spec_cues(raw: bytes) -> list[tuple[Fraction, str]]:
    """A hand reading of the spec: NUL -> U+FFFD, blocks with '-->' are cues, text after."""
    text = raw.decode("utf-8").replace("\x00", "\ufffd")
    cues = []
    for block in text.split("\n\n")[1:]:
        lines = block.split("\n")
        timing = next((n for n, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue
        h, m, s = lines[timing].split(" --> ")[0].split(":")
        start = Fraction(int(h) * 3600 + int(m) * 60) + Fraction(s)
        cues.append((start, "\n".join(lines[timing + 1 :]).rstrip("\n")))
    return cues


def test_webvtt_with_nul_characters_keeps_every_cue(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nulls.vtt"
    path.write_bytes(NULS)
    summary = import_file(project, path)
    sentence = summary.sentence(path.name)
    assert summary.added == 7 and summary.skipped == 0, sentence
    assert "read as UTF-8" in sentence
    _same(project, _spec_cues(NULS))
