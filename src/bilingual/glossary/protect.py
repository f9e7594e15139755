"""Keeping glossary terms intact through machine translation.

Each engine declares the strategy measured to work with it (``Engine.term_protection``):

* ``"placeholders"`` (Apertium): each term becomes a placeholder token such as ``Zx3q``.
  Apertium passes unknown words through unchanged and in place (measured on the seeds through
  the fr→es→en pivot, elided forms included: ``d'Zx3q`` → ``of Zx3q``); :meth:`Protected.restore`
  then puts the approved English term, inflected like the source, where the placeholder came back.
* ``"inline"`` (Argos): the approved English term is written into the French text in place of the
  source term. Neural models copy such foreign words, and if one does not, nothing is lost: the
  source words are gone but the check reports the term missing. Do-not-translate names are left
  as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..engines.base import TermProtection
from .entry import Entry, EntryKind, TermMatch
from .match import WORD, french_key

#: Placeholders as they come back, tolerating a change of case or a space the engine inserted.
_PLACEHOLDER_BACK = re.compile(r"\b[Zz]\s?[Xx]\s?(\d+)\s?[Qq]\b")
_PLACEHOLDER_TEXT = re.compile(r"[Zz][Xx]\d+[Qq]")
ADJECTIVE_SUFFIXES = ("ed", "al", "ic", "ive", "ous", "ful", "able", "ible", "less", "ary", "ing")
#: English nouns without a plural ("open-source software", never "softwares").
_UNCOUNTABLE_WORDS = """
    software hardware firmware middleware malware spyware ransomware research information
    equipment advice feedback knowledge evidence news furniture luggage baggage traffic
    infrastructure machinery staff personnel data metadata training funding compliance
    governance guidance legislation homework progress welfare health safety security privacy
    storage bandwidth throughput know-how expertise access support mail email spam music art
    weather electricity water money cash rice sugar salt wildlife livestock
"""
UNCOUNTABLE = frozenset(_UNCOUNTABLE_WORDS.split())
#: Plurals that do not add -s.
IRREGULAR_PLURALS = {
    "child": "children", "man": "men", "woman": "women", "person": "people",
    "foot": "feet", "tooth": "teeth", "mouse": "mice", "goose": "geese",
    "analysis": "analyses", "basis": "bases", "crisis": "crises", "thesis": "theses",
    "hypothesis": "hypotheses", "diagnosis": "diagnoses", "criterion": "criteria",
    "phenomenon": "phenomena", "medium": "media", "appendix": "appendices",
    "index": "indices", "matrix": "matrices", "vertex": "vertices", "leaf": "leaves",
    "life": "lives", "knife": "knives", "wife": "wives", "half": "halves", "shelf": "shelves",
    "thief": "thieves", "wolf": "wolves", "potato": "potatoes", "tomato": "tomatoes",
    "hero": "heroes", "echo": "echoes", "veto": "vetoes", "series": "series",
    "species": "species", "aircraft": "aircraft", "sheep": "sheep", "fish": "fish",
}  # fmt: skip


def placeholder(number: int) -> str:
    return f"Zx{number}q"


@dataclass(slots=True)
class Protected:
    """What to send to the engine, and how to put the approved terms back.

    ``lost`` lists, after :meth:`restore`, the entries whose placeholder did not come back.
    """

    text: str
    replacements: dict[int, str] = field(default_factory=dict)
    entries: dict[int, Entry] = field(default_factory=dict)
    lost: list[Entry] = field(default_factory=list)
    #: Placeholders opening a sentence whose next source word is lower-case: Apertium
    #: capitalises the word after an unknown sentence-initial word ("Zx1q Is good").
    sentence_openers: set[int] = field(default_factory=set)

    def restore(self, translation: str) -> str:
        """Replace each placeholder by its approved term; a plain text comes back unchanged.

        >>> p = Protected("Zx1q est là.", {1: "Meta"})
        >>> p.restore("Zx1q is there."), p.restore("zx 1Q is there.")
        ('Meta is there.', 'Meta is there.')
        """
        if not self.replacements:
            return translation
        seen: set[int] = set()

        def put_back(found: re.Match[str]) -> str:
            number = int(found.group(1))
            if number not in self.replacements:
                return found.group()
            seen.add(number)
            return self.replacements[number]

        for number in self.sentence_openers:
            translation = re.sub(
                rf"\b({placeholder(number)}\s+)([A-Z][a-z]+)\b",
                lambda found: found.group(1) + found.group(2).lower(),
                translation,
            )
        restored = _PLACEHOLDER_BACK.sub(put_back, translation)
        self.lost = [
            self.entries[n] for n in self.replacements if n not in seen and n in self.entries
        ]
        return restored


def protect(text: str, matches: Sequence[TermMatch], strategy: TermProtection) -> Protected:
    """Prepare ``text`` for an engine with ``strategy`` so its glossary terms survive it.

    >>> from bilingual.glossary.entry import Entry, TermMatch
    >>> meta = Entry("Meta", "Meta")
    >>> p = protect("Le modèle de Meta.", [TermMatch(meta, 13, 17, "Meta")], "placeholders")
    >>> p.text, p.restore("The model of Zx1q.")
    ('Le modèle de Zx1q.', 'The model of Meta.')
    """
    if strategy == "placeholders" and not _PLACEHOLDER_TEXT.search(text):
        return _with_placeholders(text, matches)
    return _inline(text, matches)


def _with_placeholders(text: str, matches: Sequence[TermMatch]) -> Protected:
    parts: list[str] = []
    replacements: dict[int, str] = {}
    entries: dict[int, Entry] = {}
    openers: set[int] = set()
    position = 0
    for number, match in enumerate(_approved(matches), 1):
        if _opens_sentence(text, match):
            openers.add(number)
        parts.append(text[position : match.start])
        parts.append(placeholder(number))
        replacements[number] = render_target(match)
        entries[number] = match.entry
        position = match.end
    parts.append(text[position:])
    return Protected("".join(parts), replacements, entries, sentence_openers=openers)


def _opens_sentence(text: str, match: TermMatch) -> bool:
    """Whether ``match`` starts a sentence and the word after it is lower-case."""
    before = text[: match.start].rstrip()
    after = text[match.end :].lstrip()
    return (not before or before[-1] in ".!?:…") and after[:1].islower()


def _inline(text: str, matches: Sequence[TermMatch]) -> Protected:
    parts: list[str] = []
    position = 0
    for match in _approved(matches):
        if match.entry.kind is EntryKind.DO_NOT_TRANSLATE:
            continue
        parts.append(text[position : match.start])
        parts.append(render_target(match))
        position = match.end
    parts.append(text[position:])
    return Protected("".join(parts))


def _approved(matches: Sequence[TermMatch]) -> list[TermMatch]:
    return [m for m in matches if m.entry.kind is not EntryKind.FORBIDDEN]


def render_target(match: TermMatch) -> str:
    """The approved English for one occurrence: plural and capital like the source.

    >>> from bilingual.glossary.entry import Entry, TermMatch
    >>> render_target(TermMatch(Entry("modèle de base", "foundation model"), 0, 15, "Modèles de base"))
    'Foundation models'
    >>> render_target(TermMatch(Entry("poids ouvert", "open-weight"), 0, 13, "poids ouverts"))
    'open-weight'
    """
    entry = match.entry
    target = entry.target
    if entry.kind is EntryKind.DO_NOT_TRANSLATE:
        return target.upper() if match.text.isupper() and len(match.text) > 3 else target
    if is_plural(match) and takes_plural(entry):
        target = pluralize(target)
    if match.text[:1].isupper() and entry.source[:1].islower() and target[:1].islower():
        target = target[0].upper() + target[1:]
    return target


def is_plural(match: TermMatch) -> bool:
    """Whether the occurrence is a plural of an entry in the singular."""
    term_words = WORD.findall(_spelling(match))
    text_words = WORD.findall(match.text)
    if len(term_words) != len(text_words):
        return False
    return any(
        word[-1:].lower() in ("s", "x") and term[-1:].lower() not in ("s", "x")
        for term, word in zip(term_words, text_words)
    )


def _spelling(match: TermMatch) -> str:
    """The entry spelling (source or variant) this occurrence inflects."""
    keys = [french_key(w) for w in WORD.findall(match.text)]
    for source in match.entry.sources:
        if [french_key(w) for w in WORD.findall(source)] == keys:
            return source
    return match.entry.source


def takes_plural(entry: Entry) -> bool:
    """Whether the English target of ``entry`` takes a plural: a noun, and a countable one.

    >>> takes_plural(Entry("logiciel libre", "open-source software"))
    False
    >>> takes_plural(Entry("jeu de données", "dataset")), takes_plural(Entry("x", "open-weight"))
    (True, False)
    >>> takes_plural(Entry("start-up", "start-up", pos="noun"))
    True
    """
    words = entry.target.split()
    last = words[-1] if words else ""
    if _head(last).lower() in UNCOUNTABLE:
        return False
    if entry.pos:
        return entry.pos == "noun"
    return (
        bool(last) and last.islower() and "-" not in last and not last.endswith(ADJECTIVE_SUFFIXES)
    )


def _head(word: str) -> str:
    """The part of a hyphenated word that inflects: "start-up" → "up"; "know-how" stays whole."""
    return word if word.lower() in UNCOUNTABLE else word.rsplit("-", 1)[-1]


def pluralize(phrase: str) -> str:
    """English plural of a noun phrase's last word; uncountable nouns stay as they are.

    >>> pluralize("reasoning model"), pluralize("company"), pluralize("box"), pluralize("key")
    ('reasoning models', 'companies', 'boxes', 'keys')
    >>> pluralize("open-source software"), pluralize("child"), pluralize("data analysis")
    ('open-source software', 'children', 'data analyses')
    >>> pluralize("start-up"), pluralize("Person")
    ('start-ups', 'People')
    """
    head, space, last = phrase.rpartition(" ")
    if _head(last).lower() in UNCOUNTABLE:
        return phrase
    irregular = IRREGULAR_PLURALS.get(last.lower())
    if irregular is not None:
        if last[:1].isupper():
            irregular = irregular[0].upper() + irregular[1:]
        return head + space + irregular
    if last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return head + space + last
