"""TMX 1.4: read, write and validate.

Files we write validate against the TMX 1.4 DTD shipped in this package
(``bilingual/data/tmx14.dtd``) and are read by OmegaT (placed in a project's ``tm/auto/`` they fill
its segments) and by translate-toolkit. Units are written one ``<tu>`` at a time through lxml's
incremental writer and read one at a time through :func:`~bilingual.exchange.xml.iter_elements_safely`,
so a memory of any size streams in constant memory.

Where a translation came from is the ``x-origin`` prop (``human``, ``machine`` or ``memory``);
not OmegaT's own ``<prop type="file">``: OmegaT takes a unit carrying it for a context-bound
alternative translation and then never applies it from ``tm/auto/`` (tested with OmegaT 3.6).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO

from lxml import etree

from ..document import Origin
from ..errors import FormatError
from ..textio import atomic_output
from . import UnitCodec, Validation
from .units import (
    LANGUAGE_NAMES,
    SOURCE_LANG,
    TARGET_LANG,
    FileHeader,
    Note,
    Problem,
    TranslationUnit,
    compact_date,
    parse_date,
    unit_id,
)
from .xml import (
    CHAR_CODE_TYPE,
    TMX_TAGS,
    XML_LANG,
    append_text,
    children,
    inline_text,
    iter_elements_safely,
    load_xml_safely,
    primary_language,
    xml_text,
)

ORIGIN_PROP = "x-origin"
ENGINE_PROP = "x-engine"
DOCUMENT_PROP = "x-document"
_KNOWN_PROPS = frozenset({ORIGIN_PROP, ENGINE_PROP, DOCUMENT_PROP})


# -- writing -----------------------------------------------------------------------------------


def write_units(path: Path, units: Iterable[TranslationUnit], header: FileHeader) -> int:
    """Write ``units`` as a TMX 1.4 file at ``path``, atomically; return how many."""
    with atomic_output(path) as stream:
        return stream_units(stream, units, header)


def stream_units(stream: IO[bytes], units: Iterable[TranslationUnit], header: FileHeader) -> int:
    """Stream ``units`` as TMX 1.4 into an open binary ``stream``; return how many."""
    return stream_tu_elements(stream, (tu_element(unit) for unit in units), header)


def stream_tu_elements(
    stream: IO[bytes], elements: Iterable[etree._Element], header: FileHeader
) -> int:
    """Stream ready ``<tu>`` elements (see :func:`tu_element`) into a TMX file."""
    count = 0
    with etree.xmlfile(stream, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("tmx", version="1.4"):
            xml.write("\n")
            xml.write(_header_element(header), pretty_print=True)
            with xml.element("body"):
                xml.write("\n")
                for element in elements:
                    xml.write(element, pretty_print=True)
                    count += 1
            xml.write("\n")
    # lxml writes nothing after the root element; end the file like any text file
    stream.write(b"\n")
    return count


def _header_element(header: FileHeader) -> etree._Element:
    element = etree.Element(
        "header",
        {
            "creationtool": "bilingual",
            "creationtoolversion": header.tool_version,
            "segtype": "sentence",
            "o-tmf": "bilingual",
            "adminlang": "en",
            "srclang": SOURCE_LANG,
            "datatype": "plaintext",
            "creationdate": compact_date(header.created),
        },
    )
    props = list(header.props)
    if header.document is not None:
        props.insert(0, (DOCUMENT_PROP, header.document))
    for prop_type, value in props:
        etree.SubElement(element, "prop", type=prop_type).text = xml_text(value)
    return element


def tu_element(unit: TranslationUnit) -> etree._Element:
    """The ``<tu>`` of one unit: notes and props first (the DTD requires it), then the tuvs."""
    tu = etree.Element("tu")
    tuid = unit.tuid or (unit_id(unit.document, unit.source) if unit.document is not None else None)
    if tuid is not None:
        tu.set("tuid", tuid)
    if unit.created is not None:
        tu.set("creationdate", compact_date(unit.created))
    if unit.changed is not None:
        tu.set("changedate", compact_date(unit.changed))
    for note in unit.notes:
        text = f"{note.category}: {note.text}" if note.category else note.text
        etree.SubElement(tu, "note").text = xml_text(text)
    props: list[tuple[str, str]] = [(ORIGIN_PROP, (unit.origin or Origin.HUMAN).value)]
    if unit.document is not None:
        props.append((DOCUMENT_PROP, unit.document))
    if unit.engine is not None:
        props.append((ENGINE_PROP, unit.engine))
    for prop_type, value in (*props, *unit.props):
        etree.SubElement(tu, "prop", type=prop_type).text = xml_text(value)
    for lang, text in ((SOURCE_LANG, unit.source), (TARGET_LANG, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        append_text(etree.SubElement(tuv, "seg"), text, _character_code, TMX_TAGS)
    return tu


def _character_code(parent: etree._Element, code: str) -> etree._Element:
    return etree.SubElement(parent, "ph", type=CHAR_CODE_TYPE + code)


# -- reading -----------------------------------------------------------------------------------


def read_units(path: Path) -> Iterator[TranslationUnit]:
    """The French→English units of a TMX file, streamed.

    A ``<tu>`` without a French or an English variant raises :class:`FormatError` with its line,
    as does a file that is not TMX.
    """
    path = Path(path)
    seen_root = False
    for tu in iter_elements_safely(path, "tu"):
        if not seen_root:
            root = tu.getroottree().getroot()
            if root.tag != "tmx":
                raise FormatError(
                    path, f"root element is <{root.tag}>, not <tmx>", line=root.sourceline
                )
            seen_root = True
        yield _read_tu(path, tu)
    if not seen_root:  # no unit at all: say what is wrong with the file, if anything
        root = load_xml_safely(path).getroot()
        if root.tag != "tmx":
            raise FormatError(
                path, f"root element is <{root.tag}>, not <tmx>", line=root.sourceline
            )
        if root.find("body") is None:
            raise FormatError(path, "<tmx> has no <body>", line=root.sourceline)


def _read_tu(path: Path, tu: etree._Element) -> TranslationUnit:
    props = [(prop.get("type") or "", prop.text or "") for prop in children(tu, "prop")]
    texts: dict[str, tuple[str, etree._Element]] = {}
    for variant in children(tu, "tuv"):
        language = primary_language(variant.get(XML_LANG) or variant.get("lang"))
        if not language:
            raise FormatError(path, "<tuv> without xml:lang", line=variant.sourceline)
        segments = children(variant, "seg")
        if not segments:
            raise FormatError(path, "<tuv> without <seg>", line=variant.sourceline)
        texts.setdefault(language, (inline_text(segments[0]), variant))
    for language in (SOURCE_LANG, TARGET_LANG):
        if language not in texts:
            raise FormatError(
                path,
                f"<tu> has no {LANGUAGE_NAMES[language]} ({language}) variant; languages found: "
                f"{', '.join(sorted(texts)) or 'none'}",
                line=tu.sourceline,
            )
    target, target_variant = texts[TARGET_LANG]
    origin_text = next((value for name, value in props if name == ORIGIN_PROP), None)
    origin = None
    if origin_text in {member.value for member in Origin}:
        origin = Origin(origin_text)
    return TranslationUnit(
        source=texts[SOURCE_LANG][0],
        target=target,
        origin=origin,
        engine=next((value for name, value in props if name == ENGINE_PROP), None),
        document=next((value for name, value in props if name == DOCUMENT_PROP), None),
        created=parse_date(target_variant.get("creationdate") or tu.get("creationdate")),
        changed=parse_date(target_variant.get("changedate") or tu.get("changedate")),
        notes=tuple(Note(note.text or "") for note in children(tu, "note")),
        props=tuple((name, value) for name, value in props if name not in _KNOWN_PROPS),
        tuid=tu.get("tuid"),
        line=tu.sourceline,
    )


# -- validating --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def dtd() -> etree.DTD:
    """The TMX 1.4 DTD shipped in this package."""
    with resources.files("bilingual").joinpath("data", "tmx14.dtd").open("rb") as stream:
        return etree.DTD(stream)


def validate(path: Path) -> Validation:
    """The ways the TMX file at ``path`` breaks TMX 1.4 (none when it is valid).

    Raises :class:`FormatError` when the file is not even safe, well-formed XML.
    """
    tree = load_xml_safely(path)
    return Validation("TMX 1.4", problems(tree), sum(1 for _ in tree.getroot().iterfind("body/tu")))


def problems(tree: etree._ElementTree) -> list[Problem]:
    """Check a parsed TMX against the TMX 1.4 DTD and the rules a DTD cannot say."""
    root = tree.getroot()
    if root.tag != "tmx":
        return [
            Problem(root.sourceline, f"root element is <{root.tag}>, not <tmx>: not a TMX file")
        ]
    checker = dtd()
    found = []
    if not checker.validate(tree):
        found = [Problem(entry.line or None, entry.message) for entry in checker.error_log]
    return found + _srclang_problems(root)


def _srclang_problems(root: etree._Element) -> list[Problem]:
    """Every ``<tu>`` needs a ``<tuv>`` in its source language (the spec's rule, not the DTD's)."""
    header = root.find("header")
    default = header.get("srclang") if header is not None else None
    found = []
    for tu in root.iterfind("body/tu"):
        srclang = tu.get("srclang", default)
        if not srclang or srclang.lower() == "*all*":
            continue
        languages = {(tuv.get(XML_LANG) or tuv.get("lang") or "").lower() for tuv in tu}
        if srclang.lower() not in languages:
            found.append(
                Problem(tu.sourceline, f"<tu> has no <tuv> in its source language {srclang!r}")
            )
    return found


CODEC = UnitCodec(read_units, write_units, validate)
