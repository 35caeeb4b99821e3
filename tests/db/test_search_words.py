"""Search as you type cuts what is typed into words exactly as the search index does: its index
keeps no positions (migration 0011), so a typed word that the index would read as two is a
phrase, and SQLite refuses it with an error instead of answering."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from critique_app.domain.model import Annotation, FrameRange
from db.annotation_store import SQLITE_SEPARATORS, fts_query
from db.project import Project, memory_project
from tests.db.helpers import film, tier


def _index_separators(candidates: list[str]) -> set[str]:
    """The candidates that SQLite's unicode61 tokenizer (as the project's index is made) cuts a
    word at: "q?q" is one word to it, or the two words "q" and "q"."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')"
        )
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        conn.execute("INSERT INTO t (x) VALUES (?)", [" ".join(f"q{c}q" for c in candidates)])
        words = [w for (w,) in conn.execute("SELECT term FROM v ORDER BY offset")]
    finally:
        conn.close()
    cut: set[str] = set()
    at = 0
    for c in candidates:
        if words[at : at + 2] == ["q", "q"]:
            cut.add(c)
            at += 2
        else:
            at += 1
    assert at == len(words)  # every candidate accounted for: one word or two
    return cut


def test_the_separators_are_exactly_the_letters_the_index_cuts_at() -> None:
    letters = [
        chr(c)
        for c in range(0x110000)
        if not 0xD800 <= c < 0xE000 and re.fullmatch(r"[^\W_]", chr(c))
    ]
    assert len(letters) > 100_000
    listed = {c for c in letters if re.fullmatch(f"[{SQLITE_SEPARATORS}]", c)}
    assert _index_separators(letters) == listed


@pytest.fixture(scope="module")
def project() -> Iterator[Project]:
    with memory_project() as p:
        f, t = film(p.repo), tier(p.repo)
        for k, note in enumerate(("ᦰ dans le décor", "raccord_axe", "l'aube — plan 12")):
            span = FrameRange(k, k + 1)
            p.repo.add_annotation(Annotation.create(f.id or 0, t.id or 0, span, note=note))
        yield p


def test_a_word_holding_a_sign_the_index_cuts_at_is_searched_as_two(project: Project) -> None:
    assert fts_query("aᦰb") == '"a" AND "b"*'
    assert project.repo.search("dᦰécor") == []  # "d" and "écor…": no such words
    assert len(project.repo.search("ᦰdécor")) == 1
    assert len(project.repo.search("raccord_axe")) == 1
    assert len(project.repo.search("aube plan 1")) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
@example("ᦰdécor")
@example("x\u1cf2y_z")
def test_anything_typed_is_answered_without_an_error(project: Project, typed: str) -> None:
    project.repo.search(typed)
    project.repo.annotations(search=typed)
    project.repo.count_annotation_ids(search=typed)
