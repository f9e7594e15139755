"""JSON export: the whole aligned document, and a glossary report, for scripts and other tools.

``<name>.json`` holds every unit in text order with its source offsets, translation, origin,
engine, findings and translation-memory suggestion. ``<name>.glossary.json`` holds only the units
with glossary findings (kinds ``term-*``) and counts them by kind. Offsets are character (code
point) offsets into ``text``, the normalised source (see :mod:`bilingual.textio`).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..document import Document, EngineInfo, Finding, Unit
from ..exchange.units import SOURCE_LANG, TARGET_LANG, unit_id
from ..inline import coded_source, coded_target
from ..textio import atomic_write
from .exchange import unit_engine

#: Bumped when a field changes meaning or disappears; new fields do not bump it.
JSON_FORMAT_VERSION = 1

GLOSSARY_KIND_PREFIX = "term-"


def write_json(document: Document, path: Path) -> None:
    """Write ``document_json(document)`` to ``path`` (atomically, UTF-8)."""
    _write(document_json(document), path)


def write_glossary_json(document: Document, path: Path) -> None:
    """Write ``glossary_json(document)`` to ``path`` (``OUTDIR/<name>.glossary.json``)."""
    _write(glossary_json(document), path)


def document_json(document: Document) -> dict[str, object]:
    """Everything a build learned about ``document``, as JSON-ready data.

    >>> from bilingual.document import Segment
    >>> doc = Document("d", "Oui. Non.", units=[
    ...     Unit(Segment(0, 4, "Oui."), "Yes."), Unit(Segment(5, 9, "Non."), "No.")])
    >>> [(u["start"], u["end"], u["source"], u["target"]) for u in document_json(doc)["units"]]
    [(0, 4, 'Oui.', 'Yes.'), (5, 9, 'Non.', 'No.')]
    """
    return {
        "format": "bilingual-document",
        "version": JSON_FORMAT_VERSION,
        "name": document.name,
        "source_path": str(document.source_path) if document.source_path else None,
        "source_lang": SOURCE_LANG,
        "target_lang": TARGET_LANG,
        "created": document.created.isoformat(),
        "engine": _engine_json(document.engine),
        "glossary": _glossary_info_json(document),
        "text": document.text,
        "source_format": document.format,
        "title": document.title,
        "blocks": [
            {"kind": block.kind.value, "level": block.level, "start": block.start, "end": block.end}
            for block in document.blocks
        ],
        "units": [_unit_json(document, index, unit) for index, unit in enumerate(document.units)],
    }


def glossary_json(document: Document) -> dict[str, object]:
    """The glossary findings of ``document``: per unit with spans, and counted by kind.

    >>> from bilingual.document import Finding, Segment, Severity
    >>> found = Finding("term-missing", Severity.WARNING, "'modèle' should be 'model'",
    ...                 term="modèle", expected="model", source_span=(3, 9))
    >>> doc = Document("d", "Le modèle.", units=[
    ...     Unit(Segment(0, 10, "Le modèle."), "The pattern.", findings=[found])])
    >>> report = glossary_json(doc)
    >>> report["counts"], report["units"][0]["findings"][0]["source_span"]
    ({'term-missing': 1}, [3, 9])
    """
    units = []
    counts: Counter[str] = Counter()
    for index, unit in enumerate(document.units):
        findings = [finding for finding in unit.findings if is_glossary_finding(finding)]
        if not findings:
            continue
        counts.update(finding.kind for finding in findings)
        units.append(
            {
                "index": index,
                "id": unit_id(document.name, coded_source(unit)),
                "source": unit.source,
                "target": unit.target,
                "findings": [finding.to_json() for finding in findings],
            }
        )
    return {
        "format": "bilingual-glossary-report",
        "version": JSON_FORMAT_VERSION,
        "name": document.name,
        "glossary": _glossary_info_json(document),
        "units_checked": len(document.units),
        "units_with_findings": len(units),
        "counts": dict(sorted(counts.items())),
        "units": units,
    }


def is_glossary_finding(finding: Finding) -> bool:
    return finding.kind.startswith(GLOSSARY_KIND_PREFIX)


def _unit_json(document: Document, index: int, unit: Unit) -> dict[str, object]:
    segment = unit.segment
    coded: dict[str, object] = {}
    if unit.source_tags:  # the unit as the memory and the exchange files hold it
        coded = {"coded_source": coded_source(unit), "coded_target": coded_target(unit)}
    return {
        "index": index,
        "id": unit_id(document.name, coded_source(unit)),
        "paragraph": segment.paragraph,
        "start": segment.start,
        "end": segment.end,
        "source": unit.source,
        "target": unit.target,
        "origin": unit.origin.value,
        "reviewed": unit.reviewed,
        "engine": _engine_json(unit_engine(document, unit)),
        "findings": [finding.to_json() for finding in unit.findings],
        "suggestion": unit.suggestion.to_json() if unit.suggestion is not None else None,
        **coded,
        **_alignment_json(unit),
    }


def _alignment_json(unit: Unit) -> dict[str, object]:
    """``alignment`` for the units of an aligned text (``bilingual align``) only."""
    info = unit.alignment
    if info is None:
        return {}
    return {"alignment": {"kind": info.kind, "confidence": info.confidence, "flag": info.flag}}


def _engine_json(engine: EngineInfo | None) -> dict[str, str] | None:
    if engine is None:
        return None
    return {
        "name": engine.name,
        "version": engine.version,
        "model": engine.model,
        "signature": engine.signature(),
    }


def _glossary_info_json(document: Document) -> dict[str, object] | None:
    glossary = document.glossary
    if glossary is None:
        return None
    return {"path": glossary.path, "sha256": glossary.sha256, "entries": glossary.entries}


def _write(data: dict[str, object], path: Path) -> None:
    atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
