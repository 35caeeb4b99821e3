"""One way to turn the bytes of an imported text file (subtitles, tables, JSON) into text.

Files come from Windows Notepad (UTF-16, with or without a byte-order mark), French and
Japanese subtitle editors (Windows-1252, Shift JIS) and spreadsheets; a person who knows the
encoding better than any guess can name it (`critique-app import --encoding`). The encoding
used is always returned in words, so that the import's summary can say it.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from critique_app.errors import UserError
from critique_app.i18n import N_, _

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", N_("UTF-32 (little-endian)")),
    (codecs.BOM_UTF32_BE, "utf-32-be", N_("UTF-32 (big-endian)")),
    (codecs.BOM_UTF8, "utf-8", N_("UTF-8 (with a byte-order mark)")),
    (codecs.BOM_UTF16_LE, "utf-16-le", N_("UTF-16 (little-endian)")),
    (codecs.BOM_UTF16_BE, "utf-16-be", N_("UTF-16 (big-endian)")),
)

ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1 (ISO-8859-1)",
    "iso8859_1": "Latin-1 (ISO-8859-1)",
    "iso8859_15": "Latin-9 (ISO-8859-15)",
    "utf_16": "UTF-16",
    "utf_16_le": N_("UTF-16 (little-endian)"),
    "utf_16_be": N_("UTF-16 (big-endian)"),
    "utf_32_le": N_("UTF-32 (little-endian)"),
    "utf_32_be": N_("UTF-32 (big-endian)"),
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "gb2312": "GB2312",
    "gb18030": "GB18030",
    "gbk": "GBK",
    "big5": "Big5",
    "shift_jis": "Shift JIS",
    "cp932": N_("Shift JIS (Windows, CP932)"),
    "euc_jp": "EUC-JP",
    "cp949": N_("Korean (CP949)"),
    "euc_kr": N_("Korean (EUC-KR)"),
    "mac_roman": "Mac Roman",
}


# The encodings a person may choose in the window's import dialog (codec, words), as
# `critique-app import --encoding` takes them: the ones subtitle and spreadsheet files come in.
# Detection is right most of the time; these are for when it is not (a Latin-9 file with €
# signs reads as Nordic Latin-6, a Mac file as Greek).
ENCODING_CHOICES: tuple[tuple[str, str], ...] = (
    ("utf-8", N_("UTF-8")),
    ("utf-16-le", N_("UTF-16, little-endian (Windows)")),
    ("utf-16-be", N_("UTF-16, big-endian")),
    ("cp1252", N_("Windows-1252 (Western)")),
    ("iso8859-15", N_("ISO-8859-15 (Western, with €)")),
    ("latin-1", N_("ISO-8859-1 (Latin-1)")),
    ("mac_roman", N_("Mac Roman (Western, older Macs)")),
    ("cp1250", N_("Windows-1250 (Central European)")),
    ("cp1251", N_("Windows-1251 (Cyrillic)")),
    ("shift_jis", N_("Shift JIS (Japanese)")),
    ("euc_jp", N_("EUC-JP (Japanese)")),
    ("cp949", N_("CP949 (Korean)")),
    ("gb18030", N_("GB18030 (Chinese, simplified)")),
    ("big5", N_("Big5 (Chinese, traditional)")),
)


def encoding_name(codec: str) -> str:
    """A codec in the words the summary uses ('cp1252' -> 'Windows-1252')."""
    try:
        codec = codecs.lookup(codec).name.replace("-", "_")
    except LookupError:
        pass
    return _(ENCODING_NAMES.get(codec, codec.replace("_", "-")))


def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file and its encoding in words. `encoding` (a person's choice) wins;
    else a byte-order mark, UTF-16 without one (told by its NUL bytes), UTF-8, Western
    European Windows-1252, Japanese Shift JIS, then charset-normalizer's best guess."""
    if encoding:
        return _chosen(raw, name, encoding)
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace"), label
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    for guess in (_western, _japanese):
        found = guess(raw)
        if found is not None:
            return found
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise UserError(
            _(
                "{name} is not text in any encoding Critique recognises (UTF-8, UTF-16, "
                "Windows-1252, Latin-1, Shift JIS...); if you know its encoding, name it "
                "(critique-app import --encoding ...). Nothing was imported."
            ).format(name=name)
        )
    return str(best), encoding_name(best.encoding)


def _chosen(raw: bytes, name: str, encoding: str) -> tuple[str, str]:
    try:
        found = codecs.lookup(encoding)
        if not getattr(found, "_is_text_encoding", True):
            raise LookupError(encoding)  # 'hex', 'zlib'... turn bytes into bytes
        codec = found.name
    except LookupError:
        raise UserError(
            _(
                "'{encoding}' is not an encoding Critique knows; try utf-8, utf-16, cp1252, latin-1, "
                "shift_jis, cp949 or gb18030. Nothing was imported."
            ).format(encoding=encoding)
        ) from None
    label = encoding_name(codec)
    if codec == "utf-8":
        codec = "utf-8-sig"  # a byte-order mark is not text
    for bom, bom_codec, _label in _BOMS:
        if codec == bom_codec and raw.startswith(bom):
            raw = raw[len(bom) :]
    try:
        return raw.decode(codec), label
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise UserError(
            _(
                "{name} is not {label} text: line {line} has bytes that {label} does not allow. "
                "Choose another encoding, or let Critique detect it. Nothing was imported."
            ).format(name=name, label=label, line=line)
        ) from None


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: text that is mostly ASCII (digits, arrows, Latin
    letters: subtitles and tables are) has a NUL in every other byte, the same side each time."""
    found = _utf16_pattern(raw[:4096], len(raw))
    if found is None:
        return None
    codec, label = found
    try:
        return raw.decode(codec), label
    except UnicodeDecodeError:
        return None


def _utf16_pattern(sample: bytes, size: int) -> tuple[str, str] | None:
    """The UTF-16 codec (and its words) whose NUL pattern the first bytes show, if any."""
    pairs = len(sample) // 2
    if pairs < 4 or size % 2:
        return None
    even = sum(1 for b in sample[0::2] if b == 0)
    odd = sum(1 for b in sample[1::2] if b == 0)
    for zeros, others, codec, label in (
        (odd, even, "utf-16-le", N_("UTF-16 (little-endian, without a byte-order mark)")),
        (even, odd, "utf-16-be", N_("UTF-16 (big-endian, without a byte-order mark)")),
    ):
        if zeros >= pairs * 0.4 and others <= pairs * 0.05:
            return codec, label
    return None


# Letters and signs of Western European subtitles (French, Spanish, German, Italian...): short
# files are where statistical detectors mistake Windows-1252 for Mac or Central European pages.
_WESTERN = set("àâäáãåæçéèêëíìîïñóòôöõøœùúûüÿßÀÂÄÁÃÅÆÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØŒÙÚÛÜŸ«»‘’“”…–—€°ºª¡¿·×\u00a0")


def _western(raw: bytes) -> tuple[str, str] | None:
    """Windows-1252 (or plain Latin-1) when every non-ASCII character it gives is Western."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if all(ch in _WESTERN for ch in text if ord(ch) > 127):
        latin1 = not any(0x80 <= b <= 0x9F for b in raw)
        return text, N_("Windows-1252 (also valid Latin-1)") if latin1 else "Windows-1252"
    return None


def _japanese(raw: bytes) -> tuple[str, str] | None:
    """Shift JIS when the bytes read as it and give hiragana or katakana: short Japanese
    subtitles are where charset-normalizer answers Korean (CP949). Korean bytes read as Shift
    JIS give half-width katakana instead, never the full-width kana of Japanese text."""
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        return None
    kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff")
    half_width = sum(1 for ch in text if "\uff61" <= ch <= "\uff9f")
    if kana and half_width <= kana // 10:
        try:
            return raw.decode("shift_jis"), "Shift JIS"
        except UnicodeDecodeError:
            return text, N_("Shift JIS (Windows, CP932)")
    return None


# ---- reading a large file a piece at a time ------------------------------------------------

CHUNK = 1 << 20  # bytes read at a time: a 50 MB subtitle file never sits whole in memory


class TextStream:
    """A text file's lines, decoded a megabyte at a time, with the encoding in words (known
    before the first line) and how many bytes have been read (for a progress bar)."""

    def __init__(self, path: Path, name: str, encoding: str | None = None) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.bytes_read = 0
        self._whole: str | None = None
        self._codec: str | None = None
        self.encoding = self._choose(name, encoding)
        # how many times a cue's arrow '-->' occurs: about how many cues the file holds
        self.arrows = self._whole.count("-->") if self._whole is not None else self._count()

    @property
    def streamed(self) -> bool:
        """Decoded piece by piece (not held whole)."""
        return self._whole is None

    def _choose(self, name: str, encoding: str | None) -> str:
        """The encoding, chosen as `decode` chooses it. A byte-order mark, or UTF-8 valid from
        the first byte to the last (checked in one pass that keeps nothing), is decoded piece
        by piece; any other file (a person's choice, UTF-16 without a mark, legacy pages,
        which come in small files) is decoded whole by `decode`, so it reads as before."""
        with self.path.open("rb") as file:
            head = file.read(4096)
        if not encoding:
            for bom, codec, label in _BOMS:
                if head.startswith(bom):
                    self._codec, self._skip = codec, len(bom)
                    return label
            # UTF-16 without a mark is valid UTF-8 too (its NULs are): it is told apart first
            if _utf16_pattern(head, self.size) is None and self._utf8_throughout():
                self._codec, self._skip = "utf-8", 0
                return "UTF-8"
        self._whole, label = decode(self.path.read_bytes(), name, encoding)
        return label

    def _utf8_throughout(self) -> bool:
        check = codecs.getincrementaldecoder("utf-8")()
        try:
            with self.path.open("rb") as file:
                while piece := file.read(CHUNK):
                    check.decode(piece)
                check.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return True

    def _count(self) -> int:
        assert self._codec is not None
        arrow = "-->".encode(self._codec)
        count, tail = 0, b""
        with self.path.open("rb") as file:
            while piece := file.read(CHUNK):
                count += (tail + piece).count(arrow)
                tail = piece[-(len(arrow) - 1) :]
        return count

    def _pieces(self) -> Iterator[str]:
        if self._whole is not None:
            self.bytes_read = self.size
            yield self._whole
            return
        assert self._codec is not None
        decoder = codecs.getincrementaldecoder(self._codec)(errors="replace")
        with self.path.open("rb") as file:
            file.seek(self._skip)
            self.bytes_read = self._skip
            while piece := file.read(CHUNK):
                self.bytes_read += len(piece)
                yield decoder.decode(piece)
            yield decoder.decode(b"", final=True)

    def lines(self) -> Iterator[str]:
        """The lines as `text.split('\\n')` gives them after CRLF and CR became LF and NUL
        became U+FFFD (as the WebVTT parser does): the last one is '' when the file ends
        with a line break. A line longer than a piece is joined once, not piece by piece."""
        partial: list[str] = []
        carried_cr = False
        for piece in self._pieces():
            if carried_cr:
                piece = "\r" + piece
                carried_cr = False
            if piece.endswith("\r"):  # its LF may begin the next piece
                piece, carried_cr = piece[:-1], True
            if not piece:
                continue
            piece = piece.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
            lines = piece.split("\n")
            if len(lines) == 1:
                partial.append(lines[0])
                continue
            partial.append(lines[0])
            line, partial = "".join(partial), []  # a 50 MB line is held once, not twice
            yield line
            yield from lines[1:-1]
            partial = [lines[-1]]
        if carried_cr:
            line, partial = "".join(partial), []
            yield line
        line, partial = "".join(partial), []
        yield line
