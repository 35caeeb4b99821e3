"""The agreed shape holds: layer contracts over every module, and every command documented."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from importlinter.api import read_configuration

from critique_app.cli import COMMANDS, available_commands, build_parser, main

REPO = Path(__file__).resolve().parents[1]
ROOT_PACKAGES = ("critique_app", "db", "exporters")


def test_layer_contracts_hold() -> None:
    """Layers, no import cycles; only gui imports Qt, only the VLC engine vlc, the C2PA reader c2pa."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_the_window_calls_no_repository() -> None:
    """gui/ reads and edits a project through services.workspace.ProjectWorkspace, never
    through the storage objects behind it (`project.repo`, `project.db`)."""
    found = []
    for path in sorted((REPO / "critique_app" / "gui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("repo", "db"):
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
    assert found == [], f"use ProjectWorkspace methods instead: {found}"


def _contracts() -> list[dict[str, Any]]:
    """The contracts as import-linter itself reads them from pyproject.toml."""
    return list(read_configuration(str(REPO / "pyproject.toml"))["contracts_options"])


def _layers() -> list[list[str]]:
    """The layers contract, top first: each layer as its module names."""
    (contract,) = [c for c in _contracts() if c["type"] == "layers"]
    return [
        [name.strip().strip("()") for name in re.split(r"[|:]", row)] for row in contract["layers"]
    ]


def _project_modules() -> list[str]:
    """Every module and package of the three root packages, from the files on disk."""
    names = []
    for root in ROOT_PACKAGES:
        for path in sorted((REPO / root).rglob("*.py")):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_every_module_sits_in_a_layer() -> None:
    """A new package or top-level module must join the layers contract, or nothing checks it."""
    layered = [name for row in _layers() for name in row]
    outside = [
        module
        for module in _project_modules()
        if module not in ROOT_PACKAGES and not any(_within(module, name) for name in layered)
    ]
    assert outside == [], f"place these in the layers contract of pyproject.toml: {outside}"


def test_the_root_package_imports_nothing_of_the_project() -> None:
    """critique_app/__init__.py holds every layer, so it sits in none: it must stay a leaf."""
    tree = ast.parse((REPO / "critique_app" / "__init__.py").read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append("." if node.level else node.module or "")
    assert [n for n in imported if n == "." or n.split(".")[0] in ROOT_PACKAGES] == []


def _sources_of(contract_name: str) -> set[str]:
    (contract,) = [c for c in _contracts() if c["name"] == contract_name]
    return set(contract["source_modules"])


def test_every_layer_under_the_gui_is_kept_from_qt() -> None:
    layers = _layers()
    gui = next(i for i, row in enumerate(layers) if "critique_app.gui" in row)
    below_gui = {name for row in layers[gui + 1 :] for name in row}
    assert sorted(below_gui - _sources_of("Only the GUI imports Qt")) == []


def test_every_layer_but_db_is_kept_from_sqlite() -> None:
    others = {name for row in _layers() for name in row} - {"db"}
    assert sorted(others - _sources_of("Only db talks to SQLite")) == []


# An SQL statement as this code base writes them (keywords in capitals): a verb first, then the
# clause that names a table or a setting.
SQL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|REPLACE|WITH)\b.*"
    r"\b(FROM|INTO|TABLE|INDEX|SET|user_version|integrity_check|quick_check)\b",
    re.DOTALL,
)
# A merge checks a student's file format through SQLite's backup API before opening it.
SQL_ELSEWHERE = {"critique_app/services/merge.py": {"PRAGMA user_version"}}


def _text_of(node: ast.AST) -> str | None:
    """A string literal's text; an f-string's with each placeholder as `?`."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "?" for v in node.values)
    return None


def test_sql_is_written_only_in_db() -> None:
    found = []
    for root in ("critique_app", "exporters"):
        for path in sorted((REPO / root).rglob("*.py")):
            name = path.relative_to(REPO).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                text = _text_of(node)
                known = SQL_ELSEWHERE.get(name, set())
                if isinstance(text, str) and SQL.match(text) and text.strip() not in known:
                    found.append(f"{name}:{node.lineno}: {text.strip()[:60]}")
    assert found == [], "move these statements into db/:\n" + "\n".join(found)


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
