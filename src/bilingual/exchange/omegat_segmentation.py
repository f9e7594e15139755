"""OmegaT 3.6's segmentation of plain texts, and the project rules that make it ours.

OmegaT cuts a ``.txt`` source in two steps: its text filter makes every non-blank line a
paragraph (with the filter option ``segmentOn=BREAKS``), then its segmenter splits each
paragraph with the project's SRX rules (``omegat/segmentation.conf``). A TMX entry fills a
segment only when its source is exactly the segment's text, so for our TMX to fill every
segment OmegaT must split exactly as :func:`~bilingual.segment.segment_text` does.

:func:`project_segmentation` starts from the French rules of :mod:`bilingual.segment.srx_rules`,
runs them here as OmegaT would, and adds one exact exception (the literal text before and after
the position) wherever they disagree with ``segment_text`` on the project's own texts. The
simulation ports OmegaT 3.6.0's ``TextFilter.processSegLineBreaks``,
``ParseEntry.stripSomeChars`` and ``Segmenter.breakParagraph``/``getBreaks``, including how
it finds matches (a rule's matches never overlap, its after-break matches are scanned once,
left to right); the tests hold it against OmegaT itself.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex
from lxml import etree

from ..segment import segment_text
from ..segment.srx_rules import NON_SPACE, SPACE, SrxRule, french_rules, java_class, java_literal
from ..textio import atomic_output
from .xml import load_xml_safely, xml_text

__all__ = [
    "ExactRule",
    "OmegatSegmenter",
    "Paragraph",
    "ProjectSegmentation",
    "omegat_paragraphs",
    "project_segmentation",
    "read_segmentation_conf",
    "write_segmentation_conf",
]

#: The version of OmegaT's segmentation settings; an older one makes OmegaT merge its own
#: default rules into the file's.
SEGMENTATION_CONF_VERSION = "0.2.2"
#: The language pattern of our rules: OmegaT matches it, ignoring case, to the source language.
LANGUAGE_PATTERN = "FR.*"
LANGUAGE_NAME = "French (bilingual)"

# Context lengths tried for an exception, shortest first; None: the whole paragraph.
_CONTEXTS: tuple[tuple[int | None, int | None], ...] = (
    (12, 8),
    (24, 16),
    (48, 32),
    (96, 64),
    (None, None),
)


@dataclass(frozen=True, slots=True)
class ExactRule:
    """A rule for one literal context: ``before`` ends and ``after`` starts at the break.

    ``at_start`` and ``at_end`` anchor the context to the paragraph's start and end.
    """

    breaks: bool
    before: str
    after: str
    at_start: bool = False
    at_end: bool = False

    def srx(self) -> SrxRule:
        """The rule as OmegaT reads it: look-arounds, so it matches wherever its text is.

        >>> ExactRule(False, "av. J.-C.", " Il", at_end=True).srx()
        SrxRule(breaks=False, before='(?<=av\\\\.\\\\u0020J\\\\.\\\\-C\\\\.)', after='(?=\\\\u0020Il(?!.))')
        """
        before = ("^" if self.at_start else "") + java_literal(self.before)
        after = java_literal(self.after) + ("(?!.)" if self.at_end else "")
        return SrxRule(self.breaks, f"(?<={before})", f"(?={after})")

    def positions(self, paragraph: str) -> Iterator[int]:
        """Where this rule matches ``paragraph`` (what OmegaT's look-arounds find)."""
        context = self.before + self.after
        index = paragraph.find(context)
        while index >= 0:
            if (not self.at_start or index == 0) and (
                not self.at_end or index + len(context) == len(paragraph)
            ):
                yield index + len(self.before)
            index = paragraph.find(context, index + 1)


def _java_whitespace(char: str) -> bool:
    """Java's Character.isWhitespace: separators except no-break spaces, and some controls."""
    if char in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f":
        return True
    return unicodedata.category(char) in ("Zs", "Zl", "Zp") and char not in "\u00a0\u2007\u202f"


def _java_trim(text: str) -> str:
    """Java's String.trim: strips every character up to U+0020."""
    start, end = 0, len(text)
    while start < end and text[start] <= " ":
        start += 1
    while end > start and text[end - 1] <= " ":
        end -= 1
    return text[start:end]


def _strip(text: str, also: str = "") -> str:
    start, end = 0, len(text)
    while start < end and (_java_whitespace(text[start]) or text[start] in also):
        start += 1
    while end > start and (_java_whitespace(text[end - 1]) or text[end - 1] in also):
        end -= 1
    return text[start:end]


def _xml_spaces(text: str) -> str:
    """OmegaT's StringUtil.removeXMLInvalidChars: what XML cannot carry becomes a space."""
    return "".join(char if xml_text(char) else " " for char in text)


def _java_find_all(pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
    """Java's Matcher.find() in a loop: after an empty match, the next search starts one on."""
    position = 0
    while position <= len(text):
        match = pattern.search(text, position)
        if match is None:
            return
        yield match
        position = match.end() + (match.end() == match.start())


@functools.cache
def _compile(pattern: str) -> regex.Pattern[str]:
    # OmegaT compiles every rule with Pattern.DOTALL.
    return regex.compile(pattern, regex.DOTALL)


def _srx_positions(rule: SrxRule, paragraph: str) -> list[int]:
    """Segmenter.getBreaks: before-break match ends that an after-break match starts at."""
    afters = _java_find_all(_compile(rule.after), paragraph)
    after = next(afters, None)
    if after is None:
        return []
    found: list[int] = []
    for before in _java_find_all(_compile(rule.before), paragraph):
        end = before.end()
        while after.start() < end:
            after = next(afters, None)
            if after is None:
                return found
        if after.start() == end:
            found.append(end)
    return found


class OmegatSegmenter:
    """OmegaT 3.6's segmenter with a list of rules (the first rule matching a position wins)."""

    def __init__(self, rules: Sequence[SrxRule | ExactRule]) -> None:
        self.rules = tuple(rules)

    def breaks(self, paragraph: str) -> list[int]:
        """Where OmegaT breaks ``paragraph``, in order."""
        decided: dict[int, bool] = {}
        for rule in self.rules:
            positions = (
                rule.positions(paragraph)
                if isinstance(rule, ExactRule)
                else _srx_positions(rule, paragraph)
            )
            for position in positions:
                decided.setdefault(position, rule.breaks)
        return sorted(position for position, breaks in decided.items() if breaks)

    def segments(self, paragraph: str) -> list[str]:
        """OmegaT's segments of ``paragraph``."""
        return cut(paragraph, self.breaks(paragraph))


def cut(paragraph: str, breaks: Iterable[int]) -> list[str]:
    """The segments OmegaT makes of ``paragraph`` broken at ``breaks``: trimmed of
    Character.isWhitespace (not of no-break spaces), blank ones dropped.
    """
    pieces: list[str] = []
    previous = 0
    for position in sorted(breaks):
        pieces.append(paragraph[previous:position])
        previous = position
    last = paragraph[previous:]
    if pieces and not _java_trim(last):
        pieces[-1] += last
    else:
        pieces.append(last)
    trimmed = (_strip(piece) for piece in pieces)
    return [piece for piece in trimmed if _java_trim(piece)]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph as OmegaT's text filter passes it to the segmenter, and our segments.

    ``expected`` holds our segments as OmegaT reads them back from our TMX; ``breaks`` where
    they end inside ``text`` (None when they cannot all be found in it).
    """

    text: str
    expected: tuple[str, ...]
    breaks: frozenset[int] | None


def omegat_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs OmegaT 3.6's text filter makes of ``text`` (one per non-blank line).

    ``text`` is a source as :func:`~bilingual.textio.read_source` returns it (LF line ends).

    >>> [p.text for p in omegat_paragraphs("  Un. Deux.\\n\\n\\u00a0Trois\\n")]
    ['Un. Deux.', 'Trois']
    >>> omegat_paragraphs("Un. Deux.")[0].breaks
    frozenset({3})
    """
    segments = segment_text(text)
    paragraphs: list[Paragraph] = []
    index = 0
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        ours = []
        while index < len(segments) and segments[index].start < line_end:
            ours.append(segments[index].text)
            index += 1
        line_start = line_end + 1
        if not _java_trim(line):
            continue
        # ParseEntry.stripSomeChars (spaces and no-break spaces at both ends, then XML-invalid
        # characters), then StringUtil.normalizeUnicode; OmegaT normalises TMX text alike.
        paragraph = unicodedata.normalize("NFC", _xml_spaces(_strip(line, also="\u00a0")))
        expected = tuple(unicodedata.normalize("NFC", xml_text(segment)) for segment in ours)
        paragraphs.append(Paragraph(paragraph, expected, _locate(paragraph, expected)))
    return paragraphs


def _locate(paragraph: str, segments: Sequence[str]) -> frozenset[int] | None:
    ends = []
    position = 0
    for segment in segments:
        found = paragraph.find(segment, position) if segment else -1
        if found < 0:
            return None
        position = found + len(segment)
        ends.append(position)
    return frozenset(ends[:-1])


def line_break_rule() -> SrxRule:
    """Break where our segmenter sees a line break that OmegaT's text filter leaves inside a
    paragraph (U+0085, U+2028, U+2029): after the last visible character before it.
    """
    breaks = [
        char
        for char in map(chr, range(0x10000))
        if f"a{char}b".splitlines() == ["a", "b"] and char not in "\r\n" and xml_text(char)
    ]
    return SrxRule(True, f"{NON_SPACE}(?={SPACE}*?{java_class(breaks)})", SPACE)


@dataclass(frozen=True)
class ProjectSegmentation:
    """Rules for a project and how OmegaT will segment its texts with them."""

    rules: tuple[SrxRule, ...]  # exceptions first, then the French rules
    exceptions: int
    segments: int  # OmegaT's segments in the texts
    unmatched: tuple[str, ...]  # OmegaT segments that no segment of ours equals


def project_segmentation(texts: Sequence[str]) -> ProjectSegmentation:
    """Rules with which OmegaT 3.6 splits ``texts`` as :func:`segment_text` does.

    Segments that no rule can make equal (a no-break space between two sentences, which
    OmegaT does not trim) are listed in ``unmatched``.
    """
    paragraphs = [paragraph for text in texts for paragraph in omegat_paragraphs(text)]
    general = (line_break_rule(), *french_rules())
    segmenter = OmegatSegmenter(general)
    breaks = [set(segmenter.breaks(paragraph.text)) for paragraph in paragraphs]
    corpus = _Corpus(paragraphs)
    exceptions: list[ExactRule] = []
    settled: set[tuple[int, int]] = set()
    for number, paragraph in enumerate(paragraphs):
        if paragraph.breaks is None:
            continue
        for position in sorted(breaks[number] ^ paragraph.breaks):
            if (number, position) in settled:
                continue
            rule, places = corpus.exception(number, position, position in paragraph.breaks)
            exceptions.append(rule)
            # The exceptions come first, so they decide wherever they match.
            for place_number, place in places:
                if (place_number, place) not in settled:
                    breaks[place_number].discard(place)
                    if rule.breaks:
                        breaks[place_number].add(place)
                    settled.add((place_number, place))
    ours = {segment for paragraph in paragraphs for segment in paragraph.expected}
    theirs = [
        segment
        for paragraph, found in zip(paragraphs, breaks, strict=True)
        for segment in cut(paragraph.text, found)
    ]
    return ProjectSegmentation(
        rules=(*(rule.srx() for rule in exceptions), *general),
        exceptions=len(exceptions),
        segments=len(theirs),
        unmatched=tuple(segment for segment in theirs if segment not in ours),
    )


class _Corpus:
    """All paragraphs joined by line breaks, to find where a literal context occurs."""

    def __init__(self, paragraphs: Sequence[Paragraph]) -> None:
        self.paragraphs = paragraphs
        self.joined = "\n".join(paragraph.text for paragraph in paragraphs)
        self.starts = []
        offset = 0
        for paragraph in paragraphs:
            self.starts.append(offset)
            offset += len(paragraph.text) + 1

    def exception(
        self, number: int, position: int, breaks: bool
    ) -> tuple[ExactRule, list[tuple[int, int]]]:
        """The shortest exact rule deciding ``breaks`` at ``position`` of paragraph ``number``
        that decides as our segmenter does wherever else its context occurs; and those places.
        """
        text = self.paragraphs[number].text
        for before_length, after_length in _CONTEXTS:
            start = 0 if before_length is None else max(0, position - before_length)
            end = len(text) if after_length is None else min(len(text), position + after_length)
            rule = ExactRule(
                breaks, text[start:position], text[position:end], start == 0, end == len(text)
            )
            places = list(self._places(rule))
            if all(self._agrees(place, breaks) for place in places):
                return rule, places
        raise AssertionError("a whole paragraph is its own context")  # pragma: no cover

    def _places(self, rule: ExactRule) -> Iterator[tuple[int, int]]:
        context = rule.before + rule.after
        index = self.joined.find(context)
        while index >= 0:
            number = bisect.bisect_right(self.starts, index) - 1
            local = index - self.starts[number]
            paragraph = self.paragraphs[number].text
            if (not rule.at_start or local == 0) and (
                not rule.at_end or local + len(context) == len(paragraph)
            ):
                yield number, local + len(rule.before)
            index = self.joined.find(context, index + 1)

    def _agrees(self, place: tuple[int, int], breaks: bool) -> bool:
        number, position = place
        expected = self.paragraphs[number].breaks
        return expected is None or (position in expected) == breaks


def write_segmentation_conf(rules: Sequence[SrxRule], path: Path) -> None:
    """Write ``rules`` as OmegaT 3.6's project segmentation (``omegat/segmentation.conf``).

    OmegaT 3.6 reads it with java.beans.XMLDecoder: an ``SRX`` object whose one mapping rule
    applies ``rules`` to French sources. The version is current, so OmegaT adds none of its
    default rules.
    """

    def java_property(parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, "void", property=name)

    def java_string(parent: etree._Element, value: str) -> None:
        etree.SubElement(parent, "string").text = value

    root = etree.Element("java", version="1.8.0", **{"class": "java.beans.XMLDecoder"})
    srx = etree.SubElement(
        root, "object", id="SRX0", **{"class": "org.omegat.core.segmentation.SRX"}
    )
    add_mapping = etree.SubElement(java_property(srx, "mappingRules"), "void", method="add")
    mapping = etree.SubElement(
        add_mapping, "object", **{"class": "org.omegat.core.segmentation.MapRule"}
    )
    java_string(java_property(mapping, "language"), LANGUAGE_NAME)
    java_string(java_property(mapping, "pattern"), LANGUAGE_PATTERN)
    rule_list = etree.SubElement(
        java_property(mapping, "rules"), "object", **{"class": "java.util.ArrayList"}
    )
    for rule in rules:
        item = etree.SubElement(
            etree.SubElement(rule_list, "void", method="add"),
            "object",
            **{"class": "org.omegat.core.segmentation.Rule"},
        )
        java_string(java_property(item, "afterbreak"), rule.after)
        java_string(java_property(item, "beforebreak"), rule.before)
        if rule.breaks:
            etree.SubElement(java_property(item, "breakRule"), "boolean").text = "true"
    java_string(java_property(srx, "version"), SEGMENTATION_CONF_VERSION)
    with atomic_output(path) as stream:
        stream.write(
            etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        )


def read_segmentation_conf(path: Path) -> tuple[tuple[str, tuple[SrxRule, ...]], ...]:
    """The rules of an ``omegat/segmentation.conf``: (language pattern, rules) per mapping.

    OmegaT writes the file again whenever it saves a project's properties, with Java's own
    layout; reading the rules back tells whether anyone changed them.
    """
    rule_class = "org.omegat.core.segmentation.Rule"
    mappings = []
    for mapping in load_xml_safely(path).iter("object"):
        if mapping.get("class") != "org.omegat.core.segmentation.MapRule":
            continue
        pattern = mapping.findtext("void[@property='pattern']/string", default="")
        rules = tuple(
            SrxRule(
                rule.findtext("void[@property='breakRule']/boolean", default="false") == "true",
                rule.findtext("void[@property='beforebreak']/string", default=""),
                rule.findtext("void[@property='afterbreak']/string", default=""),
            )
            for rule in mapping.iter("object")
            if rule.get("class") == rule_class
        )
        mappings.append((pattern, rules))
    return tuple(mappings)
