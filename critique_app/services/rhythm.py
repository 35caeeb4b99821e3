"""The montage lens as a use-case: a film's shots, the transition that begins each one and its
rhythm (Cinemetrics' figures), from one decode. Shared by `critique-app shots`, the window's
Rhythm lane and its Compare the rhythm panel (both on the task runner, with this module's
progress and Cancel), so the three always count the same shots."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from critique_app.domain.rhythm import (
    ShotStatistics,
    Transition,
    shot_boundaries,
    shot_spans,
    shot_starts,
    shot_statistics,
    spans_within,
)
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services.fingerprinting import ShotList, detect_shots

if TYPE_CHECKING:
    from exporters.document import ExportDocument


@dataclass(frozen=True)
class FilmRhythm:
    found: ShotList  # the detector's own answer (cuts, crop, a decoding problem)
    rate: Fraction
    spans: list[tuple[int, int]]  # (first, last) frame of every shot
    statistics: ShotStatistics

    @property
    def transitions(self) -> list[Transition]:
        return self.found.transitions

    def opening_kinds(self) -> list[str | None]:
        """The kind of the transition that begins each shot (None: the film's first shot)."""
        starts = {frame: t.kind for frame, t in shot_boundaries(self.found.transitions)}
        return [starts.get(first) for first, _last in self.spans]

    def lengths_seconds(self) -> list[float]:
        return [float(Fraction(b - a + 1) / self.rate) for a, b in self.spans]

    def passage(self, first: int, last: int) -> FilmRhythm:
        """The rhythm of frames first..last only: the shots it overlaps, cut to its ends."""
        spans = spans_within(self.spans, first, last)
        statistics = shot_statistics([b - a + 1 for a, b in spans], self.rate)
        return FilmRhythm(self.found, self.rate, spans, statistics)


def rhythm_of(found: ShotList, rate: Fraction) -> FilmRhythm:
    """Shots end at every transition: at a cut, in the middle of a dissolve or a morph, in the
    middle of a fade out into a fade in (domain/rhythm.py)."""
    spans = shot_spans(shot_starts(found.transitions), found.frame_count)
    return FilmRhythm(found, rate, spans, shot_statistics([b - a + 1 for a, b in spans], rate))


def measure_rhythm(path: str | Path, progress: Progress = NO_PROGRESS) -> FilmRhythm:
    """A film's rhythm from its file (one decode to small grey frames)."""
    from critique_app.media.probe import probe

    info = probe(path)
    return rhythm_of(detect_shots(info.path, progress), info.rate)


def measure_rhythms(
    sides: list[tuple[str, tuple[int, int] | None]], progress: Progress = NO_PROGRESS
) -> list[FilmRhythm]:
    """The rhythm of each (film, passage or None for the whole film), each film decoded once
    (two passages of one film compared: one decode)."""
    measured: dict[str, FilmRhythm] = {}
    out = []
    for path, passage in sides:
        if path not in measured:
            measured[path] = measure_rhythm(path, progress)
        whole = measured[path]
        out.append(whole.passage(*passage) if passage is not None else whole)
    return out


def with_rhythm(doc: ExportDocument, progress: Progress = NO_PROGRESS) -> ExportDocument:
    """A handout document with each of its films' rhythm plot (`export --rhythm`): the drawing
    of `shots --plot`, one decode per film."""
    from dataclasses import replace

    from exporters.document import RhythmPlot
    from exporters.rhythm_plot import rhythm_png

    plots = []
    for film in doc.films:
        if not Path(film.path).is_file():
            raise UserError(
                _("The film {path} is missing: relink it in the project before exporting.").format(
                    path=film.path
                )
            )
        found = measure_rhythm(film.path, progress)
        png = rhythm_png(film.title, found.spans, found.transitions, found.statistics, found.rate)
        plots.append(RhythmPlot(film.title, png, found.statistics.shots))
    return replace(doc, rhythms=tuple(plots))
