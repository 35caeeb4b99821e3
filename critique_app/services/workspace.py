"""The open project as the window sees it: films, tiers, annotations, vocabularies, undo,
thumbnails, matches — typed, in domain objects, with no SQL or storage type in sight.

The window holds one `ProjectWorkspace` (on the GUI thread, which owns its connection); a
worker opens its own connection with `worker_project` (as Anki's `QueryOp` hands an op the
collection), so `gui/` never imports `db`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from critique_app.domain.commands import UndoStack
from critique_app.domain.model import (
    Annotation,
    Category,
    Film,
    FrameRange,
    Marker,
    Relation,
    Tier,
    Vocabulary,
)
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services.anchors import AnchorHashes, missing_anchors, store_anchor_hashes
from db import fingerprint_store, thumbnail_store, timeline_lanes
from db.project import (
    Project,
    check_integrity,
    needs_background_check,
    open_project,
    open_reader,
)
from db.vocabulary_files import read_vocabulary_source

LAST_FILM = "gui.last_film_id"


class ProjectWorkspace:
    """One open project. `path` is None for a project in memory; `read_only` is None or the
    sentence saying why edits cannot be saved."""

    def __init__(self, project: Project) -> None:
        self._project = project

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only_because: str | None = None,
        check_limit: int | None = None,
    ) -> ProjectWorkspace:
        """Open (or create) a `*.critique` project; UserError with a sentence when it cannot.
        With `read_only_because`, it opens for reading only and edits say that sentence;
        `check_limit=0` skips the integrity check (a worker checked it a moment ago)."""
        project = open_project(path, read_only_because=read_only_because, check_limit=check_limit)
        return cls(project)

    @property
    def project(self) -> Project:
        """The storage handle, for services that take a project (seminars, exports, merges).
        The window passes it on and calls nothing on it."""
        return self._project

    @property
    def path(self) -> Path | None:
        return self._project.path

    @property
    def read_only(self) -> str | None:
        return self._project.read_only

    def close(self) -> None:
        self._project.close()

    def __repr__(self) -> str:
        return f"ProjectWorkspace({self._project!r})"

    # -- what other processes wrote -------------------------------------------------------------
    def data_version(self) -> int:
        """Changes whenever another connection (another process, a worker) committed."""
        return self._project.data_version()

    def background_commits(self) -> int:
        """Transactions the window's own workers committed (on connections of their own):
        they move data_version too, and are not another program's."""
        return self._project.background_commits()

    def edit_counts(self) -> dict[str, int]:
        """How often each topic was written, by any process (what another writer changed)."""
        return self._project.edit_counts()

    # -- undo ------------------------------------------------------------------------------
    def new_undo_stack(self) -> UndoStack:
        """A fresh undo/redo history over this project (one per window session)."""
        return UndoStack(self._project.repo)

    # -- settings ----------------------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        return self._project.repo.setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self._project.repo.set_setting(key, value)

    def last_film_id(self) -> int | None:
        """The film the window showed last in this project."""
        found = self._project.repo.setting(LAST_FILM)
        return found if isinstance(found, int) else None

    def remember_film(self, film_id: int | None) -> None:
        self._project.repo.set_setting(LAST_FILM, film_id)

    def annotator(self) -> str | None:
        """The project's 'annotator' setting (who annotates here), if any."""
        found = self._project.repo.setting("annotator")
        return str(found) if found else None

    # -- films -------------------------------------------------------------------------------
    def films(self) -> list[Film]:
        return self._project.repo.films()

    def film(self, film_id: int) -> Film:
        return self._project.repo.get_film(film_id)

    # -- tiers and vocabularies ----------------------------------------------------------------
    def tiers(self) -> list[Tier]:
        return self._project.repo.tiers()

    def categories(self) -> list[Category]:
        return self._project.repo.categories()

    def category(self, category_id: int) -> Category | None:
        return self._project.repo.get_category(category_id)

    def vocabularies(self) -> list[Vocabulary]:
        return self._project.repo.vocabularies()

    def vocabulary(self, key: str) -> Vocabulary | None:
        return self._project.repo.vocabulary_by_key(key)

    def save_vocabulary(self, vocabulary: Vocabulary, source_json: str | None = None) -> Vocabulary:
        return self._project.repo.save_vocabulary(vocabulary, source_json=source_json)

    # -- annotations ---------------------------------------------------------------------------
    def annotation(self, annotation_id: int) -> Annotation | None:
        """The annotation, or None when it was deleted."""
        return self._project.repo.find_annotation(annotation_id)

    def annotation_by_uuid(self, uuid: str) -> Annotation | None:
        return self._project.repo.annotation_by_uuid(uuid)

    def annotations_by_id(self, ids: list[int]) -> list[Annotation]:
        """These annotations in one query (tags and regions included), in listing order."""
        return self._project.repo.annotations_by_id(ids)

    def annotations(self, *, film_id: int | None = None) -> list[Annotation]:
        """Annotations in film and frame order (of one film when given)."""
        return self._project.repo.annotations(film_id=film_id)

    def annotations_with_regions(self, film_id: int) -> list[Annotation]:
        """The film's annotations that have a drawn region (the picture overlay shows them)."""
        return self._project.repo.annotations_with_regions(film_id)

    def annotation_ids(
        self,
        *,
        film_id: int | None = None,
        tier_ids: Iterable[int] | None = None,
        category_ids: Iterable[int] | None = None,
        authors: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        search: str | None = None,
        among: Iterable[int] | None = None,
        after: tuple[int, int, int] | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Ids of the annotations the filters keep, in film and frame order. `among`: only
        these ids; `after`: those listed behind this listing key (`listing_keys`); `limit`:
        at most so many
        (a table reads a window of search hits, sorted by the project, not all of them)."""
        return self._project.repo.annotation_ids(
            film_id=film_id,
            tier_ids=tier_ids,
            category_ids=category_ids,
            authors=authors,
            statuses=statuses,
            search=search,
            among=among,
            after=after,
            limit=limit,
        )

    def count_annotation_ids(
        self,
        *,
        film_id: int | None = None,
        tier_ids: Iterable[int] | None = None,
        category_ids: Iterable[int] | None = None,
        authors: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        search: str | None = None,
    ) -> int:
        """How many annotations the filters keep ("500 of 65,000 shown")."""
        return self._project.repo.count_annotation_ids(
            film_id=film_id,
            tier_ids=tier_ids,
            category_ids=category_ids,
            authors=authors,
            statuses=statuses,
            search=search,
        )

    def listing_keys(self, ids: Iterable[int]) -> dict[int, tuple[int, int, int]]:
        """Each annotation's place in the listing order: (film id, first frame, id)."""
        return self._project.repo.listing_keys(ids)

    def count_annotations(self) -> int:
        return self._project.repo.count_annotations()

    def authors(self) -> list[str]:
        return self._project.repo.authors()

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with how many annotations carry it (for completion)."""
        return self._project.repo.all_tags()

    def relations(self, annotation_id: int) -> list[Relation]:
        return self._project.repo.relations(annotation_id)

    def bar_rows(self, film_id: int) -> list[tuple[int, int, int | None, int, int, str, str]]:
        """(id, tier, category, start, end, value, note) of the film's annotations, by tier
        then frames: what the timeline draws, as plain rows."""
        return self._project.repo.bar_rows(film_id)

    def missing_anchors(
        self, film_id: int, among: Iterable[int] | None = None
    ) -> dict[int, FrameRange]:
        """The film's annotations (of `among` only, when given) that have no anchors yet,
        with the frames to hash."""
        return missing_anchors(self._project.repo, film_id, among)

    def store_anchors(
        self, hashes: Mapping[int, AnchorHashes], ranges: Mapping[int, FrameRange]
    ) -> int:
        """Keep the anchor hashes of annotations whose range is still the one hashed."""
        return store_anchor_hashes(self._project.repo, hashes, ranges)

    # -- what the timeline shows beside the tiers -----------------------------------------------
    def thumbnails(self, film_id: int, height: int) -> dict[int, bytes]:
        """JPEG bytes per frame index already kept for this film at this strip height."""
        return thumbnail_store.load_thumbnails(self._project.db, film_id, height)

    def keep_thumbnails(self, film_id: int, thumbs: dict[int, bytes], height: int) -> None:
        thumbnail_store.store_thumbnails(self._project.db, film_id, thumbs, height)

    def shot_cuts(self, film_id: int) -> list[int]:
        """The cut frames found when the film was fingerprinted (none before that)."""
        return timeline_lanes.shot_cuts(self._project.db, film_id)

    def match_spans(self, film_id: int) -> list[tuple[int, int, str]]:
        """(first frame, last frame, library item label) of every stored match of the film."""
        return timeline_lanes.match_spans(self._project.db, film_id)

    def markers(self, film_id: int) -> list[Marker]:
        return self._project.repo.markers(film_id)

    # -- the reference library -------------------------------------------------------------------
    def library_size(self) -> int:
        """How many items the project's reference library holds."""
        return fingerprint_store.library_count(self._project.db)


@contextlib.contextmanager
def worker_project(path: str | Path) -> Iterator[Project]:
    """A worker's own connection to the project file (the window's belongs to the GUI thread),
    closed when the work ends."""
    with open_project(path) as project:
        yield project


@contextlib.contextmanager
def worker_reader(path: str | Path) -> Iterator[ProjectWorkspace]:
    """A worker's own connection that only reads (what a panel shows, while the window edits
    on its own): it never waits for nor takes the write lock, closed when the work ends."""
    with open_reader(path) as project:
        yield ProjectWorkspace(project)


def check_in_background(path: Path) -> bool:
    """True for a project too large to be checked at open: `check_project` runs on a worker."""
    return needs_background_check(path)


def check_project(path: Path, progress: Progress = NO_PROGRESS) -> str | None:
    """None when the project file is sound, else a sentence saying what to do."""
    return check_integrity(path, progress)


def read_vocabulary(path: str | Path) -> tuple[Vocabulary, str | None]:
    """A vocabulary file and the JSON text to keep for round trips (None for ELAN files)."""
    return read_vocabulary_source(path)
