"""Library items as an earlier version stored them, for the tests that read older projects
(beside `hash_reference`'s own tests in test_library.py)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from critique_app.media.regions import LIBRARY_VARIANTS
from critique_app.provenance.reference_library import hash_reference
from db import fingerprint_store as store


def add_as_before_re_frames(db: Database, picture: Path, label: str) -> None:
    """The still or clip added to the library as a version without re-frames stored it: its
    hashes and first variants, but no re-frame slice."""
    ref = hash_reference(picture)
    store.add_library_item(
        db,
        label=label,
        source_note="added by an earlier version",
        path=str(ref.path),
        sha256=ref.sha256,
        kind=ref.kind,
        hashes=ref.hashes,
        rate=ref.rate,
        variants=None if ref.variants is None else ref.variants[: len(LIBRARY_VARIANTS)],
        variant_names=LIBRARY_VARIANTS,
    )
