"""Anchor fingerprints: pHash of an annotation's first, middle and last frame.

Stored with the annotation so that the passage can be found again in another copy of the
film (screener, festival copy, web version) even when frame numbers no longer agree.
Hashing reads exact frames and may run on a worker; storing happens where the project lives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from critique_app.domain.annotation_words import annotations_done
from critique_app.domain.model import FrameRange
from critique_app.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from db.project import Project
    from db.repository import Repository

AnchorHashes = tuple[int, int, int]


def anchor_frames(frames: FrameRange) -> tuple[int, int, int]:
    return frames.start, frames.middle, frames.end


def compute_anchor_hashes(
    film_path: str | Path, ranges: Mapping[int, FrameRange], progress: Progress = NO_PROGRESS
) -> dict[int, AnchorHashes]:
    """annotation id -> hashes of its three anchor frames; touches no project (worker-safe)."""
    from critique_app.media.frame_server import FrameServer
    from critique_app.provenance.reference_library import hash_still

    server = FrameServer(film_path)  # its own decoder: never moves the player's playhead
    cache: dict[int, int] = {}
    out: dict[int, AnchorHashes] = {}
    try:
        # in film order, so consecutive anchors reuse the decoder instead of seeking
        for done, (ident, frames) in enumerate(sorted(ranges.items(), key=lambda r: r[1].start)):
            # the task's label already says what (TaskBar: "Anchor fingerprints: ..."); the
            # step says how far, short enough for the status bar at 1280 px in French
            progress.update(done, len(ranges), annotations_done(done, len(ranges)))
            for index in anchor_frames(frames):
                if index not in cache:
                    progress.check()  # before every exact frame: Cancel stops within one
                    cache[index] = int(hash_still(server.frame(index).image)[0])
            a, b, c = (cache[i] for i in anchor_frames(frames))
            out[ident] = (a, b, c)
    finally:
        server.close()
    return out


def missing_anchors(
    repo: Repository, film_id: int, among: Iterable[int] | None = None
) -> dict[int, FrameRange]:
    """The film's annotations (of `among` only, when given) without anchors, with the frames
    to hash: one query on ids and frames, no annotation built."""
    return {
        ident: FrameRange(start, end) for ident, start, end in repo.unanchored_spans(film_id, among)
    }


def store_anchor_hashes(
    repo: Repository, hashes: Mapping[int, AnchorHashes], ranges: Mapping[int, FrameRange]
) -> int:
    """Save hashes for annotations whose range is still the one that was hashed (one deleted
    or moved meanwhile is left: the next pass hashes its new range); modified_at stays as the
    annotator left it, as this is derived data, not a user's edit."""
    return repo.set_anchor_hashes(
        (ident, ranges[ident].start, ranges[ident].end, value) for ident, value in hashes.items()
    )


def fill_missing_anchors(project: Project, film_id: int, progress: Progress = NO_PROGRESS) -> int:
    """Compute and store anchors for every annotation of the film that has none yet."""
    repo = project.repo
    film = repo.get_film(film_id)
    todo = missing_anchors(repo, film_id)
    if not todo:
        return 0
    return store_anchor_hashes(repo, compute_anchor_hashes(film.path, todo, progress), todo)
