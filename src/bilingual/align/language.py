"""Which of French and English a text is written in, from its commonest words.

Enough to catch swapped arguments (the English file given as French) before aligning; the
same word lists tell the similarity measures which words carry no meaning of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..segment.lexicon import words

FRENCH_FUNCTION_WORDS = words(
    """
    le la les un une des du de au aux et ou mais donc car ni que qui quoi dont où ce cette ces
    cet il ils elle elles on je tu nous vous lui leur leurs se sa son ses mon ma mes ton ta tes
    notre nos votre vos est sont était étaient été être avoir a ont avait avaient fait dans
    pour par sur sous avec sans chez vers entre pas ne plus moins très tout tous toute toutes
    même comme si bien aussi alors encore y en d l qu n s c j m t
    """
)
ENGLISH_FUNCTION_WORDS = words(
    """
    the a an and or but nor so that which who whom whose what this these those it its he she
    they them his her their we us our you your i me my is are was were be been being have has
    had do does did of to in on at by for with from into upon than then there here not no as
    if when while all any some such very more most also only just would could should will
    shall may might must can s t d ll re ve
    """
)
#: Words that say nothing about which sentence translates which.
FUNCTION_WORDS = FRENCH_FUNCTION_WORDS | ENGLISH_FUNCTION_WORDS
_WORD = re.compile(r"[^\W\d_]+")
#: How many words to read: a few thousand decide, and a novel is not read twice.
_SAMPLE_WORDS = 5000


def guess_language(texts: Iterable[str]) -> str | None:
    """``"fr"``, ``"en"``, or ``None`` when too few function words of either were seen.

    >>> guess_language(["Le chat est sur la table, et il dort."])
    'fr'
    >>> guess_language(["The cat is on the table, and it sleeps."])
    'en'
    >>> guess_language(["1984 !"]) is None
    True
    """
    french = english = seen = 0
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group().lower()
            french += word in FRENCH_FUNCTION_WORDS
            english += word in ENGLISH_FUNCTION_WORDS
            seen += 1
            if seen >= _SAMPLE_WORDS:
                break
        if seen >= _SAMPLE_WORDS:
            break
    if french + english < 3:
        return None
    return "fr" if french > english else "en"
