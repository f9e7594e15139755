"""Sentence alignment of a French text with its human English translation.

:func:`align_segments` takes the segments of both sides (with their paragraph numbers) and
returns an :class:`Alignment`: links of 0–3 French to 0–3 English sentences, in order, never
crossing, covering every sentence once, each with a confidence
(:mod:`~bilingual.align.confidence`). The evidence combined:

- sentence lengths (Gale–Church, :mod:`~bilingual.align.lengths`);
- anchors that survive translation: numbers, names, URLs, punctuation, cognates and glossary
  terms (:mod:`~bilingual.align.anchors`);
- when the caller gives one, the similarity of our machine translation of each French segment
  with the English, as Bleualign does (:mod:`~bilingual.align.similarity`);
- paragraph breaks on both sides, as hints the English may break (:mod:`~bilingual.align.dp`,
  which runs in a band around the rough path of :mod:`~bilingual.align.guide`).

>>> from bilingual.segment import segment_text
>>> french = segment_text("Il avait 20 ans. Il partit pour Paris en 1870 ; il pleuvait.")
>>> english = segment_text("He was 20. He left for Paris in 1870. It was raining.", language="en")
>>> [(link.french, link.english, link.kind) for link in align_segments(french, english).links]
[((0,), (0,), '1-1'), ((1,), (1, 2), '1-2')]
"""

from __future__ import annotations

from collections.abc import Sequence

from ..document import Segment
from ..errors import AlignmentError
from ..glossary.termbase import Glossary
from .confidence import LinkScorer, chance_similarity
from .dp import Side, Weights, best_path
from .language import guess_language
from .result import Alignment, Link
from .similarity import SimilarityModel

__all__ = ["Alignment", "Link", "Weights", "align_segments"]

DEFAULT_WEIGHTS = Weights()
#: Beyond this ratio of characters the two texts cannot be one text and its translation.
MAX_LENGTH_RATIO = 3.0
#: Warn when more than this share of the links has low confidence (a translation measures
#: 1–15 % on the benchmark's texts, unrelated texts over 90 %).
WARNING_SHARE = 0.4


def align_segments(
    french: Sequence[Segment],
    english: Sequence[Segment],
    translations: Sequence[str] | None = None,
    glossary: Glossary | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Alignment:
    """Align French segments with English segments.

    ``translations`` are machine translations of the French segments (one per segment, e.g.
    from ``bilingual.engines.get_engine("apertium").translate``); ``glossary`` lets its terms
    anchor the alignment. Raises :class:`~bilingual.errors.AlignmentError` when a side is
    empty, when the lengths are too far apart to be a text and its translation, or when a
    side is not in its language.
    """
    _check(french, english, translations)
    model = SimilarityModel(
        [s.text for s in french], [s.text for s in english], translations, glossary
    )
    french_side = Side([len(s.text) for s in french], [s.paragraph for s in french])
    english_side = Side([len(s.text) for s in english], [s.paragraph for s in english])
    path = best_path(french_side, english_side, model, weights)
    scorer = LinkScorer(model, french_side, english_side, chance_similarity(model))
    alignment = Alignment(scorer.links(path))
    share = alignment.low_confidence_share
    if share > WARNING_SHARE:
        alignment.warnings.append(
            f"{share:.0%} of the links have low confidence: are these texts translations "
            "of each other?"
        )
    return alignment


def _check(
    french: Sequence[Segment], english: Sequence[Segment], translations: Sequence[str] | None
) -> None:
    if not french:
        raise AlignmentError("the French text has no sentence: give a non-empty French text")
    if not english:
        raise AlignmentError("the English text has no sentence: give a non-empty English text")
    if translations is not None and len(translations) != len(french):
        raise AlignmentError(
            f"{len(translations)} machine translations for {len(french)} French segments: "
            "translate every French segment once"
        )
    french_language = guess_language(s.text for s in french)
    english_language = guess_language(s.text for s in english)
    if french_language == "en" and english_language == "fr":
        raise AlignmentError("the texts look swapped: give the French text first, then the English")
    if french_language == "en":
        raise AlignmentError("the French text looks English: give the French original first")
    if english_language == "fr":
        raise AlignmentError("the English text looks French: give its English translation second")
    french_chars = sum(len(s.text) for s in french)
    english_chars = sum(len(s.text) for s in english)
    ratio = english_chars / french_chars
    if not 1 / MAX_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO:
        raise AlignmentError(
            f"the English text ({english_chars:,} characters, {_sentences(english)}) and "
            f"the French text ({french_chars:,} characters, {_sentences(french)}) are too "
            "different in length to be a text and its translation: check that both files hold "
            "the same whole text"
        )


def _sentences(segments: Sequence[Segment]) -> str:
    """
    >>> _sentences([Segment(0, 3, "Oui", 0)])
    '1 sentence'
    """
    return f"{len(segments):,} sentence{'' if len(segments) == 1 else 's'}"
