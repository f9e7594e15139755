"""The index page of an output folder: every text with its size, engine, QA summary and files.

It is rendered from :class:`TextSummary` records, which the folder's manifest keeps between
builds (:mod:`bilingual.outdir`), so it lists the texts of earlier builds into the folder as well
as the last one's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree
from lxml.builder import E

from ..document import Document, GlossaryInfo, Severity
from ..textio import atomic_write
from .html import clean, html_page, masthead, plural, provenance_list
from .jsonout import is_glossary_finding


@dataclass(frozen=True, slots=True)
class TextSummary:
    """What the index and the manifest say about one text of the folder."""

    name: str
    source: str  # resolved path of the source file
    built: datetime
    segments: int
    engine: str | None  # an EngineInfo.signature()
    glossary: GlossaryInfo | None
    severities: dict[str, int]  # finding severity → count
    terms: dict[str, int]  # glossary finding kind (term-ok, term-missing...) → count
    files: dict[str, str]  # output (format name, or "glossary") → file name in the folder
    #: severity → the reading page's row id ("s12") of the first segment with such a finding
    first_flagged: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Document, files: dict[str, str]) -> TextSummary:
        findings = [finding for unit in document.units for finding in unit.findings]
        source = document.source_path.resolve() if document.source_path else document.name
        return cls(
            name=document.name,
            source=str(source),
            built=document.created,
            segments=len(document.units),
            engine=document.engine.signature() if document.engine else None,
            glossary=document.glossary,
            severities=dict(Counter(finding.severity.value for finding in findings)),
            terms=dict(Counter(f.kind for f in findings if is_glossary_finding(f))),
            files=dict(files),
            first_flagged=_first_flagged(document),
        )

    def to_json(self) -> dict[str, object]:
        glossary = self.glossary
        return {
            "source": self.source,
            "built": self.built.isoformat(),
            "segments": self.segments,
            "engine": self.engine,
            "glossary": None
            if glossary is None
            else {"path": glossary.path, "sha256": glossary.sha256, "entries": glossary.entries},
            "severities": self.severities,
            "terms": self.terms,
            "files": self.files,
            "first_flagged": self.first_flagged,
        }

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> TextSummary:
        """The inverse of :meth:`to_json`; raises KeyError, TypeError or ValueError if malformed."""
        glossary = data["glossary"]
        return cls(
            name=name,
            source=str(data["source"]),
            built=datetime.fromisoformat(data["built"]),
            segments=int(data["segments"]),
            engine=None if data["engine"] is None else str(data["engine"]),
            glossary=None
            if glossary is None
            else GlossaryInfo(
                str(glossary["path"]), str(glossary["sha256"]), int(glossary["entries"])
            ),
            severities={str(k): int(v) for k, v in data["severities"].items()},
            terms={str(k): int(v) for k, v in data["terms"].items()},
            files={str(k): str(v) for k, v in data["files"].items()},
            first_flagged={str(k): str(v) for k, v in data.get("first_flagged", {}).items()},
        )


def _first_flagged(document: Document) -> dict[str, str]:
    first: dict[str, str] = {}
    for number, unit in enumerate(document.units, start=1):
        for finding in unit.findings:
            if finding.severity is not Severity.INFO:
                first.setdefault(finding.severity.value, f"s{number}")
    return first


#: Glossary finding kinds summarised on the index, with their chip label.
TERM_KINDS = (
    ("term-ok", "ok", "terms-ok"),
    ("term-missing", "missing", "terms-missing"),
    ("term-forbidden", "forbidden", "severity-error"),
)


def write_index(texts: Sequence[TextSummary], path: Path) -> None:
    """Write the index page listing ``texts`` to ``path`` (``OUTDIR/index.html``)."""
    atomic_write(path, render_index(texts))


def render_index(texts: Sequence[TextSummary]) -> bytes:
    """The index page as UTF-8 bytes; links point at each text's files, relative to the page."""
    rows = [_text_row(text) for text in texts]
    segments = sum(text.segments for text in texts)
    body = [
        masthead("Bilingual texts", [plural(len(texts), "text"), plural(segments, "segment")]),
        E.main(
            E.div(
                {"class": "table-scroll"},
                E.table(
                    {"class": "catalogue"},
                    E.caption({"class": "visually-hidden"}, "The texts of this folder"),
                    E.thead(
                        E.tr(
                            E.th({"scope": "col"}, "Text"),
                            E.th({"scope": "col", "class": "count"}, "Segments"),
                            E.th({"scope": "col"}, "Engine"),
                            E.th({"scope": "col"}, "Issues"),
                            E.th({"scope": "col"}, "Glossary terms"),
                            E.th({"scope": "col"}, "Files"),
                        )
                    ),
                    E.tbody(*rows),
                ),
            )
            if texts
            else E.p("No text in this folder.")
        ),
    ]
    if texts:
        latest = max(texts, key=lambda text: text.built)
        body.append(
            E.footer(
                {"class": "page-footer"},
                E.h2("Provenance"),
                provenance_list(latest.glossary, latest.built, with_engine=False),
            )
        )
    return html_page("Bilingual texts", body, meta={}, script=None)


def _text_row(text: TextSummary) -> etree._Element:
    name = clean(text.name)
    files = text.files
    title = E.a({"href": quote(files["html"])}, name) if "html" in files else E.span(name)
    issue_chips = [
        E.li({"class": f"chip severity-{severity.value}"}, _flagged_link(text, severity))
        for severity in (Severity.ERROR, Severity.WARNING)
        if text.severities.get(severity.value)
    ] or [E.li({"class": "chip clean"}, "none")]
    term_chips = [
        E.li({"class": f"chip {css}"}, f"{text.terms[kind]} {label}")
        for kind, label, css in TERM_KINDS
        if text.terms.get(kind)
    ] or [E.li({"class": "none"}, "—")]
    links = [E.a({"href": quote(file_name)}, clean(output)) for output, file_name in files.items()]
    return E.tr(
        E.td({"class": "title"}, title),
        E.td({"class": "count", "data-label": "Segments"}, str(text.segments)),
        E.td({"data-label": "Engine"}, clean(text.engine) if text.engine else "—"),
        E.td({"data-label": "Issues"}, E.ul({"class": "chips"}, *issue_chips)),
        E.td({"data-label": "Glossary terms"}, E.ul({"class": "chips"}, *term_chips)),
        E.td({"class": "formats", "data-label": "Files"}, *(_joined(links) or ["—"])),
    )


def _flagged_link(text: TextSummary, severity: Severity) -> etree._Element | str:
    """The count of ``text``'s findings of ``severity``, linked to the first flagged segment of
    its reading page (whose issue flags lead on from there)."""
    label = plural(text.severities.get(severity.value, 0), severity.value)
    row = text.first_flagged.get(severity.value)
    if row is None or "html" not in text.files:
        return label
    return E.a({"href": f"{quote(text.files['html'])}#{row}", "title": "first flagged segment"}, label)


def _joined(links: list[etree._Element]) -> list[etree._Element | str]:
    joined: list[etree._Element | str] = []
    for link in links:
        if joined:
            joined.append(" · ")
        joined.append(link)
    return joined
