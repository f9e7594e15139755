"""Sentence segmentation of French and English text.

:func:`segment_text` cuts a text into :class:`~bilingual.document.Segment` objects: one per
sentence, and every line break is also a boundary (headings and list items stand alone).
Paragraphs, blocks separated by blank lines, are numbered from 0. Between and around the
segments there is only whitespace, so the source can be rebuilt from them exactly.

>>> [(s.text, s.paragraph) for s in segment_text("Bonjour M. Martin. Ça va ?\\n\\nOui… merci.")]
[('Bonjour M. Martin.', 0), ('Ça va ?', 0), ('Oui… merci.', 1)]

>>> [s.text for s in segment_text("I live in the U.S. How about you? Mr. Smith left.", language="en")]
['I live in the U.S.', 'How about you?', 'Mr. Smith left.']

Two segmenters are available by name in :data:`SEGMENTERS`: ``"rules"`` (the default, one rule
engine with a lexicon per language, :mod:`~bilingual.segment.lexicon`) and ``"srx"``
(LanguageTool's SRX rules through choppa-srx); ``rules`` may also be the path of an SRX 2.0
file, such as the segmentation rules exported from a CAT tool. ``language`` is a code from
:data:`~bilingual.segment.lexicon.LEXICONS` (``"fr"``, the default, or ``"en"``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from ..document import Segment
from . import rules as _rules
from .layout import build_segments
from .lexicon import LEXICONS, lexicon_for

__all__ = ["LEXICONS", "SEGMENTERS", "segment_text"]


def _segment_with_rules(text: str, language: str = "fr") -> list[Segment]:
    splitter = functools.partial(_rules.split_line, lexicon=lexicon_for(language))
    return build_segments(text, splitter)


def _segment_with_languagetool_srx(text: str, language: str = "fr") -> list[Segment]:
    from .srx import languagetool_rules

    return _segment_with_srx_file(text, languagetool_rules(), language)


def _segment_with_srx_file(text: str, path: str | Path, language: str) -> list[Segment]:
    from .srx import srx_line_splitter

    return build_segments(text, srx_line_splitter(path, language))


SEGMENTERS: dict[str, Callable[[str, str], list[Segment]]] = {
    "rules": _segment_with_rules,
    "srx": _segment_with_languagetool_srx,
}


def segment_text(
    text: str, rules: str | Path | None = None, language: str = "fr"
) -> list[Segment]:
    """Split ``text`` in ``language`` into segments.

    ``rules`` is a name from :data:`SEGMENTERS` (default ``"rules"``) or the path of an SRX 2.0
    file; a missing or invalid SRX file, or an unknown language, raises
    :class:`~bilingual.errors.BilingualError` (:class:`~bilingual.errors.SegmentationError`
    for SRX files).

    >>> [s.text for s in segment_text("« Quoi ? » demanda-t-il. Il partit, etc. Fin.")]
    ['« Quoi ? » demanda-t-il.', 'Il partit, etc.', 'Fin.']
    """
    if rules is None:
        return _segment_with_rules(text, language)
    if isinstance(rules, str) and rules in SEGMENTERS:
        return SEGMENTERS[rules](text, language)
    return _segment_with_srx_file(text, rules, language)
