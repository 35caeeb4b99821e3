"""A seminar's HTML handout in the export's language: a French handout has no English heading,
caption or label (the project's own notes and prompts stay as they were written); the window
or command line around it keeps its own language."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from critique_app import i18n
from critique_app.services import export as service
from tests.exporters.conftest import Sample, build_sample

ENGLISH_LABELS = (
    "Still: frame",
    "For discussion",
    "Contents",
    "Made with Critique",
    "passages from",
    "prepared",
    " fps",
    "<dt>In</dt>",
    "<dt>Out</dt>",
    "<dt>Category</dt>",
    "<dt>Status</dt>",
    "<dt>Author</dt>",
    "<dt>Evidence</dt>",
    "regions outlined",
    "region outlined",
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    made = build_sample(tmp_path_factory.mktemp("sample"))
    yield made
    made.project.close()


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    yield
    i18n.use(i18n.SOURCE)


def handout(sample: Sample, out: Path, language: str) -> str:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    return service.export(doc, "html", out, language=language).read_text(encoding="utf-8")


def test_a_french_handout_has_no_english_heading_caption_or_label(
    sample: Sample, tmp_path: Path
) -> None:
    html = handout(sample, tmp_path / "fiche.html", "fr")
    assert '<html lang="fr">' in html
    for english in ENGLISH_LABELS:
        assert english not in html, english
    for french in ("Photogramme", "Pour la discussion", "<dt>Entrée</dt>", "Réalisé avec Critique"):
        assert french in html, french
    assert "What does the morph do to the" in html  # a teacher's prompt, never translated


def test_a_french_pdf_handout_has_no_english_heading_caption_or_label(
    sample: Sample, tmp_path: Path
) -> None:
    import subprocess

    doc = service.seminar_document(sample.project, sample.seminar_id)
    pdf = service.export(doc, "pdf", tmp_path / "fiche.pdf", language="fr")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for english in (
        "SEMINAR",
        "PASSAGES AT A GLANCE",
        "Still: frame",
        "Made with Critique",
        "passages from",
        "Length",
        "Evidence",
        " fps",
    ):
        assert english not in text, english
    for french in ("SÉMINAIRE", "Photogramme", "Réalisé avec Critique", "Durée"):
        assert french in text, french


def test_an_english_handout_from_a_french_command_line_stays_english(
    sample: Sample, tmp_path: Path
) -> None:
    i18n.use("fr")
    html = handout(sample, tmp_path / "handout.html", "en")
    assert "Still: frame" in html and "For discussion" in html and "Photogramme" not in html
    assert i18n.current() == "fr"  # the export's language ended with the export


def test_speaking_changes_only_its_own_thread() -> None:
    i18n.use("en")
    seen: list[str] = []
    with i18n.speaking("fr"):
        other = threading.Thread(target=lambda: seen.append(i18n._("{path} does not exist.")))
        other.start()
        other.join()
        assert i18n._("{path} does not exist.") == "{path} n’existe pas."
    assert seen == ["{path} does not exist."]
    assert i18n.current() == "en"
