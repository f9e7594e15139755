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

__all__ = ["DEFAULT_FORMATS", "EXPORTERS", "DocumentWriter", "exporter", "parse_formats"]


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


def output_path(outdir: Path, document: Document, fmt: str) -> Path:
    if fmt == "doc":
        from ..filters import translation_suffix

        return outdir / f"{document.name}{translation_suffix(document)}"
    return outdir / f"{document.name}{EXPORTERS[fmt][0]}"
