"""The translation memory: every translation ever made or imported, human ones always winning.

:func:`open_memory` opens one from a path (SQLite, the default) or a ``postgresql://`` URL (a
server a team shares); both give a :class:`~bilingual.memory.base.TranslationMemory`, the one
interface (:mod:`~bilingual.memory.base`), implemented by :mod:`~bilingual.memory.sqlite` and
:mod:`~bilingual.memory.postgres`. :mod:`~bilingual.memory.fuzzy` measures how alike two
segments are, and :mod:`~bilingual.memory.transfer` imports post-edits and exports the memory
through :mod:`bilingual.exchange`; :mod:`~bilingual.memory.review` records reviews.
"""

from __future__ import annotations

from pathlib import Path

from ..registry import resolve
from .base import (
    SCHEMA_VERSION,
    MemoryEntry,
    MemoryHit,
    MemoryStats,
    Operation,
    TranslationMemory,
    Version,
    default_memory_path,
    parse_timestamp,
    timestamp,
)
from .fuzzy import FUZZY_THRESHOLD, similarity, word_diff
from .review import REVIEW, record_review, reviewed_sources, reviewed_versions
from .transfer import Conflict, ImportReport, export_file, import_file, import_units

#: A location's backend, by URL scheme (a plain path is ``sqlite``).
BACKENDS = {
    "sqlite": "bilingual.memory.sqlite:SQLiteMemory",
    "postgresql": "bilingual.memory.postgres:PostgresMemory",
    "postgres": "bilingual.memory.postgres:PostgresMemory",
}


def backend_name(location: str | Path) -> str:
    """Which backend keeps the memory at ``location``: a URL's scheme, else ``sqlite``.

    >>> backend_name("postgresql://ana@db.example/tm"), backend_name("memory.sqlite")
    ('postgresql', 'sqlite')
    """
    scheme, separator, _ = str(location).partition("://")
    return scheme.lower() if separator else "sqlite"


def open_memory(location: str | Path, create: bool = True) -> TranslationMemory:
    """Open the memory at ``location``: a file path or a ``postgresql://USER@HOST/DB`` URL.
    Without ``create``, a memory that does not exist yet is an error instead of being
    created (for commands that only read)."""
    backend: type[TranslationMemory] = resolve(
        BACKENDS, backend_name(location), "memory location scheme"
    )
    return backend(location, create=create)


__all__ = [
    "BACKENDS",
    "FUZZY_THRESHOLD",
    "REVIEW",
    "SCHEMA_VERSION",
    "Conflict",
    "ImportReport",
    "MemoryEntry",
    "MemoryHit",
    "MemoryStats",
    "Operation",
    "TranslationMemory",
    "Version",
    "backend_name",
    "default_memory_path",
    "export_file",
    "import_file",
    "import_units",
    "open_memory",
    "parse_timestamp",
    "record_review",
    "reviewed_sources",
    "reviewed_versions",
    "similarity",
    "timestamp",
    "word_diff",
]
