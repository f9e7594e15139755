"""The rule engine: where a sentence ends inside one line.

The engine is the same for every language; a :class:`~bilingual.segment.lexicon.Lexicon` gives
it the language's abbreviations, sentence openers and habits. Every run of final punctuation (``. ! ? …``) followed by whitespace is a candidate; it becomes a
boundary unless the context says otherwise: the word before it (abbreviation, initial, list
enumerator, URL), the word after it (lower case, closing punctuation, a name) and whether it sits
inside brackets. Every decision looks at a bounded window around the candidate, so the engine
runs in linear time on any input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum

from .french import FRENCH
from .lexicon import (
    BULLETS,
    CLOSING_MARKS,
    CONTINUING_MARKS,
    DOMAIN_SUFFIXES,
    FINAL_MARKS,
    OPENING_MARKS,
    SPACED_AMBIGUOUS_QUOTES,
    SPACED_CLOSING_QUOTES,
    SPACES_AFTER_OPENING,
    SUPERSCRIPT_DIGITS,
    Lexicon,
)


def _one_of(marks: str) -> str:
    return "[" + "".join(re.escape(mark) for mark in marks) + "]"


# A run of final punctuation, what closes after it (quotes, brackets, footnote calls such as
# "[4]" or "²") and the whitespace before the next word. The look-behind starts a match only at
# the first mark of a run and the possessive quantifiers never give back what they took, so a
# long run of dots or brackets is scanned once: the engine stays linear on any input.
_FINAL = _one_of(FINAL_MARKS)
_CANDIDATE = re.compile(
    rf"(?<!{_FINAL})(?P<punct>{_FINAL}++)"
    rf"(?:{_one_of(CLOSING_MARKS)}|\[\d{{1,4}}\]|{_one_of(SUPERSCRIPT_DIGITS)}"
    rf"|\s++{_one_of(SPACED_CLOSING_QUOTES)}|\s++{_one_of(SPACED_AMBIGUOUS_QUOTES)}(?!\S))*+"
    r"(?P<gap>\s++)(?=\S)"
)

# How far the engine looks around a candidate, in characters.
_WINDOW_BEFORE = 80
_WINDOW_BRACKETS = 400

# Marks skipped before the next sentence's first letter: opening quotes, dialogue dashes, bullets.
_SKIPPED_BEFORE_WORD = OPENING_MARKS + "".join(BULLETS) + SPACES_AFTER_OPENING
_CONTINUING_MARKS = frozenset(CONTINUING_MARKS)
_BULLET_OR_NOTHING = BULLETS | {""}
_BULLET_MARKS = "".join(sorted(BULLETS))
_WORD = re.compile(r"[^\W\d_]+['’]?")
_ENUMERATOR = re.compile(r"\(?(?:\d{1,3}|[IVXLCDM]{1,7}|[ivxlcdm]{1,7}|[^\W\d_])(?:\.\d{1,3})*\)?")
_ROMAN_NUMBER = re.compile(r"[IVXLCDM]{2,7}|[IVX]")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,4}\.-?)+[^\W\d_]{1,4}")
_URL_OR_EMAIL = re.compile(
    r"(?:\w+://|www\.|[\w.+-]+@)\S*"
    rf"|\S*\w\.(?:{'|'.join(re.escape(suffix) for suffix in DOMAIN_SUFFIXES)})"
)


# A list item's label at the start of a line or after a space: "1.", "2.)", "b)", "⁃9.".
_ITEM_PATTERN = r"(?P<bullet>[•⁃*\-–] ?)?(?P<label>\d{1,3}|[a-zA-Z])(?P<mark>\.\)|[.)])(?=\s)"
_ITEM = re.compile(_ITEM_PATTERN)
_LATER_ITEM = re.compile(r"(?<=\s)" + _ITEM_PATTERN)


class _Next(Enum):
    """What starts after the whitespace that follows a final mark."""

    UPPER = "upper"  # a capital (or a letter of a script without case)
    LOWER = "lower"
    DIGIT = "digit"  # a number, in figures or in Roman numerals: "p. 5", "chap. IV"
    NEW_ITEM = "item"  # a dash or a bullet before a word: "syndic... - L'actuelle direction"
    CONTINUING = "continuing"  # closing or final punctuation: the sentence goes on
    OTHER = "other"  # a symbol: "^", "*", "€"...


class _Before(Enum):
    """What the word before a period makes of it."""

    WORD = "word"  # an ordinary word or number: the period ends the sentence
    TITLE = "title"  # M., Mme, Dr: never final
    NEVER_FINAL = "never"  # cf., p. ex., av.: never final
    FINAL_BEFORE_CAPITAL = "capital"  # etc., J.-C.: final before any capital
    MAYBE_FINAL = "maybe"  # env., s., chap.: final before a word that opens sentences
    INITIAL = "initial"  # J., J.-P.: final only before a pronoun-like opener
    ENUMERATOR = "enumerator"  # "1." or "II." opening a line or a sentence: never final


def split_line(
    text: str, start: int, end: int, lexicon: Lexicon = FRENCH
) -> Iterator[tuple[int, int]]:
    """Sentence boundaries in the line ``text[start:end]``: (segment end, next segment start).

    >>> line = "M. Dupont arrive. « Déjà ? » dit-elle. Il est né en 63 av. J.-C. à Rome."
    >>> list(split_line(line, 0, len(line)))
    [(17, 18), (38, 39)]
    >>> [line[:17], line[18:38], line[39:]]
    ['M. Dupont arrive.', '« Déjà ? » dit-elle.', 'Il est né en 63 av. J.-C. à Rome.']
    """
    items = _inline_items(text, start, end)
    segment_start = start
    for candidate in _CANDIDATE.finditer(text, start, end):
        while items and items[0] <= candidate.start():
            item = items.pop(0)
            yield _trimmed_end(text, segment_start, item), item
            segment_start = item
        if _ends_sentence(lexicon, text, start, end, segment_start, candidate):
            yield candidate.start("gap"), candidate.end()
            segment_start = candidate.end()
            if items and items[0] == segment_start:
                items.pop(0)
    for item in items:
        yield _trimmed_end(text, segment_start, item), item
        segment_start = item


def _inline_items(text: str, start: int, end: int) -> list[int]:
    """Where the items of a list written on one line start, when the line opens with the first
    item: "1. one 2. two", "a) one b) two", "• 9. nine • 10. ten".

    >>> line = "1. Ouvrir le capot 2. Vérifier l'huile (voir p. 3) 3. Refermer"
    >>> [line[i : i + 2] for i in _inline_items(line, 0, len(line))]
    ['2.', '3.']
    """
    first = _ITEM.match(text, start, end)
    if first is None:
        return []
    bullet, mark = bool(first.group("bullet")), first.group("mark")
    expected = _next_label(first.group("label"))
    starts = []
    for item in _LATER_ITEM.finditer(text, first.end(), end):
        if (item.group("label"), item.group("mark"), bool(item.group("bullet"))) == (
            expected,
            mark,
            bullet,
        ):
            starts.append(item.start())
            expected = _next_label(expected)
    return starts


def _next_label(label: str) -> str:
    return str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)


def _trimmed_end(text: str, segment_start: int, next_start: int) -> int:
    return segment_start + len(text[segment_start:next_start].rstrip())


def _ends_sentence(
    lexicon: Lexicon,
    text: str,
    line_start: int,
    line_end: int,
    segment_start: int,
    candidate: re.Match[str],
) -> bool:
    punct = candidate.group("punct")
    mark = candidate.start()
    if punct == "." and text[mark - 2 : mark] == ". ":
        punct = "…"  # the last dot of a spaced ellipsis, ". . ."
    closing = text[candidate.end("punct") : candidate.start("gap")]
    following, next_word = _next_word(text, candidate.end(), line_end)
    if following is _Next.CONTINUING:
        return False
    if _inside_brackets(text, line_start, line_end, mark, candidate.end(), closing):
        return False
    if "?" in punct or "!" in punct:
        if following is _Next.LOWER and (closing or not lexicon.question_before_lower_ends):
            return False
        exclaimed = _token_before(text, line_start, mark)[1] in lexicon.exclaimed_names
        return not (punct[0] == "!" and exclaimed)
    if punct != ".":
        # An ellipsis right after an opening bracket marks a cut in a quotation: "(...)".
        if text[mark - 1 : mark] in ("(", "["):
            return False
        if following is _Next.UPPER and next_word not in lexicon.sentence_openers:
            word_before = (
                _token_before(text, line_start, mark)[1]
                or _token_before(text, line_start, mark - 1)[1]
            )
            return word_before.lower() not in lexicon.unfinished
        return following in (_Next.UPPER, _Next.NEW_ITEM, _Next.OTHER)
    return _period_ends_sentence(
        lexicon, text, line_start, segment_start, mark, closing, following, next_word
    )


def _period_ends_sentence(
    lexicon: Lexicon,
    text: str,
    line_start: int,
    segment_start: int,
    mark: int,
    closing: str,
    following: _Next,
    next_word: str,
) -> bool:
    before = _classify_before_period(lexicon, text, line_start, segment_start, mark)
    if before in (_Before.TITLE, _Before.NEVER_FINAL, _Before.ENUMERATOR):
        return False
    if following is _Next.NEW_ITEM:
        return True
    if before is _Before.WORD:
        # "« Chambre. » dit-il" is a quotation going on; "1. ouvrir, 2. fermer" enumerates.
        return not (following is _Next.LOWER and (closing or text[mark - 1 : mark].isdigit()))
    if ")" in closing or "]" in closing:
        # The period belongs to the abbreviation and the bracket goes on: "(pommes, etc.) et".
        return False
    if following in (_Next.LOWER, _Next.DIGIT):
        return False
    if before is _Before.FINAL_BEFORE_CAPITAL:
        return following in (_Next.UPPER, _Next.OTHER)
    if following is not _Next.UPPER:
        return False
    if before is _Before.INITIAL:
        return next_word in lexicon.sentence_openers and next_word not in lexicon.name_particles
    return next_word in lexicon.sentence_openers


def _classify_before_period(
    lexicon: Lexicon, text: str, line_start: int, segment_start: int, mark: int
) -> _Before:
    previous, token = _token_before(text, line_start, mark)
    if not token or _URL_OR_EMAIL.fullmatch(token):
        return _Before.WORD
    word = token.lstrip(OPENING_MARKS)
    word = word[max(word.rfind("'"), word.rfind("’")) + 1 :]
    if word in lexicon.titles:
        return _Before.TITLE
    key = word.lower()
    if key in lexicon.never_final or (previous + token).lower() in lexicon.never_final:
        return _Before.NEVER_FINAL
    if key in lexicon.final_before_capital or (
        (previous + token).lower() in lexicon.final_before_capital
    ):
        return _Before.FINAL_BEFORE_CAPITAL
    token_start = mark - len(token)
    if (
        token_start - segment_start <= 2
        and _ENUMERATOR.fullmatch(token.lstrip(_BULLET_MARKS))  # "⁃9." as well as "- 9."
        and text[segment_start:token_start].strip() in _BULLET_OR_NOTHING
    ):
        return _Before.ENUMERATOR
    if key in lexicon.maybe_final:
        return _Before.MAYBE_FINAL
    if len(word) == 1 and word.isalpha():
        # "2° C.", "30 F." and "1,80 m." are units after a number, not initials; "500 p."
        # counts the pages of a book in a reference that goes on.
        if (previous[-1:] == "°" or previous[-1:].isdigit()) and word != "p":
            return _Before.WORD
        return _Before.MAYBE_FINAL if word.islower() else _Before.INITIAL
    if _DOTTED.fullmatch(word):
        initials = all(len(part) == 1 and part.isupper() for part in re.split(r"\.-?", word))
        return _Before.INITIAL if initials else _Before.MAYBE_FINAL
    return _Before.WORD


def _token_before(text: str, line_start: int, mark: int) -> tuple[str, str]:
    """The two whitespace-separated tokens before ``mark``; the last is "" after a space."""
    window = text[max(line_start, mark - _WINDOW_BEFORE) : mark]
    if not window or window[-1].isspace():
        return "", ""
    tokens = window.rsplit(None, 1)
    return (tokens[0].rsplit(None, 1)[-1] if len(tokens) == 2 else ""), tokens[-1]


def _next_word(text: str, position: int, line_end: int) -> tuple[_Next, str]:
    ahead = text[position : min(line_end, position + 40)]
    word_start = len(ahead) - len(ahead.lstrip(_SKIPPED_BEFORE_WORD))
    if word_start == len(ahead):
        return _Next.OTHER, ""
    first = ahead[word_start]
    if first.isalpha() and any(mark in BULLETS for mark in ahead[:word_start]):
        return _Next.NEW_ITEM, ""
    if first.isalpha():
        if first.islower():
            return _Next.LOWER, ""
        word = _WORD.match(ahead, word_start)
        if word is None:
            return _Next.UPPER, ""
        if _ROMAN_NUMBER.fullmatch(word.group()):
            return _Next.DIGIT, ""
        return _Next.UPPER, word.group().replace("’", "'")
    if first.isdigit():
        return _Next.DIGIT, ""
    if word_start == 0 and first in _CONTINUING_MARKS:
        return _Next.CONTINUING, ""
    return _Next.OTHER, ""


def _inside_brackets(
    text: str, line_start: int, line_end: int, mark: int, after: int, closing: str
) -> bool:
    """Whether the mark is inside (…) or […] that close later on the line: never split there."""
    window_start = max(line_start, mark - _WINDOW_BRACKETS)
    window_end = min(line_end, after + _WINDOW_BRACKETS)
    for opening_bracket, closing_bracket in (("(", ")"), ("[", "]")):
        if closing_bracket in closing:
            continue
        opened = text.rfind(opening_bracket, window_start, mark)
        if opened < 0 or text.find(closing_bracket, opened, mark) >= 0:
            continue
        closed = text.find(closing_bracket, after, window_end)
        if closed >= 0 and text.find(opening_bracket, after, closed) < 0:
            return True
    return False
