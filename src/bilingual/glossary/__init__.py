"""The domain glossary: read and edit it, find its terms, protect them, check translations.

Typical use, per segment::

    glossary = load_glossary(path)
    matches = glossary.match_source(source)
    protected = protect(source, matches, engine.term_protection)
    translation = protected.restore(engine.translate([protected.text])[0])
    findings = check_unit(source, translation, matches, glossary)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import GlossaryError
from .check import check_unit, findings_summary
from .edit import (
    ImportRecord,
    ImportResult,
    add_entry,
    export_entries,
    import_entries,
    read_journal,
    remove_entries,
    replace_entry,
    undo_import,
)
from .entry import CaseMode, Entry, EntryKind, TermMatch, make_entry
from .formats import is_glossary_file, read_bytes, read_entries
from .lint import Issue, lint_files
from .protect import Protected, protect
from .termbase import Glossary

__all__ = [
    "CaseMode",
    "Entry",
    "EntryKind",
    "Glossary",
    "ImportRecord",
    "ImportResult",
    "Issue",
    "Protected",
    "TermMatch",
    "add_entry",
    "check_unit",
    "default_glossary_path",
    "export_entries",
    "findings_summary",
    "glossary_files",
    "import_entries",
    "lint_files",
    "load_glossary",
    "make_entry",
    "protect",
    "read_journal",
    "remove_entries",
    "replace_entry",
    "undo_import",
]

DEFAULT_FOLDER = "glossary"


def default_glossary_path(cwd: Path | None = None) -> Path | None:
    """``./glossary`` when it exists, else ``None``."""
    folder = (cwd or Path.cwd()) / DEFAULT_FOLDER
    return folder if folder.exists() else None


def glossary_files(path: Path) -> list[Path]:
    """The glossary files ``path`` stands for: itself, or a folder's glossary files, sorted."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if is_glossary_file(p))
        if not files:
            raise GlossaryError(
                path, "folder holds no glossary file (.utf8, .tsv, .txt, .tab, .csv, .tbx)"
            )
        return files
    if not path.exists():
        raise GlossaryError(path, "no such glossary file or folder")
    return [path]


def load_glossary(path: Path) -> Glossary:
    """Read a glossary file, or every glossary file of a folder in name order."""
    path = Path(path)
    digest = hashlib.sha256()
    entries: list[Entry] = []
    for file in glossary_files(path):
        digest.update(file.name.encode("utf-8") + b"\0" + read_bytes(file) + b"\0")
        entries.extend(read_entries(file))
    return Glossary(entries, path, digest.hexdigest())
