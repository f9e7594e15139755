"""Glossary entries, the glossary itself, and the matches it finds in a text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import GlossaryInfo

if TYPE_CHECKING:
    from .match import SourceMatcher


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


@dataclass(slots=True)
class Glossary:
    """Entries read from one file or folder, with a source matcher compiled on first use."""

    entries: list[Entry]
    path: Path | None = None
    sha256: str = ""
    _matcher: SourceMatcher | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], path: Path | None = None) -> Glossary:
        """Build a glossary in memory; its digest covers every entry's identity."""
        listed = list(entries)
        digest = hashlib.sha256("\n".join(e.identity() for e in listed).encode("utf-8"))
        return cls(listed, path, digest.hexdigest())

    def __len__(self) -> int:
        return len(self.entries)

    def info(self) -> GlossaryInfo:
        return GlossaryInfo(str(self.path or ""), self.sha256, len(self.entries))

    @property
    def matcher(self) -> SourceMatcher:
        if self._matcher is None:
            from .match import SourceMatcher

            self._matcher = SourceMatcher(self.entries)
        return self._matcher

    def match_source(self, text: str) -> list[TermMatch]:
        """Term occurrences in French ``text``: non-overlapping, longest first, by start.

        >>> g = Glossary.from_entries([Entry("modèle à poids ouvert", "open-weight model"),
        ...                            Entry("poids ouvert", "open-weight")])
        >>> [(m.text, m.entry.target) for m in g.match_source("Des modèles à poids ouverts.")]
        [('modèles à poids ouverts', 'open-weight model')]
        """
        return self.matcher.find(text)

    def forbidden_for(self, entry: Entry) -> list[Entry]:
        """The forbidden renderings recorded for ``entry``'s source term (itself included)."""
        return self.matcher.forbidden_for(entry)

    def entry_key(self, matches: Sequence[TermMatch]) -> str:
        """A short stable hash of the entries that matched, and their forbidden renderings.

        A translation memory keys on it, so editing an unrelated entry invalidates nothing.

        >>> g = Glossary.from_entries([Entry("puce", "chip")])
        >>> g.entry_key([]) == g.entry_key([]), len(g.entry_key(g.match_source("une puce")))
        (True, 16)
        """
        identities: set[str] = set()
        for match in matches:
            identities.add(match.entry.identity())
            identities.update(e.identity() for e in self.forbidden_for(match.entry))
        data = "\n".join(sorted(identities)).encode("utf-8")
        return hashlib.sha256(data).hexdigest()[:16]
