"""The units of an aligned text, pairing texts by name, and the glossary on an alignment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from glossary_helpers import write_glossary
from test_align import PAIRS
from test_cli_align import write_text

from bilingual.align import Alignment, Link
from bilingual.align.build import aligned_units, pair_texts, storable
from bilingual.cli import cli
from bilingual.document import Segment, Tag, Unit
from bilingual.errors import InputError
from bilingual.filters.rebuild import english_text


def test_a_link_across_a_paragraph_break_gives_its_english_to_the_first_paragraph() -> None:
    text = "Il partit.\n\nIl revint."
    french = [Unit(Segment(0, 10, "Il partit.", 0)), Unit(Segment(12, 22, "Il revint.", 1))]
    english = [Segment(0, 27, "He left and came back.", 0)]
    units = aligned_units(text, french, english, Alignment([Link((0, 1), (0,), 0.9)]))
    assert [(u.source, u.target, u.segment.paragraph) for u in units] == [
        ("Il partit.", "He left and came back.", 0),
        ("Il revint.", "", 1),
    ]
    assert [u.alignment.flag for u in units if u.alignment] == [None, "joined"]
    assert storable(units[0]) and not storable(units[1])


def test_two_sentences_of_one_paragraph_become_one_unit_with_their_tags() -> None:
    text = "Il *partit*. Il **revint**."
    french = [
        Unit(Segment(0, 12, "Il *partit*."), source_tags=(Tag(0, 3, 11),)),
        Unit(Segment(13, 27, "Il **revint**."), source_tags=(Tag(1, 3, 13),)),
    ]
    english = [Segment(0, 22, "He left and came back.")]
    (unit,) = aligned_units(text, french, english, Alignment([Link((0, 1), (0,), 0.9)]))
    assert unit.source == text
    assert unit.source_tags == (Tag(0, 3, 11), Tag(1, 16, 26))
    assert unit.alignment is not None and unit.alignment.kind == "2-1"


def test_an_added_sentence_is_spaced_in_the_english_document() -> None:
    from bilingual.document import Document

    text = "Oui. Non."
    french = [Unit(Segment(0, 4, "Oui.")), Unit(Segment(5, 9, "Non."))]
    english = [Segment(0, 4, "Yes."), Segment(5, 11, "Maybe."), Segment(12, 15, "No.")]
    links = [Link((0,), (0,), 0.9), Link((), (1,), 0.9), Link((1,), (2,), 0.9)]
    document = Document("d", text, units=aligned_units(text, french, english, Alignment(links)))
    assert english_text(document) == "Yes. Maybe. No."


def test_a_very_unsure_link_is_shown_but_not_stored() -> None:
    french = [Unit(Segment(0, 4, "Oui."))]
    (unit,) = aligned_units("Oui.", french, [Segment(0, 4, "Yes.")], Alignment([Link((0,), (0,), 0.1)]))
    assert unit.alignment is not None and unit.alignment.flag == "low-confidence"
    assert [finding.kind for finding in unit.findings] == ["align-low-confidence"]
    assert not storable(unit)


def test_one_folder_may_hold_the_french_and_the_english(tmp_path: Path) -> None:
    write_text(tmp_path / "conte.txt", ["Il pleut."])
    write_text(tmp_path / "conte.en.txt", ["It rains."])
    pairing = pair_texts(tmp_path, tmp_path)
    assert [(p.french.name, p.english.name) for p in pairing.pairs] == [("conte.txt", "conte.en.txt")]
    assert pairing.unmatched == []


@pytest.mark.parametrize("english_name", ["autre.txt", None])
def test_folders_without_a_pair_or_a_file_with_a_folder_are_refused(
    tmp_path: Path, english_name: str | None
) -> None:
    write_text(tmp_path / "fr" / "conte.txt", ["Il pleut."])
    (tmp_path / "en").mkdir()
    if english_name is not None:
        write_text(tmp_path / "en" / english_name, ["It rains."])
        with pytest.raises(InputError, match="no file has an English counterpart"):
            pair_texts(tmp_path / "fr", tmp_path / "en")
    else:
        with pytest.raises(InputError, match="give two files, or two folders"):
            pair_texts(tmp_path / "fr" / "conte.txt", tmp_path / "en")


def test_glossary_terms_are_checked_in_the_translators_english(tmp_path: Path) -> None:
    french = write_text(tmp_path / "conte.txt", [fr for fr, _ in PAIRS])
    english = write_text(tmp_path / "tale.txt", [en for _, en in PAIRS])
    glossary = write_glossary(tmp_path, "capitaine\tcaptain\nnavire\tvessel\n")
    result = CliRunner().invoke(cli, ["align", str(french), str(english), "-o", str(tmp_path / "out"),
                                      "--no-memory", "--no-mt", "--glossary", str(glossary),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "conte.glossary.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"term-ok": 2, "term-missing": 1}  # "ship", not "vessel"
