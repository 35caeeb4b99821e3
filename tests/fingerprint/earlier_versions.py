"""Library items as an earlier version stored them, for the tests that read older projects
(beside `hash_reference`'s own tests in test_library.py)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from sqlite_utils import Database

from critique_app.media.regions import LIBRARY_VARIANTS
from critique_app.provenance.reference_library import VARIANT_NAMES, hash_reference
from db import fingerprint_store as store


def add_as_an_earlier_version(
    db: Database, picture: Path, label: str, variant_names: Collection[str]
) -> None:
    """The still or clip added to the library as an earlier version stored it: its hashes
    and only the variants it knew (`variant_names`)."""
    ref = hash_reference(picture)
    kept = [k for k, name in enumerate(VARIANT_NAMES) if name in variant_names]
    store.add_library_item(
        db,
        label=label,
        source_note="added by an earlier version",
        path=str(ref.path),
        sha256=ref.sha256,
        kind=ref.kind,
        hashes=ref.hashes,
        rate=ref.rate,
        variants=None if ref.variants is None else ref.variants[kept],
        variant_names=tuple(VARIANT_NAMES[k] for k in kept),
    )


def add_as_before_re_frames(db: Database, picture: Path, label: str) -> None:
    """As a version without re-frames stored it: the first variants, no re-frame slice."""
    add_as_an_earlier_version(db, picture, label, LIBRARY_VARIANTS)
