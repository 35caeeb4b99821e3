"""Trust lists shipped in resources/trust and the trust setting a user picks.

Setting `all` (default) checks each shipped list separately so the report can name the one
that vouched; `c2pa`, `interim`, `none`, or a PEM file of the user's own anchors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from critique_app.errors import UserError
from critique_app.paths import resource


@dataclass(frozen=True)
class TrustList:
    """One set of trust material, as text the C2PA library takes in its settings."""

    key: str  # 'c2pa' | 'interim' | 'pem:<path>' | 'none'
    name: str
    date: str | None
    anchors: str = ""
    allowed: str = ""
    config: str = ""

    def settings(self) -> dict:
        """The `trust` part of the C2PA library settings (offline verification)."""
        trust: dict[str, str] = {}
        if self.anchors:
            trust["trust_anchors"] = self.anchors
        if self.allowed:
            trust["allowed_list"] = self.allowed
        if self.config:
            trust["trust_config"] = self.config
        return {
            # Offline: never fetch a cloud manifest or an OCSP answer while a jury reads.
            "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
            "trust": trust,
        }


NO_TRUST = TrustList("none", "no trust list", None)


@lru_cache(maxsize=1)
def _index() -> dict:
    return json.loads(resource("trust", "lists.json").read_text(encoding="utf-8"))


def _read(names: list[str]) -> str:
    return "\n".join(resource("trust", n).read_text(encoding="utf-8") for n in names)


@lru_cache(maxsize=4)
def shipped_list(key: str) -> TrustList:
    entry = _index()["lists"][key]
    config = entry.get("config")
    return TrustList(
        key=key,
        name=entry["name"],
        date=entry["date"],
        anchors=_read(entry["anchors"]),
        allowed=_read(entry.get("allowed", [])),
        config=resource("trust", config).read_text(encoding="utf-8") if config else "",
    )


def pem_list(path: str | Path) -> TrustList:
    """The user's own anchors from a PEM file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"The trust file {p} cannot be read ({err}).") from None
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise UserError(f"The trust file {p} holds no PEM certificate.")
    return TrustList(key=f"pem:{p}", name=f"PEM file {p.name}", date=None, anchors=text)


def lists_for(setting: str) -> list[TrustList]:
    """The lists to try in order; the first one under which the file is Trusted vouched."""
    if setting == "all":
        return [shipped_list("c2pa"), shipped_list("interim")]
    if setting in ("c2pa", "interim"):
        return [shipped_list(setting)]
    if setting == "none":
        return [NO_TRUST]
    if setting.endswith(".pem") or Path(setting).is_file():
        return [pem_list(setting)]
    raise UserError(
        f"Unknown trust setting '{setting}': use all, c2pa, interim, none or a PEM file."
    )


def trust_dates(setting: str) -> dict[str, str]:
    """Which dated lists a report used, for the record and for later re-checks."""
    out: dict[str, str] = {}
    for lst in lists_for(setting):
        if lst.key == "none":
            continue
        out[lst.key] = lst.date or "user file"
    return out
