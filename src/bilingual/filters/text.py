"""Plain text (``.txt``): read as it always was; ``NAME.en.txt`` keeps its layout.

The blocks of a plain text are its paragraphs (runs of non-blank lines), found by the
segmentation itself; a text has no inline codes. The English text is the source with every
segment replaced by its translation: blank lines, the line breaks inside a paragraph and
indentation come back exactly as they were.
"""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..textio import atomic_write
from . import DocumentFilter, ReadOptions, read_text
from .rebuild import english_text


def read(source: Path | bytes, options: ReadOptions) -> Document:
    text, metadata = read_text(source)
    name = "text" if isinstance(source, bytes) else source.stem
    return Document(name, text, format="text", metadata=metadata)


def write_translation(document: Document, path: Path) -> None:
    atomic_write(path, english_text(document))


FILTER = DocumentFilter(read, write_translation)
