"""The small typed data model that flows through the pipeline stages.

A :class:`Document` holds the source's normalised plain text and one :class:`Unit` per segment;
every stage fills in part of it (segment → memory → translate → glossary check) and every exporter
renders from it, so the HTML page, the TMX and the JSON always show the same aligned pairs.

Segmentation, glossary matching, QA, the reading page and the memory work on that plain text,
never on markup. What the source format adds is kept beside it, as offsets into the plain text:

* :class:`Block` — a heading, paragraph, list item, quote, table cell, caption...: the text of a
  block is ``text[block.start:block.end]`` and no segment crosses a block (``Segment.paragraph``
  is the index of its block). Code and preformatted text are not blocks and not in the text at
  all: the format's writer keeps them from the source.
* :class:`InlineCode` — bold, italic, a link, inline code (whose content is protected: never
  translated), or a point such as a line break, a footnote mark or an image.

Each block and code carries a ``handle``: where the format's writer finds it again in the source
(a line range, an element path...). It is opaque to everything but that writer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, overload

#: Where a format's writer finds a block or an inline code again in the source: small,
#: picklable values only (numbers and strings), never live objects.
Handle = tuple[int | str, ...]


class BlockKind(str, Enum):
    """What a block of a document is; the reading page renders each kind as such."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"  # level 1..6
    LIST_ITEM = "list-item"  # level: nesting depth, from 1
    QUOTE = "quote"  # level: nesting depth, from 1
    TABLE_CELL = "table-cell"  # level: 1 for a header cell, 0 for a data cell
    CAPTION = "caption"  # of a table or a figure
    TITLE = "title"  # the document's own title (HTML <title>, EPUB metadata)
    ATTRIBUTE = "attribute"  # text the reader does not see inline: an image's alt, a title
    CUE = "cue"  # a subtitle block (several cues may share one sentence)


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document: ``document.text[start:end]``, which holds no blank line."""

    start: int
    end: int
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    handle: Handle = ()


class CodeKind(str, Enum):
    """What an inline code stands for."""

    BOLD = "bold"
    ITALIC = "italic"
    UNDERLINE = "underline"
    STRIKE = "strike"
    SUPERSCRIPT = "superscript"
    SUBSCRIPT = "subscript"
    LINK = "link"
    CODE = "code"  # inline code: protected
    SPAN = "span"  # any other formatting the writer rebuilds (a styled run, a <span>)
    BREAK = "break"  # a line break inside a block
    FOOTNOTE = "footnote"  # a footnote or endnote mark
    IMAGE = "image"
    MARKUP = "markup"  # anything else that is no prose (inline HTML in Markdown...): protected


@dataclass(frozen=True, slots=True)
class InlineCode:
    """Inline markup over ``document.text[start:end]`` (``start == end`` for a point).

    A ``protected`` code's text is never translated: the engine sees one placeholder for it
    and the writer keeps it from the source. Codes of one document nest, never cross.
    """

    start: int
    end: int
    kind: CodeKind
    handle: Handle = ()
    protected: bool = False

    @property
    def paired(self) -> bool:
        """Whether the code wraps translated text (bold...) rather than standing at a point."""
        return not self.protected and self.end > self.start


@dataclass(frozen=True, slots=True)
class Tag:
    """An inline code where it falls in one unit's source or target text.

    ``code`` is its index in ``Document.codes``; ``start``/``end`` are offsets in the unit's
    text (a code over several units is cut at each unit's edges). ``paired`` and ``protected``
    repeat the code's own, so that a unit can be rendered without its document.
    """

    code: int
    start: int
    end: int
    paired: bool = True
    protected: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    """One source segment: ``text == source[start:end]`` of its document.

    ``paragraph`` is the index of the block the segment belongs to (for a plain text, the blocks
    are separated by blank lines), from 0.
    """

    start: int
    end: int
    text: str
    paragraph: int = 0


class Origin(str, Enum):
    """Where a unit's translation came from."""

    MACHINE = "machine"  # translated by an engine in this build
    MEMORY = "memory"  # a machine translation reused from the translation memory
    HUMAN = "human"  # a human (post-edited) translation from the translation memory


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Finding:
    """One quality-assurance observation about a unit.

    ``kind`` is a stable machine-readable code (``term-ok``, ``term-missing``,
    ``term-forbidden``, ``empty-translation``, ``number-missing``, ...). Spans are
    ``(start, end)`` character offsets inside the unit's source or target text.
    """

    kind: str
    severity: Severity
    message: str
    term: str | None = None
    expected: str | None = None
    status: str | None = None
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "kind": self.kind,
            "severity": self.severity.value,
            "message": self.message,
        }
        for name in ("term", "expected", "status"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.source_span is not None:
            data["source_span"] = list(self.source_span)
        if self.target_span is not None:
            data["target_span"] = list(self.target_span)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """The inverse of :meth:`to_json`.

        >>> found = Finding("term-ok", Severity.INFO, "ok", term="puce", source_span=(3, 7))
        >>> Finding.from_json(found.to_json()) == found
        True
        """
        source_span, target_span = data.get("source_span"), data.get("target_span")
        return cls(
            kind=data["kind"],
            severity=Severity(data["severity"]),
            message=data["message"],
            term=data.get("term"),
            expected=data.get("expected"),
            status=data.get("status"),
            source_span=(source_span[0], source_span[1]) if source_span else None,
            target_span=(target_span[0], target_span[1]) if target_span else None,
        )


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What produced a machine translation: recorded in every output."""

    name: str
    version: str
    model: str

    def signature(self) -> str:
        """
        >>> EngineInfo("apertium", "3.8.3", "fr-es+spa-eng").signature()
        'apertium:3.8.3:fr-es+spa-eng'
        """
        return f"{self.name}:{self.version}:{self.model}"


_DIFF_SIGNS = {-1: "-", 0: "=", 1: "+"}
_DIFF_OPERATIONS = {sign: operation for operation, sign in _DIFF_SIGNS.items()}


class WordDiff(Sequence[tuple[int, str]]):
    """Diff-match-patch ops (-1 delete, 0 equal, 1 insert), kept as one string.

    A book of near-duplicate clauses has a suggestion for nearly every unit: as a tuple of
    ``(op, text)`` tuples, a diff between two such clauses took ~850 bytes; as one string, ~340.

    >>> diff = WordDiff([(0, "Le "), (-1, "chat"), (1, "chien"), (0, " dort: 3:1.")])
    >>> list(diff), len(diff), diff == ((0, "Le "), (-1, "chat"), (1, "chien"), (0, " dort: 3:1."))
    ([(0, 'Le '), (-1, 'chat'), (1, 'chien'), (0, ' dort: 3:1.')], 4, True)
    """

    __slots__ = ("_encoded",)

    def __init__(self, operations: Iterable[tuple[int, str]] = ()) -> None:
        self._encoded = "".join(
            f"{_DIFF_SIGNS[operation]}{len(text)}:{text}" for operation, text in operations
        )

    def __iter__(self) -> Iterator[tuple[int, str]]:
        encoded, position = self._encoded, 0
        while position < len(encoded):
            colon = encoded.index(":", position)
            start, end = colon + 1, colon + 1 + int(encoded[position + 1 : colon])
            yield _DIFF_OPERATIONS[encoded[position]], encoded[start:end]
            position = end

    @overload
    def __getitem__(self, index: int) -> tuple[int, str]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[int, str], ...]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, str] | tuple[tuple[int, str], ...]:
        return tuple(self)[index]

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return bool(self._encoded)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WordDiff):
            return self._encoded == other._encoded
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._encoded)

    def __repr__(self) -> str:
        return f"WordDiff({list(self)!r})"

    def __getstate__(self) -> str:
        return self._encoded

    def __setstate__(self, encoded: str) -> None:
        self._encoded = encoded


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A fuzzy match from the translation memory, offered for a new segment.

    The stored source is not kept apart: it is the old side of ``diff`` (a big book of
    near-duplicate clauses holds a suggestion for nearly every segment).

    >>> diff = [(0, "Il "), (-1, "dort"), (1, "dormait"), (0, ".")]
    >>> Suggestion("He sleeps.", 0.8, Origin.HUMAN, diff).source
    'Il dort.'
    """

    target: str
    similarity: float
    origin: Origin
    #: The word diff turning the stored source into the new segment (given as ops, kept compact).
    diff: Sequence[tuple[int, str]]

    def __post_init__(self) -> None:
        if not isinstance(self.diff, WordDiff):
            object.__setattr__(self, "diff", WordDiff(self.diff))

    @property
    def source(self) -> str:
        """The stored segment the suggestion translates."""
        return "".join(text for operation, text in self.diff if operation <= 0)

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "similarity": self.similarity,
            "origin": self.origin.value,
            "diff": [[operation, text] for operation, text in self.diff],
        }


@dataclass(frozen=True, slots=True)
class AlignmentInfo:
    """How ``bilingual align`` matched a unit's French with a human English translation.

    ``kind`` counts the sentences linked ("1-1", "2-1"; "1-0" an omission: the English leaves
    the French out; "0-1" an addition: English with no French). ``flag`` says what a reader
    should check: ``"low-confidence"``, ``"omission"``, ``"addition"``, or ``"joined"`` (the
    English of these French sentences is in the unit before: the link crossed a paragraph).
    """

    kind: str
    confidence: float
    flag: str | None = None


@dataclass(slots=True)
class Unit:
    """A source segment aligned with its translation."""

    segment: Segment
    target: str = ""
    origin: Origin = Origin.MACHINE
    engine: EngineInfo | None = None
    #: A tuple once checked: a book's segments mostly have none, and share the empty one.
    findings: Sequence[Finding] = ()
    suggestion: Suggestion | None = None
    #: When a human translation from the memory was made: an exchange file carries it, so that
    #: importing an edit of this version later is told apart from a conflicting one.
    changed: datetime | None = None
    #: The inline codes in the source text, in order of their start; empty for plain text.
    source_tags: tuple[Tag, ...] = ()
    #: Where the same codes fell in the translation (set with the target).
    target_tags: tuple[Tag, ...] = ()
    #: A translator confirmed this (human) translation: the memory records the review, XLIFF
    #: says ``state="reviewed"``.
    reviewed: bool = False
    #: Set when the translation is a human one aligned with the French (``bilingual align``).
    alignment: AlignmentInfo | None = None

    @property
    def source(self) -> str:
        return self.segment.text


@dataclass(frozen=True, slots=True)
class GlossaryInfo:
    """Which glossary a build checked against."""

    path: str
    sha256: str
    entries: int


def text_digest(text: str) -> str:
    """A short stable id for a text.

    >>> text_digest("Bonjour.")
    '441278a3222df472'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(slots=True)
class Document:
    """One source text and everything the build learned about it.

    ``blocks`` and ``codes`` are the structure the source format gave it (a plain text has one
    paragraph block per run of non-blank lines and no codes); ``format`` names the filter that
    read it (see :mod:`bilingual.filters`), whose writer rebuilds the source from ``original``
    with the translation in place.
    """

    name: str
    text: str
    source_path: Path | None = None
    units: list[Unit] = field(default_factory=list)
    engine: EngineInfo | None = None
    glossary: GlossaryInfo | None = None
    created: datetime = field(default_factory=utc_now)
    format: str = "text"
    #: The document's own title (first heading, <title>, metadata), when it has one.
    title: str | None = None
    blocks: list[Block] = field(default_factory=list)
    codes: list[InlineCode] = field(default_factory=list)
    #: The source file as read, for writers that rebuild it.
    original: bytes = b""
    #: Whatever else the format says about the document (language, author...).
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def segments(self) -> list[Segment]:
        return [unit.segment for unit in self.units]

    def paragraphs(self) -> list[list[Unit]]:
        """Units grouped by source paragraph, in order."""
        groups: list[list[Unit]] = []
        last: int | None = None
        for unit in self.units:
            if unit.segment.paragraph != last:
                groups.append([])
                last = unit.segment.paragraph
            groups[-1].append(unit)
        return groups
