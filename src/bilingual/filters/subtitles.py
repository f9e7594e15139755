"""Subtitles: SubRip (``.srt``) and WebVTT (``.vtt``), read and written back line by line.

A file is read as cues (number or identifier, timing line, text lines). Cues that run one
sentence on into the next (their text does not end a sentence) are one block, so that the
sentence is segmented and translated whole; a block ends with a cue that ends a sentence, before
a cue without text to translate (music, sound effects in brackets are translated, ``♪`` alone is
not), or after :data:`MAX_CUES` cues. In a block, each cue boundary and each line break inside a
cue is a point code that travels through the engine as a placeholder; the subtitle tags (``<i>``,
``<b>``, ``<font>``, WebVTT's classes and voices) are codes around the text they format, and what
is no text (``{\\an8}``, WebVTT timestamps, an unclosed tag) is protected.

``NAME.en.srt`` (``NAME.en.vtt``): the source with only the text lines of each cue replaced; cue
numbers, identifiers, timing lines and their settings, notes, styles, regions, the header, blank
lines, line ends and a byte-order mark come back byte for byte. The English of a block is spread
over its cues where the cue-boundary placeholders came back; when one did not come back in
place, or a cue would be left without a word, the English is cut in proportion to the French
cues' lengths, at word boundaries — no word is ever dropped. A tag still open at a cue's end is
closed there and opened again in the next cue.

A number or a timing line that is not one is refused with its line: one error, nothing written.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from .. import textio
from ..document import BlockKind, CodeKind, Document, InlineCode
from ..errors import InputError
from ..textio import atomic_write
from . import READ_AS, DocumentFilter, ReadOptions
from .assembly import TextBuilder
from .rebuild import EnglishBlock, PlacedCode, english_blocks, events

#: A sentence running over more cues than this is cut: subtitles without punctuation (lyrics)
#: would otherwise be one endless sentence.
MAX_CUES = 8
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]]*\s*$|♪\s*$")
_WORD = re.compile(r"\w")
_SPACES = re.compile(r"\s+")
SRT_TIME = r"(\d{1,3}):(\d{2}):(\d{2})[,.](\d{3})"
VTT_TIME = r"(?:(\d{1,3}):)?(\d{2}):(\d{2})\.(\d{3})"


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    timing: re.Pattern[str]
    expected: str  # how a timing line looks, for messages
    tags: re.Pattern[str]
    escaped: bool  # text holds character references (&amp;...)


SRT_DIALECT = Dialect(
    "srt",
    re.compile(rf"^\s*{SRT_TIME}\s*-->\s*{SRT_TIME}(?:\s+.*)?$"),
    "HH:MM:SS,mmm --> HH:MM:SS,mmm",
    re.compile(r"</?(?:i|b|u|s)>|<font\b[^>]*>|</font>|\{\\[^}]*\}", re.IGNORECASE),
    escaped=False,
)
VTT_DIALECT = Dialect(
    "vtt",
    re.compile(rf"^\s*{VTT_TIME}\s+-->\s+{VTT_TIME}(?:[ \t]+.*)?$"),
    "[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm [settings]",
    re.compile(r"<(?:/?[a-z]+(?:\.[\w-]+)*(?:[ \t][^>]*)?|/?\d[\d:.]*)>", re.IGNORECASE),
    escaped=True,
)
TAG_KINDS = {"i": CodeKind.ITALIC, "b": CodeKind.BOLD, "u": CodeKind.UNDERLINE, "s": CodeKind.STRIKE}


@dataclass(slots=True)
class Cue:
    """One cue: where its text lines are in the source (``start:end``, line ends inside), and
    those lines."""

    number: int  # from 0, in the file
    start: int
    end: int
    lines: list[str]
    newline: str


def read_srt(source: Path | bytes, options: ReadOptions) -> Document:
    return _read(source, SRT_DIALECT)


def read_vtt(source: Path | bytes, options: ReadOptions) -> Document:
    return _read(source, VTT_DIALECT)


def _read(source: Path | bytes, dialect: Dialect) -> Document:
    where = "<bytes>" if isinstance(source, bytes) else str(source)
    if isinstance(source, bytes):
        data = source
    else:
        with textio.reading(source):
            size = source.stat().st_size
        if size > textio.MAX_SOURCE_BYTES:
            raise InputError(source, f"{size / 1e6:.0f} MB is larger than a build takes; split the file")
        data = textio.read_bytes(source)
    # UTF-8, or UTF-16/32 by its BOM; what is no text is refused with what it is
    encoding = textio.decode_source(data, where).encoding
    raw = data.decode(encoding)  # line ends and a BOM as they are: they are written back
    cues = parse(raw, dialect, where)
    if not cues:
        raise InputError(where, "holds no subtitles (no cue with a timing line)")
    text = TextBuilder()
    for group in _sentences(cues, dialect):
        _add_block(text, group)
    if not text.blocks:
        raise InputError(where, "holds no text to translate")
    return Document(
        "subtitles" if isinstance(source, bytes) else source.stem,
        text.text(),
        format=dialect.name,
        blocks=text.blocks,
        codes=text.codes,
        original=data,
        metadata={"encoding": encoding} if encoding == "utf-8" else {
            "encoding": encoding, READ_AS: f"{textio.encoding_name(encoding)} text"
        },
    )


def parse(raw: str, dialect: Dialect, where: str) -> list[Cue]:
    """The cues of a subtitle file; a malformed number or timing line raises with its line."""
    lines = [match.group() for match in _LINE.finditer(raw)][:-1] or [raw]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    index = 0
    if dialect is VTT_DIALECT:
        if not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise InputError(where, "is not WebVTT: its first line must be WEBVTT", line=1)
        index = _skip_block(lines, 0)
    cues: list[Cue] = []
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        first = lines[index].strip().lstrip("\ufeff")
        if dialect is VTT_DIALECT and first.split(maxsplit=1)[0] in ("NOTE", "STYLE", "REGION") and "-->" not in first:
            index = _skip_block(lines, index)
            continue
        timing = index
        if dialect is SRT_DIALECT:
            if not first.isdigit():
                raise InputError(
                    where,
                    f"expected the number of a cue, found {first[:40]!r}; number the cues 1, 2, 3…",
                    line=index + 1,
                )
            timing = index + 1
        elif "-->" not in first:
            timing = index + 1  # a cue identifier
        line = lines[timing].rstrip("\r\n") if timing < len(lines) else ""
        _check_timing(line, dialect, where, timing + 1)
        body = timing + 1
        end = body
        while end < len(lines) and lines[end].strip() and not _next_cue(lines, end, dialect):
            end += 1
        text_lines = [lines[i].rstrip("\r\n") for i in range(body, end)]
        newline = lines[timing][len(line) :] or "\n"
        stop = offsets[end] - len(lines[end - 1]) + len(lines[end - 1].rstrip("\r\n")) if end > body else offsets[body]
        cues.append(Cue(len(cues), offsets[body], stop, text_lines, newline))
        index = end
    return cues


def _skip_block(lines: list[str], index: int) -> int:
    while index < len(lines) and lines[index].strip():
        index += 1
    return index


def _next_cue(lines: list[str], index: int, dialect: Dialect) -> bool:
    """Whether a cue starts at ``index`` though no blank line came before it (a common slip)."""
    if dialect is not SRT_DIALECT or not lines[index].strip().isdigit() or index + 1 >= len(lines):
        return False
    return bool(dialect.timing.match(lines[index + 1].rstrip("\r\n")))


def _check_timing(line: str, dialect: Dialect, where: str, number: int) -> None:
    found = dialect.timing.match(line)
    if not found:
        shown = line.strip()[:60] or "(nothing)"
        raise InputError(
            where, f"bad timecodes {shown!r}: a cue needs {dialect.expected}; correct that line", line=number
        )
    groups = found.groups()
    start, end = _milliseconds(groups[:4]), _milliseconds(groups[4:8])
    if start is None or end is None:
        raise InputError(where, f"bad timecodes {line.strip()!r}: minutes and seconds go up to 59", line=number)
    if end < start:
        raise InputError(where, f"bad timecodes {line.strip()!r}: the cue ends before it starts", line=number)


def _milliseconds(parts: tuple[str | None, ...]) -> int | None:
    hours, minutes, seconds, millis = (int(part or 0) for part in parts)
    if minutes > 59 or seconds > 59:
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


# -- cues into blocks ----------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    """A cue's line: its plain text and codes (offsets in it)."""

    text: str
    codes: list[InlineCode]


def _line(line: str, dialect: Dialect) -> _Line:
    parts: list[str] = []
    length = 0
    codes: list[InlineCode] = []
    opened: list[tuple[str, str, int]] = []  # (name, tag, start)
    position = 0

    def add(piece: str) -> None:
        nonlocal length
        piece = html.unescape(piece) if dialect.escaped else piece
        parts.append(piece)
        length += len(piece)

    for match in dialect.tags.finditer(line):
        add(line[position : match.start()])
        position = match.end()
        tag = match.group()
        name = re.match(r"</?\s*([a-z]+)", tag, re.IGNORECASE)
        if name is None or tag.startswith("{"):
            codes.append(InlineCode(length, length, CodeKind.MARKUP, ("raw", tag), protected=True))
        elif tag.startswith("</"):
            found = next((i for i in range(len(opened) - 1, -1, -1) if opened[i][0] == name.group(1).lower()), None)
            if found is None:
                codes.append(InlineCode(length, length, CodeKind.MARKUP, ("raw", tag), protected=True))
                continue
            for inner, inner_tag, inner_start in opened[found + 1 :]:  # unclosed inside: kept raw
                codes.append(InlineCode(inner_start, inner_start, CodeKind.MARKUP, ("raw", inner_tag), protected=True))
            kind_name, open_tag, start = opened[found]
            del opened[found:]
            kind = TAG_KINDS.get(kind_name, CodeKind.SPAN)
            codes.append(InlineCode(start, length, kind, ("tag", open_tag, tag)))
        else:
            opened.append((name.group(1).lower(), tag, length))
    add(line[position:])
    for _name, tag, start in opened:
        codes.append(InlineCode(start, start, CodeKind.MARKUP, ("raw", tag), protected=True))
    return _Line("".join(parts), codes)


def _has_words(lines: list[_Line]) -> bool:
    return any(_WORD.search(line.text) for line in lines)


def _sentences(cues: list[Cue], dialect: Dialect) -> list[list[tuple[Cue, list[_Line]]]]:
    """Cues with text, grouped so that a sentence over several cues is one group."""
    groups: list[list[tuple[Cue, list[_Line]]]] = []
    current: list[tuple[Cue, list[_Line]]] = []
    for cue in cues:
        lines = [_line(line, dialect) for line in cue.lines]
        if not _has_words(lines):
            if current:
                groups.append(current)
                current = []
            continue
        current.append((cue, lines))
        ending = " ".join(line.text for line in lines).strip()
        if _SENTENCE_END.search(ending) or len(current) >= MAX_CUES:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _add_block(text: TextBuilder, group: list[tuple[Cue, list[_Line]]]) -> None:
    """One block: the cues' lines joined by spaces, a point code at each cue and line break."""
    parts: list[str] = []
    length = 0
    codes: list[InlineCode] = []
    for position, (cue, lines) in enumerate(group):
        for number, line in enumerate(lines):
            if position or number:
                if not parts[-1].endswith(" "):
                    parts.append(" ")
                    length += 1
                mark = ("cue", cue.number) if not number else ("line",)
                codes.append(InlineCode(length, length, CodeKind.BREAK, mark))
            stripped = line.text.strip()
            lead = len(line.text) - len(line.text.lstrip())
            codes.extend(
                InlineCode(
                    length + max(0, min(c.start - lead, len(stripped))),
                    length + max(0, min(c.end - lead, len(stripped))),
                    c.kind, c.handle, c.protected,
                )
                for c in line.codes
            )
            parts.append(stripped)
            length += len(stripped)
    codes.sort(key=lambda code: (code.start, -code.end))
    cues = (group[0][0].number, group[-1][0].number)
    text.add("".join(parts), codes, BlockKind.CUE, 0, cues)


# -- writing -------------------------------------------------------------------------------


def write_translation(document: Document, path: Path) -> None:
    """``NAME.en.srt``/``NAME.en.vtt``: the source with each cue's text lines in English."""
    dialect = VTT_DIALECT if document.format == "vtt" else SRT_DIALECT
    encoding = document.metadata.get("encoding", "utf-8")
    raw = document.original.decode(encoding)
    cues = parse(raw, dialect, document.name)
    replaced: dict[int, list[str]] = {}
    for block in english_blocks(document):
        first, last = int(block.block.handle[0]), int(block.block.handle[1])
        french = [cues[number] for number in range(first, last + 1)]
        for cue, lines in zip(french, _spread(_in_place(block, document), dialect), strict=True):
            replaced[cue.number] = lines
    parts: list[str] = []
    position = 0
    for cue in cues:
        if cue.number in replaced:
            parts.append(raw[position : cue.start])
            parts.append(cue.newline.join(replaced[cue.number]))
            position = cue.end
    parts.append(raw[position:])
    atomic_write(path, "".join(parts).encode(encoding))


def _in_place(block: EnglishBlock, document: Document) -> EnglishBlock:
    """``block`` with its cue marks where they came back, unless that leaves a cue without a
    word: then every mark is put in proportion to the French cues' lengths, at word starts."""
    marks = [p for p in block.codes if p.code.handle[:1] == ("cue",)]
    cuts = [0, *sorted(p.start for p in marks), len(block.text)]
    if not marks or all(_WORD.search(block.text[a:b]) for a, b in pairwise(cuts)):
        return block
    french = document.text[block.block.start : block.block.end]
    words = [0] + [m.end() for m in _SPACES.finditer(block.text) if m.end() < len(block.text)]
    placed: dict[int, int] = {}
    previous = 0
    for number, mark in enumerate(sorted(marks, key=lambda p: p.code.start)):
        share = (mark.code.start - block.block.start) / max(len(french), 1)
        wanted = round(share * len(block.text))
        later = len(marks) - number  # marks still to place, this one included
        choices = [w for w in words if w > previous] or [len(block.text)]
        choices = choices[: max(len(choices) - later + 1, 1)]
        at = min(choices, key=lambda w: (abs(w - wanted), w))
        placed[mark.index] = previous = at
    codes = tuple(
        replace(p, start=placed[p.index], end=placed[p.index]) if p.index in placed else p for p in block.codes
    )
    return replace(block, codes=tuple(sorted(codes, key=lambda p: (p.start, -p.end, p.index))))


def _spread(block: EnglishBlock, dialect: Dialect) -> list[list[str]]:
    """The English of each cue of ``block``, as lines."""
    cues: list[list[str]] = [[]]
    current: list[str] = []
    opened: list[PlacedCode] = []
    fresh = True  # nothing written in this cue yet: its first text loses its leading spaces

    def write(text: str) -> None:
        nonlocal fresh
        if fresh:
            text = text.lstrip()
            fresh = not text
        current.append(html.escape(text, quote=False) if dialect.escaped else text)

    for kind, item in events(block):
        if isinstance(item, str):
            write(item)
            continue
        handle = item.code.handle
        if kind == "open":
            current.append(str(handle[1]))
            opened.append(item)
        elif kind == "close":
            current.append(str(handle[2]))
            if opened:
                opened.pop()
        elif handle[:1] == ("raw",):
            current.append(str(handle[1]))
        elif handle[:1] == ("cue",):
            closing = "".join(str(o.code.handle[2]) for o in reversed(opened))
            cues[-1] = _lines("".join(current).rstrip() + closing)
            current = [str(o.code.handle[1]) for o in opened]
            cues.append([])
            fresh = True
        elif handle[:1] == ("line",):
            current.append("\n")
    cues[-1] = _lines("".join(current))
    return cues


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


SRT = DocumentFilter(read_srt, write_translation)
VTT = DocumentFilter(read_vtt, write_translation)
