"""The command line: help everywhere, light start-up, one-line errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bilingual.cli import cli
from bilingual.engines.apertium import ApertiumEngine

HEAVY_MODULES = ("torch", "argostranslate", "ctranslate2", "stanza", "sentencepiece")


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", all_commands(cli), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("bilingual, version ")


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["segment", "-"], ["build", "--help"]])
def test_start_up_imports_no_heavy_module(args: list[str]) -> None:
    code = (
        "import sys\nfrom bilingual.cli import main\n"
        f"code = main({args!r})\n"
        f"heavy = [m for m in {HEAVY_MODULES!r} if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input="Un. Deux.", capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_segment_prints_one_sentence_per_line() -> None:
    result = CliRunner().invoke(cli, ["segment"], input="Il pleut. Il fait froid.\nFin")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["Il pleut.", "Il fait froid.", "Fin"]


def test_segment_english() -> None:
    result = CliRunner().invoke(
        cli, ["segment", "--language", "en"], input="Mr. Smith left at 5 p.m. It rained."
    )
    assert result.exit_code == 0
    assert result.output.splitlines() == ["Mr. Smith left at 5 p.m.", "It rained."]


def test_segment_offsets_rebuild_the_text() -> None:
    text = "Un. Deux !\n\nTrois"
    result = CliRunner().invoke(cli, ["segment", "--offsets"], input=text)
    for line in result.output.splitlines():
        start, end, segment = line.split("\t")
        assert text[int(start):int(end)] == segment


def test_segment_jsonl_batch_mode() -> None:
    lines = [json.dumps("Un. Deux."), json.dumps("Trois")]
    result = CliRunner().invoke(cli, ["segment", "--jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.output.splitlines()] == [["Un.", "Deux."], ["Trois"]]


def test_segment_jsonl_bad_line_names_the_line() -> None:
    result = CliRunner().invoke(cli, ["segment", "--jsonl"], input='"ok"\n{nope\n')
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: <stdin>:2: not a JSON string")


def bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """name → (build arguments, the message expected on the one error line)."""
    (tmp / "latin1.txt").write_bytes("Ete\nL'été est chaud.".encode("latin-1"))
    (tmp / "nul.txt").write_bytes(b"Bonjour.\x00")
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "no-text").mkdir()
    (tmp / "no-text" / "notes.pdf").write_bytes(b"%PDF-1.7")
    (tmp / "blocker").write_text("a file where a folder should be")
    (tmp / "good.txt").write_text("Bonjour.", encoding="utf-8")
    (tmp / "rapport.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    os.mkfifo(tmp / "pipe.txt")
    return {
        "missing": ([str(tmp / "missing.txt")], "missing.txt: no such file or folder"),
        "no-text": ([str(tmp / "no-text")], "no-text: folder holds no file bilingual reads"),
        "latin1": ([str(tmp / "latin1.txt")], "latin1.txt:2: not valid UTF-8"),
        "nul": ([str(tmp / "nul.txt")], "nul.txt:1: contains NUL bytes"),
        "empty": ([str(tmp / "empty.txt")], "empty.txt: is empty"),
        "unwritable": ([str(tmp / "good.txt"), "-o", str(tmp / "blocker" / "out")],
                       "cannot write there"),
        "endless": (["/dev/zero"], "/dev/zero: is a character device, not a regular file"),
        "fifo": ([str(tmp / "pipe.txt")], "pipe.txt: is a FIFO (named pipe), not a regular file"),
        "pdf": ([str(tmp / "rapport.txt")], "rapport.txt: is a PDF document, not plain text"),
    }


@pytest.mark.parametrize(
    "case",
    ["missing", "no-text", "latin1", "nul", "empty", "unwritable", "endless", "fifo", "pdf"],
)
def test_bad_input_gives_one_line_error(tmp_path: Path, case: str) -> None:
    if case == "unwritable" and not ApertiumEngine.is_available():
        pytest.skip("needs an engine to get as far as writing")
    args, message = bad_inputs(tmp_path)[case]
    result = CliRunner().invoke(
        cli, ["build", *args, "--engine", "apertium", "--no-memory", "--no-glossary", "-q"]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_conflicting_flags_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "x.txt", "--glossary", "g.tsv", "--no-glossary"])
    assert result.exit_code == 2
    assert "either --glossary or --no-glossary" in result.output


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Bonjour.")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "a.txt"), "--format", "pdf"])
    assert result.exit_code == 1
    assert "unknown output format 'pdf'" in result.output


def test_notes_reach_stderr_unless_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    from bilingual.cli_common import ProgressBar

    ProgressBar(enabled=True).note("Dask: apertium on 2 Dask workers at tcp://127.0.0.1:1\x1b[2J")
    ProgressBar(enabled=False, notes=False).note("not shown")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "note: Dask: apertium on 2 Dask workers at tcp://127.0.0.1:1\\x1b[2J\n"


@pytest.mark.skipif(not ApertiumEngine.is_available(), reason="needs an engine")
def test_a_utf16_source_is_read_and_the_build_says_so(tmp_path: Path) -> None:
    source = tmp_path / "notepad.txt"
    source.write_bytes("L’été est chaud.\r\nIl pleut à Paris.".encode("utf-16"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out), "--engine", "apertium",
                                      "--no-memory", "--no-glossary", "--format", "json",
                                      "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: {source}: read as UTF-16LE text\n"
    data = json.loads((out / "notepad.json").read_text())
    assert data["text"] == "L’été est chaud.\nIl pleut à Paris."
    assert [data["text"][unit["start"]:unit["end"]] for unit in data["units"]] == [
        "L’été est chaud.", "Il pleut à Paris."
    ]
    assert json.loads(result.stdout)["notes"] == [f"{source}: read as UTF-16LE text"]
