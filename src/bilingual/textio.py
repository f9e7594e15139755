"""Reading source texts strictly and writing outputs atomically.

Sources are UTF-8; a BOM is dropped and CRLF/CR line ends become LF, so segment offsets refer to
the normalised text. Anything else that is not text (invalid UTF-8, NUL bytes) is refused with the
file and line named. Outputs are written to a temporary file in the target folder and renamed over
the target, so a crash or a kill leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import ExportError, InputError

#: Larger sources are refused: a build would take hours; split the text first.
MAX_SOURCE_BYTES = 32 * 1024 * 1024

BOM = "\ufeff"


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode UTF-8 source bytes, normalising BOM and line ends.

    >>> decode_text(b"\\xef\\xbb\\xbfUn.\\r\\nDeux.\\rTrois.", "x.txt")
    'Un.\\nDeux.\\nTrois.'
    >>> decode_text(b"ok\\n\\xe9t\\xe9", "x.txt")
    Traceback (most recent call last):
    ...
    bilingual.errors.InputError: x.txt:2: not valid UTF-8 (byte 0xe9 at column 1); re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(path, "contains NUL bytes: this is a binary file, not text", line=line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            path,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at column {column}); "
            "re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8",
            line=line,
        ) from None
    if text.startswith(BOM):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def read_bytes(path: Path, error: type[InputError] = InputError) -> bytes:
    """The bytes of ``path``; unreadable files raise ``error`` naming the file."""
    with reading(path, error):
        return Path(path).read_bytes()


def read_source(path: Path) -> str:
    """Read one French source text; raise :class:`InputError` naming the file if unusable."""
    with reading(path):
        size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise InputError(
            path,
            f"{size / 1e6:.0f} MB is larger than the {MAX_SOURCE_BYTES // 2**20} MiB limit "
            "of one build; split the text into several files",
        )
    text = decode_text(read_bytes(path), path)
    if not text.strip():
        raise InputError(path, "is empty: there is nothing to translate")
    return text


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders (their ``*.txt``, sorted) into a list of text files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            texts = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not texts:
                raise InputError(path, "folder holds no .txt file")
            found.extend(texts)
        elif path.exists():
            found.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return found


@contextlib.contextmanager
def atomic_output(path: Path, mode: str = "wb") -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise ExportError(
            f"{path.parent}: cannot write there ({error.strerror}); choose another folder with -o"
        ) from None
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


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` atomically (UTF-8 for text)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_output(path) as stream:
        stream.write(data)
