"""The index page of an output folder: every text with its size, engine, QA summary and files.

It is rendered from the folder's manifest (:class:`bilingual.outdir.TextSummary`), so it lists
the texts of earlier builds into the folder as well as the last one's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from lxml import etree
from lxml.builder import E

from ..document import Severity
from ..textio import atomic_write
from .html import clean, html_page, plural, provenance_list

if TYPE_CHECKING:
    from ..outdir import TextSummary

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
        E.header(
            {"class": "masthead"},
            E.p({"class": "eyebrow"}, "French ", E.span({"aria-hidden": "true"}, "→"), " English"),
            E.h1("Bilingual texts"),
            E.p(
                {"class": "facts"},
                f"{plural(len(texts), 'text')} · {plural(segments, 'segment')}",
            ),
        ),
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
        E.li(
            {"class": f"chip severity-{severity.value}"},
            plural(text.severities.get(severity.value, 0), severity.value),
        )
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


def _joined(links: list[etree._Element]) -> list[etree._Element | str]:
    joined: list[etree._Element | str] = []
    for link in links:
        if joined:
            joined.append(" · ")
        joined.append(link)
    return joined
