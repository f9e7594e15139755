"""Reading and writing glossaries: OmegaT tab-separated text and CSV (TBX: :mod:`bilingual.exchange.tbx`).

The tab-separated file is the project's own format: ``source<TAB>target<TAB>comment``, which
OmegaT reads as is, plus an optional fourth column of ``key=value`` attributes (OmegaT ignores
columns after the third). Readers are strict: a malformed line raises :class:`GlossaryError`
naming the file and line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import exchange, textio
from ..errors import FormatError, GlossaryError, InputError
from ..exchange import TermCodec, TermsRead
from ..textio import decode_text
from .entry import Entry, format_attributes, make_entry, parse_attributes


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
    """The line of ``entry`` in the tab-separated format (fields were checked by make_entry).

    A source starting with ``#`` would be read back as a comment, so it is refused here.
    """
    if entry.source.startswith("#"):
        raise GlossaryError(
            entry.path or "glossary",
            f"source term {entry.source!r} starts with '#', which marks a comment line in a "
            "tab-separated glossary; write it without the '#'",
            line=entry.line or None,
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
            if number == 1 and [c.strip().lower() for c in row[:2]] == list(CSV_HEADER[:2]):
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


# --- the formats in the exchange table ----------------------------------------------------


def _read_tsv_terms(path: Path) -> TermsRead:
    return TermsRead(read_tsv(path), [])


def _read_csv_terms(path: Path) -> TermsRead:
    return TermsRead(read_csv(path), [])


TSV = TermCodec(_read_tsv_terms, write_tsv)
CSV = TermCodec(_read_csv_terms, write_csv)


def format_for(path: Path, name: str | None = None) -> str:
    """The glossary format of ``path``: ``name`` if given, else from the extension.

    >>> format_for(Path("g.tbx")), format_for(Path("g.utf8")), format_for(Path("x"), "csv")
    ('tbx', 'tsv', 'csv')
    """
    try:
        return exchange.format_for(path, "terms", name).name
    except FormatError as error:
        raise GlossaryError(path, str(error).split(": ", 1)[1]) from None


def read_terms(path: Path, format_name: str | None = None) -> TermsRead:
    """The entries of a glossary file in any format, and those it had to leave out."""
    fmt = exchange.format_named(format_for(path, format_name), "terms")
    return exchange.term_codec(fmt).read(path)


def read_entries(path: Path, format_name: str | None = None) -> list[Entry]:
    return read_terms(path, format_name).entries


def render_entries(entries: Iterable[Entry], path: Path, format_name: str | None = None) -> bytes:
    fmt = exchange.format_named(format_for(path, format_name), "terms")
    return exchange.term_codec(fmt).render(entries)


def is_glossary_file(path: Path) -> bool:
    suffixes = {s for fmt in exchange.FORMATS if fmt.holds == "terms" for s in fmt.suffixes}
    return path.is_file() and not path.name.startswith(".") and path.suffix.lower() in suffixes
