"""The child process that reads untrusted files: `python -m critique_app.provenance.worker`.

Reads framed requests on stdin and writes examinations on stdout until stdin closes. Its
address space is limited so a crafted file cannot eat the machine's memory.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def serve(memory_limit: int) -> None:
    # Keep the protocol pipe private: native libraries that print must not corrupt it.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ImportError, ValueError, OSError):
        pass  # Windows has no rlimits; the time limit still protects the app
    from critique_app.provenance.examine import examine
    from critique_app.provenance.isolation import (
        _EOF,
        OUT_OF_MEMORY,
        HeldLists,
        read_message,
        write_message,
    )

    held = HeldLists()
    # One thread kept for the hash and metadata beside each reading: handing it a file costs
    # nothing, while a new thread is waited for until it runs, long on a busy machine
    # (issue 24: 5-10% of a `verify` run's wall time at a load of 5 on 2 cores).
    with ThreadPoolExecutor(1, thread_name_prefix="critique-verify-beside") as helper:
        while True:
            req = read_message(inp, held)
            if req is _EOF or req is None:
                return
            held.note(req)
            try:
                result: Any = examine(req, helper)
            except MemoryError:
                result = OUT_OF_MEMORY  # the parent says it, in the asker's language
            except Exception as err:  # a bug or an exotic failure: report it, keep serving
                result = f"{type(err).__name__}: {err}"
            write_message(out, result)


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 3 * 1024**3)
