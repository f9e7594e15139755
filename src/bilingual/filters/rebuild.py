"""The English of a document, block by block, with its inline codes placed: what every writer
rebuilds its format from.

Inside a block, each segment is replaced by its translation (by the French itself when the
translation is empty: nothing is dropped) and the text between segments (spaces, line breaks) is
kept as it is. A code inside one unit goes where the unit's ``target_tags`` put it; a code over
several units spans from its first part to its last; a code between segments (a line break)
keeps its place in the text between them.

>>> from bilingual.document import Block, InlineCode, CodeKind, Segment, Tag, Unit
>>> document = Document("d", "Le chat. Il dort.", blocks=[Block(0, 17)],
...     codes=[InlineCode(0, 17, CodeKind.BOLD)])
>>> document.units = [
...     Unit(Segment(0, 8, "Le chat."), "The cat.", source_tags=(Tag(0, 0, 8),), target_tags=(Tag(0, 0, 8),)),
...     Unit(Segment(9, 17, "Il dort."), "It sleeps.", source_tags=(Tag(0, 0, 8),), target_tags=(Tag(0, 0, 10),))]
>>> [(b.text, [(c.start, c.end) for c in b.codes]) for b in english_blocks(document)]
[('The cat. It sleeps.', [(0, 19)])]
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..document import Block, Document, InlineCode, Unit


@dataclass(frozen=True, slots=True)
class PlacedCode:
    """One of the document's codes, and where it falls in a block's English text."""

    code: InlineCode
    index: int  # in Document.codes
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EnglishBlock:
    """A block of the source, its English text, and its codes placed in it (outer first)."""

    block: Block
    index: int
    text: str
    codes: tuple[PlacedCode, ...]


def translation_of(unit: Unit) -> str:
    """What goes in an English document for ``unit``: its translation, else its French."""
    return unit.target if unit.target.strip() else unit.source


def _spaced(english: str, unit: Unit, before: str) -> str:
    """An English sentence with no French (an aligned translation's addition) has no gap of
    its own in the source: it gets a space after the text ``before`` it.

    >>> from bilingual.document import Segment
    >>> _spaced("Added.", Unit(Segment(4, 4, ""), "Added."), "Yes.")
    ' Added.'
    """
    if unit.segment.text or not english or not before or before[-1].isspace():
        return english
    return " " + english


def english_text(document: Document) -> str:
    """The document's plain text with every segment replaced by its translation.

    >>> from bilingual.document import Segment, Unit
    >>> english_text(Document("d", "Un.  Deux.\\n\\nTrois.", units=[Unit(Segment(0, 3, "Un."), "One."),
    ...     Unit(Segment(5, 10, "Deux."), "Two."), Unit(Segment(12, 18, "Trois."), "")]))
    'One.  Two.\\n\\nTrois.'
    """
    parts: list[str] = []
    position = 0
    for unit in document.units:
        segment = unit.segment
        parts.append(document.text[position : segment.start])
        parts.append(_spaced(translation_of(unit), unit, "".join(parts[-2:])))
        position = segment.end
    parts.append(document.text[position:])
    return "".join(parts)


def english_blocks(document: Document) -> list[EnglishBlock]:
    """Every block of ``document`` in English, in order."""
    by_block: dict[int, list[Unit]] = {}
    for unit in document.units:
        by_block.setdefault(unit.segment.paragraph, []).append(unit)
    starts = [code.start for code in document.codes]
    result = []
    for index, block in enumerate(document.blocks):
        first = bisect_right(starts, block.start - 1)
        last = bisect_right(starts, block.end)
        codes = [(i, document.codes[i]) for i in range(first, last)]
        result.append(_english_block(document.text, block, index, by_block.get(index, []), codes))
    return result


def _english_block(
    text: str, block: Block, index: int, units: list[Unit], codes: list[tuple[int, InlineCode]]
) -> EnglishBlock:
    parts: list[str] = []
    # (source start, source end, English start) of the text kept between segments
    gaps: list[tuple[int, int, int]] = []
    spans: dict[int, tuple[int, int]] = {}
    length = 0
    position = block.start
    for unit in units:
        segment = unit.segment
        gap = text[position : segment.start]
        gaps.append((position, segment.start, length))
        parts.append(gap)
        length += len(gap)
        translated = bool(unit.target.strip())
        english = _spaced(
            unit.target if translated else unit.source, unit, "".join(parts[-2:])
        )
        tags = unit.target_tags if translated else unit.source_tags
        for tag in tags:
            start, end = length + tag.start, length + tag.end
            known = spans.get(tag.code)
            spans[tag.code] = (min(known[0], start), max(known[1], end)) if known else (start, end)
        parts.append(english)
        length += len(english)
        position = segment.end
    gaps.append((position, block.end, length))
    parts.append(text[position : block.end])
    placed = []
    for code_index, code in codes:
        where = spans.get(code_index)
        if where is None:
            where = (_in_gap(gaps, code.start), _in_gap(gaps, code.end))
        placed.append(PlacedCode(code, code_index, *where))
    placed.sort(key=lambda found: (found.start, -found.end, found.index))
    return EnglishBlock(block, index, "".join(parts), tuple(placed))


def _in_gap(gaps: list[tuple[int, int, int]], offset: int) -> int:
    """Where a source offset between segments falls in the English text."""
    for start, end, english in gaps:
        if start <= offset <= end:
            return english + offset - start
    # inside a segment: a code the unit did not carry; keep it at the segment's English end
    before = [gap for gap in gaps if gap[0] <= offset]
    return before[-1][2] if before else 0



#: One step of a block's English for a writer: ``("text", str)``, ``("open", code)``,
#: ``("close", code)``, ``("point", code)`` (a code at a point) or ``("protected", code)`` (a
#: code whose text the writer keeps from the source).
Event = tuple[str, "str | PlacedCode"]


def events(block: EnglishBlock) -> list[Event]:
    """The block's English as a flat run of text and properly nested codes.

    >>> from bilingual.document import Block, CodeKind, InlineCode
    >>> bold, code = InlineCode(0, 4, CodeKind.BOLD), InlineCode(5, 9, CodeKind.CODE, protected=True)
    >>> block = EnglishBlock(Block(0, 9), 0, "The cat x", (PlacedCode(bold, 0, 0, 3), PlacedCode(code, 1, 8, 9)))
    >>> [(kind, item if isinstance(item, str) else item.index) for kind, item in events(block)]
    [('open', 0), ('text', 'The'), ('close', 0), ('text', ' cat '), ('protected', 1)]
    """
    text = block.text
    found: list[Event] = []
    stack: list[PlacedCode] = []
    position = 0

    def text_to(offset: int) -> None:
        nonlocal position
        if offset > position:
            found.append(("text", text[position:offset]))
            position = offset

    for placed in block.codes:
        while stack and stack[-1].end <= placed.start:
            text_to(stack[-1].end)
            found.append(("close", stack.pop()))
        text_to(placed.start)
        if placed.code.protected:
            found.append(("protected", placed))
            position = max(position, placed.end)
        elif placed.end <= placed.start or not placed.code.paired:
            found.append(("point", placed))
        else:
            if stack and placed.end > stack[-1].end:  # would cross: kept inside its parent
                placed = PlacedCode(placed.code, placed.index, placed.start, stack[-1].end)
            found.append(("open", placed))
            stack.append(placed)
    while stack:
        text_to(stack[-1].end)
        found.append(("close", stack.pop()))
    text_to(len(text))
    return found
