"""What an alignment is: links between French and English sentences, each with a confidence."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Link:
    """French sentences ``french`` are translated by English sentences ``english``.

    Indices are positions in the segment lists given to the aligner. One side is empty for an
    omission: a sentence with no counterpart. ``confidence`` (0..1) says how sure the aligner
    is of this link (of the omission, for an omission); ``similarity`` is the lexical evidence
    it saw (0..1).

    >>> link = Link((3, 4), (2,), 0.9, 0.4)
    >>> link.kind, link.is_omission
    ('2-1', False)
    """

    french: tuple[int, ...]
    english: tuple[int, ...]
    confidence: float
    similarity: float = 0.0

    @property
    def kind(self) -> str:
        return f"{len(self.french)}-{len(self.english)}"

    @property
    def is_omission(self) -> bool:
        return not self.french or not self.english


@dataclass(slots=True)
class Alignment:
    """Links covering every sentence of both sides once, in order, never crossing.

    ``low_confidence_below`` is the confidence under which a link is flagged; ``warnings``
    are sentences for the user (e.g. texts that do not look like translations of each other).
    """

    links: list[Link]
    low_confidence_below: float = 0.5
    warnings: list[str] = field(default_factory=list)

    def omissions(self) -> list[Link]:
        """Sentences of one side with no counterpart on the other."""
        return [link for link in self.links if link.is_omission]

    def low_confidence(self) -> list[Link]:
        """Links (omissions excepted) whose confidence is under the threshold."""
        return [
            link
            for link in self.links
            if not link.is_omission and link.confidence < self.low_confidence_below
        ]

    @property
    def low_confidence_share(self) -> float:
        """The share of matching links (omissions excepted) flagged as low-confidence."""
        matched = [link for link in self.links if not link.is_omission]
        return len(self.low_confidence()) / len(matched) if matched else 1.0

    def kinds(self) -> dict[str, int]:
        """How many links of each kind ("1-1", "2-1", "1-0"...)."""
        counts: dict[str, int] = {}
        for link in self.links:
            counts[link.kind] = counts.get(link.kind, 0) + 1
        return counts
