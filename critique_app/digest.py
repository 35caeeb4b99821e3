"""SHA-256 of a file, read in chunks: how films, stills and exports are known by content.

One function for every layer (a film moved on disk, a library item added twice, a clip's
sidecar, a submission a jury verifies); callers add their own progress and sentences.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

CHUNK = 1 << 20  # 1 MiB: fast, and small enough to keep Cancel responsive on huge films


def sha256_file(path: str | Path, on_chunk: Callable[[int, int], None] | None = None) -> str:
    """Hex SHA-256 of the file; `on_chunk(bytes_done, total)` after every chunk."""
    path = Path(path)
    total = path.stat().st_size if on_chunk is not None else 0
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if on_chunk is not None:
                done += len(chunk)
                on_chunk(done, total)
    return digest.hexdigest()
