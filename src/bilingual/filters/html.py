"""HTML (``.html``, ``.htm``, ``.xhtml``): read and written back with lxml.

Blocks are the runs of inline content of block elements (a paragraph, a heading, a list item,
a table cell, a caption, the text of a ``<div>`` between its child blocks), plus the document's
``<title>`` and the ``alt`` and ``title`` attributes. Inline elements are codes: ``<b>``,
``<strong>``, ``<i>``, ``<em>``, ``<a>``, ``<span>``... wrap translated text; ``<code>``,
``<kbd>``, form controls, inline SVG, comments are protected (kept as they are); ``<br>`` is a
line break and ``<img>`` a point. ``<script>``, ``<style>``, ``<pre>``, ``<template>``,
``<textarea>``, ``<svg>`` and ``<math>`` are never read.

``NAME.en.html`` is the source document re-serialised by lxml with each run's content rebuilt
from the English and copies of its inline elements (tag and attributes as they were); scripts,
styles, comments, attributes, the doctype and everything outside the runs are kept, ``lang`` is
set to ``en``, and the document is written in the encoding it was read in (its ``<meta
charset>``, a BOM, else UTF-8 when the bytes are UTF-8, else windows-1252, as browsers do).

Broken HTML is read as browsers read it: lxml (libxml2) recovers unclosed and misnested tags
without a word, so a page that opens in a browser is translated as it shows there. Nothing is
fetched or expanded: the parser loads no DTD and no network resource, and HTML has no entity
declarations. A source with no text at all is refused. ``--main-content`` keeps only the
article of a saved web page (readability-lxml), dropping navigation, banners and boilerplate;
the English document is then that article in the page's ``<head>``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html

from .. import textio
from ..document import Block, BlockKind, CodeKind, Document, InlineCode
from ..errors import InputError
from ..textio import atomic_output
from . import DocumentFilter, ReadOptions
from .rebuild import EnglishBlock, english_blocks, events

#: Elements whose content is never prose to translate.
SKIPPED = frozenset(
    {"script", "style", "pre", "template", "textarea", "svg", "math", "noscript", "iframe",
     "object", "canvas", "head", "select"}
)
#: Elements that start a block of their own (their inline content is one or more blocks).
BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
     "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
     "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol",
     "p", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
     "center", "menu", "option", "optgroup"}
    | SKIPPED
)
INLINE_KINDS: dict[str, CodeKind] = {
    "b": CodeKind.BOLD, "strong": CodeKind.BOLD, "i": CodeKind.ITALIC, "em": CodeKind.ITALIC,
    "cite": CodeKind.ITALIC, "dfn": CodeKind.ITALIC, "u": CodeKind.UNDERLINE,
    "s": CodeKind.STRIKE, "strike": CodeKind.STRIKE, "del": CodeKind.STRIKE,
    "sup": CodeKind.SUPERSCRIPT, "sub": CodeKind.SUBSCRIPT, "a": CodeKind.LINK,
}
#: Inline elements kept as they are, content included.
PROTECTED = frozenset(
    {"code", "kbd", "samp", "var", "tt", "input", "button", "object", "embed", "video", "audio",
     "svg", "math", "script", "style", "iframe", "textarea", "select", "canvas", "noscript"}
)
TRANSLATED_ATTRIBUTES = ("alt", "title")
_SPACES = re.compile(r"\s+")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)


def read(source: Path | bytes, options: ReadOptions) -> Document:
    where = "<bytes>" if isinstance(source, bytes) else str(source)
    data = source if isinstance(source, bytes) else _read_bytes(source)
    encoding = sniff_encoding(data)
    tree = parse(data, encoding, where)
    if options.main_content:
        tree, data = _main_content(tree, encoding, where)
    builder = _Builder(tree)
    builder.walk(tree.getroot())
    if not "".join(builder.parts).strip():
        raise InputError(where, "holds no text to translate")
    title = builder.title or next(
        (builder.text_of(b) for b in builder.blocks if b.kind is BlockKind.HEADING), None
    )
    return Document(
        "document" if isinstance(source, bytes) else source.stem,
        "".join(builder.parts),
        format="html",
        title=title,
        blocks=builder.blocks,
        codes=builder.codes,
        original=data,
        metadata={"encoding": encoding},
    )


def _read_bytes(path: Path) -> bytes:
    with textio.reading(path):
        size = path.stat().st_size
    if size > textio.MAX_SOURCE_BYTES:
        raise InputError(
            path,
            f"{size / 1e6:.0f} MB is larger than the {textio.MAX_SOURCE_BYTES // 2**20} MiB "
            "limit of one build; split the page",
        )
    return textio.read_bytes(path)


def sniff_encoding(data: bytes) -> str:
    """The encoding of an HTML page: BOM, then ``<meta charset>``, then UTF-8 if the bytes are,
    else windows-1252 (what browsers assume).

    >>> sniff_encoding(b'<meta charset="ISO-8859-1"><p>\\xe9t\\xe9'), sniff_encoding("<p>été".encode())
    ('iso-8859-1', 'utf-8')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    found = _CHARSET.search(data[:4096])
    if found:
        name = found.group(1).decode("ascii", "replace").lower()
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "windows-1252"


def parse(data: bytes, encoding: str, where: str) -> etree._ElementTree:
    parser = html.HTMLParser(
        encoding=encoding, no_network=True, remove_comments=False, remove_pis=False
    )
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as problem:
        raise InputError(where, f"cannot be read as HTML: {problem}") from None
    for entry in parser.error_log:
        # libxml2 stops at 256 levels of nesting rather than read on without bound
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            raise InputError(
                where,
                "is nested deeper than a page can be read (more than 256 elements inside one "
                "another); this is no ordinary page",
                line=entry.line,
            )
    return root.getroottree()


def _main_content(
    tree: etree._ElementTree, encoding: str, where: str
) -> tuple[etree._ElementTree, bytes]:
    """The page reduced to its article, in its own ``<head>``; and that page as bytes."""
    from readability import Document as Readable

    root = tree.getroot()
    article = Readable(copy.deepcopy(root)).summary(html_partial=True)
    body = root.find("body")
    if body is None:
        raise InputError(where, "has no <body> to find the article in")
    for child in list(body):
        body.remove(child)
    body.text = "\n"
    fragment = html.fragment_fromstring(article, create_parent="div")
    for child in list(fragment):
        body.append(child)
    data = serialize(tree, encoding)
    return parse(data, encoding, where), data


def serialize(tree: etree._ElementTree, encoding: str) -> bytes:
    return bytes(html.tostring(tree, encoding=encoding, method="html", doctype=tree.docinfo.doctype))


@dataclass
class _Builder:
    tree: etree._ElementTree
    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    codes: list[InlineCode] = field(default_factory=list)
    title: str | None = None

    def text_of(self, block: Block) -> str:
        return "".join(self.parts)[block.start : block.end]

    def walk(self, element: etree._Element) -> None:
        tag = _tag(element)
        if tag == "head":
            title = element.find("title")
            if title is not None and (title.text or "").strip():
                self.title = _SPACES.sub(" ", title.text or "").strip()
                self.block(self.title, [], BlockKind.TITLE, 0, (self.path(title), "text"))
            return
        if tag in SKIPPED:
            return
        self.attributes(element)
        children = list(element)
        start = 0
        for index, child in enumerate(children):
            if _tag(child) in BLOCK_TAGS:
                self.run(element, start, index)
                self.walk(child)
                start = index + 1
        self.run(element, start, len(children))

    def path(self, element: etree._Element) -> str:
        return str(self.tree.getpath(element))

    def block(
        self,
        text: str,
        codes: list[InlineCode],
        kind: BlockKind,
        level: int,
        handle: tuple[int | str, ...],
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

    def run(self, container: etree._Element, start: int, end: int) -> None:
        children = list(container)
        leading = container.text if start == 0 else children[start - 1].tail
        collected = _Collected()
        collected.add_text(leading or "")
        for child in children[start:end]:
            collected.add_element(child, self.path)
            collected.add_text(child.tail or "")
        text, codes = collected.finish()
        if _has_prose(text, codes):
            kind, level = _kind(container)
            self.block(text, codes, kind, level, (self.path(container), start, end))
        for child in children[start:end]:
            for inner in child.iter():
                if isinstance(inner.tag, str):
                    self.attributes(inner)

    def attributes(self, element: etree._Element) -> None:
        for name in TRANSLATED_ATTRIBUTES:
            value = element.get(name)
            if value and value.strip() and _tag(element) not in SKIPPED:
                text = _SPACES.sub(" ", value).strip()
                self.block(text, [], BlockKind.ATTRIBUTE, 0, (self.path(element), "@" + name))


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _kind(container: etree._Element) -> tuple[BlockKind, int]:
    tag = _tag(container)
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return BlockKind.HEADING, int(tag[1])
    if tag in ("td", "th"):
        return BlockKind.TABLE_CELL, 1 if tag == "th" else 0
    if tag in ("caption", "figcaption"):
        return BlockKind.CAPTION, 0
    ancestors = [_tag(element) for element in container.iterancestors()]
    if tag == "li":
        return BlockKind.LIST_ITEM, max(1, sum(1 for name in ancestors if name in ("ul", "ol")))
    if tag == "blockquote" or "blockquote" in ancestors:
        return BlockKind.QUOTE, (tag == "blockquote") + ancestors.count("blockquote")
    return BlockKind.PARAGRAPH, 0


def _has_prose(text: str, codes: list[InlineCode]) -> bool:
    """Whether some of ``text`` is outside protected codes (there is something to translate)."""
    covered = [False] * len(text)
    for code in codes:
        if code.protected:
            covered[code.start : code.end] = [True] * (code.end - code.start)
    return any(not hidden and not char.isspace() for char, hidden in zip(text, covered))


class _Collected:
    """The plain text and codes of one run, whitespace collapsed as a browser shows it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.codes: list[InlineCode] = []
        self.space = True  # the text so far ends with a space (or is empty)

    def add_text(self, text: str) -> None:
        collapsed = _SPACES.sub(" ", text)
        if self.space:
            collapsed = collapsed.lstrip(" ")
        if collapsed:
            self.parts.append(collapsed)
            self.length += len(collapsed)
            self.space = collapsed.endswith(" ")

    def add_element(self, element: etree._Element, path_of: Callable[[etree._Element], str]) -> None:
        tag = _tag(element)
        handle: tuple[int | str, ...] = (str(path_of(element)),)
        start = self.length
        if not tag or tag in PROTECTED:  # a comment, inline code, a control: kept as it is
            shown = _SPACES.sub(" ", element.text_content()) if tag else ""
            self.add_text(shown)
            kind = CodeKind.CODE if tag in ("code", "kbd", "samp", "var", "tt") else CodeKind.MARKUP
            self.codes.append(InlineCode(start, self.length, kind, handle, protected=True))
            return
        if tag == "br":
            while self.parts and self.parts[-1].endswith(" "):
                self.parts[-1] = self.parts[-1][:-1]
                self.length -= 1
            start = self.length
            self.parts.append("\n")
            self.length += 1
            self.space = True
            self.codes.append(InlineCode(start, self.length, CodeKind.BREAK, handle, protected=True))
            return
        if tag in ("img", "wbr", "hr", "area", "source", "track"):
            self.codes.append(InlineCode(start, start, CodeKind.IMAGE if tag == "img" else CodeKind.MARKUP, handle))
            return
        self.add_text(element.text or "")
        for child in element:
            self.add_element(child, path_of)
            self.add_text(child.tail or "")
        kind = INLINE_KINDS.get(tag, CodeKind.SPAN)
        self.codes.append(InlineCode(start, self.length, kind, handle))

    def finish(self) -> tuple[str, list[InlineCode]]:
        text = "".join(self.parts)
        stripped = text.rstrip(" ")
        codes = [
            InlineCode(c.start, min(c.end, len(stripped)), c.kind, c.handle, c.protected)
            if c.end > len(stripped) and not c.protected
            else c
            for c in self.codes
        ]
        codes.sort(key=lambda code: (code.start, -code.end))
        return stripped, codes


# -- writing -------------------------------------------------------------------------------


def write_translation(document: Document, path: Path) -> None:
    """``NAME.en.html``: the source page with its text, ``alt`` and ``title`` in English."""
    encoding = document.metadata.get("encoding", "utf-8")
    tree = parse(document.original, encoding, document.name)
    blocks = english_blocks(document)
    # every handle is found before anything moves; attributes first, so that the copies of
    # inline elements the runs are rebuilt with carry their English alt and title
    elements: dict[str, etree._Element] = {}
    for block in blocks:
        for handle in (block.block.handle, *(placed.code.handle for placed in block.codes)):
            path_ = str(handle[0])
            if path_ not in elements:
                found = tree.xpath(path_)
                if found:
                    elements[path_] = found[0]
    runs = []
    for block in blocks:
        element = elements.get(str(block.block.handle[0]))
        if element is None:
            continue
        where = block.block.handle[1]
        if where == "text":
            element.text = block.text
        elif isinstance(where, str) and where.startswith("@"):
            element.set(where[1:], block.text)
        else:
            runs.append((element, block))
    for element, block in runs:
        _put_back(element, block, elements)
    root = tree.getroot()
    root.set("lang", "en")
    if root.get(_XML_LANG) is not None:
        root.set(_XML_LANG, "en")
    data = serialize(tree, encoding)
    # lxml ends the page at </html>: the source's last line break comes back too
    ending = document.original[len(document.original.rstrip()) :]
    with atomic_output(path) as stream:
        stream.write(data.rstrip() + ending)


def _put_back(
    element: etree._Element, block: EnglishBlock, elements: dict[str, etree._Element]
) -> None:
    start, end = int(block.block.handle[1]), int(block.block.handle[2])
    children = list(element)
    leading = (element.text if start == 0 else children[start - 1].tail) or ""
    trailing = (children[end - 1].tail if end > start else leading) or ""
    before = leading[: len(leading) - len(leading.lstrip())]
    after = trailing[len(trailing.rstrip()) :]
    wrapper = _rebuild(block, elements)
    text = before + (wrapper.text or "")
    new = list(wrapper)
    if new:
        new[-1].tail = (new[-1].tail or "") + after
    else:
        text += after
    if start == 0:
        element.text = text
    else:
        children[start - 1].tail = text
    for child in children[start:end]:
        element.remove(child)
    for offset, child in enumerate(new):
        element.insert(start + offset, child)


def _rebuild(block: EnglishBlock, elements: dict[str, etree._Element]) -> etree._Element:
    """The run's new content, inside a throwaway ``<div>``."""
    wrapper = etree.Element("div")
    stack = [wrapper]

    def add_text(text: str) -> None:
        parent = stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    for kind, item in events(block):
        if isinstance(item, str):
            add_text(item.replace("\n", " "))
            continue
        original = elements.get(str(item.code.handle[0]))
        if kind == "open":
            element = etree.SubElement(stack[-1], original.tag if original is not None else "span")
            if original is not None:
                element.attrib.update(dict(original.attrib))
            stack.append(element)
        elif kind == "close":
            stack.pop()
        elif original is not None:
            copied = copy.deepcopy(original)
            copied.tail = None
            stack[-1].append(copied)
    return wrapper


FILTER = DocumentFilter(read, write_translation)
