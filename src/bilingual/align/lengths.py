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
#: Coefficients of Numerical Recipes' erfc approximation (relative error below 1.2e-7).
_ERFC = (
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
    0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277,
)


def length_costs(
    french_chars: ArrayLike, english_chars: ArrayLike, ratio: float
) -> NDArray[np.float64]:
    """Negative log probabilities that spans of these lengths translate each other.

    ``ratio`` is the English/French length ratio of the whole texts.

    >>> [round(float(c), 2) for c in length_costs(np.array([100.0, 100.0]), np.array([100.0, 200.0]), 1.0)]
    [0.0, 6.35]
    """
    french = np.asarray(french_chars, dtype=np.float64) * ratio
    english = np.asarray(english_chars, dtype=np.float64)
    spread = np.sqrt(VARIANCE_PER_CHARACTER * np.maximum((french + english) / 2, 1.0))
    z = np.abs(english - french) / spread / math.sqrt(2)
    t = 1 / (1 + 0.5 * z)
    polynomial = np.zeros_like(t)
    for coefficient in reversed(_ERFC[1:]):
        polynomial = (polynomial + coefficient) * t
    # erfc(z) = t * exp(-z² + _ERFC[0] + polynomial): the tail probability of |δ|.
    cost: NDArray[np.float64] = np.maximum(
        -np.log(t) + z * z - _ERFC[0] - polynomial, 0.0
    )
    return cost


def length_probability(french_chars: int, english_chars: int, ratio: float) -> float:
    """The same evidence as a probability in 0..1 (1 = lengths agree perfectly).

    >>> length_probability(50, 50, 1.0), round(length_probability(50, 80, 1.0), 2)
    (1.0, 0.15)
    """
    return math.exp(-float(length_costs(french_chars, english_chars, ratio)))
