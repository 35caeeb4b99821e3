"""Hostile files given to the readers end in one sentence naming the file, with the project
untouched: nesting 100 000 deep, a huge single line or cell, billion-laughs XML (refused, never
expanded). Through the real `critique-app import` process and the vocabulary and trust readers.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from critique_app.errors import UserError
from db.vocabulary_files import read_vocabulary_file

DEEP = 100_000


def billion_laughs(root: str) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n'
        + "\n".join(entities)
        + f"\n]>\n<{root}>&lol9;</{root}>\n"
    )


def hostile(folder: Path) -> dict[str, Path]:
    files = {
        "deep.json": "[" * DEEP + "]" * DEEP,
        "deep-page.json": '{"type": "AnnotationPage", "items": ' + "[" * DEEP + "]" * DEEP + "}",
        # deep enough for the walker, not for the JSON decoder
        "walker.json": '{"type": "AnnotationPage", "items": '
        + '{"items": ' * 5000
        + "{}"
        + "}" * 5000
        + "}",
        "note.vtt": "WEBVTT\n\nNOTE critique "
        + "[" * DEEP
        + "]" * DEEP
        + "\n\n00:00:01.000 --> 00:00:02.000\nhello\n",
        "laughs.eaf": billion_laughs("ANNOTATION_DOCUMENT"),
        "laughs16.eaf": billion_laughs("ANNOTATION_DOCUMENT"),  # UTF-16: no byte marker
        "cell.csv": "film,in,out,value\nfilm,0,1," + "x" * (65 * 1024 * 1024) + "\n",
    }
    out = {}
    for name, text in files.items():
        path = folder / name
        if name == "laughs16.eaf":
            path.write_bytes(
                text.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
            )
        else:
            path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-project")
    still = folder / "ref.png"
    Image.new("RGB", (64, 48), (90, 90, 20)).save(still)
    path = folder / "class.critique"
    done = subprocess.run(
        [sys.executable, "-m", "critique_app", "library", "add", str(path), str(still)],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    return path


def _content(project: Path) -> list[tuple]:
    conn = sqlite3.connect(project)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [(t, conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables]
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("deep.json", "is nested too deeply to be read"),
        ("deep-page.json", "is nested too deeply to be read"),
        ("walker.json", "is nested too deeply to be read"),
        ("note.vtt", "is nested too deeply to be read"),
        ("laughs.eaf", "declares a DTD or XML entities"),
        ("laughs16.eaf", "declares a DTD or XML entities"),
        ("cell.csv", "has a cell longer than 64 MB"),
    ],
)
def test_a_hostile_import_is_one_sentence_and_the_project_is_untouched(
    name: str, says: str, files: dict[str, Path], project: Path
) -> None:
    before = _content(project)
    done = subprocess.run(
        [sys.executable, "-m", "critique_app", "import", str(project), str(files[name])],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"critique-app: {name} ")
    assert says in lines[0]
    assert "unexpected" not in done.stderr and "lol" not in done.stderr
    assert _content(project) == before


def test_a_hostile_vocabulary_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"format": ' + "[" * DEEP + "]" * DEEP + "}")
    laughs = tmp_path / "laughs.ecv"
    laughs.write_text(billion_laughs("CV_RESOURCE"))
    with pytest.raises(UserError, match="deep.json is nested too deeply"):
        read_vocabulary_file(deep)
    with pytest.raises(UserError, match="laughs.ecv declares a DTD or XML entities"):
        read_vocabulary_file(laughs)


def test_a_trust_file_larger_than_the_limit_is_a_sentence(tmp_path: Path) -> None:
    from critique_app.domain import reading_limits
    from critique_app.provenance.trust import pem_list

    big = tmp_path / "anchors.pem"
    with big.open("wb") as out:  # sparse: the size is real, the disk is not used
        out.truncate(reading_limits.MAX_BYTES + 1)
    with pytest.raises(UserError, match="anchors.pem is too large to be read"):
        pem_list(big)
