"""Strict reading of sources and atomic writing of outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bilingual import textio
from bilingual.errors import ExportError, InputError


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "\ufeffUn.\r\nDeux.\rTrois.\r\n".encode())
    assert textio.read_source(path) == "Un.\nDeux.\nTrois.\n"


def test_invalid_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.txt", "Premiere ligne.\nÉté".encode("latin-1"))
    with pytest.raises(InputError) as error:
        textio.read_source(path)
    assert str(error.value).startswith(f"{path}:2: not valid UTF-8")


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "bin.txt", b"ok\nab\x00cd")
    with pytest.raises(InputError, match=r"bin.txt:2: contains NUL bytes"):
        textio.read_source(path)


@pytest.mark.parametrize("data", [b"", b"  \n\n\t"])
def test_empty_file_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match="is empty"):
        textio.read_source(write(tmp_path, "empty.txt", data))


def test_missing_file_and_folder_without_text(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        textio.collect_sources([tmp_path / "nope.txt"])
    (tmp_path / "notes.md").write_text("x")
    with pytest.raises(InputError, match="folder holds no .txt file"):
        textio.collect_sources([tmp_path])


def test_collect_sources_sorts_folder_contents(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c.md"):
        (tmp_path / name).write_text("Texte.")
    assert [p.name for p in textio.collect_sources([tmp_path])] == ["a.txt", "b.txt"]


def test_oversized_source_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textio, "MAX_SOURCE_BYTES", 10)
    with pytest.raises(InputError, match="split the text"):
        textio.read_source(write(tmp_path, "big.txt", b"x" * 11))


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "page.html"
    textio.atomic_write(target, "first")
    textio.atomic_write(target, "second")
    assert target.read_text() == "second"
    assert os.listdir(target.parent) == ["page.html"]


def test_failed_write_keeps_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("previous")
    with pytest.raises(RuntimeError), textio.atomic_output(target) as stream:
        stream.write(b"half of the new")
        raise RuntimeError("killed midway")
    assert target.read_text() == "previous"
    assert os.listdir(tmp_path) == ["page.html"]


def test_unwritable_folder_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="cannot write there"):
        textio.atomic_write(blocker / "page.html", "x")
