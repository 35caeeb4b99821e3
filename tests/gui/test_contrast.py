"""Readable everywhere: every text/background pair passes WCAG AA (4.5:1), in every theme.

The pairs come from every stylesheet in resources/qss (found, not listed: a new theme is
checked the day it lands) and from the colours the window paints with itself
(gui/colours.py: table cells, the screening "Why" column, verdict badges, timeline labels).
Contrast is the WCAG 2.x ratio of relative luminances, (L1 + 0.05) / (L2 + 0.05).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from critique_app.gui import colours
from critique_app.gui.colours import contrast
from critique_app.gui.timeline.timeline_presenter import PALETTE
from critique_app.paths import resource

AA = 4.5
QSS = sorted(Path(str(resource("qss"))).glob("*.qss"))
RULE_TAIL = re.compile(r"(\[[^\]]*\]|::?[\w-]+|#[\w-]+)$")
NAMED = {"white": "#ffffff", "black": "#000000"}
# parts of widgets that hold no text: their colours are surfaces and lines only
NO_TEXT = re.compile(
    r"::(separator|handle|groove|sub-page|add-page|add-line|sub-line)|QSplitter|QScrollBar|"
    r"#VideoView|QSlider"
)


def parse(text: str) -> dict[str, dict[str, str]]:
    """{selector: {property: value}} of a stylesheet (comma-separated selectors split)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                key, value = decl.split(":", 1)
                decls[key.strip().lower()] = value.strip()
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(decls)
    return rules


def colour(value: str | None) -> str | None:
    """'#rrggbb' from a declaration's value (its first colour), None for none/transparent."""
    if not value:
        return None
    found = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\b(white|black)\b", value)
    if not found:
        return None
    hit = found.group(0).lower()
    hit = NAMED.get(hit, hit)
    return "#" + "".join(c * 2 for c in hit[1:]) if len(hit) == 4 else hit


def parents(selector: str) -> list[str]:
    """The selector, then the rules it inherits from: states, sub-controls, ids and
    attributes stripped one at a time; in a descendant selector the widget's own type, then
    the enclosing widget; finally QWidget."""
    out = [selector]
    while True:
        shorter = RULE_TAIL.sub("", selector).strip()
        if shorter == selector or not shorter:
            if " " not in selector:
                break
            shorter, own_type = selector.rsplit(" ", 1)
            out.append(own_type)
        selector = shorter
        out.append(selector)
    return [*out, "QWidget"]


def inherited(rules: dict[str, dict[str, str]], selector: str, keys: tuple[str, ...]) -> str | None:
    for candidate in parents(selector):
        for key in keys:
            found = colour(rules.get(candidate, {}).get(key))
            if found:
                return found
    return None


TEXT_KEYS = ("color",)
BACKGROUND_KEYS = ("background", "background-color")


def qss_pairs(path: Path) -> list[tuple[str, str, str]]:
    """(selector, text, background) for every rule that sets a text or background colour."""
    rules = parse(path.read_text("utf-8"))
    pairs = []
    for selector, decls in rules.items():
        if NO_TEXT.search(selector):
            continue
        if "::chunk" in selector:  # a progress bar's text runs over its chunk
            text = inherited(rules, selector.replace("::chunk", ""), TEXT_KEYS)
            back = colour(decls.get("background"))
            if text and back:
                pairs.append((selector, text, back))
            continue
        if any(k in decls for k in TEXT_KEYS + BACKGROUND_KEYS):
            text = inherited(rules, selector, TEXT_KEYS)
            back = inherited(rules, selector, BACKGROUND_KEYS)
            if text and back:
                pairs.append((selector, text, back))
        if "alternate-background-color" in decls:
            text = inherited(rules, selector, TEXT_KEYS)
            back = colour(decls["alternate-background-color"])
            if text and back:
                pairs.append((f"{selector} (alternate rows)", text, back))
        if "selection-background-color" in decls:
            text = inherited(rules, selector, ("selection-color",))
            back = colour(decls["selection-background-color"])
            assert text, f"{path.name}: {selector} sets a selection background, not its text"
            if back:
                pairs.append((f"{selector} (selection)", text, back))
    return pairs


def failing(pairs: list[tuple[str, str, str]]) -> list[str]:
    return [
        f"{what}: {text} on {back} is {contrast(text, back):.2f}:1"
        for what, text, back in pairs
        if contrast(text, back) < AA
    ]


def test_the_formula_is_wcag() -> None:
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just under AA
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # just over


def test_the_parser_finds_pairs_and_what_they_inherit() -> None:
    rules = parse(
        "QWidget { background: #111; color: #eee; } QMenu::item:hover { background: #fff; }"
    )
    assert parents("QMenu::item:hover") == ["QMenu::item:hover", "QMenu::item", "QMenu", "QWidget"]
    assert parents("#Bar QToolButton:checked")[1:4] == ["#Bar QToolButton", "QToolButton", "#Bar"]
    assert inherited(rules, "QMenu::item:hover", TEXT_KEYS) == "#eeeeee"
    assert failing([("menu", "#eeeeee", "#ffffff")])  # light text inherited onto white: caught


@pytest.mark.parametrize("qss", QSS, ids=[p.stem for p in QSS])
def test_every_stylesheet_pair_passes_aa(qss: Path) -> None:
    pairs = qss_pairs(qss)
    assert len(pairs) >= 15, "the parser found the stylesheet's pairs"
    assert not failing(pairs), failing(pairs)


def test_every_stylesheet_has_a_palette() -> None:
    """A theme the window can apply has the colours its tables paint with."""
    assert QSS, "resources/qss holds the themes"
    assert {p.stem for p in QSS} <= set(colours.THEMES)


@pytest.mark.parametrize("theme", sorted(colours.THEMES))
def test_every_painted_pair_passes_aa(theme: str) -> None:
    palette = colours.THEMES[theme]
    assert not failing(palette.pairs()), failing(palette.pairs())
    assert set(palette.why) == {0, 1, 2, 3, 4}  # every rank the Why column tints
    qss = Path(str(resource("qss", f"{theme}.qss")))
    if qss.is_file():  # the palette's table colours are those the theme's tables have
        rules = parse(qss.read_text("utf-8"))
        views = ("QTableView#AnnotationTableView", "QAbstractItemView")
        view = next(s for s in views if colour(rules.get(s, {}).get("background")))
        assert colour(rules[view]["background"]) == palette.view
        assert colour(rules[view].get("alternate-background-color")) in (
            palette.view_alternate,
            colour(rules.get("QAbstractItemView", {}).get("alternate-background-color")),
        )


def test_badges_and_timeline_pass_aa_in_every_theme() -> None:
    """The verdict badges and the timeline paint their own backgrounds, whatever the theme."""
    pairs = [(f"badge {k}", colours.BADGE_TEXT, c) for k, c in colours.BADGE_COLOURS.items()]
    pairs.append(("badge of an unknown reason", colours.BADGE_TEXT, colours.BADGE_UNKNOWN))
    for back in (colours.TIMELINE_BACKGROUND, colours.TIMELINE_HEADER, colours.TIMELINE_RULER):
        pairs += [("timeline text", colours.TIMELINE_TEXT, back),
                  ("timeline dim", colours.TIMELINE_DIM, back)]  # fmt: skip
    assert not failing(pairs), failing(pairs)


def test_labels_on_any_colour_pass_aa() -> None:
    """Timeline bars and region labels pick black or white text for their colour."""
    from PyQt6.QtGui import QColor

    samples = [*PALETTE, "#6b7280", "#ffd166", "#f4f4f5", "#808080", "#3b6ea8"]
    samples += [f"#{v:02x}{v:02x}{v:02x}" for v in range(0, 256, 5)]  # every grey
    for sample in samples:
        for shade in (QColor(sample).darker(115).name(), QColor(sample).darker(160).name()):
            assert contrast(colours.label_on(shade), shade) >= AA, shade
