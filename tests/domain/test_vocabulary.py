"""The shipped vocabulary of AI visual regimes, and vocabulary files in and out (JSON, ELAN .ecv)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from critique_app.domain.vocabulary import (
    FORMAT_VERSION,
    parse_ecv,
    parse_vocabulary,
    vocabulary_to_ecv,
    vocabulary_to_json,
)
from critique_app.errors import UserError
from critique_app.paths import resource
from db.project import open_project
from db.vocabulary_files import export_vocabulary_file, import_vocabulary_file

DEFAULT = resource("vocabularies", "ai_visual_regimes.json")


def _default():
    return parse_vocabulary(DEFAULT.read_text("utf-8"), str(DEFAULT))


def test_default_vocabulary_covers_every_level_of_the_issue() -> None:
    v = _default()
    assert [c.key for c in v.children(None)] == [
        "provenance",
        "operation",
        "temporal",
        "physics",
        "anatomy",
        "function",
        "surface",
        "sociocultural",
        "lens",
    ]
    keys = {c.key for c in v.categories}
    for must in [
        "provenance.source-type.trainedAlgorithmicMedia",
        "provenance.source-type.compositeWithTrainedAlgorithmicMedia",
        "provenance.source-type.digitalCapture",
        "provenance.evidence.c2pa",
        "provenance.evidence.credits",
        "provenance.evidence.interview",
        "provenance.evidence.visual-inference",
        "operation.text-to-video",
        "operation.image-to-video",
        "operation.video-to-video",
        "operation.inpainting",
        "operation.outpainting",
        "operation.upscaling",
        "operation.frame-interpolation",
        "operation.face-swap",
        "operation.reenactment",
        "operation.synthetic-camera",
        "temporal.morphing",
        "temporal.identity-drift",
        "temporal.background-drift",
        "temporal.flicker",
        "temporal.appearing-vanishing",
        "temporal.latent-transition",
        "physics.support-gravity",
        "physics.interpenetration",
        "physics.fluids",
        "physics.breakage",
        "physics.light-shadow",
        "physics.reflection",
        "anatomy.hands",
        "anatomy.eyes-teeth",
        "anatomy.limb-count",
        "anatomy.merged-bodies",
        "anatomy.crowd-faces",
        "function.hallucinated-text",
        "function.logos",
        "function.dysfunctional-objects",
        "function.decor",
        "function.continuity-across-cuts",
        "surface.waxy-smoothing",
        "surface.ai-sheen",
        "surface.shimmering-edges",
        "surface.crawling-textures",
        "surface.invented-detail",
        "sociocultural.stereotype",
        "sociocultural.anachronism",
        "sociocultural.mean-image",
        "lens.indexicality",
        "lens.dataset-as-subject",
        "lens.layer.dataset",
        "lens.layer.model",
        "lens.layer.interface",
        "lens.layer.prompt",
        "lens.montage",
        "lens.decor",
    ]:
        assert must in keys, must
    for cat in v.categories:  # bilingual, defined, one line each
        assert cat.label_en and cat.label_fr, cat.key
        assert cat.definition_en and cat.definition_fr, cat.key
        assert "\n" not in cat.definition_en + cat.definition_fr
        assert cat.parent_key is None or cat.key.startswith(cat.parent_key + ".")
    sources = " ".join(v.metadata["sources"])  # type: ignore[arg-type]
    for cited in ("Kamali", "VBench", "FaceForensics++", "AdA"):
        assert cited in sources


def test_json_round_trip() -> None:
    v = _default()
    again = parse_vocabulary(vocabulary_to_json(v))
    assert again == v and again.metadata == v.metadata


def test_ecv_is_elan_shaped_and_round_trips() -> None:
    v = _default()
    text = vocabulary_to_ecv(v)
    root = ET.fromstring(text)
    assert root.tag == "CV_RESOURCE"
    cv = root.find("CONTROLLED_VOCABULARY")
    assert cv is not None and cv.get("CV_ID") == "ai-visual-regimes"
    entries = cv.findall("CV_ENTRY_ML")
    assert len(entries) == len(v.categories)
    first = entries[0].findall("CVE_VALUE")
    assert [e.get("LANG_REF") for e in first] == ["eng", "fra"]
    back = parse_ecv(text, name=v.name)
    assert [
        (c.key, c.parent_key, c.label_en, c.label_fr, c.definition_en, c.definition_fr)
        for c in back.categories
    ] == [
        (c.key, c.parent_key, c.label_en, c.label_fr, c.definition_en, c.definition_fr)
        for c in v.categories
    ]


def test_an_ecv_written_by_elan_is_read() -> None:
    text = """<?xml version="1.0" encoding="UTF-8"?>
<CV_RESOURCE AUTHOR="" DATE="2024-05-01T10:00:00+01:00" VERSION="0.2">
  <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00138502-001" LANG_ID="eng" LANG_LABEL="English (eng)"/>
  <CONTROLLED_VOCABULARY CV_ID="Shot scale">
    <DESCRIPTION LANG_REF="eng">Scales</DESCRIPTION>
    <CV_ENTRY_ML CVE_ID="cveid_1a2b"><CVE_VALUE DESCRIPTION="whole body" LANG_REF="eng">Long shot</CVE_VALUE></CV_ENTRY_ML>
    <CV_ENTRY_ML CVE_ID="cveid_3c4d"><CVE_VALUE DESCRIPTION="" LANG_REF="eng">Close-up</CVE_VALUE></CV_ENTRY_ML>
  </CONTROLLED_VOCABULARY>
</CV_RESOURCE>"""
    v = parse_ecv(text)
    assert v.key == "shot-scale" and v.description == "Scales"
    assert [(c.label_en, c.definition_en) for c in v.categories] == [
        ("Long shot", "whole body"),
        ("Close-up", None),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"format": "other"}', "is not a Critique vocabulary"),
        (
            '{"format": "critique-vocabulary", "format_version": 99, "key": "x"}',
            "newer version of Critique",
        ),
        (
            '{"format": "critique-vocabulary", "format_version": 1, "key": "x", "name": "X", '
            '"levels": [{"key": "a"}]}',
            "has no label",
        ),
        (
            '{"format": "critique-vocabulary", "format_version": 1, "key": "x", "name": "X", '
            '"levels": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]}',
            "used twice",
        ),
        (
            '{"format": "critique-vocabulary", "format_version": 1, "key": "x", "name": "X", '
            '"levels": [{"key": "Bad Key", "label": "A"}]}',
            "no valid",
        ),
    ],
)
def test_bad_vocabulary_files_get_a_sentence(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as info:
        parse_vocabulary(text, "regimes.json")
    assert str(info.value).startswith("regimes.json")


@pytest.mark.parametrize(
    "content",
    [
        '{"format": "critique-vocabulary", "format_version": 1, "key": "ai-visual-regimes", "na',
        json.dumps(
            {
                "format": "critique-vocabulary",
                "format_version": FORMAT_VERSION + 1,
                "key": "ai-visual-regimes",
                "name": "Future",
                "levels": [],
            }
        ),
        "<CV_RESOURCE><CONTROLLED_VOCABULARY",
    ],
)
def test_importing_a_bad_file_changes_nothing(tmp_path: Path, content: str) -> None:
    with open_project(tmp_path / "p.critique") as project:
        before = project.repo.vocabularies()
        bad = tmp_path / ("bad.ecv" if content.startswith("<") else "bad.json")
        bad.write_text(content, "utf-8")
        with pytest.raises(UserError, match="bad"):
            import_vocabulary_file(project.repo, bad)
        assert project.repo.vocabularies() == before


def test_project_import_export_round_trip(tmp_path: Path) -> None:
    with open_project(tmp_path / "p.critique") as project:
        stored = project.repo.vocabulary_by_key("ai-visual-regimes")
        assert stored is not None and len(stored.categories) == len(_default().categories)
        out = export_vocabulary_file(project.repo, "ai-visual-regimes", tmp_path / "out.json")
        assert parse_vocabulary(out.read_text("utf-8")) == _default()
        ecv = export_vocabulary_file(project.repo, "ai-visual-regimes", tmp_path / "out.ecv")
    with open_project(tmp_path / "q.critique", default_vocabulary=False) as other:
        assert other.repo.vocabularies() == []
        imported = import_vocabulary_file(other.repo, ecv)
        assert [c.key for c in imported.categories] == [c.key for c in _default().categories]
