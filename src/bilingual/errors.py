"""One error hierarchy for the whole library.

The CLI catches :class:`BilingualError` only and prints ``Error: <message>``; every message
names the file (and line) at fault and, where there is one, the fix.
"""

from __future__ import annotations

from pathlib import Path


class BilingualError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(BilingualError):
    """A source text cannot be read: missing, not UTF-8, binary, empty folder..."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class SegmentationError(BilingualError):
    """Segmentation rules are missing or invalid."""


class EngineUnavailable(BilingualError):
    """A translation engine cannot run here (not installed, no model)."""


class EngineError(BilingualError):
    """A translation engine ran but failed or returned something unusable."""


class ModelError(BilingualError):
    """An Argos model package is missing or invalid."""


class GlossaryError(InputError):
    """A glossary file is malformed."""


class ExportError(BilingualError):
    """An output file cannot be written."""


class FormatError(InputError):
    """An exchange file (TMX, XLIFF, TBX) is malformed or unsafe."""


class TranslationMemoryError(BilingualError):
    """The translation memory database is unusable (corrupt, foreign, locked)."""


class AlignmentError(BilingualError):
    """Two texts cannot be aligned: a side is empty, the lengths are far apart, a side is
    in the wrong language."""
