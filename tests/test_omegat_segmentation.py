"""OmegaT 3.6's segmentation, ported to Python, and the project rules that make it ours.

The port must agree with OmegaT's own Segmenter class (run through Java when a JDK is here),
and with the project's exceptions OmegaT must split every paragraph as segment_text does.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from omegat_helpers import java_runs_source_files, needs_omegat, segment_with_omegat

from bilingual.exchange.omegat_segmentation import (
    ExactRule,
    OmegatSegmenter,
    omegat_paragraphs,
    project_segmentation,
    read_segmentation_conf,
    write_segmentation_conf,
)
from bilingual.segment.srx_rules import SrxRule

CASES = Path(__file__).parent / "cases" / "segment"
SUITES = Path(__file__).parents[2] / "shared" / "eval" / "seg"
SEEDS = Path(__file__).parents[1] / "seeds"

# Pieces whose combinations the general rules get wrong: where a sentence starts decides
# whether "2." or "a." is an enumerator, and only the rule engine knows that.
PIECES = [
    "M. Dupont arrive.",
    "Il a lu le t. II.",
    "Voir p. 45.",
    "1. Ouvrir.",
    "2.",
    "3.",
    "II.",
    "etc.",
    "av. J.-C.",
    "J.-P. Sartre",
    "(voir chap. 3.)",
    "« Quoi ? »",
    "dit-il.",
    "Fin…",
    "à…",
    "Le",
    "la",
    "Il",
    "- Item.",
    "www.site.fr.",
    "jean@x.fr.",
    "Mme",
    "vol. 2.",
    "S.",
    "Yahoo!",
    "[réf. 4.]",
    "?",
    "!",
    "…",
    "(",
    ")",
    "»",
    "«",
    "a.",
    "b)",
    "No.",
    "p. ex.",
]


def tricky_texts(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    return [
        "\n".join(
            " ".join(chooser.choice(PIECES) for _ in range(chooser.randint(2, 7)))
            for _ in range(20)
        )
        for _ in range(count)
    ]


def test_the_first_rule_matching_a_position_decides() -> None:
    rules = [SrxRule(False, r"M\.", " "), SrxRule(True, r"\.", " ")]
    assert OmegatSegmenter(rules).segments("M. Dupont. Fin.") == ["M. Dupont.", "Fin."]


def test_after_break_matches_are_found_one_after_the_other_as_java_does() -> None:
    # "aa" is found at 0-2 and then nothing from 2 on: a break at 1 is never seen, although
    # "a" ends there and "aa" starts there ("aaa"[1:]).
    assert OmegatSegmenter([SrxRule(True, "a", "aa")]).breaks("aaa") == []
    assert OmegatSegmenter([SrxRule(True, "a", "(?=aa)")]).breaks("aaa") == [1]


def test_segments_are_trimmed_of_spaces_but_not_of_no_break_spaces() -> None:
    segmenter = OmegatSegmenter([SrxRule(True, r"\.", "[ \u00a0]")])
    assert segmenter.segments("Un.  Deux.\u00a0Trois.") == ["Un.", "Deux.", "\u00a0Trois."]


def test_exact_rules_match_their_context_only() -> None:
    rule = ExactRule(True, "p. 45.", " Il", at_end=True)
    assert list(rule.positions("Voir p. 45. Il")) == [11]
    assert list(rule.positions("Voir p. 45. Il y a")) == []
    srx = OmegatSegmenter([rule.srx()])
    assert srx.breaks("Voir p. 45. Il") == [11]
    assert srx.breaks("Voir p. 45. Il y a") == []


def test_paragraphs_are_lines_as_omegat_cleans_them() -> None:
    paragraphs = omegat_paragraphs("\u00a0Un. Deux.\n \n\tCafe\u0301 noir.\x01 \n")
    assert [p.text for p in paragraphs] == ["Un. Deux.", "Café noir. "]
    assert [p.expected for p in paragraphs] == [("Un.", "Deux."), ("Café noir.",)]
    assert paragraphs[0].breaks == {3}


def test_exceptions_make_the_rules_exact_on_the_projects_texts() -> None:
    texts = tricky_texts(10, seed=1)
    plan = project_segmentation(texts)

    assert plan.exceptions > 0
    assert plan.unmatched == ()
    segmenter = OmegatSegmenter(plan.rules)
    for text in texts:
        for paragraph in omegat_paragraphs(text):
            assert segmenter.segments(paragraph.text) == list(paragraph.expected)


def test_a_no_break_space_between_sentences_is_reported() -> None:
    plan = project_segmentation(["Bonjour.\u00a0Au revoir."])
    assert plan.unmatched == ("\u00a0Au revoir.",)


PIECE_OR_ANYTHING = st.one_of(
    st.sampled_from([*PIECES, " ", "  ", "\n", "\u2028", "\u00a0", ". ", "e\u0301"]),
    st.text(max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(PIECE_OR_ANYTHING, max_size=12).map(" ".join), min_size=1, max_size=3))
def test_exceptions_are_exact_on_any_text(texts: list[str]) -> None:
    plan = project_segmentation(texts)
    segmenter = OmegatSegmenter(plan.rules)
    for text in texts:
        for paragraph in omegat_paragraphs(text):
            if paragraph.breaks is not None:
                assert sorted(segmenter.breaks(paragraph.text)) == sorted(paragraph.breaks)


def test_segmentation_conf_reads_back_what_was_written(tmp_path: Path) -> None:
    plan = project_segmentation(tricky_texts(2, seed=3))
    conf = tmp_path / "segmentation.conf"
    write_segmentation_conf(plan.rules, conf)
    assert read_segmentation_conf(conf) == (("FR.*", plan.rules),)


def corpus() -> list[str]:
    texts = [
        case["text"]
        for path in sorted(CASES.glob("*.json"))
        for case in json.loads(path.read_text("utf-8"))
    ]
    texts += [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    if SUITES.is_dir():  # a quarter of the public suites' cases: Java is slow to start on them
        texts += [
            case["text"]
            for path in sorted(SUITES.glob("*.json"))
            for case in json.loads(path.read_text("utf-8"))[::4]
        ]
    return texts + tricky_texts(20, seed=2)


@pytest.fixture
def omegat_segmenter() -> None:
    if not java_runs_source_files():
        pytest.skip("no JDK here to run OmegaT's Segmenter class")


@needs_omegat
@pytest.mark.usefixtures("omegat_segmenter")
def test_omegat_segments_as_the_port_and_as_we_do(tmp_path: Path) -> None:
    texts = corpus()
    plan = project_segmentation(texts)
    assert plan.exceptions > 0  # the tricky texts need some
    conf = tmp_path / "segmentation.conf"
    write_segmentation_conf(plan.rules, conf)
    paragraphs = [paragraph for text in texts for paragraph in omegat_paragraphs(text)]

    theirs = segment_with_omegat(conf, [paragraph.text for paragraph in paragraphs], tmp_path)

    assert [OmegatSegmenter(plan.rules).segments(p.text) for p in paragraphs] == theirs
    for paragraph, found in zip(paragraphs, theirs, strict=True):
        if list(paragraph.expected) != found:
            # only where no rule can help: a no-break space between two sentences
            assert any(segment in plan.unmatched for segment in found), found
