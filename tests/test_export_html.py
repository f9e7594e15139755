"""The reading page and the index page, checked on the HTML they produce (parsed with lxml)."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html
from lxml.html import HtmlElement

import bilingual
from bilingual.document import (
    Document,
    EngineInfo,
    Finding,
    GlossaryInfo,
    Origin,
    Segment,
    Severity,
    Suggestion,
    Unit,
)
from bilingual.export.html import render_html, write_html
from bilingual.export.index import TextSummary, render_index, write_index
from bilingual.qa import qa_findings

XSS_SOURCE = (
    'Le code <script>alert("fr")</script> et "><img src=x onerror=alert(1)> '
    "&amp; </td> reste du texte."
)
XSS_TARGET = (
    'The code <script>alert("en")</script> and "><img src=x onerror=alert(1)> '
    "&amp; </td> stays text."
)

ENGINE = EngineInfo("apertium", "3.8.3", "fr-es+spa-eng")

#: (French, English, origin) per segment; a blank entry separates paragraphs.
SAMPLE: list[tuple[str, str, Origin] | None] = [
    ("Chargement du fil de discussion.", "Loading the thread.", Origin.MACHINE),
    (
        "Récupération des tweets originaux depuis X pour offrir une lecture épurée.",
        "Retrieving the original tweets from X to offer a clean read.",
        Origin.MACHINE,
    ),
    (
        "Cela ne prend généralement que quelques secondes.",
        "This usually takes only a few seconds.",
        Origin.HUMAN,
    ),
    None,
    (
        (
            "Alibaba a lancé cette semaine sa série Qwen en tant que famille de modèles à poids "
            "ouvert au Consumer Electronics Show (CES) de Las Vegas, une décision qui a déjà "
            "stimulé la création de plus de 100 000 modèles dérivés sur des plateformes comme "
            "Hugging Face."
        ),
        (
            "This week Alibaba launched its Qwen series as a family of open-weight models at the "
            "Consumer Electronics Show (CES) in Las Vegas, a decision that has already spurred the "
            "creation of more than 100,000 derived models on platforms such as Hugging Face."
        ),
        Origin.MACHINE,
    ),
    (
        (
            "Ce développement met en évidence une volonté majeure des entreprises chinoises de "
            "devenir leader de l'intelligence artificielle open source, avec plus de 1 000 "
            "entreprises chinoises participant à l'événement qui s'est terminé le 10 janvier."
        ),
        (
            "This development highlights a major drive by Chinese companies to lead in open-source "
            "AI, with more than 100 Chinese companies taking part in the event, which ended on "
            "January 10."
        ),
        Origin.MACHINE,
    ),
    (
        "À cette époque, 63 % de tous les nouveaux modèles étaient basés sur des modèles chinois.",
        "At that time, 63% of all new models were based on Chinese models.",
        Origin.MEMORY,
    ),
    None,
    (XSS_SOURCE, XSS_TARGET, Origin.MACHINE),
    (
        "Le logiciel libre détermine son adoption à grande échelle.",
        "Free software determines its adoption on a large scale.",
        Origin.MACHINE,
    ),
    ("Juste ces deux-là.", "", Origin.MACHINE),
]

GLOSSARY_TERMS = [
    # (kind, severity, French term, expected English, English found in the target or None)
    (
        "term-ok",
        Severity.INFO,
        "modèles à poids ouvert",
        "open-weight models",
        "open-weight models",
    ),
    (
        "term-missing",
        Severity.WARNING,
        "intelligence artificielle",
        "artificial intelligence",
        None,
    ),
    ("term-forbidden", Severity.ERROR, "logiciel libre", "open-source software", "Free software"),
]

SUGGESTION = Suggestion(
    target="At that time, 60% of new models were based on Chinese models.",
    similarity=0.87,
    origin=Origin.HUMAN,
    diff=(
        (0, "À cette époque, "),
        (-1, "60 % des"),
        (1, "63 % de tous les"),
        (0, " nouveaux modèles étaient basés sur des modèles chinois."),
    ),
)


def sample_document(name: str = "alibaba-qwen") -> Document:
    """A small document exercising every feature of the page."""
    paragraphs: list[list[tuple[str, str, Origin]]] = [[]]
    for entry in SAMPLE:
        if entry is None:
            paragraphs.append([])
        else:
            paragraphs[-1].append(entry)
    text = ""
    units: list[Unit] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            text += "\n\n"
        for index, (french, english, origin) in enumerate(paragraph):
            if index:
                text += " "
            segment = Segment(len(text), len(text) + len(french), french, paragraph=number)
            text += french
            units.append(Unit(segment, english, origin=origin, engine=ENGINE))
    for kind, severity, term, expected, found in GLOSSARY_TERMS:
        unit = next(unit for unit in units if term in unit.source)
        start = unit.source.index(term)
        target_span = None
        if found is not None:
            target_start = unit.target.index(found)
            target_span = (target_start, target_start + len(found))
        unit.findings = [
            *unit.findings,
            Finding(
                kind,
                severity,
                f"glossary: {term!r} should be translated as {expected!r}",
                term=term,
                expected=expected,
                status="approved",
                source_span=(start, start + len(term)),
                target_span=target_span,
            ),
        ]
    next(unit for unit in units if unit.origin is Origin.MEMORY).suggestion = SUGGESTION
    for unit in units:  # as the pipeline's check stage does
        unit.findings = [*unit.findings, *qa_findings(unit)]
    return Document(
        name=name,
        text=text,
        units=units,
        engine=ENGINE,
        glossary=GlossaryInfo("glossary/tech.csv", "9f86d081884c7d659a2feaa0c55ad015", 42),
        created=datetime(2026, 1, 12, 9, 30, tzinfo=UTC),
    )


# cssselect is not a dependency: this covers the selectors used here (tag, .class, [attr] and
# [attr="value"], joined by descendant or ">" combinators).
_COMPOUND = re.compile(r'([a-z0-9*]*)((?:\.[\w-]+|\[[\w-]+(?:="[^"]*")?\])*)')
_PART = re.compile(r'\.([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]')


def select(element: HtmlElement, selector: str) -> list[HtmlElement]:
    path = "."
    axis = "//"
    for token in re.findall(r'>|(?:[^\s>"]|"[^"]*")+', selector):
        if token == ">":
            axis = "/"
            continue
        match = _COMPOUND.fullmatch(token)
        assert match, token
        tests = []
        for class_name, attribute, value in _PART.findall(match.group(2)):
            if class_name:
                tests.append(
                    f"contains(concat(' ', normalize-space(@class), ' '), ' {class_name} ')"
                )
            elif value:
                tests.append(f"@{attribute}='{value}'")
            else:
                tests.append(f"@{attribute}")
        path += axis + (match.group(1) or "*") + "".join(f"[{test}]" for test in tests)
        axis = "//"
    return element.xpath(path)


def parse(document: Document) -> HtmlElement:
    return lxml_html.fromstring(render_html(document))


def row_of(page: HtmlElement, text: str) -> HtmlElement:
    rows = [row for row in select(page, "tr.seg") if text in row.text_content()]
    assert len(rows) == 1, text
    return rows[0]


def cell_text(row: HtmlElement, language: str) -> str:
    return select(row, f".cell.{language} > .text")[0].text_content()


# ---------- the page as a whole ----------


def test_page_is_one_self_contained_html5_file() -> None:
    data = render_html(sample_document())
    assert data.startswith(b"<!DOCTYPE html>")
    page = lxml_html.fromstring(data)
    assert page.find("head/title").text == "alibaba-qwen"
    assert select(page, "h1")[0].text_content() == "alibaba-qwen"
    for element in page.iter():
        for attribute in ("src", "href", "action", "srcset"):
            value = element.get(attribute)
            assert value is None or value.startswith(("data:", "#")), (element.tag, value)
    assert not select(page, 'link[rel="stylesheet"]')
    assert len(select(page, "style")) == 1
    assert len(select(page, "script")) == 1


def test_content_security_policy_allows_only_the_inline_style_and_script_by_hash() -> None:
    page = parse(sample_document())
    policy = select(page, 'meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"

    def hashed(text: str) -> str:
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        return f"'sha256-{base64.b64encode(digest).decode()}'"

    assert directives["style-src"] == hashed(select(page, "style")[0].text)
    assert directives["script-src"] == hashed(select(page, "script")[0].text)


def test_metadata_names_generator_and_engine_signature() -> None:
    page = parse(sample_document())
    assert select(page, 'meta[name="generator"]')[0].get("content") == (
        f"bilingual {bilingual.__version__}"
    )
    signature = select(page, 'meta[name="bilingual-signature"]')[0].get("content")
    assert signature == "apertium:3.8.3:fr-es+spa-eng"
    assert select(page, "meta[charset]")[0].get("charset") == "utf-8"


def test_semantic_landmarks_and_languages() -> None:
    page = parse(sample_document())
    assert page.get("lang") == "en"
    for landmark in ("header", "nav", "main", "footer"):
        assert select(page, landmark), landmark
    assert {cell.get("lang") for cell in select(page, ".cell.fr")} == {"fr"}
    assert {cell.get("lang") for cell in select(page, ".cell.en")} == {"en"}
    assert select(page, "table.parallel thead th.fr")[0].get("lang") == "fr"
    assert all(row.get("role") == "row" for row in select(page, "tr.seg"))


def test_one_row_per_unit_grouped_by_paragraph() -> None:
    document = sample_document()
    page = parse(document)
    rows = select(page, "tr.seg")
    assert [row.get("id") for row in rows] == [f"s{n}" for n in range(1, len(document.units) + 1)]
    groups = select(page, "tbody.paragraph")
    assert [len(select(group, "tr.seg")) for group in groups] == [3, 3, 3]
    for row, unit in zip(rows, document.units, strict=True):
        assert cell_text(row, "fr") == unit.source
        assert cell_text(row, "en") == unit.target


def test_every_segment_is_focusable() -> None:
    page = parse(sample_document())
    cells = select(page, ".cell")
    assert len(cells) == 2 * len(sample_document().units)
    assert {cell.get("tabindex") for cell in cells} == {"0"}


def test_view_modes_offered_with_bilingual_checked() -> None:
    page = parse(sample_document())
    radios = select(page, 'input[name="view"]')
    assert [radio.get("value") for radio in radios] == ["both", "en", "fr", "learn"]
    assert [radio.get("value") for radio in radios if radio.get("checked") is not None] == ["both"]
    for radio in radios:
        assert select(page, f'label[for="{radio.get("id")}"]')


# ---------- text is always text ----------


def test_markup_in_source_and_target_renders_literally() -> None:
    data = render_html(sample_document())
    page = lxml_html.fromstring(data)
    row = row_of(page, "Le code")
    assert cell_text(row, "fr") == XSS_SOURCE
    assert cell_text(row, "en") == XSS_TARGET
    assert not select(page, "img")
    assert len(select(page, "script")) == 1
    assert b"<img src=x" not in data
    assert b"</td> reste" not in data


def test_markup_in_names_and_provenance_is_escaped() -> None:
    document = sample_document(name='<script>alert("name")</script>')
    document.engine = EngineInfo('"><b>', "1", "<i>")
    document.glossary = GlossaryInfo("<img src=x onerror=alert(1)>.csv", "abc", 1)
    page = parse(document)
    assert page.find("head/title").text == '<script>alert("name")</script>'
    assert len(select(page, "script")) == 1
    assert not any(select(page, tag) for tag in ("img", "b", "i"))
    assert select(page, 'meta[name="bilingual-signature"]')[0].get("content") == '"><b>:1:<i>'


def test_control_characters_do_not_break_the_page() -> None:
    document = sample_document()
    document.units[0].target = "Loading\x1b the\x0c thread."
    assert (
        cell_text(row_of(parse(document), "Chargement"), "en") == "Loading\ufffd the\ufffd thread."
    )


# ---------- glossary terms and QA flags ----------


def test_approved_term_is_marked_in_both_columns_with_its_translation() -> None:
    row = row_of(parse(sample_document()), "Alibaba a lancé")
    french = select(row, ".cell.fr mark.mark-term-ok")[0]
    english = select(row, ".cell.en mark.mark-term-ok")[0]
    assert french.text_content() == "modèles à poids ouvert"
    assert english.text_content() == "open-weight models"
    assert "open-weight models" in french.get("title")
    assert "approved" in french.get("title")
    assert french.get("data-pair") == english.get("data-pair") is not None
    assert not select(row, ".flag"), "a term found is not an issue"


def test_missing_and_forbidden_terms_are_marked_and_flagged() -> None:
    page = parse(sample_document())
    missing = row_of(page, "intelligence artificielle")
    assert select(missing, ".cell.fr mark.mark-term-missing")[0].text_content() == (
        "intelligence artificielle"
    )
    forbidden = row_of(page, "logiciel libre")
    assert select(forbidden, ".cell.en mark.mark-term-forbidden")[0].text_content() == (
        "Free software"
    )
    assert "severity-error" in forbidden.get("class").split()
    for row in (missing, forbidden):
        assert "has-issues" in row.get("class").split()


def test_number_lost_in_translation_is_flagged_with_an_accessible_list() -> None:
    row = row_of(parse(sample_document()), "1 000 entreprises")
    flag = select(row, "button.flag")[0]
    issues = select(row, "ul.issues")[0]
    assert flag.get("aria-controls") == issues.get("id")
    assert flag.get("aria-label") == "2 issues in segment 5"
    messages = [item.text_content() for item in select(issues, "li")]
    assert any("1 000" in message for message in messages)
    assert select(row, ".cell.fr mark.mark-number-missing")[0].text_content() == "1 000"
    assert select(row, ".cell.en")[0].get("aria-describedby") == issues.get("id")


def test_numbers_written_the_english_way_are_not_flagged() -> None:
    page = parse(sample_document())
    assert not select(row_of(page, "100 000"), ".flag")
    assert not select(row_of(page, "63 %"), ".flag")


def test_empty_translation_is_an_error() -> None:
    row = row_of(parse(sample_document()), "Juste ces deux-là.")
    assert "severity-error" in row.get("class").split()
    assert select(row, ".cell.en .text.is-empty")
    assert "empty" in select(row, "ul.issues")[0].text_content()


def test_overlapping_and_stale_spans_never_garble_the_text() -> None:
    document = sample_document()
    unit = document.units[0]
    for span in [(0, 10), (5, 15), (30, 99), (4, 2)]:
        unit.findings = [
            *unit.findings, Finding("term-ok", Severity.INFO, "x", term="x", source_span=span)
        ]
    row = row_of(parse(document), "Chargement")
    assert cell_text(row, "fr") == unit.source
    assert len(select(row, ".cell.fr mark")) == 1


@pytest.mark.parametrize(
    ("source", "target", "kinds"),
    [
        ("Plus de 100 000 modèles.", "More than 100,000 models.", []),
        ("Plus de 100 000 modèles.", "More than 100 000 models.", []),
        ("Une hausse de 2,5 %.", "A rise of 2.5%.", []),
        ("Une hausse de 2,5 %.", "A rise of 25%.", ["number-missing"]),
        ("Le 10 janvier 2025.", "On January 10, 2025.", []),
        ("Qwen2.5 et R3.", "Qwen2.5 and R3.", []),
        ("Le modèle est ouvert à tous.", "Le modèle est ouvert à tous.", ["untranslated"]),
        ("Hugging Face.", "Hugging Face.", []),
        ("Bonjour.", "", ["empty-translation"]),
        ("—", "", []),
    ],
)
def test_qa_findings(source: str, target: str, kinds: list[str]) -> None:
    unit = Unit(Segment(0, len(source), source), target)
    assert [finding.kind for finding in qa_findings(unit)] == kinds


# ---------- origin and memory suggestion ----------


def test_human_and_memory_translations_are_marked_differently() -> None:
    page = parse(sample_document())
    human = row_of(page, "quelques secondes")
    memory = row_of(page, "63 %")
    machine = row_of(page, "Chargement")
    assert "origin-human" in human.get("class").split()
    assert select(human, ".badge-human")[0].text_content() == "human"
    assert select(memory, ".badge-memory")[0].text_content() == "memory"
    assert not select(machine, ".origin")


def test_suggestion_shows_source_differences_collapsed() -> None:
    row = row_of(parse(sample_document()), "63 %")
    details = select(row, "details.suggestion")[0]
    assert details.get("open") is None
    assert "87%" in select(details, "summary")[0].text_content()
    assert [d.text_content() for d in select(details, "del")] == ["60 % des"]
    assert [i.text_content() for i in select(details, "ins")] == ["63 % de tous les"]
    assert select(details, ".suggestion-target")[0].text_content() == SUGGESTION.target


# ---------- provenance ----------


def test_footer_records_engine_glossary_date_and_version() -> None:
    footer = select(parse(sample_document()), "footer")[0]
    text = " ".join(footer.text_content().split())
    assert "apertium 3.8.3" in text
    assert "fr-es+spa-eng" in text
    assert "glossary/tech.csv" in text
    assert "9f86d081884c" in text and "42 entries" in text
    assert f"bilingual {bilingual.__version__}" in text
    assert select(footer, "time")[0].get("datetime") == "2026-01-12T09:30:00+00:00"


def test_document_without_engine_or_units_still_renders() -> None:
    document = Document(name="vide", text="")
    page = parse(document)
    assert not select(page, 'meta[name="bilingual-signature"]')
    assert "not recorded" in select(page, "footer")[0].text_content()
    assert not select(page, "tr.seg")


def test_write_html_writes_the_rendered_page(tmp_path: Path) -> None:
    document = sample_document()
    target = tmp_path / "out" / "alibaba-qwen.html"
    write_html(document, target)
    assert target.read_bytes() == render_html(document)
    assert [path.name for path in target.parent.iterdir()] == ["alibaba-qwen.html"]


# ---------- index page ----------


def test_index_lists_texts_with_counts_engine_and_links(tmp_path: Path) -> None:
    first = sample_document("alibaba-qwen")
    second = sample_document("deux <mots> & plus")
    second.units = second.units[:2]
    texts = [
        TextSummary.of(first, {"html": "alibaba-qwen.html", "tmx": "alibaba-qwen.tmx"}),
        TextSummary.of(second, {"tmx": "deux <mots> & plus.tmx"}),
    ]
    write_index(texts, tmp_path / "index.html")
    page = lxml_html.fromstring((tmp_path / "index.html").read_bytes())
    rows = select(page, "table.catalogue tbody tr")
    assert len(rows) == 2
    link = select(rows[0], "td.title a")[0]
    assert (link.text_content(), link.get("href")) == ("alibaba-qwen", "alibaba-qwen.html")
    assert select(rows[0], "td.count")[0].text_content() == "9"
    assert "apertium:3.8.3:fr-es+spa-eng" in rows[0].text_content()
    chips = [chip.text_content() for chip in select(rows[0], ".chip")]
    assert chips == ["2 errors", "2 warnings", "1 ok", "1 missing", "1 forbidden"]
    counts = [
        *select(rows[0], ".chip.severity-error a"),
        *select(rows[0], ".chip.severity-warning a"),
    ]
    for chip in counts:
        # each count leads to the first segment flagged so, on the text's reading page
        href = chip.get("href")
        assert href.startswith("alibaba-qwen.html#s")
        number = int(href.rsplit("#s", 1)[1])
        severity = "error" if "error" in chip.text_content() else "warning"
        flagged = [
            n
            for n, unit in enumerate(first.units, start=1)
            if any(f.severity.value == severity for f in unit.findings)
        ]
        assert number == flagged[0]
    assert len(counts) == 2
    assert TextSummary.from_json("x", texts[0].to_json()).first_flagged == texts[0].first_flagged
    assert select(rows[1], "td.title")[0].text_content() == "deux <mots> & plus"
    assert not select(rows[1], "td.title a")
    assert select(rows[1], "td.formats a")[0].get("href") == "deux%20%3Cmots%3E%20%26%20plus.tmx"
    assert not select(page, "script")
    policy = select(page, 'meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    assert "script-src 'none'" in policy


def test_index_of_no_documents() -> None:
    page = lxml_html.fromstring(render_index([]))
    assert "No text" in select(page, "main")[0].text_content()


def test_page_css_and_js_are_package_data() -> None:
    from importlib import resources

    data = resources.files("bilingual") / "data"
    assert re.search(r"@media print", (data / "page.css").read_text(encoding="utf-8"))
    assert "localStorage" in (data / "page.js").read_text(encoding="utf-8")


# ---------- reviews and what a served page adds ----------


def test_a_reviewed_translation_has_its_own_badge() -> None:
    document = sample_document()
    unit = next(unit for unit in document.units if unit.origin is Origin.HUMAN)
    unit.reviewed = True
    row = row_of(parse(document), unit.source[:20])
    assert "is-reviewed" in row.get("class").split()
    assert [badge.text_content() for badge in select(row, ".origin")] == ["reviewed"]


def test_additions_extend_the_page_and_its_policy_by_hash() -> None:
    from lxml.builder import E

    from bilingual.export.html import PageAdditions, page_policy, read_asset, render_row

    document = sample_document()
    additions = PageAdditions(
        script="window.added = 1;",
        style=".added { color: red; }",
        connect="'self'",
        meta={"bilingual-token": "secret"},
        toolbar=[E.button({"id": "added-tool"}, "Tool")],
        after_toolbar=[E.aside({"id": "added-panel"})],
        row_attributes=lambda unit: {"data-version": str(len(unit.target))},
    )
    page = lxml_html.fromstring(render_html(document, additions))
    policy = select(page, 'meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    assert policy == page_policy(read_asset("page.js"), additions)
    for text in (read_asset("page.js"), "window.added = 1;", ".added { color: red; }"):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "connect-src 'self'" in policy
    assert [s.text for s in select(page, "script")][1] == "window.added = 1;"
    assert select(page, 'meta[name="bilingual-token"]')[0].get("content") == "secret"
    assert page.xpath('//*[@class="toolbar-inner"]/button[@id="added-tool"]')
    assert page.xpath('//aside[@id="added-panel"]')
    rows = select(page, "tr.seg")
    assert [row.get("data-version") for row in rows] == [
        str(len(unit.target)) for unit in document.units
    ]
    alone = lxml_html.fragment_fromstring(render_row(document, 1, additions))
    assert lxml_html.tostring(alone) == lxml_html.tostring(rows[0])
    static = parse(document)
    static_policy = select(static, 'meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    assert "connect-src" not in static_policy and len(select(static, "script")) == 1
