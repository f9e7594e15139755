"""A loaded glossary: its entries, where they came from, and a matcher compiled on first use."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..document import GlossaryInfo
from .entry import Entry, TermMatch
from .match import SourceMatcher


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
