"""One translation system for every layer: GNU gettext catalogues, read and written with Babel.

Every sentence a user sees goes through `_()` (or `ngettext()` when it counts something, or
`pgettext()` when a short word needs its context), whole and with named placeholders:

    _("Exported to {name}.").format(name=path.name)
    ngettext("{count} film", "{count} films", n).format(count=n)

Tables built at import time (the window's actions, the exporters' descriptions) mark their texts
with `N_()` and translate them where they are shown. Why gettext and how to add a language:
docs/translation.md.

The catalogues live in resources/locale/<lang>/LC_MESSAGES/critique.po; the compiled .mo
beside each is built by scripts/i18n.sh compile (which the set-up of ./run-app, ./run-tests
and the bundle runs). A .po newer than its .mo (or one never compiled) is read directly with
Babel, so a translation being written is never hidden by an old .mo.

No Qt here: the window adds Qt's own catalogue (dialog buttons) in critique_app/gui/translation.py.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import io
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path

from critique_app.paths import resource

DOMAIN = "critique"
SOURCE = "en"  # the language the source is written in
PSEUDO = "qps"  # the pseudo-locale: every translated string wrapped in ⟦…⟧ (docs/translation.md)
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"
# The languages a user can choose, by their own name (Preferences, --language).
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
# The environment variables that name the user's language, strongest first (as gettext reads them).
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def locale_dir() -> Path:
    """resources/locale: critique.pot and one <lang>/LC_MESSAGES/critique.po per language."""
    return resource("locale")


def normalise(code: str | None) -> str | None:
    """`fr_FR.UTF-8`, `fr-CA`, `FR` -> "fr"; the pseudo-locale as itself; None for anything
    that names no language Critique has (C, POSIX, an unknown one)."""
    if not code:
        return None
    base = re.split(r"[_.@-]", code.strip(), maxsplit=1)[0].lower()
    if base == PSEUDO or base in LANGUAGES:
        return base
    return None


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the computer asks for: the first of LANGUAGE (a list: `fr:en`), LC_ALL,
    LC_MESSAGES, LANG that Critique has; English when none does."""
    env = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        for part in env.get(name, "").split(":"):
            found = normalise(part)
            if found is not None:
                return found
    return SOURCE


def choose(
    explicit: str | None = None,
    preference: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language to use: an explicit choice (--language) over the user's preference
    (Preferences; "system" is no preference) over the computer's language, else English."""
    for wanted in (explicit, preference):
        if wanted and wanted != "system":
            found = normalise(wanted)
            if found is not None:
                return found
    return system_language(environ)


class _Pseudo(_gettext.NullTranslations):
    """Wraps every string of the catalogue in ⟦…⟧ (spaces and line ends outside the marks),
    so that a screen or a --help where some text is not wrapped shows a string that never went
    through the catalogue: one not marked for translation, or marked but never extracted."""

    def __init__(self, known: frozenset[str]) -> None:
        super().__init__()
        self._known = known

    def _wrap(self, message: str) -> str:
        if message not in self._known:
            return message
        core = message.strip()
        if not core:
            return message
        start = message.index(core)
        return f"{message[:start]}{PSEUDO_OPEN}{core}{PSEUDO_CLOSE}{message[start + len(core) :]}"

    def gettext(self, message: str) -> str:
        return self._wrap(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._wrap(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self._wrap(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._wrap(msgid1 if n == 1 else msgid2)


def _known_messages() -> frozenset[str]:
    """Every msgid and msgid_plural of critique.pot (the pseudo-locale wraps these only)."""
    from babel.messages.pofile import read_po

    pot = locale_dir() / f"{DOMAIN}.pot"
    if not pot.is_file():
        return frozenset()
    with pot.open("rb") as f:
        catalog = read_po(f)
    known: set[str] = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        known.update(i for i in ids if i)
    return frozenset(known)


def _catalogue(language: str) -> _gettext.NullTranslations:
    """The translations of `language`: its .mo when it is up to date, else its .po compiled in
    memory; no translation (the source text) when the language has no catalogue."""
    if language == PSEUDO:
        return _Pseudo(_known_messages())
    folder = locale_dir() / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return _gettext.GNUTranslations(f)
    if po.is_file():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as f:
            catalog = read_po(f, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)  # fuzzy entries left out, as msgfmt does
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    return _gettext.NullTranslations()


class _State:
    language: str = SOURCE
    explicit: bool = False
    translations: _gettext.NullTranslations = _gettext.NullTranslations()


# An export in a language of its own (`speaking`) changes its own thread only: the window's
# thread goes on in the window's language while an export runs on a worker thread.
_thread = threading.local()


def _in_use() -> tuple[str, _gettext.NullTranslations]:
    """(language, translations) of this thread: its `speaking` block's, else the process's."""
    spoken = getattr(_thread, "spoken", None)
    return spoken if spoken is not None else (_State.language, _State.translations)


def use(language: str, *, explicit: bool = False) -> str:
    """Make `language` ("en", "fr", "qps") the one every `_()` answers in, from now on; the
    language in use (English for one Critique does not have). `explicit`: chosen on the command
    line, so the window's Preferences do not override it."""
    found = normalise(language) or SOURCE
    _State.translations = _gettext.NullTranslations() if found == SOURCE else _catalogue(found)
    _State.language = found
    _State.explicit = explicit
    return found


_loaded: dict[str, _gettext.NullTranslations] = {}


@contextlib.contextmanager
def speaking(language: str) -> Iterator[str]:
    """Every `_()` of this thread in `language` inside the block, then the language in use
    again: an export in its own language (`export --language fr` from an English command
    line, or from the window on a worker thread). The language inside the block."""
    found = normalise(language) or SOURCE
    if found not in _loaded:
        _loaded[found] = _gettext.NullTranslations() if found == SOURCE else _catalogue(found)
    before = getattr(_thread, "spoken", None)
    _thread.spoken = (found, _loaded[found])
    try:
        yield found
    finally:
        _thread.spoken = before


def current() -> str:
    """The language in use on this thread: "en", "fr", or the pseudo-locale."""
    return _in_use()[0]


def chosen_explicitly() -> bool:
    """True when --language chose the language (Preferences then change nothing)."""
    return _State.explicit


def _(message: str) -> str:
    """`message` in the language in use (the source text when it has no translation)."""
    return _in_use()[1].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence that counts `n` things, by the rules of the language in use
    (French: 0 and 1 take the singular)."""
    return _in_use()[1].ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` translated in `context`: for a short word that two places use differently."""
    return _in_use()[1].pgettext(context, message)


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it yet (a table built at import
    time); it is translated with `_()` where it is shown."""
    return message


def babel_locale() -> str:
    """The Babel locale for numbers and dates (the pseudo-locale counts like English)."""
    language = current()
    return "en" if language == PSEUDO else language


def join_items(items: Iterable[str]) -> str:
    """Items of a list inside a sentence, separated as the language writes it: "a; b" in
    English, "a ; b" in French (a no-break space before the semicolon)."""
    # Translators: the separator between the items of a list inside a sentence ("a; b").
    return _("; ").join(items)


def format_number(number: float | int) -> str:
    """`number` with the language's separators: 12,345.5 in English, 12 345,5 in French."""
    from babel.numbers import format_decimal

    return str(format_decimal(number, locale=babel_locale()))


def format_percent(percent: float, digits: int = 2) -> str:
    """A percentage as the language writes it: 12.5% in English, 12,5 % in French (a sentence
    never writes "{x}%" itself, and gettext never mistakes "% o" for a conversion)."""
    import re

    from babel import Locale
    from babel.numbers import format_percent as babel_format_percent

    locale = babel_locale()
    # the language's own pattern ("#,##0%" in English, "#,##0 %" in French, with its
    # no-break space), given up to `digits` decimals
    pattern = Locale.parse(locale).percent_formats[None].pattern
    if digits:
        pattern = re.sub(r"0(?=[^0#]*$)", "0." + "#" * digits, pattern, count=1)
    return str(babel_format_percent(percent / 100, format=pattern, locale=locale))


def format_decimal(
    value: float,
    digits: int = 2,
    language: str | None = None,
    *,
    trim: bool = False,
    padded_to: int = 1,
) -> str:
    """A decimal as `language` (default: the one in use) writes it, `digits` after the
    separator: 2.50 in English, 2,50 in French. `trim` drops trailing zeros (a rate: 29.97,
    23.976, 25); `padded_to` pads the whole part with zeros (seconds after minutes: 05.3)."""
    from babel.numbers import format_decimal as babel_format_decimal

    whole = "#,##0" if padded_to <= 1 else "0" * padded_to
    fraction = "." + ("#" if trim else "0") * digits if digits else ""
    if language is None:
        locale = babel_locale()
    else:
        found = normalise(language) or SOURCE
        locale = SOURCE if found == PSEUDO else found
    return str(babel_format_decimal(value, format=whole + fraction, locale=locale))


def format_date(day: date | datetime, style: str = "long") -> str:
    """A date as the language writes it: "4 December 2026", "4 décembre 2026"."""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(day, format=style, locale=babel_locale()))


def format_datetime(moment: datetime, style: str = "medium") -> str:
    """A date and time as the language writes them (timecodes are SMPTE and never pass here)."""
    from babel.dates import format_datetime as babel_format_datetime

    return str(babel_format_datetime(moment, format=style, locale=babel_locale()))
