"""What a marker handed to an editor says and which colour it wears, the same in every format.

Marker text is plain text: the Markdown annotators write is taken out, never escaped.

EDL, FCP 7 XML, FCPXML and OTIO markers all name a passage by its category and the text the
annotator wrote, so an editor in Resolve, Premiere or Final Cut reads the same words.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

from critique_app.i18n import _
from exporters.document import ExportItem
from exporters.markup import from_markdown, plain

# Heading and quote signs at the start of a line are Markdown's, not the annotator's words;
# list numbers and bullets are kept (they are words an editor reads).
_BLOCK_SIGN = re.compile(r"^\s{0,3}(?:#{1,6}[ \t]+|>[ \t]?)")


def plain_text(text: str) -> str:
    """Annotators write Markdown (`**without a cut**`, `*décor*`) and values keep subtitle tags
    (`<u>`, `<font color="red">`); an editor's marker shows text as typed, so the signs and
    tags are taken out (not escaped) through the same tree as every other writer: the words
    stay, line by line."""
    return "\n".join(plain(from_markdown(_BLOCK_SIGN.sub("", line))) for line in text.splitlines())


def one_line(text: str, limit: int = 120) -> str:
    """EDL comments and marker names are one line each: no newlines, no control characters."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())[:limit]


def marker_text(annotation: Any, category_label: str) -> str:
    """'Category: value' for an annotation; the value falls back to the note's first line.

    `value` (the text the annotator wrote) is read with getattr so that this works whether or
    not the model has the field yet.
    """
    value = str(getattr(annotation, "value", "") or "").strip() if annotation else ""
    if not value and annotation is not None:
        note = (annotation.note or "").strip()
        value = note.splitlines()[0].strip() if note else ""
    value = one_line(plain_text(value))
    if category_label and value:
        return f"{category_label}: {value}"
    return category_label or value


def item_marker_text(item: ExportItem) -> str:
    """The marker text of an item; a plain range falls back to its notes, its prompt, 'Passage n'."""
    text = marker_text(item.annotation, item.category_label)
    if not text:
        for extra in (item.notes, item.prompt):
            if extra.strip():
                text = one_line(plain_text(extra.strip().splitlines()[0]))
                break
    return text or _("Passage {number}").format(number=item.position)


@dataclass(frozen=True)
class MarkerColour:
    """One colour under the names each consumer knows (OTIO/Avid LOC, Resolve)."""

    otio: str
    resolve: str


# Avid's locator colours, which OTIO's EDL reader knows, each with Resolve's name for it.
PALETTE = (
    MarkerColour("BLUE", "Blue"),
    MarkerColour("RED", "Red"),
    MarkerColour("GREEN", "Green"),
    MarkerColour("CYAN", "Cyan"),
    MarkerColour("MAGENTA", "Fuchsia"),
    MarkerColour("YELLOW", "Yellow"),
)


def marker_colour(item: ExportItem) -> MarkerColour:
    """A stable colour per category (blue when there is none), the same on every export."""
    if item.category is None:
        return PALETTE[0]
    return PALETTE[zlib.crc32(item.category.key.encode()) % len(PALETTE)]
