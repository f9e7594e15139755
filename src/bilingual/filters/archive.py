"""Zip archives (EPUB, DOCX) read within bounds, and written back entry for entry.

An archive comes from anyone, so it is checked whole before a single entry is read: at most
:data:`MAX_ENTRIES` entries; no entry larger than :data:`MAX_ENTRY_BYTES` once expanded, none
expanding more than :data:`MAX_RATIO` times its compressed size (a zip bomb), no more than
:data:`MAX_TOTAL_BYTES` in all; no entry name that is absolute, climbs out with ``..``, holds
a backslash, a drive or a control character, or appears twice; no encrypted entry. Entries are
read into memory only, never extracted to disk under their own names, and each read stops at
the size its header declares (a header that lies fails its CRC). XML entries are parsed by the
project's one safe loader (:func:`bilingual.exchange.xml.load_xml_bytes_safely`).

Every refusal is one :class:`~bilingual.errors.InputError` naming the file and the entry:
``book.epub: ../../x: ...``.

:func:`write_archive` writes the new archive entry by entry in the source's order, with each
entry's name, date, permissions and compression: entries that were not replaced come back with
the same content, byte for byte.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path, PurePosixPath

from lxml import etree

from ..errors import InputError
from ..exchange.xml import load_xml_bytes_safely
from ..textio import atomic_output, read_bytes, reading
from .rebuild import EnglishBlock, PlacedCode

#: Archives larger than this are refused unread.
MAX_ARCHIVE_BYTES = 512 * 2**20
MAX_ENTRIES = 10_000
#: One entry expanded: a chapter, a picture, a font.
MAX_ENTRY_BYTES = 128 * 2**20
#: All entries expanded.
MAX_TOTAL_BYTES = 1024 * 2**20
#: Text compresses about 3 to 10 times, markup up to a few dozen; a zip bomb about a thousand.
MAX_RATIO = 200
#: Entries smaller than this expanded are never a bomb, whatever their ratio.
RATIO_FLOOR = 2**20

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\\]|^[A-Za-z]:")
_READ_CHUNK = 2**20


@dataclass(frozen=True, slots=True)
class Kind:
    """What kind of archive is expected, for the messages: ``an EPUB book``, and what to do
    about a damaged one."""

    label: str
    repair: str


class Archive:
    """The entries of one zip archive, checked; ``where`` names it in every error."""

    def __init__(self, data: bytes, where: str, kind: Kind) -> None:
        self.data = data
        self.where = where
        self.kind = kind
        try:
            self._zip = zipfile.ZipFile(BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise InputError(
                where, f"is not {kind.label}: it is not a zip archive; {kind.repair}"
            ) from None
        self.entries: list[zipfile.ZipInfo] = self._zip.infolist()
        self._by_name = _checked(self.entries, where, kind)

    @classmethod
    def open(cls, path: Path, kind: Kind) -> Archive:
        """The archive at ``path``, refused unread when it is larger than the limit."""
        with reading(path):
            size = path.stat().st_size
        if size > MAX_ARCHIVE_BYTES:
            raise InputError(
                path,
                f"{size / 1e6:.0f} MB is larger than the {MAX_ARCHIVE_BYTES // 2**20} MiB limit "
                "of one build; split the book",
            )
        return cls(read_bytes(path), str(path), kind)

    def names(self) -> list[str]:
        return [entry.filename for entry in self.entries]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def error(self, name: str, message: str, line: int | None = None) -> InputError:
        """An error about the entry ``name``: ``FILE: ENTRY[:LINE]: message``."""
        return InputError(f"{self.where}: {name}", message, line)

    def read(self, name: str) -> bytes:
        """The content of the entry ``name``, expanded within its declared size."""
        entry = self._by_name.get(name)
        if entry is None:
            raise self.error(name, f"is missing from the archive; {self.kind.repair}")
        parts: list[bytes] = []
        size = 0
        try:
            with self._zip.open(entry) as stream:
                while chunk := stream.read(_READ_CHUNK):
                    size += len(chunk)
                    if size > entry.file_size:  # zipfile stops there; never trust it alone
                        raise self.error(name, f"expands beyond its declared size; {self.kind.repair}")
                    parts.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as problem:
            raise self.error(name, f"cannot be read ({problem}); {self.kind.repair}") from None
        return b"".join(parts)

    def xml(self, name: str, entities: Mapping[str, str] | None = None) -> etree._ElementTree:
        """The entry ``name`` parsed as XML, safely (nothing expanded or fetched)."""
        return load_xml_bytes_safely(self.read(name), f"{self.where}: {name}", InputError, entities)


def _checked(entries: list[zipfile.ZipInfo], where: str, kind: Kind) -> dict[str, zipfile.ZipInfo]:
    if len(entries) > MAX_ENTRIES:
        raise InputError(
            where,
            f"has {len(entries)} entries, more than the {MAX_ENTRIES} a document may have; "
            "refused (a damaged or hostile archive)",
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for entry in entries:
        name = entry.filename

        def refuse(message: str, name: str = name) -> InputError:
            return InputError(f"{where}: {name}", f"{message}; refused (a damaged or hostile archive)")

        if not safe_name(name):
            raise refuse("unsafe entry name (absolute, or climbing out of the archive)")
        if name in by_name:
            raise refuse("appears twice in the archive")
        if entry.flag_bits & 0x1:
            raise InputError(
                f"{where}: {name}",
                f"is encrypted; bilingual cannot read {kind.label} protected by a password or DRM",
            )
        if entry.file_size > MAX_ENTRY_BYTES:
            raise refuse(
                f"expands to {entry.file_size / 1e6:.0f} MB, more than the "
                f"{MAX_ENTRY_BYTES // 2**20} MiB allowed for one entry"
            )
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise refuse(f"expands {ratio} times its compressed size (a zip bomb)")
        total += entry.file_size
        if total > MAX_TOTAL_BYTES:
            raise refuse(
                f"brings the archive's expanded size over {MAX_TOTAL_BYTES // 2**20} MiB"
            )
        by_name[name] = entry
    return by_name


_DECLARATION = re.compile(rb"^(\xef\xbb\xbf)?<\?xml[^>]*\?>\s*")


def xml_bytes(tree: etree._ElementTree, original: bytes) -> bytes:
    """``tree`` as the bytes of an entry: the source entry's own XML declaration and ending
    kept (lxml would write its own)."""
    encoding = tree.docinfo.encoding or "UTF-8"
    declaration = _DECLARATION.match(original)
    head = declaration.group() if declaration else b""
    body: bytes = etree.tostring(
        tree, encoding=encoding, xml_declaration=not declaration and encoding.upper() != "UTF-8"
    )
    ending = original[len(original.rstrip()) :]
    return head + body.rstrip() + ending


def safe_name(name: str) -> bool:
    """Whether an entry name stays inside the archive: relative, no ``..``, no backslash.

    >>> [safe_name(n) for n in ("OEBPS/ch1.xhtml", "../../x", "/etc/passwd", "a/../../b", "C:x", "a\\\\b")]
    [True, False, False, False, False, False]
    """
    if not name or name.startswith("/") or _UNSAFE_NAME.search(name):
        return False
    return ".." not in PurePosixPath(name).parts


def resolve_href(base: str, href: str) -> str | None:
    """The entry an ``href`` made relative to the entry ``base`` points to, without its
    fragment; ``None`` when it leaves the archive (or is a URL).

    >>> resolve_href("OEBPS/content.opf", "Text/ch%201.xhtml#p3")
    'OEBPS/Text/ch 1.xhtml'
    >>> resolve_href("OEBPS/content.opf", "../../etc/passwd"), resolve_href("a.opf", "http://x/y")
    (None, None)
    """
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(href)
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        return None
    path = unquote(parts.path)
    if not path:
        return base
    resolved: list[str] = list(PurePosixPath(base).parent.parts)
    for part in PurePosixPath(path).parts:
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
        elif part != ".":
            resolved.append(part)
    return "/".join(resolved) if resolved else None


def relative_href(base: str, target: str) -> str:
    """The ``href`` from the entry ``base`` to the entry ``target``.

    >>> relative_href("OEBPS/Text/ch1.xhtml", "OEBPS/Styles/a.css"), relative_href("a.xhtml", "b.css")
    ('../Styles/a.css', 'b.css')
    """
    from urllib.parse import quote

    here = list(PurePosixPath(base).parent.parts)
    there = list(PurePosixPath(target).parts)
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return quote("/".join([".."] * (len(here) - common) + there[common:]))


def by_entry(blocks: Iterable[EnglishBlock]) -> dict[str, list[EnglishBlock]]:
    """English blocks whose handles start with their entry's name, grouped by entry, with that
    name taken off every handle (the entry's own writer sees handles local to it)."""
    grouped: dict[str, list[EnglishBlock]] = {}
    for block in blocks:
        codes = tuple(
            PlacedCode(replace(p.code, handle=p.code.handle[1:]), p.index, p.start, p.end)
            for p in block.codes
        )
        handle = block.block.handle
        local = replace(block, block=replace(block.block, handle=handle[1:]), codes=codes)
        grouped.setdefault(str(handle[0]), []).append(local)
    return grouped


def write_archive(
    archive: Archive,
    path: Path,
    replaced: Mapping[str, bytes],
    added: Iterable[tuple[str, bytes]] = (),
    first: str | None = None,
) -> None:
    """Write ``archive`` at ``path`` with the entries of ``replaced`` in place of the source's
    (or added, for a name it lacks), then the ``added`` ones; ``first`` is written first and
    stored (EPUB's ``mimetype``)."""
    date = max((entry.date_time for entry in archive.entries), default=(1980, 1, 1, 0, 0, 0))
    entries: list[tuple[zipfile.ZipInfo, bytes | None]] = [
        (entry, replaced.get(entry.filename)) for entry in archive.entries
    ]
    for name, data in [*((n, d) for n, d in replaced.items() if n not in archive), *added]:
        info = zipfile.ZipInfo(name, date)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        entries.append((info, data))
    if first is not None:
        entries.sort(key=lambda pair: pair[0].filename != first)
    with atomic_output(path) as stream, zipfile.ZipFile(stream, "w") as target:
        for entry, content in entries:
            name = entry.filename
            info = zipfile.ZipInfo(name, entry.date_time)
            info.compress_type = zipfile.ZIP_STORED if name == first else entry.compress_type
            info.external_attr = entry.external_attr
            info.create_system = entry.create_system
            info.comment = entry.comment
            target.writestr(info, archive.read(name) if content is None else content)
