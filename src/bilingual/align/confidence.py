"""How sure each link is: its lexical evidence against chance, its lengths, its neighbours.

Similarity means little on its own: texts with few cognates score low even where they match.
So a link's words are judged against the similarity of sentences that do *not* translate each
other in the same two texts (chance), its lengths by Gale–Church, and a link with no shared word
borrows confidence from sure links around it. An omission is sure when its sentence resembles
none of the neighbouring sentences of the other side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .dp import Bead, Side
from .lengths import length_probability
from .result import Link
from .similarity import SimilarityModel

#: The least chance similarity assumed (texts with almost no shared feature).
CHANCE_FLOOR = 0.02
#: How many times chance similarity a link must reach to be even odds.
EVIDENCE_MIDPOINT = 1.5
#: How many links on each side lend their confidence to a link without shared words, and how
#: much of it fades per link of distance.
CONTEXT_LINKS = 3
CONTEXT_FADING = 0.9
#: How many French sentences are sampled to measure chance.
CHANCE_SAMPLES = 200


def chance_similarity(model: SimilarityModel) -> float:
    """The similarity of sentences that do not translate each other, measured on these texts:
    each sampled French sentence against the English sentence half a text away."""
    n, m = len(model.french), len(model.english)
    if min(n, m) < 4:
        return CHANCE_FLOOR
    samples = []
    for i in range(0, n, max(1, n // CHANCE_SAMPLES)):
        j = (i * m // n + m // 2) % m
        samples.append(model.similarity(range(i, i + 1), range(j, j + 1)))
    return sum(samples) / len(samples)


class LinkScorer:
    """Turns a bead's similarity and lengths into a confidence, relative to chance."""

    def __init__(self, model: SimilarityModel, french: Side, english: Side, chance: float) -> None:
        self.model = model
        self.french = french
        self.english = english
        self.ratio = sum(english.lengths) / sum(french.lengths)
        self.chance = max(chance, CHANCE_FLOOR)

    def evidence(self, french: range, english: range) -> tuple[float, float]:
        """(confidence from the words alone, similarity)."""
        similarity = self.model.similarity(french, english)
        excess = (similarity - self.chance) / self.chance
        return 1 / (1 + math.exp(-(excess - EVIDENCE_MIDPOINT))), similarity

    def lengths(self, french: range, english: range) -> float:
        french_chars = sum(self.french.lengths[i] for i in french)
        english_chars = sum(self.english.lengths[j] for j in english)
        return length_probability(french_chars, english_chars, self.ratio)

    def links(self, path: Sequence[Bead]) -> list[Link]:
        spans = [
            (
                range(bead.french_start, bead.french_start + bead.french_count),
                range(bead.english_start, bead.english_start + bead.english_count),
            )
            for bead in path
        ]
        own = [self.evidence(f, e) if f and e else (0.0, 0.0) for f, e in spans]
        links = []
        for k, (french, english) in enumerate(spans):
            if not french or not english:
                links.append(self._omission(french, english, spans, k))
                continue
            words, similarity = own[k]
            fit = self.lengths(french, english)
            # A link without shared words, between sure links and with lengths that fit, is
            # most likely right: short lines of dialogue share no word with their translation.
            context = min(self._support(own, spans, k, -1), self._support(own, spans, k, 1)) * fit
            confidence = max(words * (0.6 + 0.4 * fit), context)
            links.append(
                Link(tuple(french), tuple(english), round(confidence, 3), round(similarity, 3))
            )
        return links

    @staticmethod
    def _support(
        own: list[tuple[float, float]], spans: list[tuple[range, range]], k: int, step: int
    ) -> float:
        """The best word evidence among the few links on one side of link ``k``, fading with
        distance; the start or the end of the texts, where both sides meet for sure, counts as
        a sure link."""
        support = 0.0
        for distance in range(1, CONTEXT_LINKS + 1):
            x = k + step * distance
            if not 0 <= x < len(spans):
                return max(support, CONTEXT_FADING ** (distance - 1))
            if spans[x][0] and spans[x][1]:
                support = max(support, own[x][0] * CONTEXT_FADING ** (distance - 1))
        return support

    def _omission(
        self, french: range, english: range, spans: list[tuple[range, range]], k: int
    ) -> Link:
        """An omission is sure when the sentence resembles none of its neighbours' sentences."""
        best = 0.0
        for x in (k - 1, k + 1):
            if 0 <= x < len(spans):
                other_french, other_english = spans[x]
                if french and other_english:
                    best = max(best, self.evidence(french, other_english)[0])
                if english and other_french:
                    best = max(best, self.evidence(other_french, english)[0])
        return Link(tuple(french), tuple(english), round(1 - best, 3), 0.0)
