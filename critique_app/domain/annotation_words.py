"""The words the window and the handouts show for an annotation's status, confidence,
evidence and relations.

The project stores the codes ("observed", "high", "continues") in English, whatever the
language of the window; only what is shown is translated, here, through the catalogue.
A value the table does not know (a newer project's) is shown as it is stored.
"""

from __future__ import annotations

from critique_app.i18n import N_, _, format_number, ngettext

STATUS_WORDS = {
    "declared": N_("declared"),
    "observed": N_("observed"),
    "contested": N_("contested"),
}
# Translators: how sure the annotator is; feminine in French (la confiance).
CONFIDENCE_WORDS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}
# Each relation read from its source, then from its target (domain.model.RELATION_KINDS).
RELATION_WORDS = {
    "counter-reading of": N_("counter-reading of"),
    "has counter-reading": N_("has counter-reading"),
    "same generator as": N_("same generator as"),
    "continues": N_("continues"),
    "continued by": N_("continued by"),
    "contradicts": N_("contradicts"),
    "source of": N_("source of"),
    "derived from": N_("derived from"),
    "same passage as": N_("same passage as"),
}


# The kinds of evidence Critique itself writes (Matches panel, demo); a person's own words
# in the field are shown as written.
EVIDENCE_WORDS = {
    "perceptual match": N_("perceptual match"),
    "visual inference": N_("visual inference"),
    "C2PA": N_("Content Credentials (C2PA)"),
}


def evidence_word(text: str) -> str:
    return _(EVIDENCE_WORDS[text]) if text in EVIDENCE_WORDS else text


def status_word(code: str) -> str:
    return _(STATUS_WORDS[code]) if code in STATUS_WORDS else code


def confidence_word(code: str) -> str:
    return _(CONFIDENCE_WORDS[code]) if code in CONFIDENCE_WORDS else code


def relation_word(words: str) -> str:
    return _(RELATION_WORDS[words]) if words in RELATION_WORDS else words


SHAPE_WORDS = {
    "rectangle": N_("rectangle"),
    "ellipse": N_("ellipse"),
    "polygon": N_("polygon"),
    "freehand": N_("freehand"),
}


def shape_word(code: str) -> str:
    return _(SHAPE_WORDS[code]) if code in SHAPE_WORDS else code


def annotations_done(done: int, total: int) -> str:
    """How far a task over annotations has gone ("120 of 595 annotations"), as an import
    and the anchor fingerprints say it beside their progress bar."""
    return ngettext("{n} of {total} annotation", "{n} of {total} annotations", total).format(
        n=format_number(done), total=format_number(total)
    )
