"""Fuzzy matching: how similar two French segments are, what differs between them, and how
few stored segments need to be compared to find the most similar one.

Similarity is ``1 - distance / max(len)``, the distance counted in characters over a word-level
diff (see :func:`similarity`). A stored segment can reach 75 % only if its length is within
75 %..133 % of the new one and it shares words with it, so the memory's inverted index finds a
few candidates and only those get the edit distance (see
:meth:`bilingual.memory.base.TranslationMemory.fuzzy_many`).

The work per lookup is bounded whatever the memory holds. Prose has rare words, whose short
posting lists are read whole; a memory of contract clauses or reports that differ by a number
or a name (the translation memory's everyday case) has thousands of segments sharing every
word of a new one, and there the index is read only around the new segment's length, a capped
number of postings per word (:func:`plan_scans`). Candidates are then ranked by shared words,
and the edit distance runs on a few of them, most promising first, stopping as soon as no other
can do better (:func:`best_match`).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Levenshtein

FUZZY_THRESHOLD = 0.75
#: A stored segment must share at least this fraction of the new segment's distinct words to
#: be a fuzzy candidate; probing the rarest ``n - ceil(n * f) + 1`` words then finds them all.
MIN_SHARED_WORDS = 0.5
#: Candidates ranked by shared rare words, then by word overlap, before the edit distance.
CANDIDATE_POOL = 100
EDIT_DISTANCE_CANDIDATES = 8
#: The best-scored candidates checked for the sampled common words (one index lookup each).
CHECKED_CANDIDATES = 100
#: Postings one lookup reads in full (its rarest words' lists, rarest first). Among 27,000
#: near-duplicate clauses, 1,000 instead of 2,000 halves a lookup's time; 9 % of them then get
#: a suggestion 0.018 less similar on average (the mean similarity drops 0.952 → 0.951), none
#: loses its suggestion, and prose suggestions do not change.
POSTING_BUDGET = 1000
#: Postings read for each word too common to read in full: half just above the new segment's
#: length, half just below, where its near-duplicates are.
SAMPLED_POSTINGS = 64
#: At most this many too-common words are sampled: beyond them a candidate shares so many
#: common words with the new segment that the sampled ones found it already.
SAMPLED_WORDS = 4
#: Longer words are left out of the index (no real word is this long; keys stay small).
MAX_INDEXED_WORD = 64
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


def index_words(text: str) -> set[str]:
    """The words of ``text`` the fuzzy index holds (see :data:`MAX_INDEXED_WORD`).

    >>> sorted(index_words("Le chat " + "x" * 65))
    ['chat', 'le']
    """
    return {word for word in words(text) if len(word) <= MAX_INDEXED_WORD}


def words_needed(count: int) -> int:
    """How many of ``count`` distinct words a candidate must share."""
    return max(1, math.ceil(count * MIN_SHARED_WORDS))


def length_range(length: int, threshold: float) -> tuple[int, int]:
    """The lengths a stored segment may have to reach ``threshold`` against one of ``length``.

    >>> length_range(100, 0.75)
    (75, 133)
    """
    return math.ceil(length * threshold), math.floor(length / threshold)


@dataclass(frozen=True, slots=True)
class CandidateScan:
    """One bounded index range scan: the segments holding ``token`` whose length is within
    ``shortest..longest``, at most ``limit`` of them, from the shortest (or, ``downward``,
    from the longest). ``sampled``: the word is too common to read in full."""

    token: str
    shortest: int
    longest: int
    limit: int
    downward: bool = False
    sampled: bool = False


#: A posting: a word of a stored segment, ``(token, length, segment_id)``.
Posting = tuple[str, int, int]


def plan_scans(
    wanted: set[str], frequency: Mapping[str, int], shortest: int, longest: int, length: int
) -> list[CandidateScan]:
    """The index scans that find the candidates for a segment of ``length`` characters with
    the words ``wanted`` (``frequency``: how many stored segments hold each word).

    Any segment sharing enough words holds one of the ``n - needed + 1`` rarest (pigeonhole),
    so only those are scanned: in full while :data:`POSTING_BUDGET` lasts, then, for at most
    :data:`SAMPLED_WORDS` more common ones, :data:`SAMPLED_POSTINGS` around ``length``.

    >>> plan_scans({"le", "chat", "dort"}, {"le": 90_000, "chat": 12}, 30, 53, 40)
    [CandidateScan(token='chat', shortest=30, longest=53, limit=12, downward=False, sampled=False)]
    >>> for scan in plan_scans({"le", "chat"}, {"le": 90_000, "chat": 5_000}, 30, 53, 40):
    ...     print(scan.token, scan.shortest, scan.longest, scan.limit, scan.downward)
    chat 40 53 32 False
    chat 30 39 32 True
    le 40 53 32 False
    le 30 39 32 True
    """
    needed = words_needed(len(wanted))
    rarest = sorted(wanted, key=lambda word: (frequency.get(word, 0), word))
    probe = [word for word in rarest[: len(wanted) - needed + 1] if word in frequency]
    scans: list[CandidateScan] = []
    budget, sampled = POSTING_BUDGET, 0
    for word in probe:
        count = frequency[word]
        if count <= budget:
            scans.append(CandidateScan(word, shortest, longest, count))
            budget -= count
            continue
        if sampled == SAMPLED_WORDS:
            break
        half = SAMPLED_POSTINGS // 2
        scans.append(CandidateScan(word, length, longest, half, sampled=True))
        scans.append(CandidateScan(word, shortest, length - 1, half, downward=True, sampled=True))
        sampled += 1
    return scans


class CandidatePool:
    """The stored segments one new segment's scans found, scored by the scanned words they
    share, each counted by its length as the edit distance counts it; among equals, those
    closest to the new segment's ``length`` first (near-duplicates are nearly as long).

    A common word was only sampled around ``length``, so the best candidates the rare words
    found (a name, an amount) are checked for the common words too (:meth:`checks`, one index
    lookup each): among a thousand clauses of one template, the one sharing the name and the
    date comes first.

    >>> scans = plan_scans({"brest", "février"}, {"brest": 3, "février": 4_000}, 10, 30, 20)
    >>> pool = CandidatePool(scans, {scans[0]: [(7, 18), (9, 21)], scans[1]: [(4, 20)]}, 20)
    >>> pool.checks()
    [('février', 21, 9), ('février', 18, 7)]
    >>> pool.best({("février", 21, 9)})
    [9, 4, 7]
    """

    def __init__(
        self,
        scans: Sequence[CandidateScan],
        postings: Mapping[CandidateScan, Sequence[tuple[int, int]]],
        length: int,
    ) -> None:
        self.length = length
        self.scores: Counter[int] = Counter()
        self.rare: Counter[int] = Counter()  # found by a word read in full
        self.lengths: dict[int, int] = {}
        self.found: dict[int, set[str]] = {}
        self.sampled = sorted({scan.token for scan in scans if scan.sampled})
        scores, rare, lengths, found = self.scores, self.rare, self.lengths, self.found
        for scan in scans:
            token, weight = scan.token, len(scan.token)
            for segment_id, stored_length in postings.get(scan, ()):
                scores[segment_id] += weight
                if not scan.sampled:
                    rare[segment_id] += weight
                lengths[segment_id] = stored_length
                words = found.get(segment_id)
                if words is None:
                    found[segment_id] = {token}
                else:
                    words.add(token)

    def checks(self) -> list[Posting]:
        """The postings to look up: the sampled words, for the best candidates the rare words
        found."""
        return [
            (word, self.lengths[segment_id], segment_id)
            for segment_id in self._best(self.rare, CHECKED_CANDIDATES)
            for word in self.sampled
            if word not in self.found[segment_id]
        ]

    def best(self, held: Container[Posting]) -> list[int]:
        """The :data:`CANDIDATE_POOL` best candidates, counting the checked postings
        ``held``."""
        scores = self.scores.copy()
        for posting in self.checks():
            if posting in held:
                scores[posting[2]] += len(posting[0])
        return self._best(scores, CANDIDATE_POOL)

    def _best(self, scores: Counter[int], count: int) -> list[int]:
        lengths, length = self.lengths, self.length
        # plain tuples compare in C: several times faster than a key function per candidate
        ranked = [
            (-score, abs(lengths[segment_id] - length), segment_id)
            for segment_id, score in scores.items()
        ]
        return [segment_id for _, _, segment_id in heapq.nsmallest(count, ranked)]


def rank_candidates(
    wanted: set[str], stored: Sequence[tuple[int, str, set[str]]]
) -> list[tuple[int, str]]:
    """The best :data:`EDIT_DISTANCE_CANDIDATES` of ``stored`` ``(id, source, words)`` by word
    overlap with ``wanted``, among those sharing enough words.

    The overlap is a Dice coefficient counting each word by its length, as the edit distance
    does: among clauses that differ by a number or a name, the one sharing "Montpellier" comes
    before the one sharing "15".

    >>> rank_candidates(words("Le 15 mai à Montpellier"), [
    ...     (1, "Le 15 juin à Lyon", words("Le 15 juin à Lyon")),
    ...     (2, "Le 3 juin à Montpellier", words("Le 3 juin à Montpellier"))])
    [(2, 'Le 3 juin à Montpellier'), (1, 'Le 15 juin à Lyon')]
    """
    needed = words_needed(len(wanted))
    size = sum(map(len, wanted))
    ranked: list[tuple[float, int, str]] = []
    for segment_id, text, other in stored:
        shared = wanted & other
        if len(shared) >= needed:
            overlap = 2 * sum(map(len, shared)) / (size + sum(map(len, other)))
            ranked.append((overlap, segment_id, text))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [(segment_id, text) for _, segment_id, text in ranked[:EDIT_DISTANCE_CANDIDATES]]


def similarity_bound(a: str, b: str) -> float:
    """A cheap upper bound of :func:`similarity`: every character one text has more of than
    the other costs at least one edit.

    >>> similarity_bound("Le chat dort.", "Le chat dort.")
    1.0
    >>> similarity_bound("abc", "xyz")
    0.0
    >>> similarity_bound("Le petit chat dort.", "Le petit chien dort.") >= similarity(
    ...     "Le petit chat dort.", "Le petit chien dort.")
    True
    """
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    first, second = Counter(a), Counter(b)
    surplus = max((first - second).total(), (second - first).total())
    return 1.0 - surplus / longest


def best_match(
    source: str,
    wanted: set[str],
    candidates: Sequence[tuple[int, str, set[str]]],
    threshold: float,
) -> tuple[float, int, str] | None:
    """The most similar of ``candidates`` (``(id, text, words)``) reaching ``threshold``, as
    ``(similarity, id, text)``; the best by word overlap wins a tie.

    The edit distance runs on at most :data:`EDIT_DISTANCE_CANDIDATES` candidates, those with
    the highest :func:`similarity_bound` first, and stops when no other can do better: for a
    near-duplicate that is often one or two.

    >>> texts = ["Le chat noir dort.", "Le chien noir dort.", "Un chat dort."]
    >>> best_match("Le chat blanc dort.", words("Le chat blanc dort."),
    ...            [(i, text, words(text)) for i, text in enumerate(texts)], 0.5)
    (0.6842105263157895, 0, 'Le chat noir dort.')
    """
    ranked = rank_candidates(wanted, candidates)
    promising = sorted(
        (
            (similarity_bound(text, source), rank, segment_id, text)
            for rank, (segment_id, text) in enumerate(ranked)
        ),
        key=lambda item: (-item[0], item[1]),
    )
    best: tuple[float, int, int, str] | None = None  # (similarity, -rank, id, text)
    for bound, rank, segment_id, text in promising:
        if bound < threshold or (best is not None and bound < best[0]):
            break
        # The character edit distance (in C) never exceeds what similarity() counts over the
        # word diff, so it is a tighter bound that spares most of the word diffs of prose.
        longest = max(len(text), len(source), 1)
        closest = 1.0 - min(Levenshtein.distance(text, source), longest) / longest
        if closest < threshold or (best is not None and closest < best[0]):
            continue
        score = similarity(text, source)
        if score >= threshold and (best is None or (score, -rank) > best[:2]):
            best = (score, -rank, segment_id, text)
    return None if best is None else (best[0], best[2], best[3])


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
