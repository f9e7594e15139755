"""The length of a translation against its source."""

from __future__ import annotations

from ..document import Finding, Severity

LENGTH_RATIO = "length-ratio"
#: English runs 10-20 % shorter than French; outside these bounds a part is missing or added.
MIN_RATIO, MAX_RATIO = 0.45, 1.9
#: Short segments vary too much to judge ("Oui." → "Yes, indeed.").
MIN_SOURCE_CHARS = 40


def length_ratio(source: str, target: str) -> list[Finding]:
    """A translation far shorter or longer than its source.

    >>> length_ratio("Le tram traverse la ville du nord au sud.", "The tram crosses the city from north to south.")
    []
    >>> [f.kind for f in length_ratio("Le tram traverse la ville du nord au sud.", "The tram.")]
    ['length-ratio']
    """
    source_length, target_length = len(source.strip()), len(target.strip())
    if source_length < MIN_SOURCE_CHARS:
        return []
    ratio = target_length / source_length
    if MIN_RATIO <= ratio <= MAX_RATIO:
        return []
    what = "shorter" if ratio < MIN_RATIO else "longer"
    return [
        Finding(
            LENGTH_RATIO,
            Severity.WARNING,
            f"The translation is {ratio:.0%} of the source's length: far {what} than usual.",
        )
    ]
