"""Finding mistakes in a glossary file before they turn into wrong translations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..document import Severity
from ..errors import GlossaryError
from .entry import ATTRIBUTE_KEYS, CaseMode, Entry, EntryKind
from .formats import decode, format_for, parse_tsv_line, read_bytes, read_entries
from .match import WORD, french_key
from .termbase import Glossary


@dataclass(frozen=True, slots=True)
class Issue:
    path: str
    line: int | None
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.value}: {self.message} [{self.code}]"


def lint_files(paths: Iterable[Path]) -> list[Issue]:
    """Every issue in ``paths``, in file and line order; duplicates are looked for across files."""
    issues: list[Issue] = []
    entries: list[Entry] = []
    for path in paths:
        file_issues, file_entries = _lint_file(path)
        issues.extend(file_issues)
        entries.extend(file_entries)
    issues.extend(_lint_entries(entries))
    return sorted(issues, key=lambda i: (i.path, i.line or 0))


def _lint_file(path: Path) -> tuple[list[Issue], list[Entry]]:
    try:
        if format_for(path) != "tsv":
            return [], read_entries(path)
        text = decode(read_bytes(path), path)
    except GlossaryError as error:
        return [Issue(error.path, error.line, Severity.ERROR, "unreadable", _reason(error))], []
    issues: list[Issue] = []
    entries: list[Entry] = []
    for number, raw in enumerate(text.split("\n"), 1):
        try:
            entry = parse_tsv_line(raw, str(path), number)
        except GlossaryError as error:
            issues.append(Issue(str(path), number, Severity.ERROR, "malformed", _reason(error)))
            continue
        if entry is not None:
            entries.append(entry)
            issues.extend(_lint_fields(entry, raw))
    return issues, entries


def _reason(error: GlossaryError) -> str:
    where = f"{error.path}:{error.line}: " if error.line else f"{error.path}: "
    message = str(error)
    return message.removeprefix(where)


def _lint_fields(entry: Entry, raw: str) -> list[Issue]:
    issues: list[Issue] = []

    def warn(code: str, message: str) -> None:
        issues.append(Issue(entry.path, entry.line, Severity.WARNING, code, message))

    fields = raw.split("\t")
    if any(f != f.strip() for f in fields[:3]):
        warn("whitespace", "a field starts or ends with spaces")
    if len(fields) > 3 and not fields[3].strip() and not entry.columns:
        warn("empty-field", "empty attribute column (a trailing tab)")
    if entry.columns:
        warn(
            "stray-column",
            f"{len(entry.columns)} stray column(s) after the attributes: {'; '.join(entry.columns)!r}",
        )
    for key, _ in entry.extra:
        warn("unknown-attribute", f"unknown attribute {key!r}; known: {', '.join(ATTRIBUTE_KEYS)}")
    return issues


def _keys(text: str) -> tuple[str, ...]:
    return tuple(french_key(word) for word in WORD.findall(text))


def _lint_entries(entries: list[Entry]) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[tuple[tuple[str, ...], str, EntryKind], Entry] = {}
    approved: dict[tuple[str, ...], Entry] = {}
    glossary = Glossary.from_entries(entries)
    for entry in entries:
        keys = _keys(entry.source)
        identity = (keys, entry.target.casefold(), entry.kind)
        if identity in seen:
            first = seen[identity]
            issues.append(
                Issue(
                    entry.path,
                    entry.line,
                    Severity.WARNING,
                    "duplicate",
                    f"duplicate of {first.where}: {entry.source!r} → {entry.target!r}",
                )
            )
            continue
        seen[identity] = entry
        if entry.kind is not EntryKind.FORBIDDEN and entry.case is not CaseMode.SENSITIVE:
            other = approved.get(keys)
            if other is not None and other.case is entry.case:
                issues.append(
                    Issue(
                        entry.path,
                        entry.line,
                        Severity.ERROR,
                        "conflict",
                        f"{entry.source!r} → {entry.target!r} conflicts with {other.where}: "
                        f"{other.source!r} → {other.target!r}; keep one, or make the other "
                        "a target-variants attribute",
                    )
                )
            approved.setdefault(keys, entry)
        issues.extend(_never_matches(entry, glossary))
    for entry in entries:
        if entry.kind is EntryKind.FORBIDDEN:
            other = approved.get(_keys(entry.source))
            if other is not None and other.target.casefold() == entry.target.casefold():
                issues.append(
                    Issue(
                        entry.path,
                        entry.line,
                        Severity.ERROR,
                        "conflict",
                        f"{entry.target!r} is both approved ({other.where}) and forbidden for {entry.source!r}",
                    )
                )
    return issues


def _never_matches(entry: Entry, glossary: Glossary) -> list[Issue]:
    """An entry whose own spelling does not match is dead: check each spelling against itself."""
    issues: list[Issue] = []
    for source in entry.sources:
        words = list(WORD.finditer(source))
        if not words:
            issues.append(
                Issue(
                    entry.path,
                    entry.line,
                    Severity.ERROR,
                    "never-matches",
                    f"{source!r} has no letter or digit: it can never match",
                )
            )
            continue
        span = (words[0].start(), words[-1].end())
        if not any((m.start, m.end) == span for m in glossary.match_source(source)):
            issues.append(
                Issue(
                    entry.path,
                    entry.line,
                    Severity.ERROR,
                    "never-matches",
                    f"{source!r} can never match: only spaces, hyphens and apostrophes "
                    "may join its words",
                )
            )
    return issues
