"""Editing a tab-separated glossary in place: atomic, locked, and loss-free.

Edits work on the file's lines, so order, comments, blank lines and unknown columns survive.
A lock file beside the glossary serialises concurrent edits (two ``glossary add`` at once both
land), and the new content replaces the old by an atomic rename, so a crash never leaves a
half-written glossary.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import GlossaryError
from ..exchange import Problem
from ..textio import atomic_write
from .entry import Entry, EntryKind
from .formats import (
    decode,
    format_for,
    format_tsv_line,
    is_glossary_file,
    read_bytes,
    read_terms,
    read_tsv_lines,
    render_entries,
)
from .match import WORD, french_key

logger = logging.getLogger(__name__)

LOCK_TIMEOUT = 30.0
DEFAULT_FILE_NAME = "glossary.utf8"


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: list[Entry]
    skipped: list[Entry]  # already in the glossary
    refused: list[Problem]  # left out of the file read, or not writable as a glossary line
    glossary: Path  # the file the entries were added to
    record: ImportRecord | None  # None for a dry run or when nothing was added


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One glossary import, as the journal beside the glossary keeps it for undo."""

    id: int
    file: str
    time: str
    lines: tuple[str, ...]  # the lines it appended, as written
    undone: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "file": self.file,
            "time": self.time,
            "lines": list(self.lines),
            "undone": self.undone,
        }


def editable_file(path: Path) -> Path:
    """The tab-separated file edits go to: ``path`` itself, or the first one of a folder."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if is_glossary_file(p) and format_for(p) == "tsv")
        return files[0] if files else path / DEFAULT_FILE_NAME
    if format_for(path) != "tsv":
        raise GlossaryError(
            path,
            "only tab-separated glossaries are edited in place; import this file into one "
            "with: bilingual glossary import",
        )
    return path


@contextmanager
def locked(path: Path) -> Iterator[None]:
    lock = FileLock(str(path.with_name(f".{path.name}.lock")), timeout=LOCK_TIMEOUT)
    try:
        with lock:
            yield
    except Timeout:
        raise GlossaryError(path, f"locked by another edit for over {LOCK_TIMEOUT:.0f} s") from None


def _read_text(path: Path) -> str:
    if not path.exists():
        return ""
    text = decode(read_bytes(path), path)
    read_tsv_lines(path, text)  # refuse to edit a malformed file: it would be rewritten as is
    return text if not text or text.endswith("\n") else text + "\n"


def _same_term(a: str, b: str) -> bool:
    return [french_key(w) for w in WORD.findall(a)] == [french_key(w) for w in WORD.findall(b)]


def add_entry(path: Path, entry: Entry) -> Path:
    """Append ``entry`` to the glossary at ``path``; refuse an exact duplicate."""
    target_file = editable_file(path)
    line = format_tsv_line(entry)
    with locked(target_file):
        text = _read_text(target_file)
        for existing in read_tsv_lines(target_file, text):
            other = existing.entry
            if (
                other
                and other.kind is entry.kind
                and other.target == entry.target
                and _same_term(other.source, entry.source)
            ):
                raise GlossaryError(
                    target_file,
                    f"{entry.source!r} → {entry.target!r} is already there",
                    line=existing.number,
                )
        atomic_write(target_file, text + line + "\n")
    logger.info("added %r to %s", entry.source, target_file)
    return target_file


def remove_entries(path: Path, source: str, target: str | None = None) -> list[Entry]:
    """Remove the entries for ``source`` (through inflection and case), or only its ``target``."""
    target_file = editable_file(path)
    with locked(target_file):
        text = _read_text(target_file)
        kept: list[str] = []
        removed: list[Entry] = []
        for line in read_tsv_lines(target_file, text):
            entry = line.entry
            if (
                entry
                and _same_term(entry.source, source)
                and (target is None or entry.target == target)
            ):
                removed.append(entry)
            else:
                kept.append(line.raw)
        if not removed:
            what = f"{source!r} → {target!r}" if target else repr(source)
            raise GlossaryError(target_file, f"no entry for {what}")
        atomic_write(target_file, "".join(raw + "\n" for raw in kept))
    return removed


def replace_entry(path: Path, source: str, target: str, entry: Entry) -> Entry:
    """Put ``entry`` in place of the entry ``source`` → ``target`` (same line, one atomic
    write under the lock); return the entry replaced.

    Refused when no entry or several match, or when ``entry`` would duplicate another one.
    """
    target_file = editable_file(path)
    line = format_tsv_line(entry)
    with locked(target_file):
        text = _read_text(target_file)
        lines = read_tsv_lines(target_file, text)
        found = [
            existing
            for existing in lines
            if existing.entry
            and _same_term(existing.entry.source, source)
            and existing.entry.target == target
        ]
        if len(found) != 1:
            problem = "no entry" if not found else f"{len(found)} entries"
            raise GlossaryError(target_file, f"{problem} for {source!r} → {target!r}")
        replaced = found[0]
        for existing in lines:
            other = existing.entry
            if (
                existing is not replaced
                and other
                and _identity(other) == _identity(entry)
            ):
                raise GlossaryError(
                    target_file,
                    f"{entry.source!r} → {entry.target!r} is already there",
                    line=existing.number,
                )
        atomic_write(
            target_file,
            "".join((line if existing is replaced else existing.raw) + "\n" for existing in lines),
        )
    assert replaced.entry is not None
    logger.info("replaced %r in %s", source, target_file)
    return replaced.entry


def import_entries(
    path: Path, source_file: Path, format_name: str | None = None, dry_run: bool = False
) -> ImportResult:
    """Append the entries of ``source_file`` that the glossary lacks (read fully first).

    The import is recorded in a journal beside the glossary, so :func:`undo_import` can take
    its lines out again; with ``dry_run`` nothing is written.
    """
    read = read_terms(source_file, format_name)
    target_file = editable_file(path)
    added: list[Entry] = []
    skipped: list[Entry] = []
    refused = list(read.skipped)
    record = None
    with locked(target_file):
        text = _read_text(target_file)
        present = {
            _identity(e) for e in (line.entry for line in read_tsv_lines(target_file, text)) if e
        }
        for entry in read.entries:
            try:
                format_tsv_line(entry)
            except GlossaryError as error:
                refused.append(Problem(entry.line or None, str(error).split(": ", 1)[-1]))
                continue
            identity = _identity(entry)
            (skipped if identity in present else added).append(entry)
            present.add(identity)
        new_lines = tuple(format_tsv_line(entry) for entry in added)
        if new_lines and not dry_run:
            records = read_journal(target_file)
            record = ImportRecord(
                max((r.id for r in records), default=0) + 1,
                str(source_file),
                datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                new_lines,
            )
            atomic_write(target_file, text + "".join(line + "\n" for line in new_lines))
            _write_journal(target_file, [*records, record])
    return ImportResult(added, skipped, refused, target_file, record)


def _identity(entry: Entry) -> tuple[tuple[str, ...], str, EntryKind]:
    return tuple(french_key(w) for w in WORD.findall(entry.source)), entry.target, entry.kind


def journal_path(glossary_file: Path) -> Path:
    return glossary_file.with_name(f".{glossary_file.name}.imports.jsonl")


def read_journal(glossary_file: Path) -> list[ImportRecord]:
    """The recorded imports into ``glossary_file`` (a path, or its folder), oldest first."""
    journal = journal_path(editable_file(glossary_file))
    if not journal.exists():
        return []
    records = []
    for number, line in enumerate(decode(read_bytes(journal), journal).splitlines(), 1):
        try:
            data = json.loads(line)
            records.append(
                ImportRecord(
                    int(data["id"]),
                    str(data["file"]),
                    str(data["time"]),
                    tuple(str(raw) for raw in data["lines"]),
                    data.get("undone"),
                )
            )
        except (ValueError, KeyError, TypeError):
            raise GlossaryError(
                journal, "not a glossary import journal line; leave the file as written",
                line=number,
            ) from None
    return records


def _write_journal(glossary_file: Path, records: list[ImportRecord]) -> None:
    atomic_write(
        journal_path(glossary_file),
        "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records),
    )


def undo_import(path: Path, import_id: int) -> tuple[ImportRecord, int]:
    """Take out the lines a recorded import added; return the record and how many were still
    there (a line edited or removed since is left as it is)."""
    target_file = editable_file(path)
    with locked(target_file):
        records = read_journal(target_file)
        record = next((r for r in records if r.id == import_id), None)
        if record is None:
            raise GlossaryError(
                target_file, f"no import #{import_id}; `bilingual glossary imports` lists them"
            )
        if record.undone is not None:
            raise GlossaryError(target_file, f"import #{import_id} was already undone")
        lines = _read_text(target_file).split("\n")[:-1]
        removed = 0
        for raw in record.lines:
            if raw in lines:
                lines.remove(raw)
                removed += 1
        atomic_write(target_file, "".join(line + "\n" for line in lines))
        done = replace(record, undone=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        _write_journal(target_file, [done if r.id == import_id else r for r in records])
    return done, removed


def export_entries(
    entries: Iterable[Entry], destination: Path, format_name: str | None = None
) -> None:
    """Write ``entries`` to ``destination`` in its format, atomically."""
    atomic_write(destination, render_entries(entries, destination, format_name))
