"""Sentence segmentation: the offsets contract, paragraphs, hard French cases, public suites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from segment_helpers import SUITES, assert_contract, load_scorer, texts

from bilingual.document import Segment
from bilingual.errors import SegmentationError
from bilingual.segment import SEGMENTERS, segment_text

HARD_CASES = json.loads(
    (Path(__file__).parent / "cases" / "segment" / "hard_fr.json").read_text(encoding="utf-8")
)


# Pieces that exercise the rules and the whitespace handling; hypothesis mixes them with
# arbitrary characters.
RULE_PIECES = """. ... … ? ! ?! " ' ’ ( ) [ ] [4] ² M. Mme etc. J.-C. av. Il il Élan 1. 2e XIXe s.
    www.ex.fr a@b.fr https://a.b/c?d İ ß ﬁ e\u0301 \U0001f600 \x00 ǅ ٣"""
FRAGMENTS = [
    *" \t\n\r\u00a0\u202f\u2028\u2029\x0b\x0c\x85\x1c",
    *["  ", "\r\n", "\n \n", ". ", "! ", "« ", " »", "a) ", "- ", "• ", "p. ex.", "日本。"],
    *RULE_PIECES.split(),
]
arbitrary_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40
).map("".join)


@settings(max_examples=400, deadline=None)
@given(arbitrary_text)
def test_rules_segments_rebuild_the_text(text: str) -> None:
    assert_contract(text, segment_text(text))


@settings(max_examples=60, deadline=None)
@given(arbitrary_text)
def test_srx_segments_rebuild_the_text(text: str) -> None:
    assert_contract(text, segment_text(text, "srx"))


@pytest.mark.parametrize("name", sorted(SEGMENTERS))
def test_every_segmenter_keeps_the_contract_on_french(name: str) -> None:
    text = "  Titre\r\n\r\nM. Dupont arrive. « Déjà ? » dit-elle.\n \t\nFin… Vraiment.  "
    segments = SEGMENTERS[name](text)
    assert_contract(text, segments)
    assert texts(segments) == [
        "Titre",
        "M. Dupont arrive.",
        "« Déjà ? » dit-elle.",
        "Fin…",
        "Vraiment.",
    ]
    assert [segment.paragraph for segment in segments] == [0, 1, 1, 2, 2]


def test_paragraphs_are_numbered_consecutively_from_zero() -> None:
    text = "\n\nUn. Deux.\nTrois.\n\n\n\nQuatre.\n   \nCinq.\r\n\r\nSix."
    segments = segment_text(text)
    assert [(s.text, s.paragraph) for s in segments] == [
        ("Un.", 0),
        ("Deux.", 0),
        ("Trois.", 0),
        ("Quatre.", 1),
        ("Cinq.", 2),
        ("Six.", 3),
    ]


def test_every_line_break_ends_a_segment() -> None:
    text = "Une ligne sans point\nune suite en minuscule\r\nM.\u2028Dupont"
    assert texts(segment_text(text)) == [
        "Une ligne sans point",
        "une suite en minuscule",
        "M.",
        "Dupont",
    ]
    assert {s.paragraph for s in segment_text(text)} == {0}


def test_offsets_point_into_the_source() -> None:
    text = "  Il pleut.  Il neige !\tFin"
    assert segment_text(text) == [
        Segment(2, 11, "Il pleut.", 0),
        Segment(13, 23, "Il neige !", 0),
        Segment(24, 27, "Fin", 0),
    ]


def test_empty_and_blank_texts_have_no_segments() -> None:
    assert segment_text("") == []
    assert segment_text(" \n\u00a0\r\n\t") == []


@pytest.mark.parametrize("case", HARD_CASES, ids=[case["id"] for case in HARD_CASES])
def test_hard_french_cases(case: dict[str, Any]) -> None:
    assert texts(segment_text(case["text"])) == case["expected"]


def test_a_long_single_line_completes() -> None:
    sentence = (
        "Le 3 janv. 2024, M. Dupont (cf. p. 12) a vu www.exemple.fr… puis « Quoi ? » dit-il. "
        "Il a payé 2,5 % de 100 000 €, etc. Ensuite J.-P. Sartre est venu ! "
    )
    copies = 5_000_000 // len(sentence)
    text = sentence * copies
    segments = segment_text(text)
    assert len(segments) == 3 * copies
    assert_contract(text, segments)


@pytest.mark.parametrize(
    "text",
    [
        "." * 1_000_000,
        ". " * 500_000,
        "(" * 500_000 + "a. B " * 100_000,
        "!" + ' "' * 500_000 + "x",
        "." + ")" * 1_000_000,
        "M. " * 300_000,
    ],
    ids=["dots", "spaced-dots", "open-brackets", "spaced-quotes", "closing-brackets", "titles"],
)
def test_pathological_inputs_complete(text: str) -> None:
    assert_contract(text, segment_text(text))


def test_srx_file_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.srx"
    rules.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header segmentsubflows="yes" cascade="yes"/>
<body><languagerules><languagerule languagerulename="fr">
<rule break="no"><beforebreak>\\bM\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
<rule break="yes"><beforebreak>[.!?]+</beforebreak><afterbreak>\\s</afterbreak></rule>
</languagerule></languagerules>
<maprules><languagemap languagepattern="FR.*" languagerulename="fr"/></maprules></body></srx>
""",
        encoding="utf-8",
    )
    text = "M. Dupont arrive. Il rit !  Fin\nSuite."
    segments = segment_text(text, rules)
    assert_contract(text, segments)
    assert texts(segments) == ["M. Dupont arrive.", "Il rit !", "Fin", "Suite."]
    assert texts(segment_text(text, str(rules))) == texts(segments)


@pytest.mark.parametrize(
    "content",
    [
        "not xml at all",
        (
            "<srx><body><languagerules><languagerule languagerulename='fr'><rule break='yes'>"
            "<beforebreak>[.</beforebreak><afterbreak></afterbreak></rule></languagerule>"
            "</languagerules><maprules><languagemap languagepattern='fr.*' languagerulename='fr'/>"
            "</maprules></body></srx>"
        ),
        (
            "<srx><body><languagerules><languagerule languagerulename='de'><rule break='yes'>"
            "<beforebreak>[.]</beforebreak><afterbreak></afterbreak></rule></languagerule>"
            "</languagerules><maprules><languagemap languagepattern='de.*' languagerulename='de'/>"
            "</maprules></body></srx>"
        ),
    ],
    ids=["not-xml", "bad-regex", "no-french"],
)
def test_invalid_srx_file_names_the_file(tmp_path: Path, content: str) -> None:
    rules = tmp_path / "broken.srx"
    rules.write_text(content, encoding="utf-8")
    with pytest.raises(SegmentationError, match="broken.srx"):
        segment_text("Bonjour. Au revoir.", rules)


def test_missing_srx_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SegmentationError, match="absent.srx"):
        segment_text("Bonjour.", tmp_path / "absent.srx")


# suite file -> (minimum exact cases, minimum boundary F1); GSD is measured, never tuned to.
TARGETS = {
    "pysbd_fr_golden.json": (5, 1.0),
    "languagetool_fr.json": (56, 0.0),
    "ud_fr_pud.json": (0, 0.995),
    "ud_fr_sequoia.json": (0, 0.99),
}


@pytest.mark.skipif(not SUITES.is_dir(), reason="the shared evaluation suites are not here")
@pytest.mark.parametrize("suite", sorted(TARGETS))
def test_public_suites_reach_their_targets(suite: str) -> None:
    scorer = load_scorer()
    cases = json.loads((SUITES / suite).read_text(encoding="utf-8"))
    result, _ = scorer.score_suite(lambda text: texts(segment_text(text)), cases)
    minimum_exact, minimum_f1 = TARGETS[suite]
    assert result["exact"] >= minimum_exact
    assert result["f1"] >= minimum_f1
    assert result["altered"] == 0 and result["failed"] == 0
