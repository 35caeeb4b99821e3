"""The agreed shape holds: layer contracts, and every command documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from critique_app.cli import COMMANDS, available_commands, build_parser, main

REPO = Path(__file__).resolve().parents[1]


def test_layer_contracts_hold() -> None:
    """Only gui imports Qt, only the VLC engine imports vlc, only the C2PA reader imports c2pa."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_every_command_of_the_architecture_exists() -> None:
    assert set(available_commands()) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert f"critique-app {command}" in out
    # a description beyond the usage line
    assert len(out.splitlines()) > 3


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_help_lists_commands() -> None:
    text = build_parser().format_help()
    for command in available_commands():
        assert command in text
