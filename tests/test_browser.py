"""The reading page in a real headless Chromium: interaction, view modes, safety, layout.

Screenshots land in pytest's tmp_path and are copied to /tmp/bilingual-screenshots/ for people
to look at.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_export_html import XSS_SOURCE, XSS_TARGET, sample_document

from bilingual.document import Block, BlockKind, Document, Segment, Unit
from bilingual.export.html import write_html
from bilingual.export.index import TextSummary, write_index

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.timeout(120)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SHARED_SCREENSHOTS = Path("/tmp/bilingual-screenshots")


@dataclass
class Watched:
    """A page with everything it did that a self-contained page must not do."""

    page: sync_api.Page
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def cell(self, row: int, language: str) -> sync_api.Locator:
        return self.page.locator(f"#s{row} .cell.{language}")

    def focused_id(self) -> str:
        return str(
            self.page.evaluate(
                "() => { const c = document.activeElement;"
                " return c.closest('tr').id + ' ' + (c.classList.contains('en') ? 'en' : 'fr'); }"
            )
        )

    def choose_view(self, label: str) -> None:
        self.page.locator("fieldset.views label", has_text=label).click()


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("site") / "alibaba-qwen.html"
    write_html(sample_document(), path)
    return path


def watch(browser: sync_api.Browser, path: Path, **context_options: object) -> Iterator[Watched]:
    context = browser.new_context(**context_options)
    page = context.new_page()
    watched = Watched(page, path.as_uri())
    page.on("request", lambda request: watched.requests.append(request.url))
    page.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: watched.errors.append(str(error)))

    def on_dialog(dialog: sync_api.Dialog) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(watched.url)
    yield watched
    context.close()
    # A page may load only itself: no font, no icon, nothing remote.
    assert set(watched.requests) <= {watched.url}, watched.requests
    assert watched.errors == []
    assert watched.dialogs == []


@pytest.fixture
def desktop(browser: sync_api.Browser, page_path: Path) -> Iterator[Watched]:
    yield from watch(browser, page_path, viewport=DESKTOP)


@pytest.fixture
def phone(browser: sync_api.Browser, page_path: Path) -> Iterator[Watched]:
    yield from watch(browser, page_path, viewport=PHONE, device_scale_factor=2, has_touch=True)


def screenshot(page: sync_api.Page, tmp_path: Path, name: str, full_page: bool = True) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    SHARED_SCREENSHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHARED_SCREENSHOTS / path.name)
    return path


def has_class(locator: sync_api.Locator, name: str) -> bool:
    return bool(locator.evaluate("(element, name) => element.classList.contains(name)", name))


def test_hovering_a_segment_highlights_its_pair(desktop: Watched) -> None:
    desktop.cell(4, "fr").hover()
    assert has_class(desktop.cell(4, "en"), "is-highlighted")
    desktop.cell(2, "en").hover()
    assert has_class(desktop.cell(2, "fr"), "is-highlighted")
    assert not has_class(desktop.cell(4, "en"), "is-highlighted")
    desktop.page.mouse.move(5, 5)
    assert desktop.page.locator(".is-highlighted").count() == 0


def test_hovering_a_term_outlines_its_translation(desktop: Watched) -> None:
    desktop.page.locator("#s4 .cell.fr mark.mark-term-ok").hover()
    assert has_class(desktop.page.locator("#s4 .cell.en mark.mark-term-ok"), "is-paired")


def test_keyboard_moves_between_segments_with_a_visible_focus_ring(desktop: Watched) -> None:
    page = desktop.page
    desktop.cell(1, "fr").focus()
    page.keyboard.press("j")
    assert desktop.focused_id() == "s2 fr"
    assert has_class(desktop.cell(2, "en"), "is-highlighted")
    page.keyboard.press("ArrowRight")
    assert desktop.focused_id() == "s2 en"
    page.keyboard.press("ArrowDown")
    assert desktop.focused_id() == "s3 en"
    page.keyboard.press("k")
    page.keyboard.press("ArrowLeft")
    assert desktop.focused_id() == "s2 fr"
    page.keyboard.press("Tab")
    assert desktop.focused_id() == "s2 en"
    outline = desktop.cell(2, "en").evaluate(
        "cell => { const s = getComputedStyle(cell); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline == ["solid", "2px"]


def test_j_without_focus_starts_at_the_first_segment(desktop: Watched) -> None:
    desktop.page.keyboard.press("j")
    assert desktop.focused_id() == "s1 fr"


@pytest.mark.parametrize(
    ("label", "french_shown", "english_shown"),
    [("Bilingual", True, True), ("English", False, True), ("Français", True, False)],
)
def test_view_modes_show_the_chosen_columns(
    desktop: Watched, label: str, french_shown: bool, english_shown: bool
) -> None:
    desktop.choose_view("English" if label != "English" else "Français")
    desktop.choose_view(label)
    for row in (1, 5, 9):
        assert desktop.cell(row, "fr").is_visible() is french_shown
        assert desktop.cell(row, "en").is_visible() is english_shown
    assert desktop.page.locator("thead th.fr").is_visible() is french_shown


def test_learner_mode_hides_english_until_revealed(desktop: Watched, tmp_path: Path) -> None:
    page = desktop.page
    desktop.choose_view("Learner")
    english = desktop.cell(2, "en")
    assert english.is_visible()
    assert not english.locator(".text").is_visible()
    assert desktop.cell(2, "fr").locator(".text").is_visible()
    english.click()
    assert english.locator(".text").is_visible()
    assert not desktop.cell(3, "en").locator(".text").is_visible()
    desktop.cell(3, "en").focus()
    page.keyboard.press("Enter")
    assert desktop.cell(3, "en").locator(".text").is_visible()
    screenshot(page, tmp_path, "learner-desktop", full_page=False)


def test_view_choice_is_remembered_after_reload(desktop: Watched) -> None:
    page = desktop.page
    desktop.choose_view("English")
    page.reload()
    assert page.locator("#view-en").is_checked()
    assert not desktop.cell(1, "fr").is_visible()
    assert desktop.cell(1, "en").is_visible()


def test_pages_work_when_local_storage_is_refused(
    browser: sync_api.Browser, page_path: Path
) -> None:
    for watched in watch(browser, page_path, viewport=DESKTOP):
        watched.page.add_init_script(
            "Object.defineProperty(window, 'localStorage', {get() {"
            " throw new DOMException('denied', 'SecurityError'); }});"
        )
        watched.page.reload()
        watched.choose_view("Français")
        assert not watched.cell(1, "en").is_visible()
        watched.page.reload()
        assert watched.page.locator("#view-both").is_checked()


def test_markup_in_text_stays_text(desktop: Watched) -> None:
    page = desktop.page
    row = page.locator("tr.seg", has_text="Le code")
    assert row.locator(".cell.fr .text").text_content() == XSS_SOURCE
    assert row.locator(".cell.en .text").text_content() == XSS_TARGET
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 1
    row.locator(".cell.fr").hover()
    # The fixture checks that no dialog opened and no error was logged.


def test_issue_list_opens_on_hover_and_on_tap(desktop: Watched, tmp_path: Path) -> None:
    page = desktop.page
    flag = page.locator("#s5 .flag")
    issues = page.locator("#issues-s5")
    assert not issues.is_visible()
    flag.hover()
    expect(issues).to_be_visible()
    assert "1 000" in (issues.text_content() or "")
    screenshot(page, tmp_path, "issues-desktop", full_page=False)
    page.mouse.move(5, 5)
    expect(issues).to_be_hidden()
    flag.click()
    page.mouse.move(5, 5)
    expect(issues).to_be_visible()
    page.keyboard.press("Escape")
    expect(issues).to_be_hidden()


def test_suggestion_opens_to_show_the_differences(desktop: Watched) -> None:
    details = desktop.page.locator("#s6 details.suggestion")
    assert not details.locator("del").is_visible()
    details.locator("summary").click()
    assert details.locator("del").text_content() == "60 % des"
    assert details.locator("ins").is_visible()


def test_desktop_layout_puts_the_pair_side_by_side(desktop: Watched, tmp_path: Path) -> None:
    french = desktop.cell(4, "fr").bounding_box()
    english = desktop.cell(4, "en").bounding_box()
    assert french is not None and english is not None
    assert english["x"] >= french["x"] + french["width"] - 1
    assert abs(english["y"] - french["y"]) < 1
    screenshot(desktop.page, tmp_path, "desktop")


def test_phone_layout_stacks_french_above_english(phone: Watched, tmp_path: Path) -> None:
    for row in (1, 4, 7):
        french = phone.cell(row, "fr").bounding_box()
        english = phone.cell(row, "en").bounding_box()
        assert french is not None and english is not None
        assert english["y"] >= french["y"] + french["height"] - 1
        assert english["x"] + english["width"] <= PHONE["width"]
    width = phone.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "no horizontal scrolling on a phone"
    screenshot(phone.page, tmp_path, "phone")
    phone.choose_view("Learner")
    phone.cell(2, "en").tap()
    screenshot(phone.page, tmp_path, "phone-learner", full_page=False)


def test_dark_mode(desktop: Watched, tmp_path: Path) -> None:
    page = desktop.page
    page.emulate_media(color_scheme="dark")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 24, 28)"
    desktop.cell(5, "fr").hover()
    screenshot(page, tmp_path, "desktop-dark")


def test_dark_mode_on_phone(phone: Watched, tmp_path: Path) -> None:
    phone.page.emulate_media(color_scheme="dark")
    screenshot(phone.page, tmp_path, "phone-dark", full_page=False)


def test_print_shows_the_two_columns_without_controls(desktop: Watched, tmp_path: Path) -> None:
    page = desktop.page
    desktop.choose_view("Learner")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    assert not page.locator("nav.toolbar").is_visible()
    assert not page.locator(".flag").first.is_visible()
    assert desktop.cell(2, "fr").is_visible()
    assert desktop.cell(2, "en").locator(".text").is_visible()
    assert page.locator("footer .provenance").is_visible()
    screenshot(page, tmp_path, "print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_index_page(browser: sync_api.Browser, tmp_path: Path) -> None:
    documents = [sample_document("alibaba-qwen"), sample_document("meta-llama")]
    documents[1].units = documents[1].units[:3]
    texts = [
        TextSummary.of(doc, {"html": f"{doc.name}.html", "tmx": f"{doc.name}.tmx"})
        for doc in documents
    ]
    for document in documents:
        write_html(document, tmp_path / f"{document.name}.html")
    write_index(texts, tmp_path / "index.html")
    for viewport, name in ((DESKTOP, "index-desktop"), (PHONE, "index-phone")):
        for watched in watch(browser, tmp_path / "index.html", viewport=viewport):
            screenshot(watched.page, tmp_path, name)
            watched.page.locator("a", has_text="meta-llama").click()
            assert watched.page.title() == "meta-llama"
            watched.requests = [url for url in watched.requests if not url.endswith(".html")]


def long_document(headings: int = 60, paragraphs: int = 12) -> Document:
    """A book-like document: headings, lists and paragraphs, over several page chunks."""
    text_parts: list[str] = []
    blocks: list[Block] = []
    units: list[Unit] = []
    length = 0
    for chapter in range(1, headings + 1):
        items = [(f"Chapitre {chapter}", BlockKind.HEADING, 1)]
        items += [
            (f"Phrase {chapter}.{n} du livre. Une autre phrase {chapter}.{n}.",
             BlockKind.LIST_ITEM if n % 4 == 0 else BlockKind.PARAGRAPH, 1)
            for n in range(paragraphs)
        ]
        for text, kind, level in items:
            if text_parts:
                text_parts.append("\n\n")
                length += 2
            blocks.append(Block(length, length + len(text), kind, level))
            offset = 0
            for sentence in text.replace(". ", ".\0").split("\0"):
                start = length + text.index(sentence, offset)
                units.append(Unit(Segment(start, start + len(sentence), sentence, len(blocks) - 1),
                                  sentence.upper()))
                offset = text.index(sentence, offset) + len(sentence)
            text_parts.append(text)
            length += len(text)
    return Document("livre", "".join(text_parts), units=units, blocks=blocks, title="Le livre")


@pytest.fixture(scope="module")
def long_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "livre.html"
    write_html(long_document(), path)
    return path


def test_a_long_document_opens_with_its_first_rows_and_brings_the_rest_in(
    browser: sync_api.Browser, long_page: Path
) -> None:
    # most rows are written in inert chunks (the script may have brought some in already)
    assert long_page.read_text("utf-8").count('<template class="later">') >= 2
    for watched in watch(browser, long_page, viewport=DESKTOP):
        page = watched.page
        assert page.title() == "Le livre"
        assert page.locator("h2.text", has_text=re.compile("^Chapitre 1$")).count() == 1
        # a link of the table of contents to a chapter still in a template
        page.locator("nav.toc summary").click()
        page.locator("nav.toc a", has_text="Chapitre 59").click()
        target = page.locator("tr.seg", has_text="CHAPITRE 59").first
        expect(target).to_be_in_viewport()
        # the rest arrives in the background
        page.wait_for_function(
            "() => document.querySelectorAll('template.later').length === 0", timeout=30_000
        )
        rows = page.evaluate("() => document.querySelectorAll('tr.seg').length")
        assert rows == len(long_document().units)
        ids = page.evaluate("() => Array.from(document.querySelectorAll('tr.seg'), r => r.id)")
        assert ids == [f"s{n}" for n in range(1, rows + 1)]
