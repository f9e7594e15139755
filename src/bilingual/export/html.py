"""The parallel reading page: French and English side by side, one row per segment.

The page is built as lxml elements, so every text that comes from a source, an engine or the
translation memory is escaped by the serializer and can never become markup. A document with
structure keeps it: each block is a row group classed by its kind (``kind-heading level-2``,
``kind-list-item``, ``kind-quote``...), headings are headings (``<h2>``... in both cells), and a
document with several headings gets a table of contents linking to them. The stylesheet and
script are package data inlined into the page and allowed by hash in its Content-Security-Policy:
the file opens from disk, works offline and makes no request of any kind.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeAlias

from lxml import etree
from lxml.builder import E

from ..document import (
    Block,
    BlockKind,
    Document,
    EngineInfo,
    Finding,
    GlossaryInfo,
    Origin,
    Severity,
    Suggestion,
    Unit,
)
from ..exchange.xml import NOT_XML
from ..textio import atomic_output
from ..version import __version__

#: The reader's choices, in toolbar order: (value, label, tooltip).
VIEW_MODES: tuple[tuple[str, str, str], ...] = (
    ("both", "Bilingual", "French and English side by side"),
    ("en", "English", "English only"),
    ("fr", "Français", "French only"),
    ("learn", "Learner", "French, with each English sentence hidden until you reveal it"),
)

ORIGIN_LABELS: dict[Origin, tuple[str, str]] = {
    Origin.HUMAN: ("human", "Human translation, from the translation memory"),
    Origin.MEMORY: ("memory", "Machine translation reused from the translation memory"),
}
REVIEWED_LABEL = ("reviewed", "Human translation, reviewed")

#: The origin of a human translation aligned with the French by ``bilingual align``.
ALIGNED_LABEL = ("human, aligned", "Human translation, aligned sentence by sentence with the French")

#: What a reader should check in an aligned row (``AlignmentInfo.flag``): a visible label.
ALIGNMENT_FLAG_LABELS: dict[str, str] = {
    "low-confidence": "uncertain alignment",
    "omission": "left out of the English",
    "addition": "added in the English",
    "joined": "English in the row above",
}

SEVERITY_ORDER = (Severity.INFO, Severity.WARNING, Severity.ERROR)

_CLASS_UNSAFE = re.compile(r"[^a-z0-9-]+")

#: The CSP source list that allows nothing.
NONE = "'none'"


class Mark(NamedTuple):  # a tuple: one per term occurrence, so cheap to make
    """A span of a segment's text to wrap in ``<mark>``: a glossary term or a QA finding."""

    start: int
    end: int
    kind: str
    title: str
    pair: str | None = None  # shared by the French and English marks of one term


#: A part of a page body: an element, or a function that streams elements into the page.
BodyPart: TypeAlias = etree._Element | Callable[[Any], None]


@dataclass(frozen=True)
class PageAdditions:
    """What a page served by ``bilingual serve`` adds to the static one.

    Its script and stylesheet are inlined after ``page.js`` and ``page.css`` and allowed by
    hash in the same policy; ``connect`` is the policy's ``connect-src`` (the static page may
    fetch nothing); ``toolbar`` elements end the toolbar, ``after_toolbar`` parts follow it;
    ``row_attributes`` gives extra attributes for each segment's row (``data-*``: its version,
    for instance).
    """

    script: str = ""
    style: str = ""
    connect: str = "'none'"
    meta: Mapping[str, str] = field(default_factory=dict)
    toolbar: Sequence[etree._Element] = ()
    after_toolbar: Sequence[BodyPart] = ()
    row_attributes: Callable[[Unit], Mapping[str, str]] | None = None


def render_html(document: Document, additions: PageAdditions | None = None) -> bytes:
    """The reading page of ``document`` as UTF-8 bytes (served, with ``additions``)."""
    buffer = io.BytesIO()
    _write_reading_page(document, buffer, additions)
    return buffer.getvalue()


def render_row(document: Document, number: int, additions: PageAdditions | None = None) -> str:
    """The table row of ``document``'s segment ``number`` (from 1), as :func:`render_html`
    writes it."""
    unit = document.units[number - 1]
    index = unit.segment.paragraph
    block = document.blocks[index] if 0 <= index < len(document.blocks) else None
    buffer = io.BytesIO()
    with etree.htmlfile(buffer, encoding="utf-8") as page:
        _write_row(page, number, unit, _text_tag(block), additions)
    return buffer.getvalue().decode("utf-8")


def write_html(document: Document, path: Path) -> None:
    """Write the reading page of ``document`` to ``path`` atomically."""
    with atomic_output(path) as stream:
        _write_reading_page(document, stream)


def _write_reading_page(
    document: Document, stream: IO[bytes], additions: PageAdditions | None = None
) -> None:
    # The table is streamed row by row: a long text has a hundred thousand elements, which
    # are cheaper written than built into a tree first.
    contents = _contents(document)
    body: list[BodyPart] = [
        _masthead(document),
        _toolbar(additions.toolbar if additions else ()),
        *(additions.after_toolbar if additions else ()),
    ]
    if contents is not None:
        body.append(contents)
    body += [partial(_write_main, document, additions), _page_footer(document)]
    meta = {"description": f"{document_title(document)}: French text with its English translation"}
    if document.engine is not None:
        meta["bilingual-signature"] = document.engine.signature()
    write_page(
        stream,
        document_title(document),
        body,
        meta=meta,
        script=read_asset("page.js"),
        additions=additions,
    )


def document_title(document: Document) -> str:
    """The document's own title (first heading, <title>, metadata), else its file name."""
    return " ".join((document.title or "").split()) or document.name


#: A table of contents is written for documents with at least this many headings.
CONTENTS_MIN_HEADINGS = 3


def _contents(document: Document) -> etree._Element | None:
    """Nested links to the first row of every heading."""
    first_row: dict[int, int] = {}
    for number, unit in enumerate(document.units, start=1):
        first_row.setdefault(unit.segment.paragraph, number)
    headings = [
        (block.level, index)
        for index, block in enumerate(document.blocks)
        if block.kind is BlockKind.HEADING and index in first_row
    ]
    if len(headings) < CONTENTS_MIN_HEADINGS:
        return None
    top = min(level for level, _ in headings)
    root = E.ol({"class": "toc-list"})
    stack = [(top - 1, root)]
    for level, index in headings:
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1]
        block = document.blocks[index]
        item = E.li(E.a({"href": f"#s{first_row[index]}"}, clean(document.text[block.start : block.end])))
        parent.append(item)
        nested = E.ol()
        item.append(nested)
        stack.append((level, nested))
    for empty in [element for element in root.iter("ol") if len(element) == 0]:
        empty.getparent().remove(empty)
    return E.nav(
        {"class": "toc", "aria-label": "Contents"},
        E.details(E.summary("Contents"), root),
    )


def html_page(
    title: str,
    body: Sequence[BodyPart],
    *,
    meta: dict[str, str],
    script: str | None,
    additions: PageAdditions | None = None,
) -> bytes:
    """A complete self-contained page as bytes (see :func:`write_page`)."""
    buffer = io.BytesIO()
    write_page(buffer, title, body, meta=meta, script=script, additions=additions)
    return buffer.getvalue()


def page_policy(script: str | None, additions: PageAdditions | None = None) -> str:
    """The Content-Security-Policy of a page with ``script`` (and ``additions``): its own
    stylesheets and scripts by hash, ``data:`` images, nothing else (served: what
    ``additions.connect`` allows the script to fetch)."""
    styles, scripts = _inline_assets(script, additions)
    policy = [
        "default-src 'none'",
        f"style-src {' '.join(map(_csp_hash, styles))}",
        f"script-src {' '.join(map(_csp_hash, scripts)) if scripts else NONE}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    if additions is not None:
        policy.insert(3, f"connect-src {additions.connect}")
    return "; ".join(policy)


def _inline_assets(
    script: str | None, additions: PageAdditions | None
) -> tuple[list[str], list[str]]:
    """The stylesheets and scripts a page inlines, in order."""
    styles = [read_asset("page.css")]
    scripts = [script] if script is not None else []
    if additions is not None:
        styles += [additions.style] if additions.style else []
        scripts += [additions.script] if additions.script else []
    return styles, scripts


def write_page(
    stream: IO[bytes],
    title: str,
    body: Sequence[BodyPart],
    *,
    meta: dict[str, str],
    script: str | None,
    additions: PageAdditions | None = None,
) -> None:
    """Write a complete self-contained page: inline stylesheet, optional script, strict CSP."""
    meta = {**meta, **(additions.meta if additions else {})}
    styles, scripts = _inline_assets(script, additions)
    head = E.head(
        E.meta(charset="utf-8"),
        E.meta(
            {"http-equiv": "Content-Security-Policy", "content": page_policy(script, additions)}
        ),
        E.meta(name="viewport", content="width=device-width, initial-scale=1"),
        E.meta(name="color-scheme", content="light dark"),
        E.meta(name="generator", content=f"bilingual {__version__}"),
        *(E.meta(name=name, content=clean(value)) for name, value in meta.items()),
        E.title(clean(title)),
        # Without an icon link browsers may ask for /favicon.ico.
        E.link(rel="icon", href="data:,"),
        *(E.style(style) for style in styles),
    )
    with etree.htmlfile(stream, encoding="utf-8") as page:
        page.write_doctype("<!DOCTYPE html>")
        with page.element("html", {"lang": "en"}):
            page.write(head)
            with page.element("body"):
                for part in body:
                    if isinstance(part, etree._Element):
                        page.write(part)
                    else:
                        part(page)
                for text in scripts:
                    page.write(E.script(text))


def read_asset(name: str) -> str:
    return (resources.files("bilingual") / "data" / name).read_text(encoding="utf-8")


def clean(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced, one for one, by U+FFFD.

    >>> clean("a\\x1bb\\x00")
    'a\\ufffdb\\ufffd'
    """
    # lxml refuses text that XML 1.0 cannot carry; a stray control character in a source or an
    # engine's output must not make the whole page fail, and one-for-one replacement keeps offsets.
    return NOT_XML.sub("\ufffd", text)


def issues_of(findings: Iterable[Finding]) -> list[Finding]:
    """The findings a reader should look at: warnings and errors (a term found is only info)."""
    return [finding for finding in findings if finding.severity is not Severity.INFO]


def worst_severity(findings: Iterable[Finding]) -> Severity:
    return max((finding.severity for finding in findings), key=SEVERITY_ORDER.index)


def format_created(created: datetime) -> etree._Element:
    label = created.strftime("%Y-%m-%d %H:%M")
    if created.tzinfo is not None:
        label += f" {created.tzname()}"
    return E.time({"datetime": created.isoformat()}, label)


def provenance_list(
    glossary: GlossaryInfo | None,
    created: datetime,
    engine: EngineInfo | None = None,
    *,
    with_engine: bool = True,
) -> etree._Element:
    """Engine, glossary, build date and generator, as a description list."""
    items: list[etree._Element] = []
    if with_engine:
        items += [
            E.dt("Engine"),
            E.dd(
                E.span({"class": "engine"}, clean(f"{engine.name} {engine.version}")),
                " · model ",
                E.code(clean(engine.model)),
            )
            if engine is not None
            else E.dd("not recorded"),
        ]
    items += [
        E.dt("Glossary"),
        E.dd(
            E.code(clean(glossary.path)),
            f" · sha256 {clean(glossary.sha256[:12])} · {plural(glossary.entries, 'entry')}",
        )
        if glossary is not None
        else E.dd("none"),
        E.dt("Built"),
        E.dd(format_created(created)),
        E.dt("Generator"),
        E.dd(f"bilingual {__version__}"),
    ]
    return E.dl({"class": "provenance"}, *items)


def _csp_hash(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _masthead(document: Document) -> etree._Element:
    findings = [finding for unit in document.units for finding in unit.findings]
    issues = len(issues_of(findings))
    terms = sum(1 for finding in findings if finding.kind.startswith("term-"))
    facts = [
        plural(len(document.units), "segment"),
        plural(len(document.paragraphs()), "paragraph"),
        plural(issues, "issue") if issues else "no issues",
    ]
    if terms:
        facts.append(plural(terms, "glossary term"))
    return masthead(clean(document_title(document)), facts)


def masthead(title: str, facts: Sequence[str]) -> etree._Element:
    """The header every page of ours opens with: the language pair, ``title``, ``facts``."""
    return E.header(
        {"class": "masthead"},
        E.p({"class": "eyebrow"}, "French ", E.span({"aria-hidden": "true"}, "→"), " English"),
        E.h1(title),
        E.p({"class": "facts"}, " · ".join(facts)),
    )


def _page_footer(document: Document) -> etree._Element:
    provenance = provenance_list(document.glossary, document.created, document.engine)
    if document.engine is None and any(unit.alignment for unit in document.units):
        provenance = provenance_list(document.glossary, document.created, with_engine=False)
        provenance[0:0] = [E.dt("Translation"), E.dd(ALIGNED_LABEL[1])]
    return E.footer(
        {"class": "page-footer"},
        E.h2("Provenance"),
        provenance,
        E.h2("Key"),
        E.ul(
            {"class": "key", "role": "list"},
            E.li(
                E.mark({"class": "mark mark-term-ok"}, "term"),
                " glossary term, translated as approved",
            ),
            E.li(
                E.mark({"class": "mark mark-term-missing"}, "term"), " approved translation missing"
            ),
            E.li(E.mark({"class": "mark mark-term-forbidden"}, "term"), " forbidden translation"),
            E.li(
                E.span({"class": "flag-sample", "aria-hidden": "true"}, "!"), " segment with issues"
            ),
            E.li(E.span({"class": "origin badge-human"}, "human"), " human translation"),
            E.li(E.span({"class": "origin badge-reviewed"}, "reviewed"), " reviewed translation"),
            E.li(E.span({"class": "origin badge-memory"}, "memory"), " reused from memory"),
            *_alignment_key(document),
        ),
    )


def _alignment_key(document: Document) -> list[etree._Element]:
    if not any(unit.alignment is not None for unit in document.units):
        return []
    return [
        E.li(E.span({"class": "origin badge-aligned"}, ALIGNED_LABEL[0]), " human translation, "
             "aligned with the French"),
        E.li(E.span({"class": "align-flag"}, "flag"), " where the alignment needs a look: "
             "uncertain, or a sentence one side has and the other not"),
    ]


def _toolbar(extra: Sequence[etree._Element] = ()) -> etree._Element:
    choices: list[etree._Element] = []
    for value, label, tooltip in VIEW_MODES:
        radio = E.input(type="radio", name="view", id=f"view-{value}", value=value)
        if value == "both":
            radio.set("checked", "checked")
        choices.append(radio)
        choice = E.label({"for": f"view-{value}", "title": tooltip}, label)
        if value == "fr":
            choice.set("lang", "fr")
        choices.append(choice)
    return E.nav(
        {"class": "toolbar", "aria-label": "Reading options"},
        E.div(
            {"class": "toolbar-inner"},
            E.fieldset(
                {"class": "views"}, E.legend({"class": "visually-hidden"}, "View"), *choices
            ),
            E.p(
                {"class": "keys"},
                E.kbd("j"),
                " ",
                E.kbd("k"),
                " move · ",
                E.kbd("Enter"),
                " reveal",
            ),
            *extra,
        ),
    )


def _write_main(document: Document, additions: PageAdditions | None, page: Any) -> None:
    # The explicit roles keep the table semantics for screen readers when the narrow-screen
    # stylesheet turns rows into grids (browsers drop them once display is changed).
    with page.element("main"), page.element("table", {"class": "parallel", "role": "table"}):
        page.write(
            E.caption(
                {"class": "visually-hidden"},
                "The French text and its English translation, segment by segment",
            )
        )
        page.write(
            E.colgroup(E.col({"class": "col-num"}), E.col({"class": "fr"}), E.col({"class": "en"}))
        )
        page.write(
            E.thead(
                {"role": "rowgroup"},
                E.tr(
                    {"role": "row"},
                    E.th(
                        {"scope": "col", "class": "num", "role": "columnheader"},
                        E.span({"class": "visually-hidden"}, "Segment"),
                    ),
                    E.th(
                        {"scope": "col", "class": "fr", "lang": "fr", "role": "columnheader"},
                        "Français",
                    ),
                    E.th({"scope": "col", "class": "en", "role": "columnheader"}, "English"),
                ),
            )
        )
        number = 0
        blocks = document.blocks
        chunks = _chunks(document.paragraphs(), len(document.units))
        for chunk_index, chunk in enumerate(chunks):
            later = page.element("template", {"class": "later"}) if chunk_index else None
            with later or contextlib.nullcontext():
                for paragraph in chunk:
                    index = paragraph[0].segment.paragraph
                    block = blocks[index] if 0 <= index < len(blocks) else None
                    with page.element("tbody", {"class": _group_class(block), "role": "rowgroup"}):
                        for unit in paragraph:
                            number += 1
                            _write_row(page, number, unit, _text_tag(block), additions)
        if not document.units:
            page.write(E.tbody(E.tr(E.td({"colspan": "3", "class": "empty"}, "No text."))))


#: A page with more rows than this shows the first ones at once and keeps the rest in inert
#: ``<template>`` chunks of about as many rows, which the script brings in as the reader scrolls
#: (and in the background): a book-length page opens in a second instead of a minute, because
#: the browser styles and lays out only what is shown. Smaller pages are written whole.
LIVE_ROWS = 500


def _chunks(paragraphs: list[list[Unit]], rows: int) -> list[list[list[Unit]]]:
    """The paragraphs in chunks of about :data:`LIVE_ROWS` rows (one chunk for a short text)."""
    if rows <= 2 * LIVE_ROWS:
        return [paragraphs]
    chunks: list[list[list[Unit]]] = [[]]
    size = 0
    for paragraph in paragraphs:
        if size >= LIVE_ROWS:
            chunks.append([])
            size = 0
        chunks[-1].append(paragraph)
        size += len(paragraph)
    return chunks


def _group_class(block: Block | None) -> str:
    if block is None or block.kind is BlockKind.PARAGRAPH:
        return "paragraph"
    return f"paragraph kind-{block.kind.value} level-{min(block.level, 6)}"


def _text_tag(block: Block | None) -> str:
    """The element a row's text is written in: a heading for a heading's rows."""
    if block is not None and block.kind is BlockKind.HEADING:
        return f"h{min(max(block.level, 1) + 1, 6)}"
    return "span"


def _write_row(
    page: Any,
    number: int,
    unit: Unit,
    text_tag: str = "span",
    additions: PageAdditions | None = None,
) -> None:
    row_id = f"s{number}"
    findings = unit.findings
    issues = issues_of(findings)
    source_marks, target_marks = _marks(findings, row_id)
    classes = ["seg", f"origin-{unit.origin.value}"]
    if unit.reviewed:
        classes.append("is-reviewed")
    english = {"class": "cell en", "lang": "en", "tabindex": "0", "role": "cell"}
    severity = ""
    if issues:
        severity = worst_severity(issues).value
        classes += ["has-issues", f"severity-{severity}"]
        english["aria-describedby"] = f"issues-{row_id}"
    row = {"class": " ".join(classes), "id": row_id, "role": "row"}
    if additions is not None and additions.row_attributes is not None:
        row.update(additions.row_attributes(unit))
    with page.element("tr", row):
        with page.element("th", {"scope": "row", "class": "num", "role": "rowheader"}):
            with page.element("span", {"class": "visually-hidden"}):
                page.write("Segment ")
            page.write(str(number))
            if issues:
                for element in _issue_flag(row_id, issues, severity):
                    page.write(element)
        with page.element(
            "td", {"class": "cell fr", "lang": "fr", "tabindex": "0", "role": "cell"}
        ):
            _write_marked_text(page, clean(unit.source), source_marks, text_tag)
        with page.element("td", english):
            _write_marked_text(page, clean(unit.target), target_marks, text_tag)
            if unit.alignment is not None:
                label, tooltip = ALIGNED_LABEL
                page.write(E.span({"class": "origin badge-aligned", "title": tooltip}, label))
                if unit.alignment.flag is not None:
                    flag = unit.alignment.flag
                    page.write(
                        E.span({"class": f"align-flag align-{flag}"}, ALIGNMENT_FLAG_LABELS[flag])
                    )
            elif unit.origin in ORIGIN_LABELS:
                label, tooltip = REVIEWED_LABEL if unit.reviewed else ORIGIN_LABELS[unit.origin]
                page.write(E.span({"class": f"origin badge-{label}", "title": tooltip}, label))
            if unit.suggestion is not None:
                page.write(_suggestion(unit.suggestion))


def _issue_flag(row_id: str, issues: list[Finding], severity: str) -> list[etree._Element]:
    count = plural(len(issues), "issue")
    flag = E.button(
        {
            "type": "button",
            "class": f"flag severity-{severity}",
            "aria-expanded": "false",
            "aria-controls": f"issues-{row_id}",
            "aria-label": f"{count} in segment {row_id[1:]}",
        },
        "!",
    )
    items = [
        E.li(
            {"class": f"issue severity-{issue.severity.value}"},
            E.span({"class": "severity"}, issue.severity.value),
            " ",
            clean(issue.message),
        )
        for issue in issues
    ]
    return [flag, E.ul({"class": "issues", "id": f"issues-{row_id}", "role": "list"}, *items)]


def _marks(findings: Sequence[Finding], row_id: str) -> tuple[list[Mark], list[Mark]]:
    source: list[Mark] = []
    target: list[Mark] = []
    for index, finding in enumerate(findings):
        title = _mark_title(
            finding.term, finding.expected, finding.status, finding.severity, finding.message
        )
        kind = _mark_class(finding.kind)
        pair = f"{row_id}-{index}" if finding.source_span and finding.target_span else None
        if finding.source_span is not None:
            source.append(Mark(*finding.source_span, kind=kind, title=title, pair=pair))
        if finding.target_span is not None:
            target.append(Mark(*finding.target_span, kind=kind, title=title, pair=pair))
    return source, target


@functools.lru_cache(maxsize=64)
def _mark_class(kind: str) -> str:
    return _CLASS_UNSAFE.sub("-", kind.lower())


# A text repeats its terms, and each occurrence gets the same tooltip.
@functools.lru_cache(maxsize=4096)
def _mark_title(
    term: str | None, expected: str | None, status: str | None, severity: Severity, message: str
) -> str:
    if term is None:
        return clean(message)
    title = term
    if expected is not None:
        title += f" → {expected}"
    if status is not None:
        title += f" ({status})"
    # An approved rendering says it all; anything else (a problem, or a forbidden-only entry
    # that was respected) needs the checker's own words.
    if severity is not Severity.INFO or expected is None:
        title += f"\n{message}"
    return clean(title)


def _write_marked_text(page: Any, text: str, marks: list[Mark], tag: str = "span") -> None:
    """Write ``text`` in a ``span.text``, with each usable mark wrapped in ``<mark>``.

    Marks outside the text or overlapping an earlier one are dropped: a stale span must not
    garble the sentence.

    >>> buffer = io.BytesIO()
    >>> with etree.htmlfile(buffer, encoding="utf-8") as page:
    ...     _write_marked_text(page, "le grand modèle", [Mark(9, 15, "term-ok", "modèle → model")])
    >>> print(buffer.getvalue().decode())
    <span class="text">le grand <mark class="mark mark-term-ok" title="modèle → model">modèle</mark></span>
    """
    with page.element(tag, {"class": "text" if text.strip() else "text is-empty"}):
        position = 0
        for mark in sorted(marks, key=lambda mark: (mark.start, -mark.end)):
            if not position <= mark.start < mark.end <= len(text):
                continue
            if mark.start > position:
                page.write(text[position : mark.start])
            attributes = {"class": f"mark mark-{mark.kind}", "title": mark.title}
            if mark.pair is not None:
                attributes["data-pair"] = mark.pair
            with page.element("mark", attributes):
                page.write(text[mark.start : mark.end])
            position = mark.end
        if position < len(text):
            page.write(text[position:])


def _suggestion(suggestion: Suggestion) -> etree._Element:
    """A collapsed memory match, its French source shown as a diff against this segment."""
    source: list[str | etree._Element] = []
    for operation, text in suggestion.diff:
        text = clean(text)
        if operation < 0:
            source.append(E("del", {"title": "only in the remembered sentence"}, text))
        elif operation > 0:
            source.append(E.ins({"title": "only in this sentence"}, text))
        else:
            source.append(text)
    return E.details(
        {"class": "suggestion"},
        E.summary(
            f"{round(suggestion.similarity * 100)}% match in memory",
            E.span({"class": "suggestion-origin"}, f" · {suggestion.origin.value}"),
        ),
        E.div(
            {"class": "suggestion-body"},
            E.p({"class": "suggestion-source", "lang": "fr"}, *source),
            E.p({"class": "suggestion-target"}, clean(suggestion.target)),
        ),
    )


def plural(count: int, noun: str) -> str:
    """
    >>> plural(1, "entry"), plural(2, "entry"), plural(0, "issue")
    ('1 entry', '2 entries', '0 issues')
    """
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"
