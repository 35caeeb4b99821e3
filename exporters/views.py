"""What a handout shows about each item and film, computed once for HTML, PDF and Markdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction

from jinja2 import Environment, FileSystemLoader, select_autoescape

from critique_app import i18n
from critique_app.domain.annotation_words import confidence_word, evidence_word, status_word
from critique_app.i18n import N_, _
from critique_app.paths import resource
from exporters.document import ExportDocument, ExportItem, ProvenanceSummary

# shown through _() in the export's language
KIND_LABELS = {
    "seminar": N_("Seminar"),
    "film": N_("Annotations of a film"),
    "selection": N_("Selection"),
}


def rate_text(rate: Fraction, language: str | None = None) -> str:
    """A frame rate as the export's language writes it: 25, 29.97, 23.976 (29,97 in French)."""
    return i18n.format_decimal(float(rate), 3, language, trim=True)


def duration_text(seconds: Fraction, language: str | None = None) -> str:
    """A passage's duration in the export's language: '2.50 s', '1 min 05.3 s' (French
    '2,50 s', '1 min 05,3 s')."""
    value = float(seconds)
    if value < 60:
        return _("{seconds} s").format(seconds=i18n.format_decimal(value, 2, language))
    minutes, rest = divmod(value, 60)
    return _("{minutes} min {seconds} s").format(
        minutes=int(minutes), seconds=i18n.format_decimal(rest, 1, language, padded_to=2)
    )


@dataclass(frozen=True)
class FilmView:
    title: str
    rate: str
    frames: int
    size: str
    provenance: ProvenanceSummary | None


@dataclass(frozen=True)
class ItemView:
    position: int
    heading: str
    film: str
    in_tc: str
    out_tc: str
    in_frame: int
    out_frame: int
    length: int
    duration: str
    still_frame: int
    still_tc: str
    category: str
    definition: str
    status: str
    confidence: str
    author: str
    tier: str
    evidence: str
    tags: tuple[str, ...]
    note_markdown: str
    item_notes: str
    prompt: str
    regions: int


def item_view(item: ExportItem, language: str = "en") -> ItemView:
    a = item.annotation
    category = item.category.label(language) if item.category else ""
    heading = category or (a.note.strip().splitlines()[0][:80] if a and a.note.strip() else "")
    return ItemView(
        position=item.position,
        heading=heading or f"{item.film.title}, {item.in_tc}",
        film=item.film.title,
        in_tc=item.in_tc,
        out_tc=item.out_tc,
        in_frame=item.range.start,
        out_frame=item.range.end,
        length=item.range.length,
        duration=duration_text(item.end_seconds - item.start_seconds, language),
        still_frame=item.still_frame,
        still_tc=item.film.timecode(item.still_frame),
        category=category,
        definition=item.category.definition(language) if item.category else "",
        status=_word(status_word, a.status if a else "", language),
        confidence=_word(confidence_word, a.confidence if a else "", language),
        author=a.author if a else "",
        tier=item.tier.name if item.tier else "",
        evidence=_word(evidence_word, (a.evidence or "") if a else "", language),
        tags=a.tags if a else (),
        note_markdown=a.note if a else "",
        item_notes=item.notes,
        prompt=item.prompt,
        regions=len(a.regions) if a else 0,
    )


def date_words(iso: str, language: str) -> str:
    """An ISO date ("2026-12-05", or a longer timestamp) as the export's language writes it:
    "5 December 2026", "5 décembre 2026"; anything else as it is."""
    from datetime import date

    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    with i18n.speaking(language):
        return i18n.format_date(day)


def _word(words: Callable[[str], str], code: str, language: str) -> str:
    """A stored code ("observed", "high") in the export's words, never the code itself."""
    if not code:
        return ""
    with i18n.speaking(language):
        return words(code)


def film_views(doc: ExportDocument, language: str | None = None) -> list[FilmView]:
    """The document's films as a handout shows them, numbers in `language` (default: the one
    the export speaks)."""
    views = []
    for film in doc.films:
        size = f"{film.width}×{film.height}" if film.width and film.height else ""
        provenance = doc.provenance.get(film.id) if film.id is not None else None
        if provenance is not None and provenance.checked_at:
            provenance = replace(
                provenance,
                checked_at=date_words(provenance.checked_at, language or i18n.current()),
            )
        views.append(
            FilmView(film.title, rate_text(film.rate, language), film.frame_count, size, provenance)
        )
    return views


_ENV: Environment | None = None


def templates() -> Environment:
    """Jinja2 over resources/templates, autoescape ON for every template. The templates
    translate with `_()` and `ngettext()` (Jinja2's i18n extension, new-style: named
    %(placeholders)s, `num` for the count) through critique_app.i18n, in the language in use
    when they render (an exporter renders inside `i18n.speaking(ctx.language)`)."""
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=FileSystemLoader(str(resource("templates"))),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
        )
        # looked up at each call, so the language can change between two renders
        _ENV.install_gettext_callables(  # type: ignore[attr-defined]
            lambda message: i18n._(message),
            lambda singular, plural, n: i18n.ngettext(singular, plural, n),
            newstyle=True,
        )
    return _ENV
