"""TMX 1.4 export: one file per text, one memory for all texts, and a streaming unit writer.

The files validate against the TMX 1.4 DTD (``bilingual/data/tmx14.dtd``) and are read by OmegaT
(placed in a project's ``tm/auto/`` they fill its segments) and by translate-toolkit. Units are
written one ``<tu>`` at a time through lxml's incremental writer, so a memory of any size is
written in constant memory, and atomically: a failed export leaves the previous file in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from lxml import etree

from .. import __version__
from ..document import Document, EngineInfo, GlossaryInfo, Origin, Unit, text_digest, utc_now
from ..errors import FormatError
from ..textio import atomic_output

#: Language codes of the two ``<tuv>``s. OmegaT 3.6 matches them to a project's languages with or
#: without a region (fr/en, FR-FR/EN-US and FR-CA/EN-GB projects all fill the same segments), so
#: bare codes claim no region the text was not written for.
SOURCE_LANG = "fr"
TARGET_LANG = "en"

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Characters XML 1.0 cannot carry at all, not even as character references.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/F).

    >>> xml_text("a\\x01b\\x0b\\tc\\ufffe😀")
    'ab\\tc😀'
    """
    return _XML_ILLEGAL.sub("", text)


def tmx_date(moment: datetime) -> str:
    """TMX's date format, in UTC; naive datetimes are taken to be UTC already.

    >>> tmx_date(datetime(2025, 1, 31, 23, 5, 9, tzinfo=UTC))
    '20250131T230509Z'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def unit_id(document: str, source: str) -> str:
    """The ``tuid`` of a source segment: the same in every build of the same document.

    >>> unit_id("chapitre-1", "Bonjour.")
    '0e56866f14304de4'
    """
    return text_digest(f"{document}\n{source}")


@dataclass(frozen=True, slots=True)
class TmxUnit:
    """One translation unit as TMX records it, independent of where it came from."""

    source: str
    target: str
    document: str | None = None
    engine: str | None = None  # an EngineInfo.signature()
    origin: Origin = Origin.MACHINE
    created: datetime | None = None
    changed: datetime | None = None
    notes: tuple[str, ...] = ()
    props: tuple[tuple[str, str], ...] = ()  # extra (type, value) pairs; use "x-" types
    tuid: str | None = None  # default: unit_id(document, source) when there is a document


@dataclass(frozen=True, slots=True)
class TmxHeader:
    """What the ``<header>`` says about the whole file."""

    created: datetime
    creationtoolversion: str = __version__
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


def write_tmx(document: Document, path: Path) -> None:
    """Write one text's translated units as a TMX 1.4 file.

    Units without a translation are left out: a memory entry with an empty target would make
    a TMX reader "translate" the segment into nothing.
    """
    write_units_tmx(document_units(document), path, header_for([document]))


def write_memory_tmx(documents: Iterable[Document], path: Path) -> None:
    """Write the translated units of every text into one TMX 1.4 file (``memory.tmx``).

    As in :func:`write_tmx`, units without a translation are left out.
    """
    documents = list(documents)
    units = (unit for document in documents for unit in document_units(document))
    write_units_tmx(units, path, header_for(documents))


def unit_engine(document: Document, unit: Unit) -> EngineInfo | None:
    """The engine that translated ``unit``: its own, else the document's for machine units.

    A unit reused from the memory without an engine of its own keeps none: the engine of this
    build did not write it.
    """
    if unit.engine is not None or unit.origin is not Origin.MACHINE:
        return unit.engine
    return document.engine


def document_units(document: Document) -> Iterator[TmxUnit]:
    """The TMX units of a document's translated segments, in text order."""
    for unit in document.units:
        if unit.target.strip():
            yield _tmx_unit(document, unit)


def _tmx_unit(document: Document, unit: Unit) -> TmxUnit:
    engine = unit_engine(document, unit)
    return TmxUnit(
        source=unit.source,
        target=unit.target,
        document=document.name,
        engine=engine.signature() if engine else None,
        origin=unit.origin,
        created=document.created,
        notes=tuple(f"{finding.kind}: {finding.message}" for finding in unit.findings),
        props=(("x-paragraph", str(unit.segment.paragraph)),),
    )


def header_for(documents: Sequence[Document]) -> TmxHeader:
    """The header of a TMX holding ``documents``: engines and glossaries used, for provenance."""
    props = [
        prop
        for document in documents
        for prop in provenance_props(
            document.engine.signature() if document.engine else None, document.glossary
        )
    ]
    created = min((document.created for document in documents), default=utc_now())
    return TmxHeader(created, props=tuple(dict.fromkeys(props)))


def provenance_props(engine: str | None, glossary: GlossaryInfo | None) -> list[tuple[str, str]]:
    """The header props recording the engine (signature) and glossary of one text."""
    props: list[tuple[str, str]] = []
    if engine is not None:
        props.append(("x-engine", engine))
    if glossary is not None:
        props.append(("x-glossary", f"{glossary.path} sha256:{glossary.sha256}"))
    return props


def write_units_tmx(units: Iterable[TmxUnit], path: Path, header: TmxHeader) -> None:
    """Stream ``units`` into a TMX 1.4 file at ``path``, atomically, in constant memory."""
    _write_tu_elements((tu_element(unit) for unit in units), path, header)


def write_tmx_with_memory(
    documents: Sequence[Document],
    paths: Sequence[Path],
    memory_path: Path,
    earlier: Mapping[str, Path],
    memory_header: TmxHeader,
) -> None:
    """Each document's TMX at its path, and ``memory.tmx`` with the units of all of them and of
    the ``earlier`` texts (name → that text's own TMX file), text by text in name order.

    Every ``<tu>`` of ``documents`` is built once and written to both files; those of earlier
    texts are streamed from their files, one file at a time, never translated again.
    """
    elements = {d.name: [tu_element(unit) for unit in document_units(d)] for d in documents}
    for document, path in zip(documents, paths, strict=True):
        _write_tu_elements(elements[document.name], path, header_for([document]))
    names = sorted({*elements, *earlier})
    units = (
        tu
        for name in names
        for tu in (elements[name] if name in elements else read_tu_elements(earlier[name]))
    )
    _write_tu_elements(units, memory_path, memory_header)


def read_tu_elements(path: Path) -> Iterator[etree._Element]:
    """The ``<tu>`` elements of a TMX file, read with the project's safe XML loader."""
    from ..validate import load_xml_safely

    root = load_xml_safely(path).getroot()
    if root.tag != "tmx":
        raise FormatError(path, f"is not a TMX file (its root element is <{root.tag}>)")
    for tu in root.iterfind("body/tu"):
        tu.tail = None  # the file's own indentation; the writer indents
        yield tu


def _write_tu_elements(elements: Iterable[etree._Element], path: Path, header: TmxHeader) -> None:
    with atomic_output(path) as stream:
        stream_tu_elements(stream, elements, header)


def stream_units_tmx(stream: IO[bytes], units: Iterable[TmxUnit], header: TmxHeader) -> int:
    """Stream ``units`` as TMX 1.4 into an open binary ``stream``; return how many."""
    return stream_tu_elements(stream, (tu_element(unit) for unit in units), header)


def stream_tu_elements(
    stream: IO[bytes], elements: Iterable[etree._Element], header: TmxHeader
) -> int:
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


def _header_element(header: TmxHeader) -> etree._Element:
    element = etree.Element(
        "header",
        {
            "creationtool": "bilingual",
            "creationtoolversion": header.creationtoolversion,
            "segtype": "sentence",
            "o-tmf": "bilingual",
            "adminlang": "en",
            "srclang": SOURCE_LANG,
            "datatype": "plaintext",
            "creationdate": tmx_date(header.created),
        },
    )
    for note in header.notes:
        etree.SubElement(element, "note").text = xml_text(note)
    for prop_type, value in header.props:
        etree.SubElement(element, "prop", type=prop_type).text = xml_text(value)
    return element


def tu_element(unit: TmxUnit) -> etree._Element:
    """The ``<tu>`` of one unit: notes and props first (the DTD requires it), then the tuvs."""
    tu = etree.Element("tu")
    tuid = unit.tuid or (unit_id(unit.document, unit.source) if unit.document is not None else None)
    if tuid is not None:
        tu.set("tuid", tuid)
    if unit.created is not None:
        tu.set("creationdate", tmx_date(unit.created))
    if unit.changed is not None:
        tu.set("changedate", tmx_date(unit.changed))
    for note in unit.notes:
        etree.SubElement(tu, "note").text = xml_text(note)
    # Not OmegaT's own <prop type="file">: OmegaT takes a unit carrying it for a context-bound
    # alternative translation and then never applies it from tm/auto/ (tested with OmegaT 3.6).
    props: list[tuple[str, str]] = [("x-origin", unit.origin.value)]
    if unit.document is not None:
        props.append(("x-document", unit.document))
    if unit.engine is not None:
        props.append(("x-engine", unit.engine))
    for prop_type, value in (*props, *unit.props):
        etree.SubElement(tu, "prop", type=prop_type).text = xml_text(value)
    for lang, text in ((SOURCE_LANG, unit.source), (TARGET_LANG, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = xml_text(text)
    return tu
