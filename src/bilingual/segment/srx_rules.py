"""SRX rules that split French as the rule engine (:mod:`.rules`) does, for CAT tools.

The engine looks at every candidate end (a run of final punctuation, its closing marks and the
space after it) and decides from the word before, the word after and the brackets around it.
SRX says the same with ordered rules: a regular expression that must end at the break, one
that must start there, and ``break`` yes or no; the first rule matching at a position decides.
:func:`french_rules` writes one condition per decision of the engine, in the engine's order,
with the word lists read from :mod:`.lexicon`, so the rules follow the lexicon as it grows;
consecutive decisions with the same outcome merge into one rule (a dozen rules in all: Java
scans the text once per rule).

Every rule breaks (or refuses to) right after the closing marks, where the engine ends a
segment; the space after goes to the next segment, which CAT tools trim.

The expressions are written in what Java (OmegaT, Okapi) and Python's ``regex`` module read
alike: explicit character classes instead of ``\\s``, ``\\w`` and ``\\d`` (ASCII in Java,
Unicode in Python), look-behinds of bounded length, ``\\p{..}`` properties, ``\\uXXXX`` escapes.

The rules agree with the engine on most candidates, not all: the engine also remembers where
the current sentence started (an enumerator such as "2." counts only there) and looks further
than a look-behind can. :mod:`bilingual.exchange.omegat_segmentation` adds exact exceptions
for the texts of a project.
"""

from __future__ import annotations

import functools
import itertools
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
)

# The French word lists the rules are written from (OmegaT projects translate French).
TITLES = FRENCH.titles
NEVER_FINAL = FRENCH.never_final
MAYBE_FINAL = FRENCH.maybe_final
FINAL_BEFORE_CAPITAL = FRENCH.final_before_capital
UNFINISHED = FRENCH.unfinished
EXCLAIMED_NAMES = FRENCH.exclaimed_names
SENTENCE_OPENERS = FRENCH.sentence_openers
NAME_PARTICLES = FRENCH.name_particles

__all__ = ["NON_SPACE", "SPACE", "SrxRule", "french_rules", "java_class", "java_literal"]

# The engine's limits, in characters: how far it looks for brackets around a candidate, how
# long a token it reads before a period (its look-behind window).
_BRACKET_REACH = 399
_TOKEN_REACH = 80
# Bounds that a Java look-behind needs and that real text stays within.
_MAX_OPENING_MARKS = 8
_MAX_SPACES = 8


@dataclass(frozen=True, slots=True)
class SrxRule:
    """One SRX rule: ``before`` must end and ``after`` must start where the text breaks."""

    breaks: bool
    before: str
    after: str


def _escape(char: str) -> str:
    if char in string.ascii_letters or char in string.digits:
        return char
    if char in string.punctuation:
        return "\\" + char
    if ord(char) > 0xFFFF or (char.isprintable() and not char.isspace()):
        return char
    return f"\\u{ord(char):04x}"


def java_literal(text: str) -> str:
    r"""A regular expression matching exactly ``text``, in Java and in Python's ``regex``.

    >>> java_literal("M. Dupont\u00a0!")
    'M\\.\\u0020Dupont\\u00a0\\!'
    """
    return "".join(_escape(char) for char in text)


def java_class(chars: Iterable[str], negated: bool = False) -> str:
    """A character class of ``chars`` (consecutive code points as ranges).

    >>> java_class("cab-»")
    '[\\\\-a-c»]'
    """
    points = sorted({ord(char) for char in chars})
    parts: list[str] = []
    index = 0
    while index < len(points):
        last = index
        while last + 1 < len(points) and points[last + 1] == points[last] + 1:
            last += 1
        first_char, last_char = chr(points[index]), chr(points[last])
        if last - index >= 2:
            parts.append(f"{_escape(first_char)}-{_escape(last_char)}")
        else:
            parts.extend(_escape(chr(point)) for point in points[index : last + 1])
        index = last + 1
    return ("[^" if negated else "[") + "".join(parts) + "]"


def _alternation(words: Iterable[str], ignore_case: bool = False) -> str:
    """One of ``words``, as a tree of common prefixes: a regex engine then compares each
    character once instead of once per word (Java tries a look-behind at every length).

    >>> _alternation(["av", "avant", "apr"])
    '(?:a(?:pr|v(?:ant)?))'
    """
    body = _prefix_tree(frozenset(words))
    return f"(?iu:{body})" if ignore_case else f"(?:{body})"


def _prefix_tree(words: frozenset[str]) -> str:
    heads = sorted({word[0] for word in words if word})
    branches = [
        java_literal(head) + _prefix_tree(frozenset(w[1:] for w in words if w[:1] == head))
        for head in heads
    ]
    if "" in words:
        return f"(?:{'|'.join(branches)})?" if branches else ""
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


@functools.cache
def _bmp_chars(predicate: Callable[[str], bool]) -> str:
    return "".join(char for char in map(chr, range(0x10000)) if predicate(char))


# What str.isspace() (and so Python's \s) calls a space: separators (\p{Z}: U+0020, U+00A0,
# U+2000..U+200A...) and the controls \t..\r, U+001C..U+001F and U+0085. Java's \s is ASCII.
SPACE = r"[\p{Z}\u0009-\u000d\u001c-\u001f\u0085]"
NON_SPACE = r"[^\p{Z}\u0009-\u000d\u001c-\u001f\u0085]"


def _digit_beyond_nd(char: str) -> bool:
    return char.isdigit() and unicodedata.category(char) != "Nd"


def _lower_beyond_ll(char: str) -> bool:
    return char.isalpha() and char.islower() and unicodedata.category(char) != "Ll"


def _class_body(chars: str) -> str:
    return java_class(chars)[1:-1]


def _ahead(pattern: str) -> str:
    return f"(?={pattern})"


def _not_ahead(pattern: str) -> str:
    return f"(?!{pattern})"


def _behind(pattern: str) -> str:
    return f"(?<={pattern})"


def _repeat(unit: str, low: int, high: int) -> str:
    """``(?:unit){low,high}`` as Java accepts it in a look-behind (nested optional groups:
    Java cannot bound a counted repetition of a group whose length varies).

    >>> _repeat("ab?", 1, 3)
    'ab?(?:ab?(?:ab?)?)?'
    """
    optional = ""
    for _ in range(high - low):
        optional = f"(?:{unit}{optional})?"
    return unit * low + optional


def _openers(words: Iterable[str]) -> str:
    """A whole opener word as the engine reads it: letters, then maybe one apostrophe."""
    words = list(words)
    plain = [word for word in words if not word.endswith("'")]
    elided = [word[:-1] for word in words if word.endswith("'")]
    return f"(?:{_alternation(plain)}(?![\\p{{L}}'’])|{_alternation(elided)}['’])"


def french_rules() -> tuple[SrxRule, ...]:
    """The SRX rules of the French rule engine, in order (the first matching rule decides).

    >>> rules = french_rules()
    >>> sum(rule.breaks for rule in rules), len(rules)
    (6, 12)
    """
    return _french_rules()


@functools.cache
def _french_rules() -> tuple[SrxRule, ...]:
    space, non_space = SPACE, NON_SPACE
    spaces = f"{space}{{1,{_MAX_SPACES}}}"
    final = java_class(FINAL_MARKS)
    digit = f"[\\p{{Nd}}{_class_body(_bmp_chars(_digit_beyond_nd))}]"
    lower = f"[\\p{{Ll}}{_class_body(_bmp_chars(_lower_beyond_ll))}]"
    upper = f"(?!{lower})\\p{{L}}"
    opening = java_class(OPENING_MARKS)
    bullet = java_class("".join(BULLETS))
    skipped = java_class(OPENING_MARKS + "".join(BULLETS) + SPACES_AFTER_OPENING)
    skipped_no_bullet = java_class(OPENING_MARKS + SPACES_AFTER_OPENING)
    footnote = r"\[\p{Nd}{1,4}\]"

    def closer(without: str = "") -> str:
        """One closing item after a run of final marks, as the engine's candidate regex has it."""
        marks = java_class(mark for mark in CLOSING_MARKS if mark not in without)
        return (
            f"(?:{marks}|{'' if ']' in without else footnote + '|'}"
            f"{java_class(SUPERSCRIPT_DIGITS)}"
            f"|{space}++{java_class(SPACED_CLOSING_QUOTES)}"
            f"|{space}++{java_class(SPACED_AMBIGUOUS_QUOTES)}(?!{non_space}))"
        )

    # --- the candidate: a run of final marks (from its first mark) and its closing marks.
    # Every rule consumes exactly that, so each rule's matches are the candidates themselves.
    at_run = f"(?={final})(?<!{final})"
    consumed = f"{final}++{closer()}*+"
    has_question = "(?=[.…]*+[?!])"
    single_period = f"(?=\\.(?!{final}))"
    ellipsis = f"(?![.…]*+[?!])(?!\\.(?!{final}))"
    closed = _not_ahead(f"{final}++(?!{closer()})")  # some closing mark after the run
    closes_paren = f"{final}++{closer(')')}*+\\)"
    closes_square = f"{final}++{closer(']')}*+(?:\\]|{footnote})"
    closes_bracket = _ahead(f"{final}++{closer(')]')}*+(?:[)\\]]|{footnote})")

    # --- what follows the space after the candidate (_next_word)
    gap = f"{space}++"
    roman = r"(?:[IVXLCDM]{2,7}|[IVX])(?![\p{L}'’])"
    next_continues = _ahead(java_class(CONTINUING_MARKS))
    next_item = _ahead(f"{skipped_no_bullet}*+{bullet}{skipped}*+\\p{{L}}")
    next_lower = _ahead(f"{skipped_no_bullet}*+{lower}")
    next_digit = _ahead(f"{skipped}*+{digit}|{skipped_no_bullet}*+{roman}")
    openers = _openers(SENTENCE_OPENERS)
    next_opener = _ahead(f"{skipped_no_bullet}*+{openers}")
    next_opener_not_particle = _ahead(
        f"{skipped_no_bullet}*+{_openers(SENTENCE_OPENERS - NAME_PARTICLES)}"
    )
    next_upper_not_opener = _ahead(f"{skipped_no_bullet}*+(?!{openers})(?!{roman}){upper}")

    # --- the token and word before the run (_token_before, _classify_before_period)
    token_start = f"(?:^|{space})"
    # The word is the token without its opening marks, or what follows its last apostrophe.
    word_start = f"(?:{token_start}{opening}{{0,{_MAX_OPENING_MARKS}}}|['’])"
    # A single letter after a number or a degree sign is a unit ("30 F.", "2° C."), not an
    # initial: the token before it must not end in one.
    single_letter_start = (
        f"(?:^|[^°{digit[1:-1]}{SPACE[1:-1]}]{spaces})"
        f"(?:{opening}{{0,{_MAX_OPENING_MARKS}}}|{non_space}{{0,20}}['’])"
    )
    word_char = r"[\p{L}\p{N}_]"
    url = (
        f"{token_start}(?:{word_char}{{1,20}}://|www\\.|[\\p{{L}}\\p{{N}}_.+\\-]{{1,60}}@)"
        f"{non_space}{{0,{_TOKEN_REACH}}}"
        f"|{token_start}{non_space}{{0,{_TOKEN_REACH}}}{word_char}\\."
        f"(?:{'|'.join(java_literal(suffix) for suffix in DOMAIN_SUFFIXES)})"
    )

    def listed(words: Iterable[str]) -> str:
        """The word, or a token and the one before it joined: the engine tries both."""
        words = sorted(words)
        joined = [
            java_literal(word[:cut]) + spaces + java_literal(word[cut:])
            for word in words
            for cut in range(1, len(word))
        ]
        return (
            f"{word_start}{_alternation(words, ignore_case=True)}"
            f"|{token_start}(?iu:{'|'.join(joined)})"
        )

    # An enumerator opening the line or, as far as a look-behind can tell, a sentence: one
    # after a final mark that follows neither an abbreviation nor a single letter ("Fin. 2.
    # Suite" but not "p. 45. Suite"). Whether that mark ended a sentence is the engine's own
    # earlier decision, which a look-behind cannot know: the project's exceptions settle it.
    abbreviated = (
        f"{word_start}(?:{_alternation(TITLES)}|\\p{{L}}"
        f"|{_alternation(NEVER_FINAL | FINAL_BEFORE_CAPITAL | MAYBE_FINAL, ignore_case=True)})"
    )
    enumerator = (
        f"(?:^|{final}(?<!{abbreviated}{final}){java_class(CLOSING_MARKS)}{{0,3}}{spaces})"
        f"(?:{bullet}{space})?"
        r"\(?(?:\p{Nd}{1,3}|[IVXLCDM]{1,7}|[ivxlcdm]{1,7}|\p{L})"
        + _repeat(r"\.\p{Nd}{1,3}", 0, 4)
        + r"\)?"
    )
    dotted = _repeat(r"\p{L}{1,4}\.-?", 1, 6) + r"\p{L}{1,4}"
    dotted_initials = _repeat(r"\p{Lu}\.-?", 1, 6) + r"\p{Lu}"

    # Each decision of the engine, in its order, as (breaks, condition at the run's first
    # mark). Runs of one kind (?/!, ellipsis, single period) never meet, so the decisions of
    # different kinds may be interleaved: that lets consecutive decisions merge into few rules.
    decisions: list[tuple[bool, str]] = []

    def decide(breaks: bool, before: str = "", kind: str = "", after: str = "") -> None:
        following = _ahead(f"{final}++{closer()}*+{gap}{after}") if after else ""
        decisions.append((breaks, f"{kind}{before}{following}"))

    # Closing or final punctuation after the space continues the sentence, and nothing
    # inside brackets that close later on the line ends one (_ends_sentence).
    decide(False, after=next_continues)
    decide(
        False,
        _behind(f"\\([^()]{{0,{_BRACKET_REACH}}}"),
        _not_ahead(closes_paren),
        _ahead(f"[^()]{{0,{_BRACKET_REACH}}}+\\)"),
    )
    decide(
        False,
        _behind(f"\\[[^\\[\\]]{{0,{_BRACKET_REACH}}}"),
        _not_ahead(closes_square),
        _ahead(f"[^\\[\\]]{{0,{_BRACKET_REACH}}}+\\]"),
    )
    # ? and !: final unless a lower-case word follows or a brand name ends in "!".
    decide(False, kind=has_question, after=next_lower)
    decide(False, _behind(f"{token_start}{_alternation(EXCLAIMED_NAMES)}"), "(?=!)")
    # An ellipsis: a cut "(...)", a pause after a word that cannot end a sentence, or an end
    # unless a lower-case word or a number follows.
    decide(False, _behind("[(\\[]"), ellipsis)
    decide(
        False,
        _behind(f"{token_start}{_alternation(UNFINISHED, ignore_case=True)}{space}?"),
        ellipsis,
        next_upper_not_opener,
    )
    decide(False, kind=ellipsis, after=next_lower)
    decide(False, kind=ellipsis, after=next_digit)
    # A single period: the word before it decides, in _classify_before_period's order.
    # URLs and e-mail addresses are ordinary words (see the last group).
    decide(False, _behind(url), single_period + closed, next_lower)
    decide(False, _behind(url) + _behind(digit), single_period, next_lower)
    decide(True, kind=has_question)
    decide(True, kind=ellipsis)
    decide(True, _behind(url), single_period)
    decide(False, _behind(f"{word_start}{_alternation(TITLES)}"), single_period)
    decide(False, _behind(listed(NEVER_FINAL)), single_period)
    final_before_capital = _behind(listed(FINAL_BEFORE_CAPITAL))
    decide(True, final_before_capital, single_period, next_item)
    decide(False, final_before_capital, single_period + closes_bracket)
    decide(False, final_before_capital, single_period, next_lower)
    decide(False, final_before_capital, single_period, next_digit)
    decide(True, final_before_capital, single_period)
    decide(False, _behind(enumerator), single_period)
    # Initials, final before a sentence opener that is not a name's particle ("J. Le Goff"),
    # and abbreviations that may end a sentence, final before any sentence opener. Initials
    # are dotted capitals or one capital; the other dotted words are abbreviations.
    # Each long look-behind comes after a short one that rules most words out quickly.
    single_letter = r"(?<!\p{L}\p{L})"
    dotted_end = r"(?<=\.-?\p{L}{1,4})"
    initials = (
        f"(?:{dotted_end}{_behind(word_start + dotted_initials)}"
        f"|{single_letter}{_behind(single_letter_start + upper)})"
    )
    abbreviations = (
        _behind(f"{word_start}{_alternation(MAYBE_FINAL, ignore_case=True)}"),
        f"{single_letter}{_behind(f'{single_letter_start}{lower}|{word_start}p')}",
        f"{dotted_end}{_behind(word_start + dotted)}(?<!{word_start}{dotted_initials})",
    )
    for before in (initials, *abbreviations):
        decide(True, before, single_period, next_item)
    for before in (initials, *abbreviations):
        decide(False, before, single_period + closes_bracket)
    for before in (initials, *abbreviations):
        decide(True, before, single_period, next_opener_not_particle)
    for before in abbreviations:
        decide(True, before, single_period, next_opener)
    for before in (initials, *abbreviations):
        decide(False, before, single_period)
    # Any other word: the period ends the sentence, unless a lower-case word follows a quote,
    # a bracket or a number ("« Chambre. » dit-il", "1. ouvrir, 2. fermer").
    decide(False, kind=single_period + closed, after=next_lower)
    decide(False, _behind(digit), single_period, next_lower)
    decide(True, kind=single_period)

    rules: list[SrxRule] = []
    for breaks, conditions in itertools.groupby(decisions, key=lambda decision: decision[0]):
        either = "|".join(condition for _, condition in conditions)
        rules.append(SrxRule(breaks, f"{at_run}(?:{either}){consumed}", space))
    return tuple(rules)
