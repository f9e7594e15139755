"""Safe loading and validation of exchange files: TMX 1.4 and XLIFF 2.

Exchange files come from other people's tools, so they are parsed defensively: no DTD is
loaded, nothing is fetched from the network, and a document that declares entities of its own
(the vehicle of entity-expansion bombs and of external entities that read local files) is refused
before its elements are parsed. Malformed XML raises :class:`~bilingual.errors.FormatError` naming
the file and line; a well-formed file is then checked against the TMX 1.4 DTD shipped inside this
package (``bilingual/data/tmx14.dtd``), or structurally for XLIFF 2, and each problem is returned
with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

from .errors import FormatError
from .textio import reading

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: The prolog (everything before the root element) is read in pieces this big.
_PROLOG_CHUNK = 16 * 1024

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\b")

XLIFF_STATES = frozenset({"initial", "translated", "reviewed", "final"})


@dataclass(frozen=True, slots=True)
class Problem:
    """One way a file breaks its format; ``line`` is 1-based, None when not tied to a line."""

    line: int | None
    message: str


def _safe_parser_options() -> dict[str, bool]:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def load_xml_safely(path: Path) -> etree._ElementTree:
    """Parse the XML file at ``path`` without expanding or fetching anything.

    Raises :class:`FormatError` (with the line) when the file is not well-formed XML, declares
    entities, or refers to entities it does not declare (which only an external DTD could
    supply). A ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` line alone, as OmegaT writes, is fine: the
    DTD it names is never read.
    """
    path = Path(path)
    try:
        with reading(path, FormatError):
            _refuse_entity_declarations(path)
            tree = etree.parse(str(path), etree.XMLParser(**_safe_parser_options()))
    except etree.XMLSyntaxError as error:
        raise _format_error(path, error) from None
    reference = next(tree.getroot().iter(etree.Entity), None)
    if reference is not None:
        raise FormatError(
            path,
            f"refers to the entity {reference.text} that it does not declare; "
            "entity references are not accepted in exchange files",
            line=reference.sourceline,
        )
    return tree


def _refuse_entity_declarations(path: Path) -> None:
    """Read up to the root element's start tag and refuse any ``<!ENTITY`` declaration.

    Only the prolog is parsed here, so an entity that a bomb's attributes or text would expand is
    refused before any element that uses it is read.
    """
    parser = etree.XMLPullParser(events=("start",), **_safe_parser_options())
    head = bytearray()
    with path.open("rb") as stream:
        while chunk := stream.read(_PROLOG_CHUNK):
            head += chunk
            try:
                parser.feed(chunk)
            except etree.XMLSyntaxError:
                # e.g. libxml2's own expansion guard tripping further on in the same chunk
                if _ENTITY_DECLARATION.search(head):
                    raise _entity_refusal(path, head) from None
                raise
            for _event, root in parser.read_events():
                dtd = root.getroottree().docinfo.internalDTD
                if dtd is not None and next(dtd.iterentities(), None) is not None:
                    raise _entity_refusal(path, head)
                return


def _entity_refusal(path: Path, head: bytes | bytearray) -> FormatError:
    match = _ENTITY_DECLARATION.search(head)
    # a declaration in UTF-16 escapes this byte search: the refusal then names no line
    line = head.count(b"\n", 0, match.start()) + 1 if match else None
    return FormatError(
        path,
        "declares entities in its DOCTYPE: refused, because entities can expand without bound or "
        "read other files; export the file again without a DOCTYPE internal subset",
        line=line,
    )


def _format_error(path: Path, error: etree.XMLSyntaxError) -> FormatError:
    entry = error.error_log.last_error
    message = entry.message if entry is not None else str(error)
    line = entry.line if entry is not None and entry.line else error.lineno
    return FormatError(path, f"not well-formed XML: {message}", line=line or None)


def tmx_dtd() -> etree.DTD:
    """The TMX 1.4 DTD shipped in this package."""
    with resources.files("bilingual").joinpath("data", "tmx14.dtd").open("rb") as stream:
        return etree.DTD(stream)


def validate_tmx(path: Path) -> list[Problem]:
    """The ways the TMX file at ``path`` breaks TMX 1.4; empty when it is valid.

    Raises :class:`FormatError` when the file is not even safe, well-formed XML.
    """
    return tmx_problems(load_xml_safely(path))


def tmx_problems(tree: etree._ElementTree) -> list[Problem]:
    """Check a parsed TMX against the TMX 1.4 DTD and the rules a DTD cannot say."""
    root = tree.getroot()
    if root.tag != "tmx":
        return [
            Problem(root.sourceline, f"root element is <{root.tag}>, not <tmx>: not a TMX file")
        ]
    dtd = tmx_dtd()
    problems = []
    if not dtd.validate(tree):
        problems = [Problem(entry.line or None, entry.message) for entry in dtd.error_log]
    return problems + _srclang_problems(root)


def _srclang_problems(root: etree._Element) -> list[Problem]:
    """Every ``<tu>`` needs a ``<tuv>`` in its source language (the spec's rule, not the DTD's)."""
    header = root.find("header")
    default = header.get("srclang") if header is not None else None
    problems = []
    for tu in root.iterfind("body/tu"):
        srclang = tu.get("srclang", default)
        if not srclang or srclang.lower() == "*all*":
            continue
        languages = {(tuv.get(XML_LANG) or tuv.get("lang") or "").lower() for tuv in tu}
        if srclang.lower() not in languages:
            problems.append(
                Problem(tu.sourceline, f"<tu> has no <tuv> in its source language {srclang!r}")
            )
    return problems


def validate_xliff(path: Path) -> list[Problem]:
    """The ways the XLIFF file at ``path`` breaks the XLIFF 2 core structure; empty when valid.

    Raises :class:`FormatError` when the file is not even safe, well-formed XML.
    """
    return xliff_problems(load_xml_safely(path))


def xliff_problems(tree: etree._ElementTree) -> list[Problem]:
    """Structural checks of XLIFF 2.0/2.1 core: namespace, version, languages, files, units."""
    root = tree.getroot()
    if root.tag != f"{{{XLIFF_NS}}}xliff":
        return [
            Problem(
                root.sourceline,
                f"root element is {root.tag}, not <xliff> in the namespace {XLIFF_NS}: "
                "not an XLIFF 2 file",
            )
        ]
    problems = []
    if root.get("version") not in ("2.0", "2.1"):
        version = root.get("version")
        problems.append(Problem(root.sourceline, f"version is {version!r}, not 2.0 or 2.1"))
    if not root.get("srcLang"):
        problems.append(Problem(root.sourceline, "<xliff> has no srcLang"))
    files = root.findall(_xliff("file"))
    if not files:
        problems.append(Problem(root.sourceline, "<xliff> holds no <file>"))
    has_target = any(True for _ in root.iter(_xliff("target")))
    if has_target and not root.get("trgLang"):
        problems.append(Problem(root.sourceline, "<xliff> has <target>s but no trgLang"))
    problems += _duplicate_id_problems(files, "file")
    for file_element in files:
        units = list(file_element.iter(_xliff("unit")))
        problems += _duplicate_id_problems(units, "unit")
        for unit in units:
            problems += _unit_problems(unit)
    return problems


def _xliff(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


def _duplicate_id_problems(elements: list[etree._Element], kind: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for element in elements:
        identifier = element.get("id")
        if not identifier:
            problems.append(Problem(element.sourceline, f"<{kind}> has no id"))
        elif identifier in seen:
            problems.append(
                Problem(element.sourceline, f"<{kind}> id {identifier!r} is not unique")
            )
        else:
            seen.add(identifier)
    return problems


def _unit_problems(unit: etree._Element) -> list[Problem]:
    segments = unit.findall(_xliff("segment"))
    if not segments and unit.find(_xliff("ignorable")) is None:
        return [Problem(unit.sourceline, f"<unit> {unit.get('id')!r} holds no <segment>")]
    problems = []
    for segment in segments:
        sources = segment.findall(_xliff("source"))
        if len(sources) != 1:
            problems.append(
                Problem(segment.sourceline, f"<segment> holds {len(sources)} <source>, not one")
            )
        if len(segment.findall(_xliff("target"))) > 1:
            problems.append(Problem(segment.sourceline, "<segment> holds more than one <target>"))
        state = segment.get("state")
        if state is not None and state not in XLIFF_STATES:
            problems.append(
                Problem(
                    segment.sourceline,
                    f"<segment> state {state!r} is not one of {', '.join(sorted(XLIFF_STATES))}",
                )
            )
    return problems
