"""Export use-cases: build the document (a seminar, a film's annotations, a selection), then
let the format's exporter write it — to a temporary file that replaces the target only when
complete, so a cancelled or failed export never leaves half a file where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import exporters
from critique_app import i18n
from critique_app.domain.model import Annotation, Category, Film, Tier, Vocabulary
from critique_app.domain.provenance_words import identity_kind_words, identity_words
from critique_app.errors import Cancelled, UserError
from critique_app.i18n import _
from critique_app.progress import NO_PROGRESS, Progress
from exporters.document import (
    ExportContext,
    ExportDocument,
    ExportItem,
    ProvenanceSummary,
    safe_name,
)


class _Lookup:
    """Films, tiers and categories of a project, each read once per export."""

    def __init__(self, repo: Any) -> None:
        self.repo = repo
        self.films: dict[int, Film] = {f.id: f for f in repo.films()}
        self.tiers: dict[int, Tier] = {t.id: t for t in repo.tiers()}
        self.categories: dict[int, Category] = {c.id: c for c in repo.categories()}

    def item(
        self,
        position: int,
        a: Annotation | None,
        film_id: int,
        frames: Any,
        prompt: str = "",
        notes: str = "",
    ) -> ExportItem:
        return ExportItem(
            position=position,
            film=self.films[film_id],
            range=frames,
            annotation=a,
            category=self.categories.get(a.category_id) if a and a.category_id else None,
            tier=self.tiers.get(a.tier_id) if a else None,
            prompt=prompt,
            notes=notes,
        )

    def vocabulary(self, items: Iterable[ExportItem]) -> Vocabulary | None:
        """The vocabulary the items' categories come from (else the project's first one)."""
        used = {i.category.vocabulary_id for i in items if i.category}
        vocabularies = self.repo.vocabularies()
        for vocab in vocabularies:
            if vocab.id in used:
                return self.repo.get_vocabulary(vocab.id)
        return self.repo.get_vocabulary(vocabularies[0].id) if vocabularies else None

    def vocabularies(self, items: Iterable[ExportItem]) -> tuple[Vocabulary, ...]:
        """Every vocabulary the items' categories or their tiers' ELAN types use, and the
        empty ones: only an ELAN file brings those (CVs kept in an external file, or never
        filled), and an EAF export gives them back."""
        items = list(items)
        used = {i.category.vocabulary_id for i in items if i.category}
        keys = {t.vocabulary_key for t in self.tiers.values() if t.vocabulary_key}
        return tuple(
            self.repo.get_vocabulary(v.id)
            for v in self.repo.vocabularies()
            if v.id in used or v.key in keys or not v.categories
        )


def provenance_summaries(project: Any, films: Iterable[Film]) -> dict[int, ProvenanceSummary]:
    """The latest stored provenance report of each film, as one line for a handout."""
    from db import provenance_store

    found: dict[int, ProvenanceSummary] = {}
    for film in films:
        report = provenance_store.latest(project.db, film_id=film.id) or provenance_store.latest(
            project.db, sha256=film.sha256
        )
        if report is None or film.id is None:
            continue
        c2pa = report.report.get("c2pa", {})
        signer = c2pa.get("signer") or c2pa.get("issuer")
        if isinstance(signer, dict):  # verify --json keeps the certificate's fields
            signer = signer.get("organisation") or signer.get("common_name")
        idents = [
            _("{name} ({kind}, {status})").format(
                name=i.get("name") or _("unnamed"),
                kind=identity_kind_words(i.get("type")),
                status=identity_words(i.get("status")),
            )
            for i in c2pa.get("identities") or []
            if isinstance(i, dict)
        ]
        found[film.id] = ProvenanceSummary(
            state=str(c2pa.get("state") or "no manifest"),
            reason=str(c2pa.get("reason") or ""),
            ai_signal=c2pa.get("ai_signal"),
            trust_list=c2pa.get("trust_list"),
            checked_at=str(report.checked_at)[:10],
            signer=signer if isinstance(signer, str) else None,
            identities="; ".join(idents) or None,
        )
    return found


def _document(
    project: Any,
    look: _Lookup,
    title: str,
    items: list[ExportItem],
    kind: str,
    description: str = "",
) -> ExportDocument:
    films = {i.film.id: i.film for i in items}
    return ExportDocument(
        title=title,
        description=description,
        kind=kind,
        items=tuple(items),
        vocabulary=look.vocabulary(items),
        vocabularies=look.vocabularies(items),
        tiers=tuple(look.tiers.values()),
        provenance=provenance_summaries(project, films.values()),
    )


def seminar_document(project: Any, seminar: str | int) -> ExportDocument:
    from critique_app.services.seminars import Seminars

    found = Seminars(project).find(seminar)
    look = _Lookup(project.repo)
    items = []
    for n, entry in enumerate(project.repo.seminar_items(found.id), start=1):
        a = project.repo.find_annotation(entry.annotation_id) if entry.annotation_id else None
        items.append(look.item(n, a, entry.film_id, entry.range, entry.prompt, entry.notes))
    return _document(project, look, found.name, items, "seminar", found.description)


def film_document(project: Any, film: str | int, **filters: Any) -> ExportDocument:
    """Every annotation of one film (narrowed by the repository's filters), in frame order."""
    look = _Lookup(project.repo)
    chosen = find_film(project, film)
    annotations = project.repo.annotations(film_id=chosen.id, **filters)
    items = [look.item(n, a, a.film_id, a.range) for n, a in enumerate(annotations, start=1)]
    return _document(project, look, chosen.title, items, "film")


def find_film(project: Any, film: str | int) -> Film:
    """A film by id, title, file name or SHA-256 prefix; one sentence when not found."""
    films = project.repo.films()
    text = str(film)
    for f in films:
        if (text.isdigit() and f.id == int(text)) or text in (f.title, Path(f.path).name):
            return f
    by_hash = [f for f in films if len(text) >= 8 and f.sha256.startswith(text.lower())]
    if len(by_hash) == 1:
        return by_hash[0]
    names = ", ".join(f"'{f.title}'" for f in films) or _("none")
    raise UserError(
        _("There is no film '{film}' in this project (films: {names}).").format(
            film=film, names=names
        )
    )


class C2paClipSigner:
    """Signs exported clips with the configured certificate; the source film is the parent."""

    def __init__(self, identity_dir: str | Path) -> None:
        from critique_app.provenance.c2pa_signer import SigningIdentity

        self.identity = SigningIdentity.load(identity_dir)

    def sign_clip(self, clip: str, parent: str, title: str) -> None:
        from critique_app.provenance.c2pa_signer import sign_file

        sign_file(
            clip,
            clip,
            self.identity,
            title=title,
            parent=parent,
            action="c2pa.edited",
            digital_source_type=None,
            description="Excerpt exported by Critique",
        )


SIGNING_SETTING = "export.signing_identity_dir"


def read_on_worker(project_path: Path | None, what: str, which: str | int) -> ExportDocument:
    """`film_document` (what="film") or `seminar_document` (what="seminar") on a worker's own
    connection: a film of 100,000 annotations takes seconds to read, never on the GUI thread."""
    from critique_app.services.workspace import worker_project

    if project_path is None:  # only a project held in memory has none: never the window's
        raise UserError(_("Save the project to a file before exporting from it."))
    with worker_project(project_path) as project:
        if what == "film":
            return film_document(project, which)
        return seminar_document(project, which)


def configured_signer(project: Any, override: str | Path | None = None) -> C2paClipSigner | None:
    """The signer from `--sign-with DIR`, else the project setting, else none."""
    folder = override or project.repo.setting(SIGNING_SETTING)
    return C2paClipSigner(folder) if folder else None


def _replace_folder(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class Exported:
    """What an export wrote: its main file, every file, and sentences for the user."""

    path: Path
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()


def export(
    doc: ExportDocument,
    fmt: str,
    out: str | Path,
    progress: Progress = NO_PROGRESS,
    *,
    signer: Any = None,
    language: str = "en",
) -> Path:
    """Write `doc` in format `fmt` to `out`; on failure or cancel, `out` is as it was before."""
    return export_files(doc, fmt, out, progress, signer=signer, language=language).path


def export_files(
    doc: ExportDocument,
    fmt: str,
    out: str | Path,
    progress: Progress = NO_PROGRESS,
    *,
    signer: Any = None,
    language: str = "en",
    rhythm: bool = False,
    heat: bool = False,
) -> Exported:
    """As `export`, also naming every file written (a long EDL is split) and what to tell the
    user. `rhythm`: each film's rhythm plot (services/rhythm.py, one decode of each film, with
    this export's progress and Cancel); `heat`: each still beside the décor lens's heat of its
    passage (exporters/heat_stills.py). The command line and the window both ask here."""
    try:
        exporter = exporters.get(fmt)
    except KeyError as err:
        raise UserError(str(err.args[0])) from None
    target = Path(out).expanduser()
    if exporter.extension and target.suffix == "" and not target.is_dir():
        target = target.with_suffix(exporter.extension)
    if target.is_dir() and not exporter.writes_folder:
        target = target / f"{safe_name(doc.title)}{exporter.extension}"
    if not target.parent.is_dir():
        raise UserError(
            _("Cannot write {out}: the folder {parent} does not exist.").format(
                out=target, parent=target.parent
            )
        )
    if not doc.items:
        raise UserError(
            _("'{title}' has nothing to export (no passages or annotations).").format(
                title=doc.title
            )
        )
    if rhythm:
        from critique_app.services.rhythm import with_rhythm

        doc = with_rhythm(doc, progress)
    from exporters.heat_stills import HeatStills
    from exporters.stills import FilmStills

    stills = HeatStills() if heat else FilmStills()
    ctx = ExportContext(
        stills=stills, progress=progress, signer=signer, language=language, target=target
    )
    write = exporter.load()
    _discard_abandoned(target)
    prefix = f"{_partial_prefix(target)}{os.getpid()}-"
    if exporter.writes_folder:
        temp = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=exporter.extension, dir=target.parent)
        os.close(fd)
        temp = Path(name)
    files = [target]
    try:
        # every writer in the export's language: marker words, subtitle and IIIF labels,
        # captions (the handouts also ask for it themselves)
        with i18n.speaking(language):
            write(doc, temp, ctx)
        progress.check()
        if exporter.writes_folder:
            _replace_folder(temp, target)
        else:
            os.chmod(temp, 0o644)
            os.replace(temp, target)
            for suffix, written in ctx.companions:
                landed = target.with_name(f"{target.stem}{suffix}{target.suffix}")
                os.chmod(written, 0o644)
                os.replace(written, landed)
                files.append(landed)
    except (Cancelled, UserError, KeyboardInterrupt):
        _discard(temp, ctx)
        raise
    except OSError as err:
        _discard(temp, ctx)
        raise UserError(
            _("Cannot write {out}: {reason}.").format(out=target, reason=err.strerror or err)
        ) from None
    except BaseException:
        _discard(temp, ctx)
        raise
    finally:
        stills.close()
    return Exported(target, tuple(files), tuple(ctx.notes))


def _partial_prefix(target: Path) -> str:
    return f".{target.name}.partial-"


def _discard_abandoned(target: Path) -> None:
    """Remove half-written files of earlier exports to `target` whose process is gone (killed,
    or the machine lost power): the export is whole or absent, and leaves no litter."""
    prefix = _partial_prefix(target)
    try:
        leftovers = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for path in leftovers:
        pid = path.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and _running(int(pid)):
            continue  # another export to the same place is under way
        with contextlib.suppress(OSError):
            _discard(path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _discard(path: Path, ctx: ExportContext | None = None) -> None:
    for written in [path, *(p for _kind, p in (ctx.companions if ctx else []))]:
        if written.is_dir():
            shutil.rmtree(written, ignore_errors=True)
        elif written.exists():
            written.unlink()
