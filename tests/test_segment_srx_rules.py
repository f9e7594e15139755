"""The SRX rules exported for CAT tools split French as the rule engine does.

The rules run here through the port of OmegaT's segmenter (tests/test_omegat_segmentation.py
holds that port against OmegaT itself). On the hard cases and the public suites they must
break exactly where :func:`segment_text` does, apart from what no SRX rule can express.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from bilingual.exchange.omegat_segmentation import (
    OmegatSegmenter,
    line_break_rule,
    omegat_paragraphs,
)
from bilingual.segment.srx_rules import NON_SPACE, SPACE, french_rules, java_class, java_literal

CASES = Path(__file__).parent / "cases" / "segment"
SUITES = Path(__file__).parents[2] / "shared" / "eval" / "seg"


def disagreements(texts: list[str]) -> tuple[int, list[tuple[str, list[int], list[int]]]]:
    """How many of our breaks there are, and the paragraphs where the rules break elsewhere."""
    segmenter = OmegatSegmenter((line_break_rule(), *french_rules()))
    total = 0
    differ = []
    for text in texts:
        for paragraph in omegat_paragraphs(text):
            assert paragraph.breaks is not None
            total += len(paragraph.breaks)
            found = segmenter.breaks(paragraph.text)
            if set(found) != paragraph.breaks:
                differ.append((paragraph.text, sorted(paragraph.breaks), found))
    return total, differ


def test_space_classes_are_pythons_whitespace() -> None:
    every_char = "".join(map(chr, range(0x110000)))
    spaces = "".join(char for char in every_char if char.isspace())
    assert "".join(regex.findall(SPACE, every_char)) == spaces
    assert len(regex.findall(NON_SPACE, every_char)) == len(every_char) - len(spaces)


def test_literals_and_classes_match_only_their_text() -> None:
    text = "« M. Dupont », 3,5\u00a0% [x] a-b ^$ \\ 😀\x01"
    assert regex.fullmatch(java_literal(text), text)
    assert not regex.fullmatch(java_literal(text), text.replace("\u00a0", " "))
    assert all(regex.fullmatch(java_class(text), char) for char in text)
    assert not regex.fullmatch(java_class(text), "Z")


@pytest.mark.parametrize(("suites", "least"), [(CASES, 90), (SUITES, 2800)], ids=["ours", "public"])
def test_rules_break_as_the_engine_on_the_segmentation_suites(suites: Path, least: int) -> None:
    if not suites.is_dir():
        pytest.skip(f"no {suites}")
    texts = [
        case["text"]
        for path in sorted(suites.glob("*.json"))
        if "_en_" not in path.name  # French rules: the English suites are the English engine's
        for case in json.loads(path.read_text("utf-8"))
    ]
    total, differ = disagreements(texts)
    assert total > least
    assert differ == []


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("M. Dupont arrive. Il pleut.", ["M. Dupont arrive.", "Il pleut."]),
        ("Né en 43 av. J.-C. César régnait.", ["Né en 43 av. J.-C.", "César régnait."]),
        ("« Quoi ? » dit-il. « Non. » Fin.", ["« Quoi ? » dit-il.", "« Non. »", "Fin."]),
        (
            "Il hésita... Puis il entra. Je pensais à... Marie.",
            ["Il hésita...", "Puis il entra.", "Je pensais à... Marie."],
        ),
        (
            "Voir p. 12. Ensuite, J. Le Goff. Lu par J. Il part.",
            ["Voir p. 12.", "Ensuite, J. Le Goff.", "Lu par J.", "Il part."],
        ),
        (
            "Écrire à a.b@c.fr. Merci (voir chap. 2. Il y a tout.) enfin.",
            ["Écrire à a.b@c.fr.", "Merci (voir chap. 2. Il y a tout.) enfin."],
        ),
        ("Fin.\u2028Suite, etc. Yahoo! News.", ["Fin.", "Suite, etc.", "Yahoo! News."]),
    ],
)
def test_rules_on_examples(text: str, segments: list[str]) -> None:
    (paragraph,) = omegat_paragraphs(text)
    assert list(paragraph.expected) == segments  # what the engine says
    assert OmegatSegmenter((line_break_rule(), *french_rules())).segments(text) == segments


def test_rules_follow_the_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    """The word lists are read when the rules are made, not copied into them."""
    from bilingual.segment import srx_rules

    text = "Voir le zorg. Dupont."
    rules = (line_break_rule(), *french_rules())
    assert OmegatSegmenter(rules).segments(text) == ["Voir le zorg.", "Dupont."]
    monkeypatch.setattr(srx_rules, "TITLES", srx_rules.TITLES | {"zorg"})
    srx_rules._french_rules.cache_clear()
    try:
        assert OmegatSegmenter((line_break_rule(), *french_rules())).segments(text) == [text]
    finally:
        srx_rules._french_rules.cache_clear()
