"""A build's documents as exchange files: TMX, XLIFF 2.1 and XLIFF 1.2 through
:mod:`bilingual.exchange`, one file per text and ``memory.tmx`` for all of them.

A document's units become :class:`~bilingual.exchange.TranslationUnit` objects here, so every
exchange format says the same thing about a segment: its translation, where it came from, the
engine, the findings (as notes) and where it sits in the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from lxml import etree

from ..document import (
    Document,
    EngineInfo,
    Finding,
    GlossaryInfo,
    Origin,
    Severity,
    Unit,
    utc_now,
)
from ..errors import FormatError
from ..exchange import FileHeader, TranslationUnit, format_named, unit_codec
from ..exchange.tmx import stream_tu_elements, tu_element
from ..exchange.units import Note
from ..exchange.xml import iter_elements_safely
from ..inline import coded_source, coded_target
from ..textio import atomic_output

#: XLIFF note priority runs from 1 (highest) to 10.
_PRIORITY = {Severity.ERROR: 1, Severity.WARNING: 5, Severity.INFO: 10}


def unit_engine(document: Document, unit: Unit) -> EngineInfo | None:
    """The engine that translated ``unit``: its own, else the document's for machine units.

    A unit reused from the memory without an engine of its own keeps none: the engine of this
    build did not write it.
    """
    if unit.engine is not None or unit.origin is not Origin.MACHINE:
        return unit.engine
    return document.engine


def translation_units(
    document: Document, with_untranslated: bool = False
) -> Iterator[TranslationUnit]:
    """The units of ``document`` in text order; untranslated ones only if asked (a TMX entry
    with an empty target would make a reader "translate" the segment into nothing). A unit
    without a source (an English sentence an aligned translation adds) is left out."""
    for unit in document.units:
        if unit.source and (with_untranslated or unit.target.strip()):
            yield translation_unit(document, unit)


def translation_unit(document: Document, unit: Unit) -> TranslationUnit:
    engine = unit_engine(document, unit)
    segment = unit.segment
    return TranslationUnit(
        source=coded_source(unit),
        target=coded_target(unit),
        origin=unit.origin,
        engine=engine.signature() if engine else None,
        document=document.name,
        created=document.created,
        changed=unit.changed,
        reviewed=unit.reviewed,
        notes=tuple(_note(finding) for finding in unit.findings),
        props=(
            ("x-paragraph", str(segment.paragraph)),
            ("x-source-start", str(segment.start)),
            ("x-source-end", str(segment.end)),
            *_alignment_props(unit),
        ),
    )


def _alignment_props(unit: Unit) -> tuple[tuple[str, str], ...]:
    """How ``bilingual align`` matched a unit's human translation, for units it made."""
    info = unit.alignment
    if info is None:
        return ()
    props = [("x-alignment", info.kind), ("x-alignment-confidence", f"{info.confidence:.2f}")]
    if info.flag is not None:
        props.append(("x-alignment-flag", info.flag))
    return tuple(props)


def _note(finding: Finding) -> Note:
    applies_to = None
    if finding.target_span is not None and finding.source_span is None:
        applies_to = "target"
    elif finding.source_span is not None and finding.target_span is None:
        applies_to = "source"
    return Note(finding.message, finding.kind, _PRIORITY[finding.severity], applies_to)


def provenance_props(engine: str | None, glossary: GlossaryInfo | None) -> list[tuple[str, str]]:
    """The header props recording the engine (signature) and glossary of one text."""
    props: list[tuple[str, str]] = []
    if engine is not None:
        props.append(("x-engine", engine))
    if glossary is not None:
        props.append(("x-glossary", f"{glossary.path} sha256:{glossary.sha256}"))
    return props


def file_header(documents: Sequence[Document]) -> FileHeader:
    """What a file holding ``documents`` says about them: engines and glossaries used."""
    props = [
        prop
        for document in documents
        for prop in provenance_props(
            document.engine.signature() if document.engine else None, document.glossary
        )
    ]
    created = min((document.created for document in documents), default=utc_now())
    single = documents[0] if len(documents) == 1 else None
    return FileHeader(
        created,
        document=single.name if single else None,
        original=single.source_path.name if single and single.source_path else None,
        props=tuple(dict.fromkeys(props)),
    )


def _write(name: str, with_untranslated: bool, document: Document, path: Path) -> None:
    units = translation_units(document, with_untranslated)
    unit_codec(format_named(name, "units")).write(path, units, file_header([document]))


def write_tmx(document: Document, path: Path) -> None:
    """Write one text's translated units as a TMX 1.4 file."""
    _write("tmx", False, document, path)


def write_xliff(document: Document, path: Path) -> None:
    """Write one text as XLIFF 2.1, untranslated segments included (without a target)."""
    _write("xliff", True, document, path)


def write_xliff12(document: Document, path: Path) -> None:
    """Write one text as XLIFF 1.2 (OmegaT 3.6, Trados, memoQ), untranslated segments included."""
    _write("xliff12", True, document, path)


def write_memory_tmx(documents: Sequence[Document], path: Path) -> None:
    """Write the translated units of every text into one TMX 1.4 file (``memory.tmx``)."""
    documents = list(documents)
    units = (unit for document in documents for unit in translation_units(document))
    unit_codec(format_named("tmx", "units")).write(path, units, file_header(documents))


def write_tmx_with_memory(
    documents: Sequence[Document],
    paths: Sequence[Path],
    memory_path: Path,
    earlier: Mapping[str, Path],
    memory_header: FileHeader,
) -> None:
    """Each document's TMX at its path, and ``memory.tmx`` with the units of all of them and of
    the ``earlier`` texts (name → that text's own TMX file), text by text in name order.

    Both files are streamed: each ``<tu>`` is built as it is written, and ``memory.tmx`` reads
    the units back from the TMX files, one at a time (holding a long book's elements at once
    took ~12 KB per unit), never translating anything again.
    """
    for document, path in zip(documents, paths, strict=True):
        with atomic_output(path) as stream:
            elements = (tu_element(unit) for unit in translation_units(document))
            stream_tu_elements(stream, elements, file_header([document]))
    sources = {**earlier, **{d.name: path for d, path in zip(documents, paths, strict=True)}}
    units = (tu for name in sorted(sources) for tu in read_tu_elements(sources[name]))
    with atomic_output(memory_path) as stream:
        stream_tu_elements(stream, units, memory_header)


def read_tu_elements(path: Path) -> Iterator[etree._Element]:
    """The ``<tu>`` elements of a TMX file we wrote, streamed through the safe XML reader."""
    for tu in iter_elements_safely(path, "tu"):
        root = tu.getroottree().getroot()
        if root.tag != "tmx":
            raise FormatError(path, f"is not a TMX file (its root element is <{root.tag}>)")
        tu.tail = None  # the file's own indentation; the writer indents
        yield tu
