"""Fitting imported annotations to their film and to each other: a span that runs past the
film's end is cut at the end (a IIIF range written to the next whole second, a chapter that
holds it), and a child whose parent was left out hangs from its nearest kept ancestor, so no
annotation keeps a parent that points nowhere. Both are said in the import's sentence."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from critique_app.domain.model import Annotation, Film, FrameRange
from critique_app.i18n import _, format_number, ngettext
from exporters.document import Imported
from exporters.markers import one_line, plain_text

SHOWN = 3  # examples named in a sentence


def clock(seconds: Fraction) -> str:
    """9:32.034, 2:01:18.422: a time as a person reads it in a sentence."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    if hours:
        return f"{hours}:{minutes:02d}:{whole:02d}.{millis:03d}"
    return f"{minutes}:{whole:02d}.{millis:03d}"


def _label(annotation: Annotation, tier: str) -> str:
    """An annotation named by its words, as a person reads them: the Markdown and the subtitle
    tags a value keeps (“*plan 1001* et **raccord** & <v Léa>voix”) taken out, as in an
    editor's marker."""
    value = annotation.value.strip()
    # the first line, cut before its signs are read (a cue can be 50 MB long)
    text = one_line(plain_text(value.splitlines()[0][:200])) if value else ""
    if not text:
        return _("an annotation of {tier}").format(tier=tier)
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _more(shown: str, count: int) -> str:
    more = count - SHOWN
    if more <= 0:
        return shown
    return shown + ngettext(" and {count} more", " and {count} more", more).format(
        count=format_number(more)
    )


@dataclass
class _AtTheEnd:
    """Annotations of one kind at a film's end, counted, the first few named with a time."""

    count: int = 0
    examples: list[str] = field(default_factory=list)
    # each film's end as a clock, by its frame count and rate
    film_ends: dict[tuple[int, Fraction], str] = field(default_factory=dict)

    def _note(self, example: Callable[[], str], film: Film) -> None:
        """Counted; named only while a sentence shows it: 300,000 cues of a subtitle file
        after a short film's end each cost a label read out of Markdown (25 s, issue 23)."""
        self.count += 1
        end = (film.frame_count, film.rate)
        if end not in self.film_ends:
            self.film_ends[end] = clock(Fraction(film.frame_count) / film.rate)
        if len(self.examples) < SHOWN:
            self.examples.append(example())

    def _film_end(self) -> str | None:
        ends = set(self.film_ends.values())
        return next(iter(ends)) if len(ends) == 1 else None  # else several

    def _which(self) -> str:
        return _more(", ".join(self.examples), self.count)


class PastTheEnd(_AtTheEnd):
    """Annotations that begin inside their film and end past it, cut at its last frame."""

    def cut(self, annotation: Annotation, entry: Imported, film: Film) -> Annotation:
        def example() -> str:
            times = entry.times()
            ended = (
                times[1] if times is not None else Fraction(annotation.range.end + 1) / film.rate
            )
            what = _label(annotation, entry.tier)
            return _("{what} ended at {ended}").format(what=what, ended=clock(ended))

        self._note(example, film)
        last = film.frame_count - 1
        return dataclasses.replace(annotation, range=FrameRange(annotation.range.start, last))

    def sentence(self) -> str:
        end = self._film_end()
        if end is None:
            return ngettext(
                "{count} annotation ran past the end of its film and was cut at the end: {which}",
                "{count} annotations ran past the end of their film and were cut at the end: "
                "{which}",
                self.count,
            ).format(count=format_number(self.count), which=self._which())
        return ngettext(
            "{count} annotation ran past the end of the film and was cut at its end "
            "({end}): {which}",
            "{count} annotations ran past the end of the film and were cut at its end "
            "({end}): {which}",
            self.count,
        ).format(count=format_number(self.count), end=end, which=self._which())


class AfterTheEnd(_AtTheEnd):
    """Annotations that begin at or after their film's end: nothing of them is in the film,
    so they are left out."""

    def leave_out(self, annotation: Annotation, entry: Imported, film: Film) -> None:
        def example() -> str:
            times = entry.times()
            began = times[0] if times is not None else Fraction(annotation.range.start) / film.rate
            what = _label(annotation, entry.tier)
            return _("{what} began at {began}").format(what=what, began=clock(began))

        self._note(example, film)

    def sentence(self) -> str:
        end = self._film_end()
        if end is None:
            return ngettext(
                "{count} annotation began after the end of its film and was left out: {which}",
                "{count} annotations began after the end of their film and were left out: {which}",
                self.count,
            ).format(count=format_number(self.count), which=self._which())
        return ngettext(
            "{count} annotation began after the end of the film ({end}) and was left out: {which}",
            "{count} annotations began after the end of the film ({end}) and were left out: "
            "{which}",
            self.count,
        ).format(count=format_number(self.count), end=end, which=self._which())


@dataclass
class Reattached:
    """Children whose parent was left out of the import (beyond the film, unreadable), now
    under their nearest kept ancestor, or at the top when none was kept."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        return ngettext(
            "{count} annotation whose parent was left out now hangs from its nearest kept "
            "ancestor: {which}",
            "{count} annotations whose parent was left out now hang from their nearest kept "
            "ancestor: {which}",
            self.count,
        ).format(count=format_number(self.count), which=_more(", ".join(self.examples), self.count))


def reattach(
    new: list[Annotation],
    found: Iterable[Imported],
    present: set[str],
    said: Reattached,
    stored: Callable[[str], Imported | None] | None = None,
) -> list[Annotation]:
    """`new` with every parent pointing at an annotation that exists: one of `new`, or one in
    `present` (the project's); a missing parent gives way to its own parent in the file, and
    so on up; none kept, the child goes to the top. `stored(uuid)` names a kept parent that
    `found` does not hold (an import stored in batches keeps only what it left out)."""
    added = {a.uuid for a in new}

    def kept(uuid: str) -> bool:
        return uuid in added or uuid in present

    if all(a.parent_uuid is None or kept(a.parent_uuid) for a in new):
        return new  # the usual case: nothing to look up
    entries: dict[str, Imported] = {}
    for one in found:
        entries.setdefault(one.annotation.uuid, one)

    def name(uuid: str) -> str:
        known = entries.get(uuid)
        if known is None and stored is not None:
            known = stored(uuid)
        if known is None:
            return _("an annotation already in the project")
        return _label(known.annotation, known.tier)

    out = []
    for a in new:
        up = a.parent_uuid
        seen: set[str] = set()
        while up is not None and not kept(up) and up not in seen:
            seen.add(up)
            above = entries.get(up)
            up = above.annotation.parent_uuid if above is not None else None
        if up in seen:
            up = None  # a loop of parents in the file, none of them kept
        if up != a.parent_uuid:
            said.count += 1
            if len(said.examples) < SHOWN:
                where = (
                    _("now under {parent}").format(parent=name(up))
                    if up is not None
                    else _("now at the top")
                )
                said.examples.append(f"{name(a.uuid)} ({where})")
            a = dataclasses.replace(a, parent_uuid=up)
        out.append(a)
    return out
