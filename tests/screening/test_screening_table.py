"""The jury's table without a cluster: discovery by content, ranking, filters, the report."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from critique_app.domain.screening import ScreeningResult
from critique_app.services.screening import find_submissions
from critique_app.services.screening_report import write_report
from critique_app.services.screening_table import filter_rows, ranked, row_of, sort_rows


def result(name: str, reason: str | None, signal: str = "none_declared", matches: int = 0,
           problem: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "path": f"/subs/{name}",
        "sha256": name,
        "problem": problem,
        "sidecar": None,
        "verify": None if reason is None else {"c2pa": {"reason": reason, "ai_signal": signal}},
        "matches": [
            {
                "label": "<b>Sora</b> showcase",
                "start_frame": 10 * i,
                "end_frame": 10 * i + 9,
                "start_timecode": "00:00:01:00",
                "end_timecode": "00:00:02:00",
                "median_distance": 2.0,
                "variant": "plain",
            }
            for i in range(matches)
        ],  # fmt: skip
    }


RESULTS = [
    result("plain.mp4", "no_manifest"),
    result("matched.mp4", "no_manifest", matches=2),
    result("untrusted.jpg", "untrusted_signer", "captured"),
    result("declared.jpg", "untrusted_signer", "fully_genai"),
    result("broken.mp4", None, problem="broken.mp4 could not be read."),
    result("tampered.jpg", "tampered"),
    result("expired.jpg", "expired_credential"),
]


def test_what_needs_an_eye_comes_first() -> None:
    rows = ranked(row_of(ScreeningResult.from_json(r)) for r in RESULTS)
    assert [r.name for r in rows] == [
        "tampered.jpg", "expired.jpg", "declared.jpg", "matched.mp4", "broken.mp4",
        "untrusted.jpg", "plain.mp4",
    ]  # fmt: skip
    assert [r.needs_eye for r in rows] == [True] * 5 + [False] * 2
    assert rows[3].first_match_frame == 0 and rows[3].match_count == 2


def test_filters_and_sorting() -> None:
    rows = ranked(row_of(ScreeningResult.from_json(r)) for r in RESULTS)
    assert [r.name for r in filter_rows(rows, with_matches=True)] == ["matched.mp4"]
    assert [r.name for r in filter_rows(rows, ai_signals={"fully_genai"})] == ["declared.jpg"]
    assert [r.name for r in filter_rows(rows, text="sora")] == ["matched.mp4"]
    assert len(filter_rows(rows, needs_eye=True)) == 5
    by_name = sort_rows(rows, "name")
    assert [r.name for r in by_name][:2] == ["broken.mp4", "declared.jpg"]
    assert sort_rows(rows, "rank_reason", descending=True)[0].name == "plain.mp4"


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_report_escapes_every_string_and_writes_csv_and_json(tmp_path: Path) -> None:
    hostile = result("<script>alert(1)</script>.mp4", "no_manifest", matches=1)
    rows = ranked(row_of(ScreeningResult.from_json(r)) for r in [*RESULTS, hostile])
    files = write_report(rows, tmp_path / "jury.html")
    parser = _Cells()
    parser.feed(files.html.read_text("utf-8"))
    assert "script" not in parser.tags and "b" not in parser.tags
    text = "".join(parser.text)
    assert "<script>alert(1)</script>.mp4" in text and "<b>Sora</b> showcase" in text
    table = list(csv.DictReader(files.csv.open(encoding="utf-8")))
    assert [r["name"] for r in table] == [r.name for r in rows]
    assert json.loads(files.json.read_text("utf-8"))[0]["name"] == "tampered.jpg"


def test_discovery_by_content_with_sidecars(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (8, 8)).save(tmp_path / "photo.txt", format="PNG")  # a picture misnamed
    (tmp_path / "photo.c2pa").write_bytes(b"jumb")
    (tmp_path / "readme.jpg").write_text("not a picture at all")
    (tmp_path / "lonely.c2pa").write_bytes(b"jumb")
    (tmp_path / ".hidden.png").write_bytes(b"")
    found = find_submissions([tmp_path])
    assert [(Path(s.path).name, s.format) for s in found.submissions] == [("photo.txt", "png")]
    assert found.submissions[0].sidecar and found.submissions[0].sidecar.endswith("photo.c2pa")
    skipped = " ".join(found.skipped)
    assert "readme.jpg is not a picture" in skipped and "lonely.c2pa" in skipped
    assert ".hidden.png is hidden" in skipped


def test_a_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    from critique_app.errors import UserError

    with pytest.raises(UserError, match="does not exist"):
        find_submissions([tmp_path / "nowhere"])


def test_stored_results_skip_by_path_and_know_copies_by_content() -> None:
    from critique_app.services.screening_table import stored_rows
    from db import screening_store as store
    from db.project import memory_project

    project = memory_project()
    first = {**result("film.mp4", "tampered"), "settings_key": "k", "size": 10}
    store.store_result(
        project.db, ScreeningResult.from_json(first), rank=0, rank_reason="why", mtime_ns=5
    )
    store.same_content(project.db, "film.mp4", "k", "/subs/copy.mp4", 10, 7)
    assert store.done_files(project.db, "k") == {
        ("/subs/film.mp4", 10, 5),
        ("/subs/copy.mp4", 10, 7),
    }
    assert store.done_digests(project.db, "k") == frozenset({"film.mp4"})
    assert [r.path for r in stored_rows(project)] == ["/subs/film.mp4"]
    assert store.done_files(project.db, "other settings") == set()


def test_a_result_reads_back_as_stored_and_older_rows_still_load() -> None:
    from critique_app.services.screening import ScreeningSettings, Submission, unexpected_failure

    failed = unexpected_failure(
        Submission("/subs/a.mp4", "mp4", size=3), ScreeningSettings(), "why"
    )
    assert ScreeningResult.from_json(failed.to_json()) == failed
    assert "worker" not in failed.to_json()  # as before: no worker came back
    old = {"path": "/subs/b.mp4", "settings_key": "k", "sha256": "x", "matches": [{"a": 1}]}
    loaded = ScreeningResult.from_json({**old, "from_a_newer_version": 1})
    assert loaded.format is None and loaded.visible and loaded.matches == ({"a": 1},)
    assert loaded.to_json()["from_a_newer_version"] == 1
