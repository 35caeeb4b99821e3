"""One screened file: what `screen` found (credentials, pictures, matches, or why not).

Built on a worker by services.screening, stored by db.screening_store, read back by the
command line and the screening table. The JSON keys are those stored since the first round:
`from_json` reads older rows (missing keys take their defaults).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

# Filled in by the worker that screened the file; absent when no worker came back.
_RUN_KEYS = ("worker", "seconds", "cpu_seconds", "screened_by")


@dataclass(frozen=True, kw_only=True)
class ScreeningResult:
    """`verify` is the `critique-app verify --json` report (None when the file was not read);
    `picture` says what was fingerprinted; `matches` are the library segments found, as
    `critique-app match --json` rows."""

    path: str
    format: str | None
    sidecar: str | None = None
    fragments: tuple[str, ...] = ()
    settings_key: str
    sha256: str | None = None
    size: int | None = None
    problem: str | None = None
    visible: bool = True
    already_screened: bool = False
    verify: Mapping[str, Any] | None = None
    picture: Mapping[str, Any] | None = None
    matches: tuple[Mapping[str, Any], ...] = ()
    worker: str | None = None
    seconds: float | None = None
    cpu_seconds: float | None = None
    screened_by: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # keys a newer version stored

    def with_(self, **changes: Any) -> ScreeningResult:
        return replace(self, **changes)

    @property
    def c2pa(self) -> Mapping[str, Any]:
        """The Content Credentials part of the verify report ({} when there is none)."""
        return (self.verify or {}).get("c2pa") or {}

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        for f in fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if f.name in _RUN_KEYS and value is None:
                continue
            if f.name in ("fragments", "matches"):
                value = [dict(v) if isinstance(v, Mapping) else v for v in value]
            out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScreeningResult:
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in known}
        values["fragments"] = tuple(values.get("fragments") or ())
        values["matches"] = tuple(values.get("matches") or ())
        values.setdefault("path", "")
        values.setdefault("format", None)
        values.setdefault("settings_key", "")
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**values, extra=extra)
