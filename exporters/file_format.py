"""A file format as Critique knows it: the names people call it by, its files, and what it
keeps and leaves out on the way in (import) and on the way out (export).

Every list of formats (the import and export commands, the window's dialogs, the README's
table) is read from the registry of these (exporters/registry.py), so a format added there is
offered everywhere at once. The reader and writer modules are imported only when a file is
read or written: listing formats (for `--help` or a menu) stays instant.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exporters.document import ExportContext, ExportDocument, ImportedList, ImportedStream

WriteFunction = Callable[["ExportDocument", Path, "ExportContext"], None]


@dataclass(frozen=True)
class Kept:
    """What survives a crossing, in short English sentences people can check (the README's
    format table)."""

    keeps: tuple[str, ...]
    leaves_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    """One format: `name` on the command line (`--format eaf`), `title` as people know it
    (ELAN), its extensions (the first is the one written; none for a folder) and MIME types.

    `reader` / `writer` name the functions that read and write it, as 'module:function' under
    exporters (None when Critique does not); `sniff(head)` says how sure it is, from a file's first
    bytes, that the file is in this format (0 = not at all, 1 = certain)."""

    name: str
    title: str
    extensions: tuple[str, ...]
    mime_types: tuple[str, ...]
    description: str  # marked with N_(): what the format is for, shown through _()
    writer: str | None = None
    reader: str | None = None
    sniffer: Callable[[bytes], float] | None = None
    on_import: Kept | None = None
    on_export: Kept | None = None
    needs_stills: bool = False
    # the reader wants the film's rate (ELAN's milliseconds, subtitles' times as frames)
    reader_takes_rate: bool = False
    # the reader decodes text itself and takes a person's choice of encoding; ELAN's XML
    # names its own encoding in its declaration and the parser follows it
    reader_takes_encoding: bool = True
    # 'module:function' that reads the file a piece at a time (subtitles): its entries are
    # stored in batches as they come, never all held at once
    streamer: str | None = None
    # reading what Critique wrote gives back every field (the contract tests hold it to that)
    round_trip_keeps_everything: bool = False

    @property
    def extension(self) -> str:
        """The extension written ('' when the output is a folder)."""
        return self.extensions[0] if self.extensions else ""

    @property
    def writes_folder(self) -> bool:
        return self.writes and not self.extensions

    @property
    def reads(self) -> bool:
        return self.reader is not None

    @property
    def writes(self) -> bool:
        return self.writer is not None

    def load(self) -> WriteFunction:
        """The writing function, imported now."""
        if self.writer is None:
            raise KeyError(f"{self.name} is read, not written")
        return _function(self.writer)  # type: ignore[no-any-return]

    def write(self, doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
        self.load()(doc, out, ctx)

    def read(
        self, path: Path, rate: Fraction | None = None, encoding: str | None = None
    ) -> ImportedList:
        """The entries of the file at `path`, with the file's `info` beside them; every reader
        is called the same way here, whatever it takes."""
        if self.reader is None:
            raise KeyError(f"{self.name} is written, not read")
        function = _function(self.reader)
        kwargs: dict[str, Any] = {}
        if self.reader_takes_encoding:
            kwargs["encoding"] = encoding
        if self.reader_takes_rate:
            return function(path, rate, **kwargs)  # type: ignore[no-any-return]
        return function(path, **kwargs)  # type: ignore[no-any-return]

    def stream(
        self, path: Path, rate: Fraction | None = None, encoding: str | None = None
    ) -> ImportedStream:
        """The entries of the file at `path` as they are read (the streaming reader when the
        format has one, else the whole file read first)."""
        from exporters.document import ImportedFile, ImportedStream

        if self.streamer is None:
            found = self.read(path, rate, encoding)
            info = getattr(found, "info", None)
            if not isinstance(info, ImportedFile):
                info = next((e.source for e in found if e.source is not None), None)
            return ImportedStream.of(found, info)
        function = _function(self.streamer)
        kwargs: dict[str, Any] = {"encoding": encoding} if self.reader_takes_encoding else {}
        if self.reader_takes_rate:
            return function(path, rate, **kwargs)  # type: ignore[no-any-return]
        return function(path, **kwargs)  # type: ignore[no-any-return]

    def sniff(self, head: bytes) -> float:
        """How sure (0 to 1) this format is that a file beginning with `head` is its own."""
        return 0.0 if self.sniffer is None else self.sniffer(head)


def _function(reference: str) -> Any:
    """'elan_reader:read' -> exporters.elan_reader.read, imported now."""
    module, _sep, name = reference.partition(":")
    return getattr(importlib.import_module(f"exporters.{module}"), name)
