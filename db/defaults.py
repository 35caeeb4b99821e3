"""What a new project starts with: the default vocabulary of AI visual regimes."""

from __future__ import annotations

from critique_app.domain.vocabulary import parse_vocabulary
from critique_app.paths import resource
from db.repository import Repository

DEFAULT_VOCABULARY = ("vocabularies", "ai_visual_regimes.json")


def install_default_vocabulary(repo: Repository) -> None:
    """Add the shipped vocabulary to a project (no-op if the file is not there)."""
    path = resource(*DEFAULT_VOCABULARY)
    if not path.is_file():
        return
    text = path.read_text("utf-8")
    repo.save_vocabulary(parse_vocabulary(text, str(path)), source_json=text)
