"""Names, titles and literals that must cross Apertium's pivot as the user wrote them.

Apertium translates what its dictionaries know: "la Part-Dieu" became "the Course-God", "Mme"
the Spanish "Sra", and a URL's ``Plan-Tram-2030.pdf`` came back lower-cased. Before the pivot,
each such span becomes a placeholder (``Zy3q``) that Apertium passes through as an unknown word,
in place; :meth:`Shield.restore` then puts back the span as written (a title in English).

What is shielded:

* literals: URLs, e-mail addresses, @handles and #hashtags;
* titles (M., Mme, Dr...), rendered in English, and the name after them;
* capitalised words and runs of them inside a sentence ("Rive Droite", "Jean-Marc Dupont"),
  and hyphenated names ("Part-Dieu") anywhere, unless Apertium's French analyser knows them as
  place or person names: those it translates itself ("Allemagne" → "Germany"), and the pivot's
  Spanish forms ("Burdeos") are put back later by :mod:`.apertium_leftovers`. A single capitalised
  ordinary word after an article stays with the engine ("le Sénat" → "the Senate", "les
  Français" → "the French"); elsewhere it is a name ("les frères Lumière");
* at the start of a sentence, only what the same batch showed to be a name elsewhere.

Glossary placeholders (``Zx1q``) are left alone: the glossary stage owns them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..quality.morphology import Analysis, analyser, escape_reading, transducer, translations

#: Titles before a name, and their English rendering (UK usage: no period).
TITLES = {
    "M.": "Mr",
    "MM.": "Messrs",
    "Mme": "Ms",
    "Mmes": "Mses",
    "Mlle": "Miss",
    "Mlles": "Misses",
    "Dr": "Dr",
    "Dr.": "Dr",
    "Pr": "Prof.",
    "Pr.": "Prof.",
    "Me": "Maître",
}
DETERMINERS = frozenset(
    ["le", "la", "les", "l", "un", "une", "des", "du", "au", "aux", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes"]
)
_PLACEHOLDER = "Zy{}q"
#: A placeholder as it comes back, tolerating a change of case.
PLACEHOLDER_BACK = re.compile(r"\b[Zz][Yy](\d+)[Qq]\b")
_LITERAL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"«»]+[^\s<>\"«».,;:!?)\]’']"  # URL, without final punctuation
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<![\w@#])[@#][^\W\d_][\w-]*"  # @handle, #hashtag
    r"|\S*[*]\S*"  # an asterisk would read as Apertium's unknown-word mark
)
_TITLE = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)) + r")"
    r"(?=\s+[A-ZÀ-Ý])"
)
_GLOSSARY_PLACEHOLDER = re.compile(r"[Zz][Xx]\d+[Qq]")
_TRAILING_PLACEHOLDER = re.compile(r"(?<!\w)[Zz][Xx]\d+[Qq]$")
_ELISION = re.compile(r"(?i)^(?:[dlmnstjc]|qu|jusqu|lorsqu|puisqu)['’](?=[^\W\d_])")
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’]|[-‑](?=\w))*")
_SENTENCE_END = ".!?…:;"
_OPENERS = "«“\"‘'(—–-["


@dataclass(slots=True)
class Shield:
    """A text with its names and literals replaced by placeholders, and how to put them back."""

    text: str
    spans: dict[int, str] = field(default_factory=dict)  # placeholder number → text to restore

    def restore(self, translation: str) -> str:
        """Put back every span; an unknown number is left as it came.

        >>> Shield("Zy1q est là.", {1: "Part-Dieu"}).restore("Zy1q is there.")
        'Part-Dieu is there.'
        """
        if not self.spans:
            return translation
        return PLACEHOLDER_BACK.sub(
            lambda found: self.spans.get(int(found.group(1)), found.group()), translation
        )


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    word: str  # without an elided article or preposition
    elided: bool  # "l'État", "d'Alibaba"


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for found in _TOKEN.finditer(text):
        word, start = found.group(), found.start()
        elision = _ELISION.match(word)
        if elision:
            word, start = word[elision.end() :], start + elision.end()
        tokens.append(_Token(start, found.end(), word, bool(elision)))
    return tokens


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not _GLOSSARY_PLACEHOLDER.fullmatch(word)


def _hyphenated_name(word: str) -> bool:
    """ "Part-Dieu", "Aix-en-Provence": hyphenated, first and last parts capitalised."""
    parts = re.split("[-‑]", word)
    return len(parts) > 1 and parts[0][:1].isupper() and parts[-1][:1].isupper()


def _sentence_start(text: str, position: int) -> bool:
    """Whether ``position`` opens a sentence: nothing but openers, and the placeholders of
    inline markup and glossary terms, since the last sentence end.

    >>> _sentence_start("Fin. Zx1q Le chat", 10), _sentence_start("Voir Zx1q Le chat", 10)
    (True, False)
    """
    before = text[:position].rstrip()
    while True:
        trimmed = _TRAILING_PLACEHOLDER.sub("", before).rstrip()
        while trimmed and trimmed[-1] in _OPENERS:
            trimmed = trimmed[:-1].rstrip()
        if trimmed == before:
            break
        before = trimmed
    return not before or before[-1] in _SENTENCE_END


@dataclass(frozen=True, slots=True)
class _Run:
    tokens: tuple[_Token, ...]
    after_title: bool
    after_determiner: bool
    sentence_start: bool

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def _runs(text: str, titles: set[int]) -> list[_Run]:
    """Runs of capitalised words separated by single spaces, with what precedes each.

    ``titles`` holds the start and end offsets of the titles found in ``text``.
    """
    runs: list[_Run] = []
    tokens = _tokens(text)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not _capitalised(token.word) or token.start in titles:
            index += 1
            continue
        group = [token]
        while index + 1 < len(tokens):
            following = tokens[index + 1]
            gap = text[group[-1].end : following.start]
            if gap != " " or following.elided or not _capitalised(following.word):
                break
            if following.start in titles:
                break
            group.append(following)
            index += 1
        previous = tokens[index - len(group)] if index - len(group) >= 0 else None
        previous_end = previous.end if previous else -1
        gap_before = text[previous_end : token.start] if previous else ""
        after_title = len(text[: token.start].rstrip()) in titles
        after_determiner = token.elided and text[token.start - 2 : token.start - 1].lower() == "l"
        if previous is not None and gap_before == " ":
            after_determiner |= previous.word.lower() in DETERMINERS
        runs.append(
            _Run(tuple(group), after_title, after_determiner, _sentence_start(text, token.start))
        )
        index += 1
    return runs


def shield_names(texts: Sequence[str]) -> list[Shield]:
    """Replace names, titles and literals in each text by placeholders.

    >>> [s.text for s in shield_names(["Je prends le tram à la Part-Dieu avec Mme Dupont."])]
    ['Je prends le tram à la Zy1q avec Zy2q Zy3q.']
    """
    french = analyser("fr")
    plans: list[list[tuple[int, int, str]]] = []  # per text: (start, end, replacement)
    undecided: list[tuple[int, _Run]] = []
    names: set[str] = set()
    for number, text in enumerate(texts):
        spans: list[tuple[int, int, str]] = []
        for found in _LITERAL.finditer(text):
            spans.append((found.start(), found.end(), found.group()))
        titles: dict[int, int] = {}
        for found in _TITLE.finditer(text):
            if not _inside(found.start(), spans):
                spans.append((found.start(), found.end(), TITLES[found.group(1)]))
                titles[found.end()] = found.start()
        title_starts = set(titles.values())
        for run in _runs(text, title_starts | set(titles)):
            if _inside(run.start, spans):
                continue
            if run.after_title:
                spans.append((run.start, run.end, text[run.start : run.end]))
                names.add(text[run.start : run.end])
            else:
                undecided.append((number, run))
        plans.append(spans)
    words = {token.word for _, run in undecided for token in run.tokens}
    analyses = french.analyse(words) if french is not None else {}
    kept = _names_kept_by_the_pivot(analyses)
    deferred: list[tuple[int, _Run]] = []
    for number, run in undecided:
        decision = _decide(run, analyses, kept)
        text = texts[number]
        if decision is None:
            deferred.append((number, run))
        elif decision:
            plans[number].append((run.start, run.end, text[run.start : run.end]))
            names.add(text[run.start : run.end])
    for number, run in deferred:  # sentence openers: names if the batch said so elsewhere
        text = texts[number]
        if text[run.start : run.end] in names:
            plans[number].append((run.start, run.end, text[run.start : run.end]))
    counter = 0
    shields = []
    for text, spans in zip(texts, plans, strict=True):
        parts: list[str] = []
        restore: dict[int, str] = {}
        position = 0
        for start, end, replacement in sorted(spans):
            if start < position:
                continue
            counter += 1
            parts += [text[position:start], _PLACEHOLDER.format(counter)]
            restore[counter] = replacement
            position = end
        parts.append(text[position:])
        shields.append(Shield("".join(parts), restore))
    return shields


def _inside(position: int, spans: list[tuple[int, int, str]]) -> bool:
    return any(start <= position < end for start, end, _ in spans)


def _names_kept_by_the_pivot(analyses: dict[str, Analysis]) -> set[str]:
    """Apertium's names that its French→Spanish dictionary leaves as they are ("Notre-Dame",
    "Dupont"): shielded, since the Spanish→English leg may still take them apart ("Notre-Give").
    Names it translates ("Allemagne" → "Alemania") are left to the pivot."""
    bidix = transducer("fr-es")
    readings = {
        word: [r for r in analysis.readings if "<np>" in r]
        for word, analysis in analyses.items()
        if analysis.proper_noun
    }
    if bidix is None or not readings:
        return set()
    answers = bidix.lookup(f"^{escape_reading(r)}$" for rs in readings.values() for r in rs)
    kept = set()
    for word, word_readings in readings.items():
        targets = [
            t.lstrip("@").split("<", 1)[0]
            for r in word_readings
            for t in translations(answers[f"^{escape_reading(r)}$"])
        ]
        if targets and all(t == r.split("<", 1)[0] for t, r in zip(targets, word_readings)):
            kept.add(word)
    return kept


def _decide(run: _Run, analyses: dict[str, Analysis], kept: set[str]) -> bool | None:
    """Shield the run (True), leave it to the engine (False), or decide by the batch (None)."""

    def analysis(token: _Token) -> Analysis | None:
        return analyses.get(token.word)

    tokens = run.tokens
    if all(token.word in kept for token in tokens):
        return True
    if run.sentence_start:
        first = analysis(tokens[0])
        ordinary_opener = first is not None and first.known and not first.proper_noun
        if len(tokens) == 1:
            if ordinary_opener and _hyphenated_name(tokens[0].word):
                return True
            return None
        if ordinary_opener:  # "Selon Jean Dupont": the name starts after the first word
            return _decide(
                _Run(tokens[1:], False, tokens[0].word.lower() in DETERMINERS, False),
                analyses,
                kept,
            )
    found = [analysis(token) for token in tokens]
    if all(a is not None and a.proper_noun for a in found):
        return False  # Apertium's own names: its translation, Spanish forms repaired later
    if len(tokens) > 1:
        return True
    word, single = tokens[0].word, found[0]
    if word.isupper() and len(word) > 1:
        return False  # acronyms: unknown ones pass through, known ones ("UE") translate
    if single is None or not single.known:
        return False  # unknown words pass through the pivot unchanged
    if _hyphenated_name(word):
        return True
    return not run.after_determiner
