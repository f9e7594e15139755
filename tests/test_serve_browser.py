"""``bilingual serve`` in a real headless Chromium against a real server (uvicorn, started as
``bilingual serve --port 0``): edit, save, suggestions, reviews, filters, undo, the glossary from a
selection, two editors at once, and hostile pages. After each step the memory, the TMX and the
page on disk must say the same thing as the browser.

Screenshots land in pytest's tmp_path and in /tmp/bilingual-screenshots/.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import html as lxml_html
from serve_helpers import (
    FORMATS,
    NAME,
    REMEMBERED,
    SUGGESTED,
    copy_memory,
    filled_memory,
    needs_apertium,
    write_sources,
)

from bilingual.exchange.tmx import read_units
from bilingual.memory import open_memory

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [needs_apertium, pytest.mark.timeout(240)]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHARED_SCREENSHOTS = Path("/tmp/bilingual-screenshots")
XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script> & “quoted”'


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    folder: Path
    memory: Path
    glossary: Path
    name: str = NAME

    @property
    def out(self) -> Path:
        return self.folder / "out"

    def flush(self) -> None:
        """Wait until the server has written every output."""
        with urllib.request.urlopen(self.url + "api/outputs?wait=1", timeout=60) as answer:
            status = json.load(answer)
        assert status["pending"] is False and status["error"] is None

    def on_disk(self, number: int, source: str) -> set[str]:
        """Segment ``number``'s translation in the memory, the TMX and the page on disk."""
        self.flush()
        with open_memory(self.memory) as memory:
            current = next(version for version in memory.history(source) if version.current)
        tmx = {unit.source: unit.target for unit in read_units(self.out / f"{self.name}.tmx")}
        page = lxml_html.parse(str(self.out / f"{self.name}.html"))
        [cell] = page.xpath(
            f'//tr[@id="s{number}"]//td[contains(@class, "en")]/span[contains(@class, "text")]'
        )
        return {current.target, tmx[source], cell.text_content()}


@dataclass
class Tab:
    """A browser page on the server, with everything it did that it must not."""

    page: sync_api.Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def row(self, number: int) -> sync_api.Locator:
        return self.page.locator(f"#s{number}")

    def english(self, number: int) -> sync_api.Locator:
        return self.page.locator(f"#s{number} .cell.en > .text")

    def source(self, number: int) -> str:
        return self.page.locator(f"#s{number} .cell.fr > .text").inner_text()

    def editor(self, number: int) -> sync_api.Locator:
        return self.page.locator(f"#s{number} textarea.editor-input")

    def edit(self, number: int, text: str, timeout: float = 30_000) -> None:
        self.page.locator(f"#s{number} .cell.en").click()
        expect(self.editor(number)).to_be_focused(timeout=timeout)
        self.editor(number).fill(text)
        self.editor(number).press("Control+Enter")
        # the server may still be reading the QA word lists for the first edit
        expect(self.english(number)).to_have_text(text, timeout=timeout)

    def status(self) -> sync_api.Locator:
        return self.page.locator("#editor-status")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_memory(tmp_path_factory.mktemp("template"))


@pytest.fixture
def server(tmp_path: Path, template: Path) -> Iterator[Server]:
    text, glossary = write_sources(tmp_path / "sources")
    memory = copy_memory(template, tmp_path)
    command = [
        sys.executable, "-c", "from bilingual.cli import main; raise SystemExit(main())",
        "serve", str(text), "-o", str(tmp_path / "out"), "--engine", "apertium",
        "--format", ",".join(FORMATS), "--glossary", str(glossary), "--memory", str(memory),
        "--port", "0", "--quiet",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline() if process.stdout else ""
    if " at http://127.0.0.1:" not in line:
        process.kill()
        pytest.fail(f"bilingual serve did not start: {line}{process.communicate()[1]}")
    server = Server(line.rsplit(" at ", 1)[1].strip(), process, tmp_path, memory, glossary)
    yield server
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert "Traceback" not in errors


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_tab(browser: sync_api.Browser, url: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    tab = Tab(page)
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))

    def on_dialog(dialog: sync_api.Dialog) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url)
    yield tab
    context.close()
    assert tab.errors == [] and tab.dialogs == []


@pytest.fixture
def tab(browser: sync_api.Browser, server: Server) -> Iterator[Tab]:
    yield from open_tab(browser, f"{server.url}texts/{NAME}")


def screenshot(page: sync_api.Page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"serve-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHARED_SCREENSHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHARED_SCREENSHOTS / path.name)


def test_edit_save_move_on_and_find_it_after_a_reload(
    tab: Tab, server: Server, tmp_path: Path
) -> None:
    page = tab.page
    machine = tab.english(2).inner_text()
    tab.page.locator("#s1 .cell.en").click()
    expect(tab.editor(1)).to_be_focused()
    screenshot(page, tmp_path, "editing")
    tab.editor(1).fill("The cat is asleep on the sofa.")
    tab.editor(1).press("Control+Enter")
    expect(tab.english(1)).to_have_text("The cat is asleep on the sofa.")
    expect(tab.row(1)).to_have_class("seg origin-human")
    expect(tab.row(1).locator(".origin")).to_have_text("human")
    expect(tab.editor(2)).to_be_focused()  # saved, and on to the next segment
    tab.editor(2).fill("Something I will not keep.")
    tab.editor(2).press("Escape")
    expect(tab.editor(2)).to_have_count(0)
    expect(tab.english(2)).to_have_text(machine)
    expect(page.locator("#s2 .cell.en")).to_be_focused()
    expect(tab.status()).to_contain_text("files written")
    assert server.on_disk(1, tab.source(1)) == {"The cat is asleep on the sofa."}
    assert server.on_disk(2, tab.source(2)) == {machine}
    # Enter opens the editor of a focused English cell too
    page.keyboard.press("Enter")
    expect(tab.editor(2)).to_be_focused()
    page.keyboard.press("Escape")
    page.reload()
    expect(tab.english(1)).to_have_text("The cat is asleep on the sofa.")
    expect(tab.row(1)).to_have_class("seg origin-human")
    screenshot(page, tmp_path, "saved")


def test_a_suggestion_is_taken_in_one_click(tab: Tab, server: Server) -> None:
    suggestion = tab.row(SUGGESTED).locator("details.suggestion")
    suggestion.locator("summary").click()
    suggestion.get_by_role("button", name="Use this translation").click()
    expect(tab.english(SUGGESTED)).to_have_text(REMEMBERED[1])
    assert server.on_disk(SUGGESTED, tab.source(SUGGESTED)) == {REMEMBERED[1]}
    tab.page.reload()
    expect(tab.english(SUGGESTED)).to_have_text(REMEMBERED[1])


def test_review_and_the_filters(tab: Tab, server: Server, tmp_path: Path) -> None:
    page = tab.page
    page.locator("#s1 .cell.en").focus()
    page.keyboard.press("r")
    expect(tab.row(1)).to_have_class("seg origin-human is-reviewed")
    expect(tab.row(1).locator(".origin")).to_have_text("reviewed")
    tab.edit(2, "There are 13 cats in the house.")  # a number the French does not have
    expect(tab.row(2)).to_have_class("seg origin-human has-issues severity-warning")
    shown = {
        "Flagged": [2],
        "Unreviewed": [2, 3, 4],
        "Machine": [3, 4],
        "Human": [1, 2],
        "All": [1, 2, 3, 4],
    }
    for label, rows in shown.items():
        page.locator("fieldset.filters label", has_text=label).click()
        for number in range(1, 5):
            assert tab.row(number).is_visible() is (number in rows), (label, number)
    server.flush()
    xliff = (server.out / f"{NAME}.xlf").read_text(encoding="utf-8")
    assert xliff.count('state="reviewed"') == 1
    screenshot(page, tmp_path, "reviewed")
    page.reload()
    expect(tab.row(1)).to_have_class("seg origin-human is-reviewed")


def test_undo_takes_back_the_last_edits(tab: Tab, server: Server) -> None:
    first, second = tab.english(1).inner_text(), tab.english(2).inner_text()
    undo = tab.page.locator("#undo-edit")
    expect(undo).to_be_disabled()
    tab.edit(1, "One.")
    tab.page.keyboard.press("Escape")
    tab.edit(2, "Two.")
    tab.page.keyboard.press("Escape")
    undo.click()
    expect(tab.english(2)).to_have_text(second)
    assert server.on_disk(2, tab.source(2)) == {second}
    undo.click()
    expect(tab.english(1)).to_have_text(first)
    expect(undo).to_be_disabled()
    assert server.on_disk(1, tab.source(1)) == {first}
    tab.page.reload()
    expect(tab.english(1)).to_have_text(first)
    expect(tab.english(2)).to_have_text(second)


def select_word(page: sync_api.Page, number: int, word: str) -> None:
    page.evaluate(
        """([number, word]) => {
            const text = document.querySelector(`#s${number} .cell.fr > .text`);
            const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(word);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + word.length);
                    getSelection().removeAllRanges();
                    getSelection().addRange(range);
                    return;
                }
            }
            throw new Error("no " + word);
        }""",
        [number, word],
    )


def test_a_glossary_entry_from_a_selection(tab: Tab, server: Server, tmp_path: Path) -> None:
    page = tab.page
    select_word(page, 1, "chat")
    add = page.locator("#term-from-selection")
    expect(add).to_be_visible()
    add.click()
    dialog = page.locator("#term-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#term-source")).to_have_value("chat")
    page.locator("#term-target").fill("tomcat")
    page.locator("#term-note").fill("le mâle <b>seulement</b>")
    screenshot(page, tmp_path, "glossary-dialog")
    page.locator("#term-save").click()
    expect(dialog).to_be_hidden()
    # every occurrence is checked again: "chat" and "chats" now miss their approved term
    for number in (1, 2):
        expect(tab.row(number).locator(".cell.fr mark.mark-term-missing")).to_have_count(1)
    assert "chat\ttomcat\tle mâle <b>seulement</b>\n" in server.glossary.read_text("utf-8")
    # the panel shows the entries with their notes; edit one, then remove it
    page.locator("#glossary-toggle").click()
    entry = page.locator(".glossary-entry", has_text="tomcat")
    expect(entry.locator(".entry-note")).to_have_text("le mâle <b>seulement</b>")
    screenshot(page, tmp_path, "glossary-panel")
    entry.get_by_role("button", name="Edit").click()
    page.locator("#term-target").fill("cat")
    page.locator("#term-save").click()
    expect(tab.row(1).locator(".cell.fr mark.mark-term-ok")).to_have_count(1)
    entry = page.locator(".glossary-entry", has_text="chat")
    entry.locator(".entry-remove").click()
    entry.locator(".entry-remove").click()  # a removal is confirmed by a second click
    expect(page.locator(".glossary-entry", has_text="chat")).to_have_count(0)
    expect(tab.row(1).locator(".cell.fr mark")).to_have_count(0)
    assert "chat" not in server.glossary.read_text(encoding="utf-8")
    server.flush()
    page.reload()
    expect(tab.row(1).locator(".cell.fr mark")).to_have_count(0)


def test_two_editors_never_lose_an_edit(
    browser: sync_api.Browser, server: Server, tmp_path: Path
) -> None:
    url = f"{server.url}texts/{NAME}"
    for first in open_tab(browser, url):
        for second in open_tab(browser, url):
            first.edit(1, "The first editor's sentence.")
            second.page.locator("#s1 .cell.en").click()
            second.editor(1).fill("The second editor's sentence.")
            second.editor(1).press("Control+Enter")
            # refused, with the current text shown and the second editor's text kept
            note = second.page.locator("#s1 .editor-note")
            expect(note).to_contain_text("The first editor's sentence.")
            expect(second.editor(1)).to_have_value("The second editor's sentence.")
            expect(second.status()).to_contain_text("changed meanwhile")
            screenshot(second.page, tmp_path, "conflict")
            source = second.source(1)
            assert server.on_disk(1, source) == {"The first editor's sentence."}
            second.editor(1).press("Control+Enter")  # knowingly, on the version now shown
            expect(second.english(1)).to_have_text("The second editor's sentence.")
            # the browser logs the one refused request
            assert second.errors == [
                "Failed to load resource: the server responded with a status of 409 (Conflict)"
            ]
            second.errors.clear()
            assert server.on_disk(1, source) == {"The second editor's sentence."}
            first.page.reload()
            expect(first.english(1)).to_have_text("The second editor's sentence.")
    with open_memory(server.memory) as memory:
        humans = [v.target for v in memory.history(source) if v.origin.value == "human"]
    assert humans == ["The second editor's sentence.", "The first editor's sentence."]


def test_markup_typed_into_an_edit_stays_text(tab: Tab, server: Server) -> None:
    tab.edit(1, XSS)
    expect(tab.page.locator("#s1 .cell.en img")).to_have_count(0)
    tab.page.reload()
    expect(tab.english(1)).to_have_text(XSS)
    expect(tab.page.locator("img, script:not(:is(body > script))")).to_have_count(0)
    assert server.on_disk(1, tab.source(1)) == {XSS}


def test_a_hostile_page_cannot_edit(browser: sync_api.Browser, server: Server) -> None:
    """A page of another site, in the same browser, tries what it can against the server."""
    context = browser.new_context()
    page = context.new_page()
    hostile = f"""<!DOCTYPE html><html><body>
      <form id="form" method="post" enctype="text/plain"
            action="{server.url}api/texts/{NAME}/segments/1">
        <input name='{{"target": "Forged.", "version": "' value='x"}}'>
      </form>
      <script>
        window.results = [];
        const api = "{server.url}api/texts/{NAME}/segments/1";
        const body = JSON.stringify({{target: "Forged.", version: "x"}});
        const tries = [
          fetch(api, {{method: "POST", mode: "no-cors", body,
                       headers: {{"Content-Type": "text/plain"}}}}),
          fetch(api, {{method: "POST", body, headers: {{"Content-Type": "application/json",
                                                      "X-Bilingual-Token": "guess"}}}}),
          fetch("{server.url}texts/{NAME}").then(r => r.text()),
        ];
        Promise.allSettled(tries).then(done => {{ window.results = done.map(d => d.status); }});
      </script></body></html>"""
    page.route(
        "http://evil.example/", lambda route: route.fulfill(body=hostile, content_type="text/html")
    )
    page.goto("http://evil.example/")
    page.wait_for_function("window.results.length === 3")
    # a JSON request or one with a token never leaves the browser (no CORS), and the page
    # that holds the token cannot be read
    assert page.evaluate("window.results")[1:] == ["rejected", "rejected"]
    # a form posted across sites reaches the server, which refuses it
    with page.expect_navigation():
        page.evaluate("document.getElementById('form').submit()")
    assert "refused: a request from another site" in page.content()
    context.close()
    with open_memory(server.memory) as memory:
        source = next(s for s, _ in [(e.source, e) for e in memory.iter_current(NAME)])
        assert all(v.target != "Forged." for v in memory.history(source))
        assert memory.operations(["edit"])[-1].subject == "python"  # the template's only edit


def test_the_static_page_in_the_folder_still_works_alone(
    browser: sync_api.Browser, server: Server
) -> None:
    for tab in open_tab(browser, (server.out / f"{NAME}.html").as_uri()):
        tab.page.locator("#s1 .cell.en").click()
        expect(tab.page.locator("textarea")).to_have_count(0)
        tab.page.keyboard.press("j")
        expect(tab.page.locator("#s2 .cell.en")).to_be_focused()


LONG_SEGMENTS = 1200


@pytest.fixture
def long_server(tmp_path: Path) -> Iterator[Server]:
    """A text long enough for the page to keep most rows in template chunks, with a memory
    pre-filled with a translation of every segment (no engine run)."""
    from bilingual.engines.apertium import ApertiumEngine

    sources = tmp_path / "sources"
    sources.mkdir()
    text = sources / "livre.txt"
    sentences = [f"Voici la phrase numéro {n}." for n in range(1, LONG_SEGMENTS + 1)]
    paragraphs = [" ".join(sentences[start : start + 4]) for start in range(0, len(sentences), 4)]
    text.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    memory = tmp_path / "memory.sqlite"
    with open_memory(memory) as opened:
        rows = [(s, f"Here is sentence number {s.split()[-1][:-1]}.", "") for s in sentences]
        opened.store_machine("livre", rows, ApertiumEngine().info())
    command = [
        sys.executable, "-c", "from bilingual.cli import main; raise SystemExit(main())",
        "serve", str(text), "-o", str(tmp_path / "out"), "--engine", "apertium",
        "--format", "html,tmx", "--no-glossary", "--memory", str(memory), "--port", "0", "-q",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline() if process.stdout else ""
    if " at http://127.0.0.1:" not in line:
        process.kill()
        pytest.fail(f"bilingual serve did not start: {line}{process.communicate()[1]}")
    url = line.rsplit(" at ", 1)[1].strip()
    yield Server(url, process, tmp_path, memory, glossary=tmp_path, name="livre")
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors


@pytest.mark.timeout(600)
def test_a_long_text_is_edited_past_the_rows_shown_first(
    browser: sync_api.Browser, long_server: Server
) -> None:
    with urllib.request.urlopen(f"{long_server.url}texts/livre", timeout=60) as answer:
        served = answer.read().decode("utf-8")
    shown = served[: served.index('<template class="later">')]
    last = int(shown.rsplit('<tr class="seg', 1)[1].split('id="s', 1)[1].split('"', 1)[0])
    assert last < LONG_SEGMENTS
    for tab in open_tab(browser, f"{long_server.url}texts/livre"):
        page = tab.page
        # the last row shown at first: saving it opens the first row of the next chunk
        # a 1,200-segment text: on a loaded machine its first save (word lists, checks) and the
        # rewriting of its outputs take far longer than a short text's
        slow = 120_000
        tab.edit(last, "The last row shown at first.", slow)
        expect(tab.editor(last + 1)).to_be_focused(timeout=slow)
        tab.editor(last + 1).fill("The first row brought in.")
        tab.editor(last + 1).press("Escape")
        expect(page.locator("textarea")).to_have_count(0)
        # a link to a row far down brings it in, and it is edited like any other
        page.goto(f"{long_server.url}texts/livre#s{LONG_SEGMENTS - 1}")
        expect(tab.row(LONG_SEGMENTS - 1)).to_be_attached(timeout=slow)
        tab.edit(LONG_SEGMENTS - 1, "Nearly the end.", slow)
        tab.page.keyboard.press("Escape")
        assert long_server.on_disk(last, tab.source(last)) == {"The last row shown at first."}
        source = tab.source(LONG_SEGMENTS - 1)
        assert long_server.on_disk(LONG_SEGMENTS - 1, source) == {"Nearly the end."}
