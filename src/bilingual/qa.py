"""Quality checks that need nothing but the unit itself.

The glossary stage records term findings on each unit; the checks here (empty translation,
untranslated text, a number lost in translation) need no resources, so every exporter can run
them on any document, including one read back from an older build.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .document import Finding, Severity, Unit

EMPTY_TRANSLATION = "empty-translation"
UNTRANSLATED = "untranslated"
NUMBER_MISSING = "number-missing"

#: A source this short (in words) may legitimately stay as it is: "Hugging Face.", "CES 2026".
UNTRANSLATED_MIN_WORDS = 4

# French groups thousands with (narrow) no-break spaces or plain spaces and writes decimals with a
# comma; English groups with commas and writes decimals with a dot. The look-behinds stop a match
# from starting inside a number ("Qwen2.5" yields 2, not 2 and 5).
_FRENCH_NUMBER = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)(?:,\d+)?")
_ENGLISH_NUMBER = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
_WORD = re.compile(r"[^\W\d_]+")


def qa_findings(unit: Unit) -> list[Finding]:
    """Findings about ``unit`` that can be computed from its source and target alone.

    >>> from bilingual.document import Segment
    >>> def check(source, target):
    ...     return [f.kind for f in qa_findings(Unit(Segment(0, len(source), source), target))]
    >>> check("Plus de 100 000 modèles.", "More than 100,000 models.")
    []
    >>> check("Plus de 100 000 modèles.", "More than 10,000 models.")
    ['number-missing']
    >>> check("Bonjour.", "  ")
    ['empty-translation']
    >>> check("Le modèle est ouvert à tous.", "Le modèle est ouvert à tous.")
    ['untranslated']
    """
    source, target = unit.source, unit.target
    if not target.strip():
        if _WORD.search(source) or any(char.isdigit() for char in source):
            return [Finding(EMPTY_TRANSLATION, Severity.ERROR, "The translation is empty.")]
        return []
    if _is_untranslated(source, target):
        return [
            Finding(UNTRANSLATED, Severity.WARNING, "The translation is the French text unchanged.")
        ]
    return missing_numbers(source, target)


def missing_numbers(source: str, target: str) -> list[Finding]:
    """One finding per number of the French ``source`` that ``target`` does not contain.

    Both the English and the French way of writing a number count as present, because engines
    often copy numbers through unchanged.

    >>> [f.message for f in missing_numbers("63 % de 2,5 millions", "63% of 2.5 million")]
    []
    >>> [f.source_span for f in missing_numbers("Le 10 janvier 2025.", "On 10 January.")]
    [(14, 18)]
    >>> missing_numbers("1 000 entreprises", "1 000 companies")
    []
    """
    present = {_english_value(match.group()) for match in _ENGLISH_NUMBER.finditer(target)}
    present |= {_french_value(match.group()) for match in _FRENCH_NUMBER.finditer(target)}
    findings: list[Finding] = []
    for match in _FRENCH_NUMBER.finditer(source):
        if _french_value(match.group()) not in present:
            findings.append(
                Finding(
                    NUMBER_MISSING,
                    Severity.WARNING,
                    f"The number {match.group()} is missing from the translation.",
                    source_span=match.span(),
                )
            )
    return findings


def _french_value(text: str) -> Decimal:
    return Decimal(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def _english_value(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _is_untranslated(source: str, target: str) -> bool:
    def normalised(text: str) -> str:
        return " ".join(text.split()).casefold()

    return len(_WORD.findall(source)) >= UNTRANSLATED_MIN_WORDS and normalised(
        source
    ) == normalised(target)
