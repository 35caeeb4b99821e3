"""Agreement of a class: where students' annotations of one film agree, and where they differ.

Coders are the annotations' authors (or their tiers). Units are the film's frames that at least
one coder marked; a coder's value at a frame is the category of their annotation covering it,
`none` when they left it unmarked. Reported: Krippendorff's alpha (nominal) overall and per
category (one category against the rest), Cohen's kappa and per-category frame IoU for each
pair of coders, and the passages with the most disagreement, ready to become a seminar.

Choices the issue left open, stated once here and in every report's notes:
- an annotation without a category is a value of its own, `uncategorised` (the student did
  mark the frames, so it is not `none`);
- where one coder's annotations overlap, the shortest one covering a frame gives its value
  (the most specific remark wins; equal lengths: the older annotation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from critique_app.domain.model import Film, FrameRange, Seminar, SeminarItem
from critique_app.errors import UserError
from critique_app.i18n import (
    N_,
    _,
    current,
    format_decimal,
    format_percent,
    ngettext,
    speaking,
)
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services import agreement_measures as measures
from exporters.document import AgreementSummary, ExportDocument

NONE_KEY = "none"
UNCATEGORISED_KEY = "uncategorised"
BY_CHOICES = ("author", "tier")
NO_AUTHOR = N_("(no author)")  # translated where the annotators are named


@dataclass(frozen=True)
class Coder:
    name: str
    annotations: int
    frames_marked: int


@dataclass(frozen=True)
class CategoryAgreement:
    key: str
    label: str
    alpha: float | None  # this category against the rest
    frames: int  # unit frames on which at least one coder gave it


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    kappa: float | None
    frames: int  # units both coders have a value on
    iou: dict[str, float | None]  # category key -> frame IoU (None: neither used it)


@dataclass(frozen=True)
class Disagreement:
    """A passage where coders differ, with what each of them said there."""

    range: FrameRange
    in_tc: str
    out_tc: str
    disagreement: float  # mean share of differing pairs of values, 0..1
    said: dict[str, str]  # coder -> the label they gave most over the passage

    def prompt(self) -> str:
        views = "; ".join(f"{who}: {what}" for who, what in self.said.items())
        return _("The class disagrees here ({share} of pairs differ). {views}.").format(
            share=f"{self.disagreement:.0%}", views=views
        )


@dataclass
class FilmAgreement:
    film: Film
    by: str
    coders: list[Coder]
    units: int  # frames at least one coder marked
    alpha: float | None
    categories: list[CategoryAgreement]
    pairs: list[PairAgreement]
    passages: list[Disagreement]
    notes: list[str] = field(default_factory=list)  # what was decided or left out, in sentences

    def sentence(self) -> str:
        n = len(self.coders)
        if self.by == "tier":
            who = ngettext("{count} tier", "{count} tiers", n).format(count=n)
        else:
            who = ngettext("{count} author", "{count} authors", n).format(count=n)
        if self.alpha is None:
            return ngettext(
                "{title}: Krippendorff's alpha cannot be computed ({who}, {units} frame marked).",
                "{title}: Krippendorff's alpha cannot be computed ({who}, {units} frames marked).",
                self.units,
            ).format(title=self.film.title, who=who, units=self.units)
        return ngettext(
            "{title}: Krippendorff's alpha {alpha} between {who} over {units} marked frame.",
            "{title}: Krippendorff's alpha {alpha} between {who} over {units} marked frames.",
            self.units,
        ).format(title=self.film.title, alpha=f"{self.alpha:.3f}", who=who, units=self.units)

    def to_json(self) -> dict[str, Any]:
        return {
            "film": {"id": self.film.id, "title": self.film.title, "frames": self.film.frame_count},
            "by": self.by,
            "coders": [c.__dict__ for c in self.coders],
            "units": self.units,
            "alpha": self.alpha,
            "categories": [c.__dict__ for c in self.categories],
            "pairs": [p.__dict__ for p in self.pairs],
            "passages": [
                {
                    "start": p.range.start,
                    "end": p.range.end,
                    "in": p.in_tc,
                    "out": p.out_tc,
                    "disagreement": round(p.disagreement, 6),
                    "said": p.said,
                }
                for p in self.passages
            ],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class _Rows:
    """A film's annotations as parallel lists (id order)."""

    coder_names: list[str]
    spans: measures.Spans
    labels: list[tuple[str, str]]  # value code - 1 -> (key, label)
    uncategorised: int
    clipped: int
    per_coder: list[int]


def _film(project: Any, film: Film | str | int) -> Film:
    if isinstance(film, Film):
        return film
    from critique_app.services.export import find_film

    return find_film(project, film)


def _tier_ids(project: Any, tiers: Sequence[str] | None) -> list[int] | None:
    if not tiers:
        return None
    known = {t.name: t for t in project.repo.tiers()}
    missing = [t for t in tiers if t not in known]
    if missing:
        names = ", ".join(f"'{n}'" for n in known) or "none"
        raise UserError(
            _("There is no tier {missing} in this project (tiers: {names}).").format(
                missing=", ".join(repr(m) for m in missing), names=names
            )
        )
    return [known[t].id or 0 for t in tiers]


def _rows(project: Any, film: Film, by: str, tier_ids: list[int] | None) -> _Rows:
    repo = project.repo
    tiers = repo.tiers()
    categories = {c.id: c for c in repo.categories()}
    rows = repo.annotation_spans(film.id or 0, tier_ids)
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    # Coders: tiers in their order (a chosen tier counts even when empty), authors by name.
    if by == "tier":
        present = set(columns[1]) | set(tier_ids or ())
        names = [t.name for t in tiers if t.id in present]
        code = {t.id: names.index(t.name) for t in tiers if t.id in present}
        coder = np.fromiter((code[t] for t in columns[1]), np.int64, len(rows))
    else:
        authors = [a or _(NO_AUTHOR) for a in columns[2]]
        names = sorted(set(authors))
        code = {n: i for i, n in enumerate(names)}
        coder = np.fromiter((code[a] for a in authors), np.int64, len(rows))
    category = np.fromiter((c if c in categories else 0 for c in columns[3]), np.int64, len(rows))
    used, value = np.unique(category, return_inverse=True)
    labels = [
        (categories[c].key, categories[c].label(current()))
        if c
        else (UNCATEGORISED_KEY, _("(no category)"))
        for c in used.tolist()
    ]
    start = np.asarray(columns[4], np.int64)
    end = np.asarray(columns[5], np.int64)
    last = film.frame_count - 1
    outside = end > last if last >= 0 else np.zeros(len(rows), bool)
    keep = start <= last if last >= 0 else np.ones(len(rows), bool)
    end = np.minimum(end, last) if last >= 0 else end
    spans = measures.Spans(coder[keep], start[keep], end[keep] + 1, value.reshape(-1)[keep] + 1)
    return _Rows(
        names,
        spans,
        labels,
        int((category == 0).sum()),
        int(outside.sum()),
        np.bincount(spans.coder, minlength=len(names)).tolist(),
    )


def film_agreement(
    project: Any,
    film: Film | str | int,
    *,
    by: str = "author",
    tiers: Sequence[str] | None = None,
    passages: int = 10,
    progress: Progress = NO_PROGRESS,
) -> FilmAgreement:
    """The agreement of the coders who annotated `film` (see the module docstring)."""
    if by not in BY_CHOICES:
        raise UserError(
            _("Agreement is measured by author or by tier, not by '{by}'.").format(by=by)
        )
    chosen = _film(project, film)
    progress.update(0, 3, _("Reading the annotations of {title}").format(title=chosen.title))
    rows = _rows(project, chosen, by, _tier_ids(project, tiers))
    progress.update(1, 3, _("Measuring agreement"))
    return measure(chosen, by, rows, passages)


def measure(film: Film, by: str, rows: _Rows, limit: int = 10) -> FilmAgreement:
    n_coders = len(rows.coder_names)
    n_values = len(rows.labels) + 1
    seg = measures.segment_values(rows.spans, n_coders)
    unit = seg.units
    values, length = seg.values[unit], seg.length[unit]
    counts = measures.value_counts(values, n_values)
    marked = [int(length[values[:, c] > measures.NONE].sum()) for c in range(n_coders)]
    coders = [Coder(name, rows.per_coder[c], marked[c]) for c, name in enumerate(rows.coder_names)]
    notes = _notes(rows, seg, by)
    report = FilmAgreement(film, by, coders, int(length.sum()), None, [], [], [], notes)
    if n_coders < 2:
        needs = (
            N_("Agreement needs at least two tiers; {title} has {count} with annotations here.")
            if by == "tier"
            else N_(
                "Agreement needs at least two authors; {title} has {count} with annotations here."
            )
        )
        notes.append(_(needs).format(title=film.title, count=n_coders))
        return report
    report.alpha = measures.nominal_alpha(counts, length)
    keys = [NONE_KEY] + [k for k, _ in rows.labels]
    for v, (key, label) in enumerate(rows.labels, start=1):
        report.categories.append(
            CategoryAgreement(
                key,
                label,
                measures.nominal_alpha(measures.one_against_rest(counts, v), length),
                int(length[counts[:, v] > 0].sum()),
            )
        )
    tables = measures.PairTables(values, length, n_values)
    for a in range(n_coders - 1):
        for b in range(a + 1, n_coders):
            kappa, frames, iou = tables.pair(a, b)
            report.pairs.append(
                PairAgreement(
                    rows.coder_names[a],
                    rows.coder_names[b],
                    kappa,
                    frames,
                    {keys[v]: iou[v] for v in range(1, n_values)},
                )
            )
    unit_seg = measures.Segments(seg.start[unit], length, values, 0, 0)
    shown = [NONE_KEY] + [label for _k, label in rows.labels]
    for p in measures.disagreement_passages(unit_seg, counts, limit=limit):
        said = {}
        for c, (value, _frames) in enumerate(
            measures.dominant_values(unit_seg, p.segments, n_values)
        ):
            said[rows.coder_names[c]] = shown[value] if value >= 0 else _("(not reviewed)")
        report.passages.append(
            Disagreement(
                FrameRange(p.start, p.end),
                film.timecode(p.start),
                film.timecode(p.end),
                p.disagreement,
                said,
            )
        )
    return report


def _notes(rows: _Rows, seg: measures.Segments, by: str) -> list[str]:
    notes = []
    if rows.uncategorised:
        notes.append(
            ngettext(
                "{count} annotation has no category: counted as the value '{value}', "
                "not as unmarked.",
                "{count} annotations have no category: counted as the value '{value}', "
                "not as unmarked.",
                rows.uncategorised,
            ).format(count=rows.uncategorised, value=UNCATEGORISED_KEY)
        )
    if seg.overlapped:
        if by == "tier":
            overlap = ngettext(
                "{count} annotation overlaps another one in the same tier: where they overlap, "
                "the shortest gives the value.",
                "{count} annotations overlap another one in the same tier: where they overlap, "
                "the shortest gives the value.",
                seg.overlapped,
            )
        else:
            overlap = ngettext(
                "{count} annotation overlaps another one by the same author: where they "
                "overlap, the shortest gives the value.",
                "{count} annotations overlap another one by the same author: where they "
                "overlap, the shortest gives the value.",
                seg.overlapped,
            )
        notes.append(overlap.format(count=seg.overlapped))
    if rows.clipped:
        notes.append(
            ngettext(
                "{count} annotation runs past the film's last frame: only the frames inside "
                "the film were counted.",
                "{count} annotations run past the film's last frame: only the frames inside "
                "the film were counted.",
                rows.clipped,
            ).format(count=rows.clipped)
        )
    return notes


def class_agreement(
    project: Any,
    *,
    film: str | int | None = None,
    by: str = "author",
    tiers: Sequence[str] | None = None,
    passages: int = 10,
    progress: Progress = NO_PROGRESS,
) -> list[FilmAgreement]:
    """Agreement on one film, or on every film of the project that has annotations."""
    if film is not None:
        return [
            film_agreement(project, film, by=by, tiers=tiers, passages=passages, progress=progress)
        ]
    films = [f for f in project.repo.films() if project.repo.count_annotations(f.id)]
    if not films:
        raise UserError(_("This project has no annotations: there is no agreement to measure."))
    return [
        film_agreement(project, f, by=by, tiers=tiers, passages=passages, progress=progress)
        for f in films
    ]


def add_disagreements_to_seminar(
    project: Any,
    reports: Iterable[FilmAgreement],
    seminar: str,
    *,
    limit: int | None = None,
    stack: Any = None,
) -> tuple[Seminar, list[SeminarItem]]:
    """The passages of most disagreement as items of seminar `seminar` (created if needed),
    each with a prompt saying who saw what; one undoable step."""
    from critique_app.services.seminars import Seminars

    service = Seminars(project, stack if stack is not None else project.undo)
    chosen: list[tuple[Film, Disagreement]] = []
    for report in reports:
        chosen += [(report.film, p) for p in report.passages]
    chosen.sort(key=lambda fp: -fp[1].disagreement * fp[1].range.length)
    chosen = chosen[:limit] if limit is not None else chosen
    if not chosen:
        raise UserError(_("There is no passage of disagreement to add to a seminar."))
    items = [
        SeminarItem(None, 0, -1, film.id or 0, p.range, None, p.prompt(), f"{p.in_tc} - {p.out_tc}")
        for film, p in chosen
    ]
    return service.add_many(seminar, items, label=N_("Add passages of disagreement"))


def with_agreement(
    project: Any, doc: ExportDocument, by: str = "author", language: str | None = None
) -> ExportDocument:
    """A handout document with an agreement section: the class's agreement on each of its
    films (films with fewer than two annotators say so in the section's notes), its words
    and numbers in the export's `language` (default: the one in use)."""
    from dataclasses import replace

    with speaking(language or current()):
        summaries = tuple(handout_summary(film_agreement(project, f, by=by)) for f in doc.films)
    return replace(doc, agreement=summaries)


def handout_summary(report: FilmAgreement) -> AgreementSummary:
    """The report as plain rows for the handout exporters."""

    def number(x: float | None) -> str:
        return _("n/a") if x is None or np.isnan(x) else format_decimal(x, 3)

    return AgreementSummary(
        film=report.film.title,
        by=report.by,
        coders=tuple(c.name for c in report.coders),
        units=report.units,
        alpha=number(report.alpha),
        categories=tuple((c.label, number(c.alpha), c.frames) for c in report.categories),
        pairs=tuple((p.a, p.b, number(p.kappa)) for p in report.pairs),
        passages=tuple(
            (
                p.in_tc,
                p.out_tc,
                p.range.length,
                format_percent(p.disagreement * 100, 0),
                "; ".join(f"{k}: {v}" for k, v in p.said.items()),
            )
            for p in report.passages
        ),
        notes=tuple(report.notes),
    )
