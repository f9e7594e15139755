"""Sentence alignment of a French text with its human English translation.

:func:`align_segments` takes the segments of both sides (with their paragraph numbers) and
returns an :class:`Alignment`: links of 0–2 French to 0–2 English sentences, in order, never
crossing, covering every sentence once, each with a confidence. The evidence combined:

- sentence lengths (Gale–Church, :mod:`~bilingual.align.lengths`);
- anchors that survive translation: numbers, names, URLs, punctuation, cognates and glossary
  terms (:mod:`~bilingual.align.anchors`);
- when the caller gives one, the similarity of our machine translation of each French segment
  with the English, as Bleualign does (:mod:`~bilingual.align.similarity`);
- paragraph breaks on both sides, as hints the English may break (:mod:`~bilingual.align.dp`).

>>> from bilingual.segment import segment_text
>>> french = segment_text("Il avait 20 ans. Il partit pour Paris en 1870 ; il pleuvait.")
>>> english = segment_text("He was 20. He left for Paris in 1870. It was raining.", language="en")
>>> [(link.french, link.english, link.kind) for link in align_segments(french, english).links]
[((0,), (0,), '1-1'), ((1,), (1, 2), '1-2')]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..document import Segment
from ..errors import AlignmentError
from ..glossary.termbase import Glossary
from .dp import Bead, Side, Weights, best_path
from .language import guess_language
from .lengths import length_probability
from .result import Alignment, Link
from .similarity import SimilarityModel

__all__ = ["Alignment", "Link", "Weights", "align_segments"]

DEFAULT_WEIGHTS = Weights()
#: Beyond this ratio of characters the two texts cannot be one text and its translation.
MAX_LENGTH_RATIO = 3.0
#: Warn when more than this share of the links has low confidence.
WARNING_SHARE = 0.4
#: The least chance similarity assumed (texts with almost no shared feature).
CHANCE_FLOOR = 0.02
#: How many links on each side lend their confidence to a link without shared words, and how
#: much of it fades per link of distance.
CONTEXT_LINKS = 3
CONTEXT_FADING = 0.9
#: How many times chance similarity a link must reach to be even odds.
EVIDENCE_MIDPOINT = 1.5


def align_segments(
    french: Sequence[Segment],
    english: Sequence[Segment],
    translations: Sequence[str] | None = None,
    glossary: Glossary | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Alignment:
    """Align French segments with English segments.

    ``translations`` are machine translations of the French segments (one per segment, e.g.
    from ``bilingual.engines.get_engine("apertium").translate``); ``glossary`` lets its terms
    anchor the alignment. Raises :class:`~bilingual.errors.AlignmentError` when a side is
    empty, when the lengths are too far apart to be a text and its translation, or when a
    side is not in its language.
    """
    _check(french, english, translations)
    model = SimilarityModel(
        [s.text for s in french], [s.text for s in english], translations, glossary
    )
    french_side = Side([len(s.text) for s in french], [s.paragraph for s in french])
    english_side = Side([len(s.text) for s in english], [s.paragraph for s in english])
    path = best_path(french_side, english_side, model, weights)
    scorer = _Scorer(model, french_side, english_side, _chance_similarity(model))
    alignment = Alignment(scorer.links(path))
    share = alignment.low_confidence_share
    if share > WARNING_SHARE:
        alignment.warnings.append(
            f"{share:.0%} of the links have low confidence: are these texts translations "
            "of each other?"
        )
    return alignment


def _check(
    french: Sequence[Segment], english: Sequence[Segment], translations: Sequence[str] | None
) -> None:
    if not french:
        raise AlignmentError("the French text has no sentence: give a non-empty French text")
    if not english:
        raise AlignmentError("the English text has no sentence: give a non-empty English text")
    if translations is not None and len(translations) != len(french):
        raise AlignmentError(
            f"{len(translations)} machine translations for {len(french)} French segments: "
            "translate every French segment once"
        )
    french_language = guess_language(s.text for s in french)
    english_language = guess_language(s.text for s in english)
    if french_language == "en" and english_language == "fr":
        raise AlignmentError("the texts look swapped: give the French text first, then the English")
    if french_language == "en":
        raise AlignmentError("the French text looks English: give the French original first")
    if english_language == "fr":
        raise AlignmentError("the English text looks French: give its English translation second")
    french_chars = sum(len(s.text) for s in french)
    english_chars = sum(len(s.text) for s in english)
    ratio = english_chars / french_chars
    if not 1 / MAX_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO:
        raise AlignmentError(
            f"the English text ({english_chars:,} characters, {len(english):,} sentences) and "
            f"the French text ({french_chars:,} characters, {len(french):,} sentences) are too "
            "different in length to be a text and its translation: check that both files hold "
            "the same whole text"
        )


def _chance_similarity(model: SimilarityModel) -> float:
    """The similarity of sentences that do not translate each other, measured on these texts:
    each sampled French sentence against the English sentence half a text away."""
    n, m = len(model.french), len(model.english)
    if min(n, m) < 4:
        return CHANCE_FLOOR
    samples = []
    for i in range(0, n, max(1, n // 200)):
        j = (i * m // n + m // 2) % m
        samples.append(model.similarity(range(i, i + 1), range(j, j + 1)))
    return sum(samples) / len(samples)


class _Scorer:
    """Turns a bead's similarity and lengths into a confidence, relative to chance."""

    def __init__(
        self, model: SimilarityModel, french: Side, english: Side, chance: float
    ) -> None:
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
            links.append(Link(tuple(french), tuple(english), round(confidence, 3),
                              round(similarity, 3)))
        return links

    @staticmethod
    def _support(
        own: list[tuple[float, float]], spans: list[tuple[range, range]], k: int, step: int
    ) -> float:
        """The best word evidence among the few links on one side of link ``k``, fading with
        distance (0 at either end of the text)."""
        support = 0.0
        for distance in range(1, CONTEXT_LINKS + 1):
            x = k + step * distance
            if not 0 <= x < len(spans):
                break
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
