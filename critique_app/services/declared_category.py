"""A signal declared in Content Credentials becomes an annotation's category in one step.

The C2PA asset rubric reads the IPTC digital source type into an AI signal (vocab.py); each
signal and term has a value in the AI-visual-regimes vocabulary. Applying it sets the
annotation's category and its evidence ("C2PA") as one undoable edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from critique_app.domain.commands import Change, EditAnnotation
from critique_app.errors import UserError
from critique_app.i18n import N_, _
from critique_app.provenance.vocab import VOCABULARY_KEY, category_key_for


@dataclass(frozen=True)
class DeclaredCategory:
    key: str  # e.g. 'provenance.source-type.trainedAlgorithmicMedia'
    category_id: int | None  # None when the project lacks the AI-visual-regimes vocabulary
    label: str
    signal: str


def declared_category(project: Any, report_json: dict[str, Any]) -> DeclaredCategory | None:
    """The category a report's declared AI signal stands for, or None if nothing is declared."""
    c2pa = report_json.get("c2pa") or {}
    signal = str(c2pa.get("ai_signal") or "unknown")
    key = category_key_for(signal, list(c2pa.get("digital_source_types") or []))
    if key is None:
        return None
    cat = project.repo.category_by_key(key, VOCABULARY_KEY)
    label = cat.label_en if cat else key.rsplit(".", 1)[-1]
    return DeclaredCategory(key, cat.id if cat else None, str(label), signal)


def apply_declared_signal(
    project: Any, annotation_id: int, report_json: dict[str, Any], stack: Any = None
) -> Change:
    """Set the annotation's category from the report, with evidence "C2PA"; undoable (on
    `stack`, the window's undo stack, else the project's own)."""
    found = declared_category(project, report_json)
    if found is None:
        raise UserError(_("The Content Credentials declare nothing about how this was made."))
    if found.category_id is None:
        raise UserError(
            _("This project has no '{key}' category: add the AI visual regimes vocabulary.").format(
                key=found.key
            )
        )
    edit = EditAnnotation(
        annotation_id,
        {"category_id": found.category_id, "evidence": "C2PA"},
        N_("Category from Content Credentials"),  # a step's name, shown through _()
    )
    return (stack if stack is not None else project.undo).push(edit)
