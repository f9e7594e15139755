"""SRX 2.0 rules (LanguageTool's or a CAT tool's) run through choppa-srx, mapped to offsets.

choppa is imported on first use only: loading it pulls in the ``regex`` module and parsing
LanguageTool's 220 kB rule file takes a noticeable fraction of a second.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SegmentationError
from .layout import LineSplitter

if TYPE_CHECKING:
    from choppa import SrxDocument

# Language codes tried against the file's <languagemap> patterns: CAT tools write "fr.*",
# "FR.*", "fr-FR" or "fr_FR" and the patterns must match the whole code.
_REGIONS = {"fr": "FR", "en": "US"}
_PROBE = "M. Dupont arrive. Il est midi ! Est-ce l'heure ? Oui."
_LANGUAGE_NAMES = {"fr": "French", "en": "English"}


def _codes(language: str) -> tuple[str, ...]:
    """
    >>> _codes("en")
    ('en', 'en-US', 'en_US', 'EN', 'EN-US')
    """
    region = _REGIONS.get(language, language.upper())
    upper = language.upper()
    return (language, f"{language}-{region}", f"{language}_{region}", upper, f"{upper}-{region}")


def languagetool_rules() -> Path:
    """The path of LanguageTool's ``segment.srx``, shipped inside choppa-srx."""
    import choppa

    return Path(choppa.__file__).parent / "data" / "srx" / "languagetool_segment.srx"


def srx_line_splitter(path: str | Path, language: str = "fr") -> LineSplitter:
    """A line splitter for :func:`~bilingual.segment.layout.build_segments` from an SRX file.

    Raises :class:`~bilingual.errors.SegmentationError` naming the file when it is missing,
    is not SRX, has an invalid regular expression or no rules for ``language``.
    """
    document, code = _load(*_cache_key(path), language)

    def split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
        return _boundaries(document, code, text, start, end)

    return split_line


def _cache_key(path: str | Path) -> tuple[str, int, int]:
    resolved = Path(path).expanduser()
    try:
        stat = resolved.stat()
    except OSError as exc:
        raise SegmentationError(f"{path}: cannot read SRX rules: {exc.strerror}") from exc
    return str(resolved.resolve()), stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int, language: str) -> tuple[SrxDocument, str]:
    # mtime and size are part of the cache key so an edited rule file is read again.
    from choppa import SrxDocument, SrxTextIterator

    try:
        document = SrxDocument(ruleset=path)
        code = max(_codes(language), key=lambda code: len(document.get_language_rule_list(code)))
        if not document.get_language_rule_list(code):
            name = _LANGUAGE_NAMES.get(language, language)
            raise SegmentationError(f"{path}: no <languagemap> of this SRX file matches {name}")
        # choppa compiles the rules' regular expressions lazily: run them once so a broken
        # pattern is reported now, with the file name, not in the middle of a build.
        list(SrxTextIterator(document, code, _PROBE))
    except SegmentationError:
        raise
    except Exception as exc:  # sax, regex and choppa errors have no common base class
        raise SegmentationError(f"{path}: invalid SRX rules: {exc}") from exc
    return document, code


def _boundaries(
    document: SrxDocument, language: str, text: str, start: int, end: int
) -> Iterator[tuple[int, int]]:
    from choppa import SrxTextIterator

    line = text[start:end]
    position = 0
    previous_end = -1
    for piece in SrxTextIterator(document, language, line):
        # choppa yields consecutive slices of its input; trim each to its visible text.
        piece_start = position + len(piece) - len(piece.lstrip())
        piece_end = position + len(piece.rstrip())
        position += len(piece)
        if piece_start >= piece_end:
            continue
        if previous_end >= 0:
            yield start + previous_end, start + piece_start
        previous_end = piece_end
    if position != len(line):
        raise SegmentationError("choppa-srx returned segments that do not cover the text")
