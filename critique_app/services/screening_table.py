"""The jury's table: one row per submission, ranked so what needs a human eye comes first.

Qt-free: the report (HTML, CSV, JSON), the command line and the window's Screening panel
all read the same rows, ranking and filters from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from critique_app.domain.provenance_words import (
    ai_signal_words,
    manifest_sources,
    signer_name,
    signer_trust,
    verdict_words,
)
from critique_app.domain.screening import ScreeningResult
from critique_app.i18n import N_, _

GENAI = {"fully_genai", "partly_genai", "may_contain_genai"}
INVALID = {"tampered", "revoked", "ingredient_invalid"}

# rank -> why a row sits there (0 first); stored in English, shown through the catalogue
RANKS: dict[int, str] = {
    0: N_("invalid or tampered credentials"),
    1: N_("expired credential (invalid, not tampering)"),
    2: N_("AI declared in the credentials"),
    3: N_("matches known AI material, no AI declared"),
    4: N_("could not be checked"),
    5: N_("credentials not verifiable (signer not trusted, or remote manifest)"),
    6: N_("nothing to flag"),
}
NEEDS_EYE = 5  # ranks below this need a human eye (nothing checked counts too)


def rank_of(result: ScreeningResult) -> tuple[int, str]:
    """Where a task's result goes in the table, and the sentence that says why."""
    verify = result.verify or {}
    c2pa = result.c2pa
    reason, signal = c2pa.get("reason"), c2pa.get("ai_signal")
    if reason in INVALID:
        return 0, RANKS[0]
    if reason == "expired_credential":
        return 1, RANKS[1]
    if signal in GENAI:
        return 2, RANKS[2]
    if result.matches:
        return 3, RANKS[3]
    if not verify or reason == "unreadable" or result.problem:
        return 4, RANKS[4]
    if reason in ("untrusted_signer", "remote_manifest"):
        return 5, RANKS[5]
    return 6, RANKS[6]


@dataclass
class ScreeningRow:
    rank: int
    rank_reason: str
    path: str
    name: str
    sha256: str
    verdict: str  # the badge a jury reads (domain.provenance_words)
    reason: str  # verify's reason code ('' when verify did not run)
    ai_signal: str  # the code (filters, JSON); the table and the report show `ai_signal_words`
    signer: str
    generator: str
    match_count: int
    matches: list[str] = field(default_factory=list)  # "label, 00:00:01:02–00:00:03:00"
    first_match_frame: int | None = None  # where a double click opens the film
    recovered_by_content: str = ""  # credentials found again by content (verify --project)
    problem: str = ""
    sidecar: str = ""
    trust_list: str = ""  # the key of the list that vouched for the signer ('' for none)
    # the signer's trust, and which manifest the verdict is about when an asset has two (an
    # embedded one and a sidecar beside it), in the sentences `verify` prints
    trust: str = ""
    manifests: list[str] = field(default_factory=list)

    @property
    def needs_eye(self) -> bool:
        return self.rank < NEEDS_EYE

    @property
    def ai_signal_words(self) -> str:
        """The AI signal as a jury reads it ('' when nothing was checked)."""
        return ai_signal_words(self.ai_signal) if self.ai_signal else ""

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "needs_eye": self.needs_eye}


# (key, English header) in the order the table shows them; the window translates the header.
COLUMNS: list[tuple[str, str]] = [
    ("rank_reason", N_("Why")),
    ("name", N_("Submission")),
    ("verdict", N_("Credentials")),
    ("ai_signal", N_("AI signal")),
    ("matches", N_("Matches")),
    ("recovered_by_content", N_("Recovered by content")),
    ("signer", N_("Signer")),
    ("problem", N_("Problem")),
]


def row_of(result: ScreeningResult) -> ScreeningRow:
    verify = result.verify or {}
    c2pa = result.c2pa
    rank, why = rank_of(result)
    reason = c2pa.get("reason") or ""
    signer = c2pa.get("signer") or {}
    matches = result.matches
    recovered = verify.get("recovered_by_content") or c2pa.get("recovered_by_content") or ""
    if isinstance(recovered, dict | list):
        recovered = _describe_recovered(recovered)
    return ScreeningRow(
        rank=rank,
        rank_reason=why,
        path=result.path,
        name=Path(result.path).name,
        sha256=str(result.sha256 or ""),
        verdict=verdict_words(reason),
        reason=reason,
        ai_signal=c2pa.get("ai_signal") or "",
        signer=signer_name(signer) if signer else "",
        generator=c2pa.get("generator") or "",
        match_count=len(matches),
        matches=[_describe_match(m) for m in matches],
        first_match_frame=min((int(m["start_frame"]) for m in matches), default=None),
        recovered_by_content=str(recovered),
        problem=str(result.problem or ""),
        sidecar=str(result.sidecar or ""),
        trust_list=c2pa.get("trust_list") or "",
        trust=signer_trust(reason, c2pa.get("trust_list")),
        manifests=manifest_sources(verify),
    )


def _describe_match(m: Mapping[str, Any]) -> str:
    where = (
        f"{m['start_timecode']}–{m['end_timecode']}"
        if m.get("start_timecode")
        else _("frames {first}–{last}").format(first=m["start_frame"], last=m["end_frame"])
    )
    if m.get("variant") == "mirror":
        line = _("{label}, {where}, mirrored (median distance {median})")
    else:
        line = _("{label}, {where} (median distance {median})")
    return line.format(label=m["label"], where=where, median=format(m["median_distance"], "g"))


def _describe_recovered(value: dict[str, Any] | list[Any]) -> str:
    """`c2pa.recovered_by_content` in a sentence: each signed original, what it declared and
    who signed it, then the words that say it is an inference."""
    from critique_app.provenance.recovered import RECOVERED_WORDING

    items = value if isinstance(value, list) else [value]
    parts = []
    for v in items:
        if not isinstance(v, dict):
            parts.append(str(v))
            continue
        item, original = v.get("item") or {}, v.get("original") or {}
        signer = original.get("signer") or {}
        parts.append(
            _("{item}: original {verdict}; {signal}; signed by {signer}").format(
                item=item.get("label") or item.get("path") or _("a library item"),
                verdict=verdict_words(original.get("reason")),
                signal=ai_signal_words(original.get("ai_signal")),
                signer=signer_name(signer),
            )
        )
    return f"{'; '.join(parts)} ({_(RECOVERED_WORDING)})" if parts else ""


def ranked(rows: Iterable[ScreeningRow]) -> list[ScreeningRow]:
    """Rank first, then more matches first, then by path (stable for ties)."""
    return sorted(rows, key=lambda r: (r.rank, -r.match_count, r.path))


def filter_rows(
    rows: Sequence[ScreeningRow],
    *,
    text: str = "",
    needs_eye: bool = False,
    reasons: Iterable[str] | None = None,
    ai_signals: Iterable[str] | None = None,
    with_matches: bool = False,
) -> list[ScreeningRow]:
    """The rows a jury asked for: free text (name, path, signer, generator, matches,
    problem), only those needing an eye, some verdict reasons or AI signals, or matched."""
    words = text.lower().split()
    wanted_reasons = set(reasons) if reasons is not None else None
    wanted_signals = set(ai_signals) if ai_signals is not None else None
    out = []
    for r in rows:
        if needs_eye and not r.needs_eye:
            continue
        if wanted_reasons is not None and r.reason not in wanted_reasons:
            continue
        if wanted_signals is not None and r.ai_signal not in wanted_signals:
            continue
        if with_matches and not r.match_count:
            continue
        if words:
            hay = " ".join(
                [
                    r.path,
                    r.signer,
                    r.generator,
                    r.verdict,
                    r.ai_signal,
                    r.ai_signal_words,
                    r.problem,
                    *r.matches,
                ]
            ).lower()
            if not all(w in hay for w in words):
                continue
        out.append(r)
    return out


def sort_rows(
    rows: Sequence[ScreeningRow], column: str, descending: bool = False
) -> list[ScreeningRow]:
    """Sort by one column of COLUMNS ('rank_reason' sorts by rank); ties keep the ranking."""
    base = ranked(rows)
    if column == "rank_reason":
        return list(reversed(base)) if descending else base

    def key(r: ScreeningRow) -> Any:
        if column == "matches":
            return r.match_count
        return str(getattr(r, column)).lower()

    return sorted(base, key=key, reverse=descending)


def cell_text(row: ScreeningRow, column: str) -> str:
    """What a table cell shows."""
    if column == "matches":
        return "\n".join(row.matches) if row.matches else ""
    if column == "ai_signal":
        return row.ai_signal_words
    if column == "rank_reason":
        return _(row.rank_reason) if row.rank_reason else ""
    return str(getattr(row, column))


def cell_tip(row: ScreeningRow, column: str) -> str:
    """What a cell's tooltip says: the words again, with the code for experts."""
    if column == "name":
        return row.path
    if column == "verdict" and row.reason:
        return _("{verdict} (C2PA reason code: {code})").format(
            verdict=row.verdict, code=row.reason
        )
    if column == "ai_signal" and row.ai_signal:
        return _("{signal} (C2PA AI signal code: {code})").format(
            signal=row.ai_signal_words, code=row.ai_signal
        )
    return cell_text(row, column)


def csv_rows(rows: Sequence[ScreeningRow]) -> list[dict[str, Any]]:
    """Flat rows for a CSV file (matches joined with ' | ')."""
    out = []
    for r in rows:
        j = r.to_json()
        j["matches"] = " | ".join(r.matches)
        j["manifests"] = " ".join(r.manifests)
        out.append(j)
    return out


def stored_rows(project: Any, settings_key: str | None = None) -> list[ScreeningRow]:
    """The ranked rows of the project's last screening (or of the given settings)."""
    from db import screening_store

    key = settings_key or screening_store.latest_settings_key(project.db)
    if key is None:
        return []
    return ranked(row_of(r) for r in screening_store.results(project.db, key))
