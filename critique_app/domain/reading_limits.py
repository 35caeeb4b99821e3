"""Reading files other programs (or people) made: limits end in a sentence, never a crash.

Every reader of a foreign file (annotations, vocabularies, trust lists, C2PA reports) reads
through `reading_limits(source)` and, for XML, `parse_xml`:

- nesting deeper than Python's stack allows (JSON `[[[[…`, a walker going down a tree)
  raises RecursionError; it becomes a UserError naming the file;
- a file larger than the memory (MemoryError) or than MAX_BYTES becomes a UserError too;
- XML with a DTD or entity declarations is refused before it is parsed, so entity expansion
  ("billion laughs") never happens and no external entity is ever fetched.

The readers build everything they return before anything is stored, so a refused file
changes nothing.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from critique_app.errors import UserError
from critique_app.i18n import _

MAX_BYTES = 512 * 1024 * 1024  # no annotation, vocabulary or trust file comes near this


def too_deep(source: str) -> str:
    return _(
        "{source} is nested too deeply to be read (lists, objects or elements inside one "
        "another deeper than Critique can follow, which no real file needs); nothing was "
        "changed."
    ).format(source=source)


def too_large(source: str, size: int | None = None) -> str:
    what = f" ({size / 1024 / 1024:.0f} MB)" if size else ""
    return _(
        "{source} is too large to be read{what}: it does not fit in the memory Critique may "
        "use for one file (at most {limit} MB); nothing was changed."
    ).format(source=source, what=what, limit=MAX_BYTES // 1024 // 1024)


def check_size(path: Path, source: str | None = None) -> None:
    """UserError when the file at `path` is larger than MAX_BYTES (unreadable: left to the
    reader, which says so in its own words)."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size > MAX_BYTES:
        raise UserError(too_large(source or path.name, size))


@contextlib.contextmanager
def reading_limits(source: str) -> Iterator[None]:
    """Turn recursion and memory limits hit while reading `source` into a UserError."""
    try:
        yield
    except RecursionError:
        raise UserError(too_deep(source)) from None
    except MemoryError:
        raise UserError(too_large(source)) from None


class _Declared(Exception):
    pass


def _refuse(*_args: object) -> None:
    raise _Declared


def declares_dtd(data: str | bytes) -> bool:
    """True when the XML declares a DTD or entities (whatever its encoding); expat stops at
    the declaration, before any entity is expanded or fetched."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except _Declared:
        return True
    except expat.ExpatError:
        return False  # not well-formed: the real parse says where
    return False


def parse_xml(data: str | bytes, source: str) -> ET.Element:
    """The root element of XML `data` from a foreign file named `source`.

    UserError for a DTD or entity declarations (refused, never expanded), for nesting or size
    beyond the limits; ET.ParseError (for the caller's own sentence) when it is not XML."""
    with reading_limits(source):
        if declares_dtd(data):
            raise UserError(
                _(
                    "{source} declares a DTD or XML entities, which Critique does not read (such "
                    "declarations are how XML entity attacks work); nothing was changed."
                ).format(source=source)
            )
        return ET.fromstring(data)
