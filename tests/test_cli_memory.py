"""``bilingual memory``: the click group on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual.cli_memory import memory_group
from bilingual.document import EngineInfo
from bilingual.errors import FormatError, TranslationMemoryError
from bilingual.memory import open_memory

APERTIUM = EngineInfo("apertium", "3.8.3", "fr-en")


@pytest.fixture
def database(locations) -> str:
    """A small memory on each backend in turn (its location, as --memory takes it)."""
    location = locations.new()
    with open_memory(location) as memory:
        memory.store_machine(
            "chapitre1",
            [
                (
                    "Le petit chat dort sur le tapis rouge.",
                    "The little cat sleeps on the red mat.",
                    "",
                ),
                ("Il pleut.", "It rains.", ""),
            ],
            APERTIUM,
        )
        memory.record_document("chapitre1", ["Le petit chat dort sur le tapis rouge.", "Il pleut."])
        memory.store_human(None, [("Il pleut.", "It is raining.")])
    return str(location)


def invoke(*arguments: str):
    return CliRunner().invoke(memory_group, list(arguments))


def test_every_command_has_an_example() -> None:
    assert "Example:" in (memory_group.help or "")
    for name, command in memory_group.commands.items():
        assert "Example:" in (command.help or ""), name
        assert "--memory" in invoke(name, "--help").output


def test_import_stores_human_translations(locations, tmp_path: Path) -> None:
    database = locations.new()
    tsv = tmp_path / "post-edits.tsv"
    tsv.write_text("Le chat dort.\tThe cat is asleep.\nOui.\tYes.\n", encoding="utf-8")
    result = invoke("import", str(tsv), "--memory", str(database))
    assert result.exit_code == 0, result.output
    assert "  2 stored as human translations" in result.output.splitlines()
    with open_memory(database) as memory:
        assert memory.lookup("Oui.", None, "").target == "Yes."


def test_import_with_explicit_format(tmp_path: Path, database: str) -> None:
    path = tmp_path / "fixes.txt"
    path.write_text("Bonsoir.\tGood evening.\n", encoding="utf-8")
    result = invoke("import", str(path), "--format", "tsv", "--memory", database)
    assert result.exit_code == 0, result.output


def test_import_of_a_malformed_file_raises_the_library_error(
    tmp_path: Path, database: str
) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text("<tmx>\n<body>\n<tu>\n</body></tmx>", encoding="utf-8")
    result = invoke("import", str(path), "--memory", database)
    assert isinstance(result.exception, FormatError)
    assert f"{path}:4:" in str(result.exception)


def test_export_writes_the_requested_format(tmp_path: Path, database: str) -> None:
    target = tmp_path / "out" / "memory.tmx"
    result = invoke("export", str(target), "--format", "tmx", "--memory", database)
    assert result.exit_code == 0, result.output
    assert "Wrote 2 translation(s)" in result.output  # one per segment
    assert "<tmx" in target.read_text(encoding="utf-8")
    tsv = tmp_path / "chapitre1.tsv"
    result = invoke(
        "export", str(tsv), "--format", "tsv", "--document", "chapitre1", "--memory", database
    )
    assert result.exit_code == 0, result.output
    assert tsv.read_text(encoding="utf-8").splitlines()[0].startswith("Le petit chat")


def test_export_takes_the_format_from_the_extension_or_asks_for_it(
    tmp_path: Path, database: str
) -> None:
    assert invoke("export", str(tmp_path / "m.tmx"), "--memory", database).exit_code == 0
    assert "<tmx" in (tmp_path / "m.tmx").read_text(encoding="utf-8")
    result = invoke("export", str(tmp_path / "m.out"), "--memory", database)
    assert isinstance(result.exception, FormatError)
    assert "--format" in str(result.exception)


def test_reading_commands_never_create_a_memory(locations, tmp_path: Path) -> None:
    missing = locations.new()
    for arguments in (
        ["stats"],
        ["lookup", "chat"],
        ["export", str(tmp_path / "m.tmx"), "--format", "tmx"],
        ["imports"],
        ["history", "Le chat."],
        ["undo", "1"],
        ["remove", "Le chat.", "--yes"],
    ):
        result = invoke(*arguments, "--memory", str(missing))
        assert isinstance(result.exception, TranslationMemoryError), arguments
        assert "no translation memory here yet" in str(result.exception)
    with pytest.raises(TranslationMemoryError, match="no translation memory here yet"):
        open_memory(missing, create=False)


def test_default_memory_follows_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    tsv = tmp_path / "fixes.tsv"
    tsv.write_text("Oui.\tYes.\n", encoding="utf-8")
    assert invoke("import", str(tsv)).exit_code == 0
    assert (tmp_path / "data" / "bilingual" / "memory.sqlite").exists()


def test_stats_text_and_json(database: str) -> None:
    result = invoke("stats", "--memory", database)
    assert result.exit_code == 0, result.output
    assert "Human:        1" in result.output
    assert "apertium:3.8.3:fr-en: 2" in result.output
    data = json.loads(invoke("stats", "--json", "--memory", database).output)
    assert (data["segments"], data["human"], data["machine"], data["documents"]) == (2, 1, 2, 1)


def test_lookup_shows_exact_fuzzy_and_containing(database: str) -> None:
    result = invoke("lookup", "Il pleut.", "--memory", database)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "human: It is raining."
    result = invoke("lookup", "Le petit chien dort sur le tapis rouge.", "--memory", database)
    assert "Fuzzy" in result.output
    assert "[-chat-]{+chien+}" in result.output
    assert "The little cat sleeps on the red mat." in result.output
    result = invoke("lookup", "tapis", "--memory", database)
    assert "Le petit chat dort sur le tapis rouge." in result.output
    result = invoke("lookup", "introuvable", "--memory", database)
    assert "Nothing in the memory matches" in result.output


def test_lookup_json(database: str) -> None:
    result = invoke(
        "lookup", "Le petit chien dort sur le tapis rouge.", "--json", "--memory", database
    )
    data = json.loads(result.output)
    assert data["exact"] == []
    assert data["fuzzy"]["target"] == "The little cat sleeps on the red mat."
    assert data["fuzzy"]["origin"] == "memory"
    assert [-1, "chat"] in data["fuzzy"]["diff"] and [1, "chien"] in data["fuzzy"]["diff"]
    exact = json.loads(invoke("lookup", "Il pleut.", "--json", "--memory", database).output)
    assert [entry["origin"] for entry in exact["exact"]] == ["human", "machine"]
