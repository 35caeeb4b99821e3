"""A large W3C Web Annotation collection read an annotation at a time (issue 23, streaming
imports): the collection's own keys and each item of its pages are decoded one by one from
the text, so a 50 MB export never becomes one tree of dictionaries. Other documents (IIIF
manifests, LDP containers, a lone annotation) are read whole by `w3c.read`.

References (`{"type": "Annotation", "id": …}`, VIAN's and CLARIAH's pages) are resolved as the
whole reader resolves them: one whose annotation is written in full in a page is left for that
one, one whose annotation is written elsewhere in the file is replaced by it, and a reference
to nothing in the file is named in the file's notes once the file is read.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exporters import w3c
from exporters.document import ImportedFile, ImportedStream

_SPACE = re.compile(r"[ \t\n\r]*")
# The keys whose values are walked item by item, by the kind of document; every other key of
# the document is decoded whole (labels, totals, contexts: small).
_STREAMED = {"AnnotationCollection": ("first", "items"), "AnnotationPage": ("items", "next")}


class _Scanner:
    """JSON text walked by hand where it is large (objects' members, arrays' elements), each
    value in between decoded by the standard decoder."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.decoder = json.JSONDecoder()

    def peek(self) -> str:
        match = _SPACE.match(self.text, self.pos)
        assert match is not None  # the pattern matches the empty string
        self.pos = match.end()
        return self.text[self.pos : self.pos + 1]

    def take(self, wanted: str) -> str:
        found = self.peek()
        if found not in wanted:
            raise json.JSONDecodeError(f"Expecting one of '{wanted}'", self.text, self.pos)
        self.pos += 1
        return found

    def value(self) -> Any:
        self.peek()
        value, self.pos = self.decoder.raw_decode(self.text, self.pos)
        return value

    def members(self) -> Iterator[str]:
        """An object's keys; after each, the caller reads (or walks) its value."""
        self.take("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            self.take(":")
            yield str(key)
            if self.take(",}") == "}":
                return

    def elements(self) -> Iterator[None]:
        """An array's elements; at each, the caller reads (or walks) it."""
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield None
            if self.take(",]") == "]":
                return


def _items(
    scan: _Scanner, key: str | None, keys: Iterator[str], kind: str
) -> Iterator[tuple[Any, bool]]:
    """The values of the document's keys from `key` on, each with whether it is walked for
    annotations (an item of `items` at a time, a page given in full under `first` item by item
    too, a `next` page whole) or only searched for annotations written in full elsewhere."""
    while key is not None:
        if key == "items" and scan.peek() == "[":
            for _element in scan.elements():
                yield scan.value(), True
        elif key == "first" and kind == "AnnotationCollection" and scan.peek() == "{":
            yield from _items(scan, next(page := scan.members(), None), page, "AnnotationPage")
        else:  # a page given whole ('next') or an address is walked as it is
            yield scan.value(), key in _STREAMED[kind]
        key = next(keys, None)


def _annotations(
    values: Iterator[tuple[Any, bool]], canvases: dict[str, Any], info: ImportedFile
) -> Iterator[tuple[dict[str, Any], Any]]:
    """The annotations in the walked `values` in the order the whole reader gives them,
    references resolved (see the module's note) with those written anywhere in `values`."""
    listed: set[str] = set()  # written in full in a page: a reference to them adds nothing
    waiting: dict[str, Any] = {}  # referenced, not yet seen in full: their canvas
    elsewhere: dict[str, dict[str, Any]] = {}  # in full outside the pages, not yet referenced
    for value, walked in values:
        found: list[tuple[dict[str, Any], Any]] = []
        if walked:
            w3c._walk(value, w3c._Canvas(), canvases, found)
        for entry, canvas in found:
            ident = w3c._ident(entry)
            if not w3c._is_reference(entry):
                listed.add(ident)
                waiting.pop(ident, None)
                yield entry, canvas
            elif ident in listed:
                continue
            elif ident in elsewhere:
                listed.add(ident)
                yield elsewhere.pop(ident), canvas
            else:
                waiting.setdefault(ident, canvas)
        for ident, entry in w3c._full_annotations(value).items():
            if ident in listed:
                continue
            if ident in waiting:
                listed.add(ident)
                yield entry, waiting.pop(ident)
            else:
                elsewhere.setdefault(ident, entry)
    w3c.left_out(list(waiting), info)


def stream(path: Path, encoding: str | None = None) -> ImportedStream:
    """The annotations of a W3C collection or page as they are decoded (see the module's
    note); any other document read whole first, as `w3c.read` reads it."""
    text, used = w3c.text_of(path, encoding)
    scan = _Scanner(text)
    kind: Any = None
    key: str | None = None
    aside: list[tuple[Any, bool]] = []  # the document's keys before its pages
    try:
        keys = scan.members() if scan.peek() == "{" else iter(())
        for key in keys:
            if kind in _STREAMED and key in _STREAMED[kind]:
                break
            if key in ("first", "items"):  # its kind not known yet: the whole reader's
                key = None
                break
            value = scan.value()
            aside.append((value, False))
            if key in ("type", "@type"):
                kind = value
        else:
            key = None
    except json.JSONDecodeError:
        kind = None  # the whole reader says where the text goes wrong
    if kind not in _STREAMED or key is None:
        del text, scan
        whole = w3c.read(path, encoding)
        return ImportedStream.of(whole, whole.info)
    info = w3c.read_info(used)
    canvases: dict[str, Any] = {}

    def entries() -> Iterator[Any]:
        try:
            values = itertools.chain(aside, _items(scan, key, keys, kind))
            found = _annotations(values, canvases, info)
            yield from w3c.imported_from(found, canvases, path, info)
        except json.JSONDecodeError as err:
            raise w3c.not_json(path, err) from None

    return ImportedStream(info, entries(), len(text), lambda: scan.pos)
