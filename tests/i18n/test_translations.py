"""The translation catalogues (docs/translation.md): critique.pot holds exactly the strings of
the sources, and every language's critique.po translates each of them, none fuzzy, none
obsolete, with the same placeholders as the English."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "resources" / "locale"
POT = LOCALE / "critique.pot"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/critique.po"))

# %(name)s, %s, %r, %d… (argparse's words) and {name}, {name!r}, {count:,} (Critique's own);
# %% and {{ }} are plain characters; printf's space flag is left out: "5% of" is a percentage
# followed by a word, not a "% o" conversion (sentences take percentages from format_percent)
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_]\w*\)[-#0+]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0+]*\d*(?:\.\d+)?[a-zA-Z]|\{[^{}]*\}"
)


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, in a canonical order (a translation may move them)."""
    plain = text.replace("%%", "").replace("{{", "").replace("}}", "")
    return sorted(PLACEHOLDER.findall(plain))


def key(message: Message) -> tuple[str | None, str]:
    singular = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return (message.context, singular)


def messages(catalog: Catalog) -> dict[tuple[str | None, str], Message]:
    return {key(m): m for m in catalog if m.id}


def forms(message: Message) -> list[str]:
    strings = message.string
    return list(strings) if isinstance(strings, (tuple, list)) else [strings]


def language(po: Path) -> str:
    return po.parent.parent.name


@pytest.fixture(scope="module")
def template() -> dict[tuple[str | None, str], Message]:
    return messages(read(POT))


def test_there_is_a_french_catalogue() -> None:
    assert LOCALE / "fr" / "LC_MESSAGES" / "critique.po" in CATALOGUES


def test_the_template_holds_exactly_the_strings_of_the_sources(tmp_path: Path) -> None:
    """Extract again, as scripts/i18n.sh does, and compare: a string added, changed or removed
    in the sources without `scripts/i18n.sh extract` (then update) fails here."""
    fresh = tmp_path / "critique.pot"
    env = {**os.environ, "CRITIQUE_POT": str(fresh), "PYTHON": sys.executable}
    subprocess.run(
        ["bash", str(REPO / "scripts" / "i18n.sh"), "extract"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    new, old = messages(read(fresh)), messages(read(POT))
    added = sorted(str(k[1]) for k in set(new) - set(old))
    gone = sorted(str(k[1]) for k in set(old) - set(new))
    assert not added and not gone, (
        "resources/locale/critique.pot is out of step with the sources: run "
        f"scripts/i18n.sh extract and update (new: {added[:10]}; gone: {gone[:10]})"
    )
    plural = {k: m.id for k, m in new.items() if isinstance(m.id, (tuple, list))}
    assert plural == {k: m.id for k, m in old.items() if isinstance(m.id, (tuple, list))}


@pytest.mark.parametrize("po", CATALOGUES, ids=language)
def test_every_string_is_translated(po: Path, template: dict) -> None:
    catalog = messages(read(po))
    missing = [k[1] for k in template if k not in catalog]
    assert not missing, (
        f"{po.relative_to(REPO)}: run scripts/i18n.sh update; missing {missing[:10]}"
    )
    untranslated = [k[1] for k, m in catalog.items() if not all(s.strip() for s in forms(m))]
    assert not untranslated, f"{po.relative_to(REPO)}: not translated yet: {untranslated[:10]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=language)
def test_no_translation_is_fuzzy_or_obsolete(po: Path, template: dict) -> None:
    catalog = read(po)
    assert not catalog.fuzzy, f"{po.relative_to(REPO)}: the header is marked fuzzy"
    fuzzy = [key(m)[1] for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"{po.relative_to(REPO)}: check these, then remove '#, fuzzy': {fuzzy}"
    obsolete = [key(m)[1] for m in catalog.obsolete.values()]
    stale = [k[1] for k in messages(catalog) if k not in template]
    assert not obsolete and not stale, (
        f"{po.relative_to(REPO)}: delete the obsolete entries (#~): {obsolete + stale}"
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=language)
def test_translations_keep_the_placeholders(po: Path) -> None:
    catalog = read(po)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]
        allowed = [placeholders(i) for i in ids]
        for form in forms(message):
            if form and placeholders(form) not in allowed:
                wrong.append(f"{ids[0]!r} -> {form!r}")
    assert not wrong, f"{po.relative_to(REPO)}: placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("po", CATALOGUES, ids=language)
def test_plural_sentences_have_every_form_of_the_language(po: Path) -> None:
    catalog = read(po)
    for message in catalog:
        if isinstance(message.id, (tuple, list)):
            assert len(forms(message)) == catalog.num_plurals, message.id
