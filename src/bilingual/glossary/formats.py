"""Reading and writing glossaries: OmegaT tab-separated text, CSV and TBX.

The tab-separated file is the project's own format: ``source<TAB>target<TAB>comment``, which
OmegaT reads as is, plus an optional fourth column of ``key=value`` attributes (OmegaT ignores
columns after the third). Readers are strict: a malformed line raises :class:`GlossaryError`
naming the file and line. XML is parsed with entities, DTDs and the network all disabled.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import textio
from ..errors import GlossaryError, InputError
from ..textio import decode_text
from .entry import CaseMode, Entry, EntryKind

TSV_SUFFIXES = (".utf8", ".tsv", ".txt", ".tab")
ATTRIBUTE_KEYS = ("status", "case", "variants", "target-variants", "pos")
POS_VALUES = ("noun", "uncountable", "adjective", "name", "verb", "phrase")
#: Kinds by the names TBX and other tools use, besides ours.
KIND_ALIASES = {
    "dnt": EntryKind.DO_NOT_TRANSLATE,
    "untranslatable": EntryKind.DO_NOT_TRANSLATE,
    "deprecated": EntryKind.FORBIDDEN,
}


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line of a tab-separated glossary, parsed or not (comments, blanks)."""

    number: int
    raw: str
    entry: Entry | None


def decode(data: bytes, path: Path | str) -> str:
    try:
        return decode_text(data, path)
    except InputError as error:
        raise GlossaryError(path, str(error).split(": ", 1)[1], line=error.line) from None


def read_bytes(path: Path) -> bytes:
    return textio.read_bytes(path, GlossaryError)


# --- attributes (the fourth column) -------------------------------------------------------


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


# --- tab-separated ------------------------------------------------------------------------


def parse_tsv_line(raw: str, path: str, number: int) -> Entry | None:
    """One line of the tab-separated format; ``None`` for blank lines and ``#`` comments."""
    if not raw.strip() or raw.startswith("#"):
        return None
    fields = raw.split("\t")
    if len(fields) < 2:
        raise GlossaryError(
            path, "missing target column: a line is source<TAB>target<TAB>comment", line=number
        )
    for field in fields[:4]:
        if field.count('"') % 2:
            raise GlossaryError(path, f"stray quote in {field!r}", line=number)
    for field in fields[:2]:
        if len(field) > 1 and field.startswith('"') and field.endswith('"'):
            raise GlossaryError(
                path,
                f"quoted field {field!r}: this is tab-separated text, drop the quotes",
                line=number,
            )
    comment = fields[2] if len(fields) > 2 else ""
    attributes = parse_attributes(fields[3], path, number) if len(fields) > 3 else {}
    return make_entry(fields[0], fields[1], comment, attributes, fields[4:], path, number)


def read_tsv_lines(path: Path, text: str | None = None) -> list[Line]:
    if text is None:
        text = decode(read_bytes(path), path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [Line(n, raw, parse_tsv_line(raw, str(path), n)) for n, raw in enumerate(lines, 1)]


def read_tsv(path: Path) -> list[Entry]:
    return [line.entry for line in read_tsv_lines(path) if line.entry is not None]


def format_tsv_line(entry: Entry) -> str:
    for value in (entry.source, entry.target, entry.comment):
        if "\t" in value or "\n" in value:
            raise GlossaryError(
                entry.path or "glossary", f"tab or line break in {value!r}", line=entry.line or None
            )
    fields = [entry.source, entry.target, entry.comment]
    attributes = format_attributes(entry)
    if attributes or entry.columns:
        fields.append(attributes)
    fields.extend(entry.columns)
    return "\t".join(fields).rstrip("\t")


def write_tsv(entries: Iterable[Entry]) -> bytes:
    return "".join(format_tsv_line(entry) + "\n" for entry in entries).encode("utf-8")


# --- CSV ----------------------------------------------------------------------------------

CSV_HEADER = ("source", "target", "comment", "attributes")


def read_csv(path: Path) -> list[Entry]:
    text = decode(read_bytes(path), path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    entries: list[Entry] = []
    try:
        for row in reader:
            number = reader.line_num
            if not row or not "".join(row).strip() or row[0].startswith("#"):
                continue
            if number == 1 and [c.strip().lower() for c in row[:2]] == ["source", "target"]:
                continue
            if len(row) < 2:
                raise GlossaryError(
                    path, "missing target column: source,target,comment", line=number
                )
            attributes = parse_attributes(row[3], str(path), number) if len(row) > 3 else {}
            comment = row[2] if len(row) > 2 else ""
            entries.append(
                make_entry(row[0], row[1], comment, attributes, row[4:], str(path), number)
            )
    except csv.Error as error:
        raise GlossaryError(
            path, f"malformed CSV ({error}); check the quotes", line=reader.line_num
        ) from None
    return entries


def write_csv(entries: Iterable[Entry]) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\n")
    for entry in entries:
        writer.writerow(
            [entry.source, entry.target, entry.comment, format_attributes(entry), *entry.columns]
        )
    return stream.getvalue().encode("utf-8")


# --- registry -----------------------------------------------------------------------------

Reader = Callable[[Path], list[Entry]]
Writer = Callable[[Iterable[Entry]], bytes]


def _tbx_reader(path: Path) -> list[Entry]:
    from .tbx import read_tbx

    return read_tbx(path)


def _tbx_writer(entries: Iterable[Entry]) -> bytes:
    from .tbx import write_tbx

    return write_tbx(entries)


def _tbx3_writer(entries: Iterable[Entry]) -> bytes:
    from .tbx import write_tbx3

    return write_tbx3(entries)


#: Format name → (reader, writer). TBX v3 files are read by the same reader as v2.
FORMATS: dict[str, tuple[Reader, Writer]] = {
    "tsv": (read_tsv, write_tsv),
    "csv": (read_csv, write_csv),
    "tbx": (_tbx_reader, _tbx_writer),
    "tbx3": (_tbx_reader, _tbx3_writer),
}
SUFFIX_FORMATS = {**{s: "tsv" for s in TSV_SUFFIXES}, ".csv": "csv", ".tbx": "tbx"}


def format_for(path: Path, name: str | None = None) -> str:
    """The format of ``path``: ``name`` if given, else from the extension.

    >>> format_for(Path("g.tbx")), format_for(Path("g.utf8")), format_for(Path("x"), "csv")
    ('tbx', 'tsv', 'csv')
    """
    if name:
        if name not in FORMATS:
            raise GlossaryError(path, f"unknown format {name!r}; use one of: {', '.join(FORMATS)}")
        return name
    found = SUFFIX_FORMATS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise GlossaryError(path, f"unknown glossary extension; use one of {known} or --format")
    return found


def read_entries(path: Path, format_name: str | None = None) -> list[Entry]:
    return FORMATS[format_for(path, format_name)][0](path)


def render_entries(entries: Iterable[Entry], path: Path, format_name: str | None = None) -> bytes:
    return FORMATS[format_for(path, format_name)][1](entries)


def is_glossary_file(path: Path) -> bool:
    return (
        path.is_file() and not path.name.startswith(".") and path.suffix.lower() in SUFFIX_FORMATS
    )
