from __future__ import annotations

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from glossary_helpers import SAMPLE_TSV, write_glossary

from bilingual.cli_glossary import glossary_group
from bilingual.errors import GlossaryError
from bilingual.glossary import Entry, add_entry, load_glossary


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(glossary_group, list(args))


def test_every_command_has_help_with_an_example() -> None:
    for name, command in glossary_group.commands.items():
        assert "Example:" in (command.help or ""), name
        assert invoke(name, "--help").exit_code == 0


def test_add_list_remove_keep_comments_order_and_columns(tmp_path: Path) -> None:
    path = write_glossary(tmp_path)
    result = invoke(
        "add", "modèle de langage", "language model", "--pos", "noun", "--glossary", str(path)
    )
    assert result.exit_code == 0, result.output
    assert invoke("add", "CES", "--case", "sensitive", "--glossary", str(path)).exit_code != 0
    assert invoke("remove", "puces", "--glossary", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    expected = SAMPLE_TSV.replace("puce\tchip\t\tpos=noun; x-reviewer=anna\textra column\n", "")
    assert text == expected + "modèle de langage\tlanguage model\t\tpos=noun\n"
    listed = invoke("list", "--glossary", str(path)).output
    assert f"{path}:2\tMeta\tMeta\tdo-not-translate\tcompany" in listed


def test_default_glossary_is_the_glossary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("add", "puce", "chip").exit_code == 0
    assert (tmp_path / "glossary" / "glossary.utf8").read_text(encoding="utf-8") == "puce\tchip\n"
    assert "puce\tchip" in invoke("list").output


def test_lint_exit_status(tmp_path: Path) -> None:
    good = write_glossary(tmp_path, "puce\tchip\n", "good.utf8")
    bad = write_glossary(tmp_path, "puce\tchip\npuce\tmicrochip\n", "bad.utf8")
    assert invoke("lint", "--glossary", str(good)).exit_code == 0
    result = invoke("lint", "--glossary", str(bad))
    assert result.exit_code == 1 and f"{bad}:2: error:" in result.output


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".tbx"])
def test_export_then_import_round_trip(tmp_path: Path, suffix: str) -> None:
    source = write_glossary(tmp_path)
    exported = tmp_path / f"exported{suffix}"
    assert invoke("export", str(exported), "--glossary", str(source)).exit_code == 0
    target = tmp_path / "new.utf8"
    result = invoke("import", str(exported), "--glossary", str(target))
    assert result.exit_code == 0, result.output
    assert [e.identity() for e in load_glossary(target).entries] == [
        e.identity() for e in load_glossary(source).entries
    ]
    assert "skipped 13" in invoke("import", str(exported), "--glossary", str(target)).output


def test_bad_import_changes_nothing(tmp_path: Path) -> None:
    target = write_glossary(tmp_path)
    before = target.read_bytes()
    bad = tmp_path / "bad.tbx"
    bad.write_text(
        '<!DOCTYPE x [<!ENTITY e SYSTEM "http://example.com/">]><martif/>', encoding="utf-8"
    )
    result = invoke("import", str(bad), "--glossary", str(target))
    assert result.exit_code != 0 and isinstance(result.exception, GlossaryError)
    assert target.read_bytes() == before


def test_edit_of_a_malformed_file_is_refused(tmp_path: Path) -> None:
    path = write_glossary(tmp_path, "puce\tchip\norphan\n")
    result = invoke("add", "cloud", "cloud", "--glossary", str(path))
    assert isinstance(result.exception, GlossaryError) and "orphan" not in str(result.exception)
    assert path.read_text(encoding="utf-8") == "puce\tchip\norphan\n"


def test_concurrent_adds_never_lose_an_entry(tmp_path: Path) -> None:
    path = write_glossary(tmp_path, "# start\n")
    errors: list[Exception] = []

    def add(number: int) -> None:
        try:
            add_entry(path, Entry(f"terme{number}", f"term{number}"))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(e.source for e in load_glossary(path).entries) == sorted(
        f"terme{n}" for n in range(20)
    )


def test_an_attribute_cannot_be_smuggled_into_the_fourth_column(tmp_path: Path) -> None:
    path = write_glossary(tmp_path)
    before = path.read_text(encoding="utf-8")
    result = invoke(
        "add", "souris", "mouse", "--variant", "souriceau; status=forbidden", "--glossary", str(path)
    )
    assert isinstance(result.exception, GlossaryError)
    assert "contains ';'" in str(result.exception)
    assert path.read_text(encoding="utf-8") == before


def test_a_source_starting_with_a_hash_is_refused_not_written_as_a_comment(
    tmp_path: Path,
) -> None:
    path = write_glossary(tmp_path)
    before = path.read_text(encoding="utf-8")
    result = invoke("add", "#hashtag", "hashtag", "--glossary", str(path))
    assert isinstance(result.exception, GlossaryError)
    assert "starts with '#'" in str(result.exception)
    assert path.read_text(encoding="utf-8") == before


def test_an_import_says_what_it_left_out(tmp_path: Path) -> None:
    path = write_glossary(tmp_path)
    tbx = tmp_path / "in.tbx"
    tbx.write_text(
        '<?xml version="1.0"?>\n<martif><text><body>\n'
        "<termEntry><langSet xml:lang='fr'><tig><term>clavier</term></tig></langSet>"
        "<langSet xml:lang='en'><tig><term>keyboard</term></tig></langSet></termEntry>\n"
        "<termEntry><langSet xml:lang='fr'><tig><term>#tag</term></tig></langSet>"
        "<langSet xml:lang='en'><tig><term>tag</term></tig></langSet></termEntry>\n"
        "<termEntry><langSet xml:lang='fr'><tig><term>écran</term></tig></langSet>"
        "<langSet xml:lang='es'><tig><term>pantalla</term></tig></langSet></termEntry>\n"
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    result = invoke("import", str(tbx), "--glossary", str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        f"Imported 1 entries into {path}, skipped 0 already present, left out 2 that cannot be "
        "entries:"
    )
    assert any("starts with '#'" in line for line in lines[1:])
    assert any(f"{tbx}:5:" in line and "no English" in line for line in lines[1:])


def test_an_import_is_recorded_and_undone_line_for_line(tmp_path: Path) -> None:
    path = write_glossary(tmp_path)
    before = path.read_text(encoding="utf-8")
    incoming = tmp_path / "new.csv"
    incoming.write_text("clavier,keyboard\nécran,screen\n", encoding="utf-8")
    dry = invoke("import", str(incoming), "--dry-run", "--glossary", str(path))
    assert dry.output.startswith("Would import 2 entries") and path.read_text(encoding="utf-8") == before
    result = invoke("import", str(incoming), "--glossary", str(path))
    assert "Recorded as import #1" in result.output
    assert invoke("add", "souris", "mouse", "--glossary", str(path)).exit_code == 0
    listed = invoke("imports", "--glossary", str(path)).output
    assert listed.startswith("#1  ") and f"{incoming}  2 entries" in listed
    undone = invoke("undo", "1", "--glossary", str(path))
    assert undone.exit_code == 0 and "removed 2 entries" in undone.output
    assert path.read_text(encoding="utf-8") == before + "souris\tmouse\n"
    again = invoke("undo", "1", "--glossary", str(path))
    assert isinstance(again.exception, GlossaryError) and "already undone" in str(again.exception)


def test_replace_entry_keeps_the_line_in_place(tmp_path: Path) -> None:
    from bilingual.glossary import make_entry, replace_entry

    path = write_glossary(tmp_path, "# comment\npuce\tchip\nnuage\tcloud\tnote\n")
    replaced = replace_entry(path, "puces", "chip", make_entry("puce", "microchip", "a note"))
    assert replaced.target == "chip"
    assert path.read_text(encoding="utf-8") == (
        "# comment\npuce\tmicrochip\ta note\nnuage\tcloud\tnote\n"
    )
    with pytest.raises(GlossaryError, match="already there"):
        replace_entry(path, "puce", "microchip", make_entry("nuage", "cloud"))
    with pytest.raises(GlossaryError, match="no entry"):
        replace_entry(path, "puce", "chip", make_entry("puce", "chip"))
    assert path.read_text(encoding="utf-8").count("\n") == 3
