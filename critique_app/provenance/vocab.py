"""The IPTC digital source type vocabulary and the C2PA asset rubric that reads it.

Values arrive as URIs (http://cv.iptc.org/newscodes/digitalsourcetype/<term>), bare terms,
with stray spaces or odd case; everything is normalised to the canonical IPTC term first.
"""

from __future__ import annotations

IPTC_PREFIX = "http://cv.iptc.org/newscodes/digitalsourcetype/"

# canonical IPTC term -> AI signal of the C2PA conformance asset rubric
RUBRIC = {
    "trainedAlgorithmicMedia": "fully_genai",
    "compositeWithTrainedAlgorithmicMedia": "partly_genai",
    "compositeSynthetic": "partly_genai",
    "composite": "may_contain_genai",
    "digitalCapture": "captured",
    "computationalCapture": "captured",
    "compositeCapture": "captured",
    "screenCapture": "captured",
    "negativeFilm": "captured",
    "positiveFilm": "captured",
    "print": "captured",
    "virtualRecording": "captured",
    "humanEdits": "non_genai_creation",
    "minorHumanEdits": "non_genai_creation",
    "digitalCreation": "non_genai_creation",
    "digitalArt": "non_genai_creation",  # older IPTC name of digitalCreation
    "algorithmicMedia": "non_genai_creation",  # made by an algorithm without training data
    "dataDrivenMedia": "non_genai_creation",
    "algorithmicallyEnhanced": "non_genai_creation",
}
_BY_LOWER = {term.lower(): term for term in RUBRIC}

# Order of strength when several manifests speak.
STRENGTH = [
    "fully_genai",
    "partly_genai",
    "may_contain_genai",
    "captured",
    "non_genai_creation",
    "none_declared",
    "unknown",
]
AI_SIGNALS = {"fully_genai", "partly_genai"}


def normalise_source_type(value: str) -> str:
    """'  HTTP://cv.iptc.org/newscodes/digitalsourcetype/TrainedAlgorithmicMedia ' ->
    'trainedAlgorithmicMedia'; unknown terms come back trimmed, last path segment only."""
    text = value.strip()
    term = text.rstrip("/").rsplit("/", 1)[-1].strip() if "/" in text else text
    term = term.split("#")[-1].split(":")[-1].strip()
    return _BY_LOWER.get(term.lower(), term)


def rubric(term: str | None) -> str | None:
    """The AI signal a digital source type stands for, or None if the term is unknown."""
    if not term:
        return None
    return RUBRIC.get(normalise_source_type(term))


def stronger(a: str, b: str) -> str:
    return a if STRENGTH.index(a) <= STRENGTH.index(b) else b


# The AI-visual-regimes vocabulary (resources/vocabularies/ai_visual_regimes.json) has one
# value per IPTC term under `provenance.source-type`; a declared signal becomes that category.
VOCABULARY_KEY = "ai-visual-regimes"
SOURCE_TYPE_PREFIX = "provenance.source-type."
# The vocabulary's value for a term the vocabulary names differently (older IPTC names).
TERM_ALIASES = {"digitalArt": "digitalCreation"}
# Each rubric signal -> the vocabulary value that stands for it when no term says more.
SIGNAL_CATEGORY = {
    "fully_genai": SOURCE_TYPE_PREFIX + "trainedAlgorithmicMedia",
    "partly_genai": SOURCE_TYPE_PREFIX + "compositeWithTrainedAlgorithmicMedia",
    "may_contain_genai": SOURCE_TYPE_PREFIX + "composite",
    "captured": SOURCE_TYPE_PREFIX + "digitalCapture",
    "non_genai_creation": SOURCE_TYPE_PREFIX + "digitalCreation",
}


def category_key_for(signal: str, declared_terms: list[str] | tuple[str, ...] = ()) -> str | None:
    """The vocabulary value a declared AI signal becomes: the exact IPTC term that gave the
    signal when one did (e.g. computationalCapture rather than digitalCapture), else the
    signal's own value. None for `none_declared` and `unknown`: nothing was declared."""
    if signal not in SIGNAL_CATEGORY:
        return None
    for raw in declared_terms:
        term = normalise_source_type(raw)
        if RUBRIC.get(term) == signal:
            return SOURCE_TYPE_PREFIX + TERM_ALIASES.get(term, term)
    return SIGNAL_CATEGORY[signal]
