"""``bilingual serve``'s API through Starlette's TestClient: edits, reviews, undo, suggestions and
the glossary, what lands in the memory and the files, and the requests it must refuse."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from lxml import etree
from lxml import html as lxml_html
from serve_helpers import (
    FORMATS,
    NAME,
    SUGGESTED,
    copy_memory,
    filled_memory,
    needs_apertium,
    write_sources,
)
from starlette.testclient import TestClient

from bilingual.exchange.tmx import read_units
from bilingual.memory import open_memory
from bilingual.pipeline import BuildConfig
from bilingual.serve.app import Session, create_app
from bilingual.serve.security import MAX_BODY, TOKEN_HEADER
from bilingual.serve.server import host_names

pytestmark = [needs_apertium, pytest.mark.timeout(300)]

BASE = "http://127.0.0.1:8000"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'


@dataclass
class Served:
    client: TestClient
    session: Session
    folder: Path
    memory: Path
    glossary: Path

    @property
    def out(self) -> Path:
        return self.folder / "out"

    def post(
        self, path: str, body: object, *, token: str | None = None, **headers: str
    ) -> httpx2.Response:
        sent = {TOKEN_HEADER: self.session.token if token is None else token, "Origin": BASE}
        sent.update(headers)
        return self.client.post(path, json=body, headers={k: v for k, v in sent.items() if v})

    def segment(self, number: int) -> dict[str, Any]:
        answer = self.client.get(f"/api/texts/{NAME}/segments/{number}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def save(self, number: int, target: str, version: str | None = None) -> httpx2.Response:
        version = version or self.segment(number)["version"]
        return self.post(
            f"/api/texts/{NAME}/segments/{number}", {"target": target, "version": version}
        )

    def written(self) -> None:
        status = self.client.get("/api/outputs", params={"wait": "1"}).json()
        assert status == {**status, "pending": False, "error": None}

    def history(self, source: str) -> list[Any]:
        with open_memory(self.memory) as memory:
            return memory.history(source)

    def on_disk(self, number: int) -> dict[str, str]:
        """Segment ``number``'s translation in the memory, the TMX, the page and the XLIFF."""
        source = self.segment(number)["source"]
        current = next(version for version in self.history(source) if version.current)
        tmx = {unit.source: unit.target for unit in read_units(self.out / f"{NAME}.tmx")}
        page = lxml_html.parse(str(self.out / f"{NAME}.html"))
        cell = page.xpath(f'//tr[@id="s{number}"]//td[contains(@class, "en")]/span')[0]
        return {"memory": current.target, "tmx": tmx[source], "page": cell.text_content()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_memory(tmp_path_factory.mktemp("template"))


def serve(folder: Path, template: Path, glossary: bool = True) -> Iterator[Served]:
    text, glossary_file = write_sources(folder / "sources")
    memory = copy_memory(template, folder)
    config = BuildConfig(
        output_dir=folder / "out",
        engine="apertium",
        formats=FORMATS,
        glossary_path=glossary_file if glossary else None,
        memory_path=memory,
    )
    session = Session.build([text], config)
    app = create_app(session, host_names("127.0.0.1"))
    try:
        with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
            yield Served(client, session, folder, memory, glossary_file)
    finally:
        session.close()


@pytest.fixture
def served(tmp_path: Path, template: Path) -> Iterator[Served]:
    yield from serve(tmp_path, template)


# -- editing ----------------------------------------------------------------------------------


def test_an_edit_is_stored_checked_and_written(served: Served) -> None:
    before = served.segment(1)
    assert before["origin"] != "human"
    answer = served.save(1, "The cat is asleep on the sofa.")
    assert answer.status_code == 200, answer.text
    data = answer.json()
    [segment] = data["segments"]
    assert segment["target"] == "The cat is asleep on the sofa."
    assert segment["origin"] == "human" and segment["version"] != before["version"]
    assert 'class="seg origin-human"' in segment["row"]
    assert data["operation"]["kind"] == "edit"
    assert data["progress"]["human"] == 1 and data["last_edit"] == data["operation"]["id"]
    # the memory keeps the edit as a recorded operation, the machine translation as history
    history = served.history(before["source"])
    assert [(v.origin.value, v.current) for v in history] == [("human", True), ("machine", False)]
    assert history[0].operation is not None and history[0].operation.kind == "edit"
    served.written()
    assert set(served.on_disk(1).values()) == {"The cat is asleep on the sofa."}
    english = (served.out / f"{NAME}.en.txt").read_text(encoding="utf-8")
    assert english.startswith("The cat is asleep on the sofa. ")
    xliff = etree.parse(str(served.out / f"{NAME}.xlf"))
    states = xliff.xpath("//*[local-name()='segment']/@state")
    assert states[0] == "translated" and set(states[1:]) == {"initial"}


def test_a_save_checks_the_segment_again_at_once(served: Served) -> None:
    answer = served.save(2, "There are 13 cats in the house.")
    [segment] = answer.json()["segments"]
    assert [f["kind"] for f in segment["findings"]] == ["number-missing"]
    assert "has-issues" in segment["row"] and "severity-warning" in segment["row"]
    assert answer.json()["progress"]["flagged"] == 1
    fixed = served.save(2, "There are 12 cats in the house.").json()["segments"][0]
    assert fixed["findings"] == [] and "has-issues" not in fixed["row"]


def test_saving_the_same_text_stores_nothing(served: Served) -> None:
    served.save(1, "The cat sleeps.")
    answer = served.save(1, "  The cat sleeps.  ")
    assert answer.status_code == 200 and answer.json()["operation"] is None
    assert len(served.history(served.segment(1)["source"])) == 2


def test_a_stale_save_is_refused_with_the_current_text(served: Served) -> None:
    version = served.segment(1)["version"]
    assert served.save(1, "First tab's text.", version).status_code == 200
    stale = served.save(1, "Second tab's text.", version)
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.json()["error"]
    current = stale.json()["segment"]
    assert current["target"] == "First tab's text."
    source = current["source"]
    assert [v.target for v in served.history(source) if v.origin.value == "human"] == [
        "First tab's text."
    ]
    # saving again, knowingly, on the version now shown
    again = served.save(1, "Second tab's text.", current["version"])
    assert again.status_code == 200
    served.written()
    assert set(served.on_disk(1).values()) == {"Second tab's text."}


def test_concurrent_saves_on_one_version_store_exactly_one(served: Served) -> None:
    version = served.segment(4)["version"]
    results: list[int] = []

    def save(index: int) -> None:
        results.append(served.save(4, f"Editor {index}'s text.", version).status_code)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200] + [409] * 7
    humans = [v for v in served.history(served.segment(4)["source"]) if v.origin.value == "human"]
    assert len(humans) == 1
    served.written()
    assert set(served.on_disk(4).values()) == {humans[0].target}


def test_accepting_the_suggestion(served: Served) -> None:
    segment = served.segment(SUGGESTED)
    assert segment["suggestion"]["target"] == "The researchers release the new model."
    answer = served.post(
        f"/api/texts/{NAME}/segments/{SUGGESTED}/accept", {"version": segment["version"]}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["segments"][0]["target"] == "The researchers release the new model."
    served.written()
    assert set(served.on_disk(SUGGESTED).values()) == {"The researchers release the new model."}
    no_suggestion = served.post(
        f"/api/texts/{NAME}/segments/1/accept", {"version": served.segment(1)["version"]}
    )
    assert no_suggestion.status_code == 404


def test_review_and_take_it_back(served: Served) -> None:
    segment = served.segment(1)
    reviewed = served.post(
        f"/api/texts/{NAME}/segments/1/review", {"version": segment["version"]}
    ).json()
    [after] = reviewed["segments"]
    assert after["reviewed"] and after["origin"] == "human" and after["target"] == segment["target"]
    assert "is-reviewed" in after["row"] and "badge-reviewed" in after["row"]
    assert reviewed["progress"]["reviewed"] == 1 and reviewed["operation"]["kind"] == "review"
    served.written()
    xliff = etree.parse(str(served.out / f"{NAME}.xlf"))
    assert xliff.xpath("//*[local-name()='segment']/@state")[0] == "reviewed"
    xliff12 = etree.parse(str(served.out / f"{NAME}.xliff12.xlf"))
    assert xliff12.xpath("//*[local-name()='target']/@state")[0] == "signed-off"
    back = served.post(
        f"/api/texts/{NAME}/segments/1/review", {"version": after["version"], "reviewed": False}
    ).json()["segments"][0]
    assert not back["reviewed"] and back["target"] == segment["target"]
    # an edit makes a version nobody reviewed yet
    served.post(f"/api/texts/{NAME}/segments/1/review", {"version": back["version"]})
    edited = served.save(1, "The cat naps on the sofa.").json()["segments"][0]
    assert not edited["reviewed"]


def test_undo_takes_back_the_last_edit_of_the_text(served: Served) -> None:
    machine = served.segment(2)["target"]
    first = served.save(1, "One.").json()
    second = served.save(2, "Two.").json()
    stale = served.post(f"/api/texts/{NAME}/undo", {"operation": first["operation"]["id"]})
    assert stale.status_code == 409
    undone = served.post(f"/api/texts/{NAME}/undo", {"operation": second["last_edit"]}).json()
    assert undone["operation"]["undone"] is not None
    assert undone["segments"][0]["number"] == 2 and undone["segments"][0]["target"] == machine
    assert undone["last_edit"] == first["operation"]["id"]
    served.written()
    assert set(served.on_disk(2).values()) == {machine}
    assert served.post(f"/api/texts/{NAME}/undo", {"operation": None}).status_code == 200
    assert served.post(f"/api/texts/{NAME}/undo", {}).status_code == 404


def test_a_text_reloaded_shows_what_another_server_stored(served: Served) -> None:
    source = served.segment(1)["source"]
    with open_memory(served.memory) as memory:
        memory.store_human(NAME, [(source, "Stored by another process.")])
    page = served.client.get(f"/texts/{NAME}")
    assert "Stored by another process." in page.text
    assert served.segment(1)["origin"] == "human"


# -- glossary ---------------------------------------------------------------------------------


def test_a_glossary_entry_from_the_page_checks_every_occurrence(served: Served) -> None:
    answer = served.post(
        "/api/glossary",
        {
            "source": "chat",
            "target": "tomcat",
            "status": "preferred",
            "note": "le mâle",
            "text": NAME,
        },
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert {
        "source": "chat",
        "target": "tomcat",
        "status": "preferred",
        "note": "le mâle",
    }.items() <= data["entries"][-1].items()
    assert served.glossary.read_text(encoding="utf-8").endswith("chat\ttomcat\tle mâle\n")
    changed = {s["number"]: s for s in data["segments"]}
    assert set(changed) == {1, 2}  # "chat" and "chats"
    assert all("term-missing" in [f["kind"] for f in s["findings"]] for s in changed.values())
    served.written()
    report = (served.out / f"{NAME}.glossary.json").read_text(encoding="utf-8")
    assert "tomcat" in report


def test_glossary_entries_are_edited_and_removed(served: Served) -> None:
    entries = served.client.get("/api/glossary").json()["entries"]
    assert [(e["source"], e["target"], e["note"]) for e in entries] == [
        ("modèle", "model", "terme du domaine")
    ]
    replaced = served.post(
        "/api/glossary/replace",
        {
            "source": "modèle",
            "target": "model",
            "text": NAME,
            "entry": {"source": "modèle", "target": "blueprint", "note": "changed"},
        },
    ).json()
    assert [(e["target"], e["note"]) for e in replaced["entries"]] == [("blueprint", "changed")]
    assert {s["number"] for s in replaced["segments"]} == {3, 4}
    removed = served.post(
        "/api/glossary/remove", {"source": "modèle", "target": "blueprint", "text": NAME}
    ).json()
    assert removed["entries"] == [] and served.glossary.read_text(encoding="utf-8") == ""
    assert all(f["kind"] != "term-missing" for s in removed["segments"] for f in s["findings"])


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/api/glossary", {"source": "modèle", "target": "model"}, "already there"),
        ("/api/glossary", {"source": "a", "target": "b", "status": "maybe"}, "unknown status"),
        ("/api/glossary", {"source": "", "target": "b"}, "empty source"),
        ("/api/glossary", {"source": "a\tb", "target": "c"}, "tab or a line break"),
        ("/api/glossary/remove", {"source": "absent", "target": "x"}, "no entry"),
    ],
)
def test_glossary_refusals(served: Served, path: str, body: dict[str, str], message: str) -> None:
    before = served.glossary.read_bytes()
    answer = served.post(path, body)
    assert answer.status_code == 422 and message in answer.json()["error"]
    assert served.glossary.read_bytes() == before


def test_without_a_glossary_there_is_none_to_edit(tmp_path: Path, template: Path) -> None:
    for served in serve(tmp_path, template, glossary=False):
        assert served.client.get("/api/glossary").json() == {"entries": []}
        answer = served.post("/api/glossary", {"source": "chat", "target": "cat"})
        assert answer.status_code == 422 and "--glossary" in answer.json()["error"]


# -- pages ------------------------------------------------------------------------------------


def test_the_page_is_the_static_one_plus_the_editor(served: Served) -> None:
    answer = served.client.get(f"/texts/{NAME}")
    assert answer.status_code == 200
    policy = answer.headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    page = lxml_html.fromstring(answer.content)
    [meta_policy] = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert policy.startswith(meta_policy)
    assert page.xpath('//meta[@name="bilingual-token"]/@content') == [served.session.token]
    assert len(page.xpath("//script")) == 2 and len(page.xpath("//style")) == 2
    rows = page.xpath('//tr[contains(@class, "seg")]')
    assert [row.get("data-version") for row in rows] == [
        served.segment(n)["version"] for n in range(1, 5)
    ]
    static = lxml_html.parse(str(served.out / f"{NAME}.html"))
    assert not static.xpath("//*[@data-version]") and len(static.xpath("//script")) == 1
    assert "connect-src" not in static.xpath("//meta[@http-equiv]/@content")[0]


def test_the_index_shows_progress_and_where_to_continue(served: Served) -> None:
    served.save(1, "The cat sleeps.")
    served.post(f"/api/texts/{NAME}/segments/2/review", {"version": served.segment(2)["version"]})
    page = lxml_html.fromstring(served.client.get("/").content)
    [row] = page.xpath(f'//tr[@data-text="{NAME}"]')
    counts = [cell.text_content() for cell in row.xpath("td[@class='count']")]
    assert counts == ["4", "1", "1", "2", "0"]  # segments, human, reviewed, machine, flagged
    assert row.xpath(".//a[@class='continue']/@href") == [f"/texts/{NAME}#s3"]
    assert row.xpath(".//progress/@value") == ["2"]
    links = row.xpath(".//td[@class='formats']/a/@href")
    assert f"/files/{NAME}.tmx" in links
    assert served.client.get("/api/texts").json()["texts"][0]["resume"] == 3


# -- security ---------------------------------------------------------------------------------


def test_state_changes_need_the_session_token(served: Served) -> None:
    version = served.segment(1)["version"]
    body = {"target": "Forged.", "version": version}
    path = f"/api/texts/{NAME}/segments/1"
    for token in ("", "not-the-token", served.session.token[:-1]):
        answer = served.client.post(path, json=body, headers={TOKEN_HEADER: token} if token else {})
        assert answer.status_code == 403 and "token" in answer.json()["error"]
    assert served.segment(1)["version"] == version


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_requests_from_another_origin_are_refused(served: Served, headers: dict[str, str]) -> None:
    version = served.segment(1)["version"]
    answer = served.post(
        f"/api/texts/{NAME}/segments/1", {"target": "Forged.", "version": version}, **headers
    )
    assert answer.status_code == 403 and "another site" in answer.json()["error"]
    assert (
        served.post("/api/glossary", {"source": "x", "target": "y"}, **headers).status_code == 403
    )
    assert served.segment(1)["version"] == version


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_other_host_names_are_refused(served: Served, host: str) -> None:
    for answer in (
        served.client.get(f"/texts/{NAME}", headers={"Host": host}),
        served.client.get("/", headers={"Host": host}),
        served.post("/api/glossary", {"source": "x", "target": "y"}, Host=host),
    ):
        assert answer.status_code == 421
        assert served.session.token not in answer.text
    assert served.client.get("/", headers={"Host": "localhost:8000"}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/files/../sources/chapitre.txt",
        "/files/..%2Fsources%2Fchapitre.txt",
        "/files/%2e%2e%2fmemory.sqlite",
        "/files/..%5Cmemory.sqlite",
        "/files/%2Fetc%2Fpasswd",
        "/files/%2e",
        "/files/%2e%2e",
        "/files/outside.txt",
        "/files/nothing.html",
        "/texts/..%2F..%2Fetc%2Fpasswd",
        "/texts/chapitre.txt",
        "/api/texts/..%2Fchapitre/segments/1",
    ],
)
def test_nothing_outside_the_served_folder_is_read(served: Served, path: str) -> None:
    (served.out / "outside.txt").symlink_to(served.folder / "sources" / "chapitre.txt")
    answer = served.client.get(path)
    assert answer.status_code == 404, path
    assert "chat" not in answer.text and answer.json()["error"]


def test_the_folder_files_are_served_safely(served: Served) -> None:
    tmx = served.client.get(f"/files/{NAME}.tmx")
    assert tmx.status_code == 200 and tmx.content == (served.out / f"{NAME}.tmx").read_bytes()
    assert tmx.headers["content-disposition"].startswith("attachment")
    page = served.client.get(f"/files/{NAME}.html")
    assert page.headers["content-security-policy"] == "sandbox allow-scripts"
    assert page.headers["x-content-type-options"] == "nosniff"


def test_an_edit_with_markup_is_text(served: Served) -> None:
    answer = served.save(1, XSS)
    row = answer.json()["segments"][0]["row"]
    assert "<script>" not in row and "&lt;script&gt;" in row and "<img" not in row
    cell = lxml_html.fragment_fromstring(row).xpath('.//td[contains(@class, "en")]/span')[0]
    assert cell.text_content() == XSS
    page = served.client.get(f"/texts/{NAME}").text
    assert page.count("<script>") == 2 and "<img" not in page
    served.written()
    assert served.on_disk(1) == {"memory": XSS, "tmx": XSS, "page": XSS}


@pytest.mark.parametrize(
    ("content", "headers", "status", "message"),
    [
        (b"{not json", {}, 400, "not JSON"),
        (b"\xff\xfe", {}, 400, "not JSON"),
        (b'["a list"]', {}, 400, "JSON object"),
        (b'{"target": 3, "version": "x"}', {}, 400, "'target'"),
        (b'{"target": "x"}', {}, 400, "'version'"),
        (b'{"target": "", "version": "x"}', {}, 422, "empty"),
        (b'{"target": "x"}', {"Content-Type": "text/plain"}, 415, "JSON"),
        (b'{"target": "x"}', {"Content-Type": "application/x-www-form-urlencoded"}, 415, "JSON"),
        (b'{"target": "' + b"a" * MAX_BODY + b'"}', {}, 413, "over"),
        (b"{}", {"Content-Length": "999999999"}, 413, "over"),
    ],
)
def test_bad_requests_get_a_clear_4xx(
    served: Served, content: bytes, headers: dict[str, str], status: int, message: str
) -> None:
    sent = {"Content-Type": "application/json", TOKEN_HEADER: served.session.token, **headers}
    answer = served.client.post(f"/api/texts/{NAME}/segments/1", content=content, headers=sent)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]
    assert "Traceback" not in answer.text


def test_a_streamed_body_past_the_limit_is_cut_off(served: Served) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"target": "'
        for _ in range(MAX_BODY // 4096 + 2):
            yield b"a" * 4096
        yield b'", "version": "x"}'

    answer = served.client.post(
        f"/api/texts/{NAME}/segments/1",
        content=chunks(),
        headers={"Content-Type": "application/json", TOKEN_HEADER: served.session.token},
    )
    assert answer.status_code == 413


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/texts/absent/segments/1", 404),
        ("GET", f"/api/texts/{NAME}/segments/0", 404),
        ("GET", f"/api/texts/{NAME}/segments/5", 404),
        ("GET", f"/api/texts/{NAME}/segments/-1", 404),
        ("GET", f"/api/texts/{NAME}/segments/one", 404),
        ("POST", f"/api/texts/{NAME}/segments/99", 404),
        ("POST", "/api/texts/absent/undo", 404),
        ("GET", "/texts/absent", 404),
        ("DELETE", f"/api/texts/{NAME}/segments/1", 405),
        ("PUT", "/api/glossary", 405),
    ],
)
def test_unknown_things_get_a_4xx(served: Served, method: str, path: str, status: int) -> None:
    answer = served.client.request(
        method,
        path,
        json={"target": "x", "version": "y"},
        headers={TOKEN_HEADER: served.session.token},
    )
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]


def test_a_failing_write_is_reported_and_retried(served: Served) -> None:
    blocker = served.out / f"{NAME}.tmx"
    before = {path.name: path.read_bytes() for path in served.out.iterdir() if path.is_file()}
    blocker.unlink()
    blocker.mkdir()  # the TMX cannot be renamed into place
    assert served.save(1, "Cannot be written yet.").status_code == 200
    status = served.client.get("/api/outputs", params={"wait": "1"}).json()
    assert "chapitre.tmx" in status["error"]
    leftovers = [path.name for path in served.out.iterdir() if path.name.endswith(".tmp")]
    assert leftovers == []
    blocker.rmdir()
    assert served.save(1, "Written now.").status_code == 200
    served.written()
    assert set(served.on_disk(1).values()) == {"Written now."}
    assert set(before) <= {path.name for path in served.out.iterdir()}
