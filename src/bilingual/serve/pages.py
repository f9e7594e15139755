"""The pages ``bilingual serve`` sends: each text's reading page with the editor, and the index
of the texts with their progress.

The reading page is the static one (:mod:`bilingual.export.html`) plus :class:`PageAdditions`:
``editor.js`` and ``editor.css`` inlined and allowed by hash, the session token in a ``<meta>``,
the editor's tools in the toolbar, the glossary panel and dialog after it, and each row's
version. Everything is built as lxml elements, so every text is escaped as on the static page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from lxml import etree
from lxml.builder import E

from ..document import Document, Unit
from ..export.html import (
    PageAdditions,
    clean,
    html_page,
    masthead,
    page_policy,
    plural,
    read_asset,
    render_html,
    render_row,
)
from ..glossary import EntryKind
from ..inline import coded_target
from .workspace import Progress, segment_version

#: The filters of the editor's toolbar: (value, label, tooltip).
FILTERS: tuple[tuple[str, str, str], ...] = (
    ("all", "All", "Every segment"),
    ("flagged", "Flagged", "Segments with warnings or errors"),
    ("unreviewed", "Unreviewed", "Segments nobody has marked reviewed"),
    ("machine", "Machine", "Machine translations nobody has edited"),
    ("human", "Human", "Human translations"),
)


def editor_additions(
    token: str, name: str, last_edit: int | None, glossary: str | None
) -> PageAdditions:
    """What the served reading page of text ``name`` adds to the static one.

    ``last_edit`` is the operation :meth:`Workspace.undo` would take back; ``glossary`` the
    glossary being edited (None: none).
    """
    return PageAdditions(
        script=read_asset("editor.js"),
        style=read_asset("editor.css"),
        connect="'self'",
        meta={
            "bilingual-token": token,
            "bilingual-text": name,
            "bilingual-last-edit": str(last_edit or ""),
            "bilingual-glossary": glossary or "",
        },
        toolbar=[_editor_tools()],
        after_toolbar=[_glossary_panel(glossary), _term_dialog(), _selection_button()],
        row_attributes=_row_attributes,
    )


def _row_attributes(unit: Unit) -> dict[str, str]:
    attributes = {"data-version": segment_version(unit)}
    if unit.source_tags:  # the editor edits the coded text, tags and all
        attributes["data-target"] = clean(coded_target(unit))
    return attributes


#: What a row rendered on its own needs of the additions.
_ROWS = PageAdditions(row_attributes=_row_attributes)


def render_text_page(document: Document, additions: PageAdditions) -> bytes:
    return render_html(document, additions)


def segment_row(document: Document, number: int) -> str:
    """Segment ``number``'s row as the served page has it, to put in place of the old one."""
    return render_row(document, number, _ROWS)


def policy_header(additions: PageAdditions, script: bool = True) -> dict[str, str]:
    """The page's Content-Security-Policy as a response header too, where it can also forbid
    framing (a ``<meta>`` policy cannot)."""
    policy = page_policy(read_asset("page.js") if script else None, additions)
    return {"Content-Security-Policy": f"{policy}; frame-ancestors 'none'"}


def _editor_tools() -> etree._Element:
    filters: list[etree._Element] = []
    for value, label, tooltip in FILTERS:
        radio = E.input(type="radio", name="filter", id=f"filter-{value}", value=value)
        if value == "all":
            radio.set("checked", "checked")
        filters += [radio, E.label({"for": f"filter-{value}", "title": tooltip}, label)]
    return E.div(
        {"class": "editor-tools"},
        E.fieldset(
            {"class": "views filters"}, E.legend({"class": "visually-hidden"}, "Show"), *filters
        ),
        E.button(
            {
                "type": "button",
                "id": "undo-edit",
                "class": "tool",
                "disabled": "disabled",
                "title": "Undo the last edit or review of this text (Ctrl+Z)",
            },
            "Undo",
        ),
        E.button(
            {
                "type": "button",
                "id": "glossary-toggle",
                "class": "tool",
                "aria-expanded": "false",
                "aria-controls": "glossary-panel",
            },
            "Glossary",
        ),
        E.a({"href": "/", "class": "tool"}, "All texts"),
        E.p(
            {"class": "keys"},
            E.kbd("Enter"),
            " edit · ",
            E.kbd("Ctrl"),
            "+",
            E.kbd("Enter"),
            " save · ",
            E.kbd("Esc"),
            " cancel · ",
            E.kbd("r"),
            " reviewed",
        ),
        E.p(
            {
                "id": "editor-status",
                "class": "editor-status",
                "role": "status",
                "aria-live": "polite",
            }
        ),
    )


def _glossary_panel(glossary: str | None) -> etree._Element:
    where = (
        E.p({"class": "glossary-file"}, E.code(clean(glossary)))
        if glossary
        else E.p(
            {"class": "glossary-file"},
            "No glossary: start bilingual serve with --glossary FILE to edit one.",
        )
    )
    return E.aside(
        {
            "id": "glossary-panel",
            "class": "glossary-panel",
            "hidden": "hidden",
            "aria-labelledby": "glossary-title",
        },
        E.div(
            {"class": "panel-head"},
            E.h2({"id": "glossary-title"}, "Glossary"),
            E.button({"type": "button", "id": "glossary-close", "class": "tool"}, "Close"),
        ),
        where,
        E.label({"class": "visually-hidden", "for": "glossary-filter"}, "Filter the entries"),
        E.input(
            {
                "type": "search",
                "id": "glossary-filter",
                "placeholder": "Filter entries",
                "autocomplete": "off",
            }
        ),
        E.ul({"id": "glossary-entries", "class": "glossary-entries", "role": "list"}),
    )


def _term_dialog() -> etree._Element:
    statuses = [E.option({"value": kind.value}, kind.value) for kind in EntryKind]
    return E.dialog(
        {"id": "term-dialog", "class": "term-dialog", "aria-labelledby": "term-title"},
        E.h2({"id": "term-title"}, "Add to the glossary"),
        E.label("French term", E.input({"id": "term-source", "lang": "fr", "autocomplete": "off"})),
        E.label("English", E.input({"id": "term-target", "autocomplete": "off"})),
        E.label("Status", E.select({"id": "term-status"}, *statuses)),
        E.label("Note", E.input({"id": "term-note", "autocomplete": "off"})),
        E.p({"id": "term-error", "class": "term-error", "role": "alert"}),
        E.div(
            {"class": "dialog-buttons"},
            E.button({"type": "button", "id": "term-save", "class": "tool primary"}, "Add"),
            E.button({"type": "button", "id": "term-cancel", "class": "tool"}, "Cancel"),
        ),
    )


def _selection_button() -> etree._Element:
    return E.button(
        {
            "type": "button",
            "id": "term-from-selection",
            "class": "term-from-selection",
            "hidden": "hidden",
        },
        "Add to glossary",
    )


def render_index(
    texts: Sequence[Progress], files: Mapping[str, Mapping[str, str]], additions: PageAdditions
) -> bytes:
    """The served index: every text with its progress, a link to continue where the translator
    stopped, and its files."""
    segments = sum(text.segments for text in texts)
    body = [
        masthead("Post-editing", [plural(len(texts), "text"), plural(segments, "segment")]),
        E.main(
            E.div(
                {"class": "table-scroll"},
                E.table(
                    {"class": "catalogue progress-table"},
                    E.caption({"class": "visually-hidden"}, "The texts and their progress"),
                    E.thead(
                        E.tr(
                            *(
                                E.th({"scope": "col"}, label)
                                for label in (
                                    "Text",
                                    "Segments",
                                    "Human",
                                    "Reviewed",
                                    "Machine",
                                    "Flagged",
                                    "Progress",
                                    "",
                                    "Files",
                                )
                            )
                        )
                    ),
                    E.tbody(*(_progress_row(text, files.get(text.name, {})) for text in texts)),
                ),
            )
            if texts
            else E.p("No text here."),
        ),
    ]
    return html_page("Post-editing", body, meta={}, script=None, additions=additions)


def _progress_row(text: Progress, files: Mapping[str, str]) -> etree._Element:
    page = f"/texts/{quote(text.name, safe='')}"
    done = text.human + text.reviewed
    percent = round(100 * done / text.segments) if text.segments else 100
    links: list[etree._Element | str] = []
    for output, file_name in files.items():
        if links:
            links.append(" · ")
        links.append(E.a({"href": f"/files/{quote(file_name, safe='')}"}, clean(output)))

    def count(label: str, value: int) -> etree._Element:
        return E.td({"class": "count", "data-label": label}, str(value))

    return E.tr(
        {"data-text": clean(text.name)},
        E.td({"class": "title"}, E.a({"href": page}, clean(text.name))),
        count("Segments", text.segments),
        count("Human", text.human),
        count("Reviewed", text.reviewed),
        count("Machine", text.machine),
        count("Flagged", text.flagged),
        E.td(
            {"data-label": "Progress"},
            E.progress({"value": str(done), "max": str(max(text.segments, 1))}, f"{percent}%"),
            f" {percent}%",
        ),
        E.td(
            E.a(
                {"href": f"{page}#s{text.resume}", "class": "continue"},
                "Continue" if done else "Start",
                E.span({"class": "visually-hidden"}, f" {clean(text.name)}"),
            )
        ),
        E.td({"class": "formats", "data-label": "Files"}, *(links or ["—"])),
    )
