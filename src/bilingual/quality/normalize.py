"""What an engine should see of a French text: one canonical spelling of every character.

The same French sentence may arrive decomposed (NFD: ``e`` + combining acute, as macOS file
names and some PDFs give it), with compatibility characters (the ``ﬁ`` ligature, full-width
letters) or with invisible characters (soft hyphens, zero-width spaces, a BOM). Engines know
only the composed, plain spelling: Apertium turned NFD "thèses" into "thèsees". The build
therefore sends the engine :func:`engine_text` of each segment, while the source text kept in
every output stays exactly as the user wrote it.
"""

from __future__ import annotations

import re
import unicodedata

#: Invisible characters that only hint at line breaking or joining: removed.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
#: Compatibility decompositions worth applying: ligatures and width variants. Others carry
#: meaning the engine should keep: no-break spaces (French typography), superscripts (m²),
#: fractions, circled numbers.
_REPLACED_TAGS = ("<compat>", "<wide>", "<narrow>", "<font>")
_KEPT = frozenset("…")  # <compat> "...", which the engines handle as one character


def _compatibility_map(text: str) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for char in set(text):
        if char.isascii() or char in _KEPT:
            continue
        decomposition = unicodedata.decomposition(char)
        if decomposition.startswith(_REPLACED_TAGS):
            mapping[ord(char)] = unicodedata.normalize("NFKC", char)
    return mapping


def engine_text(text: str) -> str:
    """``text`` as an engine should receive it: composed, plain letters, no invisible marks.

    >>> engine_text("The\u0300se")  # NFD
    'Thèse'
    >>> engine_text("ef\ufb01cace, in\u00adter\u00adna\u00adtio\u00adnal, \uff21BC")
    'efficace, international, ABC'
    >>> engine_text("10\u202f000\u00a0m² … ½")  # French spaces, superscripts and fractions stay
    '10\u202f000\u00a0m² … ½'
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    mapping = _compatibility_map(text)
    return unicodedata.normalize("NFC", text.translate(mapping)) if mapping else text
