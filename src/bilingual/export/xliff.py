"""XLIFF 2.1 export: one ``<unit>`` per segment, for post-editing in a CAT tool.

Each unit holds one ``<segment>`` (``state="translated"``, or ``"initial"`` with no ``<target>``
when the engine gave nothing), the glossary and QA findings as ``<notes>``, and where the
translation came from (origin, engine, paragraph, source offsets) in the Metadata module
(``mda:``), which XLIFF 2 tools that do not know it keep and ignore.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..document import Document, Finding, Severity, Unit
from ..textio import atomic_output
from .tmx import SOURCE_LANG, TARGET_LANG, unit_engine, unit_id, xml_text

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
METADATA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
XLIFF_VERSION = "2.1"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

#: XLIFF note priority runs from 1 (highest) to 10.
_PRIORITY = {Severity.ERROR: "1", Severity.WARNING: "5", Severity.INFO: "10"}


def _xliff(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


def _mda(tag: str) -> str:
    return f"{{{METADATA_NS}}}{tag}"


def write_xliff(document: Document, path: Path) -> None:
    """Write ``document`` as an XLIFF 2.1 file at ``path`` (atomically)."""
    tree = etree.ElementTree(xliff_element(document))
    with atomic_output(path) as stream:
        tree.write(stream, encoding="utf-8", xml_declaration=True, pretty_print=True)


def xliff_element(document: Document) -> etree._Element:
    """The ``<xliff>`` root of ``document``.

    >>> from bilingual.document import Segment
    >>> doc = Document("d", "Oui.", units=[Unit(Segment(0, 4, "Oui."), "Yes.")])
    >>> root = xliff_element(doc)
    >>> root.get("version"), root.get("srcLang"), root.get("trgLang")
    ('2.1', 'fr', 'en')
    >>> [element.text for element in root.iter(_xliff("source"), _xliff("target"))]
    ['Oui.', 'Yes.']
    """
    root = etree.Element(
        _xliff("xliff"),
        {"version": XLIFF_VERSION, "srcLang": SOURCE_LANG, "trgLang": TARGET_LANG},
        nsmap={None: XLIFF_NS, "mda": METADATA_NS},
    )
    original = document.source_path.name if document.source_path else document.name
    # preserve: a segment's spaces are the text's own, not indentation a tool may collapse
    file_element = etree.SubElement(
        root, _xliff("file"), {"id": "f1", "original": original, XML_SPACE: "preserve"}
    )
    file_meta = [("document", document.name), ("created", document.created.isoformat())]
    if document.engine is not None:
        file_meta.append(("engine", document.engine.signature()))
    if document.glossary is not None:
        file_meta.append(("glossary", document.glossary.path))
        file_meta.append(("glossary-sha256", document.glossary.sha256))
    _add_metadata(file_element, file_meta)
    for index, unit in enumerate(document.units, start=1):
        _add_unit(file_element, document, unit, f"s{index}")
    return root


def _add_unit(parent: etree._Element, document: Document, unit: Unit, identifier: str) -> None:
    element = etree.SubElement(parent, _xliff("unit"), id=identifier)
    meta = [
        ("tuid", unit_id(document.name, unit.source)),
        ("origin", unit.origin.value),
        ("paragraph", str(unit.segment.paragraph)),
        ("source-start", str(unit.segment.start)),
        ("source-end", str(unit.segment.end)),
    ]
    engine = unit_engine(document, unit)
    if engine is not None:
        meta.append(("engine", engine.signature()))
    # the schema puts module elements first, then notes, then segments
    _add_metadata(element, meta)
    if unit.findings:
        notes = etree.SubElement(element, _xliff("notes"))
        for finding in unit.findings:
            _add_note(notes, finding)
    translated = bool(unit.target.strip())
    segment = etree.SubElement(
        element, _xliff("segment"), state="translated" if translated else "initial"
    )
    etree.SubElement(segment, _xliff("source")).text = xml_text(unit.source)
    if translated:
        etree.SubElement(segment, _xliff("target")).text = xml_text(unit.target)


def _add_note(notes: etree._Element, finding: Finding) -> None:
    note = etree.SubElement(
        notes, _xliff("note"), category=finding.kind, priority=_PRIORITY[finding.severity]
    )
    if finding.target_span is not None and finding.source_span is None:
        note.set("appliesTo", "target")
    elif finding.source_span is not None and finding.target_span is None:
        note.set("appliesTo", "source")
    note.text = xml_text(finding.message)


def _add_metadata(parent: etree._Element, items: list[tuple[str, str]]) -> None:
    metadata = etree.SubElement(parent, _mda("metadata"))
    group = etree.SubElement(metadata, _mda("metaGroup"), category="bilingual")
    for meta_type, value in items:
        etree.SubElement(group, _mda("meta"), type=meta_type).text = xml_text(value)
