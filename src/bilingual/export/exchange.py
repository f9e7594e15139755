"""A build's documents as exchange files: TMX, XLIFF 2.1 and XLIFF 1.2 through
:mod:`bilingual.exchange`, one file per text and ``memory.tmx`` for all of them.

A document's units become :class:`~bilingual.exchange.TranslationUnit` objects here, so every
exchange format says the same thing about a segment: its translation, where it came from, the
engine, the findings (as notes) and where it sits in the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ..document import Document, EngineInfo, Finding, Origin, Severity, Unit, utc_now
from ..exchange import FileHeader, TranslationUnit, format_named, unit_codec
from ..exchange.tmx import stream_tu_elements, tu_element
from ..exchange.units import Note
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
    with an empty target would make a reader "translate" the segment into nothing)."""
    for unit in document.units:
        if with_untranslated or unit.target.strip():
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
        ),
    )


def _note(finding: Finding) -> Note:
    applies_to = None
    if finding.target_span is not None and finding.source_span is None:
        applies_to = "target"
    elif finding.source_span is not None and finding.target_span is None:
        applies_to = "source"
    return Note(finding.message, finding.kind, _PRIORITY[finding.severity], applies_to)


def file_header(documents: Sequence[Document]) -> FileHeader:
    """What a file holding ``documents`` says about them: engines and glossaries used."""
    props: list[tuple[str, str]] = []
    for document in documents:
        if document.engine is not None:
            props.append(("x-engine", document.engine.signature()))
        if document.glossary is not None:
            glossary = document.glossary
            props.append(("x-glossary", f"{glossary.path} sha256:{glossary.sha256}"))
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
    documents: Sequence[Document], paths: Sequence[Path], memory_path: Path
) -> None:
    """Each document's TMX at its path, and ``memory_path`` with all of them.

    Every ``<tu>`` is built once and written to both files.
    """
    elements = [[tu_element(unit) for unit in translation_units(d)] for d in documents]
    for document, path, tus in zip(documents, paths, elements, strict=True):
        with atomic_output(path) as stream:
            stream_tu_elements(stream, tus, file_header([document]))
    with atomic_output(memory_path) as stream:
        stream_tu_elements(stream, (tu for tus in elements for tu in tus), file_header(documents))
