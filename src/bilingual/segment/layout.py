"""Lines and paragraphs: the part of segmentation that does not depend on the rules.

A line splitter finds the sentence boundaries inside one line; :func:`build_segments` runs it
on every line and turns the result into :class:`~bilingual.document.Segment` objects with their
offsets and paragraph numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..document import Segment

# A splitter gets (text, start, end) for one line whose text[start] and text[end - 1] are not
# whitespace, and yields one (segment_end, next_segment_start) pair per boundary, in order:
# text[segment_end - 1] and text[next_segment_start] are not whitespace either.
LineSplitter = Callable[[str, int, int], Iterable[tuple[int, int]]]

# The line breaks of str.splitlines(), so "\r\n", "\r", "\u2028"... all end a line.
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_LINE = re.compile("[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def build_segments(text: str, split_line: LineSplitter) -> list[Segment]:
    """Segments of ``text``: every line split by ``split_line``, paragraphs numbered from 0.

    >>> [(s.text, s.paragraph) for s in build_segments("Un.\\nDeux.\\n \\nTrois.", no_split)]
    [('Un.', 0), ('Deux.', 0), ('Trois.', 1)]
    """
    segments: list[Segment] = []
    paragraph = 0
    previous_end = -1
    for line in _LINE.finditer(text):
        start, end = _strip(text, line.start(), line.end())
        if start == end:
            continue
        if previous_end >= 0 and _has_blank_line(text, previous_end, start):
            paragraph += 1
        segment_start = start
        for segment_end, next_start in split_line(text, start, end):
            segments.append(
                Segment(segment_start, segment_end, text[segment_start:segment_end], paragraph)
            )
            segment_start = next_start
        segments.append(Segment(segment_start, end, text[segment_start:end], paragraph))
        previous_end = end
    return segments


def no_split(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """A line splitter that keeps each line whole."""
    return ()


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    line = text[start:end]
    stripped_left = line.lstrip()
    if not stripped_left:
        return start, start
    return end - len(stripped_left), start + len(line.rstrip())


def _has_blank_line(text: str, gap_start: int, gap_end: int) -> bool:
    # The gap between two segments on different lines is whitespace only: two line breaks in
    # it mean a line with nothing but whitespace in between.
    breaks = _LINE_BREAK.finditer(text, gap_start, gap_end)
    return next(breaks, None) is not None and next(breaks, None) is not None
