"""Finding a whole word in a text without compiling a pattern per word.

The checks ask, for every word of a translation, whether the source has it too ("Bordeaux"
kept as written); a regular expression per word would be compiled again and again once
Python's pattern cache (512 entries) overflows on a long text.
"""

from __future__ import annotations


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_word(text: str, word: str) -> tuple[int, int] | None:
    """The span of the first ``word`` in ``text`` not inside a longer word (``\\w`` boundaries).

    >>> find_word("la Part-Dieu et Dieudonné", "Dieu"), find_word("Dieudonné", "Dieu")
    ((8, 12), None)
    """
    if not word:
        return None
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        before = start > 0 and _word_char(text[start - 1])
        after = end < len(text) and _word_char(text[end])
        if not before and not after:
            return start, end
        start = text.find(word, start + 1)
    return None


def has_word(text: str, word: str) -> bool:
    """Whether ``word`` stands in ``text`` as a whole word.

    >>> has_word("Le tram de Bordeaux.", "Bordeaux"), has_word("Bordelais", "Bord")
    (True, False)
    """
    return find_word(text, word) is not None
