"""Reading source texts strictly and writing outputs atomically.

Sources are UTF-8; a BOM is dropped and CRLF/CR line ends become LF, so segment offsets refer to
the normalised text. A source in UTF-16 or UTF-32 (a BOM, or UTF-16's pattern of NUL bytes: what
Windows editors save as "Unicode") is decoded as such and the build says so: the text is
unambiguous, and refusing it would only send the user to ``iconv``. Anything else that is not
text is refused with the file (and line) named: invalid UTF-8, NUL bytes, documents of another
format (PDF, EPUB, DOCX, ODT, RTF, ZIP, recognised by their first bytes), anything that is not a
regular file (a FIFO, ``/dev/zero``). A source is read with a bounded read, whatever its size
claims to be.

Outputs are written to a temporary file in the target folder and renamed over the target, so a
crash or a kill leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import ExportError, InputError

#: Larger sources are refused: a build would take hours; split the text first.
MAX_SOURCE_BYTES = 32 * 1024 * 1024

BOM = "\ufeff"

#: Byte order marks of the encodings read besides UTF-8, longest first (UTF-32LE's begins with
#: UTF-16LE's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

#: How much of a file its format and encoding are guessed from.
_SNIFF_BYTES = 64 * 1024

#: Formats that are clearly not plain text → (what to call them, how to get text out of them).
DOCUMENT_FORMATS = {
    "pdf": ("a PDF document", "extract its text first, e.g. pdftotext FILE FILE.txt"),
    "epub": ("an EPUB book", "convert it to plain text first, e.g. ebook-convert FILE FILE.txt"),
    "docx": ("a Word document (DOCX)", 'save it as "Plain Text" in UTF-8 first'),
    "odt": ("an OpenDocument text (ODT)", 'save it as "Text" in UTF-8 first'),
    "rtf": ("an RTF document", 'save it as "Plain Text" in UTF-8 first'),
    "zip": ("a ZIP archive", "extract the .txt files from it first"),
}


def sniff_format(head: bytes) -> str | None:
    """The :data:`DOCUMENT_FORMATS` key of a file that is clearly not plain text, from its first
    bytes; None when it may be text.

    >>> epub = b"PK\\x03\\x04" + bytes(26) + b"mimetypeapplication/epub+zip"
    >>> sniff_format(b"%PDF-1.7 ..."), sniff_format(epub)
    ('pdf', 'epub')
    >>> sniff_format("Le modèle.".encode()) is None
    True
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    # EPUB and ODT store their media type first, uncompressed, under the name "mimetype"; a DOCX
    # names its parts word/...; a local header's file name starts at byte 30.
    start = head[30:100]
    if start.startswith(b"mimetype"):
        if b"application/epub+zip" in start:
            return "epub"
        if b"application/vnd.oasis.opendocument.text" in start:
            return "odt"
    if b"word/" in head[:_SNIFF_BYTES]:
        return "docx"
    return "zip"


def sniff_encoding(data: bytes) -> str:
    """The codec of source bytes: UTF-16 or UTF-32 by their BOM or, for UTF-16 without one, by
    its NUL bytes (every other byte of Latin text); UTF-8 otherwise.

    >>> sniff_encoding("Été".encode("utf-16")), sniff_encoding("Été".encode("utf-16-be"))
    ('utf-16-le', 'utf-16-be')
    >>> sniff_encoding("Été".encode())
    'utf-8'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    sample = data[: _SNIFF_BYTES & ~1]
    evens, odds = sample[0::2], sample[1::2]
    for codec, zeros, others in (("utf-16-le", odds, evens), ("utf-16-be", evens, odds)):
        if zeros and zeros.count(0) * 2 >= len(zeros) and not others.count(0):
            return codec
    return "utf-8"


def _normalised(text: str) -> str:
    if text.startswith(BOM):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_text(data: bytes, path: Path | str, line: int | None) -> InputError:
    """The error for bytes that cannot be UTF-8 text, naming what they are when that is clear."""
    kind = sniff_format(data[:_SNIFF_BYTES])
    if kind is not None:
        return format_error(path, kind)
    encoding = sniff_encoding(data)
    if encoding != "utf-8":
        name = encoding_name(encoding)
        return InputError(
            path, f"is {name} text, not UTF-8; convert it, e.g. iconv -f {name} -t UTF-8"
        )
    return InputError(path, "contains NUL bytes: this is a binary file, not text", line=line)


def encoding_name(codec: str) -> str:
    """The name ``iconv`` and people know an encoding by.

    >>> encoding_name("utf-16-le")
    'UTF-16LE'
    """
    return codec.upper().replace("-LE", "LE").replace("-BE", "BE")


def format_error(path: Path | str, kind: str) -> InputError:
    """The refusal of a file of another format (a key of :data:`DOCUMENT_FORMATS`)."""
    what, fix = DOCUMENT_FORMATS[kind]
    return InputError(path, f"is {what}, not plain text; {fix}")


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode UTF-8 bytes, normalising BOM and line ends.

    >>> decode_text(b"\\xef\\xbb\\xbfUn.\\r\\nDeux.\\rTrois.", "x.txt")
    'Un.\\nDeux.\\nTrois.'
    >>> decode_text(b"ok\\n\\xe9t\\xe9", "x.txt")
    Traceback (most recent call last):
    ...
    bilingual.errors.InputError: x.txt:2: not valid UTF-8 (byte 0xe9 at column 1); re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8
    >>> decode_text("Été".encode("utf-16"), "x.txt")
    Traceback (most recent call last):
    ...
    bilingual.errors.InputError: x.txt: is UTF-16LE text, not UTF-8; convert it, e.g. iconv -f UTF-16LE -t UTF-8
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _not_text(data, path, line=data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if sniff_format(data) or sniff_encoding(data) != "utf-8":
            raise _not_text(data, path, line=None) from None
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            path,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at column {column}); "
            "re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8",
            line=line,
        ) from None
    return _normalised(text)


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source's text, normalised, and the encoding its bytes were decoded from."""

    text: str
    encoding: str = "utf-8"


def decode_source(data: bytes, path: Path | str) -> SourceText:
    """Decode a source text: UTF-8, or UTF-16/UTF-32 recognised by :func:`sniff_encoding`.

    >>> decode_source("\\ufeffÉté.\\r\\n".encode("utf-16-le"), "x.txt")
    SourceText(text='Été.\\n', encoding='utf-16-le')
    """
    kind = sniff_format(data[:_SNIFF_BYTES])
    if kind is not None:
        raise format_error(path, kind)
    encoding = sniff_encoding(data)
    if encoding == "utf-8":
        return SourceText(decode_text(data, path))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(
            path, f"looks like {encoding_name(encoding)} text but is not valid "
            f"{encoding_name(encoding)}; re-save it as UTF-8"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(
            path, "contains NUL characters: this is a binary file, not text",
            line=text.count("\n", 0, nul) + 1,
        )
    return SourceText(_normalised(text), encoding)


@contextlib.contextmanager
def reading(path: Path | str, error: type[InputError] = InputError) -> Iterator[None]:
    """Turn the operating system's errors while reading ``path`` into one ``error`` naming it.

    >>> with reading("missing.txt"):
    ...     open("missing.txt", "rb")
    Traceback (most recent call last):
    ...
    bilingual.errors.InputError: missing.txt: no such file
    """
    try:
        yield
    except FileNotFoundError:
        raise error(path, "no such file") from None
    except IsADirectoryError:
        raise error(path, "is a folder, not a file") from None
    except PermissionError:
        raise error(path, "permission denied") from None
    except OSError as problem:
        raise error(path, f"cannot read: {problem.strerror or problem}") from None


#: What a path that is not a regular file is, by ``stat`` file type.
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bytes(path: Path, error: type[InputError] = InputError, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Unreadable files, and paths that are not regular files (a FIFO would block, ``/dev/zero``
    never ends), raise ``error`` naming the file. The read is bounded by ``limit`` whatever the
    file's size claims to be.
    """
    with reading(path, error), open(path, "rb", opener=_open_without_waiting) as stream:
        mode = os.fstat(stream.fileno()).st_mode
        for is_kind, what in _NOT_REGULAR:
            if is_kind(mode):
                raise error(path, f"is {what}, not a regular file; save the text to a file")
        return stream.read() if limit is None else stream.read(limit)


def _open_without_waiting(name: str, flags: int) -> int:
    # O_NONBLOCK: opening a FIFO would otherwise wait for a writer before fstat could refuse it
    return os.open(name, flags | getattr(os, "O_NONBLOCK", 0))


def read_source(path: Path) -> SourceText:
    """Read one French source text; raise :class:`InputError` naming the file if unusable."""
    data = read_bytes(path, limit=MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        kind = sniff_format(data[:_SNIFF_BYTES])
        if kind is not None:
            raise format_error(path, kind)
        raise InputError(
            path,
            f"is larger than the {MAX_SOURCE_BYTES // 2**20} MiB limit of one build; "
            "split the text into several files",
        )
    source = decode_source(data, path)
    if not source.text.strip():
        raise InputError(path, "is empty: there is nothing to translate")
    return source


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders (their ``*.txt``, sorted) into a list of text files.

    A file named twice (by two paths, or by a path and its folder) is read once.
    """
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            texts = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not texts:
                raise InputError(path, "folder holds no .txt file")
        elif path.exists():
            texts = [path]
        else:
            raise InputError(path, "no such file or folder")
        for text in texts:
            found.setdefault(text.resolve(), text)
    return list(found.values())


@contextlib.contextmanager
def atomic_output(path: Path, mode: str = "wb") -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise cannot_write(path.parent, error) from None
    try:
        with os.fdopen(handle, mode) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def cannot_write(folder: Path, error: OSError) -> ExportError:
    """The error for an output folder the operating system does not let us write into."""
    return ExportError(
        f"{folder}: cannot write there ({error.strerror or error}); choose another folder with -o"
    )


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` atomically (UTF-8 for text)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_output(path) as stream:
        stream.write(data)
