"""TMX 1.4 export: DTD validity, stable ids, odd text, provenance, readers, atomic streaming."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from exchange_helpers import tmx_problems
from lxml import etree

from bilingual import __version__
from bilingual.document import (
    Document,
    EngineInfo,
    Finding,
    GlossaryInfo,
    Origin,
    Segment,
    Severity,
    Unit,
)
from bilingual.exchange import FileHeader, TranslationUnit
from bilingual.exchange.tmx import dtd as tmx_dtd
from bilingual.exchange.tmx import read_units, write_units
from bilingual.exchange.units import Note
from bilingual.exchange.xml import XML_LANG
from bilingual.export.exchange import write_memory_tmx, write_tmx

# tests/ → the work tree → its parent, where shared/ sits beside the repository
SHARED_DTD = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "tmx14.dtd"
needs_shared_dtd = pytest.mark.skipif(not SHARED_DTD.is_file(), reason="no ../shared/schemas")

ENGINE = EngineInfo("apertium", "3.8.3", "fr-en")
CREATED = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)

#: (source sentence, translation) pairs, chosen to break naive XML writers.
ODD_PAIRS = [
    ("Le <script>alert(1)</script> est retiré.", "The <script>alert(1)</script> is removed."),
    ("Tom &amp; Jerry & « Cie ».", "Tom &amp; Jerry & “Co”."),
    ("Fin de section ]]> ici.", "End of section ]]> here."),
    ("Bip\x01 et\x0b tab\tici.", "Beep\x01 and\x0b tab\there."),
    ("Génial 😀 👍🏽 !", "Great 😀 👍🏽!"),
]


def make_document(
    name: str,
    pairs: list[tuple[str, str]],
    created: datetime = CREATED,
    **unit_fields: object,
) -> Document:
    """A document whose text is the sources joined by spaces, with consistent offsets."""
    text = " ".join(source for source, _ in pairs)
    units = []
    position = 0
    for source, target in pairs:
        segment = Segment(position, position + len(source), source)
        assert text[segment.start : segment.end] == source
        units.append(Unit(segment, target, **unit_fields))  # type: ignore[arg-type]
        position += len(source) + 1
    return Document(name, text, units=units, engine=ENGINE, created=created)


def parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))


def tuv_texts(tu: etree._Element) -> dict[str, str]:
    return {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.iterfind("tuv")}


@pytest.fixture
def odd_tmx(tmp_path: Path) -> Path:
    document = make_document("odd", ODD_PAIRS)
    document.units[0].findings = [
        Finding("term-missing", Severity.WARNING, "'retiré' should be 'withdrawn'", term="retiré"),
        Finding("number-missing", Severity.ERROR, "1 is missing"),
    ]
    path = tmp_path / "odd.tmx"
    write_tmx(document, path)
    return path


def test_output_is_valid_against_the_packaged_dtd(odd_tmx: Path) -> None:
    assert tmx_problems(odd_tmx) == []


@needs_shared_dtd
def test_output_is_valid_against_the_shared_dtd(odd_tmx: Path) -> None:
    dtd = etree.DTD(str(SHARED_DTD))
    assert dtd.validate(parse(odd_tmx)), dtd.error_log


def _declarations(dtd: etree.DTD) -> dict[str, object]:
    def content(node: etree._DTDContentDecl | None) -> object:
        if node is None:
            return None
        return (node.name, node.type, node.occur, content(node.left), content(node.right))

    return {
        element.name: (
            element.type,
            content(element.content),
            sorted(
                (
                    (attribute.prefix or "", attribute.name),
                    attribute.type,
                    attribute.default,
                    attribute.default_value,
                    tuple(attribute.values()),
                )
                for attribute in element.iterattributes()
            ),
        )
        for element in dtd.iterelements()
    }


@needs_shared_dtd
def test_packaged_dtd_declares_what_the_shared_one_declares() -> None:
    ours = _declarations(tmx_dtd())
    reference = _declarations(etree.DTD(str(SHARED_DTD)))
    assert sorted(ours) == sorted(reference)
    for name in reference:
        assert ours[name] == reference[name], name


def test_header_carries_the_required_attributes_and_provenance(tmp_path: Path) -> None:
    document = make_document("doc", [("Oui.", "Yes.")])
    document.glossary = GlossaryInfo("terms.tsv", "ab" * 32, 3)
    write_tmx(document, tmp_path / "doc.tmx")
    root = parse(tmp_path / "doc.tmx").getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert dict(header.attrib) == {
        "creationtool": "bilingual",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "bilingual",
        "adminlang": "en",
        "srclang": "fr",
        "datatype": "plaintext",
        "creationdate": "20250304T050607Z",
    }
    props = {prop.get("type"): prop.text for prop in header.iterfind("prop")}
    assert props == {
        "x-document": "doc",
        "x-engine": ENGINE.signature(),
        "x-glossary": f"terms.tsv sha256:{'ab' * 32}",
    }


def test_each_unit_records_document_origin_engine_and_findings_before_its_tuvs(
    odd_tmx: Path,
) -> None:
    tu = parse(odd_tmx).getroot().find("body/tu")
    assert tu is not None
    tags = [child.tag for child in tu]
    assert tags == ["note", "note", *["prop"] * 6, "tuv", "tuv"]
    assert [note.text for note in tu.iterfind("note")] == [
        "term-missing: 'retiré' should be 'withdrawn'",
        "number-missing: 1 is missing",
    ]
    props = {prop.get("type"): prop.text for prop in tu.iterfind("prop")}
    assert props == {
        "x-origin": "machine",
        "x-document": "odd",
        "x-engine": ENGINE.signature(),
        "x-paragraph": "0",
        "x-source-start": "0",
        "x-source-end": str(len(ODD_PAIRS[0][0])),
    }
    assert tu.get("creationdate") == "20250304T050607Z"
    assert re.fullmatch(r"[0-9a-f]{16}", tu.get("tuid", ""))


def test_a_memory_unit_is_not_credited_to_this_build_s_engine(tmp_path: Path) -> None:
    document = make_document("doc", [("Oui.", "Yes indeed.")], origin=Origin.HUMAN)
    write_tmx(document, tmp_path / "doc.tmx")
    tu = parse(tmp_path / "doc.tmx").getroot().find("body/tu")
    assert tu is not None
    props = {prop.get("type"): prop.text for prop in tu.iterfind("prop")}
    assert props["x-origin"] == "human"
    assert "x-engine" not in props


def test_tuids_are_stable_across_builds_and_differ_between_documents(tmp_path: Path) -> None:
    pairs = [("Un.", "One."), ("Deux.", "Two."), ("Un.", "One.")]
    write_tmx(make_document("doc", pairs), tmp_path / "first.tmx")
    later = CREATED + timedelta(days=3)
    write_tmx(make_document("doc", pairs, created=later, engine=None), tmp_path / "second.tmx")
    write_tmx(make_document("other", pairs), tmp_path / "other.tmx")

    def tuids(name: str) -> list[str]:
        return [tu.get("tuid", "") for tu in parse(tmp_path / name).getroot().iter("tu")]

    first = tuids("first.tmx")
    assert first == tuids("second.tmx")
    assert first[0] == first[2] != first[1]  # same source text in one document: same id
    assert not set(first) & set(tuids("other.tmx"))


def test_odd_text_is_escaped_and_control_characters_round_trip_as_inline_codes(
    odd_tmx: Path,
) -> None:
    raw = odd_tmx.read_bytes()
    assert b"<script>" not in raw and b"\x01" not in raw and b"\x0b" not in raw
    assert b'<ph type="x-bilingual-char-0001"/>' in raw
    texts = [(unit.source, unit.target) for unit in read_units(odd_tmx)]
    assert texts == ODD_PAIRS
    # a reader that does not know our code sees the text around it
    plain = [tuv_texts(tu) for tu in parse(odd_tmx).getroot().iter("tu")]
    assert plain[3] == {"fr": "Bip", "en": "Beep"}  # the text before the code


def test_translate_toolkit_reads_every_unit(odd_tmx: Path) -> None:
    from translate.storage import tmx

    store = tmx.tmxfile.parsefile(str(odd_tmx))
    pairs = [(unit.source, unit.target) for unit in store.units]
    assert len(pairs) == len(ODD_PAIRS)
    assert pairs[0] == ODD_PAIRS[0]
    assert pairs[4] == ODD_PAIRS[4]
    assert store.sourcelanguage == "fr"


def test_units_without_translation_are_left_out(tmp_path: Path) -> None:
    document = make_document("doc", [("Un.", "One."), ("Deux.", "  "), ("Trois.", "Three.")])
    write_tmx(document, tmp_path / "doc.tmx")
    sources = [tuv_texts(tu)["fr"] for tu in parse(tmp_path / "doc.tmx").getroot().iter("tu")]
    assert sources == ["Un.", "Trois."]


def test_memory_tmx_holds_every_document_with_each_engine(tmp_path: Path) -> None:
    first = make_document("first", [("Un.", "One.")])
    second = make_document("second", [("Deux.", "Two."), ("Trois.", "Three.")])
    second.engine = EngineInfo("argos", "1.11.0", "fr_en-1.0")
    path = tmp_path / "memory.tmx"
    write_memory_tmx(iter([first, second]), path)
    assert tmx_problems(path) == []
    root = parse(path).getroot()
    documents = [tu.findtext("prop[@type='x-document']") for tu in root.iter("tu")]
    assert documents == ["first", "second", "second"]
    header_engines = [prop.text for prop in root.iterfind("header/prop[@type='x-engine']")]
    assert header_engines == [ENGINE.signature(), "argos:1.11.0:fr_en-1.0"]


def test_units_stream_with_their_own_ids_dates_notes_and_props(tmp_path: Path) -> None:
    changed = datetime(2025, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    unit = TranslationUnit(
        "Salut.",
        "Hi.",
        origin=Origin.MEMORY,
        created=CREATED,
        changed=changed,
        notes=(Note("post-edited"),),
        props=(("x-similarity", "0.93"),),
        tuid="custom-1",
    )
    path = tmp_path / "units.tmx"
    write_units(path, iter([unit] * 3), FileHeader(CREATED, tool_version="9.9"))
    assert tmx_problems(path) == []
    root = parse(path).getroot()
    assert root.xpath("string(header/@creationtoolversion)") == "9.9"
    tus = list(root.iter("tu"))
    assert len(tus) == 3
    assert tus[0].get("tuid") == "custom-1"
    assert tus[0].get("changedate") == "20250601T120000Z"  # converted to UTC
    assert tus[0].findtext("note") == "post-edited"
    assert tus[0].findtext("prop[@type='x-similarity']") == "0.93"
    assert tus[0].find("prop[@type='x-document']") is None


def test_a_failed_export_leaves_the_previous_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    write_tmx(make_document("doc", [("Un.", "One.")]), path)
    before = path.read_bytes()

    def failing_units() -> Iterator[TranslationUnit]:
        yield TranslationUnit("Deux.", "Two.")
        raise RuntimeError("engine crashed")

    with pytest.raises(RuntimeError):
        write_units(path, failing_units(), FileHeader(CREATED))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["memory.tmx"]
