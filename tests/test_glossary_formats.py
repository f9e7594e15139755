from __future__ import annotations

from pathlib import Path

import pytest
from glossary_helpers import write_glossary

from bilingual.errors import GlossaryError
from bilingual.glossary import EntryKind, load_glossary
from bilingual.glossary.formats import read_entries, render_entries


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".tbx"])
def test_round_trip_keeps_every_entry(tmp_path: Path, suffix: str) -> None:
    original = load_glossary(write_glossary(tmp_path)).entries
    exported = tmp_path / f"out{suffix}"
    exported.write_bytes(render_entries(original, exported))
    again = read_entries(exported)
    assert [e.identity() for e in again] == [e.identity() for e in original]
    assert [e.comment for e in again] == [e.comment for e in original]


def test_tbx3_round_trip(tmp_path: Path) -> None:
    original = load_glossary(write_glossary(tmp_path)).entries
    exported = tmp_path / "out.tbx"
    exported.write_bytes(render_entries(original, exported, "tbx3"))
    assert b'xmlns="urn:iso:std:iso:30042:ed-2"' in exported.read_bytes()
    assert [e.identity() for e in read_entries(exported)] == [e.identity() for e in original]


def test_translate_toolkit_reads_our_tbx(tmp_path: Path) -> None:
    tbx = pytest.importorskip("translate.storage.tbx")
    exported = tmp_path / "out.tbx"
    exported.write_bytes(render_entries(load_glossary(write_glossary(tmp_path)).entries, exported))
    units = tbx.tbxfile.parsefile(str(exported)).units
    assert ("modèle à poids ouvert", "open-weight model") in [(u.source, u.target) for u in units]


def test_kinds_and_attributes(tmp_path: Path) -> None:
    entries = load_glossary(write_glossary(tmp_path)).entries
    kinds = {(e.source, e.target): e.kind for e in entries}
    assert kinds[("Meta", "Dip")] is EntryKind.FORBIDDEN
    assert kinds[("Cosmos", "Cosmos")] is EntryKind.DO_NOT_TRANSLATE
    puce = next(e for e in entries if e.source == "puce")
    assert puce.extra == (("x-reviewer", "anna"),) and puce.columns == ("extra column",)


def test_folder_reads_every_glossary_file_sorted(tmp_path: Path) -> None:
    write_glossary(tmp_path, "b\tB\n", "2.utf8")
    write_glossary(tmp_path, "a\tA\n", "1.tsv")
    (tmp_path / "README.md").write_text("not a glossary")
    assert [e.source for e in load_glossary(tmp_path).entries] == ["a", "b"]


BAD_TSV = [
    ("puce\n", 1, "missing target column"),
    ('ok\tfine\npuce\tchip\tcomment "unclosed""\n', 2, "stray quote"),
    ('"puce"\t"chip"\n', 1, "drop the quotes"),
    ("\tchip\n", 1, "empty source"),
    ("puce\t\n", 1, "empty target"),
    ("puce\tchip\t\tstatus=maybe\n", 1, "unknown status"),
    ("puce\tchip\t\tnonsense\n", 1, "not key=value"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_TSV)
def test_malformed_tsv_names_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write_glossary(tmp_path, text)
    with pytest.raises(GlossaryError, match=message) as caught:
        load_glossary(path)
    assert caught.value.line == line and caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.utf8"
    path.write_bytes("puce\tchip\nécosystème\tecosystem\n".encode("latin-1"))
    with pytest.raises(GlossaryError, match="not valid UTF-8") as caught:
        load_glossary(path)
    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('puce,chip\n"ecosystem,eco\n', "malformed CSV"),
        ("puce\n", "missing target column"),
        ('puce,"chip"x\n', "malformed CSV"),
    ],
)
def test_malformed_csv(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "g.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message) as caught:
        load_glossary(path)
    assert caught.value.line is not None


TBX_HEAD = '<?xml version="1.0"?>\n'
TERM_ENTRY = (
    "<termEntry><langSet xml:lang='fr'><tig><term>puce</term></tig></langSet>"
    "<langSet xml:lang='en'><tig><term>chip</term></tig></langSet></termEntry>"
)

BAD_TBX = [
    (TBX_HEAD + "<martif><text><body>" + TERM_ENTRY + "</body></text>\n", "not well-formed", 3),
    (TBX_HEAD + "<martif><text><body></body></text></martif>", "holds no term", 2),
    (
        TBX_HEAD
        + '<!DOCTYPE martif [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;">\n]>\n'
        "<martif><text><body><termEntry><langSet xml:lang='fr'><tig><term>&b;</term></tig>"
        "</langSet></termEntry></body></text></martif>",
        "declares entities",
        3,
    ),
    (
        TBX_HEAD + '<!DOCTYPE martif [\n<!ENTITY ext SYSTEM "file:///etc/passwd">\n]>\n'
        "<martif><text><body><termEntry><langSet xml:lang='fr'><tig><term>&ext;</term></tig>"
        "</langSet></termEntry></body></text></martif>",
        "declares entities",
        3,
    ),
    (TBX_HEAD + "<html/>", "is not <martif>", 2),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD_TBX)
def test_bad_tbx_is_refused(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message) as caught:
        load_glossary(path)
    assert caught.value.line == line


def test_external_dtd_is_never_fetched(tmp_path: Path) -> None:
    path = tmp_path / "dtd.tbx"
    path.write_text(
        TBX_HEAD + '<!DOCTYPE martif SYSTEM "http://127.0.0.1:9/TBXcoreStructV02.dtd">\n'
        "<martif><text><body>" + TERM_ENTRY + "</body></text></martif>",
        encoding="utf-8",
    )
    assert [(e.source, e.target) for e in load_glossary(path).entries] == [("puce", "chip")]


def test_a_utf16_entity_declaration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.tbx"
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE martif [\n<!ENTITY a "aaaa">\n]>\n'
        "<martif><text><body>" + TERM_ENTRY.replace("puce", "&a;") + "</body></text></martif>"
    )
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(GlossaryError, match="declares entities"):
        load_glossary(path)


def test_an_undeclared_entity_reference_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ref.tbx"
    path.write_text(
        TBX_HEAD + '<!DOCTYPE martif SYSTEM "tbx.dtd">\n<martif><text><body>'
        + TERM_ENTRY.replace("chip", "&nbsp;chip")
        + "</body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match="does not declare") as caught:
        load_glossary(path)
    assert caught.value.line == 3


def test_concepts_without_french_and_english_are_reported_not_dropped_silently(
    tmp_path: Path,
) -> None:
    from bilingual.glossary.formats import read_terms

    german = TERM_ENTRY.replace("xml:lang='en'", "xml:lang='de'").replace(
        "<termEntry>", "<termEntry id='c7'>"
    )
    path = tmp_path / "mixed.tbx"
    path.write_text(
        TBX_HEAD + "<martif><text><body>\n" + TERM_ENTRY + "\n" + german + "\n</body></text></martif>",
        encoding="utf-8",
    )
    read = read_terms(path)
    assert [(e.source, e.target) for e in read.entries] == [("puce", "chip")]
    (skipped,) = read.skipped
    assert skipped.line == 4
    assert skipped.message == "concept c7 has no English (en) term (languages: de, fr); left out"
