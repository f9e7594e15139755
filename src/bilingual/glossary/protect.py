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

Inline markup travels the same way, whatever the strategy: each code of a unit (see
:mod:`bilingual.inline`) becomes placeholders in the same numbering as the terms — one before and
one after the text of bold, italic or a link, one for a point (a footnote mark), one in place of
a protected code (inline code, whose content the engine never sees). A space is put beside a
placeholder only where the French had none, and taken away again afterwards. :meth:`Protected.restore`
then gives the translation as coded text, each placeholder turned into its tag (``<g1>``,
``</g1>``, ``<x2/>``); a tag that did not come back, or came back in an impossible order, is put
back by :func:`bilingual.inline.parse_coded`'s fallback and reported (``markup-lost``). A term
that straddles a code's edge is left to the engine (the check still looks at it): cutting the
code would lose it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..document import Tag
from ..engines.base import TermProtection
from ..inline import closing, escape, opening, point
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
    #: Placeholders of inline codes → their tag in the coded text, and whether a space was
    #: added before and after the placeholder (to be taken away again).
    codes: dict[int, tuple[str, bool, bool]] = field(default_factory=dict)

    def restore(self, translation: str) -> str:
        """Replace each placeholder by its approved term; a plain text comes back unchanged.

        >>> p = Protected("Zx1q est là.", {1: "Meta"})
        >>> p.restore("Zx1q is there."), p.restore("zx 1Q is there.")
        ('Meta is there.', 'Meta is there.')
        """
        if not self.replacements and not self.codes:
            return translation
        seen: set[int] = set()
        for number in self.sentence_openers:
            translation = re.sub(
                rf"\b({placeholder(number)}\s+)([A-Z][a-z]+)\b",
                lambda found: found.group(1) + found.group(2).lower(),
                translation,
            )
        coded = bool(self.codes)
        parts: list[str] = []
        strip_next = False
        position = 0
        for found in _PLACEHOLDER_BACK.finditer(translation):
            number = int(found.group(1))
            if number not in self.replacements and number not in self.codes:
                continue
            between = translation[position : found.start()]
            if strip_next:
                between = between.lstrip()
            parts.append(escape(between) if coded else between)
            position = found.end()
            strip_next = False
            if number in self.replacements:
                seen.add(number)
                term = self.replacements[number]
                parts.append(escape(term) if coded else term)
                continue
            tag, space_before, space_after = self.codes[number]
            if space_before and parts:
                parts[-1] = parts[-1].rstrip()
            parts.append(tag)
            strip_next = space_after
        rest = translation[position:]
        parts.append(escape(rest.lstrip() if strip_next else rest) if coded else rest)
        self.lost = [
            self.entries[n] for n in self.replacements if n not in seen and n in self.entries
        ]
        return "".join(parts)


def protect(
    text: str, matches: Sequence[TermMatch], strategy: TermProtection, tags: Sequence[Tag] = ()
) -> Protected:
    """Prepare ``text`` for an engine with ``strategy`` so its glossary terms and its inline
    codes (``tags``) survive it.

    >>> from bilingual.glossary.entry import Entry, TermMatch
    >>> meta = Entry("Meta", "Meta")
    >>> p = protect("Le modèle de Meta.", [TermMatch(meta, 13, 17, "Meta")], "placeholders")
    >>> p.text, p.restore("The model of Zx1q.")
    ('Le modèle de Zx1q.', 'The model of Meta.')
    >>> p = protect("Le modèle de Meta.", [TermMatch(meta, 13, 17, "Meta")], "placeholders",
    ...             [Tag(0, 3, 9)])
    >>> p.text, p.restore("The Zx1q model Zx2q of Zx3q.")
    ('Le Zx1q modèle Zx2q de Zx3q.', 'The <g1>model</g1> of Meta.')
    """
    if _PLACEHOLDER_TEXT.search(text):
        # the text itself looks like placeholders: terms go inline, codes by the fallback
        return _inline(text, matches)
    approved = [match for match in _approved(matches) if _clear_of(match, tags)]
    if strategy == "placeholders":
        return _with_placeholders(text, approved, tags)
    return _with_placeholders(_inline_terms(text, approved), [], _shift_tags(text, approved, tags))


def _clear_of(match: TermMatch, tags: Sequence[Tag]) -> bool:
    """Whether a term occurrence lies wholly inside or outside every code."""
    for tag in tags:
        inside = tag.start <= match.start and match.end <= tag.end and not tag.protected
        outside = match.end <= tag.start or tag.end <= match.start
        if not inside and not outside:
            return False
    return True


def _with_placeholders(text: str, matches: Sequence[TermMatch], tags: Sequence[Tag] = ()) -> Protected:
    # (start, end, order, what): at one offset closings come first, then points, then openings
    edits: list[tuple[int, int, int, object]] = []
    for match in matches:
        edits.append((match.start, match.end, 3, match))
    for number, tag in enumerate(tags, start=1):
        if tag.paired:
            edits.append((tag.start, tag.start, 2, opening(number)))
            edits.append((tag.end, tag.end, 0, closing(number)))
        else:
            edits.append((tag.start, tag.end, 1, point(number)))
    edits.sort(key=lambda edit: (edit[0], edit[2], -edit[1]))
    parts: list[str] = []
    protected = Protected("")
    position = 0
    for number, (start, end, _order, what) in enumerate(edits, 1):
        start = max(start, position)
        parts.append(text[position:start])
        position = max(position, end)
        if isinstance(what, TermMatch):
            if _opens_sentence(text, what):
                protected.sentence_openers.add(number)
            parts.append(placeholder(number))
            protected.replacements[number] = render_target(what)
            protected.entries[number] = what.entry
            continue
        assert isinstance(what, str)
        before = start > 0 and not text[start - 1].isspace() and text[start - 1] not in "'’"
        after = end < len(text) and not text[end].isspace()
        parts.append((" " if before else "") + placeholder(number) + (" " if after else ""))
        protected.codes[number] = (what, before, after)
    parts.append(text[position:])
    protected.text = "".join(parts)
    return protected


def _opens_sentence(text: str, match: TermMatch) -> bool:
    """Whether ``match`` starts a sentence and the word after it is lower-case."""
    before = text[: match.start].rstrip()
    after = text[match.end :].lstrip()
    return (not before or before[-1] in ".!?:…") and after[:1].islower()


def _inline(text: str, matches: Sequence[TermMatch]) -> Protected:
    return Protected(_inline_terms(text, _approved(matches)))


def _written_inline(matches: Sequence[TermMatch]) -> list[TermMatch]:
    return [match for match in matches if match.entry.kind is not EntryKind.DO_NOT_TRANSLATE]


def _inline_terms(text: str, matches: Sequence[TermMatch]) -> str:
    parts: list[str] = []
    position = 0
    for match in _written_inline(matches):
        parts.append(text[position : match.start])
        parts.append(render_target(match))
        position = match.end
    parts.append(text[position:])
    return "".join(parts)


def _shift_tags(text: str, matches: Sequence[TermMatch], tags: Sequence[Tag]) -> list[Tag]:
    """``tags`` moved to where they fall once the terms are written inline."""
    changes = [
        (match.end, len(render_target(match)) - (match.end - match.start))
        for match in _written_inline(matches)
    ]

    def moved(offset: int) -> int:
        return offset + sum(delta for end, delta in changes if end <= offset)

    return [Tag(tag.code, moved(tag.start), moved(tag.end), tag.paired, tag.protected) for tag in tags]


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
