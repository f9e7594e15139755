"""The banded dynamic programme: the cheapest monotone path of beads through both texts.

A bead takes 0–3 French and 0–3 English sentences (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3:
a long sentence rendered as three short ones, or the reverse, is common in fiction). Its cost
adds up, as negative log probabilities: the prior of its kind, Gale–Church's length cost, the
lack of lexical similarity, and paragraph hints (a bead that spans a paragraph break on one
side, or a paragraph that starts on one side only, costs a little more; a paragraph that starts
on both sides at once costs a little less: the English may reflow paragraphs).

Only cells near the rough path of the anchor pass (:mod:`~bilingual.align.guide`) are filled:
``width`` English sentences on either side. When the best path runs along the band's edge, the
band is doubled and the programme run again, so the result is the full programme's whenever
the band was wide enough, in time linear in the text's length. Each row of the band is computed
at once with numpy; 0-1 beads, which chain along a row, by a running minimum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .guide import guide
from .lengths import length_costs
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
_SKIP_ENGLISH = BEADS.index((0, 1))
#: The band stops doubling at this many cells (about 15 s): beyond, the texts are not
#: translations of each other and no band would find a good path.
MAX_CELLS = 30_000_000

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts, in the units of a negative log probability."""

    #: Cost of a bead with no lexical evidence at all, per sentence it holds.
    similarity: float = 12.0
    length: float = 1.0
    #: Cost of a sentence left without counterpart, on top of its prior.
    omission: float = 4.5
    #: Per paragraph break inside a bead, on either side.
    paragraph_crossing: float = 4.0
    #: A paragraph that starts on one side where the other goes on.
    paragraph_mismatch: float = 0.3
    #: Bonus where a paragraph starts on both sides at once.
    paragraph_agreement: float = 1.0


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
    weights: Weights,
    width: int = 30,
) -> list[Bead]:
    """The cheapest sequence of beads covering both sides, widening the band as needed."""
    m = len(english.lengths)
    centre = guide(similarity.french, similarity.english, french.lengths, english.lengths)
    programme = _Programme(french, english, similarity, weights)
    while True:
        bounds = _band(centre, m, width)
        path, touched_edge = programme.run(bounds)
        cells = sum(high - low + 1 for low, high in bounds)
        if not touched_edge or width >= m or cells * 2 > MAX_CELLS:
            return path
        width *= 2


def _band(centre: FloatArray, m: int, width: int) -> list[tuple[int, int]]:
    """For each French position 0..n, the English positions the band allows (monotone)."""
    lows = np.clip(np.floor(centre) - width, 0, m).astype(np.int64)
    highs = np.clip(np.ceil(centre) + width, 0, m).astype(np.int64)
    lows = np.minimum.accumulate(lows[::-1])[::-1]  # never decreasing, so every row connects
    highs = np.maximum.accumulate(highs)
    lows[0], highs[-1] = 0, m
    return list(zip(lows.tolist(), highs.tolist()))


class _Programme:
    def __init__(
        self, french: Side, english: Side, similarity: SimilarityModel, weights: Weights
    ) -> None:
        self.n, self.m = len(french.lengths), len(english.lengths)
        self.similarity = similarity
        self.weights = weights
        self.ratio = sum(english.lengths) / max(sum(french.lengths), 1)
        self.french_chars = _prefix(french.lengths)
        self.english_chars = _prefix(english.lengths)
        self.french_sizes = _prefix(similarity.french_sizes)
        self.english_sizes = _prefix(similarity.english_sizes)
        # A paragraph starts at position p (between sentences p-1 and p).
        self.french_breaks = _breaks(french.paragraphs)
        self.english_breaks = _breaks(english.paragraphs)
        self.french_crossings = np.cumsum(self.french_breaks)
        self.english_crossings = np.cumsum(self.english_breaks)
        self.priors = {bead: -math.log(prior) for bead, prior in PRIORS.items()}

    def run(self, bounds: list[tuple[int, int]]) -> tuple[list[Bead], bool]:
        overlaps = self._overlaps(bounds)
        costs: list[FloatArray] = []
        choices: list[NDArray[np.int8]] = []
        weights = self.weights
        skip_cost = self.priors[(0, 1)] + weights.omission
        for i in range(self.n + 1):
            low, high = bounds[i]
            columns = np.arange(low, high + 1)
            best = np.full(len(columns), np.inf)
            choice = np.full(len(columns), _SKIP_ENGLISH, dtype=np.int8)
            if i == 0:
                best[0] = 0.0
            for bead_index, (a, b) in enumerate(BEADS):
                if a == 0 or a > i:
                    continue
                candidate = self._bead_costs(i, a, b, columns, bounds, costs, overlaps)
                better = candidate < best
                best[better] = candidate[better]
                choice[better] = bead_index
            point = self._point_costs(i, columns)
            best += point
            if i == 0:
                best[0] = 0.0
            # 0-1 beads chain along the row: row[k] = min(best[k], row[k-1] + step[k]).
            steps = np.full(len(columns), skip_cost) + point
            steps[0] = 0.0
            running = np.cumsum(steps)
            row = running + np.minimum.accumulate(best - running)
            chained = row < best - 1e-9
            choice[chained] = _SKIP_ENGLISH
            costs.append(row)
            choices.append(choice)
        return self._trace(choices, bounds)

    def _bead_costs(
        self,
        i: int,
        a: int,
        b: int,
        columns: NDArray[np.int64],
        bounds: list[tuple[int, int]],
        costs: list[FloatArray],
        overlaps: list[tuple[int, FloatArray]],
    ) -> FloatArray:
        previous_row = i - a
        previous_low, previous_high = bounds[previous_row]
        starts = columns - b
        valid = (starts >= previous_low) & (starts <= previous_high)
        previous = np.full(len(columns), np.inf)
        previous[valid] = costs[previous_row][starts[valid] - previous_low]
        weights = self.weights
        cost = previous + self.priors[(a, b)]
        if b == 0:
            return cost + weights.omission
        safe_starts = np.maximum(starts, 0)
        shared = np.zeros(len(columns))
        for x in range(previous_row, i):
            offset, row = overlaps[x]
            for shift in range(1, b + 1):
                positions = columns - shift - offset
                inside = (positions >= 0) & (positions < len(row))
                shared[inside] += row[positions[inside]]
        size = (self.french_sizes[i] - self.french_sizes[previous_row]) + (
            self.english_sizes[columns] - self.english_sizes[safe_starts]
        )
        dice = np.divide(2 * shared, size, out=np.zeros(len(columns)), where=size > 0)
        cost += weights.similarity * (1 - dice) * (a + b) / 2
        french_chars = self.french_chars[i] - self.french_chars[previous_row]
        english_chars = self.english_chars[columns] - self.english_chars[safe_starts]
        cost += weights.length * length_costs(french_chars, english_chars, self.ratio)
        if a > 1:
            inner = self.french_crossings[i - 1] - self.french_crossings[previous_row]
            cost += weights.paragraph_crossing * inner
        if b > 1:
            inner_english: NDArray[np.int64] = (
                self.english_crossings[np.maximum(columns - 1, 0)]
                - self.english_crossings[safe_starts]
            )
            cost += weights.paragraph_crossing * inner_english
        return cost

    def _point_costs(self, i: int, columns: NDArray[np.int64]) -> FloatArray:
        french_break = bool(self.french_breaks[i])
        english_break = self.english_breaks[columns]
        weights = self.weights
        if french_break:
            return np.where(english_break, -weights.paragraph_agreement, weights.paragraph_mismatch)
        return np.where(english_break, weights.paragraph_mismatch, 0.0)

    def _overlaps(self, bounds: list[tuple[int, int]]) -> list[tuple[int, FloatArray]]:
        """For each French sentence, its overlaps with every English sentence a bead ending
        in the band can pair it with: (first English index, overlaps)."""
        found = []
        for x in range(self.n):
            start = max(0, bounds[x + 1][0] - 3)
            stop = min(self.m, bounds[min(self.n, x + 3)][1])
            found.append((start, self.similarity.overlaps(x, start, stop)))
        return found

    def _trace(
        self, choices: list[NDArray[np.int8]], bounds: list[tuple[int, int]]
    ) -> tuple[list[Bead], bool]:
        path: list[Bead] = []
        touched_edge = False
        i, j = self.n, self.m
        while i or j:
            low, high = bounds[i]
            if (j == low and low > 0) or (j == high and high < self.m):
                touched_edge = True
            a, b = BEADS[int(choices[i][j - low])]
            path.append(Bead(i - a, j - b, a, b))
            i, j = i - a, j - b
        path.reverse()
        return path, touched_edge


def _prefix(values: Sequence[int]) -> NDArray[np.int64]:
    return np.concatenate(([0], np.cumsum(np.asarray(values, dtype=np.int64))))


def _breaks(paragraphs: Sequence[int]) -> NDArray[np.bool_]:
    """``breaks[p]`` is whether a new paragraph starts at sentence p (0 < p < count)."""
    numbers = np.asarray(paragraphs)
    breaks = np.zeros(len(numbers) + 1, dtype=bool)
    breaks[1:-1] = numbers[1:] != numbers[:-1]
    return breaks
