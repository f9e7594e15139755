"""Words of the wrong language in the English: French left untranslated, Spanish from the pivot.

Names kept as written are not foreign words: a capitalised word that the French source has too
("Bordeaux", "Part-Dieu") is a name. A word is flagged only when it is positively French or
Spanish (word lists, Apertium's Spanish analyser) and not English, so rare English words and
technical terms of a human translation raise nothing.
"""

from __future__ import annotations

import re
import unicodedata

from ..document import Finding, Severity
from ..quality.lexicons import is_english, is_french, is_spanish
from ..quality.words import find_word, has_word
from .literals import EMAIL, TAG, URL
from .numbers import WORD

UNTRANSLATED = "untranslated"
FOREIGN_WORD = "foreign-word"
UNTRANSLATED_WORD = "untranslated-word"

#: A source this short (in words) may legitimately stay as it is: "Hugging Face.", "CES 2026".
UNTRANSLATED_MIN_WORDS = 4
_TOKEN = re.compile(r"(?<!\w)[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
#: What ends a text that the next word starts a sentence after.
_SENTENCE_START = re.compile(r"(?:^|[.!?:…]\s*[\"“«‘(]?\s*)$")
#: French forms of address that English texts keep before a name ("Maître Bernard").
KEPT_TITLES = frozenset(
    {"Maître", "Monsieur", "Madame", "Mademoiselle", "Monseigneur", "Messrs", "Mses"}
)


def is_untranslated(source: str, target: str) -> bool:
    """Whether ``target`` is ``source`` unchanged (for sources of a few words or more)."""

    def normalised(text: str) -> str:
        return " ".join(text.split()).casefold()

    return len(WORD.findall(source)) >= UNTRANSLATED_MIN_WORDS and normalised(source) == normalised(
        target
    )


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


#: Letters English words do not have: a lower-case word carried over from the source with one of
#: them is French even when no word list knows it; one without (``src``, ``img``) may be code.
_FRENCH_LETTERS = frozenset("éèêëàâîïôûùüÿçœæ")


#: Loanwords English writes with their French accents, which Debian's English lists lack:
#: kept from the source, they are not untranslated.
ENGLISH_WITH_ACCENTS = frozenset(
    [
        "arrière",
        "attaché",
        "blasé",
        "brûlée",
        "château",
        "communiqué",
        "consommé",
        "crème",
        "début",
        "décolleté",
        "décor",
        "déjà",
        "détente",
        "éclair",
        "élite",
        "émigré",
        "entrée",
        "exposé",
        "façade",
        "fête",
        "fiancé",
        "fiancée",
        "habitué",
        "matinée",
        "naïve",
        "naïveté",
        "négligée",
        "passé",
        "pâté",
        "première",
        "protégé",
        "purée",
        "régime",
        "résumé",
        "risqué",
        "rôle",
        "séance",
        "soirée",
        "touché",
    ]
)


def _english_with_accents(word: str) -> bool:
    lower = word.lower()
    return lower in ENGLISH_WITH_ACCENTS or lower.removesuffix("s") in ENGLISH_WITH_ACCENTS


#: Letters of Spanish that neither English nor French has: a word with one of them that the
#: source does not have came from the pivot ("Asia-Pacífico").
_SPANISH_LETTERS = frozenset("áíóúñÁÍÓÚÑ")


def _french_looking(word: str) -> bool:
    """A lower-case word carried over from the source that no word list knows is French when it
    has a letter English lacks, or is a plain word of six letters or more ("clavardage"); code
    names (``src``, ``img``) are shorter."""
    if not word[:1].islower():
        return False
    return not _FRENCH_LETTERS.isdisjoint(word.lower()) or (len(word) >= 6 and word.isalpha())


#: Anything between angle brackets, well-formed tag or not: code, not words.
_ANGLED = re.compile(r"<[^<>\n]{1,200}>")


def _masked(text: str) -> str:
    """``text`` with URLs, e-mail addresses and markup blanked out (same length).

    >>> _masked("Voir <img src=x onerror=alert(1)> ici").split()
    ['Voir', 'ici']
    """
    for pattern in (URL, EMAIL, TAG, _ANGLED):
        text = pattern.sub(lambda found: " " * len(found.group()), text)
    return text


def foreign_words(source: str, target: str) -> list[Finding]:
    """French and Spanish words left in the English translation.

    >>> source = "Une vingtaine de riverains à Bordeaux se plaignent des pannes."
    >>> found = foreign_words(source, "A veintena of residents in Bordeaux complain of the pannes.")
    >>> [(f.kind, f.severity.value, f.target_span, f.source_span) for f in found]
    [('foreign-word', 'error', (2, 10), None), ('untranslated-word', 'warning', (52, 58), (55, 61))]
    >>> foreign_words("Le café de Mme Lefèvre.", "Ms Lefèvre's café.")
    []
    """
    if is_english("the") is None:
        return []  # no English word list: nothing can be called foreign
    findings = []
    folded_source = source.casefold()
    for match in _TOKEN.finditer(_masked(target)):
        word = _POSSESSIVE.sub("", match.group())
        if word in KEPT_TITLES or is_english(word):
            continue
        span = (match.start(), match.start() + len(word))
        if word[:1].isupper():
            if has_word(source, word):
                continue  # a name kept as written
            if word.casefold() in folded_source and not _SENTENCE_START.search(
                target, 0, match.start()
            ):
                continue  # part of a name, capitalised the English way ("pont Neuf" → "Pont Neuf")
        source_span = find_word(folded_source, word.casefold())
        in_source = source_span is not None
        if (
            is_english(_fold(word))
            and (not in_source or _english_with_accents(word))
            and _SPANISH_LETTERS.isdisjoint(word)
        ):
            continue  # "naive" with its accent; but "forcé", "réfute" are the French words left
        if is_french(word) or is_french(word.lower()) or (in_source and _french_looking(word)):
            findings.append(
                Finding(
                    UNTRANSLATED_WORD,
                    Severity.WARNING,
                    f"“{word}” is French, left untranslated.",
                    term=word,
                    source_span=source_span,
                    target_span=span,
                )
            )
        elif is_spanish(word) or (not in_source and not _SPANISH_LETTERS.isdisjoint(word)):
            findings.append(
                Finding(
                    FOREIGN_WORD,
                    Severity.ERROR,
                    f"“{word}” is Spanish, not English (a leftover of the translation pivot).",
                    term=word,
                    target_span=span,
                )
            )
    return findings
