"""Plain text (``.txt``): UTF-8, read as it always was; ``NAME.en.txt`` keeps its layout.

The blocks of a plain text are its paragraphs (runs of non-blank lines), found by the
segmentation itself; a text has no inline codes. The English text is the source with every
segment replaced by its translation: blank lines, the line breaks inside a paragraph and
indentation come back exactly as they were.
"""

from __future__ import annotations

from pathlib import Path

from .. import textio
from ..document import Document
from ..errors import InputError
from ..textio import atomic_write
from . import DocumentFilter, ReadOptions
from .rebuild import english_text


def read(source: Path | bytes, options: ReadOptions) -> Document:
    if isinstance(source, bytes):
        text = textio.decode_text(source, "<bytes>")
        if not text.strip():
            raise InputError("<bytes>", "is empty: there is nothing to translate")
        return Document("text", text, format="text")
    return Document(source.stem, textio.read_source(source), format="text")


def write_translation(document: Document, path: Path) -> None:
    atomic_write(path, english_text(document))


FILTER = DocumentFilter(read, write_translation)
