"""What the rule engine needs to know about one language: word lists and a few habits.

The engine in :mod:`~bilingual.segment.rules` is the same for every language; a
:class:`Lexicon` tells it which words before a period are abbreviations (and of which kind),
which capitalised words open sentences, and how the language treats a lower-case word after
final punctuation. Lexicons are found by language code in :data:`LEXICONS`, imported on first
use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..registry import resolve

#: Language code → the ``module:attribute`` of its lexicon.
LEXICONS: dict[str, str] = {
    "fr": "bilingual.segment.french:FRENCH",
    "en": "bilingual.segment.english:ENGLISH",
}

# Bullets that may stand before a line's enumerator ("- 1. Introduction"), in any language.
BULLETS = frozenset("-–—•·*▪◦‣○●■□➢►⁃")


def words(text: str, *more: Iterable[str]) -> frozenset[str]:
    """The whitespace-separated words of ``text``, and those of ``more``.

    >>> sorted(words("b a", {"c"}))
    ['a', 'b', 'c']
    """
    found = set(text.split())
    for extra in more:
        found.update(extra)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Abbreviations are stored without their final period and looked up in lower case,
    titles excepted (case-sensitive: "Me" is a title in French, "me" is not)."""

    language: str
    #: Forms of address, always followed by the name they introduce: never final.
    titles: frozenset[str]
    #: Abbreviations that introduce what follows (a page, an example): never final.
    never_final: frozenset[str]
    #: Abbreviations that may end a sentence: final before a usual sentence opener only.
    maybe_final: frozenset[str]
    #: Final before any capital, not before a number or a lower-case word ("etc.", "art.").
    final_before_capital: frozenset[str]
    #: Words after which an ellipsis is a pause, not an end.
    unfinished: frozenset[str]
    #: Brand names written with a "!" that does not end the sentence ("Yahoo! News").
    exclaimed_names: frozenset[str]
    #: Capitalised words that usually open a sentence (a name usually does not).
    sentence_openers: frozenset[str]
    #: Capitalised words that follow an initial inside a name: "J. Le Goff".
    name_particles: frozenset[str]
    #: Whether "? lower" (no closing quote between) ends a sentence. French writes
    #: "Quoi ? dit-il" inside one sentence; English web text starts a new one in lower case.
    question_before_lower_ends: bool


def lexicon_for(language: str) -> Lexicon:
    """The lexicon of ``language`` (a code from :data:`LEXICONS`).

    >>> lexicon_for("en").language
    'en'
    """
    lexicon: Lexicon = resolve(LEXICONS, language, "segmentation language")
    return lexicon
