"""Bleualign's idea: compare our machine translation of the French with the human English.

A sentence becomes a set of features (:mod:`~bilingual.align.anchors`); the words of the
machine translation join the French side's. Two spans are similar by the Dice coefficient of
their feature sets. Pair overlaps are computed once per band and summed over the sentences of a
span, so a 2-2 candidate costs four look-ups, not a new set operation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..glossary.match import fold
from ..glossary.termbase import Glossary
from .anchors import COGNATE_PREFIX, anchor_features, glossary_features
from .language import FUNCTION_WORDS

_WORD = re.compile(r"[^\W\d_]+")


def word_features(text: str) -> set[str]:
    """Content words of English text, as the cognate features of :mod:`anchors` spell them.

    >>> sorted(word_features("The King of the sea has a ship."))
    ['~king', '~sea', '~ship']
    """
    return {
        "~" + fold(word)[:COGNATE_PREFIX]
        for word in _WORD.findall(text)
        if len(word) >= 3 and word.lower() not in FUNCTION_WORDS
    }


class SimilarityModel:
    """Feature sets of both sides and the cached overlaps of sentence pairs."""

    def __init__(
        self,
        french: Sequence[str],
        english: Sequence[str],
        translations: Sequence[str] | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.french = [frozenset(anchor_features(text)) for text in french]
        if translations is not None:
            self.french = [
                features | word_features(translation)
                for features, translation in zip(self.french, translations)
            ]
        if glossary is not None:
            self.french = [
                features | terms
                for features, terms in zip(self.french, glossary_features(glossary, french))
            ]
        self.english = [frozenset(anchor_features(text) | word_features(text)) for text in english]
        self.french_sizes = [len(features) for features in self.french]
        self.english_sizes = [len(features) for features in self.english]

    def overlap(self, i: int, j: int) -> int:
        """How many features French sentence ``i`` and English sentence ``j`` share."""
        return len(self.french[i] & self.english[j])

    def overlaps(self, i: int, start: int, stop: int) -> NDArray[np.float64]:
        """The overlaps of French sentence ``i`` with English sentences ``start..stop-1``."""
        features = self.french[i]
        return np.fromiter(
            (len(features & other) for other in self.english[start:stop]),
            dtype=np.float64,
            count=max(0, stop - start),
        )

    def similarity(self, french: range, english: range) -> float:
        """Dice coefficient of the features of two spans (0 when either has none)."""
        shared = sum(self.overlap(i, j) for i in french for j in english)
        size = sum(self.french_sizes[i] for i in french) + sum(
            self.english_sizes[j] for j in english
        )
        return 2 * shared / size if size else 0.0
