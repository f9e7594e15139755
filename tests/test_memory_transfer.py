"""Post-edit round trips through the command line: whatever a translator edits in a file we
wrote, and imports back, becomes a human translation, and nothing else does.

A short French text is built once with Apertium (the real engine) into every exchange format;
each test works on a copy of that build's memory and files, edits them as a translator would,
and checks the import report's counts, the memory, and what the next build uses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import MEMORY_BACKENDS, MemoryLocations, memory_locations
from lxml import etree

from bilingual.cli import cli
from bilingual.document import Origin
from bilingual.engines.apertium import ApertiumEngine
from bilingual.memory import open_memory

pytestmark = pytest.mark.skipif(
    not ApertiumEngine.is_available(), reason="apertium fr-es/spa-eng not installed"
)

TEXT = (
    "Le chat dort sur le canapé. Il fait beau à Lyon.\n\n"
    "La réunion commence à dix heures. Les enfants jouent dans le jardin. "
    "Nous partirons demain matin.\n\n"
    "Le train arrive en retard. Elle lit un livre."
)
SEGMENTS = 7
XLIFF2 = "{urn:oasis:names:tc:xliff:document:2.0}"
XLIFF12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(*arguments: str) -> Result:
    result = CliRunner().invoke(cli, list(arguments))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@dataclass
class Work:
    """A copy of the build: its folder (the text, its outputs) and its memory."""

    folder: Path
    memory: str
    locations: MemoryLocations


@pytest.fixture(scope="module", params=MEMORY_BACKENDS)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str, MemoryLocations]]:
    """The text built once per backend; its memory is copied, never used, by the tests."""
    folder = tmp_path_factory.mktemp("built")
    for locations in memory_locations(request, request.param, folder):
        memory = str(locations.new())
        (folder / "texte.txt").write_text(TEXT, encoding="utf-8")
        result = run(
            "build", str(folder / "texte.txt"), "-o", str(folder / "out"), "--engine", "apertium",
            "--format", "all", "--no-glossary", "--memory", memory, "--quiet",
        )
        assert result.exit_code == 0, result.output
        yield folder, memory, locations


@pytest.fixture
def work(built: tuple[Path, str, MemoryLocations], tmp_path: Path) -> Iterator[Work]:
    """A copy of the build: the text, its outputs and its memory."""
    folder, memory, built_locations = built
    shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
    locations = MemoryLocations(built_locations.backend, tmp_path, built_locations.server)
    yield Work(tmp_path, str(locations.copy(memory, "memory")), locations)
    locations.release_all()


def memory_of(work: Work) -> str:
    return work.memory


def import_json(work: Work, path: Path, *options: str) -> dict[str, object]:
    result = run("memory", "import", str(path), "--memory", memory_of(work), "--json", *options)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


def counts(report: dict[str, object]) -> tuple[object, ...]:
    keys = ("stored", "unchanged_machine", "unchanged_human", "conflicts", "untranslated")
    return tuple(report[key] for key in keys)


def edit_tmx(path: Path, edits: dict[int, str]) -> list[str]:
    """Replace the English of the units at these positions; return their French sources."""
    tree = etree.parse(str(path))
    sources = []
    for index, tu in enumerate(tree.getroot().iter("tu")):
        if index in edits:
            tuvs = tu.findall("tuv")
            sources.append(tuvs[0].findtext("seg"))
            tuvs[1].find("seg").text = edits[index]
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    return sources


def edit_xliff(path: Path, namespace: str, unit_tag: str, edits: dict[int, str]) -> list[str]:
    tree = etree.parse(str(path))
    sources = []
    for index, unit in enumerate(tree.getroot().iter(f"{namespace}{unit_tag}")):
        if index in edits:
            sources.append(unit.findtext(f".//{namespace}source"))
            unit.find(f".//{namespace}target").text = edits[index]
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    return sources


def current(work: Work, source: str) -> tuple[str, Origin] | None:
    with open_memory(memory_of(work)) as memory:
        hit = memory.lookup(source, None, "")
    return (hit.target, hit.origin) if hit else None


def rebuild_origins(work: Work) -> dict[str, str]:
    result = run(
        "build", str(work.folder / "texte.txt"), "-o", str(work.folder / "again"), "--engine", "apertium",
        "--format", "json", "--no-glossary", "--memory", memory_of(work), "--quiet",
    )
    assert result.exit_code == 0, result.output
    units = json.loads((work.folder / "again" / "texte.json").read_text(encoding="utf-8"))["units"]
    return {unit["source"]: unit["origin"] for unit in units}


def test_the_build_wrote_every_format(work: Work) -> None:
    names = sorted(path.name for path in (work.folder / "out").iterdir())
    for name in ("texte.tmx", "texte.xlf", "texte.xliff12.xlf", "texte.json"):
        assert name in names


def test_an_edit_in_the_build_tmx_is_stored_although_its_prop_says_machine(work: Work) -> None:
    tmx = work.folder / "out" / "texte.tmx"
    (source,) = edit_tmx(tmx, {2: "The meeting starts at ten o'clock."})
    assert '<prop type="x-origin">machine</prop>' in tmx.read_text(encoding="utf-8")
    report = import_json(work, tmx)
    assert counts(report) == (1, SEGMENTS - 1, 0, 0, 0)
    assert report["units"] == SEGMENTS
    assert current(work, source) == ("The meeting starts at ten o'clock.", Origin.HUMAN)
    origins = rebuild_origins(work)
    assert origins[source] == "human"
    assert sorted(origins.values()).count("memory") == SEGMENTS - 1


@pytest.mark.parametrize(
    ("name", "namespace", "unit_tag"),
    [("texte.xlf", XLIFF2, "segment"), ("texte.xliff12.xlf", XLIFF12, "trans-unit")],
)
def test_untouched_machine_translations_in_an_xliff_never_become_human(
    work: Work, name: str, namespace: str, unit_tag: str
) -> None:
    tmx = work.folder / "out" / "texte.tmx"
    (earlier,) = edit_tmx(tmx, {0: "The cat is asleep on the sofa."})
    assert counts(import_json(work, tmx))[0] == 1
    xliff = work.folder / "out" / name
    edited = edit_xliff(xliff, namespace, unit_tag, {3: "The children play in the garden.",
                                                     5: "The train is late."})
    report = import_json(work, xliff)
    # the XLIFF still holds the machine translation of the segment post-edited earlier
    assert counts(report) == (2, SEGMENTS - 2, 0, 0, 0)
    assert current(work, earlier) == ("The cat is asleep on the sofa.", Origin.HUMAN)
    assert current(work, edited[0]) == ("The children play in the garden.", Origin.HUMAN)
    with open_memory(memory_of(work)) as memory:
        assert memory.stats().human == 3


@pytest.mark.parametrize("fmt", ["xliff", "xliff12", "tmx", "tsv"])
def test_an_edited_memory_export_imports_back_as_human(work: Work, fmt: str) -> None:
    exported = work.folder / f"export.{fmt}"
    result = run("memory", "export", str(exported), "--format", fmt, "--document", "texte",
                 "--memory", memory_of(work))
    assert f"Wrote {SEGMENTS} translation(s)" in result.output
    text = exported.read_text(encoding="utf-8")
    with open_memory(memory_of(work)) as memory:
        machine = next(memory.iter_current("texte")).target
    exported.write_text(text.replace(machine, "The cat is sound asleep on the sofa.", 1),
                        encoding="utf-8")
    report = import_json(work, exported, "--format", fmt)
    assert counts(report) == (1, SEGMENTS - 1, 0, 0, 0)
    assert current(work, "Le chat dort sur le canapé.") == (
        "The cat is sound asleep on the sofa.", Origin.HUMAN)


def test_xliff_exports_validate(work: Work) -> None:
    for fmt in ("xliff", "xliff12"):
        path = work.folder / f"memory-{fmt}.xlf"
        run("memory", "export", str(path), "--format", fmt, "--memory", memory_of(work))
        result = run("validate", str(path))
        assert result.exit_code == 0, result.output
        assert "valid XLIFF" in result.output


def test_reimporting_the_same_file_stores_nothing_more(work: Work) -> None:
    tmx = work.folder / "out" / "texte.tmx"
    edit_tmx(tmx, {1: "The weather is fine in Lyon.", 4: "We will leave tomorrow morning."})
    assert counts(import_json(work, tmx)) == (2, SEGMENTS - 2, 0, 0, 0)
    assert counts(import_json(work, tmx)) == (0, SEGMENTS - 2, 2, 0, 0)
    with open_memory(memory_of(work)) as memory:
        assert memory.stats().human_versions == 2


def two_edits_of_one_segment(work: Work) -> tuple[Path, Path, str]:
    """Two copies of the build's TMX editing the last segment differently, the first older."""
    older, newer = work.folder / "older.tmx", work.folder / "newer.tmx"
    for path, translation, moment in (
        (older, "She reads a novel.", 1_700_000_000),
        (newer, "She is reading a book.", 1_800_000_000),
    ):
        shutil.copy(work.folder / "out" / "texte.tmx", path)
        (source,) = edit_tmx(path, {6: translation})
        os.utime(path, (moment, moment))
    return older, newer, source


def test_an_older_file_never_replaces_a_newer_human_translation(work: Work) -> None:
    older, newer, source = two_edits_of_one_segment(work)
    assert counts(import_json(work, newer)) == (1, SEGMENTS - 1, 0, 0, 0)
    report = import_json(work, older)
    assert counts(report) == (0, SEGMENTS - 1, 0, 1, 0)
    (conflict,) = report["conflict_details"]
    assert conflict["winner"] == "memory" and conflict["file"] == "She reads a novel."
    assert current(work, source) == ("She is reading a book.", Origin.HUMAN)
    history = json.loads(run("memory", "history", source, "--json", "--memory",
                             memory_of(work)).output)["versions"]
    human = [version["target"] for version in history if version["origin"] == "human"]
    assert human == ["She is reading a book.", "She reads a novel."]  # both kept, newest first
    assert history[0]["current"]


def test_a_newer_conflicting_file_wins_and_says_so(work: Work) -> None:
    first, second, source = two_edits_of_one_segment(work)
    import_json(work, first)
    result = run("memory", "import", str(second), "--memory", memory_of(work))
    assert "  1 conflicts with a different human translation (both kept; the file's is used " \
           "for 1, the memory's for 0)" in result.output.splitlines()
    assert current(work, source) == ("She is reading a book.", Origin.HUMAN)


def test_undo_restores_exactly_the_memory_before_the_import(work: Work) -> None:
    before = json.loads(run("memory", "stats", "--json", "--memory", memory_of(work)).output)
    export_before = work.folder / "before.tsv"
    run("memory", "export", str(export_before), "--memory", memory_of(work))
    tmx = work.folder / "out" / "texte.tmx"
    (source,) = edit_tmx(tmx, {0: "The cat sleeps on the couch."})
    report = import_json(work, tmx)
    imports = json.loads(run("memory", "imports", "--json", "--memory", memory_of(work)).output)
    assert [(op["id"], op["kind"], op["counts"]["stored"]) for op in imports] == [
        (report["import"], "import", 1)
    ]
    result = run("memory", "undo", str(report["import"]), "--memory", memory_of(work))
    assert result.exit_code == 0 and "1 translation(s) removed" in result.output
    assert current(work, source) is None or current(work, source)[1] is not Origin.HUMAN
    after = json.loads(run("memory", "stats", "--json", "--memory", memory_of(work)).output)
    for key in ("segments", "translated_segments", "human", "human_versions", "machine"):
        assert after[key] == before[key], key
    export_after = work.folder / "after.tsv"
    run("memory", "export", str(export_after), "--memory", memory_of(work))
    assert export_after.read_bytes() == export_before.read_bytes()
    again = run("memory", "undo", str(report["import"]), "--memory", memory_of(work))
    assert again.exit_code == 1 and "already undone" in again.output
    assert rebuild_origins(work)[source] == "memory"


def test_remove_asks_first_and_undo_brings_the_translations_back(work: Work) -> None:
    tmx = work.folder / "out" / "texte.tmx"
    (source,) = edit_tmx(tmx, {1: "It is sunny in Lyon."})
    import_json(work, tmx)
    refused = run("memory", "remove", source, "--memory", memory_of(work))
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert current(work, source) == ("It is sunny in Lyon.", Origin.HUMAN)
    result = run("memory", "remove", source, "--yes", "--memory", memory_of(work))
    assert result.exit_code == 0, result.output
    operation = int(re.search(r"memory undo (\d+)", result.output).group(1))
    assert current(work, source) is None
    assert rebuild_origins(work)[source] == "machine"  # translated again by the engine
    run("memory", "undo", str(operation), "--memory", memory_of(work))
    assert current(work, source) == ("It is sunny in Lyon.", Origin.HUMAN)


def test_dry_run_reports_the_same_and_stores_nothing(work: Work) -> None:
    tmx = work.folder / "out" / "texte.tmx"
    edit_tmx(tmx, {2: "The meeting begins at ten."})
    dry = import_json(work, tmx, "--dry-run")
    assert dry["dry_run"] and dry["import"] is None
    with open_memory(memory_of(work)) as memory:
        assert memory.stats().human == 0 and memory.operations() == []
    real = import_json(work, tmx)
    assert counts(dry) == counts(real) == (1, SEGMENTS - 1, 0, 0, 0)


def test_markers_decide_only_where_the_memory_has_nothing_to_compare(work: Work) -> None:
    tmx = work.folder / "out" / "texte.tmx"
    edit_tmx(tmx, {0: "The cat sleeps on the couch."})
    empty = work.locations.new("empty")
    result = run("memory", "import", str(tmx), "--memory", str(empty), "--json")
    report = json.loads(result.output)
    assert (report["stored"], report["machine_marked"]) == (0, SEGMENTS)
    result = run("memory", "import", str(tmx), "--memory", str(empty), "--json", "--as-human")
    assert json.loads(result.output)["stored"] == SEGMENTS


def test_untranslated_units_are_counted_apart(work: Work) -> None:
    xliff = work.folder / "out" / "texte.xliff12.xlf"
    tree = etree.parse(str(xliff))
    units = list(tree.getroot().iter(f"{XLIFF12}trans-unit"))
    units[0].remove(units[0].find(f"{XLIFF12}target"))
    units[1].find(f"{XLIFF12}target").text = "The weather is lovely in Lyon."
    units[1].find(f"{XLIFF12}target").set("state", "translated")
    tree.write(str(xliff), encoding="utf-8", xml_declaration=True)
    assert counts(import_json(work, xliff)) == (1, SEGMENTS - 2, 0, 0, 1)


def test_memory_export_of_a_document_is_its_current_version_only(work: Work) -> None:
    glossary = work.folder / "glossary.utf8"
    glossary.write_text("chat\tfeline\n", encoding="utf-8")
    result = run(
        "build", str(work.folder / "texte.txt"), "-o", str(work.folder / "with-glossary"), "--engine",
        "apertium", "--glossary", str(glossary), "--memory", memory_of(work), "--quiet",
    )
    assert result.exit_code == 0, result.output
    exported = work.folder / "document.tmx"
    run("memory", "export", str(exported), "--document", "texte", "--memory", memory_of(work))
    tus = list(etree.parse(str(exported)).getroot().iter("tu"))
    assert len(tus) == SEGMENTS
    targets = [tu.findall("tuv")[1].findtext("seg") for tu in tus]
    assert "feline" in targets[0]  # the translation made with the glossary, not the older one


def test_history_and_lookup_never_send_control_sequences_to_the_terminal(work: Work) -> None:
    tsv = work.folder / "hostile.tsv"
    tsv.write_text("Le chat dort sur le canapé.\tThe cat\x1b[2J\x07 sleeps.\n", encoding="utf-8")
    import_json(work, tsv)
    for arguments in (("lookup", "Le chat dort sur le canapé."),
                      ("history", "Le chat dort sur le canapé.")):
        output = run("memory", *arguments, "--memory", memory_of(work)).output
        assert "\x1b" not in output and "\x07" not in output
        assert "\\x1b[2J\\x07" in output
