"""Segments of a document with structure: its blocks are the paragraphs, its inline codes
become the tags of each unit.

The whole text is segmented at once (blocks are separated by blank lines, so no segment crosses
one); each segment's ``paragraph`` is then the index of its block. A reader may give no blocks
(a plain text): its paragraphs, runs of non-blank lines, become the blocks. Segments that would
cut a protected code (inline code holding a full stop) are joined again.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from ..document import Block, Document, InlineCode, Segment, Tag, Unit
from . import segment_text


def document_units(document: Document, language: str = "fr") -> list[Unit]:
    """One unit per segment of ``document`` (a text in ``language``), with its tags; fills in
    ``document.blocks`` when the reader gave none.

    >>> from bilingual.document import CodeKind
    >>> doc = Document("d", "Titre\\n\\nLe chat dort. Fin.", blocks=[Block(0, 5), Block(7, 24)],
    ...                codes=[InlineCode(10, 14, CodeKind.BOLD)])
    >>> [(u.source, u.segment.paragraph, u.source_tags) for u in document_units(doc)]
    [('Titre', 0, ()), ('Le chat dort.', 1, (Tag(code=0, start=3, end=7, paired=True, protected=False),)), ('Fin.', 1, ())]
    """
    segments = segment_text(document.text, language=language)
    if not document.blocks:
        document.blocks = _paragraph_blocks(segments)
        return [Unit(segment) for segment in segments]
    starts = [block.start for block in document.blocks]
    segments = [
        replace(segment, paragraph=max(bisect_right(starts, segment.start) - 1, 0))
        for segment in segments
    ]
    protected = [code for code in document.codes if code.protected]
    if protected:
        segments = _join_across(segments, protected, document.text)
    return _with_tags(segments, document.codes)


def _paragraph_blocks(segments: list[Segment]) -> list[Block]:
    blocks: list[Block] = []
    for segment in segments:
        if len(blocks) == segment.paragraph + 1:
            blocks[-1] = replace(blocks[-1], end=segment.end)
        else:
            blocks.append(Block(segment.start, segment.end))
    return blocks


def _join_across(segments: list[Segment], protected: list[InlineCode], text: str) -> list[Segment]:
    """Join consecutive segments of one block whose boundary falls inside a protected code."""
    cuts = sorted((code.start, code.end) for code in protected)
    starts = [start for start, _ in cuts]
    joined: list[Segment] = []
    for segment in segments:
        if joined and joined[-1].paragraph == segment.paragraph:
            previous = joined[-1]
            index = bisect_right(starts, previous.end) - 1
            if index >= 0 and cuts[index][0] < previous.end and cuts[index][1] > segment.start:
                joined[-1] = Segment(
                    previous.start, segment.end, text[previous.start : segment.end], segment.paragraph
                )
                continue
        joined.append(segment)
    return joined


def _with_tags(segments: list[Segment], codes: list[InlineCode]) -> list[Unit]:
    """Units whose tags are the codes over each segment, cut at its edges (codes are sorted by
    start, and nest)."""
    units: list[Unit] = []
    active: list[int] = []  # indexes of codes started before the current segment's end
    next_code = 0
    for segment in segments:
        while next_code < len(codes) and codes[next_code].start <= segment.end:
            active.append(next_code)
            next_code += 1
        active = [i for i in active if codes[i].end >= segment.start]
        tags = []
        for index in active:
            code = codes[index]
            if code.paired:
                if code.start < segment.end and code.end > segment.start:
                    start = max(code.start, segment.start) - segment.start
                    end = min(code.end, segment.end) - segment.start
                    tags.append(Tag(index, start, end))
            elif segment.start <= code.start and code.end <= segment.end:
                tags.append(
                    Tag(
                        index,
                        code.start - segment.start,
                        code.end - segment.start,
                        paired=False,
                        protected=code.protected,
                    )
                )
        units.append(Unit(segment, source_tags=tuple(tags)))
    return units
