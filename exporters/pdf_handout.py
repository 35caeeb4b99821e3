"""The handout as a designed PDF (reportlab, no Qt): cover, stills grid, contents, one card per item.

Every user string goes through `safe_text` before it reaches reportlab's paragraph markup, and
no link annotation is ever created, so the PDF neither runs nor points to anything.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from critique_app import __version__, i18n
from critique_app.i18n import _, ngettext
from exporters.document import ExportContext, ExportDocument, rhythm_caption
from exporters.safe_text import markdown_paragraphs, plain
from exporters.stills import SpooledStill, StillSpool, spool_in_decode_order
from exporters.views import KIND_LABELS, date_words, film_views, item_view

INK = colors.HexColor("#1d1d1f")
MUTED = colors.HexColor("#5f6368")
ACCENT = colors.HexColor("#8a3b12")
RULE = colors.HexColor("#d9d6cf")
PROMPT_BG = colors.HexColor("#f4eee6")
TOC_FROM = 8  # items: a contents page only helps for longer seminars
STILL_WIDTH = 640
THUMB_WIDTH = 220
FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
]


def _fonts() -> tuple[str, str, str, str, str]:
    """(serif, serif bold, serif italic, sans, mono): DejaVu when present (covers accents, Greek,
    Cyrillic), else the PDF base fonts (Latin-1 only)."""
    wanted = {
        "Serif": "DejaVuSerif.ttf",
        "Serif-Bold": "DejaVuSerif-Bold.ttf",
        "Serif-Italic": "DejaVuSerif-Italic.ttf",
        "Sans": "DejaVuSans.ttf",
        "Sans-Bold": "DejaVuSans-Bold.ttf",
        "Mono": "DejaVuSansMono.ttf",
    }
    for folder in FONT_DIRS:
        if all((folder / f).is_file() for f in wanted.values()):
            for name, file in wanted.items():
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, str(folder / file)))
            pdfmetrics.registerFontFamily(
                "Serif",
                normal="Serif",
                bold="Serif-Bold",
                italic="Serif-Italic",
                boldItalic="Serif-Bold",
            )
            pdfmetrics.registerFontFamily(
                "Sans", normal="Sans", bold="Sans-Bold", italic="Sans", boldItalic="Sans-Bold"
            )
            return "Serif", "Serif-Bold", "Serif-Italic", "Sans", "Mono"
    return "Times-Roman", "Times-Bold", "Times-Italic", "Helvetica", "Courier"


def _styles() -> dict[str, ParagraphStyle]:
    serif, bold, italic, sans, mono = _fonts()
    base = ParagraphStyle("body", fontName=serif, fontSize=10, leading=14, textColor=INK)
    return {
        "body": base,
        "kicker": ParagraphStyle(
            "kicker", fontName=sans, fontSize=7.5, leading=10, textColor=ACCENT, spaceAfter=3
        ),
        "title": ParagraphStyle("title", fontName=bold, fontSize=26, leading=31, spaceAfter=8),
        "lede": ParagraphStyle("lede", parent=base, fontSize=12, leading=17, spaceAfter=8),
        "meta": ParagraphStyle("meta", fontName=sans, fontSize=8.5, leading=12, textColor=MUTED),
        "h2": ParagraphStyle(
            "h2",
            fontName=sans,
            fontSize=8,
            leading=11,
            textColor=MUTED,
            spaceBefore=12,
            spaceAfter=4,
        ),
        "item": ParagraphStyle("item", fontName=bold, fontSize=14, leading=18, spaceAfter=4),
        "fact": ParagraphStyle("fact", fontName=sans, fontSize=8, leading=11, textColor=INK),
        "factlabel": ParagraphStyle(
            "factlabel", fontName=sans, fontSize=8, leading=11, textColor=MUTED
        ),
        "definition": ParagraphStyle(
            "definition",
            parent=base,
            fontName=italic,
            fontSize=9.5,
            leading=13,
            textColor=colors.HexColor("#444444"),
            spaceBefore=4,
            spaceAfter=4,
        ),
        "note": ParagraphStyle("note", parent=base, spaceAfter=4),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=2
        ),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=12, textColor=MUTED),
        "code": ParagraphStyle(
            "code",
            parent=base,
            fontName=mono,
            fontSize=8.5,
            leading=11,
            backColor=colors.HexColor("#f1eee7"),
        ),
        "prompt": ParagraphStyle("prompt", parent=base, fontSize=10.5, leading=15),
        "caption": ParagraphStyle(
            "caption", fontName=sans, fontSize=7, leading=9, textColor=MUTED, alignment=TA_CENTER
        ),
        "toc": ParagraphStyle("toc", fontName=serif, fontSize=10, leading=15),
    }


class _LayoutCanvas(Canvas):
    """For the page-counting pass: lays out like the real canvas, draws nothing costly."""

    def drawImage(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (reportlab's name)
        return None

    def drawText(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        return None

    def save(self) -> None:
        return None


class _Handout(BaseDocTemplate):
    """Page frame, running footer with page numbers, contents entries from item headings."""

    def __init__(self, target: Any, title: str, sans: str) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=title,
            author="Critique",
            creator=f"Critique {__version__}",
            subject=_("Seminar handout"),
        )
        self._running_title = title
        self.item_pages: list[int] = []
        self._sans = sans
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._footer)])

    def _footer(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(self._sans, 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        y = 12 * mm
        canvas.line(self.leftMargin, y + 4 * mm, A4[0] - self.rightMargin, y + 4 * mm)
        canvas.drawString(self.leftMargin, y, self._running_title[:90])  # plain text, no markup
        canvas.drawRightString(
            A4[0] - self.rightMargin, y, _("page {number}").format(number=doc.page)
        )
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        key = getattr(flowable, "_toc_key", None)
        if key is not None:
            # An internal destination for the reader's outline (bookmarks), never a URL.
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable._toc_plain, key, level=0)
            self.item_pages.append(self.page)


def _image(still: SpooledStill, width: float) -> Image:
    # By file name, read only while drawn (lazy=2): the story never holds every still's
    # bytes (issue 26); the PDF being built still holds each JPEG once, until it is saved.
    height = width * still.height / still.width
    return Image(str(still.path), width=width, height=height, lazy=2)


def build_story(
    doc: ExportDocument,
    ctx: ExportContext,
    s: dict[str, ParagraphStyle],
    width: float,
    stills: list[SpooledStill | None],
    thumbs: list[SpooledStill | None],
    toc_pages: list[int] | None,
) -> list[Any]:
    story: list[Any] = [
        Paragraph(plain(_(KIND_LABELS.get(doc.kind, KIND_LABELS["seminar"])).upper()), s["kicker"]),
        Paragraph(plain(doc.title), s["title"]),
    ]
    if doc.description:
        story.append(Paragraph(plain(doc.description), s["lede"]))
    films = film_views(doc)
    n = len(doc.items)
    passages = ngettext("{count} passage", "{count} passages", n).format(count=n)
    in_films = ngettext("{count} film", "{count} films", len(films)).format(count=len(films))
    story.append(
        Paragraph(
            plain(
                _("{passages} from {films} · prepared {date}").format(
                    passages=passages, films=in_films, date=date_words(doc.created_at, ctx.language)
                )
            ),
            s["meta"],
        )
    )
    story.append(Paragraph(plain(_("Films").upper()), s["h2"]))
    for f in films:
        facts = ngettext("{rate} fps, {count} frame", "{rate} fps, {count} frames", f.frames)
        line = f"<b>{plain(f.title)}</b> — {plain(facts.format(rate=f.rate, count=f.frames))}"
        if f.provenance:
            p = f.provenance
            verdict = _("Content Credentials: {verdict}").format(verdict=p.verdict_words)
            line += f"<br/><font color='#8a3b12'>{plain(verdict)}</font>"
            identities = p.identities and _("identity: {identity}").format(identity=p.identities)
            vouched = p.trust_list and _("vouched for by {trust_list}").format(
                trust_list=p.trust_list_words
            )
            signer = p.signer and _("signed by {signer}").format(signer=p.signer)
            for extra in (p.ai_signal_words, signer, vouched, identities):
                if extra:
                    line += f" · {plain(extra)}"
        story.append(Paragraph(line, s["fact"]))
    if n > 1 and any(t is not None for t in thumbs):
        story.append(Paragraph(plain(_("Passages at a glance").upper()), s["h2"]))
        columns = 4
        cell = (width - (columns - 1) * 3 * mm) / columns
        cells = [
            [
                _image(j, cell) if j is not None else Spacer(cell, 1),
                Paragraph(
                    f"{i.position}. {plain((i.category_label or i.film.title)[:38])}", s["caption"]
                ),
            ]
            for i, j in zip(doc.items, thumbs, strict=True)
        ]
        rows = [cells[k : k + columns] for k in range(0, len(cells), columns)]
        rows[-1] += [[Spacer(1, 1)]] * (columns - len(rows[-1]))
        grid = Table(rows, colWidths=[cell + 3 * mm] * columns, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story.append(grid)
    if toc_pages is not None:
        contents = Paragraph(plain(_("Contents").upper()), s["h2"])
        story += [PageBreak(), contents, _contents(doc, toc_pages, s, width)]
    story.append(PageBreak())
    for item, still in zip(doc.items, stills, strict=True):
        story += _item(item, still, ctx, s, width)
    story += _rhythms(doc, s, width)
    story += _agreement(doc, s, width)
    story.append(Spacer(1, 8 * mm))
    story.append(
        Paragraph(
            plain(
                _(
                    "Made with Critique {version}. Stills are exact frames; timecodes are SMPTE "
                    "from each film's start timecode; frame numbers count from 0."
                ).format(version=__version__)
            ),
            s["meta"],
        )
    )
    return story


def _item(
    item: Any,
    still: SpooledStill | None,
    ctx: ExportContext,
    s: dict[str, ParagraphStyle],
    width: float,
) -> list[Any]:
    v = item_view(item, ctx.language)
    heading = Paragraph(f"<font color='#8a3b12'>{v.position}</font>  {plain(v.heading)}", s["item"])
    heading._toc_key = f"item-{v.position}"  # type: ignore[attr-defined]
    heading._toc_text = f"{v.position}. {plain(v.heading)} — {plain(v.film)}"  # type: ignore[attr-defined]
    heading._toc_plain = f"{v.position}. {v.heading}"[:120]  # type: ignore[attr-defined]
    length = ngettext("{count} frame, {duration}", "{count} frames, {duration}", v.length)
    status = f"{v.status} · " + _("confidence {confidence}").format(confidence=v.confidence)
    tier = " · " + _("tier {tier}").format(tier=v.tier) if v.tier else ""
    facts = [
        (_("Film"), v.film),
        (_("In"), f"{v.in_tc} · " + _("frame {frame}").format(frame=v.in_frame)),
        (_("Out"), f"{v.out_tc} · " + _("frame {frame}").format(frame=v.out_frame)),
        (_("Length"), length.format(count=v.length, duration=v.duration)),
        (_("Category"), v.category),
        (_("Status"), status if v.status else ""),
        (_("Author"), f"{v.author}{tier}"),
        (_("Tags"), ", ".join(v.tags)),
        (_("Evidence"), v.evidence),
    ]
    # One paragraph, not a table of paragraphs: 200 items lay out twice as fast.
    lines = [f"<font color='#5f6368'>{plain(k)}</font>  {plain(val)}" for k, val in facts if val]
    facts_table = Paragraph("<br/>".join(lines), s["fact"])
    still_w = width * 0.52
    picture: list[Any] = []
    if still is not None:
        picture = [
            _image(still, still_w),
            Paragraph(plain(_still_caption(v)), s["caption"]),
        ]
    top = Table(
        [[picture or "", facts_table]], colWidths=[still_w + 5 * mm, width - still_w - 5 * mm]
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    block: list[Any] = [heading, top]
    if v.definition:
        block.append(Paragraph(plain(v.definition), s["definition"]))
    for kind, markup in markdown_paragraphs(v.note_markdown):
        style = {"bullet": "bullet", "quote": "quote", "code": "code", "heading": "note"}.get(
            kind, "note"
        )
        text = f"<b>{markup}</b>" if kind == "heading" else markup
        block.append(Paragraph(text, s[style], bulletText="•" if kind == "bullet" else None))
    if v.item_notes:
        block.append(Paragraph(plain(v.item_notes), s["quote"]))
    if v.prompt:
        rows: list[list[Any]] = [
            [Paragraph(markup, s["prompt"])] for _k, markup in markdown_paragraphs(v.prompt)
        ]
        prompt = Table(
            [[Paragraph(plain(_("For discussion").upper()), s["kicker"])], *rows], colWidths=[width]
        )
        prompt.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), PROMPT_BG),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, 0), 6),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
                ]
            )
        )
        block.append(Spacer(1, 3 * mm))
        block.append(prompt)
    return [
        CondPageBreak(90 * mm),
        KeepTogether(block[:2]),
        *block[2:],
        Spacer(1, 5 * mm),
        _rule(width),
        Spacer(1, 5 * mm),
    ]


def _still_caption(v: Any) -> str:
    """What the still under an item is: its frame and timecode, and the regions drawn on it."""
    caption = _("Still: frame {frame} ({timecode})").format(
        frame=v.still_frame, timecode=v.still_tc
    )
    if not v.regions:
        return caption
    regions = ngettext("{count} region outlined", "{count} regions outlined", v.regions)
    return f"{caption} · {regions.format(count=v.regions)}"


def _rhythms(doc: ExportDocument, s: dict[str, ParagraphStyle], width: float) -> list[Any]:
    """The optional section of rhythm plots (`export --rhythm`): one plot per film."""
    if not doc.rhythms:
        return []
    story: list[Any] = [
        CondPageBreak(80 * mm),
        Paragraph(plain(_("Rhythm of the montage").upper()), s["h2"]),
    ]
    for r in doc.rhythms:
        # the plot is 1000 x 380 pixels: drawn across the text width
        story.append(Image(io.BytesIO(r.png), width=width, height=width * 380 / 1000))
        story.append(Paragraph(plain(rhythm_caption(r)), s["caption"]))
        story.append(Spacer(1, 5 * mm))
    return story


def _agreement(doc: ExportDocument, s: dict[str, ParagraphStyle], width: float) -> list[Any]:
    """The optional section on how far the class agrees: one block of tables per film."""
    if not doc.agreement:
        return []
    heading = Paragraph(plain(_("Agreement of the class").upper()), s["h2"])
    story: list[Any] = [CondPageBreak(80 * mm), heading]

    def table(head: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        cells = [[Paragraph(plain(h), s["factlabel"]) for h in head]]
        cells += [[Paragraph(plain(str(c)), s["fact"]) for c in row] for row in rows]
        t = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return t

    for a in doc.agreement:
        story.append(Paragraph(f"<b>{plain(a.film)}</b>", s["item"]))
        n = len(a.coders)
        coders = (
            ngettext("{count} author", "{count} authors", n)
            if a.by == "author"
            else ngettext("{count} tier", "{count} tiers", n)
        ).format(count=n)
        # <b> around the alpha: the sentence is made plain first, then the value is bolded
        sentence = plain(
            _(
                "Krippendorff's alpha (nominal) {alpha} between {coders} ({names}) over "
                "{units} marked frames."
            ).format(alpha="\x00", coders=coders, names=", ".join(a.coders), units=a.units)
        )
        story.append(Paragraph(sentence.replace("\x00", f"<b>{plain(a.alpha)}</b>"), s["note"]))
        if a.categories:
            story.append(
                table(
                    [_("Category"), _("Alpha (against the rest)"), _("Frames")],
                    [[c, al, str(n)] for c, al, n in a.categories],
                    [width * 0.55, width * 0.3, width * 0.15],
                )
            )
        if a.pairs:
            story.append(Spacer(1, 3 * mm))
            story.append(
                table(
                    [_("Pair"), _("Cohen's kappa")],
                    [[f"{x} / {y}", k] for x, y, k in a.pairs],
                    [width * 0.7, width * 0.3],
                )
            )
        if a.passages:
            story.append(Spacer(1, 3 * mm))
            story.append(
                table(
                    [_("In"), _("Out"), _("Frames"), _("Differing"), _("Who saw what")],
                    [[i, o, str(n), share, said] for i, o, n, share, said in a.passages],
                    [width * 0.15, width * 0.15, width * 0.1, width * 0.12, width * 0.48],
                )
            )
        story += [Paragraph(plain(note), s["meta"]) for note in a.notes]
        story.append(Spacer(1, 5 * mm))
    return story


def _rule(width: float) -> Table:
    line = Table([[""]], colWidths=[width], rowHeights=[1])
    line.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, -1), 0.5, RULE)]))
    return line


def _contents(
    doc: ExportDocument, pages: list[int], s: dict[str, ParagraphStyle], width: float
) -> Table:
    """One line per item (fixed height), so the contents take the same room in both passes."""
    rows = [
        [
            f"{i.position}.",
            f"{(i.category_label or i.film.title)[:58]} — {i.film.title[:28]}",
            str(p) if p else "",
        ]
        for i, p in zip(doc.items, pages, strict=True)
    ]
    table = Table(
        rows,
        colWidths=[10 * mm, width - 26 * mm, 16 * mm],
        rowHeights=[5.4 * mm] * len(rows),
        repeatRows=0,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), s["toc"].fontName, 9.5),
                ("TEXTCOLOR", (0, 0), (0, -1), ACCENT),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    """The PDF, in the export's language (the project's own texts as they were written)."""
    with i18n.speaking(ctx.language), StillSpool() as spool:
        _write(doc, out, ctx, spool)


def _write(doc: ExportDocument, out: Path, ctx: ExportContext, spool: StillSpool) -> None:
    styles = _styles()
    versions = {"page": (STILL_WIDTH, 80), "thumb": (THUMB_WIDTH, 75)}
    made = spool_in_decode_order(ctx, doc.items, spool, versions) if ctx.stills else {}
    stills = [made[i.position]["page"] if i.position in made else None for i in doc.items]
    thumbs = [made[i.position]["thumb"] if i.position in made else None for i in doc.items]
    ctx.progress.update(len(doc.items), len(doc.items), _("laying out pages"))
    toc: list[int] | None = None
    if len(doc.items) >= TOC_FROM:
        # First pass with blank page numbers (same layout: the contents have fixed row heights)
        # to learn on which page each item lands; the second pass prints them.
        probe = _Handout(io.BytesIO(), doc.title, styles["meta"].fontName)
        probe.build(
            canvasmaker=_LayoutCanvas,
            flowables=build_story(
                doc, ctx, styles, probe.width, stills, thumbs, [0] * len(doc.items)
            ),
        )
        toc = probe.item_pages
        ctx.progress.check()
    template = _Handout(str(out), doc.title, styles["meta"].fontName)
    template.build(build_story(doc, ctx, styles, template.width, stills, thumbs, toc))
