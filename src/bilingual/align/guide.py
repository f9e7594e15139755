"""The anchor pass: a rough path through both texts, for the dynamic programme's band to follow.

A feature that occurs at most twice on each side within reach of one place of the text (a
name, a number, a rare word of the machine translation) is an anchor there: every French/English
sentence pair sharing one is a candidate point.
The longest chain of candidates increasing on both sides is the rough path; between its points,
and where there are none, the path goes in proportion to characters. This keeps the band on
the right track when the length ratio drifts along the text (another translator's habits,
a long passage left out) without widening it everywhere.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

#: A feature seen more often than this within reach, on either side, is no anchor there.
MAX_NEARBY = 2
#: A feature seen more often than this in a whole text is too common to be worth the search.
MAX_OCCURRENCES = 20
#: How far (a share of the English sentences) the true path may stray from the proportional.
MAX_DRIFT = 0.08


def guide(
    french: Sequence[frozenset[str]],
    english: Sequence[frozenset[str]],
    french_lengths: Sequence[int],
    english_lengths: Sequence[int],
) -> NDArray[np.float64]:
    """For each French position 0..n, the English position the rough path reaches."""
    n, m = len(french), len(english)
    proportional = _proportional(french_lengths, english_lengths)
    points = _candidates(french, english, proportional, max(50.0, MAX_DRIFT * m))
    chain = _longest_chain(points)
    xs = [0.0] + [x + 0.5 for x, _ in chain] + [float(n)]
    ys = [0.0] + [y + 0.5 for _, y in chain] + [float(m)]
    path: NDArray[np.float64] = np.interp(np.arange(n + 1), xs, ys)
    return path


def _proportional(french: Sequence[int], english: Sequence[int]) -> NDArray[np.float64]:
    """The English position reached when the same share of characters has gone by."""
    french_offsets = np.concatenate(([0.0], np.cumsum(french, dtype=np.float64)))
    english_offsets = np.concatenate(([0.0], np.cumsum(english, dtype=np.float64)))
    targets = french_offsets / max(french_offsets[-1], 1.0) * english_offsets[-1]
    positions: NDArray[np.float64] = np.interp(
        targets, english_offsets, np.arange(len(english) + 1, dtype=np.float64)
    )
    return positions


def _candidates(
    french: Sequence[frozenset[str]],
    english: Sequence[frozenset[str]],
    proportional: NDArray[np.float64],
    drift: float,
) -> list[tuple[int, int]]:
    french_where = _occurrences(french)
    english_where = _occurrences(english)
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for feature, xs in french_where.items():
        ys = english_where.get(feature)
        if not ys:
            continue
        places = [proportional[x] for x in xs]
        for x, place in zip(xs, places):
            low = bisect.bisect_left(ys, place - drift)
            high = bisect.bisect_right(ys, place + drift)
            if not 0 < high - low <= MAX_NEARBY:
                continue
            if sum(abs(other - place) <= drift for other in places) > MAX_NEARBY:
                continue
            for y in ys[low:high]:
                weights[(x, y)] += 1
    # A pair sharing one rare feature may be chance; keep the better-supported points when
    # there are enough of them.
    strong = [point for point, weight in weights.items() if weight >= 2]
    chosen = strong if len(strong) * 20 >= len(french) else list(weights)
    return sorted(chosen)


def _occurrences(sides: Sequence[frozenset[str]]) -> dict[str, list[int]]:
    """Where each feature that is neither a mark nor too common occurs, in order."""
    where: dict[str, list[int]] = defaultdict(list)
    for index, features in enumerate(sides):
        for feature in features:
            where[feature].append(index)
    return {
        feature: places
        for feature, places in where.items()
        if len(places) <= MAX_OCCURRENCES and len(feature) > 2
    }


def _longest_chain(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``points`` strictly increasing in both coordinates.

    >>> _longest_chain([(0, 0), (1, 5), (2, 1), (3, 2), (4, 9), (5, 3)])
    [(0, 0), (2, 1), (3, 2), (5, 3)]
    """
    # Patience sorting on y, points sorted by x and, within one x, by decreasing y so that
    # two points of the same French sentence are never both taken.
    ordered = sorted(points, key=lambda point: (point[0], -point[1]))
    tails: list[int] = []  # smallest y ending a chain of each length
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_, y) in enumerate(ordered):
        length = bisect.bisect_left(tails, y)
        if length == len(tails):
            tails.append(y)
            tail_index.append(index)
        else:
            tails[length] = y
            tail_index[length] = index
        previous.append(tail_index[length - 1] if length else -1)
    chain: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(ordered[index])
        index = previous[index]
    chain.reverse()
    return chain
