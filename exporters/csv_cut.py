"""A table whose file ends in the middle of its last row (a download or a copy cut short).

Python's csv reader takes such a row as it is: a note cut at the end of a quoted cell, or a
row with fewer cells than the header, comes in as if it were whole, and nothing says so. A
row the file ends inside of is found here, so the import can leave it out and name it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from critique_app.i18n import _, ngettext

T = TypeVar("T")


@dataclass(frozen=True)
class CutRow:
    """The last row of a file that ends inside it: the line it begins on, and how it is cut."""

    line: int
    open_quote: bool  # the file ends inside a quoted cell
    cells: int
    columns: int

    def note(self) -> str:
        """The clause of the import's summary that names it."""
        which = (
            _("line {line} ends inside a quoted cell").format(line=self.line)
            if self.open_quote
            else _("line {line} has {cells} of the {columns} columns").format(
                line=self.line, cells=self.cells, columns=self.columns
            )
        )
        return ngettext(
            "{count} row cut short at the end of the file: {which} (left out)",
            "{count} rows cut short at the end of the file: {which} (left out)",
            1,
        ).format(count=1, which=which)


def cut_row(text: str, delimiter: str, spaced: bool = False) -> CutRow | None:
    """The last row when the file ends inside it: inside a quoted cell, or (no line break
    after it) with fewer cells than the header. None when the file ends after a whole row."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=spaced)
    columns, last, begins, ended = 0, None, 1, 0
    for row in reader:
        if not columns:
            columns = len(row)
        elif row:
            last, begins = row, ended + 1
        ended = reader.line_num
    if last is None:
        return None
    if _ends_quoted("".join(lines[begins - 1 :]), delimiter, spaced):
        return CutRow(begins, True, len(last), columns)
    if not text.endswith(("\n", "\r")) and len(last) < columns:
        return CutRow(begins, False, len(last), columns)
    return None


def all_but_last(rows: Iterable[T]) -> Iterator[T]:
    """Every row but the last (the one cut short), read as they come."""
    it = iter(rows)
    previous = next(it, None)
    for row in it:
        yield previous  # type: ignore[misc]
        previous = row


def _ends_quoted(record: str, delimiter: str, spaced: bool) -> bool:
    """Whether the text of one row ends inside a quoted cell ('""' is a quote within it; a
    quote that does not begin a cell is only a character, as csv reads it)."""
    quoted, cell_start, i = False, True, 0
    while i < len(record):
        ch = record[i]
        if quoted:
            if ch == '"':
                if record.startswith('"', i + 1):
                    i += 1  # a doubled quote: one quote in the cell
                else:
                    quoted = False
        elif ch == '"' and cell_start:
            quoted, cell_start = True, False
        elif ch == delimiter or ch in "\r\n":
            cell_start = True
        elif not (spaced and cell_start and ch == " "):
            cell_start = False
        i += 1
    return quoted
