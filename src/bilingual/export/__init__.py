"""Exporters: one module per output format, chosen by name from a registry.

Every per-document exporter is a function ``write(document, path) -> None`` that writes the file
atomically (see :func:`bilingual.textio.atomic_output`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..document import Document
from ..registry import resolve

DocumentWriter = Callable[[Document, Path], None]

#: format name → (file suffix, "module:function"). The exchange formats are written through
#: :mod:`bilingual.exchange` (see :mod:`bilingual.export.exchange`); XLIFF 1.2 gets a suffix of
#: its own so that both XLIFF versions can be written side by side. ``doc`` is the English
#: document in the source's own format (``NAME.en.txt``, ``NAME.en.md``...), written by the
#: source format's filter (see :mod:`bilingual.filters`).
EXPORTERS: dict[str, tuple[str, str]] = {
    "html": (".html", "bilingual.export.html:write_html"),
    "doc": (".en", "bilingual.filters:write_translation"),
    "tmx": (".tmx", "bilingual.export.exchange:write_tmx"),
    "xliff": (".xlf", "bilingual.export.exchange:write_xliff"),
    "xliff12": (".xliff12.xlf", "bilingual.export.exchange:write_xliff12"),
    "json": (".json", "bilingual.export.jsonout:write_json"),
}

DEFAULT_FORMATS = ("html", "tmx", "doc")

#: Outputs of a document written besides its formats: output name → file suffix.
EXTRA_OUTPUTS: dict[str, str] = {"glossary": ".glossary.json"}

__all__ = [
    "DEFAULT_FORMATS",
    "EXPORTERS",
    "EXTRA_OUTPUTS",
    "DocumentWriter",
    "exporter",
    "output_suffixes",
    "parse_formats",
]


def exporter(name: str) -> DocumentWriter:
    writer: DocumentWriter = resolve(
        {key: target for key, (_, target) in EXPORTERS.items()}, name, "output format"
    )
    return writer


def parse_formats(spec: str) -> tuple[str, ...]:
    """Parse ``--format`` (comma-separated names, or ``all``).

    >>> parse_formats("html, tmx")
    ('html', 'tmx')
    >>> parse_formats("all")
    ('html', 'doc', 'tmx', 'xliff', 'xliff12', 'json')
    """
    from ..errors import BilingualError

    names = [part.strip() for part in spec.split(",") if part.strip()]
    if names == ["all"]:
        return tuple(EXPORTERS)
    unknown = [name for name in names if name not in EXPORTERS]
    if unknown or not names:
        raise BilingualError(
            f"unknown output format {', '.join(unknown) or spec!r}; "
            f"choose from {', '.join(EXPORTERS)} or all"
        )
    return tuple(dict.fromkeys(names))


def output_suffixes() -> tuple[str, ...]:
    """The suffix of every file a document's outputs may be written to, whichever formats a
    build asks for and whatever the source's format: an output folder reserves all of them for
    each document name.

    >>> output_suffixes()  # doctest: +NORMALIZE_WHITESPACE
    ('.html', '.tmx', '.xlf', '.xliff12.xlf', '.json', '.glossary.json', '.en.txt', '.en.md',
     '.en.html', '.en.epub', '.en.docx', '.en.srt', '.en.vtt')
    """
    from ..filters import FORMATS

    formats = (suffix for name, (suffix, _) in EXPORTERS.items() if name != "doc")
    documents = dict.fromkeys(".en" + fmt.suffix for fmt in FORMATS)
    return (*formats, *EXTRA_OUTPUTS.values(), *documents)


def output_file_name(name: str, output: str, source_format: str = "text") -> str:
    """The file name of a document's ``output`` (a format, or a key of :data:`EXTRA_OUTPUTS`);
    the English document's depends on the format of its source.

    >>> output_file_name("lettre", "xliff"), output_file_name("lettre", "glossary")
    ('lettre.xlf', 'lettre.glossary.json')
    >>> output_file_name("billet", "doc", "markdown")
    'billet.en.md'
    """
    if output == "doc":
        from ..filters import format_named

        return f"{name}.en{format_named(source_format).suffix}"
    suffix = EXPORTERS[output][0] if output in EXPORTERS else EXTRA_OUTPUTS[output]
    return name + suffix
