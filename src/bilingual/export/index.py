"""The index page of a build: every text with its size, engine, QA summary and output files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import quote

from lxml import etree
from lxml.builder import E

from ..document import Document, Severity
from ..textio import atomic_write
from .html import clean, html_page, issues_of, plural, provenance_list

#: Glossary finding kinds summarised on the index, with their chip label.
TERM_KINDS = (
    ("term-ok", "ok", "terms-ok"),
    ("term-missing", "missing", "terms-missing"),
    ("term-forbidden", "forbidden", "severity-error"),
)


def write_index(documents: list[Document], outdir: Path, files: dict[str, dict[str, str]]) -> None:
    """Write ``outdir/index.html`` listing ``documents``.

    ``files[document.name]`` maps a format name to the output's file name relative to
    ``outdir``, e.g. ``{"html": "lettre.html", "tmx": "lettre.tmx"}``.
    """
    atomic_write(outdir / "index.html", render_index(documents, files))


def render_index(documents: list[Document], files: dict[str, dict[str, str]]) -> bytes:
    """The index page as UTF-8 bytes."""
    rows = [_document_row(document, files.get(document.name, {})) for document in documents]
    segments = sum(len(document.units) for document in documents)
    body = [
        E.header(
            {"class": "masthead"},
            E.p({"class": "eyebrow"}, "French ", E.span({"aria-hidden": "true"}, "→"), " English"),
            E.h1("Bilingual texts"),
            E.p(
                {"class": "facts"},
                f"{plural(len(documents), 'text')} · {plural(segments, 'segment')}",
            ),
        ),
        E.main(
            E.div(
                {"class": "table-scroll"},
                E.table(
                    {"class": "catalogue"},
                    E.caption({"class": "visually-hidden"}, "The texts of this build"),
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
            if documents
            else E.p("No text in this build.")
        ),
    ]
    if documents:
        latest = max(documents, key=lambda document: document.created)
        body.append(
            E.footer(
                {"class": "page-footer"},
                E.h2("Provenance"),
                provenance_list(latest, with_engine=False),
            )
        )
    return html_page("Bilingual texts", body, meta={}, script=None)


def _document_row(document: Document, formats: dict[str, str]) -> etree._Element:
    findings = [finding for unit in document.units for finding in unit.findings]
    severities = Counter(finding.severity for finding in issues_of(findings))
    kinds = Counter(finding.kind for finding in findings)
    name = clean(document.name)
    title = E.a({"href": quote(formats["html"])}, name) if "html" in formats else E.span(name)
    issue_chips = [
        E.li(
            {"class": f"chip severity-{severity.value}"},
            plural(severities[severity], severity.value),
        )
        for severity in (Severity.ERROR, Severity.WARNING)
        if severities[severity]
    ] or [E.li({"class": "chip clean"}, "none")]
    term_chips = [
        E.li({"class": f"chip {css}"}, f"{kinds[kind]} {label}")
        for kind, label, css in TERM_KINDS
        if kinds[kind]
    ] or [E.li({"class": "none"}, "—")]
    links = [E.a({"href": quote(file_name)}, clean(fmt)) for fmt, file_name in formats.items()]
    engine = document.engine
    return E.tr(
        E.td({"class": "title"}, title),
        E.td({"class": "count", "data-label": "Segments"}, str(len(document.units))),
        E.td({"data-label": "Engine"}, clean(engine.signature()) if engine else "—"),
        E.td({"data-label": "Issues"}, E.ul({"class": "chips"}, *issue_chips)),
        E.td({"data-label": "Glossary terms"}, E.ul({"class": "chips"}, *term_chips)),
        E.td({"class": "formats", "data-label": "Files"}, *(_joined(links) or ["—"])),
    )


def _joined(links: list[etree._Element]) -> list[etree._Element | str]:
    joined: list[etree._Element | str] = []
    for link in links:
        if joined:
            joined.append(" · ")
        joined.append(link)
    return joined
