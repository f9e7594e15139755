"""The one way exchange files are read as XML, and how text travels through XML safely.

Exchange files come from other people's tools, so every reader parses them through
:func:`load_xml_safely` or :func:`iter_elements_safely`: no DTD is loaded, nothing is fetched
from the network, a document that declares entities of its own (the vehicle of entity-expansion
bombs and of external entities that read local files) is refused before its elements are parsed,
a reference to an undeclared entity is refused, and files larger than :data:`MAX_XML_BYTES` are
refused unread. Malformed XML raises :class:`~bilingual.errors.FormatError` naming the file and
line.

Text nodes may be large (``huge_tree``): a single segment of several megabytes is legitimate, and
what ``huge_tree`` guards against — entity expansion — is refused up front.

Characters XML 1.0 cannot carry at all (C0 controls such as ESC or BEL, lone surrogates,
U+FFFE/U+FFFF) are written as inline code elements by :func:`append_text` and read back by
:func:`inline_text`, so they survive a round trip through our own files.

A unit with inline markup is a coded text (see :mod:`bilingual.inline`): its tags are written as
the format's own inline codes — TMX ``<bpt i x/>``/``<ept i/>`` and ``<ph x/>``, XLIFF 1.2
``<g id>…</g>`` and ``<x id/>``, XLIFF 2 ``<pc id>…</pc>`` and ``<ph id/>`` — which CAT tools
show as tags to keep, and read back into the same tags, numbered by their ``x``/``id``. Our
codes say they are ours (TMX ``type="x-bilingual"``, XLIFF 1.2 ``ctype="x-bilingual"``, XLIFF 2
``subType="bilingual:code"``): other tools' formatting codes are still left out of the text, so
their units keep matching plain texts. Plain units contain no tag and are written and read
exactly as before.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import FormatError, InputError
from ..inline import CODED_TOKEN, escape, is_coded
from ..textio import reading

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_SPACE = f"{{{XML_NS}}}space"

#: Exchange files larger than this are refused unread: a translation memory of a million
#: segments is far smaller.
MAX_XML_BYTES = 2 * 1024**3

#: The prolog (everything before the root element) is read in pieces this big.
_PROLOG_CHUNK = 16 * 1024
#: ``<!ENTITY`` in UTF-8 (or any ASCII-compatible encoding) and in UTF-16 of either byte order.
_ENTITY_DECLARATION = re.compile(
    rb"<!ENTITY\b|<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y\x00|\x00<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y"
)

#: Characters XML 1.0 cannot carry at all, not even as character references.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

#: Inline elements whose content is native markup (formatting codes), not text.
NATIVE_CODES = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})
#: ``type``/``ctype`` of the empty inline code that stands for one character XML cannot hold,
#: followed by its code point in hexadecimal (``x-bilingual-char-001B``); XLIFF 2 has its own
#: ``<cp hex=".."/>``. Other tools show such a code as a tag, never as text.
CHAR_CODE_TYPE = "x-bilingual-char-"


def safe_parser(**options: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, **options
    )


def load_xml_safely(path: Path, error: type[InputError] = FormatError) -> etree._ElementTree:
    """Parse the XML file at ``path`` without expanding or fetching anything.

    Raises ``error`` (with the line) when the file is too large, not well-formed XML,
    declares entities, or refers to entities it does not declare (which only an external DTD
    could supply). A ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` line alone, as OmegaT writes, is
    fine: the DTD it names is never read.
    """
    path = Path(path)
    try:
        with reading(path, error):
            _check_size(path, error)
            _refuse_entity_declarations(path, error)
            tree = etree.parse(str(path), safe_parser())
    except etree.XMLSyntaxError as problem:
        raise _syntax_error(path, problem, error) from None
    reference = next(tree.getroot().iter(etree.Entity), None)
    if reference is not None:
        raise _undeclared_entity(path, reference, error)
    return tree


def iter_elements_safely(
    path: Path, tag: str, error: type[InputError] = FormatError
) -> Iterator[etree._Element]:
    """Stream the elements called ``tag`` (local name, any namespace) of a large file.

    Each element is yielded complete and cleared afterwards, so memory stays flat however many
    there are; the same refusals as :func:`load_xml_safely` apply.
    """
    path = Path(path)
    try:
        with reading(path, error):
            _check_size(path, error)
            _refuse_entity_declarations(path, error)
            events = etree.iterparse(
                str(path),
                events=("end",),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=True,
            )
            for _event, element in events:
                if local_name(element) != tag:
                    continue
                reference = next(element.iter(etree.Entity), None)
                if reference is not None:
                    raise _undeclared_entity(path, reference, error)
                yield element
                element.clear(keep_tail=True)
                # the cleared elements stay attached to their parent: drop those already read
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as problem:
        raise _syntax_error(path, problem, error) from None


def _check_size(path: Path, error: type[InputError]) -> None:
    size = path.stat().st_size
    if size > MAX_XML_BYTES:
        raise error(path, _too_large(size))


def _too_large(size: int) -> str:
    return (
        f"{size / 1e9:.1f} GB is larger than the {MAX_XML_BYTES // 1024**3} GiB limit for "
        "exchange files; split it"
    )


def _refuse_entity_declarations(path: Path, error: type[InputError]) -> None:
    """Read up to the root element's start tag and refuse any ``<!ENTITY`` declaration.

    Only the prolog is parsed here, so an entity that a bomb's attributes or text would expand is
    refused before any element that uses it is read.
    """
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    head = bytearray()
    with path.open("rb") as stream:
        while chunk := stream.read(_PROLOG_CHUNK):
            head += chunk
            try:
                parser.feed(chunk)
            except etree.XMLSyntaxError:
                # e.g. libxml2's own expansion guard tripping further on in the same chunk
                if _ENTITY_DECLARATION.search(head):
                    raise _entity_refusal(path, head, error) from None
                raise
            for _event, root in parser.read_events():
                dtd = root.getroottree().docinfo.internalDTD
                if dtd is not None and next(dtd.iterentities(), None) is not None:
                    raise _entity_refusal(path, head, error)
                return


def _entity_refusal(path: Path, head: bytes | bytearray, error: type[InputError]) -> InputError:
    match = _ENTITY_DECLARATION.search(head)
    # a UTF-16 line count would need decoding: the refusal then names no line
    utf8 = match is not None and match.group().startswith(b"<!")
    line = head.count(b"\n", 0, match.start()) + 1 if match is not None and utf8 else None
    return error(
        path,
        "declares entities in its DOCTYPE: refused, because entities can expand without bound or "
        "read other files; export the file again without a DOCTYPE internal subset",
        line=line,
    )


def _undeclared_entity(
    path: Path, reference: etree._Element, error: type[InputError]
) -> InputError:
    return error(
        path,
        f"refers to the entity {reference.text} that it does not declare; "
        "entity references are not accepted in exchange files",
        line=reference.sourceline,
    )


def _syntax_error(path: Path, problem: etree.XMLSyntaxError, error: type[InputError]) -> InputError:
    entry = problem.error_log.last_error
    message = entry.message if entry is not None else str(problem)
    line = entry.line if entry is not None and entry.line else problem.lineno
    return error(path, f"not well-formed XML: {message}", line=line or None)


# -- names ---------------------------------------------------------------------------------


def local_name(element: etree._Element) -> str:
    """The tag without its namespace; ``""`` for comments and processing instructions."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) in names]


def primary_language(tag: str | None) -> str:
    """
    >>> primary_language("FR-ca"), primary_language("en_GB"), primary_language(None)
    ('fr', 'en', '')
    """
    return (tag or "").replace("_", "-").split("-")[0].lower()


# -- text in and out -------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids, for attributes and notes.

    >>> xml_text("a\\x01b\\x0b\\tc\\ufffe😀")
    'ab\\tc😀'
    """
    return NOT_XML.sub("", text)


CodeMaker = Callable[[etree._Element, str], etree._Element]


@dataclass(frozen=True, slots=True)
class InlineTags:
    """How one format writes the tags of a coded text (element names in ``namespace``)."""

    opening: str  # TMX "bpt"; XLIFF "g"/"pc", which then hold the text up to the closing tag
    closing: str | None  # TMX "ept"; None where the opening element holds the text
    point: str  # TMX and XLIFF 2 "ph", XLIFF 1.2 "x"
    number: str  # the attribute carrying the tag's number: TMX "x", XLIFF "id"
    marker: tuple[tuple[str, str], ...]  # attributes saying the code is one of ours
    namespace: str = ""


#: ``type``/``ctype`` of our codes (TMX, XLIFF 1.2); XLIFF 2 says it with ``subType``.
OUR_CODE_TYPE = "x-bilingual"
OUR_SUBTYPE = "bilingual:code"
TMX_TAGS = InlineTags("bpt", "ept", "ph", "x", (("type", OUR_CODE_TYPE),))


def append_text(
    parent: etree._Element, text: str, make_code: CodeMaker, tags: InlineTags | None = None
) -> None:
    """Append ``text`` to ``parent``; each character XML cannot carry becomes the empty element
    ``make_code(parent, hex_code_point)`` returns (the format's inline code). With ``tags``, the
    tags of a coded text become the format's inline codes."""
    if tags is None or not is_coded(text):
        _append_characters(parent, text, make_code)
        return
    name = (lambda tag: f"{{{tags.namespace}}}{tag}") if tags.namespace else (lambda tag: tag)
    stack = [parent]
    position = 0
    for match in CODED_TOKEN.finditer(text):
        _append_characters(stack[-1], text[position : match.start()], make_code)
        position = match.end()
        opened, closed, empty = match.group(1), match.group(2), match.group(3)
        marker = dict(tags.marker)
        if opened is not None:
            if tags.closing is None:
                stack.append(
                    etree.SubElement(
                        stack[-1], name(tags.opening), {tags.number: opened, **marker}
                    )
                )
            else:
                etree.SubElement(
                    stack[-1], name(tags.opening), {"i": opened, tags.number: opened, **marker}
                )
        elif closed is not None:
            if tags.closing is None:
                if len(stack) > 1:
                    stack.pop()
            else:
                etree.SubElement(stack[-1], name(tags.closing), {"i": closed})
        elif empty is not None:
            etree.SubElement(stack[-1], name(tags.point), {tags.number: empty, **marker})
        else:  # an escaped character
            _append_characters(stack[-1], "<" if match.group() == "&lt;" else "&", make_code)
    _append_characters(stack[-1], text[position:], make_code)


def _append_characters(parent: etree._Element, text: str, make_code: CodeMaker) -> None:
    position = 0
    for match in NOT_XML.finditer(text):
        _append_plain(parent, text[position : match.start()])
        make_code(parent, f"{ord(match.group()):04X}")
        position = match.end()
    _append_plain(parent, text[position:])


def _append_plain(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


#: Inline codes that stand for a tag of a coded text when they carry a number.
_TAG_CODES = frozenset({"bpt", "ept", "ph", "x", "g", "pc"})


def inline_text(element: etree._Element) -> str:
    """The text of a TMX ``<seg>`` or XLIFF ``<source>``/``<target>``: the characters
    :func:`append_text` encoded put back, formatting codes of other tools left out, and our own
    inline codes (numbered ones) as the tags of a coded text."""
    coded = any(_tag_number(child) is not None for child in element.iterdescendants())
    return _inline_text(element, coded, {})


def _tag_number(element: etree._Element) -> str | None:
    """The number of one of our codes; None for anything else (another tool's codes)."""
    if local_name(element) not in _TAG_CODES:
        return None
    ours = OUR_CODE_TYPE in (element.get("type"), element.get("ctype"))
    if not ours and element.get("subType") != OUR_SUBTYPE:
        return None
    number = element.get("x") or element.get("id") or element.get("i") or ""
    return number if number.isdigit() else None


def _inline_text(element: etree._Element, coded: bool, opened: dict[str, str]) -> str:
    def text(value: str | None) -> str:
        return escape(value or "") if coded else value or ""

    parts = [text(element.text)]
    for child in element:
        name = local_name(child)
        code = child.get("type") or child.get("ctype") or ""
        number = _tag_number(child) if coded else None
        if code.startswith(CHAR_CODE_TYPE):
            parts.append(text(_character(code.removeprefix(CHAR_CODE_TYPE))))
        elif name == "cp":  # XLIFF 2
            parts.append(text(_character(child.get("hex"))))
        elif number is not None and name in ("g", "pc"):
            parts.append(f"<g{number}>{_inline_text(child, coded, opened)}</g{number}>")
        elif number is not None and name == "bpt":
            opened[child.get("i") or number] = number
            parts.append(f"<g{number}>")
        elif name == "ept" and coded:
            begun = opened.get(child.get("i") or "")
            parts.append(f"</g{begun}>" if begun else "")
        elif number is not None:
            parts.append(f"<x{number}/>")
        elif name and name not in NATIVE_CODES:
            parts.append(_inline_text(child, coded, opened))
        parts.append(text(child.tail))
    return "".join(parts)


def _character(code: str | None) -> str:
    with contextlib.suppress(TypeError, ValueError, OverflowError):
        return chr(int((code or "").strip(), 16))
    return ""
