"""Word documents (``.docx``): WordprocessingML read and written back with lxml, inside its zip.

Reading: the archive is opened within bounds (:mod:`bilingual.filters.archive`) and every part
is parsed by the project's safe loader. The blocks are the paragraphs (``w:p``) of the main
document, then of its footnotes, endnotes, headers and footers, each with its kind from its style
and properties: headings (``Heading 1``… or an outline level), the title, list items (numbering,
own or from the style; level from ``w:ilvl``), table cells (header rows: level 1), quotes and
captions; paragraphs in text boxes are read too. ``docProps/core.xml``'s title, when there is
one, is the first block and the page's title.

Inline markup: within a paragraph, runs of the same formatting (their ``w:rPr``, revision ids
aside) are one stretch of text; the formatting that covers most of the paragraph is its base,
and every stretch formatted otherwise is an inline code (bold, italic, underline... or a styled
span), so a run boundary is a code only where the formatting changes. A hyperlink is a link code
(with its own base formatting), a content control a code around its content, a field (``PAGE``,
``REF``, a ``TOC``) a code whose instruction is kept and whose shown result is translated. Line
breaks, tabs, footnote and endnote marks, pictures, symbols, equations, simple fields and deleted
text are protected codes, kept as they are; bookmarks and comment ranges inside the text are
points, and those at a paragraph's edges stay where they are. Spelling marks
(``w:proofErr``), soft hyphens and Word's rendered page breaks are dropped: they mean nothing in
the English. Inserted text is kept as plain text (its revision mark goes). Paragraphs of a
``mc:Fallback`` (the copy of a text box for old versions of Word) are left in French.

``NAME.en.docx``: the same archive with the parts that hold text re-written by lxml; in each
paragraph, its properties and the elements at its edges are kept, and its runs are rebuilt from
the English with copies of the source runs' properties. French language marks (``w:lang``) become
``en-GB`` there and in ``styles.xml``, and so does a French ``dc:language`` beside the title. Every other part (styles, numbering, pictures, settings,
relationships...) comes back byte for byte.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from ..document import BlockKind, CodeKind, Document, InlineCode
from ..errors import InputError
from ..exchange.xml import local_name
from . import DocumentFilter, ReadOptions
from .archive import Archive, Kind, by_entry, write_archive, xml_bytes
from .assembly import TextBuilder, has_prose
from .rebuild import EnglishBlock, PlacedCode, english_blocks, events

DOCX = Kind(
    "a Word document (DOCX)", "open it in Word or LibreOffice, save it again as .docx and build again"
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PACKAGE_RELS = "_rels/.rels"
OFFICE_DOCUMENT = "/officeDocument"
#: The parts that hold text besides the main document, in the order they are read.
TEXT_PARTS = ("/footnotes", "/endnotes", "/header", "/footer")
CORE = "docProps/core.xml"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
ENGLISH = "en-GB"

#: Inside a run: what a protected code keeps, and the text the reader sees for it.
RUN_SPECIALS: dict[str, str] = {
    "br": "\n", "cr": "\n", "tab": "\t", "ptab": "\t", "noBreakHyphen": "\u2011",
    "footnoteReference": "", "endnoteReference": "", "footnoteRef": "", "endnoteRef": "",
    "annotationRef": "", "commentReference": "", "drawing": "", "pict": "", "object": "",
    "sym": "", "ruby": "", "separator": "", "continuationSeparator": "", "pgNum": "",
    "dayShort": "", "monthShort": "", "yearShort": "", "dayLong": "", "monthLong": "",
    "yearLong": "", "contentPart": "", "delText": "", "AlternateContent": "",
}
#: Dropped: they mean nothing once the text is English (Word recomputes them).
DROPPED = frozenset({"proofErr", "softHyphen", "lastRenderedPageBreak", "rPr"})
#: Paragraph-level elements that mark a place, not text: points (kept at the edges).
MARKS = frozenset(
    {"bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart",
     "permEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
     "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
     "customXmlDelRangeEnd", "proofErr"}
)
#: Paragraph-level wrappers whose runs are read as the paragraph's own (the wrapper goes).
TRANSPARENT = frozenset({"ins", "moveTo", "smartTag", "customXml", "dir", "bdo"})
#: Paragraph-level elements kept as they are: deleted text, simple fields, equations.
KEPT = frozenset({"del", "moveFrom", "fldSimple", "oMath", "oMathPara", "subDoc"})
FORMATTING: tuple[tuple[str, CodeKind], ...] = (
    ("b", CodeKind.BOLD), ("i", CodeKind.ITALIC), ("u", CodeKind.UNDERLINE),
    ("strike", CodeKind.STRIKE), ("dstrike", CodeKind.STRIKE),
)
_OFF = frozenset({"0", "false", "off", "none"})


def read(source: Path | bytes, options: ReadOptions) -> Document:
    if isinstance(source, bytes):
        archive, name = Archive(source, "<bytes>", DOCX), "document"
    else:
        archive, name = Archive.open(source, DOCX), source.stem
    parts = text_parts(archive)
    styles = _Styles.of(archive, parts[0])
    text = TextBuilder()
    title = None
    if CORE in archive:
        core = archive.xml(CORE)
        found = core.getroot().find(DC_TITLE)
        if found is not None and (found.text or "").strip():
            title = " ".join((found.text or "").split())
            text.add(title, [], BlockKind.TITLE, 0, (CORE, _path_of(core, found), "text"))
    for part in parts:
        tree = archive.xml(part)
        paths = _Paths(tree)
        for paragraph in tree.getroot().iter(f"{W}p"):
            if any(local_name(a) == "Fallback" for a in paragraph.iterancestors()):
                continue
            read_paragraph(part, paragraph, paths, styles, text)
    joined = text.text()
    if not joined.strip():
        raise InputError(archive.where, "holds no text to translate")
    return Document(
        name,
        joined,
        format="docx",
        title=title or next(
            (joined[b.start : b.end] for b in text.blocks if b.kind in (BlockKind.TITLE, BlockKind.HEADING)),
            None,
        ),
        blocks=text.blocks,
        codes=text.codes,
        original=archive.data,
    )


def text_parts(archive: Archive) -> list[str]:
    """The main document part, then its footnotes, endnotes, headers and footers."""
    main = next((target for kind, target in _relations(archive, "") if kind.endswith(OFFICE_DOCUMENT)), None)
    main = main or "word/document.xml"
    if main not in archive:
        raise InputError(
            archive.where, f"is not {DOCX.label}: it has no {main}; {DOCX.repair}"
        )
    related = _relations(archive, main)
    others = [target for suffix in TEXT_PARTS for kind, target in related if kind.endswith(suffix)]
    for part in others:
        if part not in archive:
            raise archive.error(part, f"is named by {main} but missing from the document; {DOCX.repair}")
    return [main, *dict.fromkeys(others)]


def _relations(archive: Archive, part: str) -> list[tuple[str, str]]:
    """(type, target part) of the internal relationships of ``part`` ("" for the package)."""
    folder = PurePosixPath(part).parent if part else PurePosixPath("")
    rels = str(folder / "_rels" / f"{PurePosixPath(part).name}.rels") if part else PACKAGE_RELS
    if rels not in archive:
        return []
    found = []
    for relation in archive.xml(rels).getroot():
        target = relation.get("Target", "")
        if relation.get("TargetMode") == "External" or not target:
            continue
        path = PurePosixPath(target.lstrip("/")) if target.startswith("/") else folder / target
        parts: list[str] = []
        for piece in path.parts:
            if piece == "..":
                if parts:
                    parts.pop()
            elif piece != ".":
                parts.append(piece)
        found.append((relation.get("Type", ""), "/".join(parts)))
    return found


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    numbered: bool


@dataclass(frozen=True, slots=True)
class _Styles:
    """Paragraph styles by id, for what kind of block a paragraph is."""

    styles: dict[str, _Style]

    @classmethod
    def of(cls, archive: Archive, main: str) -> _Styles:
        part = next((t for kind, t in _relations(archive, main) if kind.endswith("/styles")), None)
        if part is None or part not in archive:
            return cls({})
        styles = {}
        for style in archive.xml(part).getroot().iter(f"{W}style"):
            name = style.find(f"{W}name")
            based = style.find(f"{W}basedOn")
            ppr = style.find(f"{W}pPr")
            styles[style.get(f"{W}styleId", "")] = _Style(
                (name.get(f"{W}val", "") if name is not None else "").lower(),
                based.get(f"{W}val") if based is not None else None,
                _outline(ppr),
                ppr is not None and ppr.find(f"{W}numPr") is not None,
            )
        return cls(styles)

    def chain(self, style_id: str | None) -> list[_Style]:
        found: list[_Style] = []
        while style_id and style_id in self.styles and len(found) < 20:
            found.append(self.styles[style_id])
            style_id = self.styles[style_id].based_on
        return found

    def kind(self, paragraph: etree._Element) -> tuple[BlockKind, int]:
        ppr = paragraph.find(f"{W}pPr")
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        chain = self.chain(style.get(f"{W}val") if style is not None else None)
        names = [s.name for s in chain]
        row = next((a for a in paragraph.iterancestors() if local_name(a) == "tr"), None)
        if row is not None:
            return BlockKind.TABLE_CELL, int(row.find(f"{W}trPr/{W}tblHeader") is not None)
        if "title" in names:
            return BlockKind.TITLE, 0
        outline = _outline(ppr)
        if outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        heading = next((n for n in names if n.startswith("heading ") and n[8:].isdigit()), None)
        if heading is not None:
            return BlockKind.HEADING, min(int(heading[8:]), 6)
        if outline is not None and outline < 9:
            return BlockKind.HEADING, min(outline + 1, 6)
        numbering = ppr.find(f"{W}numPr") if ppr is not None else None
        if numbering is not None or any(s.numbered for s in chain):
            level = numbering.find(f"{W}ilvl") if numbering is not None else None
            return BlockKind.LIST_ITEM, int(level.get(f"{W}val", "0")) + 1 if level is not None else 1
        if any("quote" in n for n in names):
            return BlockKind.QUOTE, 1
        if "caption" in names:
            return BlockKind.CAPTION, 0
        return BlockKind.PARAGRAPH, 0


def _outline(ppr: etree._Element | None) -> int | None:
    level = ppr.find(f"{W}outlineLvl") if ppr is not None else None
    value = level.get(f"{W}val", "") if level is not None else ""
    return int(value) if value.isdigit() else None


class _Paths:
    """Positional XPaths (no prefixes) of a part's elements, computed in one walk."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self.by_element: dict[etree._Element, str] = {}
        self.by_path: dict[str, etree._Element] = {}
        stack = [(tree.getroot(), "/*")]
        while stack:
            element, path = stack.pop()
            self.by_element[element] = path
            self.by_path[path] = element
            number = 0
            for child in element:
                if isinstance(child.tag, str):
                    number += 1
                    stack.append((child, f"{path}/*[{number}]"))

    def __call__(self, element: etree._Element) -> str:
        return self.by_element[element]


def _path_of(tree: etree._ElementTree, element: etree._Element) -> str:
    return _Paths(tree)(element)


# -- one paragraph ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    """One step of a paragraph's content, in order."""

    kind: str  # "text", "protected", "point", "open", "close"
    element: etree._Element  # the run; the element kept; the wrapper
    text: str = ""
    code: CodeKind = CodeKind.MARKUP
    container: etree._Element | None = None  # innermost wrapper (None: the paragraph)
    extra: tuple[str, ...] = ()  # a field's instruction runs (paths)


def read_paragraph(
    part: str, paragraph: etree._Element, paths: _Paths, styles: _Styles, text: TextBuilder
) -> None:
    children = [c for c in paragraph if isinstance(c.tag, str) and local_name(c) != "pPr"]
    content = [i for i, c in enumerate(children) if local_name(c) not in MARKS]
    if not content:
        return
    first, last = content[0], content[-1]
    tokens: list[_Token] = []
    walker = _Walker(tokens, paths)
    walker.walk(children[first : last + 1], None)
    walker.finish()
    plain, codes, base = _assemble(part, tokens, paths)
    if not has_prose(plain, codes):
        return
    kind, level = styles.kind(paragraph)
    position = list(paragraph).index(children[first])
    end = list(paragraph).index(children[last])
    handle = (part, paths(paragraph), position, end, paths(base) if base is not None else "")
    text.add(plain, codes, kind, level, handle)


@dataclass
class _Walker:
    """The tokens of a paragraph's content. A complex field (begin, instruction, separate,
    result, end) is an ``open`` token carrying its instruction, the result's text, and a
    ``close`` token carrying its end."""

    tokens: list[_Token]
    paths: _Paths
    instruction: list[etree._Element] = field(default_factory=list)  # begin … so far
    nested: int = 0  # fields begun inside the instruction
    results: list[_Token] = field(default_factory=list)  # fields showing their result

    def walk(self, elements: list[etree._Element], container: etree._Element | None) -> None:
        for element in elements:
            if not isinstance(element.tag, str):
                continue
            name = local_name(element)
            if self.instruction and name != "r":
                self.instruction.append(element)
            elif name == "r":
                self.run(element, container)
            elif name == "hyperlink":
                self.wrapped(element, list(element), container, CodeKind.LINK)
            elif name == "sdt":
                inner = element.find(f"{W}sdtContent")
                self.wrapped(element, list(inner) if inner is not None else [], container, CodeKind.SPAN)
            elif name in TRANSPARENT:
                self.walk(list(element), container)
            elif name in KEPT:
                shown = "".join(t.text or "" for t in element.iter(f"{W}t"))
                self.tokens.append(_Token("protected", element, shown, CodeKind.MARKUP, container))
            elif name == "proofErr":
                continue
            elif name in MARKS:
                self.tokens.append(_Token("point", element, container=container))
            else:
                self.tokens.append(_Token("protected", element, "", CodeKind.MARKUP, container))

    def wrapped(
        self,
        element: etree._Element,
        inner: list[etree._Element],
        container: etree._Element | None,
        kind: CodeKind,
    ) -> None:
        self.tokens.append(_Token("open", element, code=kind, container=container))
        self.walk(inner, element)
        self.tokens.append(_Token("close", element, code=kind, container=container))

    def run(self, run: etree._Element, container: etree._Element | None) -> None:
        character = run.find(f"{W}fldChar")
        if character is not None or self.instruction:
            self.field_run(run, character.get(f"{W}fldCharType", "") if character is not None else "", container)
            return
        inner = [c for c in run if isinstance(c.tag, str) and local_name(c) not in DROPPED]
        if not any(local_name(c) == "t" for c in inner):
            if inner:  # a run of specials only (a footnote mark, a picture): kept whole
                shown = "".join(RUN_SPECIALS.get(local_name(c), "") for c in inner)
                self.tokens.append(_Token("protected", run, shown, _special_kind(inner[0], shown), container))
            return
        for child in inner:
            if local_name(child) == "t":
                self.tokens.append(_Token("text", run, child.text or "", container=container))
            else:
                shown = RUN_SPECIALS.get(local_name(child), "")
                self.tokens.append(_Token("protected", child, shown, _special_kind(child, shown), container))

    def field_run(self, run: etree._Element, kind: str, container: etree._Element | None) -> None:
        if self.instruction:
            self.instruction.append(run)
            if kind == "begin":
                self.nested += 1
            elif kind == "end" and self.nested:
                self.nested -= 1
            elif kind == "separate" and not self.nested:
                paths = tuple(self.paths(e) for e in self.instruction)
                self.tokens.append(_Token("open", self.instruction[0], code=CodeKind.SPAN, container=container, extra=paths))
                self.results.append(self.tokens[-1])
                self.instruction = []
            elif kind == "end":  # no result shown: the field is kept as it is
                self.tokens.append(_Token("protected", run, "", CodeKind.MARKUP, container,
                                          extra=tuple(self.paths(e) for e in self.instruction)))
                self.instruction = []
        elif kind == "begin":
            self.instruction = [run]
        elif kind == "end" and self.results:
            opened = self.results.pop()
            self.tokens.append(_Token("close", opened.element, code=CodeKind.SPAN, container=container,
                                      extra=(self.paths(run),)))
        else:  # the end of a field begun in an earlier paragraph
            self.tokens.append(_Token("protected", run, "", CodeKind.MARKUP, container))

    def finish(self) -> None:
        """A field going on into the next paragraph: what of it is here is kept as it is."""
        if self.instruction:
            self.tokens.append(_Token("protected", self.instruction[-1], "", CodeKind.MARKUP, None,
                                      extra=tuple(self.paths(e) for e in self.instruction)))
        self.instruction = []


def _special_kind(element: etree._Element, shown: str) -> CodeKind:
    if "Ref" in local_name(element) or "Reference" in local_name(element):
        return CodeKind.FOOTNOTE
    if local_name(element) in ("drawing", "pict"):
        return CodeKind.IMAGE
    return CodeKind.BREAK if shown == "\n" else CodeKind.MARKUP


def _signature(run: etree._Element) -> bytes:
    """A run's formatting, revision ids and marks aside."""
    properties = run.find(f"{W}rPr")
    if properties is None:
        return b""
    properties = copy.deepcopy(properties)
    for element in properties.iter():
        for name in [n for n in element.attrib if n.startswith(f"{W}rsid")]:
            del element.attrib[name]
    for change in properties.findall(f"{W}rPrChange"):
        properties.remove(change)
    return bytes(etree.tostring(properties, method="c14n"))


def _format_kind(run: etree._Element) -> CodeKind:
    properties = run.find(f"{W}rPr")
    if properties is None:
        return CodeKind.SPAN
    for name, kind in FORMATTING:
        found = properties.find(f"{W}{name}")
        if found is not None and found.get(f"{W}val", "true").lower() not in _OFF:
            return kind
    align = properties.find(f"{W}vertAlign")
    if align is not None:
        return {"superscript": CodeKind.SUPERSCRIPT, "subscript": CodeKind.SUBSCRIPT}.get(
            align.get(f"{W}val", ""), CodeKind.SPAN
        )
    return CodeKind.SPAN


def _assemble(
    part: str, tokens: list[_Token], paths: _Paths
) -> tuple[str, list[InlineCode], etree._Element | None]:
    """The paragraph's text and codes; and the run whose formatting is its base."""
    # the base of each container: the formatting most of its text has
    weights: dict[etree._Element | None, Counter[bytes]] = {}
    first_run: dict[tuple[etree._Element | None, bytes], etree._Element] = {}
    for token in tokens:
        if token.kind == "text":
            signature = _signature(token.element)
            weights.setdefault(token.container, Counter())[signature] += len(token.text)
            first_run.setdefault((token.container, signature), token.element)
    base: dict[etree._Element | None, bytes] = {
        container: counter.most_common(1)[0][0] for container, counter in weights.items()
    }
    parts: list[str] = []
    length = 0
    codes: list[tuple[int, InlineCode]] = []  # (depth, code)
    opened: list[tuple[_Token, int]] = []
    group: tuple[bytes, int, etree._Element, etree._Element | None] | None = None

    def close_group() -> None:
        nonlocal group
        if group is not None:
            signature, start, run, container = group
            if signature != base.get(container) and length > start:
                codes.append((len(opened) + 1, InlineCode(start, length, _format_kind(run), (part, paths(run)))))
            group = None

    for token in tokens:
        if token.kind == "text":
            signature = _signature(token.element)
            if group is None or group[0] != signature or group[3] is not token.container:
                close_group()
                group = (signature, length, token.element, token.container)
            parts.append(token.text)
            length += len(token.text)
            continue
        close_group()
        if token.kind == "protected":
            kept = token.extra or (paths(token.element),)
            codes.append((len(opened), InlineCode(length, length + len(token.text), token.code, (part, *kept), protected=True)))
            parts.append(token.text)
            length += len(token.text)
        elif token.kind == "point":
            codes.append((len(opened), InlineCode(length, length, CodeKind.MARKUP, (part, paths(token.element)))))
        elif token.kind == "open":
            opened.append((token, length))
        elif token.kind == "close" and opened:
            start_token, start = opened.pop()
            if start_token.extra:  # a field: (begin, "field", end, instruction...)
                handle: tuple[int | str, ...] = (part, paths(start_token.element), "field", *token.extra, *start_token.extra)
            else:
                inner = base.get(start_token.element)
                run = first_run.get((start_token.element, inner)) if inner is not None else None
                handle = (part, paths(start_token.element), paths(run) if run is not None else "")
            if length > start:
                codes.append((len(opened), InlineCode(start, length, start_token.code, handle)))
            elif start_token.extra:  # a field showing nothing: kept as it is
                kept = (*start_token.extra, *token.extra)
                codes.append((len(opened), InlineCode(start, start, CodeKind.MARKUP, (part, *kept), protected=True)))
    close_group()
    for token, start in opened:  # a field whose end is in a later paragraph: its start is kept
        codes.append((0, InlineCode(start, start, CodeKind.MARKUP, (part, *token.extra), protected=True)))
    codes.sort(key=lambda pair: (pair[1].start, -pair[1].end, pair[0]))
    paragraph_base = base.get(None)
    run = first_run.get((None, paragraph_base)) if paragraph_base is not None else None
    return "".join(parts), [code for _, code in codes], run


# -- writing -------------------------------------------------------------------------------


def write_translation(document: Document, path: Path) -> None:
    """``NAME.en.docx``: the document in English."""
    archive = Archive(document.original, str(document.source_path or document.name), DOCX)
    replaced: dict[str, bytes] = {}
    for part, blocks in by_entry(english_blocks(document)).items():
        tree = archive.xml(part)
        paths = _Paths(tree)
        if part == CORE:
            for block in blocks:
                paths.by_path[str(block.block.handle[0])].text = block.text
            for language in tree.getroot().iter(DC_LANGUAGE):
                if (language.text or "").strip().lower().startswith("fr"):
                    language.text = ENGLISH
        else:
            for block in reversed(blocks):  # a text box's paragraphs before the one holding it
                _put_back(paths.by_path[str(block.block.handle[0])], block, paths)
            _to_english(tree)
        replaced[part] = xml_bytes(tree, archive.read(part))
    main = text_parts(archive)[0]
    for _kind, styles in (r for r in _relations(archive, main) if r[0].endswith("/styles")):
        if styles in archive:
            tree = archive.xml(styles)
            if _to_english(tree):
                replaced[styles] = xml_bytes(tree, archive.read(styles))
    write_archive(archive, path, replaced)


def _to_english(tree: etree._ElementTree) -> bool:
    """French ``w:lang`` marks become English; whether there were any."""
    changed = False
    for language in tree.getroot().iter(f"{W}lang"):
        for name in (f"{W}val", f"{W}eastAsia", f"{W}bidi"):
            if (language.get(name) or "").lower().startswith("fr"):
                language.set(name, ENGLISH)
                changed = True
    return changed


@dataclass
class _Frame:
    container: etree._Element  # where new elements go
    formatting: etree._Element | None  # the run whose properties new runs copy
    end: etree._Element | None = None  # a field's end run, put after its result


def _put_back(paragraph: etree._Element, block: EnglishBlock, paths: _Paths) -> None:
    _path, first, last, base = block.block.handle
    children = list(paragraph)
    holder = etree.Element(f"{W}p")
    stack = [_Frame(holder, paths.by_path.get(str(base)))]
    for kind, item in events(block):
        frame = stack[-1]
        if isinstance(item, str):
            _add_text(frame, item)
            continue
        handle = item.code.handle
        element = paths.by_path.get(str(handle[0])) if handle else None
        if kind == "open":
            stack.append(_open(frame, item, element, paths))
        elif kind == "close":
            closed = stack.pop()
            if closed.end is not None:
                stack[-1].container.append(_detached(closed.end))
        elif item.code.protected and len(handle) > 1:  # a field kept whole, or part of one
            for path in handle:
                found = paths.by_path.get(str(path))
                if found is not None:
                    frame.container.append(_detached(found))
        elif element is not None:
            _add_kept(frame, element)
    for child in children[int(first) : int(last) + 1]:
        paragraph.remove(child)
    for offset, child in enumerate(list(holder)):
        paragraph.insert(int(first) + offset, child)


def _open(frame: _Frame, placed: PlacedCode, element: etree._Element | None, paths: _Paths) -> _Frame:
    handle = placed.code.handle
    if element is None:
        return _Frame(frame.container, frame.formatting)
    name = local_name(element)
    if len(handle) > 2 and handle[1] == "field":  # its instruction, then its result, then its end
        for path in handle[3:]:
            found = paths.by_path.get(str(path))
            if found is not None:
                frame.container.append(_detached(found))
        return _Frame(frame.container, frame.formatting, paths.by_path.get(str(handle[2])))
    if name == "r":  # formatting
        return _Frame(frame.container, element)
    if name == "sdt":
        wrapper = copy.deepcopy(element)
        content = wrapper.find(f"{W}sdtContent")
        if content is None:
            content = etree.SubElement(wrapper, f"{W}sdtContent")
        for child in list(content):
            content.remove(child)
        frame.container.append(wrapper)
        inner = paths.by_path.get(str(handle[1])) if len(handle) > 1 and handle[1] else None
        return _Frame(content, inner if inner is not None else frame.formatting)
    wrapper = etree.SubElement(frame.container, element.tag, dict(element.attrib))  # a hyperlink
    inner = paths.by_path.get(str(handle[1])) if len(handle) > 1 and handle[1] else None
    return _Frame(wrapper, inner if inner is not None else frame.formatting)


def _new_run(frame: _Frame) -> etree._Element:
    run = etree.SubElement(frame.container, f"{W}r")
    if frame.formatting is not None:
        properties = frame.formatting.find(f"{W}rPr")
        if properties is not None:
            run.append(copy.deepcopy(properties))
    return run


def _add_text(frame: _Frame, text: str) -> None:
    run = _new_run(frame)
    element = etree.SubElement(run, f"{W}t")
    element.text = text
    element.set(XML_SPACE, "preserve")


def _add_kept(frame: _Frame, element: etree._Element) -> None:
    """A protected code or a point: the element itself, inside a new run if it lived in one."""
    if local_name(element) in RUN_SPECIALS and local_name(element.getparent()) == "r":
        _new_run(frame).append(copy.deepcopy(element))
    else:
        frame.container.append(_detached(element))


def _detached(element: etree._Element) -> etree._Element:
    kept = copy.deepcopy(element)
    kept.tail = None
    return kept


FILTER = DocumentFilter(read, write_translation)
