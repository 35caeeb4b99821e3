"""How sure each reading format is, from a file's first bytes, that the file is its own.

A guess from a few kilobytes only: it decides between formats that share an extension (a
`.json` file is W3C Web Annotation or a IIIF manifest) and names the likely format of a file
whose extension says nothing. The reader itself still checks the whole file, and refuses it
with a sentence when the guess was wrong.
"""

from __future__ import annotations

import codecs
import re

HEAD_SIZE = 8192  # bytes read to sniff: enough for an XML prolog, a JSON context, a header


def head_text(head: bytes) -> str:
    """The first bytes as text, whatever their encoding, for looking at their words: a
    byte-order mark is followed, UTF-16 without one is told by its NUL bytes, anything else is
    read byte by byte (Latin-1 never fails), so ASCII keywords are always found."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    sample = head[:200]
    if len(sample) > 1 and sample.count(0) * 3 >= len(sample):
        # every other byte NUL: UTF-16 from Windows Notepad, without its mark
        odd_nuls = sample[1::2].count(0) >= sample[0::2].count(0)
        return head.decode("utf-16-le" if odd_nuls else "utf-16-be", errors="replace")
    return head.decode("latin-1")


def elan(head: bytes) -> float:
    text = head_text(head)
    if "<ANNOTATION_DOCUMENT" in text:
        return 1.0
    return 0.1 if text.lstrip().startswith("<?xml") else 0.0


def webvtt(head: bytes) -> float:
    text = head_text(head).lstrip("\ufeff")
    if re.match(r"WEBVTT(?:[ \t\r\n]|$)", text):
        return 1.0
    # a cue timing with a full stop (mm:ss.ttt), the way WebVTT writes it
    return 0.3 if re.search(r"\d{2}:\d{2}\.\d{3}\s+-->", text) else 0.0


_SRT_CUE = re.compile(r"^\s*\d+\s*\r?\n\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->", re.MULTILINE)


def subrip(head: bytes) -> float:
    text = head_text(head).lstrip("\ufeff")
    if text.startswith("WEBVTT"):
        return 0.0
    if _SRT_CUE.match(text):
        return 0.95  # a number, then a timing line: how every SubRip file begins
    if _SRT_CUE.search(text):
        return 0.7
    return 0.3 if re.search(r"\d+:\d{2}:\d{2},\d{3}\s*-->", text) else 0.0


def _json_text(head: bytes) -> str | None:
    """The head when it opens a JSON object or array, else None."""
    text = head_text(head).lstrip("\ufeff \t\r\n")
    return text if text[:1] in ("{", "[") else None


def web_annotation(head: bytes) -> float:
    text = _json_text(head)
    if text is None:
        return 0.0
    if "w3.org/ns/anno.jsonld" in text or "www.w3.org/ns/oa" in text:
        return 0.9
    if re.search(r'"(?:@?type)"\s*:\s*"(?:oa:)?Annotation(?:Collection|Page)?"', text):
        return 0.7
    if "ldp:Container" in text or '"ldp:contains"' in text:
        return 0.6
    return 0.2  # other JSON: the reader looks for annotations anywhere inside


def iiif(head: bytes) -> float:
    text = _json_text(head)
    if text is None:
        return 0.0
    iiif_context = "iiif.io/api/presentation" in text
    manifest = re.search(r'"(?:@?type)"\s*:\s*"(?:sc:)?Manifest"', text) is not None
    if iiif_context and manifest:
        return 0.95
    if manifest:
        return 0.8
    # a IIIF annotation page or collection: W3C annotations under IIIF's context, read the same
    return 0.5 if iiif_context else 0.0


_DELIMITERS = ",;\t|"


def table(head: bytes) -> float:
    text = head_text(head).lstrip("\ufeff")
    if text[:1] in ("{", "[", "<") or text.startswith("WEBVTT"):
        return 0.0
    lines = [line for line in text.splitlines()[:6] if line.strip()]
    if len(lines) > 1 and not head.endswith(b"\n"):
        lines = lines[:-1]  # the last line may be cut by the head's size
    if not lines:
        return 0.0
    header = lines[0].lower()
    if all(column in header for column in ("in_frame", "out_frame")):
        return 0.95  # Critique's own table
    for delimiter in _DELIMITERS:
        count = lines[0].count(delimiter)
        if count and all(line.count(delimiter) >= count for line in lines[1:]):
            return 0.6
    return 0.05
