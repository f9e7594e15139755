"""The small typed data model that flows through the pipeline stages.

A :class:`Document` holds the source text and one :class:`Unit` per segment; every stage fills
in part of it (segment → memory → translate → glossary check) and every exporter renders from it,
so the HTML page, the TMX and the JSON always show the same aligned pairs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """One source segment: ``text == source[start:end]`` of its document.

    ``paragraph`` numbers the blocks separated by blank lines, from 0.
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


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A fuzzy match from the translation memory, offered for a new segment."""

    source: str
    target: str
    similarity: float
    origin: Origin
    diff: tuple[tuple[int, str], ...] = ()  # diff-match-patch ops: -1 delete, 0 equal, 1 insert

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "similarity": self.similarity,
            "origin": self.origin.value,
            "diff": [[operation, text] for operation, text in self.diff],
        }


@dataclass(slots=True)
class Unit:
    """A source segment aligned with its translation."""

    segment: Segment
    target: str = ""
    origin: Origin = Origin.MACHINE
    engine: EngineInfo | None = None
    findings: list[Finding] = field(default_factory=list)
    suggestion: Suggestion | None = None
    #: When a human translation from the memory was made: an exchange file carries it, so that
    #: importing an edit of this version later is told apart from a conflicting one.
    changed: datetime | None = None
    #: A translator confirmed this (human) translation: the memory records the review, XLIFF
    #: says ``state="reviewed"``.
    reviewed: bool = False

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
    """One source text and everything the build learned about it."""

    name: str
    text: str
    source_path: Path | None = None
    units: list[Unit] = field(default_factory=list)
    engine: EngineInfo | None = None
    glossary: GlossaryInfo | None = None
    created: datetime = field(default_factory=utc_now)

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
