"""Word (DOCX): blocks from styles, runs as inline codes, NAME.en.docx, corrupt documents.

The styled document is made with python-docx (headings, a title, lists, a table with a header
row, bold and italic runs inside sentences, a hyperlink, a line break, a footnote, a header and a
footer with a PAGE field), and the English document is read back with python-docx, an
independent reader.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from ebook_helpers import missing_sentences, page_sources, tmx_sources
from filter_helpers import same, segmented, shout, translate_coded

from bilingual.cli import cli
from bilingual.document import BlockKind, CodeKind
from bilingual.filters.docx import FILTER

docx = pytest.importorskip("docx")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
URL = "https://www.example.org/rapport?annee=2024&page=2"
TITLE = "Rapport annuel de la coopérative"
HEADINGS = ("Introduction", "Les résultats de l'année")
INTRO = (
    "La coopérative a connu une année difficile.",
    "Le capitaine du port a fermé les quais pendant trois semaines.",
)
BULLETS = ("Les ventes de poisson ont baissé.", "Les prix du carburant ont augmenté.")
CELLS = (("Produit", "Quantité vendue"), ("Sardines", "Douze tonnes"))
NOTE = "Les chiffres viennent du registre officiel."
HEADER = "Document interne de la coopérative"
FOOTER = "Page"


def _hyperlink(paragraph, text: str, url: str) -> None:  # type: ignore[no-untyped-def]
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    properties.append(style)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(underline)
    run.append(properties)
    content = OxmlElement("w:t")
    content.text = text
    run.append(content)
    link.append(run)
    paragraph._p.append(link)


def _field(paragraph, instruction: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            character = OxmlElement("w:fldChar")
            character.set(qn("w:fldCharType"), kind)
            run._r.append(character)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
            run._r.append(element)
        else:
            run.text = text


def _footnote(document, paragraph, text: str) -> None:  # type: ignore[no-untyped-def]
    """A footnotes part (python-docx makes none) and a reference to its note."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W[1:-1]}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    part = Part(PackURI("/word/footnotes.xml"), content_type, blob, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    run = paragraph.add_run()
    properties = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    properties.append(align)
    run._r.append(properties)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run._r.append(reference)


def styled(path: Path) -> Path:
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.language = "fr-FR"
    document.add_heading(TITLE, 0)
    document.add_heading(HEADINGS[0], 1)
    paragraph = document.add_paragraph("La coopérative a connu une ")
    paragraph.add_run("année difficile").bold = True
    paragraph.add_run(". ")
    paragraph.add_run("Le capitaine").bold = True
    paragraph.add_run(" du port a fermé les quais pendant ")
    paragraph.add_run("trois semaines").italic = True
    paragraph.add_run(".")
    _footnote(document, paragraph, NOTE)
    document.add_heading(HEADINGS[1], 2)
    for bullet in BULLETS:
        document.add_paragraph(bullet, style="List Bullet")
    paragraph = document.add_paragraph("Le rapport complet est en ligne sur ")
    _hyperlink(paragraph, "le site de la coopérative", URL)
    paragraph.add_run(".")
    paragraph = document.add_paragraph("Les pêcheurs attendent une meilleure saison.")
    paragraph.runs[0].add_break(WD_BREAK.LINE)
    paragraph.add_run("Ils ont réparé leurs filets.")
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    for row, texts in zip(table.rows, CELLS, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    footer = section.footer.paragraphs[0]
    footer.text = FOOTER + " "
    _field(footer, " PAGE ", "1")
    document.save(str(path))
    return path


def sentences() -> list[str]:
    return [
        TITLE, *HEADINGS, *INTRO, *BULLETS, "Le rapport complet est en ligne sur le site de la coopérative.",
        "Les pêcheurs attendent une meilleure saison.", "Ils ont réparé leurs filets.",
        *(cell for row in CELLS for cell in row), NOTE, HEADER,
    ]


def english(tmp_path: Path, translate: Callable[[str], str] = shout) -> tuple[Path, Path]:
    source = styled(tmp_path / "rapport.docx")
    document = translate_coded(segmented(source), translate)
    target = tmp_path / "rapport.en.docx"
    FILTER.write_translation(document, target)
    return source, target


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_blocks_kinds_and_codes(tmp_path: Path) -> None:
    document = segmented(styled(tmp_path / "rapport.docx"))
    assert document.title == TITLE
    kinds = {document.text[b.start : b.end]: (b.kind, b.level) for b in document.blocks}
    assert kinds[HEADINGS[0]] == (BlockKind.HEADING, 1)
    assert kinds[HEADINGS[1]] == (BlockKind.HEADING, 2)
    assert kinds[BULLETS[0]] == (BlockKind.LIST_ITEM, 1)
    assert kinds[CELLS[0][0]] == (BlockKind.TABLE_CELL, 1)
    assert kinds[CELLS[1][1]] == (BlockKind.TABLE_CELL, 0)
    assert [b.kind for b in document.blocks[:2]] == [BlockKind.TITLE, BlockKind.TITLE]
    assert missing_sentences(sentences(), [unit.source for unit in document.units]) == []
    assert {CodeKind.BOLD, CodeKind.ITALIC, CodeKind.LINK, CodeKind.FOOTNOTE, CodeKind.BREAK} <= {
        code.kind for code in document.codes
    }
    # runs of the paragraph's own formatting are no codes: only the changes are
    intro = next(u for u in document.units if u.source.startswith("La coopérative"))
    assert [tag.paired for tag in intro.source_tags] == [True]
    footer = next(b for b in document.blocks if b.handle[0] == "word/footer1.xml")
    assert document.text[footer.start : footer.end] == "Page 1"  # "1": a PAGE field's result


def test_the_french_as_translation_keeps_every_other_part(tmp_path: Path) -> None:
    source, target = english(tmp_path, same)
    before, after = parts(source), parts(target)
    assert list(after) == list(before)
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {
        "word/document.xml", "word/footnotes.xml", "word/header1.xml", "word/footer1.xml", "docProps/core.xml"
    }
    french, translated = docx.Document(str(source)), docx.Document(str(target))
    assert [p.text for p in translated.paragraphs] == [p.text for p in french.paragraphs]
    assert [[r.bold, r.italic] for p in translated.paragraphs for r in p.runs if r.text.strip()] == [
        [r.bold, r.italic] for p in french.paragraphs for r in p.runs if r.text.strip()
    ]


def test_english_document_keeps_styles_runs_lists_table_and_link(tmp_path: Path) -> None:
    _, target = english(tmp_path)
    translated = docx.Document(str(target))
    styles = [(p.style.name, p.text) for p in translated.paragraphs]
    assert styles[0] == ("Title", TITLE.upper())
    assert ("Heading 1", HEADINGS[0].upper()) in styles and ("Heading 2", HEADINGS[1].upper()) in styles
    assert [text for name, text in styles if name == "List Bullet"] == [b.upper() for b in BULLETS]
    intro = next(p for p in translated.paragraphs if p.text.startswith("LA COOP"))
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in intro.runs if r.text]
    assert ("ANNÉE DIFFICILE", True, False) in runs and ("LE CAPITAINE", True, False) in runs
    assert ("TROIS SEMAINES", False, True) in runs
    xml = parts(target)["word/document.xml"].decode()
    assert "<w:footnoteReference w:id=\"1\"/>" in xml and "<w:br/>" in xml
    link = next(p for p in translated.paragraphs if "EN LIGNE" in p.text)
    hyperlinks = link.hyperlinks
    assert [(h.text, h.address) for h in hyperlinks] == [("LE SITE DE LA COOPÉRATIVE", URL)]
    rows = [[cell.text for cell in row.cells] for row in translated.tables[0].rows]
    assert rows == [[cell.upper() for cell in row] for row in CELLS]
    assert translated.tables[0].style.name == "Table Grid"
    section = translated.sections[0]
    assert section.header.paragraphs[0].text == HEADER.upper()
    footer = parts(target)["word/footer1.xml"].decode()
    kinds = [part.split('"')[0] for part in footer.split('w:fldCharType="')[1:]]
    assert kinds == ["begin", "separate", "end"] and ">PAGE <" in footer and " PAGE " in footer
    notes = parts(target)["word/footnotes.xml"].decode()
    assert NOTE.upper() in notes and "<w:footnoteRef/>" in notes
    assert translated.core_properties.title == TITLE.upper()
    assert translated.core_properties.language == "en-GB"


def test_a_field_keeps_its_instruction_and_translates_its_result(tmp_path: Path) -> None:
    made = docx.Document()
    paragraph = made.add_paragraph("Voir la section ")
    _field(paragraph, " REF intro \\h ", "Introduction générale")
    paragraph.add_run(" pour le contexte.")
    made.save(str(tmp_path / "champ.docx"))
    document = translate_coded(segmented(tmp_path / "champ.docx"), shout)
    FILTER.write_translation(document, tmp_path / "champ.en.docx")
    body = parts(tmp_path / "champ.en.docx")["word/document.xml"].decode()
    kinds = [part.split('"')[0] for part in body.split('w:fldCharType="')[1:]]
    assert kinds == ["begin", "separate", "end"]
    assert " REF intro \\h " in body and "INTRODUCTION GÉNÉRALE" in body
    assert body.index("begin") < body.index("REF intro") < body.index("separate") < body.index(
        "INTRODUCTION"
    ) < body.index('"end"')


def test_french_language_marks_become_english(tmp_path: Path) -> None:
    made = docx.Document()
    run = made.add_paragraph().add_run("Le chat dort.")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "fr-FR")
    run._r.get_or_add_rPr().append(language)
    made.save(str(tmp_path / "chat.docx"))
    document = translate_coded(segmented(tmp_path / "chat.docx"), shout)
    FILTER.write_translation(document, tmp_path / "chat.en.docx")
    assert 'w:val="en-GB"' in parts(tmp_path / "chat.en.docx")["word/document.xml"].decode()


# -- through the command line, with Apertium -------------------------------------------------


def test_build_translates_run_by_run_with_the_glossary(tmp_path: Path) -> None:
    from bilingual.engines.apertium import ApertiumEngine

    if not ApertiumEngine.is_available():
        pytest.skip("Apertium is not installed")
    source = styled(tmp_path / "rapport.docx")
    glossary = tmp_path / "glossaire.utf8"
    glossary.write_text("capitaine\tharbour master\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [
        "build", str(source), "-o", str(out), "--engine", "apertium", "--no-memory",
        "--glossary", str(glossary), "--format", "html,doc,tmx", "--quiet",
    ])
    assert result.exit_code == 0, result.output
    translated = docx.Document(str(out / "rapport.en.docx"))
    runs = [(r.text, bool(r.bold)) for p in translated.paragraphs for r in p.runs if r.text.strip()]
    assert ("The harbour master", True) in runs
    link = next(p for p in translated.paragraphs if p.hyperlinks)
    assert link.hyperlinks[0].address == URL and link.hyperlinks[0].text.strip()
    assert [p.style.name for p in translated.paragraphs] == [p.style.name for p in docx.Document(str(source)).paragraphs]
    assert missing_sentences(sentences(), page_sources(out / "rapport.html")) == []
    assert missing_sentences(sentences(), tmx_sources(out / "rapport.tmx")) == []


# -- corrupt and hostile documents -------------------------------------------------------------


def _fails(tmp_path: Path, made: Path, *expected: str) -> None:
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(cli, [
        "build", str(made), "-o", str(tmp_path / "out"), "--engine", "apertium", "--no-memory",
        "--no-glossary",
    ])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {made}: "), lines[0]
    for part in expected:
        assert part in lines[0], lines[0]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_file_that_is_no_zip(tmp_path: Path) -> None:
    (tmp_path / "rapport.docx").write_text("Le rapport est en pièce jointe.", encoding="utf-8")
    _fails(tmp_path, tmp_path / "rapport.docx", "is not a Word document (DOCX): it is not a zip archive",
           "save it again as .docx")


def test_a_zip_without_a_document_part(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "rapport.docx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    _fails(tmp_path, tmp_path / "rapport.docx", "it has no word/document.xml")


def test_external_entities_in_the_document_are_refused(tmp_path: Path) -> None:
    path = styled(tmp_path / "rapport.docx")
    entries = parts(path)
    entries["word/document.xml"] = entries["word/document.xml"].replace(
        b"?>", b'?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1
    ).replace(b"<w:t>Introduction", b"<w:t>&xxe;Introduction")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    _fails(tmp_path, path, "word/document.xml:2: declares entities")


def test_a_header_named_but_missing(tmp_path: Path) -> None:
    path = styled(tmp_path / "rapport.docx")
    entries = parts(path)
    del entries["word/header1.xml"]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    _fails(tmp_path, path, "word/header1.xml: is named by word/document.xml but missing")


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = styled(tmp_path / "rapport.docx")
    bomb = zipfile.ZipInfo("word/media/image1.png")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "a") as archive, archive.open(bomb, "w") as stream:
        for _ in range(20):
            stream.write(bytes(2**20))
    _fails(tmp_path, path, "word/media/image1.png: expands", "(a zip bomb)")
