"""Agreement of a class: the units and values reproduce the `krippendorff` package's reference
example and a coincidence matrix computed by hand; three students' projects, merged, give
alpha, kappa and IoU equal to a frame-by-frame computation written here, to 1e-9."""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from fractions import Fraction
from html.parser import HTMLParser
from itertools import combinations, permutations
from pathlib import Path

import numpy as np
import pytest

from critique_app.cli import main
from critique_app.domain.model import Annotation, FrameRange
from critique_app.errors import UserError
from critique_app.services import agreement_measures as measures
from critique_app.services.agreement import (
    add_disagreements_to_seminar,
    class_agreement,
    film_agreement,
)
from critique_app.services.merge import merge_projects
from db.project import open_project

NAN = math.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the nominal example the
# package tests with: 3 coders, 15 units, missing values; alpha = 0.691358.
REFERENCE = [
    [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
    [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
    [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
]

FRAMES = 600
SHA = "a" * 64
MORPH, TEXT, DRIFT, HANDS = (
    "temporal.morphing",
    "function.hallucinated-text",
    "temporal.identity-drift",
    "anatomy.hands",
)
# (first, last, category key or None); overlaps are deliberate: a nested text passage inside
# a morph, two hands passages overlapping, an equal-length tie, an uncategorised annotation.
STUDENTS = {
    "ana": [(100, 199, MORPH), (150, 159, TEXT), (400, 449, HANDS), (500, 509, None)],
    "ben": [(120, 219, MORPH), (300, 349, DRIFT), (410, 459, HANDS), (455, 470, HANDS)],
    "chloé": [
        (90, 189, MORPH),
        (140, 169, TEXT),
        (290, 339, DRIFT),
        (560, 569, MORPH),
        (560, 569, DRIFT),
    ],
}


def alpha_by_hand(units: list[list[str]]) -> float:
    """Krippendorff's alpha (nominal) from the coincidence matrix, written out."""
    o: Counter[tuple[str, str]] = Counter()
    for values in units:
        m = len(values)
        if m < 2:
            continue
        for i, j in permutations(range(m), 2):
            o[values[i], values[j]] += 1.0 / (m - 1)
    n_c: Counter[str] = Counter()
    for (c, _k), w in o.items():
        n_c[c] += w
    n = sum(n_c.values())
    observed = sum(w for (c, k), w in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    return 1.0 - (n - 1) * observed / expected


def test_reference_example_through_our_units_and_values() -> None:
    rows, reviewed = [], []
    for coder, line in enumerate(REFERENCE):
        for unit, value in enumerate(line):
            if not math.isnan(value):
                rows.append((coder, unit, unit, int(value)))
                reviewed.append((coder, unit, unit, 0))
    seg = measures.segment_values(measures.Spans.of(rows), 3, measures.Spans.of(reviewed))
    counts = measures.value_counts(seg.values, 5)
    per_frame = measures.frame_counts(counts[seg.units], seg.length[seg.units])
    ours = measures.nominal_alpha(per_frame)
    assert ours is not None and round(ours, 6) == 0.691358
    by_hand = alpha_by_hand(
        [[str(int(v)) for v in col if not math.isnan(v)] for col in zip(*REFERENCE, strict=True)]
    )
    assert ours == pytest.approx(by_hand, abs=1e-12)
    # The package's own matrix for this example, row for row (its test_nominal_metric_value_counts).
    assert counts[:, 1:].tolist() == [
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 2, 0, 0],
        [2, 0, 0, 0],
        [0, 0, 2, 0],
        [0, 0, 2, 1],
        [0, 0, 0, 3],
        [1, 0, 1, 0],
        [0, 2, 0, 0],
        [2, 0, 0, 0],
        [2, 0, 0, 0],
        [0, 0, 2, 0],
        [0, 0, 2, 0],
        [0, 0, 0, 0],
        [0, 0, 1, 1],
    ]


def _student_file(path: Path, name: str, spans: list[tuple[int, int, str | None]]) -> Path:
    with open_project(path) as p:
        film = p.repo.add_film(
            f"/home/{name}/ondes.mp4", sha256=SHA, size=10, rate=Fraction(24), frame_count=FRAMES
        )
        tier = p.repo.add_tier(name.capitalize(), author=name)
        for first, last, key in spans:
            cat = p.repo.category_by_key(key) if key else None
            p.repo.add_annotation(
                Annotation.create(
                    film.id or 0,
                    tier.id or 0,
                    FrameRange(first, last),
                    category_id=cat.id if cat else None,
                    author=name,
                    note=f"{name}: {key}",
                )
            )
    return path


@pytest.fixture(scope="module")
def class_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    sources = [
        _student_file(folder / f"{name}.critique", name, spans) for name, spans in STUDENTS.items()
    ]
    target = folder / "class.critique"
    with open_project(target) as project:
        merge_projects(project, sources)
    return target


@pytest.fixture
def project_path(class_project: Path, tmp_path: Path) -> Path:
    path = tmp_path / "class.critique"
    shutil.copy(class_project, path)
    return path


def values_by_hand(spans: list[tuple[int, int, str | None]]) -> list[str]:
    """Each frame's value for one student: the shortest covering annotation (the first one
    written when two are as long), 'uncategorised' without category, else 'none'."""
    out = []
    for f in range(FRAMES):
        covering = [
            (last - first, n, key)
            for n, (first, last, key) in enumerate(spans)
            if first <= f <= last
        ]
        if not covering:
            out.append("none")
        else:
            key = min(covering)[2]
            out.append(key or "uncategorised")
    return out


def kappa_by_hand(a: list[str], b: list[str]) -> float:
    n = len(a)
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[v] * cb[v] for v in ca) / n / n
    return (po - pe) / (1 - pe)


def test_three_students_agree_as_computed_frame_by_frame(project_path: Path) -> None:
    with open_project(project_path) as project:
        (report,) = class_agreement(project)
    names = list(STUDENTS)
    frames = {name: values_by_hand(spans) for name, spans in STUDENTS.items()}
    units = [f for f in range(FRAMES) if any(frames[n][f] != "none" for n in names)]
    assert [c.name for c in report.coders] == names
    assert report.units == len(units)
    columns = [[frames[n][f] for n in names] for f in units]
    assert report.alpha == pytest.approx(alpha_by_hand(columns), abs=1e-9)
    used = sorted({v for col in columns for v in col} - {"none"})
    assert sorted(c.key for c in report.categories) == used
    for cat in report.categories:
        collapsed = [[v if v == cat.key else "rest" for v in col] for col in columns]
        assert cat.alpha == pytest.approx(alpha_by_hand(collapsed), abs=1e-9), cat.key
        assert cat.frames == sum(cat.key in col for col in columns)
    pairs = {(p.a, p.b): p for p in report.pairs}
    assert list(pairs) == list(combinations(names, 2))
    for a, b in combinations(names, 2):
        va, vb = [frames[a][f] for f in units], [frames[b][f] for f in units]
        pair = pairs[a, b]
        assert pair.kappa == pytest.approx(kappa_by_hand(va, vb), abs=1e-9)
        assert pair.frames == len(units)
        for key in used:
            both = sum(x == key and y == key for x, y in zip(va, vb, strict=True))
            either = sum(x == key or y == key for x, y in zip(va, vb, strict=True))
            expected = both / either if either else None
            assert pair.iou[key] == (
                pytest.approx(expected, abs=1e-9) if expected is not None else None
            ), (a, b, key)
    # known values, as a reader can check by eye: ana and chloé's text passages overlap 10 of 30
    assert pairs["ana", "chloé"].iou[TEXT] == pytest.approx(10 / 30)
    assert pairs["ana", "ben"].iou[TEXT] == 0.0
    assert pairs["ana", "ben"].iou[DRIFT] == 0.0 and pairs["ben", "chloé"].iou[DRIFT] == 40 / 60
    notes = " ".join(report.notes)
    assert "1 annotation has no category" in notes
    assert "8 annotations overlap another one by the same author" in notes


def test_by_tier_and_chosen_tiers(project_path: Path) -> None:
    with open_project(project_path) as project:
        (by_author,) = class_agreement(project)
        (by_tier,) = class_agreement(project, by="tier")
        (two,) = class_agreement(project, by="tier", tiers=["Ana", "Ben"])
        with pytest.raises(UserError, match="no tier 'Zoe'"):
            class_agreement(project, tiers=["Zoe"])
    assert [c.name for c in by_tier.coders] == ["Ana", "Ben", "Chloé"]
    assert by_tier.alpha == by_author.alpha
    assert [c.name for c in two.coders] == ["Ana", "Ben"] and len(two.pairs) == 1
    frames = {n: values_by_hand(STUDENTS[n]) for n in ("ana", "ben")}
    units = [f for f in range(FRAMES) if frames["ana"][f] != "none" or frames["ben"][f] != "none"]
    assert two.alpha == pytest.approx(
        alpha_by_hand([[frames["ana"][f], frames["ben"][f]] for f in units]), abs=1e-9
    )


def test_passages_of_disagreement_become_a_seminar_in_one_undo(project_path: Path) -> None:
    with open_project(project_path) as project:
        (report,) = class_agreement(project)
        assert report.passages, "the students disagree somewhere"
        top = report.passages[0]
        assert top.in_tc == report.film.timecode(top.range.start)
        assert set(top.said) == set(STUDENTS)
        ranges = {(p.range.start, p.range.end) for p in report.passages}
        assert any(s <= 505 <= e for s, e in ranges)  # only ana's uncategorised passage there
        seminar, items = add_disagreements_to_seminar(project, [report], "Where we differ")
        assert len(items) == len(report.passages)
        stored = project.repo.seminar_items(seminar.id)
        assert [i.range for i in stored] == [i.range for i in items]
        assert all("The class disagrees here" in i.prompt for i in stored)
        project.undo.undo()
        assert project.repo.seminar_by_name("Where we differ") is None
        project.undo.redo()
        assert len(
            project.repo.seminar_items(project.repo.seminar_by_name("Where we differ").id)
        ) == len(items)
        # A second time into the same seminar: appended, still one undo step.
        add_disagreements_to_seminar(project, [report], "Where we differ", limit=2)
        sid = project.repo.seminar_by_name("Where we differ").id
        assert len(project.repo.seminar_items(sid)) == len(items) + 2
        project.undo.undo()
        assert len(project.repo.seminar_items(sid)) == len(items)


def test_one_annotator_is_said_not_crashed(tmp_path: Path) -> None:
    path = _student_file(tmp_path / "alone.critique", "ana", STUDENTS["ana"])
    with open_project(path) as project:
        report = film_agreement(project, 1)
    assert report.alpha is None and report.pairs == []
    assert "at least two authors" in " ".join(report.notes)


def test_cli_json_and_seminar(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "agreement",
                str(project_path),
                "--film",
                "ondes",
                "--json",
                "--seminar",
                "Disagreements",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    (film,) = out["films"]
    assert film["film"]["title"] == "ondes" and len(film["pairs"]) == 3
    assert out["seminar"]["items_added"] == len(film["passages"])
    assert main(["agreement", str(project_path), "--by", "tier"]) == 0
    text = capsys.readouterr().out
    assert "Krippendorff's alpha" in text and "Ana / Ben: kappa" in text
    assert (
        main(["agreement", str(tmp_path_missing := project_path.with_name("nope.critique"))]) == 2
    )
    assert not tmp_path_missing.exists()
    assert main(["agreement", str(project_path), "--film", "other"]) == 1
    assert "There is no film 'other'" in capsys.readouterr().err


def test_vectorised_segments_equal_frame_by_frame_on_random_classes() -> None:
    """Many random overlapping annotations: the interval arithmetic equals a per-frame paint."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        coders, frames = 4, 300
        rows = []
        for c in range(coders):
            for _k in range(rng.integers(0, 12)):
                first = int(rng.integers(0, frames - 1))
                rows.append(
                    (
                        c,
                        first,
                        int(min(frames - 1, first + rng.integers(0, 60))),
                        int(rng.integers(1, 4)),
                    )
                )
        seg = measures.segment_values(measures.Spans.of(rows), coders)
        painted = np.zeros((frames, coders), np.int64)
        best = np.full((frames, coders), np.iinfo(np.int64).max)
        for n, (c, first, last, v) in enumerate(rows):
            for f in range(first, last + 1):
                key = (last - first) * 10_000 + n
                if key < best[f, c]:
                    best[f, c], painted[f, c] = key, v
        expanded = np.zeros((frames, coders), np.int64)
        for s, n, vals in zip(seg.start, seg.length, seg.values, strict=True):
            expanded[s : s + n] = vals
        assert (expanded == painted).all()


def test_big_classes_sum_the_same_coincidences_as_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above PACKAGE_CELLS the coincidence matrix is summed from weighted segments: the same
    alpha as the package on the expanded frames, and on the reference example."""
    rng = np.random.default_rng(8)
    counts = rng.multinomial(5, [0.5, 0.2, 0.2, 0.1], size=300)
    counts[::7, 0] += 1  # units with another number of coders
    length = rng.integers(1, 20, size=300)
    reference = measures.value_counts(
        np.array(
            [[-1 if math.isnan(v) else int(v) for v in col] for col in zip(*REFERENCE, strict=True)]
        ),
        5,
    )
    expected = [measures.nominal_alpha(c, w) for c, w in ((counts, length), (reference, None))]
    expected.append(measures.nominal_alpha(measures.one_against_rest(counts, 1), length))
    monkeypatch.setattr(measures, "PACKAGE_CELLS", 0)
    got = [measures.nominal_alpha(c, w) for c, w in ((counts, length), (reference, None))]
    got.append(measures.nominal_alpha(measures.one_against_rest(counts, 1), length))
    assert got == pytest.approx(expected, abs=1e-12)
    assert round(got[1], 6) == 0.691358


def test_handouts_carry_an_agreement_section(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """html, pdf and md with --agreement: the same alpha and passages, read back by a browser's
    parser, pdftotext and as text."""
    import subprocess

    from tests.media_factory import make_coded_clip

    film = make_coded_clip(tmp_path / "ondes.mp4", frames=FRAMES, size=(96, 64))
    with open_project(project_path) as project:
        project.repo.set_film_path(1, str(film))
        (report,) = class_agreement(project)
    alpha = f"{report.alpha:.3f}"
    texts = {}
    for fmt in ("md", "html", "pdf"):
        out = tmp_path / f"handout.{fmt}"
        args = ["export", str(project_path), "--format", fmt, "--film", "ondes", "-o", str(out)]
        assert main([*args, "--agreement"]) == 0, capsys.readouterr().err
        if fmt == "pdf":
            texts[fmt] = subprocess.run(
                ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
            ).stdout
        elif fmt == "html":
            reader = _TextOf()
            reader.feed(out.read_text("utf-8"))
            texts[fmt] = " ".join(reader.chunks)
        else:
            texts[fmt] = out.read_text("utf-8")
    for fmt, text in texts.items():
        flat = " ".join(text.split())
        assert "Agreement of the class" in flat or "AGREEMENT OF THE CLASS" in flat, fmt
        assert f"Krippendorff's alpha (nominal) {alpha}" in flat.replace("**", ""), fmt
        assert report.passages[0].in_tc in flat, fmt
        assert "ana / ben" in flat, fmt
    # in French, the numbers as French writes them
    from critique_app import i18n

    fiche = tmp_path / "fiche.md"
    args = ["export", str(project_path), "--format", "md", "--film", "ondes", "-o", str(fiche)]
    assert main([*args, "--agreement", "--language", "fr"]) == 0, capsys.readouterr().err
    french = fiche.read_text("utf-8")
    french_alpha = i18n.format_decimal(report.alpha, 3, "fr")
    assert "," in french_alpha and f"**{french_alpha}**" in french, french
    csv = tmp_path / "x.csv"
    args = ["export", str(project_path), "--format", "csv", "--film", "ondes", "-o", str(csv)]
    assert main([*args, "--agreement"]) == 1 and not csv.exists()
    assert "has no place for it" in capsys.readouterr().err
    # Without the option, no section.
    plain = tmp_path / "plain.md"
    assert (
        main(["export", str(project_path), "--format", "md", "--film", "ondes", "-o", str(plain)])
        == 0
    )
    assert "Agreement of the class" not in plain.read_text("utf-8")


class _TextOf(HTMLParser):
    """The text a browser shows of a page (tags dropped, entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
