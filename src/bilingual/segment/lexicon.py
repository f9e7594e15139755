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

# Punctuation the rule engine and the SRX rules exported for CAT tools both read, in any language.

# Marks that may end a sentence; a run of them ("?!", "...") is one candidate end.
FINAL_MARKS = ".!?…"
# Marks that close what the final punctuation ended and stay with it: "fin.)", "« Non ! »".
CLOSING_MARKS = "»”’\"')]}›"
# Closing quotes that stay with the sentence even after a space: "Quoi ? »".
SPACED_CLOSING_QUOTES = "»”›"
# Straight quotes and apostrophes that close after a space only when a space or the end of
# the line follows them: 'Il dit "Non. " Puis' keeps the quote; 'fin. "Oui' opens one.
SPACED_AMBIGUOUS_QUOTES = "\"'’"
# Footnote calls written as superscript digits: "fin.² Suite".
SUPERSCRIPT_DIGITS = "¹²³⁰⁴⁵⁶⁷⁸⁹"
# Marks that open a quotation or a bracket before a word.
OPENING_MARKS = "«“„‘\"'([{¿¡‹"
# Spaces that may stand between an opening mark and its word: "« Bonjour".
SPACES_AFTER_OPENING = " \u00a0\u202f\t"
# After a final mark and a space, these continue the sentence: "… ?", "(Tom, Lisa, ... ).".
CONTINUING_MARKS = ",;:)]}»”›?!.…%‰/"
# Domain endings that make a token ending in a period an address, an ordinary word: "Voir
# site.fr. Ensuite".
DOMAIN_SUFFIXES = (
    "fr", "com", "org", "net", "eu", "info", "io", "be", "ch", "ca", "de", "uk", "gouv.fr"
)


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
