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
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (3, 1),
    (1, 3),
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
#: The band stops doubling at this many cells (a few seconds, a few hundred megabytes):
#: beyond, the texts are not translations of each other and no band would find a good path.
MAX_CELLS = 3_000_000

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
    """The programme over one band. Bead costs do not depend on the path, so they are
    computed first for every cell of the band at once; then a loop over the rows keeps, for
    each cell, the cheapest way in."""

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
        band = _Band(bounds)
        point = self._point_costs(band)
        beads = [
            (bead_index, *self._bead_costs(band, a, b))
            for bead_index, (a, b) in enumerate(BEADS)
            if a > 0
        ]
        total = np.full(band.size, np.inf)
        choice = np.full(band.size, _SKIP_ENGLISH, dtype=np.int8)
        skip_cost = self.priors[(0, 1)] + self.weights.omission
        for i in range(self.n + 1):
            cells = slice(band.offsets[i], band.offsets[i + 1])
            best = np.full(cells.stop - cells.start, np.inf)
            if i == 0:
                best[0] = 0.0
            chosen = choice[cells]
            for bead_index, previous, cost in beads:
                candidate = total[previous[cells]] + cost[cells]
                better = candidate < best
                best[better] = candidate[better]
                chosen[better] = bead_index
            best += point[cells]
            if i == 0:
                best[0] = 0.0
            # 0-1 beads chain along the row: row[k] = min(best[k], row[k-1] + step[k]).
            steps = skip_cost + point[cells]
            steps[0] = 0.0
            running = np.cumsum(steps)
            row = running + np.minimum.accumulate(best - running)
            chosen[row < best - 1e-9] = _SKIP_ENGLISH
            total[cells] = row
        return self._trace(choice, band)

    def _bead_costs(self, band: _Band, a: int, b: int) -> tuple[NDArray[np.int64], FloatArray]:
        """For every cell, where a bead of ``a`` French and ``b`` English sentences ending
        there starts (a cell index) and what it costs (infinite where it cannot be)."""
        rows, columns = band.rows, band.columns
        starts = columns - b
        previous_rows = np.maximum(rows - a, 0)
        valid = (rows >= a) & (starts >= band.lows[previous_rows])
        valid &= starts <= band.highs[previous_rows]
        previous = np.where(
            valid, band.offsets[previous_rows] + starts - band.lows[previous_rows], 0
        )
        weights = self.weights
        cost = np.full(band.size, self.priors[(a, b)])
        if b == 0:
            cost += weights.omission
        else:
            safe_starts = np.maximum(starts, 0)
            shared = np.zeros(band.size)
            for x_shift in range(1, a + 1):
                french_index = np.maximum(rows - x_shift, 0)
                for shift in range(1, b + 1):
                    shared += self._pair_overlaps(band, french_index, columns - shift, valid)
            size = (self.french_sizes[rows] - self.french_sizes[previous_rows]) + (
                self.english_sizes[columns] - self.english_sizes[safe_starts]
            )
            dice = np.divide(2 * shared, size, out=np.zeros(band.size), where=size > 0)
            cost += weights.similarity * (1 - dice) * (a + b) / 2
            french_chars = self.french_chars[rows] - self.french_chars[previous_rows]
            english_chars = self.english_chars[columns] - self.english_chars[safe_starts]
            cost += weights.length * length_costs(french_chars, english_chars, self.ratio)
            if b > 1:
                inner_english = (
                    self.english_crossings[np.maximum(columns - 1, 0)]
                    - self.english_crossings[safe_starts]
                )
                cost += weights.paragraph_crossing * inner_english
        if a > 1:
            inner: NDArray[np.int64] = (
                self.french_crossings[np.maximum(rows - 1, 0)]
                - self.french_crossings[previous_rows]
            )
            cost += weights.paragraph_crossing * inner
        cost[~valid] = np.inf
        return previous, cost

    def _pair_overlaps(
        self,
        band: _Band,
        french: NDArray[np.int64],
        english: NDArray[np.int64],
        valid: NDArray[np.bool_],
    ) -> FloatArray:
        """Features shared by French sentence french[k] and English sentence english[k], for
        every valid cell k (pairs are counted once per band and looked up)."""
        if band.pairs is None:
            band.pairs = self._overlap_table(band)
        table, offsets, firsts = band.pairs
        index = offsets[french] + english - firsts[french]
        inside = valid & (english >= firsts[french]) & (index < offsets[french + 1])
        found = np.zeros(len(french))
        found[inside] = table[index[inside]]
        return found

    def _overlap_table(
        self, band: _Band
    ) -> tuple[FloatArray, NDArray[np.int64], NDArray[np.int64]]:
        """Overlaps of each French sentence with every English sentence a bead ending in the
        band can pair it with, in one flat table, with each sentence's offset and first
        English index."""
        firsts = np.zeros(self.n + 1, dtype=np.int64)
        pieces = []
        offsets = [0]
        for x in range(self.n):
            first = max(0, int(band.lows[x + 1]) - 3)
            stop = min(self.m, int(band.highs[min(self.n, x + 3)]))
            firsts[x] = first
            pieces.append(self.similarity.overlaps(x, first, stop))
            offsets.append(offsets[-1] + len(pieces[-1]))
        table = np.concatenate(pieces) if pieces else np.zeros(0)
        return table, np.asarray(offsets, dtype=np.int64), firsts

    def _point_costs(self, band: _Band) -> FloatArray:
        """Paragraph hints where a bead ends: a break on one side only, or on both."""
        french_break = self.french_breaks[band.rows]
        english_break = self.english_breaks[band.columns]
        weights = self.weights
        costs: FloatArray = np.where(
            french_break & english_break,
            -weights.paragraph_agreement,
            np.where(french_break ^ english_break, weights.paragraph_mismatch, 0.0),
        )
        return costs

    def _trace(self, choice: NDArray[np.int8], band: _Band) -> tuple[list[Bead], bool]:
        path: list[Bead] = []
        touched_edge = False
        i, j = self.n, self.m
        while i or j:
            low, high = int(band.lows[i]), int(band.highs[i])
            if (j == low and low > 0) or (j == high and high < self.m):
                touched_edge = True
            a, b = BEADS[int(choice[band.offsets[i] + j - low])]
            path.append(Bead(i - a, j - b, a, b))
            i, j = i - a, j - b
        path.reverse()
        return path, touched_edge


class _Band:
    """The band's cells, row after row, flattened: cell k is (rows[k], columns[k])."""

    def __init__(self, bounds: list[tuple[int, int]]) -> None:
        self.lows = np.asarray([low for low, _ in bounds], dtype=np.int64)
        self.highs = np.asarray([high for _, high in bounds], dtype=np.int64)
        widths = self.highs - self.lows + 1
        self.offsets = np.concatenate(([0], np.cumsum(widths)))
        self.size = int(self.offsets[-1])
        self.rows = np.repeat(np.arange(len(bounds), dtype=np.int64), widths)
        self.columns = (
            np.arange(self.size, dtype=np.int64) - self.offsets[self.rows] + (self.lows[self.rows])
        )
        self.pairs: tuple[FloatArray, NDArray[np.int64], NDArray[np.int64]] | None = None


def _prefix(values: Sequence[int]) -> NDArray[np.int64]:
    return np.concatenate(([0], np.cumsum(np.asarray(values, dtype=np.int64))))


def _breaks(paragraphs: Sequence[int]) -> NDArray[np.bool_]:
    """``breaks[p]`` is whether a new paragraph starts at sentence p (0 < p < count)."""
    numbers = np.asarray(paragraphs)
    breaks = np.zeros(len(numbers) + 1, dtype=bool)
    breaks[1:-1] = numbers[1:] != numbers[:-1]
    return breaks
