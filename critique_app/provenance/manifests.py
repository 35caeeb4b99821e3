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
class Identity:
    """One CAWG identity assertion: who the assertion says took part, and how far it holds."""

    type: str | None  # 'cawg.x509' | 'cawg.ica' | None when the sig_type is unknown
    status: str  # verified | untrusted | unverifiable_offline | invalid | not_checked
    name: str | None = None
    issuer: str | None = None  # the certificate's issuer, or the credential issuer's DID
    identifiers: list[dict[str, Any]] = field(default_factory=list)  # verified identities
    manifest_label: str = ""
    assertion: str = ""  # e.g. 'cawg.identity' or 'cawg.identity__1'
    codes: list[str] = field(default_factory=list)  # the SDK's cawg.* codes for it
    roles: list[str] = field(default_factory=list)


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
    identities: list[Identity] = field(default_factory=list)  # CAWG identity assertions
    authors: list[dict[str, Any]] = field(default_factory=list)  # schema.org CreativeWork
    watermarks: list[dict[str, Any]] = field(default_factory=list)  # soft bindings, watermarked
    # every c2pa.soft-binding assertion as found: {assertion, alg, name, blocks: [{scope,
    # value}]}; named and said by provenance.soft_bindings
    soft_bindings: list[dict[str, Any]] = field(default_factory=list)
    ingredients: list[Ingredient] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # this manifest's own validation failures
    successes: list[str] = field(default_factory=list)  # success codes of this reading
    # What this reading says of the signer: 'trusted' (signingCredential.trusted under a
    # trust list), 'untrusted', or None when the SDK did not re-validate the signature now.
    signer_trust: str | None = None
    assertion_labels: list[str] = field(default_factory=list)


@dataclass
class Ingredient:
    title: str | None
    format: str | None
    relationship: str | None  # parentOf | componentOf | inputTo
    manifest_label: str | None  # the ingredient's own manifest, when it carries one
    failures: list[str] = field(default_factory=list)  # its own validation failure codes
    recorded: list[str] = field(default_factory=list)  # codes recorded when it was placed
    thumbnail: bytes | None = None  # the picture, for a window that shows it
    thumbnail_format: str | None = None
    thumbnail_size: int = 0  # all a report says of the picture, kept when it is not sent

    def __post_init__(self) -> None:
        if self.thumbnail and not self.thumbnail_size:
            self.thumbnail_size = len(self.thumbnail)


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
    error_kind: str | None = None  # remote | no_manifest | unreadable | sidecar_without_asset
    remote_url: str | None = None
    raw_json: str | None = None  # the manifest store as the library printed it
    trust_key: str | None = None  # the trust list this reading used ('none' never vouches)

    @property
    def signer_trusted(self) -> bool:
        """The active manifest's signer is trusted under the list used, by the SDK's own
        codes. CAWG identity failures make the SDK's state Invalid or Valid; they do not
        touch the signer's trust."""
        active = self.manifests.get(self.active_label or "")
        if self.trust_key == "none" or active is None:
            return False
        return self.state == "Trusted" or active.signer_trust == "trusted"
