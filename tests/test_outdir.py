"""Output folders: names that never collide, an index and a memory of every text built into the
folder, no output over an input, and a build's files published together even when it is killed.

The folder's behaviour is tested through ``bilingual build ... -o DIR`` with Apertium; the kills
and the concurrent builds run the library in subprocesses with the slow engine double of
``test_build_memory``, and land at a known moment through ``BILINGUAL_TEST_KILL_AT``.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from exchange_helpers import tmx_problems
from lxml import html as lxml_html
from test_build_memory import run_build
from test_export_html import select

from bilingual.cli import cli
from bilingual.engines.apertium import ApertiumEngine
from bilingual.errors import ExportError
from bilingual.exchange.xml import load_xml_safely
from bilingual.export import EXPORTERS
from bilingual.outdir import MANIFEST_NAME, Manifest, OutputFolder, refuse_to_overwrite_inputs
from bilingual.outdir.publish import KILL_AT_VARIABLE, STAGING_PREFIX

ROOT = Path(__file__).resolve().parents[1]

needs_apertium = pytest.mark.skipif(
    not ApertiumEngine.is_available(), reason="Debian's apertium fr-es/spa-eng not installed"
)


def build(*args: str | Path) -> Result:
    return CliRunner().invoke(
        cli, ["build", *map(str, args), "--engine", "apertium", "--no-memory", "--json"]
    )


def built(*args: str | Path) -> dict:
    result = build(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def index_rows(folder: Path) -> dict[str, list[str]]:
    """Text name → the links of its row, as the index page shows them."""
    page = lxml_html.fromstring((folder / "index.html").read_bytes())
    return {
        select(row, "td.title")[0].text_content(): [
            link.get("href") for link in select(row, "td.formats a")
        ]
        for row in select(page, "table.catalogue tbody tr")
    }


def memory_documents(folder: Path, name: str = "memory.tmx") -> list[str]:
    """The x-document of every unit of a TMX file of ``folder``, in order."""
    root = load_xml_safely(folder / name).getroot()
    return [prop.text for prop in root.iterfind("body/tu/prop[@type='x-document']")]


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` with its content, the lock file aside."""
    return {
        path.name: path.read_bytes()
        for path in folder.iterdir()
        if path.is_file() and path.name != ".bilingual.lock"
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(
        path.name
        for path in folder.iterdir()
        if path.name.startswith(STAGING_PREFIX)
        or path.name.endswith(".tmp")
        or path.name == ".bilingual-journal.json"
    )


# ---------- never over an input ----------


@needs_apertium
@pytest.mark.parametrize("output", [".", "link-to-here"])
def test_a_build_never_writes_over_its_own_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    monkeypatch.chdir(tmp_path)
    source = write(tmp_path / "article.html", "Un article sur les modèles.")
    (tmp_path / "link-to-here").symlink_to(tmp_path)
    result = build("article.html", "-o", output, "--no-glossary")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert f"{Path(output) / 'article.html'}: this output would overwrite the input article.html" \
        in lines[0]
    assert source.read_text(encoding="utf-8") == "Un article sur les modèles."
    assert sorted(path.name for path in tmp_path.iterdir()) == ["article.html", "link-to-here"]


def test_inputs_are_recognised_through_links(tmp_path: Path) -> None:
    source = write(tmp_path / "in" / "a.txt", "Bonjour.")
    out = tmp_path / "out"
    out.mkdir()
    os.link(source, out / "a.json")
    (out / "a.tmx").symlink_to(source)
    refuse_to_overwrite_inputs([out / "a.html"], [source])  # not there yet: fine
    for name in ("a.json", "a.tmx"):
        with pytest.raises(ExportError, match=f"{name}: this output would overwrite the input"):
            refuse_to_overwrite_inputs([out / name], [source])


# ---------- names ----------


@needs_apertium
def test_texts_named_like_the_folders_own_files_get_names_of_their_own(tmp_path: Path) -> None:
    sources = tmp_path / "in"
    for stem, text in [("index", "Un index des textes."), ("memory", "Une mémoire de travail."),
                       ("a", "Le premier texte."), ("a.glossary", "Un glossaire en prose.")]:
        write(sources / f"{stem}.txt", text)
    out = tmp_path / "out"
    summary = built(sources, "-o", out, "--format", "all", "--glossary", ROOT / "glossary")
    files = {doc["source"]: doc["files"] for doc in summary["documents"]}
    written = [name for outputs in files.values() for name in outputs.values()]
    assert len(written) == len(set(written)) == 4 * (len(EXPORTERS) + 1)  # + glossary.json
    assert not {"index.html", "memory.tmx", MANIFEST_NAME} & set(written)
    assert files[str(sources / "index.txt")]["html"] == "index-2.html"
    assert files[str(sources / "memory.txt")]["tmx"] == "memory-2.tmx"
    for source, outputs in files.items():
        own_text = Path(source).read_text(encoding="utf-8")
        for name in outputs.values():
            assert (out / name).is_file(), name
        assert own_text in json.loads((out / outputs["json"]).read_text())["text"]
    names = sorted(doc["name"] for doc in summary["documents"])
    assert sorted(index_rows(out)) == names
    assert tmx_problems(out / "memory.tmx") == []
    assert sorted(set(memory_documents(out))) == names
    assert set(memory_documents(out, "memory-2.tmx")) == {"memory-2"}
    assert any("index-2.*" in note for note in summary["notes"])


@needs_apertium
def test_separate_builds_of_texts_with_the_same_name_keep_both(tmp_path: Path) -> None:
    first = write(tmp_path / "x" / "a.txt", "Le chat dort sur le canapé.")
    second = write(tmp_path / "y" / "a.txt", "La pluie tombe sur la ville.")
    out = tmp_path / "out"
    assert [doc["name"] for doc in built(first, "-o", out, "--no-glossary")["documents"]] == ["a"]
    summary = built(second, "-o", out, "--no-glossary")
    assert [doc["name"] for doc in summary["documents"]] == ["a-2"]
    assert summary["notes"] == [
        f"{second}: its outputs are named a-2.*, as a.* would take files of another text or of "
        + f"the folder {out}"
    ]
    # each keeps its name, build after build, in any order
    assert [doc["name"] for doc in built(first, "-o", out, "--no-glossary")["documents"]] == ["a"]
    assert [doc["name"] for doc in built(second, "-o", out, "--no-glossary")["documents"]] == \
        ["a-2"]
    assert "cat" in (out / "a.html").read_text() and "rain" in (out / "a-2.html").read_text()
    assert index_rows(out) == {
        "a": ["a.html", "a.tmx", "a.en.txt"], "a-2": ["a-2.html", "a-2.tmx", "a-2.en.txt"]
    }
    assert memory_documents(out) == ["a", "a-2"]


@needs_apertium
def test_index_and_memory_describe_every_text_built_into_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = built(write(tmp_path / "un.txt", "Le modèle est ouvert. Il est gratuit."), "-o", out,
                  "--no-glossary")
    second = built(write(tmp_path / "deux.txt", "Le train part à midi."), "-o", out,
                   "--no-glossary", "--format", "html,tmx,json")
    assert index_rows(out) == {
        "deux": ["deux.html", "deux.tmx", "deux.json"],
        "un": ["un.html", "un.tmx", "un.en.txt"],
    }
    page = lxml_html.fromstring((out / "index.html").read_bytes())
    assert select(page, ".facts")[0].text_content() == "2 texts · 3 segments"
    assert memory_documents(out) == ["deux", "un", "un"]
    assert tmx_problems(out / "memory.tmx") == []
    # the units of the earlier text are its own TMX's, not translated again
    own = load_xml_safely(out / "un.tmx").getroot().findall("body/tu")
    merged = [tu for tu in load_xml_safely(out / "memory.tmx").getroot().iterfind("body/tu")
              if tu.find("prop[@type='x-document']").text == "un"]
    assert [tu.findtext("tuv/seg") for tu in merged] == [tu.findtext("tuv/seg") for tu in own]
    assert [tu.get("tuid") for tu in merged] == [tu.get("tuid") for tu in own]
    manifest = Manifest.load(out)
    assert sorted(manifest.texts) == ["deux", "un"]
    assert manifest.texts["un"].segments == first["documents"][0]["segments"] == 2
    assert manifest.texts["deux"].files == second["documents"][0]["files"]


@needs_apertium
def test_a_text_whose_files_were_deleted_leaves_the_folder_with_a_note(tmp_path: Path) -> None:
    out = tmp_path / "out"
    built(write(tmp_path / "un.txt", "Le modèle est ouvert."), "-o", out, "--no-glossary")
    built(write(tmp_path / "deux.txt", "Le train part à midi."), "-o", out, "--no-glossary")
    (out / "deux.html").unlink()
    (out / "deux.tmx").unlink()
    (out / "deux.en.txt").unlink()
    result = build(tmp_path / "un.txt", "-o", out, "--no-glossary")
    assert result.exit_code == 0, result.output
    assert f"note: {out}: the files of deux (deux.html, deux.tmx, deux.en.txt) were deleted; index.html " \
        "and memory.tmx no longer list it" in result.stderr
    assert list(index_rows(out)) == ["un"]
    assert memory_documents(out) == ["un"]
    assert list(Manifest.load(out).texts) == ["un"]
    (out / "un.tmx").unlink()  # one file of a text: the text stays, without it
    result = build(tmp_path / "un.txt", "-o", out, "--no-glossary", "--format", "html")
    assert f"note: {out}: un.tmx deleted; index.html no longer links there and memory.tmx " \
        "leaves un out" in result.stderr
    assert index_rows(out) == {"un": ["un.html"]}
    assert memory_documents(out) == []


@needs_apertium
def test_a_broken_earlier_tmx_stops_the_build_before_anything_is_published(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    built(write(tmp_path / "un.txt", "Le modèle est ouvert."), "-o", out, "--no-glossary")
    (out / "un.tmx").write_text("<tmx><body><tu>")
    before = folder_state(out)
    result = build(write(tmp_path / "deux.txt", "Le train part."), "-o", out, "--no-glossary")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {out / 'un.tmx'}:1: not well-formed XML")
    assert "memory.tmx is made from it: build its text again, or delete its files" in result.output
    assert folder_state(out) == before
    assert leftovers(out) == []


# ---------- leftovers, lock ----------


@needs_apertium
def test_stale_temporary_files_of_ours_are_removed_and_others_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    built(write(tmp_path / "un.txt", "Le modèle est ouvert."), "-o", out, "--no-glossary")
    with open(out / ".un.xlf.k3j_9x0a.tmp", "wb") as stale:
        stale.truncate(10 * 2**20)  # what a build killed while writing a 1 MB text's XLIFF left
    (out / ".index.html.abcdefgh.tmp").write_text("half a page")
    (out / f"{STAGING_PREFIX}q1w2e3r4").mkdir()
    (out / f"{STAGING_PREFIX}q1w2e3r4" / "un.html").write_text("a page never published")
    (out / ".notes.txt.abcdefgh.tmp").write_text("not ours")
    (out / ".un.xlf.swp").write_text("an editor's, not ours")
    built(tmp_path / "un.txt", "-o", out, "--no-glossary")
    assert leftovers(out) == [".notes.txt.abcdefgh.tmp"]
    assert (out / ".un.xlf.swp").is_file()


def test_one_build_at_a_time_writes_into_a_folder(tmp_path: Path) -> None:
    notes: list[str] = []
    order: list[str] = []

    def second_build() -> None:
        with OutputFolder(tmp_path, notes.append):
            order.append("second")

    with OutputFolder(tmp_path, notes.append) as folder:
        waiting = threading.Thread(target=second_build)
        waiting.start()
        deadline = time.monotonic() + 10
        while not notes and time.monotonic() < deadline:
            time.sleep(0.01)
        assert notes == [f"{tmp_path}: waiting for another build to finish writing there"]
        (folder.staging / "a.html").write_text("new")
        folder.publish(["a.html"])
        order.append("first")
    waiting.join(timeout=10)
    assert order == ["first", "second"]
    assert (tmp_path / "a.html").read_text() == "new"
    assert leftovers(tmp_path) == []


def test_an_unreadable_manifest_is_named_with_the_fix(tmp_path: Path) -> None:
    text = {"source": "/in/a.txt", "built": "2025-01-01T00:00:00+00:00", "segments": 1,
            "engine": None, "glossary": None, "severities": {}, "terms": {},
            "files": {"html": "a.html"}}
    manifest = {"format": "bilingual-output-folder", "version": 1, "texts": {"a": text}}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest))
    assert Manifest.load(tmp_path).texts["a"].files == {"html": "a.html"}
    text["files"] = {"html": "../../home/me/notes.html"}  # a manifest names files of its folder only
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest))
    with pytest.raises(ExportError, match=f"{MANIFEST_NAME}: unreadable .*move it away"):
        Manifest.load(tmp_path)
    (tmp_path / MANIFEST_NAME).write_text('{"format": "bilingual-output-folder", "version": 9}')
    with pytest.raises(ExportError, match="written by another version of bilingual"):
        Manifest.load(tmp_path)


def test_names_avoid_every_file_of_another_text_and_ignore_case(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    assert manifest.names_for([Path("Index.txt"), Path("MEMORY.txt"), Path("x/a.txt"),
                               Path("y/A.txt"), Path("a.glossary.txt")]) == [
        "Index-2", "MEMORY-2", "a", "A-2", "a.glossary-2"
    ]


# ---------- killed builds ----------

#: A text long enough for its page to take a while to write (the engine double is slow, so the
#: tests build it once, then build it again with one more sentence, taking the rest from memory).
LONG_TEXT = " ".join(f"Phrase numéro {n} du texte, sur les modèles ouverts." for n in range(400))


def start_build(tmp_path: Path, text: str, kill_at: str | None,
                monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Build ``text`` (as ``in/text.txt``) into ``out`` in a subprocess; its exit status and
    stderr."""
    write(tmp_path / "in" / "text.txt", text)
    if kill_at is None:
        monkeypatch.delenv(KILL_AT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(KILL_AT_VARIABLE, kill_at)
    process = run_build(tmp_path / "in", tmp_path / "out", tmp_path / "tm.sqlite", delay=0.0)
    _, errors = process.communicate(timeout=120)
    return process.returncode, errors


@pytest.mark.parametrize("point", ["pages", "staged"])
def test_a_build_killed_before_publishing_leaves_the_old_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    status, errors = start_build(tmp_path, LONG_TEXT, None, monkeypatch)
    assert status == 0, errors
    out = tmp_path / "out"
    before = folder_state(out)
    status, _ = start_build(tmp_path, LONG_TEXT + " Seconde version.", point, monkeypatch)
    assert status == -signal.SIGKILL
    if point == "pages":
        # The page writer died with the build, within the second it waits before carrying on as
        # a survivor would (see fault_point): a survivor would have finished the page, and the
        # build's pipes, which start_build reads to the end, stay open until it exits.
        assert not list(out.glob(f"{STAGING_PREFIX}*/text.html"))
    assert folder_state(out) == before
    assert leftovers(out)  # what the next build must clean
    status, errors = start_build(tmp_path, LONG_TEXT + " Troisième version.", None, monkeypatch)
    assert status == 0, errors
    assert leftovers(out) == []
    assert "TROISIÈME VERSION" in lxml_html.fromstring((out / "text.html").read_bytes()).text_content()


def test_a_build_killed_while_publishing_is_completed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, errors = start_build(tmp_path, "Première version du texte.", None, monkeypatch)
    assert status == 0, errors
    out = tmp_path / "out"
    status, _ = start_build(tmp_path, "Seconde version du texte.", "publishing", monkeypatch)
    assert status == -signal.SIGKILL
    assert (out / ".bilingual-journal.json").is_file()
    # another text's build completes the interrupted one before writing its own
    monkeypatch.delenv(KILL_AT_VARIABLE)
    other = write(tmp_path / "other" / "autre.txt", "Un autre texte.")
    process = run_build(other, out, tmp_path / "tm.sqlite", delay=0.0)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    assert leftovers(out) == []
    for name in ("text.html", "text.tmx", "memory.tmx"):
        assert "SECONDE VERSION" in (out / name).read_text(), name
    assert sorted(Manifest.load(out).texts) == ["autre", "text"]
    assert sorted(index_rows(out)) == ["autre", "text"]


def test_concurrent_builds_of_texts_with_the_same_name_keep_both(tmp_path: Path) -> None:
    sources = [write(tmp_path / folder / "a.txt", f"Le texte du dossier {folder}. " * 8)
               for folder in ("x", "y")]
    out = tmp_path / "out"
    processes = [run_build(source, out, tmp_path / f"tm-{n}.sqlite", delay=0.3)
                 for n, source in enumerate(sources)]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    manifest = Manifest.load(out)
    assert sorted(manifest.texts) == ["a", "a-2"]
    assert sorted(text.source for text in manifest.texts.values()) == [
        str(source.resolve()) for source in sources
    ]
    for name, text in manifest.texts.items():
        folder = Path(text.source).parent.name.upper()
        assert f"DOSSIER {folder}" in (out / f"{name}.html").read_text()
    assert sorted(index_rows(out)) == ["a", "a-2"]
    assert sorted(set(memory_documents(out))) == ["a", "a-2"]


def test_a_folder_in_the_way_of_an_output_stops_the_build_before_publishing(
    tmp_path: Path,
) -> None:
    (tmp_path / "b.html").mkdir()
    with OutputFolder(tmp_path, print) as folder:
        for name in ("a.html", "b.html"):
            (folder.staging / name).write_text("new")
        with pytest.raises(ExportError, match="b.html: a folder is where this output goes"):
            folder.publish(["a.html", "b.html"])
    assert sorted(path.name for path in tmp_path.iterdir()) == [".bilingual.lock", "b.html"]
