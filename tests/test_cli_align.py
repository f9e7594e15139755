"""``bilingual align``: a French text and its human English translation in, build's outputs and
memory entries out; flags for omissions and uncertain links; one-line errors for bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree
from test_align import PAIRS, UNRELATED_ENGLISH

from bilingual.cli import cli
from bilingual.engines.apertium import ApertiumEngine
from bilingual.exchange.xml import load_xml_safely
from bilingual.memory import open_memory, parse_timestamp

needs_apertium = pytest.mark.skipif(
    not ApertiumEngine.is_available(), reason="Apertium is not installed"
)

FRENCH = [fr for fr, _ in PAIRS]
ENGLISH = [en for _, en in PAIRS]
#: The English leaves out "Après trois semaines de navigation..." (French sentence 6).
OMITTED = 6


def write_text(path: Path, sentences: list[str], per_paragraph: int = 4) -> Path:
    paragraphs = [
        " ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["align", *map(str, args)])


def summary(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def tmx_units(path: Path) -> list[etree._Element]:
    return list(load_xml_safely(path).getroot().iterfind("body/tu"))


def unit_props(tu: etree._Element) -> dict[str, str]:
    return {prop.get("type"): prop.text or "" for prop in tu.iterfind("prop")}


@pytest.fixture
def story(tmp_path: Path) -> tuple[Path, Path]:
    """The story and its translation, which leaves one sentence out."""
    english = [en for index, en in enumerate(ENGLISH) if index != OMITTED]
    return write_text(tmp_path / "conte.txt", FRENCH), write_text(tmp_path / "tale.txt", english)


@needs_apertium
def test_align_writes_builds_outputs_with_the_english_as_human_aligned(
    tmp_path: Path, story: tuple[Path, Path]
) -> None:
    french, english = story
    out, memory = tmp_path / "out", tmp_path / "memory.sqlite"
    data = summary(run(french, english, "-o", out, "--memory", memory, "--format",
                       "html,tmx,doc,json,xliff", "--no-glossary", "--json"))
    assert data["engine"] is not None and str(data["engine"]).startswith("apertium:")
    (text,) = data["texts"]  # type: ignore[misc]
    assert text["name"] == "conte"
    # The French segmenter keeps "les lettres K. Z. Le docteur..." together: one 1-2 link.
    assert text["kinds"] == {"1-1": len(PAIRS) - 3, "1-2": 1, "1-0": 1}
    assert set(text["files"]) == {"html", "tmx", "doc", "json", "xliff"}
    # every link, with the sentences it joins, to hold against a gold alignment
    links = text["alignment"]
    assert len(links) == text["links"]
    assert [link["french"] for link in links] == [[n] for n in range(len(links))]
    assert sum(len(link["english"]) for link in links) == len(ENGLISH) - 1
    assert [t for link in links for t in link["english_text"]] == [
        en for index, en in enumerate(ENGLISH) if index != OMITTED
    ]
    assert links[OMITTED]["kind"] == "1-0" and links[OMITTED]["french_text"] == [FRENCH[OMITTED]]
    for name in [*text["files"].values(), "index.html", "memory.tmx"]:
        assert (out / name).is_file(), name

    units = json.loads((out / "conte.json").read_text(encoding="utf-8"))["units"]
    matched = [unit for unit in units if unit["target"]]
    assert " ".join(unit["target"] for unit in matched) == " ".join(
        en for index, en in enumerate(ENGLISH) if index != OMITTED
    )
    assert {unit["origin"] for unit in units} == {"human"}
    (omission,) = [unit for unit in units if not unit["target"]]
    assert omission["source"] == FRENCH[OMITTED]
    assert omission["alignment"]["flag"] == "omission"
    assert [f["kind"] for f in omission["findings"]] == ["align-omission"]

    page = (out / "conte.html").read_text(encoding="utf-8")
    assert page.count(">human, aligned<") == len(units) + 1  # every row, and the key
    assert ">left out of the English<" in page  # a label in words, not only a colour
    assert "<dt>Translation</dt><dd>Human translation, aligned" in page  # no engine wrote it

    tus = tmx_units(out / "conte.tmx")
    assert len(tus) == len(matched)  # no unit without an English side
    assert {unit_props(tu)["x-origin"] for tu in tus} == {"human"}
    assert {unit_props(tu)["x-alignment"] for tu in tus} == {"1-1", "1-2"}
    assert all(float(unit_props(tu)["x-alignment-confidence"]) > 0.5 for tu in tus)
    notes = [note.text or "" for tu in tus for note in tu.iterfind("note")]
    assert any(FRENCH[OMITTED] in note and note.startswith("align-nearby") for note in notes)
    english_document = (out / "conte.en.txt").read_text(encoding="utf-8")
    assert ENGLISH[0] in english_document and ENGLISH[-1] in english_document


@needs_apertium
def test_aligned_pairs_are_one_undoable_memory_import_that_a_later_build_reuses(
    tmp_path: Path, story: tuple[Path, Path]
) -> None:
    french, english = story
    memory = tmp_path / "memory.sqlite"
    data = summary(run(french, english, "-o", tmp_path / "out", "--memory", memory,
                       "--no-glossary", "--json"))
    (text,) = data["texts"]  # type: ignore[misc]
    stored = len(PAIRS) - 2  # 14 sentences in 13 French segments; the omission is not stored
    assert text["memory"]["stored"] == stored and text["not_stored"] == 1

    listed = CliRunner().invoke(cli, ["memory", "imports", "--json", "--memory", str(memory)])
    (operation,) = json.loads(listed.stdout)
    assert operation["kind"] == "align" and operation["id"] == text["memory"]["import"]

    # A revised French text sharing two sentences with the aligned one.
    revised = write_text(tmp_path / "revu.txt", [FRENCH[0], "Une phrase toute nouvelle.", FRENCH[9]])
    built = CliRunner().invoke(cli, ["build", str(revised), "-o", str(tmp_path / "out2"), "--memory",
                                     str(memory), "--engine", "apertium", "--format", "json,html",
                                     "--no-glossary", "-q"])
    assert built.exit_code == 0, built.output
    units = json.loads((tmp_path / "out2" / "revu.json").read_text(encoding="utf-8"))["units"]
    assert [(unit["origin"], unit["target"]) for unit in units[::2]] == [
        ("human", ENGLISH[0]), ("human", ENGLISH[9])
    ]
    assert units[1]["origin"] == "machine"
    assert ">human<" in (tmp_path / "out2" / "revu.html").read_text(encoding="utf-8")

    undone = CliRunner().invoke(cli, ["memory", "undo", str(operation["id"]), "--memory", str(memory)])
    assert undone.exit_code == 0, undone.output
    assert f"{stored} translation(s) removed" in undone.output
    with open_memory(memory) as opened:
        assert opened.lookup(FRENCH[0], None, "") is None


def test_a_different_human_translation_in_the_memory_is_a_conflict_and_stays(
    tmp_path: Path, story: tuple[Path, Path]
) -> None:
    french, english = story
    memory = tmp_path / "memory.sqlite"
    mine = "On 12 March 1871 Hatteras sailed from Liverpool on the Forward."
    with open_memory(memory) as opened:
        opened.store_human("mine", [(FRENCH[0], mine)])
        (version,) = opened.history(FRENCH[0])
    # An English file of the very second the memory's translation was made is no edit of it.
    made = parse_timestamp(version.changed).timestamp()
    os.utime(english, (made, made))
    result = run(french, english, "-o", tmp_path / "out", "--memory", memory, "--no-mt",
                 "--no-glossary")
    assert result.exit_code == 0, result.output
    assert "1 conflicts" in result.stdout
    assert f"keeps its human translation {mine!r}" in result.stdout
    with open_memory(memory) as opened:
        hit = opened.lookup(FRENCH[0], None, "")
        assert hit is not None and hit.target == mine
        assert opened.lookup(FRENCH[1], None, "") is not None


def test_folders_are_paired_by_name_and_an_unmatched_file_is_reported(tmp_path: Path) -> None:
    write_text(tmp_path / "fr" / "un.txt", FRENCH[:7])
    write_text(tmp_path / "fr" / "deux.md", FRENCH[7:])
    write_text(tmp_path / "fr" / "seul.txt", FRENCH[:3])
    write_text(tmp_path / "en" / "un.en.txt", ENGLISH[:7])
    write_text(tmp_path / "en" / "deux.md", ENGLISH[7:])
    (tmp_path / "en" / "notes.pdf").write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(cli, ["align", str(tmp_path / "fr"), str(tmp_path / "en"), "-o",
                                      str(tmp_path / "out"), "--no-memory", "--no-mt",
                                      "--no-glossary", "--json"])
    data = summary(result)
    assert [(t["name"], Path(t["english"]).name) for t in data["texts"]] == [  # type: ignore[attr-defined]
        ("deux", "deux.md"), ("un", "un.en.txt")
    ]
    assert [Path(path).name for path in data["unmatched"]] == ["seul.txt"]  # type: ignore[attr-defined]
    assert "seul.txt: no text of the same name on the other side" in result.stderr
    assert (tmp_path / "out" / "deux.en.md").is_file() and (tmp_path / "out" / "un.en.txt").is_file()
    assert not (tmp_path / "out" / "seul.html").exists()


def test_unrelated_texts_warn_store_nothing_and_fail_with_strict(tmp_path: Path) -> None:
    french = write_text(tmp_path / "conte.txt", FRENCH)
    recipe = write_text(tmp_path / "recipe.txt", UNRELATED_ENGLISH)
    memory = tmp_path / "memory.sqlite"
    result = run(french, recipe, "-o", tmp_path / "out", "--memory", memory, "--no-mt",
                 "--no-glossary", "--format", "html,tmx")
    assert result.exit_code == 0, result.output
    assert "of the links have low confidence: are these texts translations" in result.stderr
    assert "nothing stored in the memory" in result.stdout
    with open_memory(memory) as opened:
        assert opened.operations() == []  # no empty import to list
    page = (tmp_path / "out" / "conte.html").read_text(encoding="utf-8")
    assert ">uncertain alignment<" in page
    tus = tmx_units(tmp_path / "out" / "conte.tmx")
    flagged = [tu for tu in tus if unit_props(tu).get("x-alignment-flag") == "low-confidence"]
    assert flagged and all(
        any((note.text or "").startswith("align-low-confidence") for note in tu.iterfind("note"))
        for tu in flagged
    )

    strict = run(french, recipe, "-o", tmp_path / "strict", "--no-memory", "--no-mt",
                 "--no-glossary", "--strict")
    assert strict.exit_code == 1
    assert strict.output.startswith(f"Error: {french}: aligning with {recipe}: ")
    assert "Nothing was written (--strict)" in strict.output
    assert not (tmp_path / "strict").exists()


@pytest.mark.parametrize(
    ("french", "english", "message"),
    [
        (FRENCH, [], "empty.txt: is empty"),
        (ENGLISH, FRENCH, "the texts look swapped"),
        (ENGLISH, ENGLISH, "the French text looks English"),
        (FRENCH, FRENCH, "the English text looks French"),
        (FRENCH, ENGLISH[:1], "too different in length"),
    ],
    ids=["empty", "swapped", "english-as-french", "french-as-english", "lengths"],
)
def test_bad_input_is_one_error_line(
    tmp_path: Path, french: list[str], english: list[str], message: str
) -> None:
    first = write_text(tmp_path / "first.txt", french)
    second = tmp_path / "empty.txt" if not english else write_text(tmp_path / "second.txt", english)
    if not english:
        second.write_text("", encoding="utf-8")
    result = run(first, second, "-o", tmp_path / "out", "--no-memory", "--no-mt", "--no-glossary")
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith("Error: ") and message in line
    assert Path(line.split(": ")[1]).name in {first.name, second.name}
    assert not (tmp_path / "out").exists()


def test_missing_file_and_an_english_input_in_the_way_of_an_output(
    tmp_path: Path, story: tuple[Path, Path]
) -> None:
    french, english = story
    missing = run(french, tmp_path / "nowhere.txt", "--no-memory", "--no-mt")
    assert missing.exit_code == 1
    assert missing.output == f"Error: {tmp_path / 'nowhere.txt'}: no such file or folder\n"

    out = tmp_path / "out"
    out.mkdir()
    in_the_way = out / "conte.en.txt"  # the name of the English document align writes
    in_the_way.write_bytes(english.read_bytes())
    refused = run(french, in_the_way, "-o", out, "--no-memory", "--no-mt", "--no-glossary")
    assert refused.exit_code == 1
    assert "would overwrite the input" in refused.output
    assert in_the_way.read_bytes() == english.read_bytes()
