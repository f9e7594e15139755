"""Fuzzy matching: how similar two French segments are, and what differs between them.

Similarity is ``1 - distance / max(len)``, the distance counted in characters over a word-level
diff (see :func:`similarity`). A stored segment can reach 75 % only if its length is within
75 %..133 % of the new one and it shares words with it, so the memory's inverted index finds a
few candidates in milliseconds and only those get the edit distance (see
:meth:`bilingual.memory.store.TranslationMemory.fuzzy`).
"""

from __future__ import annotations

import math
import re

from diff_match_patch import diff_match_patch

FUZZY_THRESHOLD = 0.75
#: A stored segment must share at least this fraction of the new segment's distinct words to
#: be a fuzzy candidate; probing the rarest ``n - ceil(n * f) + 1`` words then finds them all.
MIN_SHARED_WORDS = 0.5
#: Candidates ranked by shared rare words, then by word overlap, before the edit distance.
CANDIDATE_POOL = 100
EDIT_DISTANCE_CANDIDATES = 8
#: Longer runs of changed words are counted as wholly replaced (see :func:`similarity`).
_CHARACTER_DIFF_LIMIT = 40

_WORD = re.compile(r"\w+")
_DIFF_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def words(text: str) -> set[str]:
    """The distinct lowercased words of ``text``.

    >>> sorted(words("Le chat, le CHAT."))
    ['chat', 'le']
    """
    return set(_WORD.findall(text.lower()))


def words_needed(count: int) -> int:
    """How many of ``count`` distinct words a candidate must share."""
    return max(1, math.ceil(count * MIN_SHARED_WORDS))


def length_range(length: int, threshold: float) -> tuple[int, int]:
    """The lengths a stored segment may have to reach ``threshold`` against one of ``length``.

    >>> length_range(100, 0.75)
    (75, 133)
    """
    return math.ceil(length * threshold), math.floor(length / threshold)


def rank_candidates(wanted: set[str], stored: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The best :data:`EDIT_DISTANCE_CANDIDATES` of ``stored`` ``(id, source)`` pairs by word
    overlap (Dice) with ``wanted``, among those sharing enough words."""
    needed = words_needed(len(wanted))
    ranked: list[tuple[float, int, str]] = []
    for segment_id, text in stored:
        other = words(text)
        shared = len(wanted & other)
        if shared >= needed:
            ranked.append((2 * shared / (len(wanted) + len(other)), segment_id, text))
    ranked.sort(reverse=True)
    return [(segment_id, text) for _, segment_id, text in ranked[:EDIT_DISTANCE_CANDIDATES]]


def word_diff(old: str, new: str) -> tuple[tuple[int, str], ...]:
    """Word-level diff-match-patch ops turning ``old`` into ``new`` (-1 delete, 0 equal, 1 insert).

    Words, runs of spaces and punctuation marks are mapped to one character each (the
    ``diff_linesToChars`` trick on words), diffed, and mapped back, so no word is ever split.

    >>> word_diff("Le chat dort.", "Le chien dort.")
    ((0, 'Le '), (-1, 'chat'), (1, 'chien'), (0, ' dort.'))
    """
    token_array: list[str] = [""]  # index 0 unused, as in diff_linesToChars
    token_codes: dict[str, str] = {}

    def encode(text: str) -> str:
        chars = []
        for token in _DIFF_TOKEN.findall(text):
            code = token_codes.get(token)
            if code is None:
                token_array.append(token)
                code = token_codes[token] = chr(len(token_array) - 1)
            chars.append(code)
        return "".join(chars)

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # word sequences are short: always compute the exact diff
    diffs = dmp.diff_main(encode(old), encode(new), False)
    # Fold a lone space between two changed words into one change: easier to read, and it
    # turns unrelated sentences into a few long runs that similarity() need not diff.
    dmp.diff_cleanupSemantic(diffs)
    dmp.diff_charsToLines(diffs, token_array)
    return tuple((op, text) for op, text in diffs)


def similarity(a: str, b: str) -> float:
    """``1 - distance / max(len)``, the distance counted in characters over the word diff.

    Each run of changed words costs its character Levenshtein distance (a replaced word costs
    its differing letters, not the whole word), and a run longer than
    :data:`_CHARACTER_DIFF_LIMIT` costs its full length: such a run makes the pair dissimilar
    anyway, and diffing unrelated text character by character is what would make a lookup slow.

    >>> round(similarity("Le chat dort.", "Le chat dort bien."), 2)
    0.72
    >>> round(similarity("Le petit chat dort.", "Le petit chien dort."), 2)
    0.85
    >>> similarity("", "")
    1.0
    """
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    dmp = diff_match_patch()
    distance = 0
    deleted = inserted = ""
    for op, text in (*word_diff(a, b), (0, "")):
        if op == -1:
            deleted += text
        elif op == 1:
            inserted += text
        elif deleted or inserted:
            if max(len(deleted), len(inserted)) <= _CHARACTER_DIFF_LIMIT:
                distance += dmp.diff_levenshtein(dmp.diff_main(deleted, inserted, False))
            else:
                distance += max(len(deleted), len(inserted))
            deleted = inserted = ""
    # Runs counted apart can add up past the true distance, which never exceeds the longest.
    return 1.0 - min(distance, longest) / longest
