"""Markdown (``.md``, ``.markdown``): read with markdown-it-py, written back by splicing.

The reader parses CommonMark with tables, strikethrough, footnotes and front matter
(mdit-py-plugins). Each paragraph, heading, list item, quote and table cell is a block; its
inline tokens are aligned with the source characters, so every inline code knows the exact
source text of its markup: ``**`` and ``**``, ``[`` and ``](https://… "title")``, a code span, an
image, inline HTML, a footnote mark, a hard line break.

``NAME.en.md`` is the source with, for each block, the characters of its inline content replaced
by the English rebuilt from those markups: everything else — front matter, code blocks, HTML
blocks, list markers, indentation, blank lines, link URLs and titles, reference definitions — is
copied byte for byte. Soft line breaks inside a paragraph become spaces (the English paragraph is
one line); hard breaks come back as they were written. Images keep their alt text in French.

Markdown has no syntax errors: any text is a Markdown document (an unclosed ``**`` is literal
text, and translated as such), so the only bad inputs are those of any text (not UTF-8, empty).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from .. import textio
from ..document import Block, BlockKind, CodeKind, Document, InlineCode
from ..textio import atomic_write
from . import DocumentFilter, ReadOptions, read_text
from .rebuild import EnglishBlock, english_blocks, events

_PAIRED = {"strong": CodeKind.BOLD, "em": CodeKind.ITALIC, "s": CodeKind.STRIKE}
_HARD_BREAK = re.compile(r"(?:\\|[ \t]*)\n[ \t]*")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_TITLE_LINE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
#: Characters that would turn English text into markup.
_SPECIAL = re.compile(r"[\\`*_\[\]<|]|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:[#>+=-]|\d+[.)])(?=\s|$)")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin)
    # escapes and entities stay tokens of their own, so every token maps onto the source
    md.disable("text_join")
    return md


@dataclass
class _Builder:
    """The document being read: plain text, blocks and codes, with source offsets."""

    source: str
    line_starts: list[int]
    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    codes: list[InlineCode] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)


def read(source: Path | bytes, options: ReadOptions) -> Document:
    text, metadata = read_text(source)
    original = source if isinstance(source, bytes) else textio.read_bytes(source)
    tokens = parser().parse(text)
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    builder = _Builder(text, line_starts)
    title: str | None = None
    context: list[Token] = []
    cells: dict[int, int] = {}  # table row line → where its next cell is searched from
    for token in tokens:
        if token.nesting == 1:
            context.append(token)
        elif token.nesting == -1 and context:
            context.pop()
        elif token.type == "front_matter":
            found = _TITLE_LINE.search(token.content)
            title = found.group(1).strip("\"'") if found else None
        elif token.type == "inline" and token.map is not None:
            _read_block(builder, token, *_kind(context), cells)
    plain = "".join(builder.parts)
    if title is None:
        title = next(
            (plain[b.start : b.end] for b in builder.blocks if b.kind is BlockKind.HEADING), None
        )
    name = "document" if isinstance(source, bytes) else source.stem
    return Document(
        name,
        plain,
        format="markdown",
        title=title,
        blocks=builder.blocks,
        codes=builder.codes,
        original=original,
        metadata=metadata,
    )


def _kind(context: Sequence[Token]) -> tuple[BlockKind, int]:
    types = [token.type for token in context]
    for token in reversed(context):
        if token.type == "heading_open":
            return BlockKind.HEADING, int(token.tag[1:])
        if token.type in ("th_open", "td_open"):
            return BlockKind.TABLE_CELL, 1 if token.type == "th_open" else 0
    if "list_item_open" in types:
        return BlockKind.LIST_ITEM, types.count("bullet_list_open") + types.count(
            "ordered_list_open"
        )
    if "blockquote_open" in types:
        return BlockKind.QUOTE, types.count("blockquote_open")
    return BlockKind.PARAGRAPH, 0


def _content_lines(
    builder: _Builder, token: Token, cell_from: int | None
) -> list[tuple[int, str]] | None:
    """(source offset, text) of each line of an inline token's raw content; ``cell_from``:
    where to look for a table cell in its row."""
    assert token.map is not None
    source, starts = builder.source, builder.line_starts
    pieces = token.content.split("\n")
    found: list[tuple[int, str]] = []
    for number, piece in enumerate(pieces):
        line_index = token.map[0] + number
        if line_index >= len(starts):
            return None
        line_start = starts[line_index]
        line_end = starts[line_index + 1] - 1 if line_index + 1 < len(starts) else len(source)
        line = source[line_start:line_end]
        if cell_from is not None:
            at = line.find(piece, cell_from)
        elif number == 0 and line.lstrip(" >").startswith("#"):
            at = line.find(piece, line.index("#"))
        else:
            at = len(line.rstrip()) - len(piece.rstrip())
            if at < 0 or line[at : at + len(piece.rstrip())] != piece.rstrip():
                at = line.find(piece)
        if at < 0:
            return None
        found.append((line_start + at, piece))
    return found


def _read_block(
    builder: _Builder, token: Token, kind: BlockKind, level: int, cells: dict[int, int]
) -> None:
    assert token.map is not None
    row = token.map[0]
    cell_from = cells.get(row, 0) if kind is BlockKind.TABLE_CELL else None
    lines = _content_lines(builder, token, cell_from)
    if lines is None or not token.content.strip():
        return
    if cell_from is not None:
        cells[row] = lines[-1][0] - builder.line_starts[row] + len(lines[-1][1])
    raw = "\n".join(piece for _, piece in lines)
    # raw offset → source offset; a line's end maps to where the next line's content starts,
    # so that a range across lines takes the next line's prefix ("> ", indentation) with it
    offsets: list[int] = []
    for number, (start, piece) in enumerate(lines):
        offsets.extend(range(start, start + len(piece)))
        offsets.append(lines[number + 1][0] if number + 1 < len(lines) else start + len(piece))
    aligned = _Aligner(raw, offsets, token.children or [])
    try:
        text, codes = aligned.run()
    except _Unaligned:
        return  # kept from the source as it is, untranslated
    if not text.strip():
        return
    if builder.parts:
        builder.add("\n\n")
    start = builder.length
    builder.add(text)
    builder.blocks.append(
        Block(start, builder.length, kind, level, (lines[0][0], lines[-1][0] + len(lines[-1][1])))
    )
    for code in codes:
        builder.codes.append(
            InlineCode(start + code.start, start + code.end, code.kind, code.handle, code.protected)
        )


class _Unaligned(Exception):
    """The tokens do not map onto the source (a construct this reader does not know)."""


class _Aligner:
    """Walks an inline token list along the raw source of its content."""

    def __init__(self, raw: str, offsets: list[int], tokens: list[Token]) -> None:
        self.raw, self.offsets, self.tokens = raw, offsets, tokens
        self.cursor = 0
        self.plain: list[str] = []
        self.length = 0
        self.codes: list[InlineCode] = []
        self.open: list[tuple[int, int, int, CodeKind]] = []  # (plain start, raw start, end, kind)

    def source(self, start: int, end: int) -> tuple[int, int]:
        """The source range of the raw content's ``start..end`` (across lines too)."""
        if end > start and self.raw[end - 1] != "\n":
            return self.offsets[start], self.offsets[end - 1] + 1
        return self.offsets[start], self.offsets[end]

    def emit(self, text: str) -> None:
        self.plain.append(text)
        self.length += len(text)

    def expect(self, literal: str) -> int:
        if not self.raw.startswith(literal, self.cursor):
            raise _Unaligned(literal)
        start = self.cursor
        self.cursor += len(literal)
        return start

    def point(self, start: int, kind: CodeKind) -> None:
        self.codes.append(InlineCode(self.length, self.length, kind, self.source(start, self.cursor)))

    def run(self) -> tuple[str, list[InlineCode]]:
        index = 0
        tokens = self.tokens
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "text":
                self.expect(token.content)
                self.emit(token.content)
            elif kind == "text_special":
                self.expect(token.markup)
                self.emit(token.content)
            elif kind == "softbreak":
                match = _SOFT_BREAK.match(self.raw, self.cursor)
                if match is None:
                    raise _Unaligned("softbreak")
                self.cursor = match.end()
                self.emit(" ")
            elif kind == "hardbreak":
                match = _HARD_BREAK.match(self.raw, self.cursor)
                if match is None:
                    raise _Unaligned("hardbreak")
                start, self.cursor = self.cursor, match.end()
                self.codes.append(
                    InlineCode(
                        self.length,
                        self.length + 1,
                        CodeKind.BREAK,
                        self.source(start, self.cursor),
                        protected=True,
                    )
                )
                self.emit("\n")
            elif kind.endswith("_open") and kind[:-5] in _PAIRED:
                start = self.expect(token.markup)
                self.open.append((self.length, start, self.cursor, _PAIRED[kind[:-5]]))
            elif kind.endswith("_close") and kind[:-6] in _PAIRED:
                self.close(self.expect(token.markup))
            elif kind == "link_open":
                index = self.link(index)
            elif kind == "link_close":
                self.close(self.link_end())
            elif kind == "code_inline":
                self.code_span(token)
            elif kind == "image":
                start = self.expect("![")
                self.cursor = self.label_end(self.cursor)
                self.destination()
                self.point(start, CodeKind.IMAGE)
            elif kind == "html_inline":
                start = self.expect(token.content)
                self.point(start, CodeKind.MARKUP)
            elif kind == "footnote_ref":
                start = self.expect("[^")
                end = self.raw.find("]", self.cursor)
                if end < 0:
                    raise _Unaligned("footnote")
                self.cursor = end + 1
                self.point(start, CodeKind.FOOTNOTE)
            elif kind != "footnote_anchor":
                raise _Unaligned(kind)
            index += 1
        if self.open:
            raise _Unaligned("unclosed")
        self.codes.sort(key=lambda code: (code.start, -code.end))
        return "".join(self.plain), self.codes

    def close(self, start: int) -> None:
        if not self.open:
            raise _Unaligned("close")
        plain_start, open_start, open_end, kind = self.open.pop()
        handle = (*self.source(open_start, open_end), *self.source(start, self.cursor))
        self.codes.append(InlineCode(plain_start, self.length, kind, handle))

    def link(self, index: int) -> int:
        token = self.tokens[index]
        if token.markup in ("autolink", "linkify"):
            # a bare address: kept as it is, never translated
            start = self.cursor
            if token.markup == "autolink":
                self.expect("<")
                end = self.raw.find(">", self.cursor)
                if end < 0:
                    raise _Unaligned("autolink")
                self.cursor = end + 1
            shown = "".join(child.content for child in self._until_close(index))
            if token.markup == "linkify":
                self.expect(shown)
            self.codes.append(
                InlineCode(
                    self.length,
                    self.length + len(shown),
                    CodeKind.LINK,
                    self.source(start, self.cursor),
                    protected=True,
                )
            )
            self.emit(shown)
            return index + len(self._until_close(index)) + 1
        start = self.expect("[")
        self.open.append((self.length, start, self.cursor, CodeKind.LINK))
        return index

    def _until_close(self, index: int) -> list[Token]:
        found = []
        for token in self.tokens[index + 1 :]:
            if token.type == "link_close":
                break
            found.append(token)
        return found

    def link_end(self) -> int:
        start = self.expect("]")
        self.destination()
        return start

    def destination(self) -> None:
        """Skip what follows a link's text: ``(url "title")``, ``[label]``, ``[]`` or nothing."""
        raw, maximum = self.raw, len(self.raw)
        if raw.startswith("(", self.cursor):
            position = _skip_space(raw, self.cursor + 1)
            if position < maximum and raw[position] != ")":
                found = parseLinkDestination(raw, position, maximum)
                if found.ok:
                    position = _skip_space(raw, found.pos)
                    title = parseLinkTitle(raw, position, maximum)
                    if title.ok:
                        position = _skip_space(raw, title.pos)
            if position >= maximum or raw[position] != ")":
                raise _Unaligned("link destination")
            self.cursor = position + 1
        elif raw.startswith("[", self.cursor):
            end = raw.find("]", self.cursor)
            if end < 0:
                raise _Unaligned("link label")
            self.cursor = end + 1

    def label_end(self, position: int) -> int:
        """The position after the ``]`` closing a label that starts at ``position``."""
        depth = 1
        raw = self.raw
        while position < len(raw):
            char = raw[position]
            if char == "\\":
                position += 2
                continue
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
                if depth == 0:
                    return position + 1
            position += 1
        raise _Unaligned("label")

    def code_span(self, token: Token) -> None:
        start = self.expect(token.markup)
        closing = re.compile(rf"(?<!`){re.escape(token.markup)}(?!`)")
        match = closing.search(self.raw, self.cursor)
        if match is None:
            raise _Unaligned("code span")
        self.cursor = match.end()
        self.codes.append(
            InlineCode(
                self.length,
                self.length + len(token.content),
                CodeKind.CODE,
                self.source(start, self.cursor),
                protected=True,
            )
        )
        self.emit(token.content)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position


# -- writing -------------------------------------------------------------------------------


def write_translation(document: Document, path: Path) -> None:
    """``NAME.en.md``: the source with each block's inline content in English."""
    atomic_write(path, render(document))


def render(document: Document) -> str:
    source = textio.decode_source(document.original, document.name).text
    parts: list[str] = []
    position = 0
    for block in english_blocks(document):
        start, end = int(block.block.handle[0]), int(block.block.handle[1])
        parts.append(source[position:start])
        parts.append(_inline(block, source))
        position = end
    parts.append(source[position:])
    text = "".join(parts)
    if b"\r\n" in document.original:
        text = text.replace("\n", "\r\n")
    return text


def _inline(block: EnglishBlock, source: str) -> str:
    parts: list[str] = []
    for kind, item in events(block):
        if isinstance(item, str):
            parts.append(escape(item, at_start=not parts))
            continue
        handle = [int(value) for value in item.code.handle]
        if kind == "open":
            parts.append(source[handle[0] : handle[1]])
        elif kind == "close":
            parts.append(source[handle[2] : handle[3]])
        else:
            parts.append(source[handle[0] : handle[1]])
    return "".join(parts)


def escape(text: str, at_start: bool = False) -> str:
    r"""English text as Markdown that shows it literally.

    >>> escape("2 * 3 = 6 [sic] a_b")
    '2 \\* 3 = 6 \\[sic\\] a\\_b'
    >>> escape("# not a heading", at_start=True)
    '\\# not a heading'
    """
    escaped = _SPECIAL.sub(lambda match: "\\" + match.group(), text)
    if at_start:
        escaped = _LINE_START.sub(lambda match: _escape_marker(match.group()), escaped)
    return escaped


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[-1] in ".)" else "\\" + marker


FILTER = DocumentFilter(read, write_translation)
