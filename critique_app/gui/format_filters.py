"""The file dialogs' filters for importing and exporting annotations, from the one format
registry (exporters/registry.py): a format added there is offered here at once."""

from __future__ import annotations

import exporters
from critique_app.i18n import _
from exporters import registry
from exporters.text_decoding import ENCODING_CHOICES


def _patterns(fmt: exporters.Format) -> str:
    return " ".join(f"*{ext}" for ext in fmt.extensions)


def import_filter() -> str:
    """Every file Critique imports first, then each format alone, then all files."""
    readers = exporters.readers()
    every = " ".join(dict.fromkeys(f"*{ext}" for f in readers for ext in f.extensions))
    lines = [_("Annotations ({patterns})").format(patterns=every)]
    lines += [f"{_(f.title)} ({_patterns(f)})" for f in readers]
    lines.append(_("All files (*)"))
    return ";;".join(lines)


def import_tip() -> str:
    """What File ▸ Import annotations… reads, for its tooltip and status tip: the menu keeps a
    short label, and the list of formats is the registry's, never a second one typed by hand."""
    return _("Import annotations from {formats}").format(formats=registry.reading_list())


def import_encodings() -> list[tuple[str | None, str]]:
    """The import dialog's encodings: detected by default (None), else the one a person
    names, given to the reader as `critique-app import --encoding` gives it."""
    return [(None, _("Automatic (detected)"))] + [
        (codec, _(words)) for codec, words in ENCODING_CHOICES
    ]


def import_formats() -> list[tuple[str | None, str]]:
    """The import dialog's formats: the file's extension (then its first bytes) by default
    (None), else the one a person names for a file whose name says nothing, given to the reader
    as `critique-app import --format` gives it."""
    return [(None, _("Automatic (from the file)"))] + [
        (f.name, f"{_(f.title)} ({' '.join(f.extensions)})") for f in exporters.readers()
    ]


def export_filter(fmt: exporters.Format) -> str:
    """The one format a save dialog writes: 'ELAN (*.eaf)'."""
    return f"{_(fmt.title)} ({_patterns(fmt)})"
