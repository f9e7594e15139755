"""Glossary entries, their attributes (the fourth column), and the matches of their terms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from ..errors import GlossaryError


class EntryKind(str, Enum):
    """What an entry asks of a translation (Weblate's model: preferred, forbidden, untranslatable)."""

    PREFERRED = "preferred"  # the source term must be rendered by ``target``
    DO_NOT_TRANSLATE = "do-not-translate"  # a name: ``target`` is the source itself
    FORBIDDEN = "forbidden"  # ``target`` must never render the source term


class CaseMode(str, Enum):
    """How letter case counts when matching the source term.

    ``auto`` (the default) keeps ordinary words case-robust and proper names and acronyms safe:
    a capitalised word of the entry must be capitalised in the text, a word in capitals (an
    acronym, at least two letters) must be in capitals, a lower-case word matches any case.
    """

    AUTO = "auto"
    SENSITIVE = "sensitive"
    INSENSITIVE = "insensitive"


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary line.

    ``variants`` are other source spellings of the same term; ``target_variants`` other
    accepted English renderings. ``pos`` ("noun", "adjective", "name", ...) decides whether the
    English target takes a plural. ``extra`` keeps attributes this version does not know, and
    ``columns`` any columns after the fourth, so an edit never loses them.
    """

    source: str
    target: str
    comment: str = ""
    kind: EntryKind = EntryKind.PREFERRED
    case: CaseMode = CaseMode.AUTO
    variants: tuple[str, ...] = ()
    target_variants: tuple[str, ...] = ()
    pos: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()
    path: str = ""
    line: int = 0

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.variants)

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.target_variants)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def identity(self) -> str:
        """What a translation depends on: changes to the comment or the line do not count."""
        return "\x1f".join(
            (
                self.source,
                self.target,
                self.kind.value,
                self.case.value,
                "|".join(self.variants),
                "|".join(self.target_variants),
                self.pos,
            )
        )


@dataclass(frozen=True, slots=True)
class TermMatch:
    """An occurrence of an entry's source term: ``text == source[start:end]``."""

    entry: Entry
    start: int
    end: int
    text: str


ATTRIBUTE_KEYS = ("status", "case", "variants", "target-variants", "pos")
POS_VALUES = ("noun", "uncountable", "adjective", "name", "verb", "phrase")
#: Kinds by the names TBX and other tools use, besides ours.
KIND_ALIASES = {
    "dnt": EntryKind.DO_NOT_TRANSLATE,
    "untranslatable": EntryKind.DO_NOT_TRANSLATE,
    "deprecated": EntryKind.FORBIDDEN,
}


def parse_attributes(text: str, path: str, line: int) -> dict[str, str]:
    """``status=forbidden; case=sensitive`` → a dict; anything else is an error.

    >>> parse_attributes("status=do-not-translate; case=sensitive", "g.utf8", 3)
    {'status': 'do-not-translate', 'case': 'sensitive'}
    """
    attributes: dict[str, str] = {}
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key, equals, value = part.partition("=")
        if not equals or not key.strip():
            raise GlossaryError(
                path, f"attribute {part!r} is not key=value (e.g. status=forbidden)", line=line
            )
        attributes[key.strip().lower()] = value.strip()
    return attributes


def format_attributes(entry: Entry) -> str:
    parts: list[str] = []
    if entry.kind is not default_kind(entry.source, entry.target):
        parts.append(f"status={entry.kind.value}")
    if entry.case is not CaseMode.AUTO:
        parts.append(f"case={entry.case.value}")
    if entry.variants:
        parts.append("variants=" + "|".join(entry.variants))
    if entry.target_variants:
        parts.append("target-variants=" + "|".join(entry.target_variants))
    if entry.pos:
        parts.append(f"pos={entry.pos}")
    parts.extend(f"{key}={value}" for key, value in entry.extra)
    return "; ".join(parts)


def default_kind(source: str, target: str) -> EntryKind:
    return EntryKind.DO_NOT_TRANSLATE if source == target else EntryKind.PREFERRED


def make_entry(
    source: str,
    target: str,
    comment: str = "",
    attributes: dict[str, str] | None = None,
    columns: Iterable[str] = (),
    path: str = "",
    line: int = 0,
) -> Entry:
    """Validate one entry's fields and attributes into an :class:`Entry`."""
    attributes = dict(attributes or {})
    source, target = source.strip(), target.strip()
    if not source:
        raise GlossaryError(path, "empty source term", line=line)
    status = attributes.pop("status", "").lower()
    try:
        kind = KIND_ALIASES.get(status) or EntryKind(status) if status else None
    except ValueError:
        choices = ", ".join(k.value for k in EntryKind)
        raise GlossaryError(
            path, f"unknown status {status!r}; use one of: {choices}", line=line
        ) from None
    if kind is None:
        kind = default_kind(source, target)
    if not target:
        if kind is not EntryKind.DO_NOT_TRANSLATE:
            raise GlossaryError(path, f"empty target for {source!r}", line=line)
        target = source
    case_name = attributes.pop("case", "auto").lower() or "auto"
    try:
        case = CaseMode(case_name)
    except ValueError:
        raise GlossaryError(
            path, f"unknown case {case_name!r}; use sensitive, insensitive or auto", line=line
        ) from None
    pos = attributes.pop("pos", "").lower()
    if pos and pos not in POS_VALUES:
        raise GlossaryError(
            path, f"unknown pos {pos!r}; use one of: {', '.join(POS_VALUES)}", line=line
        )
    variants = tuple(v.strip() for v in attributes.pop("variants", "").split("|") if v.strip())
    target_variants = tuple(
        v.strip() for v in attributes.pop("target-variants", "").split("|") if v.strip()
    )
    _check_fields(
        [("source", source), ("target", target), ("comment", comment)],
        [
            *(("variant", variant) for variant in variants),
            *(("target variant", variant) for variant in target_variants),
            *((f"attribute {key}", value) for key, value in attributes.items()),
        ],
        path,
        line,
    )
    return Entry(
        source=source,
        target=target,
        comment=comment.strip(),
        kind=kind,
        case=case,
        variants=variants,
        target_variants=target_variants,
        pos=pos,
        extra=tuple(attributes.items()),
        columns=tuple(columns),
        path=path,
        line=line,
    )


#: Characters no field may hold: they separate fields and lines of the tab-separated file.
_FIELD_BREAKERS = ("\t", "\n", "\r")
#: Characters an attribute value may not hold besides: they separate attributes and variants.
_ATTRIBUTE_BREAKERS = (";", "|")


def _check_fields(
    fields: Iterable[tuple[str, str]],
    attribute_values: Iterable[tuple[str, str]],
    path: str,
    line: int,
) -> None:
    """Refuse a value that would change the meaning of the line it is written into.

    >>> make_entry("souris", "mouse", attributes={"variants": "souriceau; status=forbidden"},
    ...            path="command line")
    Traceback (most recent call last):
    ...
    bilingual.errors.GlossaryError: command line: variant 'souriceau; status=forbidden' contains ';', which separates attributes; remove it
    """
    for name, value in fields:
        for breaker in _FIELD_BREAKERS:
            if breaker in value:
                raise GlossaryError(
                    path,
                    f"{name} {value!r} contains a tab or a line break; remove it",
                    line=line or None,
                )
    for name, value in attribute_values:
        for breaker in (*_FIELD_BREAKERS, *_ATTRIBUTE_BREAKERS):
            if breaker in value:
                role = "separates attributes" if breaker == ";" else "separates variants"
                if breaker in _FIELD_BREAKERS:
                    role = "breaks the line"
                raise GlossaryError(
                    path,
                    f"{name} {value!r} contains {breaker!r}, which {role}; remove it",
                    line=line or None,
                )
