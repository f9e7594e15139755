"""The filters registry: formats by suffix, folders, unsupported formats, --input-format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual.cli import cli
from bilingual.errors import InputError
from bilingual.filters import FORMATS, collect_sources, format_for, format_named


def test_every_format_has_one_shape() -> None:
    assert [fmt.name for fmt in FORMATS] == [
        "text", "markdown", "html", "epub", "docx", "srt", "vtt"
    ]
    for fmt in FORMATS:
        module, _, attribute = fmt.filter.partition(":")
        assert module.startswith("bilingual.filters.") and attribute.isupper()
        assert all(suffix.startswith(".") and suffix == suffix.lower() for suffix in fmt.suffixes)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.txt", "text"), ("b.MD", "markdown"), ("c.markdown", "markdown"), ("d.htm", "html"),
     ("e.html", "html"), ("f.epub", "epub"), ("g.docx", "docx"), ("h.srt", "srt"),
     ("notes", "text"), ("notes.text", "text")],
)
def test_format_by_suffix(name: str, expected: str) -> None:
    assert format_for(Path(name)).name == expected


@pytest.mark.parametrize(
    ("name", "says"),
    [("r.pdf", "is a PDF document, which bilingual cannot read; extract its text first, e.g. pdftotext"),
     ("r.odt", "is an OpenDocument text (ODT)"), ("r.doc", "save it as Word (.docx) first")],
)
def test_unsupported_formats_are_named_with_what_to_do(name: str, says: str) -> None:
    with pytest.raises(InputError, match=re.escape(says)):
        format_for(Path(name))


def test_input_format_overrides_the_suffix() -> None:
    assert format_for(Path("page.txt"), "html").name == "html"
    with pytest.raises(InputError, match="unknown format 'pdf'; choose one of: text, markdown"):
        format_named("pdf")


def test_a_folder_gives_every_supported_file_and_lists_the_others(tmp_path: Path) -> None:
    for name in ("a.txt", "b.md", "c.html", "d.pdf", "e.png", "a.en.txt", "b.en.md", ".hidden.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    sources = collect_sources([tmp_path])
    assert [path.name for path in sources.files] == ["a.txt", "b.md", "c.html"]
    assert [path.name for path in sources.skipped] == ["a.en.txt", "b.en.md", "d.pdf", "e.png"]
    only = collect_sources([tmp_path], "markdown")
    assert [path.name for path in only.files] == ["b.md"]


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    sources = collect_sources([tmp_path / "a.md", tmp_path, tmp_path / "a.md"])
    assert [path.name for path in sources.files] == ["a.md"]


def test_build_of_a_folder_says_what_it_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "billet.md").write_text("# Titre\n\nBonjour.\n", encoding="utf-8")
    (folder / "rapport.pdf").write_bytes(b"%PDF-1.7")
    result = CliRunner().invoke(
        cli, ["build", str(folder), "-o", str(tmp_path / "out"), "--engine", "apertium",
              "--no-memory", "--no-glossary"],
    )
    assert result.exit_code == 0, result.output
    skipped = folder / "rapport.pdf"
    assert f"note: skipped 1 files of no format bilingual reads: {skipped}" in result.output
    assert (tmp_path / "out" / "billet.en.md").read_text("utf-8").startswith("# ")


def test_a_named_pdf_is_one_line_naming_the_format(tmp_path: Path) -> None:
    (tmp_path / "rapport.pdf").write_bytes(b"%PDF-1.7")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "rapport.pdf"), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        (f"Error: {tmp_path / 'rapport.pdf'}: is a PDF document, which bilingual cannot read; "
        f"extract its text first, e.g. pdftotext {tmp_path / 'rapport.pdf'} rapport.txt")
    ]
