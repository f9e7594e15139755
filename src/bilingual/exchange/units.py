"""What every translation-memory exchange format reads and writes: one :class:`TranslationUnit`
per segment, whatever file it came from or goes to.

The language pair, unit ids and the vocabulary of origins live here, once, for TMX, XLIFF and TSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..document import Origin, text_digest
from ..version import __version__

#: Language codes written in every exchange file. OmegaT 3.6 matches them to a project's
#: languages with or without a region (fr/en, FR-FR/EN-US and FR-CA/EN-GB projects all fill the
#: same segments), so bare codes claim no region the text was not written for.
SOURCE_LANG = "fr"
TARGET_LANG = "en"
LANGUAGE_NAMES = {SOURCE_LANG: "French", TARGET_LANG: "English"}


def unit_id(document: str, source: str) -> str:
    """The id of a source segment in a document: the same in every build of the same document.

    >>> unit_id("chapitre-1", "Bonjour.")
    '0e56866f14304de4'
    """
    return text_digest(f"{document}\n{source}")


@dataclass(frozen=True, slots=True)
class Note:
    """A remark on a unit: a QA finding, a translator's comment, where it came from."""

    text: str
    category: str | None = None  # e.g. a finding kind, "term-missing"
    priority: int | None = None  # 1 (highest) .. 10, as XLIFF counts
    applies_to: str | None = None  # "source", "target" or None for both


@dataclass(frozen=True, slots=True)
class TranslationUnit:
    """One source segment and its translation, as an exchange file records it.

    ``origin`` is what the file says about the translation: :attr:`Origin.HUMAN`,
    :attr:`Origin.MACHINE` (or :attr:`Origin.MEMORY`, a reused machine translation), or ``None``
    when the file does not say. ``translated`` is False for units the file itself marks as not
    translated yet (an XLIFF ``new`` or ``initial`` state without a target). ``changed`` is when
    the translation was last edited, when the file records it. ``line`` is where a reader found
    the unit, for messages. ``reviewed`` says a translator confirmed the translation.
    """

    source: str
    target: str
    origin: Origin | None = None
    translated: bool = True
    engine: str | None = None
    document: str | None = None
    created: datetime | None = None
    changed: datetime | None = None
    notes: tuple[Note, ...] = ()
    props: tuple[tuple[str, str], ...] = ()  # extra (name, value) metadata; names start "x-"
    tuid: str | None = None
    line: int | None = None
    reviewed: bool = False  # a translator confirmed the (human) translation

    @property
    def is_machine(self) -> bool:
        return self.origin in (Origin.MACHINE, Origin.MEMORY)

    def prop(self, name: str) -> str | None:
        return next((value for key, value in self.props if key == name), None)


@dataclass(frozen=True, slots=True)
class FileHeader:
    """What a written file says about itself as a whole."""

    created: datetime
    document: str | None = None  # the one document the file holds, if it holds one
    original: str | None = None  # the source file name, for XLIFF's ``original``
    tool_version: str = __version__
    props: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """One way a file breaks its format; ``line`` is 1-based, None when not tied to a line."""

    line: int | None
    message: str


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC; naive datetimes are taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def compact_date(moment: datetime) -> str:
    """TMX's date format (``YYYYMMDDThhmmssZ``), in UTC.

    >>> compact_date(datetime(2025, 1, 31, 23, 5, 9, tzinfo=UTC))
    '20250131T230509Z'
    """
    return utc(moment).strftime("%Y%m%dT%H%M%SZ")


def parse_date(text: str | None) -> datetime | None:
    """A TMX compact date or an ISO 8601 date; None when absent or unreadable.

    >>> parse_date("20250131T230509Z"), parse_date("2025-01-31T23:05:09Z") == parse_date("20250131T230509Z")
    (datetime.datetime(2025, 1, 31, 23, 5, 9, tzinfo=datetime.timezone.utc), True)
    >>> parse_date("yesterday") is None
    True
    """
    if not text:
        return None
    text = text.strip()
    for pattern in ("%Y%m%dT%H%M%SZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            pass
    try:
        return utc(datetime.fromisoformat(text))
    except ValueError:
        return None
