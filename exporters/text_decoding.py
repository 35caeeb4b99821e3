"""One way to turn the bytes of an imported text file (subtitles, tables, JSON) into text.

Files come from Windows Notepad (UTF-16, with or without a byte-order mark), French and
Japanese subtitle editors (Windows-1252, Shift JIS) and spreadsheets; a person who knows the
encoding better than any guess can name it (`critique-app import --encoding`). The encoding
used is always returned in words, so that the import's summary can say it.
"""

from __future__ import annotations

import codecs

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
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs < 4 or len(raw) % 2:
        return None
    even = sum(1 for b in sample[0::2] if b == 0)
    odd = sum(1 for b in sample[1::2] if b == 0)
    for zeros, others, codec, label in (
        (odd, even, "utf-16-le", N_("UTF-16 (little-endian, without a byte-order mark)")),
        (even, odd, "utf-16-be", N_("UTF-16 (big-endian, without a byte-order mark)")),
    ):
        if zeros >= pairs * 0.4 and others <= pairs * 0.05:
            try:
                return raw.decode(codec), label
            except UnicodeDecodeError:
                return None
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
