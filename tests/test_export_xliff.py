"""XLIFF 2.1 export: structure, states, notes, metadata, odd text, translate-toolkit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from exchange_helpers import xliff_problems
from lxml import etree

from bilingual.document import Document, EngineInfo, Finding, Origin, Segment, Severity, Unit
from bilingual.exchange.xliff import METADATA_NS, read_units
from bilingual.exchange.xliff import XLIFF2_NS as XLIFF_NS
from bilingual.export.exchange import write_xliff

ENGINE = EngineInfo("apertium", "3.8.3", "fr-en")
NS = {"x": XLIFF_NS, "mda": METADATA_NS}

PAIRS = [
    ("Le <script>alert(1)</script> part.", "The <script>alert(1)</script> leaves."),
    ("Tom &amp; Jerry ]]> fin\x01.", "Tom &amp; Jerry ]]> end\x01."),
    ("Sans traduction.", ""),
    ("Génial 😀 !", "Great 😀!"),
]


def make_document() -> Document:
    text = " ".join(source for source, _ in PAIRS)
    units = []
    position = 0
    for source, target in PAIRS:
        units.append(Unit(Segment(position, position + len(source), source), target))
        position += len(source) + 1
    units[0].findings = [
        Finding("term-forbidden", Severity.ERROR, "'part' is forbidden", target_span=(30, 36)),
        Finding("term-ok", Severity.INFO, "'script' kept"),
    ]
    units[3].origin = Origin.HUMAN
    return Document(
        "odd",
        text,
        source_path=Path("/texts/odd.txt"),
        units=units,
        engine=ENGINE,
        created=datetime(2025, 3, 4, tzinfo=UTC),
    )


@pytest.fixture
def xliff_path(tmp_path: Path) -> Path:
    path = tmp_path / "odd.xlf"
    write_xliff(make_document(), path)
    return path


def parse(path: Path) -> etree._Element:
    return etree.parse(
        str(path), etree.XMLParser(resolve_entities=False, no_network=True)
    ).getroot()


def test_output_passes_the_structural_checks(xliff_path: Path) -> None:
    assert xliff_problems(xliff_path) == []


def test_root_declares_version_and_languages(xliff_path: Path) -> None:
    root = parse(xliff_path)
    assert root.tag == f"{{{XLIFF_NS}}}xliff"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "fr", "en")
    file_element = root.find("x:file", NS)
    assert file_element is not None and file_element.get("original") == "odd.txt"


def test_one_unit_per_segment_with_state_and_target_only_when_translated(
    xliff_path: Path,
) -> None:
    units = parse(xliff_path).findall("x:file/x:unit", NS)
    assert [unit.get("id") for unit in units] == ["s1", "s2", "s3", "s4"]
    states = [
        (segment.get("state"), segment.get("subState"))
        for unit in units
        for segment in unit.findall("x:segment", NS)
    ]
    # machine translations are unreviewed; a human one is translated
    assert states == [
        ("initial", "bilingual:mt"),
        ("initial", "bilingual:mt"),
        ("initial", None),
        ("translated", None),
    ]
    read = [(unit.source, unit.target, unit.origin) for unit in read_units(xliff_path)]
    assert read == [
        (PAIRS[0][0], PAIRS[0][1], Origin.MACHINE),
        (PAIRS[1][0], PAIRS[1][1], Origin.MACHINE),  # the control character comes back
        (PAIRS[2][0], "", None),
        (PAIRS[3][0], PAIRS[3][1], Origin.HUMAN),
    ]


def test_findings_become_unit_notes_before_the_segment(xliff_path: Path) -> None:
    unit = parse(xliff_path).find("x:file/x:unit", NS)
    assert unit is not None
    assert [etree.QName(child).localname for child in unit] == ["metadata", "notes", "segment"]
    notes = [
        (note.get("category"), note.get("priority"), note.get("appliesTo"), note.text)
        for note in unit.iterfind("x:notes/x:note", NS)
    ]
    assert notes == [
        ("term-forbidden", "1", "target", "'part' is forbidden"),
        ("term-ok", "10", None, "'script' kept"),
    ]


def test_metadata_records_origin_engine_and_offsets(xliff_path: Path) -> None:
    units = parse(xliff_path).findall("x:file/x:unit", NS)

    def meta(unit: etree._Element) -> dict[str, str]:
        return {m.get("type"): m.text for m in unit.iterfind("mda:metadata//mda:meta", NS)}

    first = meta(units[0])
    assert first["origin"] == "machine" and first["engine"] == ENGINE.signature()
    assert (first["source-start"], first["source-end"]) == ("0", str(len(PAIRS[0][0])))
    human = meta(units[3])
    assert human["origin"] == "human" and "engine" not in human


def test_translate_toolkit_reads_every_unit(xliff_path: Path) -> None:
    # translate-toolkit 3.20 reads XLIFF 2 only through xliff2.Xliff2File: its format factory and
    # xliff.xlifffile refuse version 2.x files.
    from translate.storage.xliff2 import Xliff2File

    store = Xliff2File.parsefile(str(xliff_path))
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("fr", "en")
    units = [(unit.getid(), unit.source, unit.target, unit.istranslated()) for unit in store.units]
    assert units == [
        ("s1", PAIRS[0][0], PAIRS[0][1], False),
        ("s2", "Tom &amp; Jerry ]]> fin.", "Tom &amp; Jerry ]]> end.", False),
        ("s3", "Sans traduction.", None, False),
        ("s4", PAIRS[3][0], PAIRS[3][1], True),
    ]


def test_xliff_1_2_is_read_by_translate_toolkit_s_generic_loader(tmp_path: Path) -> None:
    from translate.storage import factory

    from bilingual.export.exchange import write_xliff12

    path = tmp_path / "odd.xliff12.xlf"
    write_xliff12(make_document(), path)
    assert xliff_problems(path) == []
    store = factory.getobject(str(path))
    assert [(unit.source, unit.target or None) for unit in store.units] == [
        (PAIRS[0][0], PAIRS[0][1]),
        ("Tom &amp; Jerry ]]> fin.", "Tom &amp; Jerry ]]> end."),
        (PAIRS[2][0], PAIRS[2][0]),  # the source copied, still to translate (OmegaT needs it)
        (PAIRS[3][0], PAIRS[3][1]),
    ]
    states = [
        (target.get("state"), target.get("state-qualifier"))
        for target in parse(path).iter("{urn:oasis:names:tc:xliff:document:1.2}target")
    ]
    assert states == [
        ("needs-review-translation", "mt-suggestion"),
        ("needs-review-translation", "mt-suggestion"),
        ("needs-translation", None),
        ("translated", None),
    ]
    assert [unit.origin for unit in read_units(path)] == [
        Origin.MACHINE, Origin.MACHINE, None, Origin.HUMAN
    ]


def test_a_reviewed_translation_says_so_in_both_versions(tmp_path: Path) -> None:
    from bilingual.export.exchange import write_xliff12

    document = make_document()
    document.units[3].reviewed = True
    write_xliff(document, tmp_path / "odd.xlf")
    write_xliff12(document, tmp_path / "odd.xliff12.xlf")
    states = [s.get("state") for s in parse(tmp_path / "odd.xlf").iter(f"{{{XLIFF_NS}}}segment")]
    assert states == ["initial", "initial", "initial", "reviewed"]
    assert xliff_problems(tmp_path / "odd.xlf") == []
    root12 = parse(tmp_path / "odd.xliff12.xlf")
    assert [t.get("state") for t in root12.iter("{*}target")][-1] == "signed-off"
    assert [unit.origin for unit in read_units(tmp_path / "odd.xlf")][-1] is Origin.HUMAN
    assert [unit.origin for unit in read_units(tmp_path / "odd.xliff12.xlf")][-1] is Origin.HUMAN
