"""Strict reading of sources and atomic writing of outputs."""

from __future__ import annotations

import os
import re
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
    assert textio.read_source(path) == textio.SourceText("Un.\nDeux.\nTrois.\n", "utf-8")


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


# ---------- what is not UTF-8 text ----------


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-16", "utf-16-le"),  # Python writes a BOM, little-endian here
        ("utf-16-be", "utf-16-be"),  # no BOM: recognised by its NUL bytes
        ("utf-16-le", "utf-16-le"),
        ("utf-32", "utf-32-le"),
    ],
)
def test_utf16_and_utf32_sources_are_decoded(tmp_path: Path, codec: str, expected: str) -> None:
    text = "\ufeffL’été, « déjà » : 100 €.\r\nŒuvre 😀."
    if codec in ("utf-16", "utf-32"):
        text = text[1:]  # the codec writes its own BOM
    source = textio.read_source(write(tmp_path, "u.txt", text.encode(codec)))
    assert source == textio.SourceText("L’été, « déjà » : 100 €.\nŒuvre 😀.", expected)


def test_utf16_is_named_with_the_conversion_where_only_utf8_is_read(tmp_path: Path) -> None:
    data = "Terme\tterm\n".encode("utf-16-le")
    with pytest.raises(InputError, match=r"g.tsv: is UTF-16LE text, not UTF-8; convert it, "
                                         r"e.g. iconv -f UTF-16LE -t UTF-8$"):
        textio.decode_text(data, "g.tsv")


def test_bytes_that_only_look_like_utf16_are_refused(tmp_path: Path) -> None:
    # NUL bytes in UTF-16's pattern, but ending in half of a surrogate pair
    path = write(tmp_path, "odd.txt", "Bonjour.".encode("utf-16-le") + b"\x3d\xd8")
    with pytest.raises(InputError, match="looks like UTF-16LE text but is not valid UTF-16LE"):
        textio.read_source(path)


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """A ZIP archive as office suites and e-book tools write them: the first entry stored."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


DOCUMENTS = {
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document"),
    "epub": (zip_bytes([("mimetype", b"application/epub+zip"),
                        ("OEBPS/chapitre.xhtml", b"<p>Le texte.</p>" * 50)]), "an EPUB book"),
    "odt": (zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.text"),
                       ("content.xml", b"<text/>" * 50)]), "an OpenDocument text (ODT)"),
    "docx": (zip_bytes([("[Content_Types].xml", b"<Types/>" * 50), ("_rels/.rels", b"<R/>"),
                        ("word/document.xml", b"<w:document/>" * 50)]), "a Word document (DOCX)"),
    "zip": (zip_bytes([("a.txt", b"Bonjour.")]), "a ZIP archive"),
    "rtf": (b"{\\rtf1\\ansi Bonjour.}", "an RTF document"),
}


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_documents_of_another_format_are_named(tmp_path: Path, kind: str) -> None:
    data, what = DOCUMENTS[kind]
    assert textio.sniff_format(data) == kind
    path = write(tmp_path, f"livre.{kind}.txt", data)
    with pytest.raises(InputError, match=re.escape(f"livre.{kind}.txt: is {what}, not plain text; ")):
        textio.read_source(path)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"pipe.txt: is a FIFO \(named pipe\), not a regular file"):
        textio.read_source(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_an_endless_device_is_refused() -> None:
    with pytest.raises(InputError, match="/dev/zero: is a character device, not a regular file"):
        textio.read_source(Path("/dev/zero"))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_the_size_limit_holds_whatever_the_file_size_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0  # and yet it holds a page of text
    monkeypatch.setattr(textio, "MAX_SOURCE_BYTES", 100)
    with pytest.raises(InputError, match="larger than the 0 MiB limit"):
        textio.read_source(status)


def test_a_text_named_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"Texte.")
    assert textio.collect_sources([path, tmp_path, tmp_path / "." / "a.txt"]) == [path]
