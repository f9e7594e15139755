"""Glossary entries and the matches of their terms in a text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class EntryKind(str, Enum):
    """What an entry asks of a translation (Weblate's model: preferred, forbidden, untranslatable)."""

    PREFERRED = "preferred"  # the source term must be rendered by ``target``
    DO_NOT_TRANSLATE = "do-not-translate"  # a name: ``target`` is the source itself
    FORBIDDEN = "forbidden"  # ``target`` must never render the source term


class CaseMode(str, Enum):
    """How letter case counts when matching the source term.

    ``auto`` (the default) keeps ordinary words case-robust and proper names and acronyms safe:
    a capitalised word of the entry must be capitalised in the text, a word in capitals (an
    acronym, at least two letters) must be in capitals, a lower-case word matches any case.
    """

    AUTO = "auto"
    SENSITIVE = "sensitive"
    INSENSITIVE = "insensitive"


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary line.

    ``variants`` are other source spellings of the same term; ``target_variants`` other
    accepted English renderings. ``pos`` ("noun", "adjective", "name", ...) decides whether the
    English target takes a plural. ``extra`` keeps attributes this version does not know, and
    ``columns`` any columns after the fourth, so an edit never loses them.
    """

    source: str
    target: str
    comment: str = ""
    kind: EntryKind = EntryKind.PREFERRED
    case: CaseMode = CaseMode.AUTO
    variants: tuple[str, ...] = ()
    target_variants: tuple[str, ...] = ()
    pos: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()
    path: str = ""
    line: int = 0

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.variants)

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.target_variants)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def identity(self) -> str:
        """What a translation depends on: changes to the comment or the line do not count."""
        return "\x1f".join(
            (
                self.source,
                self.target,
                self.kind.value,
                self.case.value,
                "|".join(self.variants),
                "|".join(self.target_variants),
                self.pos,
            )
        )


@dataclass(frozen=True, slots=True)
class TermMatch:
    """An occurrence of an entry's source term: ``text == source[start:end]``."""

    entry: Entry
    start: int
    end: int
    text: str
