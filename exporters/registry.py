"""The one registry of formats: what the import and export commands, the window's dialogs and
the README's table all list (the formats themselves are declared in exporters/formats.py).

A file to import is read by the format its extension names; when several formats share the
extension (W3C Web Annotation and IIIF both write `.json`), the one whose sniffer is surest of
the file's first bytes reads it.
"""

from __future__ import annotations

from pathlib import Path

from critique_app.i18n import _
from exporters.file_format import Format
from exporters.formats import FORMATS
from exporters.sniffing import HEAD_SIZE

_BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}


def all_formats() -> list[Format]:
    """Every format, read or written, in the order they are offered."""
    return list(FORMATS)


def writers() -> list[Format]:
    """The formats Critique exports to."""
    return [f for f in FORMATS if f.writes]


def readers() -> list[Format]:
    """The formats Critique imports."""
    return [f for f in FORMATS if f.reads]


def names() -> list[str]:
    """The export formats' names, as `--format` takes them."""
    return [f.name for f in writers()]


def named(name: str) -> Format:
    """Any format, read or written, by its name (KeyError when there is none)."""
    return _BY_NAME[name]


def get(name: str) -> Format:
    """The export format called `name`; KeyError lists the known formats."""
    found = _BY_NAME.get(name)
    if found is None or not found.writes:
        raise KeyError(
            _("'{name}' is not an export format (choose from {formats}).").format(
                name=name, formats=", ".join(names())
            )
        )
    return found


def reading_extensions() -> list[str]:
    """Every extension a file to import may have, sorted, each once."""
    return sorted({ext for f in readers() for ext in f.extensions})


def sniff(head: bytes) -> list[tuple[Format, float]]:
    """Every reading format with how sure it is of a file beginning with `head`, surest first
    (the registry's order between equals)."""
    scored = [(f, f.sniff(head)) for f in readers()]
    return sorted(scored, key=lambda pair: -pair[1])


# Below this, a sniffer's guess is not said: any JSON is "maybe W3C" (0.2), any text "maybe a
# table" (0.05); a WebVTT timing line (0.3) is not enough either.
LIKELY = 0.5


def reader_names() -> list[str]:
    """The reading formats' names, as `import --format` takes them."""
    return [f.name for f in readers()]


def read_as(name: str) -> Format:
    """The reading format called `name`, as a person chose it; one sentence naming the choices
    when there is none."""
    found = _BY_NAME.get(name)
    if found is None or not found.reads:
        raise KeyError(
            _("'{name}' is not a format Critique imports (choose from {formats}).").format(
                name=name, formats=", ".join(reader_names())
            )
        )
    return found


def looks_like(head: bytes) -> Format | None:
    """The reading format a file beginning with `head` most likely is, whatever its name says;
    None when no sniffer is sure enough to say so."""
    best, confidence = sniff(head)[0]
    return best if confidence >= LIKELY else None


def reader_for(path: Path, head: bytes | None = None) -> Format | None:
    """The format that reads `path`: the one its extension names, the surest sniffer among
    those that share it; None when no format reads files with that extension."""
    suffix = path.suffix.lower()
    candidates = [f for f in readers() if suffix in f.extensions]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    if head is None:
        with path.open("rb") as file:
            head = file.read(HEAD_SIZE)
    return max(candidates, key=lambda f: f.sniff(head))  # the first of equals


def reading_list() -> str:
    """The formats Critique imports, as people know them: 'ELAN .eaf, WebVTT .vtt, …'."""
    return ", ".join(f"{_(f.title)} {' '.join(f.extensions)}" for f in readers())
