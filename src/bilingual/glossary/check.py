"""Checking a translation against the glossary: one finding per source term occurrence.

Each occurrence in the source claims one occurrence of its approved English term in the
target (longer terms first, so "full-stack AI" is not also counted as "AI"); an occurrence
left without one is ``term-missing``, or ``term-forbidden`` when a forbidden rendering of the
term is there instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import partial

from ..document import Finding, Severity
from .entry import Entry, EntryKind, TermMatch
from .match import Token, english_key, find_english, tokenize
from .protect import _PLACEHOLDER_TEXT
from .termbase import Glossary

Span = tuple[int, int]


def check_unit(
    source: str, target: str, matches: Sequence[TermMatch], glossary: Glossary
) -> list[Finding]:
    """Findings for one translated segment.

    >>> from bilingual.glossary.entry import Entry
    >>> from bilingual.glossary.termbase import Glossary
    >>> g = Glossary.from_entries([Entry("Meta", "Meta"),
    ...     Entry("Meta", "Dip", kind=EntryKind.FORBIDDEN)])
    >>> source = "Le modèle de Meta."
    >>> [f.kind for f in check_unit(source, "The model of Dip.", g.match_source(source), g)]
    ['term-forbidden']
    """
    tokens = tokenize(target, english_key)
    groups: dict[Entry, list[TermMatch]] = {}
    for match in matches:
        groups.setdefault(match.entry, []).append(match)
    claimed: list[Span] = []
    findings: list[Finding] = []
    for entry in sorted(groups, key=lambda e: -max(len(t) for t in e.targets)):
        findings.extend(_check_entry(entry, groups[entry], target, tokens, glossary, claimed))
    for leftover in _PLACEHOLDER_TEXT.finditer(target):
        findings.append(
            Finding(
                "protection-failed",
                Severity.WARNING,
                f"placeholder “{leftover.group()}” came back damaged from the engine; "
                "a glossary term was not restored",
                target_span=(leftover.start(), leftover.end()),
            )
        )
    findings.sort(key=lambda f: f.source_span or (len(source), len(source)))
    return findings


def _check_entry(
    entry: Entry,
    occurrences: list[TermMatch],
    target: str,
    tokens: list[Token],
    glossary: Glossary,
    claimed: list[Span],
) -> list[Finding]:
    approved: list[Span] = []
    if entry.kind is not EntryKind.FORBIDDEN:
        for text in entry.targets:
            approved.extend(find_english(target, text, entry.case, tokens))
    forbidden_entries = glossary.forbidden_for(entry)
    if entry.kind is EntryKind.FORBIDDEN and entry not in forbidden_entries:
        forbidden_entries.append(entry)
    forbidden: list[tuple[Span, str]] = []
    for rendering in forbidden_entries:
        for span in find_english(target, rendering.target, rendering.case, tokens):
            if not _overlaps(span, approved) and not _overlaps(span, claimed):
                forbidden.append((span, target[span[0] : span[1]]))
    available = sorted({span for span in approved if not _overlaps(span, claimed)})
    forbidden.sort()
    findings: list[Finding] = []
    for match in occurrences:
        about = partial(
            Finding,
            term=entry.source,
            status=entry.kind.value,
            source_span=(match.start, match.end),
        )
        expected = None if entry.kind is EntryKind.FORBIDDEN else entry.target
        if available and expected is not None:
            span = available.pop(0)
            claimed.append(span)
            findings.append(
                about(
                    "term-ok",
                    Severity.INFO,
                    f"“{match.text}” → “{target[span[0] : span[1]]}”",
                    expected=expected,
                    target_span=span,
                )
            )
        elif forbidden:
            span, used = forbidden.pop(0)
            advice = f"; use “{expected}”" if expected else ""
            findings.append(
                about(
                    "term-forbidden",
                    Severity.ERROR,
                    f"“{match.text}” rendered “{used}”, a forbidden rendering{advice}",
                    expected=expected,
                    target_span=span,
                )
            )
        elif expected is None:
            findings.append(
                about("term-ok", Severity.INFO, f"“{match.text}”: no forbidden rendering")
            )
        else:
            findings.append(
                about(
                    "term-missing",
                    Severity.WARNING,
                    f"“{match.text}” should be rendered “{expected}”, not found in the translation",
                    expected=expected,
                )
            )
    if forbidden:
        # A forbidden rendering left over means one occurrence was rendered both ways.
        for index in range(len(findings) - 1, -1, -1):
            if findings[index].kind == "term-ok":
                ok = findings[index]
                span, used = forbidden[0]
                findings[index] = Finding(
                    "term-forbidden",
                    Severity.ERROR,
                    f"forbidden rendering “{used}” used for “{ok.term}”; use “{ok.expected}”",
                    term=ok.term,
                    expected=ok.expected,
                    status=ok.status,
                    source_span=ok.source_span,
                    target_span=span,
                )
                break
    return findings


def _overlaps(span: Span, spans: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


TERM_KINDS = {"term-ok": "ok", "term-missing": "missing", "term-forbidden": "forbidden"}


def findings_summary(findings_per_unit: Iterable[Iterable[Finding]]) -> str:
    """One line per text: how its glossary terms fared.

    >>> ok = Finding("term-ok", Severity.INFO, "")
    >>> findings_summary([[ok, ok], [Finding("term-missing", Severity.WARNING, "")]])
    '3 terms: 2 ok, 1 missing, 0 forbidden'
    """
    counts: Counter[str] = Counter()
    for findings in findings_per_unit:
        counts.update(f.kind for f in findings)
    total = sum(counts[kind] for kind in TERM_KINDS)
    line = f"{total} term{'s' if total != 1 else ''}: " + ", ".join(
        f"{counts[kind]} {label}" for kind, label in TERM_KINDS.items()
    )
    if counts["protection-failed"]:
        line += f", {counts['protection-failed']} protection failed"
    return line
