"""One rule for what a test needs and cannot find (a program, the shared corpus, a mount).

`./run-tests` installs what the suite needs and CI runs it with CI=true: there an absence is a
failure, never a skip that would hide one. In a user's clone the test is skipped with the reason.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI") == "true"


def missing(why: str) -> NoReturn:
    """Fail in CI, skip elsewhere; `why` says what is absent and how to get it."""
    if IN_CI:
        pytest.fail(f"CI must have this, and it is missing: {why}")
    pytest.skip(why)
