"""Quality checks that need nothing but the unit itself: what a reviewer catches in a minute.

Every check is a function ``(source, target) -> list[Finding]`` with stable codes (translate-
toolkit's pofilter and Okapi CheckMate are the models); :data:`CHECKS` runs them in order. The
glossary stage adds its own term findings; these need no resources beyond Debian's word lists,
so every exporter can run them on any document, including one read back from an older build or
a human translation.

====================  ========  ===============================================================
code                  severity  what
====================  ========  ===============================================================
empty-translation     error     the translation is empty
untranslated          warning   the translation is the French text unchanged
number-missing        warning   a number of the source is not in the translation
date-missing          warning   a French date ("15 mars") has no English month in the translation
unit-missing          warning   a unit after a number (%, €, km...) is gone
url-mismatch          error     a URL is missing or changed (case included)
email-mismatch        error     an e-mail address is missing or changed
placeholder-mismatch  error     a placeholder (``%s``, ``{name}``...) is missing or extra
markup-mismatch       error     an inline tag is missing or extra
brackets-mismatch     warning   brackets ( [ { differ in number from the source
quotes-unbalanced     warning   quotation marks do not pair up in the translation
repeated-word         warning   the same word twice in a row ("the the")
end-punctuation       warning   the translation ends with other punctuation than the source
start-capital         info      the translation starts in another case than the source
length-ratio          warning   the translation is far shorter or longer than the source
foreign-word          error     a Spanish word in the English (the pivot's leftover)
untranslated-word     warning   a French word left in the English
====================  ========  ===============================================================
"""

from __future__ import annotations

from collections.abc import Callable

from ..document import Finding, Severity, Unit
from .language import foreign_words, is_untranslated
from .literals import emails, markup, placeholders, urls
from .numbers import WORD, dates, missing_numbers, units
from .punctuation import brackets, end_punctuation, quotes, repeated_words, start_capital
from .shape import length_ratio

EMPTY_TRANSLATION = "empty-translation"
UNTRANSLATED = "untranslated"

Check = Callable[[str, str], list[Finding]]

#: Checks run on every translated unit, in this order.
CHECKS: tuple[Check, ...] = (
    missing_numbers,
    dates,
    units,
    urls,
    emails,
    placeholders,
    markup,
    brackets,
    quotes,
    repeated_words,
    end_punctuation,
    start_capital,
    length_ratio,
    foreign_words,
)

__all__ = [
    "CHECKS",
    "check_pair",
    "missing_numbers",
    "prepare_checks",
    "qa_findings",
    "release_checks",
]


def prepare_checks() -> None:
    """Load the word lists the checks need now rather than at the first check (the build calls
    this while the engine translates its first batch)."""
    from ..quality.lexicons import load_word_lists

    load_word_lists()


def release_checks() -> None:
    """Drop what :func:`prepare_checks` loaded: a long build's checks are done."""
    from ..quality.lexicons import forget_word_lists

    forget_word_lists()


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
    return check_pair(unit.source, unit.target)


def check_pair(source: str, target: str) -> list[Finding]:
    """The findings for one source/target pair (what :func:`qa_findings` runs on a unit)."""
    if not target.strip():
        if WORD.search(source) or any(char.isdigit() for char in source):
            return [Finding(EMPTY_TRANSLATION, Severity.ERROR, "The translation is empty.")]
        return []
    if is_untranslated(source, target):
        return [
            Finding(UNTRANSLATED, Severity.WARNING, "The translation is the French text unchanged.")
        ]
    return [finding for check in CHECKS for finding in check(source, target)]
