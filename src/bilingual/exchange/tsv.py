"""Bilingual tab-separated text: one unit a line, for spreadsheets and scripts.

Columns: French source, English target, then optionally origin (``human``/``machine``), engine,
document and the date of the translation (ISO 8601). Tabs, line breaks and backslashes inside a
field are written as ``\\t``, ``\\n``, ``\\r`` and ``\\\\``. A first line naming the columns
(``source<TAB>target...``) is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..document import Origin
from ..errors import FormatError
from ..textio import atomic_output, read_bytes
from . import UnitCodec
from .units import FileHeader, Note, TranslationUnit, parse_date

COLUMNS = ("source", "target", "origin", "engine", "document", "changed")
_ORIGINS = frozenset(member.value for member in Origin)

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def escape(text: str) -> str:
    """
    >>> escape("a\\tb\\\\c")
    'a\\\\tb\\\\\\\\c'
    >>> unescape(escape("a\\tb\\\\c\\nd")) == "a\\tb\\\\c\\nd"
    True
    """
    return re.sub(r"[\\\t\n\r]", lambda match: _ESCAPES[match.group()], text)


def unescape(text: str) -> str:
    # An unknown escape (a Windows path, say) is kept as written.
    return re.sub(r"\\(.)", lambda match: _UNESCAPES.get(match.group(1), match.group()), text)


def write_units(path: Path, units: Iterable[TranslationUnit], header: FileHeader) -> int:
    """Write ``units`` to ``path`` (atomically); return how many."""
    count = 0
    with atomic_output(path) as stream:
        for unit in units:
            origin = Origin.MACHINE if unit.is_machine else Origin.HUMAN
            columns = (
                unit.source,
                unit.target,
                origin.value,
                unit.engine or "",
                unit.document or header.document or "",
                unit.changed.isoformat() if unit.changed else "",
            )
            stream.write(("\t".join(escape(column) for column in columns) + "\n").encode("utf-8"))
            count += 1
    return count


def read_units(path: Path) -> Iterator[TranslationUnit]:
    data = read_bytes(path, FormatError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(
            path,
            "not valid UTF-8; re-save the file as UTF-8",
            line=data.count(b"\n", 0, error.start) + 1,
        ) from None
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        columns = line.split("\t")
        if number == 1 and [column.strip().lower() for column in columns[:2]] == list(COLUMNS[:2]):
            continue
        if len(columns) < 2:
            raise FormatError(
                path, "expected tab-separated columns: French source, English target", line=number
            )
        # a third column that is not an origin is someone's note: kept, not trusted
        origin_text = columns[2].strip().lower() if len(columns) > 2 else ""
        origin = Origin(origin_text) if origin_text in _ORIGINS else None
        target = unescape(columns[1])
        yield TranslationUnit(
            source=unescape(columns[0]),
            target=target,
            origin=origin,
            notes=(Note(unescape(columns[2])),) if origin is None and origin_text else (),
            translated=bool(target.strip()),
            engine=unescape(columns[3]) or None if len(columns) > 3 else None,
            document=unescape(columns[4]) or None if len(columns) > 4 else None,
            changed=parse_date(columns[5]) if len(columns) > 5 else None,
            line=number,
        )


CODEC = UnitCodec(read_units, write_units)
