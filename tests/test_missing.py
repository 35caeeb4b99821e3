"""The one rule for what a test needs and cannot find: fail in CI, skip with a reason elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import missing as rule

TESTS = Path(__file__).parent


def test_an_absence_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rule, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI must have this.*ffprobe is not installed"):
        rule.missing("ffprobe is not installed")


def test_an_absence_skips_with_its_reason_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rule, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="ffprobe is not installed"):
        rule.missing("ffprobe is not installed")


def test_the_rule_is_written_once() -> None:
    """A test deciding by itself whether CI is running could skip there and hide a failure."""
    asks = re.compile(r"""environ(\.get\(|\[)["']CI["']|\bIN_CI\b""")
    places = sorted(
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if asks.search(path.read_text(encoding="utf-8"))
    )
    # conftest.py chooses the derandomized Hypothesis profile, nothing else; this file names
    # the rule to look for it
    assert places == ["conftest.py", "missing.py", "test_missing.py"], places
