"""Shared by the filter tests: read a source, segment it, and give it a translation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bilingual.document import Document
from bilingual.filters import ReadOptions, read_document
from bilingual.inline import coded_source, set_target
from bilingual.segment.blocks import document_units


def segmented(path: Path, main_content: bool = False) -> Document:
    document = read_document(path, options=ReadOptions(main_content=main_content))
    document.units = document_units(document)
    return document


def translate_coded(document: Document, translate: Callable[[str], str]) -> Document:
    """Give every unit the translation ``translate`` makes of its coded source."""
    for unit in document.units:
        assert not set_target(unit, translate(coded_source(unit)))
    return document


def same(coded: str) -> str:
    return coded


def shout(coded: str) -> str:
    """Upper-case the text of a coded text, tags and escapes untouched."""
    import re

    return re.sub(r"<[^>]*>|&\w+;|[^<&]+", lambda m: m.group() if m.group()[0] in "<&" else m.group().upper(), coded)
