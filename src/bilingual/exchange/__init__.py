"""Exchange formats: the files bilingual shares with CAT tools, spreadsheets and other programs.

One table, :data:`FORMATS`, names every format with the suffixes it is known by and what it holds:
translation ``units`` (TMX, XLIFF, bilingual TSV: build outputs, memory import and export,
validation, QA) or glossary ``terms`` (tab-separated, CSV, TBX: glossary import and export).
Each format's code is one module, imported only when the format is used; it provides a codec of
one shape (:class:`UnitCodec` or :class:`TermCodec`).

>>> format_named("xliff12", "units").label
'XLIFF 1.2'
>>> format_for(Path("memory.xlf"), "units").name, format_for(Path("ai.utf8"), "terms").name
('xliff', 'tsv')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import FormatError
from ..registry import load
from .units import FileHeader, Problem, TranslationUnit

if TYPE_CHECKING:
    from ..glossary.entry import Entry

Holds = Literal["units", "terms"]


@dataclass(frozen=True, slots=True)
class Validation:
    """What validating a file found: its format and version, its problems, how many units."""

    label: str
    problems: list[Problem]
    units: int


@dataclass(frozen=True, slots=True)
class UnitCodec:
    """How one format of translation units is read, written and validated."""

    read: Callable[[Path], Iterator[TranslationUnit]]
    write: Callable[[Path, Iterable[TranslationUnit], FileHeader], int]
    validate: Callable[[Path], Validation] | None = None


@dataclass(frozen=True, slots=True)
class TermsRead:
    """The entries a glossary file holds, and the ones left out with why (line, reason)."""

    entries: list[Entry]
    skipped: list[Problem]


@dataclass(frozen=True, slots=True)
class TermCodec:
    """How one glossary format is read and rendered."""

    read: Callable[[Path], TermsRead]
    render: Callable[[Iterable[Entry]], bytes]


@dataclass(frozen=True, slots=True)
class ExchangeFormat:
    name: str
    label: str
    holds: Holds
    suffixes: tuple[str, ...]
    codec: str  # "module:attribute" of its UnitCodec or TermCodec

    @property
    def suffix(self) -> str:
        """The suffix of the files we write in this format."""
        return self.suffixes[0]


FORMATS: tuple[ExchangeFormat, ...] = (
    ExchangeFormat("tmx", "TMX 1.4", "units", (".tmx",), "bilingual.exchange.tmx:CODEC"),
    ExchangeFormat(
        "xliff", "XLIFF 2.1", "units", (".xlf", ".xliff"), "bilingual.exchange.xliff:CODEC_2"
    ),
    ExchangeFormat("xliff12", "XLIFF 1.2", "units", (".xlf",), "bilingual.exchange.xliff:CODEC_12"),
    ExchangeFormat(
        "tsv", "bilingual TSV", "units", (".tsv", ".tab"), "bilingual.exchange.tsv:CODEC"
    ),
    ExchangeFormat(
        "tsv",
        "tab-separated glossary (OmegaT)",
        "terms",
        (".utf8", ".tsv", ".txt", ".tab"),
        "bilingual.glossary.formats:TSV",
    ),
    ExchangeFormat("csv", "CSV glossary", "terms", (".csv",), "bilingual.glossary.formats:CSV"),
    ExchangeFormat("tbx", "TBX v2", "terms", (".tbx",), "bilingual.exchange.tbx:CODEC_2"),
    ExchangeFormat(
        "tbx3", "TBX v3 (ISO 30042:2019)", "terms", (".tbx",), "bilingual.exchange.tbx:CODEC_3"
    ),
)


def names(holds: Holds) -> list[str]:
    """The format names for ``holds``, in table order."""
    return [fmt.name for fmt in FORMATS if fmt.holds == holds]


def format_named(name: str, holds: Holds) -> ExchangeFormat:
    for fmt in FORMATS:
        if fmt.name == name and fmt.holds == holds:
            return fmt
    raise FormatError(
        "--format", f"unknown format {name!r}; choose one of: {', '.join(names(holds))}"
    )


def format_for(path: Path, holds: Holds, name: str | None = None) -> ExchangeFormat:
    """The format of ``path``: ``name`` when given, else the first one known by its suffix.

    An XLIFF file of either version reads with either XLIFF codec.
    """
    if name:
        return format_named(name, holds)
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS:
        if fmt.holds == holds and suffix in fmt.suffixes:
            return fmt
    known = sorted({s for fmt in FORMATS if fmt.holds == holds for s in fmt.suffixes})
    raise FormatError(
        path,
        f"cannot tell the format from the extension {suffix or '(none)'}; use one of "
        f"{', '.join(known)} or pass --format ({', '.join(dict.fromkeys(names(holds)))})",
    )


def unit_codec(fmt: ExchangeFormat) -> UnitCodec:
    codec: UnitCodec = load(fmt.codec)
    return codec


def term_codec(fmt: ExchangeFormat) -> TermCodec:
    codec: TermCodec = load(fmt.codec)
    return codec


def read_units(path: Path, name: str | None = None) -> Iterator[TranslationUnit]:
    """The translation units of a TMX, XLIFF (1.2 or 2.x) or bilingual TSV file."""
    return unit_codec(format_for(path, "units", name)).read(Path(path))


def write_units(
    path: Path, units: Iterable[TranslationUnit], header: FileHeader, name: str | None = None
) -> int:
    """Write ``units`` to ``path`` in format ``name`` (default: from the suffix), atomically."""
    return unit_codec(format_for(path, "units", name)).write(Path(path), units, header)


def validate(path: Path, name: str | None = None) -> Validation:
    """Check ``path`` against its format (TMX 1.4, XLIFF 1.2 or 2.x) with line numbers.

    Raises :class:`FormatError` when the file is not even safe, well-formed XML.
    """
    fmt = format_for(path, "units", name)
    codec = unit_codec(fmt)
    if codec.validate is None:
        raise FormatError(path, f"{fmt.label} files have no schema to validate against")
    return codec.validate(Path(path))


__all__ = [
    "FORMATS",
    "ExchangeFormat",
    "FileHeader",
    "Problem",
    "TermCodec",
    "TermsRead",
    "TranslationUnit",
    "UnitCodec",
    "Validation",
    "format_for",
    "format_named",
    "names",
    "read_units",
    "term_codec",
    "unit_codec",
    "validate",
    "write_units",
]
