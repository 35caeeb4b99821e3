"""What the annotation table lists at once for its filters: the first page of rows in table
order, whether more follow, and the counts, asked of SQLite with a limit (never every hit
sorted in Python).

The same function answers on the window's connection (the table's own queries) and on a
worker's read-only connection (a search typed: `first_page_in_background`), so both list
exactly the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from critique_app.progress import Progress
from critique_app.services.workspace import ProjectWorkspace
from db.repository import Repository
from db.search_reader import reading

Key = tuple[int, int, int]  # an annotation's place in the listing: film id, first frame, id


@dataclass(frozen=True)
class FirstPage:
    ids: list[int]  # the rows listed now, in table order
    more: bool  # a search has hits behind them (listed as the view scrolls)
    matches: int  # how many annotations the filters keep in all
    edge: Key | None  # with more to fetch: the listing key of the last row listed
    in_project: int  # how many annotations the project holds


def first_page(
    source: ProjectWorkspace | Repository, filters: Mapping[str, Any], size: int
) -> FirstPage:
    """The first `size` rows in table order, walked in SQLite up to the limit, all counted
    only when more follow: a film of 100,000 annotations opens without listing them all (the
    rest is listed as the view scrolls, or up to a row the timeline selects: `reveal`)."""
    found = source.annotation_ids(**filters, limit=size + 1)
    ids, more = found[:size], len(found) > size
    matches = source.count_annotation_ids(**filters) if more else len(ids)
    edge = source.listing_keys(ids[-1:]).get(ids[-1]) if more else None
    return FirstPage(ids, more, matches, edge, source.count_annotations())


@dataclass(frozen=True)
class NextPage:
    ids: list[int]  # the hits behind the listed ones, in table order
    more: bool  # still more behind these
    edge: Key | None  # with more: the listing key of the last of these


def next_page(
    source: ProjectWorkspace | Repository,
    filters: Mapping[str, Any],
    after: Key | None,
    limit: int | None,
) -> NextPage:
    """The next `limit` hits behind the listing key `after` (None: all the rest)."""
    found = source.annotation_ids(
        **filters, after=after, limit=None if limit is None else limit + 1
    )
    more = limit is not None and len(found) > limit
    found = found[:limit]
    edge = source.listing_keys(found[-1:]).get(found[-1]) if more else None
    return NextPage(found, more, edge)


def next_page_in_background(
    progress: Progress, path: Path, filters: Mapping[str, Any], after: Key | None, limit: int
) -> NextPage:
    """`next_page` on a read-only connection of its own (a worker thread): the view scrolled
    to the end of the listed hits."""
    with reading(path, progress) as repo:
        return next_page(repo, filters, after, limit)


def first_page_in_background(
    progress: Progress, path: Path, filters: Mapping[str, Any], size: int
) -> FirstPage:
    """`first_page` on a read-only connection of its own (a worker thread); a newer search
    cancels it mid-statement."""
    with reading(path, progress) as repo:
        return first_page(repo, filters, size)
