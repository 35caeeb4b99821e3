"""Write critique_app/provenance/status_codes.json: every status code the C2PA SDK can report.

Reads a checkout of contentauth/c2pa-rs (the Rust SDK under c2pa-python): the C2PA codes are
the `pub const X: &str = "…"` of `validation_codes` in sdk/src/validation_results.rs, kind from
the `// -- success|informational|failure codes --` section they sit in; the CAWG identity codes
are the `.validation_status("cawg.…")` calls under sdk/src/identity, kind from the `.success`,
`.informational` or `.failure` call that follows. Run again when c2pa-python moves:

    python scripts/extract_status_codes.py /path/to/c2pa-rs [commit]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "critique_app" / "provenance" / "status_codes.json"


def _show(repo: Path, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"{commit}:{path}"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def c2pa_codes(text: str) -> dict[str, str]:
    body = text.split("pub mod validation_codes", 1)[1]
    kind, out = "success", {}
    pattern = r"// -- (success|informational|failure) codes --|pub const \w+: &str =\s*\"([^\"]+)\""
    for m in re.finditer(pattern, body):
        if m.group(1):
            kind = m.group(1)
        elif m.group(2) not in out:
            out[m.group(2)] = kind
    return out


def cawg_codes(repo: Path, commit: str) -> dict[str, str]:
    files = subprocess.run(
        ["git", "-C", str(repo), "grep", "-l", 'validation_status("cawg.', commit, "--",
         "sdk/src/identity/*.rs"],
        capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    out: dict[str, str] = {}
    for ref in files:
        path = ref.split(":", 1)[1]
        if "/tests/" in path:
            continue
        text = _show(repo, commit, path)
        for m in re.finditer(r'validation_status\("(cawg\.[^"]+)"\)\s*\.(\w+)', text):
            kind = {"success": "success", "informational": "informational"}.get(
                m.group(2), "failure"
            )
            out.setdefault(m.group(1), kind)
    return out


def main() -> None:
    repo = Path(sys.argv[1])
    commit = sys.argv[2] if len(sys.argv) > 2 else "HEAD"
    full = subprocess.run(["git", "-C", str(repo), "rev-parse", commit], check=True,
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    codes = c2pa_codes(_show(repo, full, "sdk/src/validation_results.rs"))
    # The CAWG constants sit in the failure section of the Rust file whatever they mean: the
    # identity code that emits them, or their name, says their kind.
    for code in [c for c in codes if c.startswith("cawg.")]:
        if code.endswith((".trusted", ".validated")):
            codes[code] = "success"
    codes.update(cawg_codes(repo, full))
    data = {
        "source": f"contentauth/c2pa-rs @{full}: sdk/src/validation_results.rs "
        "(validation_codes) and the cawg.* validation_status calls under sdk/src/identity",
        "licence": "MIT OR Apache-2.0 (the code names only)",
        "codes": dict(sorted(codes.items())),
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{len(codes)} codes -> {OUT}")


if __name__ == "__main__":
    main()
