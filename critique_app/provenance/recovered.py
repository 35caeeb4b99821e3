"""The words and the summary of credentials recovered by content (see
services/recovered_credentials.py): plain Python, shared by the CLI, the services and the
panels."""

from __future__ import annotations

from typing import Any

from critique_app.i18n import N_

# Stored with a recovered summary as it is (English); the window shows it translated.
RECOVERED_WORDING = N_(
    "inferred by perceptual match to a signed original; not cryptographically bound to this copy."
)
# Verify states under which a file's own credentials stand: otherwise recovery is looked for.
OWN_CREDENTIALS_STAND = {"Valid", "Trusted"}


def credentials_summary(report_json: dict[str, Any]) -> dict[str, Any] | None:
    """What a jury needs from a verify report (None when the file has no manifest)."""
    c = report_json["c2pa"]
    if not c.get("present"):
        return None
    signer = c.get("signer") or {}
    return {
        "reason": c.get("reason"),
        "state": c.get("state"),
        "summary": c.get("summary"),
        "signer": {k: signer.get(k) for k in ("organisation", "common_name", "issuer")},
        "trust_list": c.get("trust_list"),
        "ai_signal": c.get("ai_signal"),
        "ai_signal_summary": c.get("ai_signal_summary"),
        "digital_source_types": c.get("digital_source_types", []),
        "generator": c.get("generator"),
        "manifest_label": c.get("active_manifest"),
        "sha256": report_json.get("sha256"),
        "checked_at": report_json.get("checked_at"),
        "trust_setting": report_json.get("trust_setting"),
    }
