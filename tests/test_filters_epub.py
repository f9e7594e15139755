"""EPUB 2 and 3: reading order, NAME.en.epub, the bilingual EPUB, epubcheck, hostile books."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from ebook_helpers import (
    ALT,
    AUTHOR,
    CHAPTERS,
    CLEAN,
    LINK_URL,
    LIST_ITEMS,
    QUOTE,
    TABLE,
    TITLE,
    book,
    epubcheck,
    missing_sentences,
    needs_epubcheck,
    page_sources,
    sentences,
    tmx_sources,
)
from filter_helpers import same, segmented, shout, translate_coded
from lxml import etree

from bilingual.cli import cli
from bilingual.document import BlockKind, CodeKind
from bilingual.errors import InputError
from bilingual.filters import archive as archive_module
from bilingual.filters.epub import FILTER, write_bilingual

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def english(
    tmp_path: Path, version: int, translate: Callable[[str], str] = shout
) -> tuple[Path, Path]:
    source = book(version).write(tmp_path / f"livre{version}.epub")
    document = translate_coded(segmented(source), translate)
    target = tmp_path / f"livre{version}.en.epub"
    FILTER.write_translation(document, target)
    return source, target


@pytest.mark.parametrize("version", [2, 3])
def test_blocks_follow_the_reading_order_and_title_comes_from_the_metadata(tmp_path: Path, version: int) -> None:
    document = segmented(book(version).write(tmp_path / "livre.epub"))
    assert document.title == TITLE
    texts = [(document.text[b.start : b.end], b.kind) for b in document.blocks]
    assert texts[0] == (TITLE, BlockKind.TITLE)
    headings = [text for text, kind in texts if kind is BlockKind.HEADING]
    assert headings[:3] == [chapter.heading for chapter in CHAPTERS]
    kinds = dict(texts)
    assert kinds[LIST_ITEMS[0]] is BlockKind.LIST_ITEM
    assert kinds[TABLE[0][1]] is BlockKind.TABLE_CELL and kinds[QUOTE] is BlockKind.QUOTE
    assert kinds[ALT] is BlockKind.ATTRIBUTE
    # the chapters' <title> and the NCX labels repeat the title and the headings: no rows
    assert [text for text, _ in texts].count(TITLE) == 1
    assert [text for text, _ in texts].count(CHAPTERS[0].heading) == (2 if version == 3 else 1)
    assert missing_sentences(sentences(), [unit.source for unit in document.units]) == []
    codes = {code.kind for code in document.codes}
    assert {CodeKind.LINK, CodeKind.ITALIC, CodeKind.BOLD} <= codes
    # a chapter's blocks come before the next chapter's
    order = [str(b.handle[0]) for b in document.blocks if str(b.handle[0]).endswith(".xhtml")]
    chapters = [name for name in dict.fromkeys(order)]
    expected = ["OEBPS/text/ch1.xhtml", "OEBPS/text/ch2.xhtml", "OEBPS/text/ch3.xhtml"]
    assert chapters == expected + (["OEBPS/nav.xhtml"] if version == 3 else [])


@pytest.mark.parametrize("version", [2, 3])
def test_the_french_as_translation_changes_only_the_language(tmp_path: Path, version: int) -> None:
    source, target = english(tmp_path, version, same)
    before, after = entries(source), entries(target)
    assert list(after) == list(before)
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(target) as b:
        assert [i.compress_type for i in a.infolist()] == [i.compress_type for i in b.infolist()]
    for name, data in before.items():
        if name.endswith((".xhtml", ".ncx")):
            assert after[name] == data.replace(b'lang="fr"', b'lang="en"'), name
        elif name.endswith(".opf"):
            assert after[name] == data.replace(b"<dc:language>fr<", b"<dc:language>en<")
        else:
            assert after[name] == data, name


@pytest.mark.parametrize("version", [2, 3])
def test_english_book_keeps_structure_markup_and_metadata(tmp_path: Path, version: int) -> None:
    source, target = english(tmp_path, version)
    before, after = entries(source), entries(target)
    opf = xml(after["OEBPS/content.opf"])
    assert opf.find(f".//{DC}title").text == TITLE.upper()
    assert opf.find(f".//{DC}language").text == "en"
    assert opf.find(f".//{DC}creator").text == AUTHOR
    original = xml(before["OEBPS/content.opf"])
    for part in ("manifest", "spine"):
        assert etree.tostring(opf.find(OPF + part)) == etree.tostring(original.find(OPF + part))
    chapter = xml(after["OEBPS/text/ch1.xhtml"])
    assert chapter.get(XML_LANG) == "en"
    assert chapter.find(f".//{XHTML}title").text == TITLE.upper()
    heading = chapter.find(f".//{XHTML}h1")
    assert (heading.get("id"), heading.text) == ("c1", CHAPTERS[0].heading.upper())
    link = chapter.find(f".//{XHTML}p/{XHTML}a")
    assert (link.get("href"), link.text) == (LINK_URL, "BREST")
    assert chapter.find(f".//{XHTML}em").text == "AVEC INQUIÉTUDE"
    assert [li.text for li in chapter.iter(f"{XHTML}li")] == [item.upper() for item in LIST_ITEMS]
    second = xml(after["OEBPS/text/ch2.xhtml"])
    assert second.find(f".//{XHTML}img").get("alt") == ALT.upper()
    assert [td.text for td in second.iter(f"{XHTML}td")] == [cell.upper() for cell in TABLE[1]]
    ncx = xml(after["OEBPS/toc.ncx"])
    labels = [t.text for t in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}text")]
    assert labels == [TITLE.upper(), AUTHOR, *(c.heading.upper() for c in CHAPTERS)]
    if version == 3:
        nav = xml(after["OEBPS/nav.xhtml"])
        assert [a.text for a in nav.iter(f"{XHTML}a")] == [c.heading.upper() for c in CHAPTERS]
        assert next(a.get("href") for a in nav.iter(f"{XHTML}a")) == "text/ch1.xhtml#c1"


def test_an_independent_reader_sees_the_same_book(tmp_path: Path) -> None:
    ebooklib = pytest.importorskip("ebooklib")
    from ebooklib import epub

    source, target = english(tmp_path, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        french, translated = epub.read_epub(str(source)), epub.read_epub(str(target))
    assert [item[0] for item in translated.spine] == [item[0] for item in french.spine]
    assert translated.get_metadata("DC", "language")[0][0] == "en"
    assert translated.get_metadata("DC", "title")[0][0] == TITLE.upper()
    assert [link.title for link in translated.toc] == [c.heading.upper() for c in CHAPTERS]
    pictures = {i.file_name: i.content for i in french.get_items_of_type(ebooklib.ITEM_IMAGE)}
    assert {i.file_name: i.content for i in translated.get_items_of_type(ebooklib.ITEM_IMAGE)} == pictures


def test_the_english_title_the_metadata_gives_is_used(tmp_path: Path) -> None:
    made = book(3)
    opf = made.entries["OEBPS/content.opf"].decode()
    made.entries["OEBPS/content.opf"] = opf.replace(
        f"<dc:title>{TITLE}</dc:title>",
        f'<dc:title>{TITLE}</dc:title>\n    <dc:title xml:lang="en">The Little Ship</dc:title>',
    ).encode()
    document = translate_coded(segmented(made.write(tmp_path / "livre.epub")), shout)
    assert document.title == TITLE and TITLE not in [unit.source for unit in document.units][:1]
    FILTER.write_translation(document, tmp_path / "livre.en.epub")
    titles = xml(entries(tmp_path / "livre.en.epub")["OEBPS/content.opf"]).iter(f"{DC}title")
    assert next(titles).text == "The Little Ship"


@pytest.mark.parametrize("version", [2, 3])
def test_bilingual_book_puts_each_paragraph_before_its_english(tmp_path: Path, version: int) -> None:
    source = book(version).write(tmp_path / "livre.epub")
    document = translate_coded(segmented(source), shout)
    write_bilingual(document, tmp_path / "livre.bilingual.epub")
    after = entries(tmp_path / "livre.bilingual.epub")
    chapter = xml(after["OEBPS/text/ch1.xhtml"])
    body = chapter.find(f"{XHTML}body")
    pairs = [(child.tag.split("}")[1], child.get("class"), "".join(child.itertext())) for child in body]
    assert pairs[0] == ("h1", "bilingual-fr", CHAPTERS[0].heading)
    assert pairs[1] == ("h1", "bilingual-en", CHAPTERS[0].heading.upper())
    assert pairs[4][:2] == ("p", "texte bilingual-fr") and "capitaine" in pairs[4][2]
    assert pairs[5] == ("p", "texte bilingual-en", pairs[4][2].upper())
    english_copies = [e for e in chapter.iter() if "bilingual-en" in (e.get("class") or "")]
    assert all(e.get(XML_LANG) == "en" for e in english_copies)
    assert all((e.get("lang") == "en") == (version == 3) for e in english_copies)
    ids = [e.get("id") for e in chapter.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    items = list(chapter.iter(f"{XHTML}li"))
    assert [("".join(li.itertext())) for li in items] == [f"{i}{i.upper()}" for i in LIST_ITEMS]
    assert chapter.get(XML_LANG) == "fr"
    links = [link.get("href") for link in chapter.iter(f"{XHTML}link")]
    assert links == ["../style.css", "../bilingual.css"]
    assert b"span.bilingual-en" in after["OEBPS/bilingual.css"]
    opf = xml(after["OEBPS/content.opf"])
    assert [lang.text for lang in opf.iter(f"{DC}language")] == ["fr", "en"]
    assert [(t.text, t.get(XML_LANG)) for t in opf.iter(f"{DC}title")] == [(TITLE, None), (TITLE.upper(), "en")]
    css = [i for i in opf.iter(f"{OPF}item") if i.get("href") == "bilingual.css"]
    assert css and css[0].get("media-type") == "text/css"
    # the table of contents stays French and points at the French headings
    assert after["OEBPS/toc.ncx"] == entries(source)["OEBPS/toc.ncx"]


# -- through the command line, with Apertium and epubcheck -------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """EPUB 2 and EPUB 3 built in one run: all outputs, with a glossary."""
    pytest.importorskip("bilingual.engines.apertium")
    from bilingual.engines.apertium import ApertiumEngine

    if not ApertiumEngine.is_available():
        pytest.skip("Apertium is not installed")
    folder = tmp_path_factory.mktemp("books")
    book(2).write(folder / "livre2.epub")
    book(3).write(folder / "livre3.epub")
    glossary = folder / "glossaire.utf8"
    glossary.write_text("capitaine\tskipper\n", encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(cli, [
        "build", str(folder), "-o", str(out), "--engine", "apertium", "--no-memory",
        "--glossary", str(glossary), "--format", "html,doc,tmx,bilingual-epub", "--quiet",
    ])
    assert result.exit_code == 0, result.output
    return out


OUTPUTS = ("livre2.en.epub", "livre2.bilingual.epub", "livre3.en.epub", "livre3.bilingual.epub")


@pytest.fixture(scope="module")
def verdicts(built: Path) -> dict[str, tuple[str, str]]:
    """epubcheck on the four books at once (a Java start-up each: side by side is faster)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(OUTPUTS)) as pool:
        return dict(zip(OUTPUTS, pool.map(epubcheck, (built / name for name in OUTPUTS)), strict=True))


@needs_epubcheck
@pytest.mark.parametrize("name", OUTPUTS)
def test_epubcheck_finds_nothing_in_either_book(verdicts: dict[str, tuple[str, str]], name: str) -> None:
    verdict, output = verdicts[name]
    assert verdict == CLEAN, output


@pytest.mark.parametrize("version", [2, 3])
def test_every_sentence_is_in_the_page_and_the_tmx(built: Path, version: int) -> None:
    page = built / f"livre{version}.html"
    assert missing_sentences(sentences(), page_sources(page)) == []
    # EPUB 3 says its footnote mark is one (a code in the TMX); EPUB 2's is a link to translate
    mark = "" if version == 3 else "1"
    assert missing_sentences(sentences(mark=mark), tmx_sources(built / f"livre{version}.tmx")) == []
    title = etree.parse(str(page), etree.HTMLParser()).find(".//title").text
    assert TITLE in title


def test_glossary_term_inside_bold_and_english_chapter(built: Path) -> None:
    chapter = xml(entries(built / "livre3.en.epub")["OEBPS/text/ch1.xhtml"])
    strong = chapter.find(f".//{XHTML}strong")
    assert strong.text == "The skipper"
    link = chapter.find(f".//{XHTML}p/{XHTML}a")
    assert (link.get("href"), link.text) == (LINK_URL, "Brest")
    assert "Le " not in "".join(chapter.itertext())


def test_bilingual_epub_is_skipped_for_other_inputs(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("Le chat dort.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "build", str(tmp_path / "note.txt"), "-o", str(tmp_path / "out"), "--engine", "apertium",
        "--no-memory", "--no-glossary", "--format", "doc,bilingual-epub",
    ])
    assert result.exit_code == 0, result.output
    note = tmp_path / "note.txt"
    assert f"no bilingual-epub output (made from epub sources only) for {note}" in result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "note.en.txt" in written and not [name for name in written if name.endswith(".epub")]


# -- books that are broken or hostile ----------------------------------------------------------


def _fails(tmp_path: Path, made: Path, *expected: str) -> str:
    """Build ``made``: one error line naming it, exit 1, nothing written anywhere."""
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(cli, [
        "build", str(made), "-o", str(tmp_path / "out"), "--engine", "apertium", "--no-memory",
        "--no-glossary", "--format", "html,doc,tmx,bilingual-epub",
    ])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {made}: "), lines[0]
    for part in expected:
        assert part in lines[0], lines[0]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    return lines[0]


def test_a_manifest_item_missing_from_the_book(tmp_path: Path) -> None:
    made = book(3)
    del made.entries["OEBPS/text/ch2.xhtml"]
    _fails(tmp_path, made.write(tmp_path / "livre.epub"), "OEBPS/text/ch2.xhtml: is listed in the manifest",
           "missing from the book", "calibre or Sigil")


@pytest.mark.parametrize("entry", ["OEBPS/text/ch1.xhtml", "OEBPS/content.opf", "META-INF/container.xml"])
def test_external_entities_are_refused_unread(tmp_path: Path, entry: str) -> None:
    made = book(3)
    data = made.entries[entry].decode()
    doctype = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    data = data.replace("<!DOCTYPE html>\n", "") if entry.endswith(".xhtml") else data
    made.entries[entry] = re.sub(r"\?>\n", "?>\n" + doctype, data, count=1).replace(">Le ", ">&xxe;Le ", 1).encode()
    line = _fails(tmp_path, made.write(tmp_path / "livre.epub"), f"{entry}:2: declares entities")
    assert "root:" not in line


def test_an_entity_bomb_is_refused(tmp_path: Path) -> None:
    made = book(2)
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    made.entries["OEBPS/text/ch3.xhtml"] = made.entries["OEBPS/text/ch3.xhtml"].replace(
        b'xhtml11.dtd">', f'xhtml11.dtd" [<!ENTITY l0 "ha">{laughs}]>'.encode()
    ).replace(b"<p>L", b"<p>&l9;L", 1)
    _fails(tmp_path, made.write(tmp_path / "livre.epub"), "OEBPS/text/ch3.xhtml:2: declares entities")


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    path = book(3).write(tmp_path / "livre.epub")
    bomb = zipfile.ZipInfo("OEBPS/images/bombe.png")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "a") as archive, archive.open(bomb, "w") as stream:
        zeros = bytes(2**20)
        for _ in range(20):
            stream.write(zeros)
    _fails(tmp_path, path, "OEBPS/images/bombe.png: expands", "times its compressed size (a zip bomb)")


def test_a_huge_entry_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    path = book(3).write(tmp_path / "livre.epub")
    data = bytearray(path.read_bytes())
    name = b"OEBPS/images/carte.png"
    # the central directory's uncompressed size of that entry, 24 bytes into its header
    header = data.rindex(b"PK\x01\x02", 0, data.rindex(name))
    data[header + 24 : header + 28] = (300 * 2**20).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    _fails(tmp_path, path, "OEBPS/images/carte.png: expands to 315 MB", "refused")


def test_an_entry_larger_than_its_header_says_is_refused(tmp_path: Path) -> None:
    path = book(3).write(tmp_path / "livre.epub")
    data = bytearray(path.read_bytes())
    name = b"OEBPS/text/ch1.xhtml"
    header = data.rindex(b"PK\x01\x02", 0, data.rindex(name))
    data[header + 24 : header + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    _fails(tmp_path, path, "OEBPS/text/ch1.xhtml: cannot be read (Bad CRC-32", "calibre or Sigil")


@pytest.mark.parametrize("name", ["../../evil.txt", "/etc/evil.txt", "OEBPS/../../evil.txt", "C:evil.txt"])
def test_entry_names_climbing_out_are_refused(tmp_path: Path, name: str) -> None:
    path = book(3).write(tmp_path / "livre.epub")
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # zipfile would clean a name given to ZipInfo
        archive.writestr(info, b"owned")
    _fails(tmp_path, path, f"{name}: unsafe entry name", "refused")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_manifest_href_climbing_out_is_refused(tmp_path: Path) -> None:
    made = book(3)
    made.entries["OEBPS/content.opf"] = made.entries["OEBPS/content.opf"].replace(
        b'href="text/ch3.xhtml"', b'href="../../../etc/passwd"'
    )
    _fails(tmp_path, made.write(tmp_path / "livre.epub"), "OEBPS/content.opf: its manifest item '../../../etc/passwd' points outside the book")


def test_an_entry_twice_is_refused(tmp_path: Path) -> None:
    path = book(3).write(tmp_path / "livre.epub")
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore")
        archive.writestr("OEBPS/text/ch1.xhtml", b"<html/>")
    _fails(tmp_path, path, "OEBPS/text/ch1.xhtml: appears twice")


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"Ceci n'est pas un livre.", "is not an EPUB book: it is not a zip archive"),
     (b"", "is not an EPUB book: it is not a zip archive")],
)
def test_a_file_that_is_no_zip(tmp_path: Path, content: bytes, says: str) -> None:
    (tmp_path / "livre.epub").write_bytes(content)
    _fails(tmp_path, tmp_path / "livre.epub", says)


def test_a_zip_that_is_no_epub(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "livre.epub", "w") as archive:
        archive.writestr("notes.txt", "Bonjour.")
    _fails(tmp_path, tmp_path / "livre.epub", "is not an EPUB book: it has no META-INF/container.xml")


def test_a_chapter_that_is_not_well_formed(tmp_path: Path) -> None:
    made = book(3)
    made.entries["OEBPS/text/ch2.xhtml"] = made.entries["OEBPS/text/ch2.xhtml"].replace(b"</p>", b"", 1)
    _fails(tmp_path, made.write(tmp_path / "livre.epub"), "OEBPS/text/ch2.xhtml:", "not well-formed XML")


def test_encrypted_chapters_are_drm(tmp_path: Path) -> None:
    made = book(3)
    made.entries["META-INF/encryption.xml"] = b"""<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
  <enc:CipherData><enc:CipherReference URI="OEBPS/text/ch1.xhtml"/></enc:CipherData></enc:EncryptedData>
</encryption>
"""
    _fails(tmp_path, made.write(tmp_path / "livre.epub"), "is protected by DRM")


def test_named_character_references_of_xhtml_are_read(tmp_path: Path) -> None:
    made = book(2)
    made.entries["OEBPS/text/ch3.xhtml"] = made.entries["OEBPS/text/ch3.xhtml"].replace(
        "L'île était ".encode(), b"L&rsquo;&icirc;le &eacute;tait&nbsp;"
    )
    document = segmented(made.write(tmp_path / "livre.epub"))
    assert "L’île était\u00a0couverte" in document.text


def test_the_limits_are_the_archive_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_module, "MAX_ENTRIES", 5)
    with pytest.raises(InputError, match="has 11 entries, more than the 5"):
        segmented(book(3).write(tmp_path / "livre.epub"))
