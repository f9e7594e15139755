"""Features of a sentence that survive translation, compared as sets.

Each sentence becomes a set of features; two spans are similar when their sets overlap. French
and English share, untranslated: numbers, URLs and e-mail addresses, names, the marks
``? ! : ( " …``, cognates (the first letters of long words: "important", "nation",
"Descartes"), and glossary terms (a French term stands for its English target). The machine
translation of the French side, when the caller has one, adds its words
(:mod:`~bilingual.align.similarity`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..glossary.match import fold
from ..glossary.termbase import Glossary
from .language import FUNCTION_WORDS

#: Letters kept of a word to compare it with its cognate: "nation"/"nation",
#: "gouvernement"/"government", "philosophie"/"philosophy".
COGNATE_PREFIX = 5
_TOKEN = re.compile(
    r"(?P<url>(?:\w+://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+)"
    r"|(?P<number>\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<mark>[?!:;()\"«»“”…])"
)
# Marks that French and English write alike; quotes of both styles count as one.
_MARK_FEATURES = {"?": "?", "!": "!", ":": ":", "(": "(", ")": "(", "…": "…"}
_QUOTES = frozenset('"«»“”')


def anchor_features(text: str) -> set[str]:
    """The anchors of one sentence, in either language.

    >>> sorted(anchor_features("En 1 870, Verne écrit à www.hetzel.fr : « Nautilus » ?"))
    ['"', '#1870', '#nautilus', '#verne', ':', '?', '@www.hetzel.fr', '~ecrit', '~nauti', '~verne']
    """
    features: set[str] = set()
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind == "url":
            features.add("@" + token.rstrip(".,;:").lower())
        elif kind == "number":
            features.add("#" + number_key(token))
        elif kind == "mark":
            features.add('"' if token in _QUOTES else _MARK_FEATURES.get(token, token))
        elif len(token) >= COGNATE_PREFIX and token.lower() not in FUNCTION_WORDS:
            features.add("~" + fold(token)[:COGNATE_PREFIX])
            if token[0].isupper() and match.start() > 0:
                features.add("#" + fold(token))  # a name: capitalised inside the sentence
    return features


def number_key(token: str) -> str:
    """A number as both languages write it: "2,5" = "2.5", "100 000" = "100,000".

    >>> [number_key(n) for n in ("2,5", "2.5", "100 000", "100,000", "1870", "3.14159")]
    ['2.5', '2.5', '100000', '100000', '1870', '3.14159']
    """
    parts = re.split(r"[.,\u00a0\u202f ]", token)
    if len(parts) > 1 and len(parts[-1]) != 3:
        return "".join(parts[:-1]) + "." + parts[-1]
    return "".join(parts)


def glossary_features(glossary: Glossary, texts: Sequence[str]) -> list[set[str]]:
    """For each French text, the features of the English targets of its glossary terms."""
    found: list[set[str]] = []
    for text in texts:
        features: set[str] = set()
        for match in glossary.match_source(text):
            features.update(
                "~" + fold(word)[:COGNATE_PREFIX] for word in match.entry.target.split()
            )
        found.append(features)
    return found
