"""The command line in the user's language: French under LANG=fr_FR.UTF-8 with nothing else
set, and every --help and error sentence through the catalogue (the pseudo-locale wraps each
translated string in ⟦…⟧: text left unwrapped never went through it)."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from critique_app import i18n
from critique_app.cli import COMMANDS, build_parser, main
from exporters import registry

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "resources" / "locale"
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    """Each test chooses its language; the next test finds English, as the suite expects."""
    yield
    i18n.use(i18n.SOURCE)


def run_cli(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`critique-app ARGS` in a fresh process whose environment has only PATH, HOME, the
    private data folder and `env` (no LANGUAGE from the test set-up)."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "CRITIQUE_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(REPO),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "critique_app", *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    """Every parser of the command line, the main one and each (sub-)sub-command's, with the
    arguments that show its help."""
    found: list[tuple[str, argparse.ArgumentParser]] = []

    def visit(prefix: str, parser: argparse.ArgumentParser) -> None:
        found.append((prefix, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    visit(f"{prefix} {name}".strip(), sub)

    visit("", build_parser())
    return found


SEPARATORS = r"[\s\[\]{}(),|=:]+|\.\.\."  # between the words of a --help


def not_text(parser: argparse.ArgumentParser) -> set[str]:
    """What a --help shows that is not text to translate: the program and command names,
    option strings, metavars and choices (values typed as they are)."""
    tokens = {"critique-app", *COMMANDS}
    for prefix, p in parsers():
        tokens.update(prefix.split())
        for action in p._actions:
            tokens.update(action.option_strings)
            for value in (action.metavar, action.dest.upper() if action.dest else None):
                if value:
                    # split as the help's words are (a metavar such as x,y,w,h)
                    tokens.update(re.split(SEPARATORS, str(value)))
            if action.choices:
                tokens.update(str(c) for c in action.choices)
    # file extensions, the same in every language (import's list of formats)
    tokens.update(ext.lstrip(".") for f in registry.all_formats() for ext in f.extensions)
    return {t for t in tokens if t}


def unwrapped(text: str) -> str:
    """`text` without its ⟦…⟧ spans (innermost first: an error sentence holds a message)."""
    while True:
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", "", text)
        if shorter == text:
            return text
        text = shorter


def leftover_words(text: str, allowed: set[str]) -> list[str]:
    """Words outside the wrapped spans that are not option names, metavars or commands."""
    rest = unwrapped(text)
    words = []
    for token in re.split(SEPARATORS, rest):
        token = token.strip(".")
        if token and token not in allowed and WORD.search(token):
            words.append(token)
    return words


@pytest.mark.parametrize("command", [p for p, _ in parsers()] or [""])
def test_every_help_is_wrapped_in_the_pseudo_locale(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANGUAGE", i18n.PSEUDO)
    assert main([*command.split(), "--help"]) == 0
    out = capsys.readouterr().out
    assert i18n.PSEUDO_OPEN in out
    allowed = not_text(build_parser())
    assert leftover_words(out, allowed) == [], f"critique-app {command} --help:\n{out}"


def test_error_sentences_are_wrapped_in_the_pseudo_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANGUAGE", i18n.PSEUDO)
    missing = tmp_path / "missing.mp4"
    allowed = not_text(build_parser()) | {str(missing)}
    for args, status in (
        (["verify", str(missing)], 1),  # a file that does not exist
        (["probe", str(missing)], 1),
        (["verify"], 2),  # argparse: a required argument left out
        (["export", str(tmp_path / "none.critique"), "-f", "html", "-o", "x.html"], 2),
        (["frame", str(missing), "--index", "x", "-o", "x.png"], 2),  # argparse: not a number
    ):
        assert main(args) == status, args
        err = capsys.readouterr().err
        assert i18n.PSEUDO_OPEN in err, args
        path_free = err.replace(str(tmp_path), "")
        assert leftover_words(path_free, allowed | {"none.critique", "missing.mp4"}) == [], err


def english_only_words() -> set[str]:
    """Words of the command line's English strings that French never uses (a French help
    showing one of these shows English)."""
    with (LOCALE / "fr" / "LC_MESSAGES" / "critique.po").open("rb") as f:
        catalog = read_po(f)
    english: set[str] = set()
    french: set[str] = set()
    for message in catalog:
        if not message.id or not any(
            loc.startswith(("critique_app/cli/", "exporters/")) for loc, _ in message.locations
        ):
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        for text in ids:
            english.update(w.lower() for w in WORD.findall(text) if len(w) > 3)
        for text in strings:
            french.update(w.lower() for w in WORD.findall(text))
    return english - french


def allowed_words() -> set[str]:
    """The words of option names, metavars, choices and commands (`SIDECAR.c2pa`: sidecar)."""
    return {w.lower() for token in not_text(build_parser()) for w in WORD.findall(token)}


def test_help_is_french_under_lang_fr(tmp_path: Path) -> None:
    done = run_cli("--help", tmp_path=tmp_path, LANG="fr_FR.UTF-8")
    assert done.returncode == 0, done.stderr
    assert "utilisation" in done.stdout and "options" in done.stdout
    english = english_only_words() - allowed_words()
    shown = {w.lower() for w in WORD.findall(done.stdout)}
    assert shown & english == set(), done.stdout


def test_every_subcommand_help_is_french_under_lang_fr(tmp_path: Path) -> None:
    english = english_only_words() - allowed_words()
    for command, _parser in parsers()[1:]:
        done = run_cli(*command.split(), "--help", tmp_path=tmp_path, LANG="fr_FR.UTF-8")
        assert done.returncode == 0, done.stderr
        shown = {w.lower() for w in WORD.findall(done.stdout)}
        assert shown & english == set(), f"critique-app {command} --help:\n{done.stdout}"


def test_a_missing_file_is_said_in_french(tmp_path: Path) -> None:
    done = run_cli("probe", str(tmp_path / "absent.mp4"), tmp_path=tmp_path, LANG="fr_FR.UTF-8")
    assert done.returncode == 1
    assert done.stderr.strip() == f"critique-app: {tmp_path / 'absent.mp4'} n’existe pas."


def test_language_option_wins_over_the_computer(tmp_path: Path) -> None:
    done = run_cli("--language", "en", "--help", tmp_path=tmp_path, LANG="fr_FR.UTF-8")
    assert "usage:" in done.stdout and "utilisation" not in done.stdout
    done = run_cli("--language", "fr", "--help", tmp_path=tmp_path, LANG="C.UTF-8")
    assert "utilisation" in done.stdout


def test_choosing_the_language() -> None:
    assert i18n.choose(environ={"LANG": "fr_FR.UTF-8"}) == "fr"
    assert i18n.choose(environ={"LANGUAGE": "de:fr", "LANG": "de_DE.UTF-8"}) == "fr"
    assert i18n.choose(environ={"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == "fr"
    assert i18n.choose(environ={"LANG": "C"}) == "en"
    assert i18n.choose(preference="fr", environ={"LANG": "en_GB.UTF-8"}) == "fr"
    assert i18n.choose(preference="system", environ={"LANG": "fr_CA.UTF-8"}) == "fr"
    assert i18n.choose("en", preference="fr", environ={"LANG": "fr_FR"}) == "en"


def test_an_export_speaks_its_own_language_for_a_while() -> None:
    i18n.use("en")
    with i18n.speaking("fr") as language:
        assert language == "fr" and i18n._("{path} does not exist.") == "{path} n’existe pas."
    assert i18n.current() == "en" and i18n._("{path} does not exist.") == "{path} does not exist."


def test_numbers_dates_and_plurals_follow_the_language() -> None:
    from datetime import date

    i18n.use("fr")
    assert i18n.format_number(12345.5) == "12\u202f345,5"
    assert i18n.format_date(date(2026, 12, 4)) == "4 décembre 2026"
    i18n.use("en")
    assert i18n.format_number(12345.5) == "12,345.5"
    assert i18n.ngettext("{n} file", "{n} files", 0) == "{n} files"
