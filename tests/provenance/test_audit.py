"""Provenance a jury can audit (issue 24), on real files: the trust-update refusal and the
user's own list, the changes between two checks kept in a project, the soft bindings of a real
Adobe Content Authenticity still, and an asset with both an embedded manifest and a sidecar."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from critique_app.cli import main
from critique_app.domain.provenance_words import trust_list_words
from critique_app.provenance.c2pa_signer import SigningIdentity, sign_file
from critique_app.provenance.isolation import IsolatedReader
from critique_app.provenance.reader_pool import ReaderPool
from critique_app.provenance.soft_bindings import algorithm_list
from critique_app.services.verify import verify_file, verify_paths
from tests.provenance.ca import make_still

FIXTURES = Path(__file__).parent / "fixtures"
CLOUDSCAPE = FIXTURES / "cloudscape-ACA-Cr.jpeg"  # contentauth/example-assets (SOURCES.md)


@pytest.fixture()
def own_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of this test's own: trust lists installed here go with it."""
    folder = tmp_path / "data"
    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(folder))
    return folder


def _interim_files(corpus: Path) -> list[str]:
    trust = corpus / "trust"
    names = ("cai-interim-anchors.pem", "cai-interim-allowed.pem", "cai-store.cfg")
    return [str(trust / n) for n in names]


# -- 1. trust update never files a certificate under an official list's name --------------------
def test_trust_update_without_a_list_refuses_and_installs_nothing(
    provenance_corpus: Path, own_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = provenance_corpus / "trust" / "cai-interim-anchors.pem"
    assert main(["trust", "update", str(bundle)]) == 2  # a usage error
    err = capsys.readouterr().err
    assert "--list user" in err and "official" in err
    assert not (own_data / "trust" / "installed.json").exists()
    assert main(["trust", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["history"] == [] and {f["list"] for f in listed["files"]} == {"c2pa", "interim"}


def test_a_users_own_list_is_named_as_such_in_every_verdict(
    provenance_corpus: Path, own_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = provenance_corpus / "example-assets" / "Firefly_tabby_cat.jpg"
    # The CAI interim list's files, brought as the user's own list (MANIFEST.txt: the file is
    # Trusted under them).
    assert main(["trust", "update", *_interim_files(provenance_corpus), "--list", "user"]) == 0
    capsys.readouterr()
    assert main(["verify", str(cat), "--trust", "user", "--json"]) == 0
    (j,) = json.loads(capsys.readouterr().out)
    c = j["c2pa"]
    assert (c["reason"], c["trust_list"]) == ("ok", "user")
    assert "your own trust list (not an official list)" in c["summary"]
    assert {f["list"] for f in j["trust_files"]} == {"user"}
    assert main(["verify", str(cat), "--trust", "user"]) == 0
    text = capsys.readouterr().out
    assert "vouched for by: your own trust list (not an official list)" in text
    assert "The signer is on your own trust list (not an official list)." in text
    assert "C2PA trust list" not in text
    # With every list, an official list that vouches is named first; the user's list is still
    # consulted, and named as the user's.
    assert main(["verify", str(cat), "--json"]) == 0
    (j,) = json.loads(capsys.readouterr().out)
    assert j["c2pa"]["trust_list"] == "interim"
    assert set(j["trust_dates"]) == {"c2pa", "interim", "user"}


def test_a_test_root_in_the_users_list_is_never_the_official_lists(
    identity: SigningIdentity, ca_pem: str, tmp_path: Path, own_data: Path,
    isolated_reader: IsolatedReader, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The issue's case: a test root, once brought, vouches as the user's own list."""
    still = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "still.jpg", identity)
    assert main(["trust", "update", ca_pem, "--list", "user", "--date", "2026-12-01"]) == 0
    assert (
        "Installed your own trust list (not an official list): dated 2026-12-01"
        in capsys.readouterr().out
    )
    c = verify_file(still, "all", reader=isolated_reader).to_json()["c2pa"]
    assert (c["reason"], c["trust_list"]) == ("ok", "user")
    assert "C2PA trust list" not in c["summary"]
    assert trust_list_words("user") in c["summary"]


def test_trust_list_names_each_list_in_words_and_json_keeps_the_keys(
    ca_pem: str, own_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trust", "update", ca_pem, "--list", "user", "--date", "2026-12-01"]) == 0
    capsys.readouterr()
    assert main(["trust", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    headings = [line for line in lines if line.startswith("Files of ")]
    assert headings == [
        "Files of the C2PA trust list:",
        "Files of the CAI interim trust list:",
        "Files of your own trust list (not an official list):",
    ]
    files = [line for line in lines if line.startswith("  ") and "sha256" in line]
    assert files and all(line.split()[0] not in ("c2pa", "interim", "user") for line in files)
    assert lines[lines.index(headings[-1]) + 1].lstrip().startswith(Path(ca_pem).stem)
    (update,) = lines[lines.index("Updates:") + 1 :]
    assert update.endswith("your own trust list (not an official list): none → 2026-12-01")
    assert main(["trust", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {f["list"] for f in listed["files"]} == {"c2pa", "interim", "user"}
    assert [h["list"] for h in listed["history"]] == ["user"]


# -- 2. each check kept in the project, and what changed since --------------------------------
@pytest.fixture()
def project(tmp_path: Path) -> Path:
    from db.project import open_project

    path = tmp_path / "jury.critique"
    open_project(path).close()
    return path


def test_verify_keeps_each_check_and_says_what_changed(
    provenance_corpus: Path, project: Path, own_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = provenance_corpus / "example-assets" / "Firefly_tabby_cat.jpg"
    args = ["verify", str(cat), "--project", str(project), "--changes"]
    assert main([*args, "--trust", "c2pa"]) == 0
    assert "First check of this file in the project" in capsys.readouterr().out
    # Months later, with the CAI interim list consulted too, the signer is vouched for.
    assert main([*args, "--trust", "all"]) == 0
    out = capsys.readouterr().out
    changes = out.split("Changes since the check of", 1)[1]
    assert (
        "The verdict was “Valid, but the signer is not on a trust list”; it is now “Trusted”."
        in changes
    )
    assert "The library's state was Valid" in changes and "it is now Trusted" in changes
    assert "Vouched for by no trust list then; by the CAI interim trust list now." in changes
    assert "Now consulted: the CAI interim trust list, dated 2026-01-01." in changes
    assert "Trust file now used: cai-interim-anchors.2026-01-01.pem (the CAI interim" in changes
    assert "Problems no longer found in the file's own credentials: Valid, but the signer" in (
        changes
    )
    for code in ("untrusted_signer", "'ok'", "→", "trust_list", "None"):
        assert code not in changes  # sentences, not the report's internal codes
    # The same check again: nothing moved.
    assert main([*args, "--trust", "all", "--json"]) == 0
    (j,) = json.loads(capsys.readouterr().out)
    assert j["changes"]["changes"] == [] and j["changes"]["since"]
    from db.project import open_project
    from db.provenance_store import history

    with open_project(project) as p:
        kept = history(p.db, path=str(cat.resolve()))
    assert [r.reason for r in kept] == ["untrusted_signer", "ok", "ok"]
    assert "changes" not in kept[-1].report  # what is kept is the report itself


def test_changes_after_the_file_itself_changed(
    provenance_corpus: Path, project: Path, tmp_path: Path, own_data: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    copy = tmp_path / "cat.jpg"
    shutil.copyfile(provenance_corpus / "example-assets" / "Firefly_tabby_cat.jpg", copy)
    args = ["verify", str(copy), "--project", str(project), "--changes", "--trust", "interim"]
    assert main([*args, "--json"]) == 0
    capsys.readouterr()
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    assert main([*args, "--json"]) == 0
    (j,) = json.loads(capsys.readouterr().out)
    fields = {c["field"] for c in j["changes"]["changes"]}
    assert {"sha256", "state", "reason", "failures"} <= fields
    said = " ".join(s for c in j["changes"]["changes"] for s in c["sentences"])
    assert "its SHA-256 changed" in said
    assert "it is now “Invalid: changed after signing”" in said
    assert "New problems found in the file's own credentials: Invalid: changed after signing" in (
        said
    )


# -- 3. soft bindings, shown and never judged ------------------------------------------------
def test_soft_bindings_of_a_real_content_authenticity_still(
    own_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(CLOUDSCAPE), "--json"]) == 0
    (j,) = json.loads(capsys.readouterr().out)
    c = j["c2pa"]
    assert c["reason"] == "ok"  # under the interim list, whatever the soft bindings
    trustmark, dense = c["soft_bindings"]
    assert (trustmark["alg"], trustmark["algorithm_name"], trustmark["kind"]) == (
        "com.adobe.trustmark.P", "Adobe Trustmark variant P", "watermark")  # fmt: skip
    assert (dense["alg"], dense["algorithm_name"], dense["kind"]) == (
        "com.adobe.icn.dense", "Adobe Image Comparator Network Dense Fingerprint",
        "fingerprint")  # fmt: skip
    (block,) = trustmark["blocks"]
    assert block["value"].startswith("2*00100111100001110011") and len(block["value"]) == 70
    assert block["value_shown"] == "2*001001111000…10111010"
    assert (block["scope"], block["scope_words"]) == ({}, "the whole asset")
    assert "vendor's decoder" in trustmark["note"] and "prove nothing" in trustmark["note"]
    assert "vendor's own algorithm" in dense["note"]
    assert main(["verify", str(CLOUDSCAPE)]) == 0
    text = capsys.readouterr().out
    assert "Adobe Trustmark variant P, a watermark (com.adobe.trustmark.P): 2*001001111000…" in (
        text
    )
    assert "never part of the verdict, and their absence proves nothing" in text
    assert "Decoding this watermark needs the vendor's decoder" in text


def test_no_soft_binding_says_nothing_and_changes_nothing(
    provenance_corpus: Path, own_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = provenance_corpus / "example-assets" / "Firefly_tabby_cat.jpg"
    assert main(["verify", str(cat), "--json"]) == 0
    (j,) = json.loads(capsys.readouterr().out)
    assert j["c2pa"]["soft_bindings"] == [] and j["c2pa"]["reason"] == "ok"
    assert main(["verify", str(cat)]) == 0
    assert "Soft bindings" not in capsys.readouterr().out


def test_the_bundled_algorithm_list_says_where_it_comes_from() -> None:
    snapshot = algorithm_list()
    assert snapshot["source"].startswith("https://github.com/c2pa-org/softbinding-algorithm-list/")
    algs = {a["alg"]: a for a in snapshot["algorithms"]}
    assert algs["io.iscc.v0"]["type"] == "fingerprint"
    assert len(algs) == len(snapshot["algorithms"]) >= 30


# -- 4. an asset with both an embedded manifest and a sidecar ---------------------------------
@pytest.fixture(scope="module")
def stray_sidecar(identity: SigningIdentity, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A manifest store signed for another picture, kept as a sidecar."""
    d = tmp_path_factory.mktemp("stray")
    sign_file(make_still(d / "src.jpg"), d / "other.jpg", identity, sidecar=d / "other.c2pa")
    return d / "other.c2pa"


def test_a_scan_checks_the_embedded_manifest_and_the_stray_sidecar(
    provenance_corpus: Path, stray_sidecar: Path, tmp_path: Path, own_data: Path,
    reader_pool: ReaderPool, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    folder = tmp_path / "submission"
    folder.mkdir()
    shutil.copyfile(provenance_corpus / "example-assets" / "Firefly_tabby_cat.jpg",
                    folder / "cat.jpg")  # fmt: skip
    shutil.copyfile(stray_sidecar, folder / "cat.c2pa")
    (report,) = verify_paths([folder], "interim", reader=reader_pool)  # read side by side
    j = report.to_json()
    assert (j["verdict_about"], j["c2pa"]["reason"], j["sidecar"]) == ("embedded", "ok", None)
    other = j["other_manifest"]
    assert (other["source"], other["reason"]) == ("sidecar", "tampered")
    assert other["path"] == str((folder / "cat.c2pa").resolve())
    assert main(["verify", str(folder), "--trust", "interim"]) == 0
    text = capsys.readouterr().out
    assert "The verdict above is about the manifest embedded in the file." in text
    assert "cat.c2pa beside it was checked too: Invalid: changed after signing (tampered)" in text
    # Asked for by name, the sidecar is what the verdict is about; the embedded one is said.
    code = main(["verify", str(folder / "cat.jpg"), "--manifest", str(folder / "cat.c2pa"),
                 "--trust", "interim", "--json"])  # fmt: skip
    (j,) = json.loads(capsys.readouterr().out)
    assert code == 0 and (j["verdict_about"], j["c2pa"]["reason"]) == ("sidecar", "tampered")
    assert (j["other_manifest"]["source"], j["other_manifest"]["reason"]) == ("embedded", "ok")


def test_the_screening_report_tells_the_same_story_of_both_manifests(
    provenance_corpus: Path, stray_sidecar: Path, tmp_path: Path, own_data: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """What the report's JSON holds of the second manifest and of the list that vouched, the
    HTML says too, in the sentences `verify` prints."""
    from critique_app.services.screening import (
        LibrarySnapshot,
        ScreeningSettings,
        find_submissions,
        screen_file,
    )
    from critique_app.services.screening_report import write_report
    from critique_app.services.screening_table import ranked, row_of

    folder = tmp_path / "submission"
    folder.mkdir()
    shutil.copyfile(provenance_corpus / "example-assets" / "Firefly_tabby_cat.jpg",
                    folder / "cat.jpg")  # fmt: skip
    shutil.copyfile(stray_sidecar, folder / "cat.c2pa")
    shutil.copyfile(CLOUDSCAPE, folder / CLOUDSCAPE.name)
    found = find_submissions([folder])
    settings = ScreeningSettings(trust="interim")
    results = [screen_file(s, LibrarySnapshot.of([]), settings) for s in found.submissions]
    rows = ranked(row_of(r) for r in results)
    files = write_report(rows, tmp_path / "jury.html")
    html = files.html.read_text("utf-8")
    (cat,) = [j for j in json.loads(files.json.read_text("utf-8")) if j["name"] == "cat.jpg"]
    assert (cat["reason"], cat["trust_list"]) == ("ok", "interim")
    assert main(["verify", str(folder), "--trust", "interim"]) == 0
    told = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert cat["trust"] == "The signer is on the CAI interim trust list." and cat["trust"] in told
    (story,) = cat["manifests"]
    assert story.startswith("The verdict above is about the manifest embedded in the file.")
    assert story.endswith("cat.c2pa beside it was checked too: Invalid: changed after signing.")
    for sentence in (cat["trust"], story):
        assert sentence in html
    # verify's text is the same sentence, with the verdict's code for experts
    assert story.replace("signing.", "signing (tampered).") in told


@pytest.mark.parametrize(
    "extra",
    [
        ["--trust", "bogus"],
        ["--cawg-trust", "bogus"],
        ["--changes"],
        ["--manifest", "nowhere.c2pa"],
        ["--project", "nowhere.critique"],
    ],
)
def test_usage_errors_of_verify_exit_2(
    extra: list[str], own_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(CLOUDSCAPE), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("critique-app: ") and "Traceback" not in err


def test_manifest_with_two_assets_is_a_usage_error(
    stray_sidecar: Path, own_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(CLOUDSCAPE), str(CLOUDSCAPE)]
    assert main(["verify", *files, "--manifest", str(stray_sidecar)]) == 2
    assert "exactly one asset" in capsys.readouterr().err
