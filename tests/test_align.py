"""Sentence alignment: link kinds, coverage, omissions, confidence, and bad input."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.align import Alignment, Link, align_segments
from bilingual.align.similarity import SimilarityModel
from bilingual.document import Segment
from bilingual.engines.apertium import ApertiumEngine
from bilingual.errors import AlignmentError
from bilingual.glossary import Entry, Glossary

# A short story and its translation, one sentence for one sentence.
PAIRS = [
    (
        "Le 12 mars 1871, le capitaine Hatteras quitta Liverpool à bord du Forward.",
        "On 12 March 1871, Captain Hatteras left Liverpool aboard the Forward.",
    ),
    (
        "L'équipage comptait dix-huit hommes, tous marins expérimentés.",
        "The crew numbered eighteen men, all experienced sailors.",
    ),
    ("Personne ne savait où le navire se dirigeait.", "Nobody knew where the ship was heading."),
    (
        "Le docteur Clawbonny tenait un journal de chaque journée.",
        "Doctor Clawbonny kept a journal of every day.",
    ),
    (
        "« Pourquoi tant de mystère ? » demanda-t-il un soir au second.",
        '"Why so much mystery?" he asked the mate one evening.',
    ),
    ("Le second haussa les épaules sans répondre.", "The mate shrugged without answering."),
    (
        "Après trois semaines de navigation, la glace apparut à l'horizon.",
        "After three weeks at sea, the ice appeared on the horizon.",
    ),
    (
        "Les températures tombèrent à moins 30 degrés pendant la nuit.",
        "Temperatures fell to minus 30 degrees during the night.",
    ),
    (
        "Le charbon commençait à manquer, et les hommes murmuraient.",
        "Coal was running short, and the men were grumbling.",
    ),
    (
        "Un matin, un chien noir parut sur le pont.",
        "One morning, a black dog appeared on the deck.",
    ),
    (
        "Il portait un collier marqué des lettres K. Z.",
        "It wore a collar marked with the letters K. Z.",
    ),
    (
        "Le docteur reconnut alors la signature du mystérieux capitaine.",
        "The doctor then recognised the signature of the mysterious captain.",
    ),
    (
        "Le Forward atteignit enfin la baie de Baffin le 2 mai.",
        "The Forward finally reached Baffin Bay on 2 May.",
    ),
    (
        "Hatteras se montra enfin à son équipage stupéfait.",
        "Hatteras at last showed himself to his astonished crew.",
    ),
]
UNRELATED_ENGLISH = [
    "Preheat the oven to a moderate heat before you begin.",
    "Mix the flour with the butter until it looks like breadcrumbs.",
    "Add a pinch of salt and two spoons of sugar.",
    "Pour in the milk slowly while stirring all the time.",
    "Grease a baking tin and line it with paper.",
    "Spread the batter evenly and smooth the top.",
    "Bake for forty minutes, or until golden brown.",
    "Leave it to cool on a rack before cutting.",
    "Serve with fresh cream or a spoonful of jam.",
    "It keeps for three days in an airtight box.",
    "Children love it for breakfast on Sundays.",
    "You can add raisins or chopped nuts if you like.",
    "Some cooks prefer brown sugar for a richer taste.",
    "Never open the oven door during the first minutes.",
]


def segments(sentences: list[str], paragraph_every: int = 4) -> list[Segment]:
    """Segments with offsets into the sentences joined by spaces, a paragraph every few."""
    found, position = [], 0
    for index, sentence in enumerate(sentences):
        found.append(
            Segment(position, position + len(sentence), sentence, index // paragraph_every)
        )
        position += len(sentence) + 1
    return found


def french() -> list[Segment]:
    return segments([fr for fr, _ in PAIRS])


def english(sentences: list[str] | None = None, paragraph_every: int = 4) -> list[Segment]:
    return segments(sentences or [en for _, en in PAIRS], paragraph_every)


def assert_well_formed(alignment: Alignment, french_count: int, english_count: int) -> None:
    """Every sentence of both sides exactly once, in order, links never crossing."""
    french_seen: list[int] = []
    english_seen: list[int] = []
    for link in alignment.links:
        assert link.french or link.english
        assert len(link.french) <= 3 and len(link.english) <= 3
        assert 0.0 <= link.confidence <= 1.0
        french_seen += link.french
        english_seen += link.english
    assert french_seen == list(range(french_count))
    assert english_seen == list(range(english_count))


def pairs_of(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(link.french, link.english) for link in alignment.links]


def test_a_faithful_translation_aligns_one_to_one_with_high_confidence() -> None:
    alignment = align_segments(french(), english())
    assert_well_formed(alignment, len(PAIRS), len(PAIRS))
    assert pairs_of(alignment) == [((k,), (k,)) for k in range(len(PAIRS))]
    assert alignment.kinds() == {"1-1": len(PAIRS)}
    assert alignment.low_confidence_share < 0.2
    assert not alignment.warnings


def test_merged_and_split_sentences_give_2_1_and_1_2_links() -> None:
    sentences = [en for _, en in PAIRS]
    # The translator merged sentences 2 and 3, and split sentence 8 in two.
    sentences[2:4] = [
        "Nobody knew where the ship was heading; doctor Clawbonny kept a journal of every day."
    ]
    sentences[7:8] = ["Coal was running short.", "And the men were grumbling."]
    alignment = align_segments(french(), english(sentences, paragraph_every=100))
    assert_well_formed(alignment, len(PAIRS), len(sentences))
    assert ((2, 3), (2,)) in pairs_of(alignment)
    assert ((8,), (7, 8)) in pairs_of(alignment)
    assert alignment.kinds()["2-1"] == 1 and alignment.kinds()["1-2"] == 1


def test_a_dropped_sentence_is_an_omission_and_is_flagged() -> None:
    sentences = [en for _, en in PAIRS]
    del sentences[6]  # "After three weeks at sea..." was left out
    alignment = align_segments(french(), english(sentences))
    assert_well_formed(alignment, len(PAIRS), len(sentences))
    assert [link.french for link in alignment.omissions()] == [(6,)]
    assert Link((6,), (), 0.0).kind == "1-0"
    assert ((7,), (6,)) in pairs_of(alignment)


def test_an_added_english_sentence_is_an_omission_on_the_french_side() -> None:
    sentences = [en for _, en in PAIRS]
    sentences.insert(10, "Its eyes were yellow and it barked at every sailor who came near.")
    alignment = align_segments(french(), english(sentences))
    assert_well_formed(alignment, len(PAIRS), len(sentences))
    assert [link.english for link in alignment.omissions()] == [(10,)]


def test_paragraph_breaks_are_hints_not_assumptions() -> None:
    # The English puts every sentence in its own paragraph: the alignment does not change.
    alignment = align_segments(french(), english(paragraph_every=1))
    assert pairs_of(alignment) == [((k,), (k,)) for k in range(len(PAIRS))]


def test_texts_that_are_not_translations_get_a_low_confidence_warning() -> None:
    alignment = align_segments(french(), english(UNRELATED_ENGLISH))
    assert_well_formed(alignment, len(PAIRS), len(UNRELATED_ENGLISH))
    assert alignment.low_confidence_share > 0.5
    assert alignment.warnings
    assert (
        f"{alignment.low_confidence_share:.0%} of the links have low confidence"
        in (alignment.warnings[0])
    )


def test_machine_translations_add_evidence() -> None:
    # What an engine would return for the French side (given here, to test the aligner alone).
    translations = [en.replace("Captain", "the captain") for _, en in PAIRS]
    without = align_segments(french(), english())
    with_mt = align_segments(french(), english(), translations)
    assert pairs_of(with_mt) == pairs_of(without)
    assert sum(link.similarity for link in with_mt.links) > sum(
        link.similarity for link in without.links
    )


@pytest.mark.skipif(not ApertiumEngine.is_available(), reason="Apertium is not installed")
def test_apertium_translations_align_the_story() -> None:
    translations = ApertiumEngine().translate([fr for fr, _ in PAIRS])
    alignment = align_segments(french(), english(), translations)
    assert pairs_of(alignment) == [((k,), (k,)) for k in range(len(PAIRS))]
    assert alignment.low_confidence_share < 0.2


def test_glossary_terms_anchor_their_translation() -> None:
    glossary = Glossary.from_entries([Entry("banquise", "pack ice")])
    texts_fr, texts_en = ["La banquise craqua."], ["The pack ice cracked."]
    assert SimilarityModel(texts_fr, texts_en).overlap(0, 0) == 0
    assert SimilarityModel(texts_fr, texts_en, glossary=glossary).overlap(0, 0) >= 1


@pytest.mark.parametrize(
    ("french_side", "english_side", "message"),
    [
        ([], None, "French text has no sentence"),
        (None, [], "English text has no sentence"),
        (None, [Segment(0, 10, "Ten words.", 0)], "too different in length"),
    ],
    ids=["empty-french", "empty-english", "wildly-different-lengths"],
)
def test_bad_input_raises_a_clear_error(
    french_side: list[Segment] | None, english_side: list[Segment] | None, message: str
) -> None:
    with pytest.raises(AlignmentError, match=message):
        align_segments(
            french() if french_side is None else french_side,
            english() if english_side is None else english_side,
        )


def test_english_given_as_french_is_detected() -> None:
    with pytest.raises(AlignmentError, match="French text looks English"):
        align_segments(english(), english())
    with pytest.raises(AlignmentError, match="English text looks French"):
        align_segments(french(), french())
    with pytest.raises(AlignmentError, match="swapped"):
        align_segments(english(), french())


def test_a_wrong_number_of_machine_translations_is_refused() -> None:
    with pytest.raises(AlignmentError, match="13 machine translations for 14 French segments"):
        align_segments(french(), english(), ["x"] * 13)


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(1, 40), st.integers(0, 3))
def test_any_edit_of_the_english_keeps_the_alignment_well_formed(
    rng: random.Random, size: int, paragraph_every: int
) -> None:
    """Shuffled, dropped and repeated sentences: links still cover both sides in order."""
    chosen = [PAIRS[rng.randrange(len(PAIRS))] for _ in range(size)]
    english_sentences = [en for _, en in chosen if rng.random() > 0.2] or [chosen[0][1]]
    rng.shuffle(english_sentences)
    french_side = segments([fr for fr, _ in chosen])
    english_side = english(english_sentences, paragraph_every or 100)
    try:
        alignment = align_segments(french_side, english_side)
    except AlignmentError as error:
        assert "too different in length" in str(error)
        return
    assert_well_formed(alignment, len(french_side), len(english_side))


def test_a_long_text_aligns_in_a_band_not_the_whole_matrix() -> None:
    ports = [("Brest", "Brest"), ("Lisbonne", "Lisbon"), ("Londres", "London"), ("Gênes", "Genoa")]
    french_sentences, english_sentences = [], []
    for k in range(3000):
        port_fr, port_en = ports[k % len(ports)]
        french_sentences.append(f"Le navire {k} quitta {port_fr} avec {k % 97 + 3} marins à bord.")
        english_sentences.append(f"Ship {k} left {port_en} with {k % 97 + 3} sailors aboard.")
        if k % 50 == 7:  # every fiftieth English sentence comes in two
            english_sentences[-1:] = [f"Ship {k} left {port_en}.", "It carried sailors."]
    alignment = align_segments(segments(french_sentences), english(english_sentences))
    assert_well_formed(alignment, 3000, len(english_sentences))
    assert alignment.kinds() == {"1-1": 2940, "1-2": 60}
