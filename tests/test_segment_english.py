"""English sentence segmentation: the same engine as French with the English lexicon."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from segment_helpers import SUITES, assert_contract, load_scorer, texts

from bilingual.errors import BilingualError, SegmentationError
from bilingual.segment import SEGMENTERS, segment_text

CASES = Path(__file__).parent / "cases" / "segment"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
        ("I work for the U.S. Government in Virginia.", None),
        ("We left at 5 p.m. It was late.", ["We left at 5 p.m.", "It was late."]),
        ("At 5 a.m. Mr. Smith went to the bank.", None),
        ("I can see Mt. Fuji from here.", None),
        ("St. Michael's Church is on 5th st. near the light.", None),
        ("She has $100.00 in her bag. It is safe.", ["She has $100.00 in her bag.", "It is safe."]),
        (
            "We bought apples, pears, etc. They were cheap.",
            ["We bought apples, pears, etc.", "They were cheap."],
        ),
        ("See Smith et al. for details.", None),
        ("Roe v. Wade was decided in 1973.", None),
        ('"Why?" he asked. "Because."', ['"Why?" he asked.', '"Because."']),
        ("what do you think? i think so.", ["what do you think?", "i think so."]),
        (
            "We make a good team, you and I. Did you see Albert I. Jones yesterday?",
            ["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"],
        ),
        (
            "J. R. R. Tolkien wrote it. It sold well.",
            ["J. R. R. Tolkien wrote it.", "It sold well."],
        ),
        (
            "Her email is Jane.Doe@example.com. I sent her an email.",
            ["Her email is Jane.Doe@example.com.", "I sent her an email."],
        ),
        ("I wasn't really . . . well, what I mean . . . see.", None),
        ("Hello!! Long time no see.", ["Hello!!", "Long time no see."]),
        ("He works at Yahoo! Inc. in the valley.", None),
        ("Turn to p. 55. The answer is there.", ["Turn to p. 55.", "The answer is there."]),
        (
            "1. Open the hood 2. Check the oil (see p. 3) 3. Close it",
            ["1. Open the hood", "2. Check the oil (see p. 3)", "3. Close it"],
        ),
        ("a) one b) two", ["a) one", "b) two"]),
        ("He scored 1. Then 2. Then 3 more.", ["He scored 1.", "Then 2.", "Then 3 more."]),
    ],
)
def test_hard_english_cases(text: str, expected: list[str] | None) -> None:
    assert texts(segment_text(text, language="en")) == (expected or [text])


def test_english_and_french_differ_where_their_languages_do() -> None:
    # French writes "? dit-il" inside one sentence; English web text starts one in lower case.
    assert texts(segment_text("Quoi ? dit-il.")) == ["Quoi ? dit-il."]
    assert texts(segment_text("what? no way.", language="en")) == ["what?", "no way."]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                ". ",
                "? ",
                "! ",
                "Mr. ",
                "U.S. ",
                "etc. ",
                "p.m. ",
                "I. ",
                "He ",
                "the ",
                "\n",
                "\n\n",
                " . . . ",
                '"',
                "(",
                ")",
                "5.",
                "a",
                "Z",
                "\u00a0",
                "i ",
            ]
        )
        | st.text(max_size=3),
        max_size=30,
    ).map("".join)
)
def test_english_segments_rebuild_the_text(text: str) -> None:
    assert_contract(text, segment_text(text, language="en"))


@pytest.mark.parametrize("name", sorted(SEGMENTERS))
def test_every_segmenter_segments_english(name: str) -> None:
    text = "Title\n\nMr. Smith arrived. Did he stay?\nNo."
    segments = SEGMENTERS[name](text, "en")
    assert_contract(text, segments)
    assert texts(segments) == ["Title", "Mr. Smith arrived.", "Did he stay?", "No."]


def test_an_unknown_language_names_the_known_ones() -> None:
    with pytest.raises(BilingualError, match="'de'.*en, fr"):
        segment_text("Guten Tag.", language="de")


def test_an_srx_file_without_english_rules_says_so(tmp_path: Path) -> None:
    rules = tmp_path / "french-only.srx"
    rules.write_text(
        "<srx><body><languagerules><languagerule languagerulename='fr'><rule break='yes'>"
        "<beforebreak>[.]</beforebreak><afterbreak>\\s</afterbreak></rule></languagerule>"
        "</languagerules><maprules><languagemap languagepattern='fr.*' languagerulename='fr'/>"
        "</maprules></body></srx>",
        encoding="utf-8",
    )
    with pytest.raises(SegmentationError, match="french-only.srx.*matches English"):
        segment_text("Hello. Bye.", rules, language="en")


def english_suite(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads((CASES / name).read_text(encoding="utf-8"))
    return cases


# suite file -> (minimum exact cases, minimum boundary F1), as measured when they were added
# (bench/bench_segment_english.py prints them beside pySBD's).
TARGETS = {
    "pysbd_en_golden.json": (46, 0.95),
    "ud_en_ewt_test.json": (296, 0.99),
}


@pytest.mark.skipif(
    not SUITES.is_dir(), reason="the shared scorer (../shared/eval/seg) is not here"
)
@pytest.mark.parametrize("suite", sorted(TARGETS))
def test_public_english_suites_reach_their_targets(suite: str) -> None:
    scorer = load_scorer()
    result, _ = scorer.score_suite(
        lambda text: texts(segment_text(text, language="en")), english_suite(suite)
    )
    minimum_exact, minimum_f1 = TARGETS[suite]
    assert result["exact"] >= minimum_exact
    assert result["f1"] >= minimum_f1
    assert result["altered"] == 0 and result["failed"] == 0
