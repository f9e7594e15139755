"""The translation memory: every translation ever made or imported, human ones always winning.

:mod:`~bilingual.memory.store` keeps it (SQLite, history, recorded operations and undo),
:mod:`~bilingual.memory.fuzzy` measures how alike two segments are,
:mod:`~bilingual.memory.transfer` imports post-edits and exports the memory through
:mod:`bilingual.exchange`, and :mod:`~bilingual.memory.review` records reviews.
"""

from __future__ import annotations

from .fuzzy import FUZZY_THRESHOLD, similarity, word_diff
from .review import REVIEW, record_review, reviewed_sources, reviewed_versions
from .store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    MemoryEntry,
    MemoryHit,
    MemoryStats,
    Operation,
    TranslationMemory,
    Version,
    default_memory_path,
)
from .transfer import Conflict, ImportReport, export_file, import_file, import_units

__all__ = [
    "APPLICATION_ID",
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
    "default_memory_path",
    "export_file",
    "import_file",
    "import_units",
    "record_review",
    "reviewed_sources",
    "reviewed_versions",
    "similarity",
    "word_diff",
]
