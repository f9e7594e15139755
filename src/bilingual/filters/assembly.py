"""A document's text put together block by block, as every reader builds it.

Blocks are separated by a blank line, so that no segment crosses one; each block's inline codes,
given with offsets in the block, are moved to where the block lands in the text.

>>> from bilingual.document import CodeKind
>>> text = TextBuilder()
>>> text.add("Titre", [], BlockKind.HEADING, 1)
>>> text.add("Le chat dort.", [InlineCode(3, 7, CodeKind.BOLD)])
>>> text.text(), [(b.start, b.end) for b in text.blocks], [(c.start, c.end) for c in text.codes]
('Titre\\n\\nLe chat dort.', [(0, 5), (7, 20)], [(10, 14)])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Block, BlockKind, Handle, InlineCode


@dataclass
class TextBuilder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    codes: list[InlineCode] = field(default_factory=list)

    def add(
        self,
        text: str,
        codes: list[InlineCode],
        kind: BlockKind = BlockKind.PARAGRAPH,
        level: int = 0,
        handle: Handle = (),
    ) -> None:
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        self.blocks.append(Block(start, self.length, kind, level, handle))
        self.codes.extend(
            InlineCode(start + c.start, start + c.end, c.kind, c.handle, c.protected) for c in codes
        )

    def text(self) -> str:
        return "".join(self.parts)


def has_prose(text: str, codes: list[InlineCode]) -> bool:
    """Whether some of ``text`` is outside protected codes (there is something to translate).

    >>> from bilingual.document import CodeKind
    >>> has_prose("x = 1", [InlineCode(0, 5, CodeKind.CODE, protected=True)]), has_prose(" Oui ", [])
    (False, True)
    """
    covered = [False] * len(text)
    for code in codes:
        if code.protected:
            covered[code.start : code.end] = [True] * (code.end - code.start)
    return any(not hidden and not char.isspace() for char, hidden in zip(text, covered))
