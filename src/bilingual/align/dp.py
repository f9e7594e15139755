"""The banded dynamic programme: the cheapest monotone path of beads through both texts.

A bead takes 0–3 French and 0–3 English sentences (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3:
a long sentence rendered as three short ones, or the reverse, is common in fiction). Its cost
adds up, as negative log probabilities: the prior of its kind, Gale–Church's length cost, the
lack of lexical similarity, and paragraph hints (a bead that spans a paragraph break on one
side, or a paragraph that ends on one side only, costs a little more: the English may reflow).

Only cells near the diagonal are filled: for each French sentence, the English sentences within
``width`` of where the same share of characters has gone by. When the best path runs along the
band's edge the band is doubled and the programme run again, so the result is the full
programme's whenever the band was wide enough, in time linear in the text's length.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .lengths import length_cost
from .similarity import SimilarityModel

#: Bead kinds (French sentences, English sentences) and their priors: Gale & Church's (1993),
#: with some of the 1-1 share given to 3-1 and 1-3.
BEADS: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3)
)
PRIORS = {
    (1, 1): 0.87,
    (1, 0): 0.005,
    (0, 1): 0.005,
    (2, 1): 0.0445,
    (1, 2): 0.0445,
    (2, 2): 0.011,
    (3, 1): 0.01,
    (1, 3): 0.01,
}
_INFINITY = math.inf


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts, in the units of a negative log probability."""

    #: Cost of a bead with no lexical evidence at all, per sentence it holds.
    similarity: float = 12.0
    length: float = 1.0
    #: A two-sentence span across a paragraph break on its side.
    paragraph_crossing: float = 4.0
    #: A paragraph that starts on one side where the other goes on.
    paragraph_mismatch: float = 0.7
    #: Bonus where a paragraph starts on both sides at once.
    paragraph_agreement: float = 1.5


@dataclass(frozen=True, slots=True)
class Side:
    """One text as the programme sees it: sentence lengths and paragraph numbers."""

    lengths: Sequence[int]
    paragraphs: Sequence[int]


@dataclass(frozen=True, slots=True)
class Bead:
    french_start: int
    english_start: int
    french_count: int
    english_count: int


def best_path(
    french: Side,
    english: Side,
    similarity: SimilarityModel,
    weights: Weights = Weights(),
    width: int = 40,
) -> list[Bead]:
    """The cheapest sequence of beads covering both sides, widening the band as needed."""
    n, m = len(french.lengths), len(english.lengths)
    ratio = sum(english.lengths) / max(sum(french.lengths), 1)
    while True:
        bounds = _band(french.lengths, english.lengths, ratio, width)
        path, touched_edge = _run(french, english, similarity, weights, ratio, bounds)
        if not touched_edge or width >= max(n, m):
            return path
        width *= 2


def _band(
    french: Sequence[int], english: Sequence[int], ratio: float, width: int
) -> list[tuple[int, int]]:
    """For each French position 0..n, the English positions the band allows."""
    english_offsets = [0]
    for length in english:
        english_offsets.append(english_offsets[-1] + length)
    m = len(english)
    bounds: list[tuple[int, int]] = []
    consumed = 0
    for i in range(len(french) + 1):
        centre = bisect.bisect_left(english_offsets, consumed * ratio)
        bounds.append((max(0, centre - width), min(m, centre + width)))
        if i < len(french):
            consumed += french[i]
    bounds[-1] = (bounds[-1][0], m)
    return bounds


def _run(
    french: Side,
    english: Side,
    similarity: SimilarityModel,
    weights: Weights,
    ratio: float,
    bounds: list[tuple[int, int]],
) -> tuple[list[Bead], bool]:
    n, m = len(french.lengths), len(english.lengths)
    priors = [-math.log(PRIORS[bead]) for bead in BEADS]
    french_break = [i > 0 and i < n and french.paragraphs[i] != french.paragraphs[i - 1]
                    for i in range(n + 1)]
    english_break = [j > 0 and j < m and english.paragraphs[j] != english.paragraphs[j - 1]
                     for j in range(m + 1)]
    french_sizes, english_sizes = similarity.french_sizes, similarity.english_sizes
    overlap = similarity.overlap
    costs: list[list[float]] = []
    choices: list[bytearray] = []
    for i in range(n + 1):
        low, high = bounds[i]
        row = [_INFINITY] * (high - low + 1)
        choice = bytearray(high - low + 1)
        for j in range(low, high + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best, best_bead = _INFINITY, 0
            for bead_index, (a, b) in enumerate(BEADS):
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0:
                    continue
                previous_low, previous_high = bounds[pi]
                if pj < previous_low or pj > previous_high:
                    continue
                cost = costs[pi][pj - previous_low] if pi < i else row[pj - low]
                if cost == _INFINITY:
                    continue
                cost += priors[bead_index]
                if a and b:
                    shared = 0
                    size = 0
                    french_chars = 0
                    english_chars = 0
                    for x in range(pi, i):
                        size += french_sizes[x]
                        french_chars += french.lengths[x]
                        for y in range(pj, j):
                            shared += overlap(x, y)
                    for y in range(pj, j):
                        size += english_sizes[y]
                        english_chars += english.lengths[y]
                    dice = 2 * shared / size if size else 0.0
                    cost += weights.similarity * (1 - dice) * (a + b) / 2
                    cost += weights.length * length_cost(french_chars, english_chars, ratio)
                else:
                    cost += weights.similarity / 2
                for x in range(pi + 1, i):
                    if french_break[x]:
                        cost += weights.paragraph_crossing
                for y in range(pj + 1, j):
                    if english_break[y]:
                        cost += weights.paragraph_crossing
                if french_break[i] != english_break[j]:
                    cost += weights.paragraph_mismatch
                elif french_break[i]:
                    cost -= weights.paragraph_agreement
                if cost < best:
                    best, best_bead = cost, bead_index
            row[j - low] = best
            choice[j - low] = best_bead
        costs.append(row)
        choices.append(choice)
    return _trace(choices, bounds, n, m)


def _trace(
    choices: list[bytearray], bounds: list[tuple[int, int]], n: int, m: int
) -> tuple[list[Bead], bool]:
    path: list[Bead] = []
    touched_edge = False
    i, j = n, m
    while i or j:
        low, high = bounds[i]
        if (j == low and low > 0) or (j == high and high < m):
            touched_edge = True
        a, b = BEADS[choices[i][j - low]]
        path.append(Bead(i - a, j - b, a, b))
        i, j = i - a, j - b
    path.reverse()
    return path, touched_edge
