"""Brackets, quotation marks, repeated words, end punctuation and the opening capital."""

from __future__ import annotations

import re

from ..document import Finding, Severity

BRACKETS_MISMATCH = "brackets-mismatch"
QUOTES_UNBALANCED = "quotes-unbalanced"
REPEATED_WORD = "repeated-word"
END_PUNCTUATION = "end-punctuation"
START_CAPITAL = "start-capital"

_BRACKETS = "()[]{}"
_REPEATED = re.compile(r"(?<![\w'’-])([^\W\d_][\w'’-]*)(\s+)(\1)(?![\w'’-])", re.IGNORECASE)
#: Closing quotes and brackets that may follow the final punctuation in either language.
_CLOSERS = "»”’\"')]} \u00a0\u202f"
_END_CLASSES = {".": ".", "!": "!", "?": "?", "…": "…", ":": ":", ";": ";"}


def brackets(source: str, target: str) -> list[Finding]:
    """Each kind of bracket as many times in the translation as in the source (pofilter's rule).

    >>> brackets("Le tram (ligne A) passe.", "The tram (line A) passes.")
    []
    >>> [f.message for f in brackets("Le tram (ligne A) passe.", "The tram (line A passes.")]
    ['The translation has 0 “)” where the source has 1.']
    """
    findings = []
    for bracket in _BRACKETS:
        expected, found = source.count(bracket), target.count(bracket)
        if expected != found:
            findings.append(
                Finding(
                    BRACKETS_MISMATCH,
                    Severity.WARNING,
                    f"The translation has {found} “{bracket}” where the source has {expected}.",
                    source_span=_span_of(source, bracket),
                    target_span=_span_of(target, bracket),
                )
            )
    return findings


def quotes(source: str, target: str) -> list[Finding]:
    """Quotation marks pair up in the translation, and quotes of the source are not lost.

    >>> quotes("Il a dit : « oui ».", "He said: “yes”.")
    []
    >>> [f.message for f in quotes("Il a dit : « oui ».", "He said: “yes.")]
    ['The translation opens 1 “ but closes 0 ”.']
    >>> [f.kind for f in quotes("Il a dit : « oui ».", "He said: yes.")]
    ['quotes-unbalanced']
    """
    findings = []
    opened, closed = target.count("“"), target.count("”")
    if opened != closed:
        findings.append(
            Finding(
                QUOTES_UNBALANCED,
                Severity.WARNING,
                f"The translation opens {opened} “ but closes {closed} ”.",
                target_span=_span_of(target, "“" if opened > closed else "”"),
            )
        )
    if target.count('"') % 2 and not source.count('"') % 2:  # an odd source is not its fault
        findings.append(
            Finding(
                QUOTES_UNBALANCED,
                Severity.WARNING,
                "The translation has an odd number of \" marks.",
                target_span=_span_of(target, '"'),
            )
        )
    source_quotes = source.count("«") + source.count("“") + source.count('"') // 2
    target_quotes = opened + target.count('"') // 2 + target.count("‘")
    if source_quotes and not target_quotes and not findings:
        findings.append(
            Finding(
                QUOTES_UNBALANCED,
                Severity.WARNING,
                "The source quotes something; the translation has no quotation marks.",
                source_span=_span_of(source, "«") or _span_of(source, "“"),
            )
        )
    return findings


def repeated_words(source: str, target: str) -> list[Finding]:
    """The same word twice in a row in the translation ("the the"), as pofilter's doublewords.

    >>> [(f.message, f.target_span) for f in repeated_words("Le chat.", "The the cat.")]
    [('“the” is repeated.', (4, 7))]
    >>> repeated_words("Le chat.", "The cat, the cat.")
    []
    """
    findings = []
    for match in _REPEATED.finditer(target):
        if "\n" in match.group(2):
            continue
        findings.append(
            Finding(
                REPEATED_WORD,
                Severity.WARNING,
                f"“{match.group(3).lower()}” is repeated.",
                target_span=match.span(3),
            )
        )
    return findings


def _final(text: str) -> tuple[str, int]:
    """The final punctuation class of ``text`` ("" if none) and its offset."""
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…", len(stripped) - 3
    if stripped and stripped[-1] in _END_CLASSES:
        return _END_CLASSES[stripped[-1]], len(stripped) - 1
    return "", len(stripped)


def end_punctuation(source: str, target: str) -> list[Finding]:
    """The translation ends like the source: a question stays a question, a sentence ends.

    >>> end_punctuation("Vraiment ?", "Really?"), end_punctuation("Voilà…", "There it is...")
    ([], [])
    >>> [f.message for f in end_punctuation("Le tram passe.", "The tram passes")]
    ['The source ends with “.”, the translation with nothing.']
    """
    expected, source_at = _final(source)
    found, target_at = _final(target)
    if expected == found or not expected or {expected, found} <= {".", "…"}:
        return []
    return [
        Finding(
            END_PUNCTUATION,
            Severity.WARNING,
            f"The source ends with “{expected}”, the translation with {f'“{found}”' if found else 'nothing'}.",
            source_span=(source_at, source_at + 1),
            target_span=(target_at, target_at + 1) if found else None,
        )
    ]


def start_capital(source: str, target: str) -> list[Finding]:
    """The translation starts in the same case as the source (digits and quotes skipped).

    >>> start_capital("Le tram.", "The tram."), start_capital("et puis.", "and then.")
    ([], [])
    >>> [f.kind for f in start_capital("Le tram.", "the tram.")]
    ['start-capital']
    """
    first_source = re.search(r"[^\W\d_]", source)
    first_target = re.search(r"[^\W\d_]", target)
    if not first_source or not first_target:
        return []
    if first_source.start() > 3 or first_target.start() > 3:
        return []  # starts with a number or a name in brackets: no rule
    if first_source.group().isupper() == first_target.group().isupper():
        return []
    return [
        Finding(
            START_CAPITAL,
            Severity.INFO,
            "The translation does not start in the same case as the source.",
            source_span=first_source.span(),
            target_span=first_target.span(),
        )
    ]


def _span_of(text: str, needle: str) -> tuple[int, int] | None:
    at = text.rfind(needle)
    return (at, at + len(needle)) if at >= 0 else None
