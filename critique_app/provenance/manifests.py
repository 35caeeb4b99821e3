"""C2PA manifests as the reader found them: plain data, before any verdict.

Dataclasses, strings and bytes only, so they cross the reader's process boundary; `verdict`
judges them and `report` gathers them with the verdict into one file's report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Action:
    action: str
    when: str | None = None
    software_agent: str | None = None
    digital_source_type: str | None = (
        None  # the IPTC term, trimmed (e.g. 'trainedAlgorithmicMedia')
    )
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class Signature:
    organisation: str | None = None  # subject O of the signing certificate
    common_name: str | None = None  # subject CN
    issuer: str | None = None  # the certificate authority that issued it (issuer CN / O)
    algorithm: str | None = None
    signed_at: str | None = None  # ISO time; only known when a time-stamp authority backs it
    timestamped: bool = False
    timestamp_authority: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    serial: str | None = None


@dataclass
class Manifest:
    """One C2PA manifest (the active one or one carried by an ingredient)."""

    label: str
    generator: str | None = None  # "Adobe Photoshop 26.9.0" from claim_generator_info
    generator_info: list[dict[str, Any]] = field(default_factory=list)
    title: str | None = None
    format: str | None = None
    signature: Signature = field(default_factory=Signature)
    actions: list[Action] = field(default_factory=list)
    permissions: list[dict[str, Any]] = field(default_factory=list)  # training-and-mining
    identities: list[dict[str, Any]] = field(default_factory=list)  # cawg.identity, authors
    watermarks: list[dict[str, Any]] = field(default_factory=list)  # soft bindings, watermarked
    ingredients: list[Ingredient] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # this manifest's own validation failures
    assertion_labels: list[str] = field(default_factory=list)


@dataclass
class Ingredient:
    title: str | None
    format: str | None
    relationship: str | None  # parentOf | componentOf | inputTo
    manifest_label: str | None  # the ingredient's own manifest, when it carries one
    failures: list[str] = field(default_factory=list)  # its own validation failure codes
    thumbnail: bytes | None = None
    thumbnail_format: str | None = None


@dataclass
class C2paFinding:
    """What the C2PA reader found in one file under one trust set-up (raw, before the verdict)."""

    present: bool = False
    state: str | None = None  # Trusted | Valid | Invalid, from the library
    active_label: str | None = None
    manifests: dict[str, Manifest] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # active manifest failure codes
    ingredient_failures: list[str] = field(default_factory=list)  # from ingredient deltas
    untrusted_urls: list[str] = field(default_factory=list)  # signatures the library did not trust
    informational: list[str] = field(default_factory=list)
    error: str | None = None  # the library's message when it could not read
    error_kind: str | None = None  # 'remote' | 'no_manifest' | 'unreadable'
    remote_url: str | None = None
    raw_json: str | None = None  # the manifest store as the library printed it
