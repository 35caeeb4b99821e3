"""`critique-app verify` on a signed file in the user's language: in French under
LANG=fr_FR.UTF-8, and every line of its report through the catalogue (pseudo-locale)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from critique_app import i18n
from critique_app.cli import main
from critique_app.provenance.c2pa_signer import sign_file
from tests.i18n.test_cli_languages import WORD, run_cli, unwrapped
from tests.provenance.ca import make_still, signing_identity

NB = "\u00a0"  # French puts a non-breaking space before a colon


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    yield
    i18n.use(i18n.SOURCE)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signed")
    return sign_file(make_still(folder / "raw.jpg"), folder / "signed.jpg", signing_identity())


def test_the_report_of_a_signed_file_is_wrapped_in_the_pseudo_locale(
    signed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANGUAGE", i18n.PSEUDO)
    assert main(["verify", str(signed), "--trust", "none"]) == 0
    out = capsys.readouterr().out
    body = out.replace(str(signed), "")
    # codes for experts stay as they are, in brackets: (untrusted_signer), (c2pa.created)
    rest = re.sub(r"\([\w.:, -]*\)", "", unwrapped(body))
    assert [w for w in WORD.findall(rest) if len(w) > 1] == [], out


def test_verify_speaks_french_under_lang_fr(signed: Path, tmp_path: Path) -> None:
    done = run_cli("verify", str(signed), "--trust", "none", tmp_path=tmp_path, LANG="fr_FR.UTF-8")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"Identifiants de contenu{NB}: Valide, mais le signataire" in out
    assert f"Signal d’IA{NB}: Entièrement généré par IA (fully_genai)" in out
    assert "Le signataire n’est sur aucune des listes de confiance consultées" in out
    assert f"Signataire{NB}: " in out and "Critique test signer" in out
    for english in ("Content Credentials:", "AI signal", "Signer:", "Plain metadata", "trust list"):
        assert english not in out, english


def test_probe_labels_every_line_in_the_pseudo_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.media_factory import make_coded_clip

    clip = tmp_path / "clip.mp4"
    make_coded_clip(clip, frames=12, size=(64, 48), start_timecode="01:00:00:00")
    monkeypatch.setenv("LANGUAGE", i18n.PSEUDO)
    assert main(["probe", str(clip)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith(i18n.PSEUDO_OPEN) for line in lines), lines


def test_probe_speaks_french_under_lang_fr(tmp_path: Path) -> None:
    from tests.media_factory import make_coded_clip

    clip = tmp_path / "clip.mp4"
    make_coded_clip(clip, frames=12, size=(64, 48))
    done = run_cli("probe", str(clip), tmp_path=tmp_path, LANG="fr_FR.UTF-8")
    assert done.returncode == 0, done.stderr
    assert f"cadence{NB}:" in done.stdout and "i/s" in done.stdout
    assert "compté depuis 00:00:00:00" in done.stdout and "fps" not in done.stdout
