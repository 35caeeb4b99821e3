"""What the Films panel says about each film beyond its probe: how many annotations it
carries, how far it is fingerprinted, and its latest stored provenance verdict."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from db import provenance_store


@dataclass(frozen=True)
class FilmFacts:
    annotations: int
    fingerprinted_frames: int  # frames hashed so far (0: never fingerprinted)
    fingerprint_complete: bool
    credentials: str | None  # the latest stored report's reason ("ok", "no_manifest"…)
    trust_list: str | None  # which list vouched, for "ok"


def annotation_count(db: Database, film_id: int) -> int:
    """How many annotations the film carries."""
    row = db.execute("SELECT count(*) FROM annotations WHERE film_id = ?", [film_id]).fetchone()
    return int(row[0])


def film_facts(db: Database, film_id: int, sha256: str) -> FilmFacts:
    printed = db.execute(
        "SELECT frame_count, complete FROM fingerprints WHERE film_id = ? AND kind = 'phash'",
        [film_id],
    ).fetchone()
    report = provenance_store.latest(db, film_id=film_id) or provenance_store.latest(
        db, sha256=sha256
    )
    c2pa = report.report.get("c2pa", {}) if report is not None else {}
    return FilmFacts(
        annotations=annotation_count(db, film_id),
        fingerprinted_frames=int(printed[0]) if printed else 0,
        fingerprint_complete=bool(printed[1]) if printed else False,
        credentials=c2pa.get("reason") if report is not None else None,
        trust_list=c2pa.get("trust_list") if report is not None else None,
    )
