"""Finding glossary terms: in French through inflection and elision, in English through
plurals and hyphen/space variants.

Both sides work on word tokens rather than one regex per entry: each token gets a *key* (case
and accents folded, inflection stripped) once, and entries live in a trie of keys, so matching
costs one dict walk per token whatever the glossary size, and time grows linearly with the text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from .entry import CaseMode, Entry, EntryKind, TermMatch

#: Words: letters and digits. Anything else separates them.
WORD = re.compile(r"[^\W_]+")
#: What may sit between two words of one term: spaces (at most one line break), or an
#: apostrophe or a hyphen ("d'IA", "open-source" = "open source").
JOINER = re.compile(r"[^\S\n]*\n?[^\S\n]*(?:['’ʼ‐‑-][^\S\n]*)?")

#: Elided French words ("d'", "l'", "qu'", ...) stand for their full form inside a term.
ELISIONS = {
    "d": "de",
    "l": "le",
    "j": "je",
    "m": "me",
    "n": "ne",
    "s": "se",
    "t": "te",
    "c": "ce",
    "qu": "que",
    "jusqu": "jusque",
    "lorsqu": "lorsque",
    "puisqu": "puisque",
}
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ı": "i"})
#: French feminine (after the final -e is gone) → masculine, and -aux → -al.
FEMININE_ENDINGS = (
    ("eus", "eu"),
    ("eur", "eu"),
    ("tric", "teu"),
    ("iv", "if"),
    ("ll", "l"),
    ("nn", "n"),
    ("tt", "t"),
    ("ss", "s"),
)
_FEMININE_SUFFIXES = tuple(feminine for feminine, _ in FEMININE_ENDINGS)
MIN_STEM = 3
MAX_CACHE = 500_000


def fold(word: str) -> str:
    """Case and accents folded.

    >>> fold("Écosystème"), fold("Œuvre")
    ('ecosysteme', 'oeuvre')
    """
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.casefold().translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: The few nouns in -ail whose plural is -aux (the rest take -s); folded, without accents.
_AIL_PLURALS = {
    plural: plural[:-3] + "ail"
    for plural in ("travaux", "coraux", "emaux", "vitraux", "baux", "soupiraux", "vantaux")
}


_ACCENTED_E_ENDINGS = ("é", "ée", "és", "ées")


def french_key(word: str) -> str:
    """The matching key of a French word: number and gender inflection stripped.

    >>> [french_key(w) for w in ("ouvert", "ouverte", "ouverts", "Ouvertes")]
    ['ouvert', 'ouvert', 'ouvert', 'ouvert']
    >>> [french_key(w) for w in ("modèle", "modèles", "distillées", "multimodaux", "d")]
    ['model', 'model', 'distilé', 'multimodal', 'de']
    >>> french_key("travaux") == french_key("travail"), french_key("journaux") == french_key("journal")
    (True, True)
    >>> french_key("données") == french_key("DONNEES") == french_key("donnée"), french_key("donne")
    (True, 'donn')
    """
    key = fold(word)
    if key in ELISIONS:
        return ELISIONS[key]
    if len(key) <= MIN_STEM or not key.isalpha():
        return key
    # A final é (donné, données) stays apart from a mute e (il donne, tu donnes): those verb
    # forms are among the commonest French words and must not match a term in -é or -ée.
    accented_end = unicodedata.normalize("NFC", word).lower().endswith(
        _ACCENTED_E_ENDINGS
    ) or key.endswith(("ee", "ees"))
    if key in _AIL_PLURALS:
        key = _AIL_PLURALS[key]
    elif key.endswith("eaux"):
        key = key[:-1]
    elif key.endswith("aux"):
        key = key[:-3] + "al"
    elif key[-1] in "sx":
        key = key[:-1]
    for _ in range(2):  # -é, -ée
        if key.endswith("e") and len(key) > MIN_STEM:
            key = key[:-1]
    if key.endswith(_FEMININE_SUFFIXES) and len(key) > MIN_STEM + 1:
        for feminine, masculine in FEMININE_ENDINGS:
            if key.endswith(feminine):
                key = key[: -len(feminine)] + masculine
                break
    return key + "é" if accented_end else key


@functools.lru_cache(maxsize=1 << 16)  # the same few thousand words recur across a whole book
def english_key(word: str) -> str:
    """The matching key of an English word: plural -s stripped.

    >>> [english_key(w) for w in ("models", "Chips", "companies", "boxes", "AI", "analysis")]
    ['model', 'chip', 'company', 'box', 'ai', 'analysis']
    """
    key = fold(word)
    if len(key) <= MIN_STEM or not key.isalpha():
        return key
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith(("sses", "ches", "shes", "xes", "zes")):
        return key[:-2]
    if key.endswith("s") and not key.endswith(("ss", "us", "is")):
        return key[:-1]
    return key


class Token(NamedTuple):  # a tuple: built once per word of every translation, so cheap to make
    start: int
    end: int
    text: str
    key: str
    joined: bool  # close enough to the previous token to continue a term


def tokenize(
    text: str, key: Callable[[str], str], cache: dict[str, str] | None = None
) -> list[Token]:
    """Word tokens of ``text`` with their keys and whether each continues the previous one."""
    cache = {} if cache is None else cache
    tokens: list[Token] = []
    previous_end = -1
    for found in WORD.finditer(text):
        word = found.group()
        word_key = cache.get(word)
        if word_key is None:
            word_key = cache[word] = key(word)
        start = found.start()
        joined = previous_end >= 0 and JOINER.fullmatch(text, previous_end, start) is not None
        tokens.append(Token(start, found.end(), word, word_key, joined))
        previous_end = found.end()
    return tokens


def case_allows(mode: CaseMode, term_words: Sequence[str], text_words: Sequence[str]) -> bool:
    """Whether the letter case of ``text_words`` fits the entry's words.

    >>> case_allows(CaseMode.AUTO, ["CES"], ["ces"]), case_allows(CaseMode.AUTO, ["IA"], ["IA"])
    (False, True)
    >>> case_allows(CaseMode.AUTO, ["puce"], ["Puces"]), case_allows(CaseMode.AUTO, ["Cosmos"], ["cosmos"])
    (True, False)

    A multi-word entry written in sentence case is an ordinary term, not a name:

    >>> case_allows(CaseMode.AUTO, ["Modèle", "de", "langage"], ["modèles", "de", "langage"])
    True
    >>> case_allows(CaseMode.AUTO, ["Las", "Vegas"], ["las", "Vegas"])
    False
    """
    if mode is CaseMode.INSENSITIVE:
        return True
    if mode is CaseMode.AUTO and is_sentence_case(term_words):
        term_words, text_words = term_words[1:], text_words[1:]
    for term_word, text_word in zip(term_words, text_words, strict=True):
        if mode is CaseMode.SENSITIVE:
            if any(a.isupper() != b.isupper() for a, b in zip(term_word, text_word)):
                return False
        elif len(term_word) > 1 and term_word.isupper():
            if not text_word.isupper():
                return False
        elif term_word[:1].isupper() and not text_word[:1].isupper():
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Candidate:
    entry: Entry
    words: tuple[str, ...]  # the entry's own spelling, for the case check
    any_case: bool  # lower-case words under the auto rule: no case check needed


def is_sentence_case(words: Sequence[str]) -> bool:
    """Several words, only the first one capitalised: how glossaries often write plain terms.

    >>> is_sentence_case(["Intelligence", "artificielle"]), is_sentence_case(["Hugging", "Face"])
    (True, False)
    """
    first = words[0] if words else ""
    return (
        len(words) > 1
        and first[:1].isupper()
        and not (len(first) > 1 and first.isupper())
        and all(not w[:1].isupper() for w in words[1:])
    )


def _any_case(entry: Entry, words: tuple[str, ...]) -> bool:
    if entry.case is CaseMode.INSENSITIVE:
        return True
    return entry.case is CaseMode.AUTO and (
        is_sentence_case(words) or all(not w[:1].isupper() and not w.isupper() for w in words)
    )


_END = ""  # trie key marking where a term ends: no word has an empty key


class SourceMatcher:
    """A trie of every entry's French keys; :meth:`find` scans a text in one pass."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._root: dict[str, Any] = {}  # word key → child node; _END → candidates
        self._forbidden: dict[tuple[str, ...], list[Entry]] = {}
        self._forbidden_by_entry: dict[Entry, list[Entry]] = {}
        self._cache: dict[str, str] = {}
        for entry in entries:
            for source in entry.sources:
                words = tuple(WORD.findall(source))
                if not words:
                    continue
                keys = tuple(self._key(word) for word in words)
                node = self._root
                for key in keys:
                    node = node.setdefault(key, {})
                node.setdefault(_END, []).append(_Candidate(entry, words, _any_case(entry, words)))
                if entry.kind is EntryKind.FORBIDDEN:
                    self._forbidden.setdefault(keys, []).append(entry)

    def _key(self, word: str) -> str:
        key = self._cache.get(word)
        if key is None:
            if len(self._cache) > MAX_CACHE:
                self._cache.clear()
            key = self._cache[word] = french_key(word)
        return key

    def forbidden_for(self, entry: Entry) -> list[Entry]:
        found = self._forbidden_by_entry.get(entry)
        if found is None:
            found = []
            for source in entry.sources:
                keys = tuple(self._key(word) for word in WORD.findall(source))
                found.extend(e for e in self._forbidden.get(keys, ()) if e not in found)
            self._forbidden_by_entry[entry] = found
        return list(found)

    def find(self, text: str) -> list[TermMatch]:
        # Plain lists rather than Token objects: this loop is the hot path on large texts.
        cache = self._cache
        if len(cache) > MAX_CACHE:
            cache.clear()
        starts: list[int] = []
        ends: list[int] = []
        keys: list[str] = []
        joined: list[bool] = []
        gap_joins: dict[str, bool] = {}
        previous_end = -1
        for found in WORD.finditer(text):
            word = found.group()
            key = cache.get(word)
            if key is None:
                key = cache[word] = french_key(word)
            start = found.start()
            if previous_end < 0:
                joined.append(False)
            else:
                gap = text[previous_end:start]
                joins = gap_joins.get(gap)
                if joins is None:
                    joins = gap_joins[gap] = JOINER.fullmatch(gap) is not None
                joined.append(joins)
            previous_end = found.end()
            starts.append(start)
            ends.append(previous_end)
            keys.append(key)
        matches: list[TermMatch] = []
        root = self._root
        count = len(keys)
        index = 0
        while index < count:
            node = root.get(keys[index])
            if node is None:
                index += 1
                continue
            best: tuple[int, Entry] | None = None
            last = index
            while True:
                candidates = node.get(_END)
                if candidates:
                    entry = _pick(
                        candidates, text, starts[index : last + 1], ends[index : last + 1]
                    )
                    if entry is not None:
                        best = (last, entry)
                last += 1
                if last >= count or not joined[last]:
                    break
                node = node.get(keys[last])
                if node is None:
                    break
            if best is None:
                index += 1
                continue
            end_index, entry = best
            start, end = starts[index], ends[end_index]
            matches.append(TermMatch(entry, start, end, text[start:end]))
            index = end_index + 1
        return matches


def _pick(
    candidates: list[_Candidate], text: str, starts: list[int], ends: list[int]
) -> Entry | None:
    """The entry a span stands for: an approved one before a mere forbidden rendering."""
    fitting: list[Entry] = []
    words: list[str] | None = None
    for candidate in candidates:
        if not candidate.any_case:
            if words is None:
                words = [text[start:end] for start, end in zip(starts, ends)]
            if not case_allows(candidate.entry.case, candidate.words, words):
                continue
        if candidate.entry.kind is not EntryKind.FORBIDDEN:
            return candidate.entry
        fitting.append(candidate.entry)
    return fitting[0] if fitting else None


def find_english(
    text: str, term: str, case: CaseMode = CaseMode.AUTO, tokens: list[Token] | None = None
) -> list[tuple[int, int]]:
    """Spans of ``term`` in English ``text``, through plural -s and hyphen/space variants.

    >>> text = "Open weight models and an open-weight model."
    >>> [text[s:e] for s, e in find_english(text, "open-weight model")]
    ['Open weight models', 'open-weight model']
    """
    words = WORD.findall(term)
    if not words:
        return []
    keys = [english_key(word) for word in words]
    tokens = tokenize(text, english_key) if tokens is None else tokens
    spans: list[tuple[int, int]] = []
    size = len(keys)
    first = keys[0]
    for index in range(len(tokens) - size + 1):
        if tokens[index].key != first:  # the common case: skip without slicing a window
            continue
        window = tokens[index : index + size]
        if any(t.key != k for t, k in zip(window, keys)):
            continue
        if any(not t.joined for t in window[1:]):
            continue
        if case_allows(case, words, [t.text for t in window]):
            spans.append((window[0].start, window[-1].end))
    return spans
