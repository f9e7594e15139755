"""Inline codes: coded text, the engine's placeholders, the fallback, and the round trip of a
formatted unit through the memory, TMX and XLIFF (a post-edit in a CAT tool)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from bilingual.document import Tag
from bilingual.exchange import FileHeader, TranslationUnit, read_units, validate, write_units
from bilingual.glossary import protect
from bilingual.inline import coded_text, parse_coded
from bilingual.memory import open_memory
from bilingual.memory.transfer import import_file
from bilingual.pipeline import BuildConfig, build

BOLD_AND_CODE = (Tag(0, 3, 7), Tag(1, 16, 21, paired=False, protected=True))
SOURCE = "Le chat appelle print < 3 & co."


def test_plain_units_have_no_coded_form() -> None:
    assert coded_text("a < b & <g1>", ()) == "a < b & <g1>"
    assert parse_coded("a < b", (), "x").text == "a < b"


def test_coded_text_round_trip() -> None:
    coded = coded_text(SOURCE, BOLD_AND_CODE)
    assert coded == "Le <g1>chat</g1> appelle <x2/> &lt; 3 &amp; co."
    parsed = parse_coded(coded, BOLD_AND_CODE, SOURCE)
    assert (parsed.text, parsed.tags, parsed.lost) == (SOURCE, BOLD_AND_CODE, ())


def test_lost_and_crossed_tags_are_put_back_and_reported() -> None:
    parsed = parse_coded("The cat calls &lt; 3 &amp; co.", BOLD_AND_CODE, SOURCE)
    assert parsed.lost == (0, 1) and "print" in parsed.text
    assert [parsed.text[t.start : t.end] for t in parsed.tags] == ["The cat", "print"]
    crossed = parse_coded("<g1>a <g2>b</g1> c</g2>", (Tag(0, 0, 3), Tag(1, 2, 5)), "a b c")
    assert crossed.lost == (0,)


def test_placeholders_for_codes_and_terms_share_one_numbering() -> None:
    from bilingual.glossary.entry import Entry, TermMatch

    meta = TermMatch(Entry("Meta", "Meta"), 22, 26, "Meta")
    source = "Le **modèle** ouvert de Meta."
    plain = "Le modèle ouvert de Meta."
    guard = protect(plain, [TermMatch(meta.entry, 20, 24, "Meta")], "placeholders", (Tag(0, 3, 9),))
    assert guard.text == "Le Zx1q modèle Zx2q ouvert de Zx3q."
    assert guard.restore("The open Zx1q model Zx2q of Zx3q.") == "The open <g1>model</g1> of Meta."
    assert source  # the Markdown it came from


def test_other_tools_codes_are_left_out_as_before(tmp_path: Path) -> None:
    path = tmp_path / "omegat.tmx"
    path.write_text(
        '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" '
        'o-tmf="t" adminlang="en" srclang="fr" datatype="plaintext"/><body><tu>'
        '<tuv xml:lang="fr"><seg>Il <bpt i="1" x="1">&lt;b&gt;</bpt>pleut<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>'
        '<tuv xml:lang="en"><seg>It <bpt i="1" x="1">&lt;b&gt;</bpt>rains<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>'
        "</tu></body></tmx>", encoding="utf-8")
    unit = next(iter(read_units(path)))
    assert (unit.source, unit.target) == ("Il pleut.", "It rains.")


def _formatted_unit(target: str) -> TranslationUnit:
    return TranslationUnit(
        source="Le <g1>chat</g1> dort<x2/> &lt; ici.", target=target, document="d"
    )


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "xliff12"])
def test_exchange_files_carry_tags_as_inline_codes_and_read_them_back(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / ("unit.tmx" if fmt == "tmx" else "unit.xlf")
    unit = _formatted_unit("The <g1>cat</g1> sleeps<x2/> &lt; here.")
    plain = TranslationUnit(source="Il <g1> pleut & <b>.", target="It rains.", document="d")
    write_units(path, [unit, plain], FileHeader(unit.created or _now()), fmt)
    assert not validate(path, fmt).problems
    xml = path.read_text("utf-8")
    expected = {"tmx": ('<bpt i="1" x="1" type="x-bilingual"/>cat<ept i="1"/>',
                        '<ph x="2" type="x-bilingual"/>'),
                "xliff": ('<pc id="1" type="fmt" subType="bilingual:code">cat</pc>',
                          '<ph id="2" type="fmt" subType="bilingual:code"/>'),
                "xliff12": ('<g id="1" ctype="x-bilingual">cat</g>',
                            '<x id="2" ctype="x-bilingual"/>')}[fmt]
    assert all(code in xml for code in expected), xml
    read = list(read_units(path, fmt))
    assert (read[0].source, read[0].target) == (unit.source, unit.target)
    assert (read[1].source, read[1].target) == (plain.source, plain.target)


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_post_edit_of_a_formatted_unit_round_trips_through_xliff_and_the_memory(tmp_path: Path) -> None:
    source = tmp_path / "billet.md"
    source.write_text("Le **chat** dort sur [le tapis](https://example.com/tapis).\n", "utf-8")
    config = BuildConfig(output_dir=tmp_path / "out", engine="apertium",
                         memory_path=tmp_path / "tm.sqlite", formats=("doc", "xliff12", "tmx"))
    build([source], config)
    xliff = tmp_path / "out" / "billet.xliff12.xlf"
    tree = etree.parse(str(xliff))
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    target = tree.find(".//x:trans-unit/x:target", ns)
    assert target is not None and [g.get("id") for g in target.iter("{*}g")] == ["1", "2"]
    # the translator rewrites the sentence in the CAT tool, keeping the two tags
    for child in list(target):
        target.remove(child)
    target.text = "The "
    ours = {"ctype": "x-bilingual"}  # as a CAT tool writes back the source's tags
    bold = etree.SubElement(target, "{urn:oasis:names:tc:xliff:document:1.2}g", id="1", **ours)
    bold.text = "cat"
    bold.tail = " is asleep on "
    link = etree.SubElement(target, "{urn:oasis:names:tc:xliff:document:1.2}g", id="2", **ours)
    link.text = "the rug"
    link.tail = "."
    tree.write(str(xliff), encoding="utf-8", xml_declaration=True)
    with open_memory(tmp_path / "tm.sqlite") as memory:
        report = import_file(memory, xliff)
    assert report.stored == 1
    result = build([source], config)
    unit = result.documents[0].units[0]
    assert unit.origin.value == "human" and unit.target == "The cat is asleep on the rug."
    english = (tmp_path / "out" / "billet.en.md").read_text("utf-8")
    assert english == "The **cat** is asleep on [the rug](https://example.com/tapis).\n"
    # and the build's TMX gives the human version with its inline codes
    tmx = (tmp_path / "out" / "billet.tmx").read_text("utf-8")
    assert re.search(
        r'<bpt i="1" x="1" type="x-bilingual"/>cat<ept i="1"/> is asleep on '
        r'<bpt i="2" x="2" type="x-bilingual"/>the rug<ept i="2"/>\.', tmx
    )
