"""Sentence segmentation of French text.

:func:`segment_text` cuts a text into :class:`~bilingual.document.Segment` objects: one per
sentence, and every line break is also a boundary (headings and list items stand alone).
Paragraphs, blocks separated by blank lines, are numbered from 0. Between and around the
segments there is only whitespace, so the source can be rebuilt from them exactly.

>>> [(s.text, s.paragraph) for s in segment_text("Bonjour M. Martin. Ça va ?\\n\\nOui… merci.")]
[('Bonjour M. Martin.', 0), ('Ça va ?', 0), ('Oui… merci.', 1)]

Two segmenters are available by name in :data:`SEGMENTERS`: ``"rules"`` (the default, a French
rule engine) and ``"srx"`` (LanguageTool's SRX rules through choppa-srx); ``rules`` may also be
the path of an SRX 2.0 file, such as the segmentation rules exported from a CAT tool.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..document import Segment
from . import rules as _rules
from .layout import build_segments

__all__ = ["SEGMENTERS", "segment_text"]


def _segment_with_rules(text: str) -> list[Segment]:
    return build_segments(text, _rules.split_line)


def _segment_with_languagetool_srx(text: str) -> list[Segment]:
    from .srx import languagetool_rules

    return _segment_with_srx_file(text, languagetool_rules())


def _segment_with_srx_file(text: str, path: str | Path) -> list[Segment]:
    from .srx import srx_line_splitter

    return build_segments(text, srx_line_splitter(path))


SEGMENTERS: dict[str, Callable[[str], list[Segment]]] = {
    "rules": _segment_with_rules,
    "srx": _segment_with_languagetool_srx,
}


def segment_text(text: str, rules: str | Path | None = None) -> list[Segment]:
    """Split ``text`` into segments.

    ``rules`` is a name from :data:`SEGMENTERS` (default ``"rules"``) or the path of an SRX 2.0
    file; a missing or invalid SRX file raises :class:`~bilingual.errors.SegmentationError`.

    >>> [s.text for s in segment_text("« Quoi ? » demanda-t-il. Il partit, etc. Fin.")]
    ['« Quoi ? » demanda-t-il.', 'Il partit, etc.', 'Fin.']
    """
    if rules is None:
        return _segment_with_rules(text)
    if isinstance(rules, str) and rules in SEGMENTERS:
        return SEGMENTERS[rules](text)
    return _segment_with_srx_file(text, rules)
