"""Gale–Church: how likely two spans of text are translations of each other, by length alone.

A translation's length in characters is roughly proportional to its source's; the difference,
scaled by the square root of the length, is about normally distributed (Gale & Church 1993).
The ratio is measured on the two texts themselves, so it fits French→English or any pair.
Costs are computed on whole numpy arrays (a row of the dynamic programme at once), in log space
so that a hopeless pair costs a large finite number instead of underflowing.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Variance of the length difference per character (Gale & Church's estimate).
VARIANCE_PER_CHARACTER = 6.8
_LOG_HALF_SQRT_PI = math.log(math.sqrt(math.pi) / 2)


def length_costs(
    french_chars: ArrayLike, english_chars: ArrayLike, ratio: float
) -> NDArray[np.float64]:
    """Negative log probabilities that spans of these lengths translate each other.

    ``ratio`` is the English/French length ratio of the whole texts.

    >>> [round(float(c), 2) for c in length_costs(np.array([100.0, 100.0]), np.array([100.0, 200.0]), 1.0)]
    [0.0, 6.33]
    """
    french = np.asarray(french_chars, dtype=np.float64) * ratio
    english = np.asarray(english_chars, dtype=np.float64)
    spread = np.sqrt(VARIANCE_PER_CHARACTER * np.maximum((french + english) / 2, 1.0))
    z = np.abs(english - french) / spread / math.sqrt(2)
    # -log erfc(z), the tail probability of |δ|, by erfc(z) ≈ 2 exp(-z²) / (√π (z + √(z² +
    # 4/π))): within 0.06 of the exact cost everywhere, and a few operations on a whole row.
    cost: NDArray[np.float64] = np.maximum(
        z * z + _LOG_HALF_SQRT_PI + np.log(z + np.sqrt(z * z + 4 / math.pi)), 0.0
    )
    return cost


def length_probability(french_chars: int, english_chars: int, ratio: float) -> float:
    """The same evidence as a probability in 0..1 (1 = lengths agree perfectly).

    >>> length_probability(50, 50, 1.0), round(length_probability(50, 80, 1.0), 2)
    (1.0, 0.16)
    """
    return math.exp(-float(length_costs(french_chars, english_chars, ratio)))
