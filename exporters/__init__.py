"""Reading and writing annotation files, one module per format, behind one registry.

The registry (exporters/registry.py, formats declared in exporters/formats.py) names every
format with its extensions, MIME types, sniffer, reader and writer, and what it keeps and leaves
out; a format's module is imported only when it is used, so listing formats (for `--help` or a
menu) stays instant. `get`, `names` and `all_exporters` are the export side of it.
"""

from __future__ import annotations

from exporters.file_format import Format, Kept, WriteFunction
from exporters.registry import get, names, readers, writers

Exporter = Format  # an export format: the name the export code has always used


def all_exporters() -> list[Format]:
    """The formats Critique exports to, in the order they are offered."""
    return writers()


__all__ = [
    "Exporter",
    "Format",
    "Kept",
    "WriteFunction",
    "all_exporters",
    "get",
    "names",
    "readers",
    "writers",
]
