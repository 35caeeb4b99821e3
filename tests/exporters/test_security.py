"""Hostile notes, titles, tags and file names come out inert in every report."""

from __future__ import annotations

import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest

from critique_app.domain.model import Annotation, FrameRange
from critique_app.services import export as service
from critique_app.services.films import add_film
from critique_app.services.seminars import Seminars
from db.project import open_project
from tests.exporters.xss_corpus import PAYLOADS
from tests.media_factory import make_coded_clip

URL_ATTRS = {
    "src",
    "href",
    "action",
    "formaction",
    "background",
    "poster",
    "data",
    "srcset",
    "xlink:href",
    "dynsrc",
    "lowsrc",
    "codebase",
    "cite",
    "manifest",
}


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    # file names with markup (a slash cannot be in a name)
    names = [p.replace("/", "_")[:60] for p in PAYLOADS[:3]]
    project = open_project(folder / "hostile.critique")
    films = []
    for n, name in enumerate(names):
        clip = make_coded_clip(folder / f"{name}.mp4", frames=24, size=(160, 120))
        films.append(add_film(project, clip, title=PAYLOADS[(n + 3) % len(PAYLOADS)]))
    tier = project.repo.add_tier(PAYLOADS[7], author=PAYLOADS[8])
    seminars = Seminars(project)
    seminar = seminars.create(PAYLOADS[0], PAYLOADS[1])
    for n, payload in enumerate(PAYLOADS):
        film = films[n % len(films)]
        a = project.repo.add_annotation(
            Annotation.create(
                film.id,
                tier.id,
                FrameRange(n % 20, n % 20 + 3),
                note=payload,
                tags=(payload, f"t{n}"),
                author=payload,
                evidence=payload,
            )
        )
        seminars.add_annotation(seminar.id, a.id, prompt=payload, notes=PAYLOADS[-1 - n])
    doc = service.seminar_document(project, seminar.id)
    yield folder, doc
    project.close()


def test_corpus_is_big_enough() -> None:
    assert len(set(PAYLOADS)) >= 50


def test_html_is_inert_and_self_contained(hostile) -> None:
    folder, doc = hostile
    out = service.export(doc, "html", folder / "handout.html")
    page = _Inspector()
    page.feed(out.read_text(encoding="utf-8"))
    dangerous = {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "base",
        "form",
        "link",
        "svg",
        "math",
        "input",
        "button",
        "video",
        "source",
        "bgsound",
        "details",
        "noscript",
        "table",
    }
    assert not dangerous & set(page.tags)
    assert page.tags.count("style") == 1 and page.tags.count("meta") == 4
    for tag, name, value in page.attrs:
        assert not name.startswith("on"), (tag, name)
        assert name != "style"
        assert name in {
            "lang",
            "charset",
            "http-equiv",
            "content",
            "name",
            "class",
            "id",
            "src",
            "alt",
            "width",
            "height",
            "href",
        }, (tag, name)
        if name in URL_ATTRS:  # text attributes (alt) may quote a payload: it stays text
            assert value.startswith("data:image/jpeg;base64,") or value.startswith("#"), (tag, name)
    css = "".join(page.styles)
    assert "url(" not in css and "@import" not in css
    text = "".join(page.text)
    for payload in PAYLOADS[:20]:  # shown to the reader as text, escaped, not dropped
        first_line = payload.splitlines()[0]
        assert first_line.split("<")[0] in text


def test_pdf_is_inert_and_shows_the_payloads_as_text(hostile) -> None:
    folder, doc = hostile
    out = service.export(doc, "pdf", folder / "handout.pdf")
    # Object dictionaries only: compressed stream bytes (pictures, page text) may hold any
    # byte sequence by chance.
    raw = re.sub(rb"stream\r?\n.*?endstream", b"", out.read_bytes(), flags=re.DOTALL)
    assert raw.count(b"/Type /Page") >= 10 or raw.count(b"/Type/Page") >= 10
    for key in (
        b"/JavaScript",
        b"/JS",
        b"/URI",
        b"/Launch",
        b"/OpenAction",
        b"/AA",
        b"/GoToR",
        b"/SubmitForm",
        b"/EmbeddedFile",
    ):
        assert not re.search(re.escape(key) + rb"[\s/(<\[]", raw), key
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text


def test_pack_entries_have_safe_names(hostile) -> None:
    folder, doc = hostile
    small = doc.__class__(**{**doc.__dict__, "items": doc.items[:4]})
    out = service.export(small, "pack", folder / "pack.zip")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert len([n for n in names if n.endswith(".mp4")]) == 4
    for name in names:
        path = PurePosixPath(name)
        assert not path.is_absolute() and ".." not in path.parts and "\\" not in name
        assert re.fullmatch(r"[A-Za-z0-9._/-]+", name), name
        html_like = name.endswith((".html", ".xspf", ".otio"))
        if html_like:
            with zipfile.ZipFile(out) as archive:
                body = archive.read(name).decode()
            # the pack's playlist and timeline point inside the pack, never at the films
            assert "file://" not in body and str(folder) not in body


def test_pack_builder_refuses_unsafe_entry_names() -> None:
    from exporters.pack import safe_entry

    for bad in ("/etc/passwd", "../x", "a/../../x", "a\\b", ".hidden", "a/./b", "C:/x"):
        with pytest.raises(ValueError):
            safe_entry(bad)
    assert safe_entry("Seminar/clips/001_a.mp4") == "Seminar/clips/001_a.mp4"


def test_no_report_points_outside_itself(hostile) -> None:
    folder, doc = hostile
    html = service.export(doc, "html", folder / "h2.html").read_text()
    urls = re.findall(r"(?:https?|ftp|file)://[^\s\"'<>)]+", html)
    # the only absolute URLs are inside escaped user text, never in an attribute or CSS
    page = _Inspector()
    page.feed(html)
    for _tag, _name, value in page.attrs:
        assert not any(u in value for u in urls if not value.startswith("data:"))
    assert Path(folder / "h2.html").stat().st_size > 10_000


def test_markdown_keeps_raw_html_inert(hostile) -> None:
    """Every payload (as title, note, tag, author, prompt) stays text in the .md, and
    markdown-it-py with raw HTML allowed (as most Markdown renderers) makes no tag of it."""
    from markdown_it import MarkdownIt

    folder, doc = hostile
    text = service.export(doc, "md", folder / "seminar.md").read_text(encoding="utf-8")
    assert not re.search(r"<[A-Za-z!/?]", text)  # no tag, comment or declaration opens
    renderer = MarkdownIt("commonmark")  # html: True
    tokens = renderer.parse(text)
    assert not [t for t in tokens if t.type == "html_block"]
    assert not [c for t in tokens for c in t.children or [] if c.type == "html_inline"]
    page = _Inspector()
    page.feed(renderer.render(text))
    allowed = {"h1", "h2", "p", "ul", "ol", "li", "em", "strong", "code", "pre", "blockquote"}
    allowed |= {"a", "img", "br", "hr"}  # a student's own Markdown links and images
    assert set(page.tags) <= allowed, set(page.tags) - allowed
    for tag, name, value in page.attrs:
        assert name in {"href", "src", "alt", "title"}, (tag, name)
        if name in URL_ATTRS:
            assert value.startswith(("http://", "https://", "#")), (tag, value)
    shown = "".join(page.text)
    for payload in PAYLOADS[:12]:  # the reader sees the payload's text, not nothing
        assert payload.splitlines()[0].replace("\t", "") in shown.replace("\t", "") or (
            payload.split("<")[0] in shown
        )
    assert "<script>alert(1)</script>" in shown


def test_markdown_keeps_ordinary_notes_as_written() -> None:
    from exporters.safe_text import inert_markdown

    note = "The face **morphs**; 2<3 and `x < y` stay.\n\n- eyes drift\n\n> quoted"
    assert inert_markdown(note) == note
    assert (
        inert_markdown("x <b>bold</b> <!-- c --> <?php")
        == "x &lt;b>bold&lt;/b> &lt;!-- c --> &lt;?php"
    )
