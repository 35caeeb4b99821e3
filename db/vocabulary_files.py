"""Import and export a project's vocabularies as files: Critique JSON or ELAN .ecv.

The file is read and fully checked before the project is touched, so a malformed or
newer file changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from critique_app.domain.model import Vocabulary
from critique_app.domain.reading_limits import check_size, reading_limits
from critique_app.domain.vocabulary import (
    parse_ecv,
    parse_vocabulary,
    vocabulary_to_ecv,
    vocabulary_to_json,
)
from critique_app.errors import UserError
from db.repository import Repository


def read_vocabulary_file(path: str | Path) -> tuple[Vocabulary, str]:
    """Parse a .json or .ecv vocabulary file; UserError naming the file when it is unusable."""
    path = Path(path)
    check_size(path, str(path))
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not a text file (expected UTF-8 JSON or ELAN XML).") from None
    except OSError as err:
        raise UserError(f"Cannot read {path}: {err.strerror}.") from None
    with reading_limits(str(path)):
        if path.suffix.lower() == ".ecv" or text.lstrip().startswith("<"):
            return parse_ecv(text, str(path), name=path.stem), text
        return parse_vocabulary(text, str(path)), text


def read_vocabulary_source(path: str | Path) -> tuple[Vocabulary, str | None]:
    """The vocabulary and the JSON text to keep for round trips (None for ELAN files)."""
    vocabulary, text = read_vocabulary_file(path)
    return vocabulary, (text if Path(path).suffix.lower() != ".ecv" else None)


def import_vocabulary_file(repo: Repository, path: str | Path) -> Vocabulary:
    """Add or update a vocabulary from a file (categories in use are never removed)."""
    vocabulary, source = read_vocabulary_source(path)
    return repo.save_vocabulary(vocabulary, source_json=source)


def export_vocabulary_file(repo: Repository, key: str, path: str | Path) -> Path:
    """Write a project vocabulary as JSON, or as an ELAN .ecv when the name ends in .ecv."""
    vocabulary = repo.vocabulary_by_key(key)
    if vocabulary is None:
        raise UserError(f"This project has no vocabulary '{key}'.")
    source = repo.vocabulary_source(vocabulary.id or 0)
    if source:
        # Keep metadata (sources, French name) that the project tables do not hold.
        original = parse_vocabulary(source, "the stored vocabulary")
        vocabulary = Vocabulary(
            vocabulary.key,
            vocabulary.name,
            vocabulary.version,
            vocabulary.description,
            vocabulary.categories,
            metadata=original.metadata,
        )
    path = Path(path)
    text = (
        vocabulary_to_ecv(vocabulary)
        if path.suffix.lower() == ".ecv"
        else vocabulary_to_json(vocabulary)
    )
    try:
        path.write_text(text, "utf-8")
    except OSError as err:
        raise UserError(f"Cannot write {path}: {err.strerror}.") from None
    return path
