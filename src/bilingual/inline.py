"""A unit's inline codes in one string: the canonical coded text.

A unit with inline markup (bold, a link, inline code...) is stored in the translation memory and
travels through exchange files as its *coded text*: the plain text with compact tags where its
codes are, numbered in the unit from 1 — ``<g1>…</g1>`` around translated text (bold, italic, a
link), ``<x2/>`` for a point (a footnote mark, an image) or a protected code (inline code, whose
content stays the source's and so is not in the coded text at all). In a coded text, and only
there, a literal ``<`` is written ``&lt;`` and ``&`` ``&amp;``. A unit without codes has no coded
form: its coded text is its plain text, unchanged, so plain units are stored as they always were.

The numbers refer to the unit's own codes, so a stored translation ``The <g1>cat</g1>.`` applies
to any unit ``Le <g1>chat</g1>.`` whatever the markup is (bold here, a link there), and a
protected code is put back with the content the current source has.

>>> from bilingual.document import Tag
>>> tags = (Tag(0, 3, 7), Tag(1, 16, 21, paired=False, protected=True))
>>> coded_text("Le chat appelle print & co.", tags)
'Le <g1>chat</g1> appelle <x2/> &amp; co.'
>>> parsed = parse_coded("The <g1>cat</g1> calls <x2/> &amp; co.", tags, "Le chat appelle print & co.")
>>> parsed.text, parsed.tags, parsed.lost
('The cat calls print & co.', (Tag(code=0, start=4, end=7, paired=True, protected=False), Tag(code=1, start=14, end=19, paired=False, protected=True)), ())
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .document import Finding, Severity, Tag, Unit

#: One token of a coded text: an opening, a closing or an empty tag, or an escaped character.
CODED_TOKEN = re.compile(r"<g(\d+)>|</g(\d+)>|<x(\d+)/>|&lt;|&amp;")
#: Whether a text holds tags at all (what makes it a coded text).
HAS_TAG = re.compile(r"</?g\d+>|<x\d+/>")
_WORD_EDGE = re.compile(r"\s+")


def is_coded(text: str) -> bool:
    """Whether ``text`` is a coded text: it has tags, and no ``<`` or ``&`` outside its tags and
    escapes (a plain text that merely looks like one is not).

    >>> is_coded("Le <g1>chat</g1> &amp; co."), is_coded("a <g1> b & c"), is_coded("a < b")
    (True, False, False)
    """
    if not HAS_TAG.search(text):
        return False
    rest = CODED_TOKEN.sub("", text)
    return "<" not in rest and "&" not in rest


def escape(text: str) -> str:
    """``text`` as it stands between the tags of a coded text.

    >>> escape("a < b & c")
    'a &lt; b &amp; c'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&amp;", "&")


def opening(number: int) -> str:
    return f"<g{number}>"


def closing(number: int) -> str:
    return f"</g{number}>"


def point(number: int) -> str:
    return f"<x{number}/>"


def coded_text(text: str, tags: Sequence[Tag]) -> str:
    """``text`` with ``tags`` written in; ``text`` itself when there are none."""
    if not tags:
        return text
    # (offset, order, tie-break, tag text, where the text resumes): at one offset closings come
    # first, then points, then openings; the outer code opens first and closes last
    events: list[tuple[int, int, int, str, int]] = []
    for number, tag in enumerate(tags, start=1):
        if tag.paired:
            events.append((tag.start, 2, tag.start - tag.end, opening(number), tag.start))
            events.append((tag.end, 0, tag.end - tag.start, closing(number), tag.end))
        else:
            resume = tag.end if tag.protected else tag.start
            events.append((tag.start, 1, number, point(number), resume))
    events.sort()
    parts: list[str] = []
    position = 0
    for offset, _order, _tie, written, resume in events:
        if offset > position:
            parts.append(escape(text[position:offset]))
            position = offset
        parts.append(written)
        position = max(position, resume)
    parts.append(escape(text[position:]))
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A coded text read back: the plain text, where each code fell in it, and the codes (their
    index in the unit's tags) that were missing or misplaced and had to be put back by
    :func:`place_lost`."""

    text: str
    tags: tuple[Tag, ...]
    lost: tuple[int, ...] = ()


def parse_coded(coded: str, source_tags: Sequence[Tag], source: str) -> Parsed:
    """Read a translation's coded text against the unit's ``source_tags``.

    A tag the unit does not have, a second copy of one, or a closing tag that would cross
    another code is dropped; a code missing from ``coded`` is put back by :func:`place_lost`
    and listed in ``lost``. Without source tags, ``coded`` is a plain text.

    >>> from bilingual.document import Tag
    >>> parse_coded("A <g1>b</g1> <g7>c", (Tag(0, 0, 1),), "x").text
    'A b <g7>c'
    >>> parse_coded("Le <x1/>.", (Tag(0, 3, 7, paired=False, protected=True),), "Le code.").text
    'Le code.'
    """
    if not source_tags:
        return Parsed(coded, ())
    plain: list[str] = []
    length = 0
    found: dict[int, tuple[int, int]] = {}
    open_stack: list[tuple[int, int]] = []  # (index, start)
    misplaced: set[int] = set()
    position = 0
    for match in CODED_TOKEN.finditer(coded):
        if match.start() > position:
            piece = coded[position : match.start()]
            plain.append(piece)
            length += len(piece)
        position = match.end()
        token = match.group()
        if token in ("&lt;", "&amp;"):
            plain.append(unescape(token))
            length += 1
            continue
        opened, closed, empty = match.group(1), match.group(2), match.group(3)
        index = int(opened or closed or empty) - 1
        tag = source_tags[index] if 0 <= index < len(source_tags) else None
        if tag is None or index in found or index in misplaced:
            if tag is None:  # not one of this unit's codes: it stays text
                plain.append(token)
                length += len(token)
            continue
        if empty is not None and not tag.paired:
            start = length
            if tag.protected:
                content = source[tag.start : tag.end]
                plain.append(content)
                length += len(content)
            found[index] = (start, length)
        elif opened is not None and tag.paired and all(i != index for i, _ in open_stack):
            open_stack.append((index, length))
        elif closed is not None and open_stack and open_stack[-1][0] == index:
            found[index] = (open_stack.pop()[1], length)
        elif closed is not None and any(i == index for i, _ in open_stack):
            misplaced.add(index)  # closing across another code: put back by the fallback
            open_stack = [(i, s) for i, s in open_stack if i != index]
    tail = coded[position:]
    plain.append(tail)
    text = "".join(plain)
    tags = [
        replace(source_tags[index], start=start, end=end) for index, (start, end) in found.items()
    ]
    lost = tuple(index for index in range(len(source_tags)) if index not in found)
    if lost:
        text, tags = place_lost(text, tags, [(index, source_tags[index]) for index in lost], source)
    tags.sort(key=lambda tag: (tag.start, -tag.end))
    return Parsed(text, tuple(tags), lost)


def place_lost(
    text: str, placed: list[Tag], lost: list[tuple[int, Tag]], source: str
) -> tuple[str, list[Tag]]:
    """Put codes an engine (or an editor) lost back into a translation: the fallback.

    Each lost code goes where its proportion of the source puts it in ``text``, snapped to a
    word edge: a paired code around the words over the same share of the sentence (widened so
    that it does not cross a code already placed; around the whole translation when it was
    around the whole source), a point or a protected code (its source text inserted, with a
    space) at the nearest word edge. The caller reports each one: the result is a guess.

    >>> from bilingual.document import Tag
    >>> text, tags = place_lost("The black cat sleeps.", [], [(0, Tag(0, 0, 18))], "Le chat noir dort.")
    >>> [text[t.start:t.end] for t in tags]
    ['The black cat sleeps.']
    >>> text, tags = place_lost("See it.", [], [(0, Tag(0, 5, 10, False, True))], "Voir print.")
    >>> text
    'See print it.'
    """
    tags = list(placed)
    scale = len(text) / max(len(source), 1)
    for _index, tag in lost:
        if tag.paired:
            if tag.start == 0 and tag.end >= len(source.rstrip()):
                start, end = 0, len(text)
            else:
                start = _word_start(text, round(tag.start * scale))
                end = max(start, _word_end(text, round(tag.end * scale)))
            start, end = _around(start, end, tags)
            tags.append(replace(tag, start=start, end=end))
            continue
        at = _nearest_edge(text, round(tag.start * scale))
        if tag.protected:
            content = source[tag.start : tag.end]
            gap = " " if at < len(text) and not text[at].isspace() else ""
            lead = " " if at > 0 and not text[at - 1].isspace() else ""
            text = text[:at] + lead + content + gap + text[at:]
            shift = len(lead) + len(content) + len(gap)
            tags = [_shifted(other, at, shift) for other in tags]
            tags.append(replace(tag, start=at + len(lead), end=at + len(lead) + len(content)))
        else:
            tags.append(replace(tag, start=at, end=at))
    return text, tags


def _shifted(tag: Tag, at: int, shift: int) -> Tag:
    return replace(
        tag,
        start=tag.start + shift if tag.start >= at else tag.start,
        end=tag.end + shift if tag.end > at or (tag.end == at and tag.start >= at) else tag.end,
    )


def _word_start(text: str, offset: int) -> int:
    """The start of the word at ``offset`` (or ``len(text)``)."""
    offset = min(max(offset, 0), len(text))
    edges = [0] + [match.end() for match in _WORD_EDGE.finditer(text)]
    return edges[max(bisect_left(edges, offset + 1) - 1, 0)]


def _nearest_edge(text: str, offset: int) -> int:
    """The start of a word (or the end of the text) nearest to ``offset``."""
    edges = [0] + [match.end() for match in _WORD_EDGE.finditer(text)] + [len(text)]
    return min(edges, key=lambda edge: (abs(edge - offset), edge))


def _word_end(text: str, offset: int) -> int:
    offset = min(max(offset, 0), len(text))
    edges = [match.start() for match in _WORD_EDGE.finditer(text)] + [len(text)]
    return edges[min(bisect_left(edges, offset), len(edges) - 1)]


def _around(start: int, end: int, tags: list[Tag]) -> tuple[int, int]:
    """Widen ``start..end`` until it crosses none of ``tags``."""
    changed = True
    while changed:
        changed = False
        for tag in tags:
            crosses = (start < tag.start < end < tag.end) or (tag.start < start < tag.end < end)
            if crosses:
                start, end = min(start, tag.start), max(end, tag.end)
                changed = True
    return start, end


MARKUP_LOST = "markup-lost"


def coded_source(unit: Unit) -> str:
    """The unit's source as the memory keys it: coded text when it has codes."""
    return coded_text(unit.source, unit.source_tags)


def coded_target(unit: Unit) -> str:
    return coded_text(unit.target, unit.target_tags)


def set_target(unit: Unit, coded: str) -> list[Finding]:
    """Set the unit's translation from a coded text (an engine's, the memory's); return the
    ``markup-lost`` finding when codes had to be put back by the fallback."""
    if not unit.source_tags:
        unit.target, unit.target_tags = coded, ()
        return []
    parsed = parse_coded(coded, unit.source_tags, unit.source)
    unit.target, unit.target_tags = parsed.text, parsed.tags
    if not parsed.lost:
        return []
    names = ", ".join(f"<{'g' if unit.source_tags[i].paired else 'x'}{i + 1}>" for i in parsed.lost)
    return [
        Finding(
            MARKUP_LOST,
            Severity.WARNING,
            f"Inline markup {names} did not come back in place from the translation; it was "
            "put back by its position in the sentence: check it.",
        )
    ]
