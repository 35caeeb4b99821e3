"""A film's stored perceptual matches, read back as full segments for the window's list.

The `matches` table keeps ranges and distances but not how many frames matched; that count
is re-derived from the stored fingerprints against the one library item, the same way
`match_film` found it, so a match turned into an annotation states what was measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from critique_app.domain.passage_words import playback_sentence
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.provenance.matching import MatchSegment, ReferenceLibrary
from db import fingerprint_store as store
from db.project import Project, open_project


@dataclass(frozen=True)
class StoredMatch:
    """One match as the window lists it: the segment and what the library item is."""

    segment: MatchSegment
    kind: str  # 'still' or 'clip'
    item_rate: Fraction | None  # clips: to show the item's range as a timecode
    item_path: str
    # the library original's Content Credentials summary (recovered by content), if any
    original_credentials: dict[str, Any] | None = None

    def playback(self, film_rate: Fraction | None) -> str:
        """How the passage shows the item, in the sentence `match` prints too."""
        return playback_sentence(
            self.segment,
            film_rate=film_rate,
            item_rate=self.item_rate,
            still=self.kind == "still",
        )


@dataclass(frozen=True)
class FilmMatches:
    """What the window's list shows of one film: its matches and, one sentence each, what
    its hashes (or the library's) were made too early to look for (as `match` says)."""

    film_id: int
    matches: list[StoredMatch]
    not_searched: list[str]


def film_matches(project: Project, film_id: int) -> FilmMatches:
    """The film's stored matches and what was not searched (nothing: never fingerprinted)."""
    from critique_app.services.fingerprinting import film_not_searched

    unsearched = film_not_searched(project, film_id, project.repo.get_film(film_id).title)
    return FilmMatches(film_id, stored_matches(project, film_id), unsearched)


def stored_matches(project: Project, film_id: int) -> list[StoredMatch]:
    """The film's matches in film order (empty when it was never matched): its fingerprints
    are read only then."""
    from critique_app.services.fingerprinting import reference_item, segments_of_prints

    rows = store.load_matches(project.db, film_id)
    if not rows:
        return []
    film = project.repo.get_film(film_id)
    prints = store.load_fingerprints(project.db, film_id)
    found: dict[tuple[int, int, int, str], MatchSegment] = {}
    items: dict[int, store.LibraryItem] = {}
    for item_id in sorted({int(r["library_item_id"]) for r in rows}):
        item = items[item_id] = store.get_library_item(project.db, item_id)
        if prints is None:
            continue
        library = ReferenceLibrary([reference_item(item)])
        for s in segments_of_prints(prints, library, film.rate):  # as match_film found them
            found[(s.item_id, s.start, s.end, s.variant)] = s
    out = []
    step = prints.step if prints is not None else 1
    for r in rows:
        item = items[int(r["library_item_id"])]
        key = (item.id, int(r["start_frame"]), int(r["end_frame"]), str(r["variant"]))
        segment = found.get(key) or MatchSegment(
            item.id,
            item.label,
            key[3],
            key[1],
            key[2],
            int(r["item_start"]),
            int(r["item_end"]),
            float(r["median_distance"]),
            int(r["worst_distance"]),
            int(r["threshold"]),
            # fingerprints gone or thresholds changed since: every sampled frame, at most
            (key[2] - key[1]) // step + 1,
            # and the speed the stored ranges give (the order is not stored: forward)
            speed=round((int(r["item_end"]) - int(r["item_start"])) / max(key[2] - key[1], 1), 3),
        )
        out.append(StoredMatch(segment, item.kind, item.rate, item.path, item.credentials))
    return out


def read_stored_matches(progress: Progress, project_path: str | Path, film_id: int) -> FilmMatches:
    """`film_matches` through a connection of its own (for a worker thread)."""
    progress.check()
    with open_project(project_path) as project:
        return film_matches(project, film_id)


def find_and_read_matches(
    progress: Progress = NO_PROGRESS,
    project_path: str | Path = "",
    film_path: str | Path = "",
) -> FilmMatches:
    """Fingerprint (or resume) and match the film, on a connection of its own (a worker):
    its matches as stored, and what was not searched."""
    from critique_app.services.fingerprinting import match_film

    with open_project(project_path) as project:
        report = match_film(project, film_path, progress)
        film_id = report.film.id or 0
        return FilmMatches(film_id, stored_matches(project, film_id), report.not_searched)
