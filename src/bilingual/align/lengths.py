"""Gale–Church: how likely two spans of text are translations of each other, by length alone.

A translation's length in characters is roughly proportional to its source's; the difference,
scaled by the square root of the length, is about normally distributed (Gale & Church 1993).
The ratio is measured on the two texts themselves, so it fits French→English or any pair.
"""

from __future__ import annotations

import math

#: Variance of the length difference per character (Gale & Church's estimate).
VARIANCE_PER_CHARACTER = 6.8
#: Costs are negative log probabilities; this caps the cost of an impossible pair.
MAX_LENGTH_COST = 25.0


def length_cost(french_chars: int, english_chars: int, ratio: float) -> float:
    """Negative log probability that spans of these lengths translate each other.

    ``ratio`` is the English/French length ratio of the whole texts.

    >>> round(length_cost(100, 100, 1.0), 3), round(length_cost(100, 200, 1.0), 1)
    (0.0, 6.4)
    """
    expected = french_chars * ratio
    spread = math.sqrt(VARIANCE_PER_CHARACTER * max((expected + english_chars) / 2, 1.0))
    delta = abs(english_chars - expected) / spread
    probability = math.erfc(delta / math.sqrt(2))  # two-sided tail of the normal law
    if probability <= 0:
        return MAX_LENGTH_COST
    return min(max(0.0, -math.log(probability)), MAX_LENGTH_COST)


def length_probability(french_chars: int, english_chars: int, ratio: float) -> float:
    """The same evidence as a probability in 0..1 (1 = lengths agree perfectly).

    >>> length_probability(50, 50, 1.0), round(length_probability(50, 80, 1.0), 2)
    (1.0, 0.15)
    """
    return math.exp(-length_cost(french_chars, english_chars, ratio))
