"""Document formats ("filters"): one reader and one writer per format, chosen by suffix.

Every format has the same shape: a module under :mod:`bilingual.filters` exposes a
:class:`DocumentFilter` (``read`` a file or its bytes into a :class:`~bilingual.document.Document`
of plain text, blocks and inline codes; ``write_translation`` the English document rebuilt from
the source with the translation in place), and one row of :data:`FORMATS` names it with its
suffixes as ``"module:ATTRIBUTE"``, imported only when a file of that format is read.

>>> format_for(Path("billet.md")).name, format_for(Path("page.HTM")).name
('markdown', 'html')
>>> format_for(Path("rapport.pdf"))
Traceback (most recent call last):
...
bilingual.errors.InputError: rapport.pdf: is a PDF document, which bilingual cannot read; extract its text first, e.g. pdftotext rapport.pdf rapport.txt
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import textio
from ..document import Document
from ..errors import InputError
from ..registry import load

#: ``Document.metadata`` key a reader sets when the build should tell how it read the source
#: (``"UTF-16LE text"``): the build says so.
READ_AS = "read-as"


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read a source; a reader ignores what does not apply to its format."""

    #: HTML: keep only the article of a saved web page (no navigation, banners, boilerplate).
    main_content: bool = False


#: ``read(path or bytes, options)``: the document, or an :class:`~bilingual.errors.InputError`
#: naming the file (and line or entry) for a source that cannot be read.
Reader = Callable[[Path | bytes, ReadOptions], Document]
#: ``write_translation(document, path)``: the English document, written atomically.
Writer = Callable[[Document, Path], None]


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """How one document format is read and written back in English."""

    read: Reader
    write_translation: Writer


@dataclass(frozen=True, slots=True)
class DocumentFormat:
    name: str
    label: str
    suffixes: tuple[str, ...]
    filter: str  # "module:ATTRIBUTE" of its DocumentFilter

    @property
    def suffix(self) -> str:
        """The suffix of the English document: ``NAME.en`` + this."""
        return self.suffixes[0]


FORMATS: tuple[DocumentFormat, ...] = (
    DocumentFormat("text", "plain text", (".txt",), "bilingual.filters.text:FILTER"),
    DocumentFormat(
        "markdown", "Markdown", (".md", ".markdown"), "bilingual.filters.markdown:FILTER"
    ),
    DocumentFormat("html", "HTML", (".html", ".htm", ".xhtml"), "bilingual.filters.html:FILTER"),
    DocumentFormat("epub", "EPUB", (".epub",), "bilingual.filters.epub:FILTER"),
    DocumentFormat("docx", "Word (DOCX)", (".docx",), "bilingual.filters.docx:FILTER"),
    DocumentFormat("srt", "SubRip subtitles", (".srt",), "bilingual.filters.subtitles:SRT"),
    DocumentFormat("vtt", "WebVTT subtitles", (".vtt",), "bilingual.filters.subtitles:VTT"),
)

#: Formats bilingual does not read, by suffix: what they are and how to get text out of them.
UNSUPPORTED: dict[str, tuple[str, str]] = {
    ".pdf": ("a PDF document", "extract its text first, e.g. pdftotext {path} {stem}.txt"),
    ".odt": ("an OpenDocument text (ODT)", "save it as Word (.docx) or Markdown first"),
    ".doc": ("an old Word document (DOC)", "save it as Word (.docx) first"),
    ".rtf": ("an RTF document", "save it as Word (.docx) first"),
    ".pptx": ("a PowerPoint presentation", "export its text first"),
    ".odp": ("an OpenDocument presentation", "export its text first"),
    ".mobi": ("a Kindle book (MOBI)", "convert it to EPUB first, e.g. ebook-convert {path} {stem}.epub"),
    ".azw3": ("a Kindle book (AZW3)", "convert it to EPUB first, e.g. ebook-convert {path} {stem}.epub"),
}


def names() -> list[str]:
    return [fmt.name for fmt in FORMATS]


def format_named(name: str) -> DocumentFormat:
    """The format called ``name`` (``--input-format``)."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise InputError("--input-format", f"unknown format {name!r}; choose one of: {', '.join(names())}")


def supported_suffixes() -> list[str]:
    return [suffix for fmt in FORMATS for suffix in fmt.suffixes]


def format_for(path: Path, name: str | None = None) -> DocumentFormat:
    """The format to read ``path`` with: ``name`` when given, else its suffix's.

    A file of a format bilingual does not read is refused with what to do instead; any other
    suffix (or none) is read as plain text, which refuses what is not text.
    """
    if name:
        return format_named(name)
    suffix = path.suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.suffixes:
            return fmt
    if suffix in UNSUPPORTED:
        what, fix = UNSUPPORTED[suffix]
        raise InputError(
            path,
            f"is {what}, which bilingual cannot read; {fix.format(path=path, stem=path.stem)}",
        )
    return FORMATS[0]


def document_filter(fmt: DocumentFormat) -> DocumentFilter:
    module = fmt.filter.partition(":")[0]
    try:
        found: DocumentFilter = load(fmt.filter)
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise
        raise InputError(
            f"--input-format {fmt.name}", f"{fmt.label} is not available in this installation"
        ) from None
    return found


def read_document(
    path: Path, name: str | None = None, options: ReadOptions | None = None
) -> Document:
    """Read the source at ``path`` (format ``name``, else by suffix) into a document."""
    fmt = format_for(path, name)
    document = document_filter(fmt).read(path, options or ReadOptions())
    document.format = fmt.name
    document.source_path = path
    return document


def write_translation(document: Document, path: Path) -> None:
    """Write the English ``document`` in its source's format at ``path``, atomically."""
    document_filter(format_named(document.format)).write_translation(document, path)


@dataclass(slots=True)
class Sources:
    """The files a build reads, and the files of its folders it leaves alone."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def collect_sources(paths: Iterable[Path], input_format: str | None = None) -> Sources:
    """Expand files and folders into the files to read.

    A folder gives its files of every supported suffix (or only ``input_format``'s), sorted;
    its other files are listed as skipped, and so are English documents a build wrote there
    (``NAME.en.md``...): they are no French sources. Hidden files are not even listed. A file
    named directly is always read (its format is decided by :func:`format_for`). A file named
    twice is read once.
    """
    wanted = (
        format_named(input_format).suffixes if input_format else tuple(supported_suffixes())
    )
    found: dict[Path, Path] = {}
    sources = Sources()
    for path in paths:
        if path.is_dir():
            entries = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            chosen = [p for p in entries if _is_source(p, wanted)]
            sources.skipped.extend(p for p in entries if not _is_source(p, wanted))
            if not chosen:
                raise InputError(
                    path, f"folder holds no file bilingual reads ({', '.join(wanted)})"
                )
        elif path.exists():
            chosen = [path]
        else:
            raise InputError(path, "no such file or folder")
        for file in chosen:
            found.setdefault(file.resolve(), file)
    sources.files = list(found.values())
    return sources


def _is_source(path: Path, suffixes: Iterable[str]) -> bool:
    return path.suffix.lower() in suffixes and not path.stem.lower().endswith(".en")


def read_text(source: Path | bytes) -> tuple[str, dict[str, str]]:
    """The normalised text of a text-based source (plain text, Markdown), and the metadata
    saying how it was decoded when that was not UTF-8; the refusals of
    :func:`bilingual.textio.read_source`."""
    if isinstance(source, bytes):
        decoded = textio.decode_source(source, "<bytes>")
        if not decoded.text.strip():
            raise InputError("<bytes>", "is empty: there is nothing to translate")
    else:
        decoded = textio.read_source(source)
    if decoded.encoding == "utf-8":
        return decoded.text, {}
    return decoded.text, {READ_AS: f"{textio.encoding_name(decoded.encoding)} text"}


__all__ = [
    "FORMATS",
    "READ_AS",
    "DocumentFilter",
    "DocumentFormat",
    "ReadOptions",
    "Reader",
    "Sources",
    "Writer",
    "collect_sources",
    "document_filter",
    "format_for",
    "format_named",
    "read_document",
    "write_translation",
]
