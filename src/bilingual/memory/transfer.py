"""Importing post-edits into the memory and exporting it for CAT tools.

What a translator edits in any file we wrote (a build's TMX or XLIFF, a memory export) or in a
CAT tool's memory (OmegaT's ``project_save.tmx``) and imports back becomes a human translation —
and nothing else does. Each unit of the file is decided by its content first:

* a target equal to a machine translation stored for that source is an unchanged machine
  translation: skipped, whatever the file's markers say;
* a target equal to the current human translation is unchanged: skipped;
* a target that differs from the current human translation is a new version: stored, both kept,
  and the newer one (by the date the file gives, else the file's modification time) is used. When
  the file's unit was made from the current version (it carries that version's date), it is an
  edit of it and simply stored; otherwise it is reported as a conflict, saying which one won;
* a target that differs from every stored machine translation is a post-edit: stored as human,
  even where the file still says "machine";
* where the memory holds no machine translation to compare with, the file's own markers decide
  (a unit marked as machine output is skipped), unless ``as_human``.

The file is read completely before anything is stored, and stored in one transaction recorded as
one operation, so a malformed file changes nothing and ``bilingual memory undo`` takes the whole
import back.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .. import exchange
from ..document import Origin
from ..errors import BilingualError
from ..exchange import FileHeader, TranslationUnit
from .base import MemoryEntry, TranslationMemory, parse_timestamp, timestamp


@dataclass(frozen=True, slots=True)
class Conflict:
    """A unit whose translation differs from a human translation the memory already had."""

    source: str
    memory_target: str
    file_target: str
    winner: str  # "file" or "memory": whose translation is now current
    line: int | None

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "memory": self.memory_target,
            "file": self.file_target,
            "winner": self.winner,
            "line": self.line,
        }


@dataclass(slots=True)
class ImportReport:
    """Exactly what an import did: every unit of the file is counted once."""

    file: str
    memory: str
    dry_run: bool = False
    operation: int | None = None
    stored: int = 0
    unchanged_machine: int = 0
    unchanged_human: int = 0
    untranslated: int = 0
    machine_marked: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def units(self) -> int:
        return (
            self.stored
            + self.unchanged_machine
            + self.unchanged_human
            + self.untranslated
            + self.machine_marked
            + len(self.conflicts)
        )

    def counts(self) -> dict[str, int]:
        return {
            "units": self.units,
            "stored": self.stored,
            "unchanged_machine": self.unchanged_machine,
            "unchanged_human": self.unchanged_human,
            "conflicts": len(self.conflicts),
            "untranslated": self.untranslated,
            "machine_marked": self.machine_marked,
        }

    def lines(self) -> list[str]:
        """The report, one line per kind of unit.

        >>> print("\\n".join(ImportReport("a.tmx", "m.sqlite", operation=3, stored=2).lines()))
        Imported a.tmx into m.sqlite as import #3: 2 units
          2 stored as human translations
          0 unchanged machine translations skipped
          0 unchanged human translations skipped
          0 conflicts with a different human translation
          0 empty or untranslated skipped
          0 marked as machine translation in the file skipped (nothing in the memory to compare; --as-human stores them)
        """
        if self.dry_run:
            head = f"Dry run: importing {self.file} into {self.memory} would do this"
        else:
            head = f"Imported {self.file} into {self.memory} as import #{self.operation}"
        won = sum(1 for conflict in self.conflicts if conflict.winner == "file")
        conflicts = f"  {len(self.conflicts)} conflicts with a different human translation"
        if self.conflicts:
            conflicts += f" (both kept; the file's is used for {won}, the memory's for {len(self.conflicts) - won})"
        return [
            f"{head}: {self.units} units",
            f"  {self.stored} stored as human translations",
            f"  {self.unchanged_machine} unchanged machine translations skipped",
            f"  {self.unchanged_human} unchanged human translations skipped",
            conflicts,
            f"  {self.untranslated} empty or untranslated skipped",
            (
                f"  {self.machine_marked} marked as machine translation in the file skipped "
                "(nothing in the memory to compare; --as-human stores them)"
            ),
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "memory": self.memory,
            "dry_run": self.dry_run,
            "import": self.operation,
            **self.counts(),
            "conflict_details": [conflict.to_json() for conflict in self.conflicts],
        }


def comparable(text: str) -> str:
    """What two targets must share to be the same translation: NFC, spaces collapsed.

    >>> comparable("  Le\\u00a0chat \\n dort. ") == comparable("Le chat dort.")
    True
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def import_file(
    memory: TranslationMemory,
    path: Path,
    fmt: str | None = None,
    *,
    as_human: bool = False,
    dry_run: bool = False,
    kind: str = "import",
) -> ImportReport:
    """Import the post-edits of a TMX, XLIFF (1.2 or 2.x) or bilingual TSV file.

    A malformed or unsafe file raises :class:`~bilingual.errors.FormatError` with its line and
    stores nothing; with ``dry_run`` the report says what would happen and nothing is kept.
    """
    path = Path(path)
    units = list(exchange.read_units(path, fmt))
    return import_units(
        memory, units, str(path), _file_date(path), as_human=as_human, dry_run=dry_run, kind=kind
    )


def import_units(
    memory: TranslationMemory,
    units: list[TranslationUnit],
    subject: str,
    file_date: str,
    *,
    as_human: bool = False,
    dry_run: bool = False,
    kind: str = "import",
    keep_current: bool = False,
) -> ImportReport:
    """:func:`import_file` for units already read (``subject`` names where they came from).

    With ``keep_current`` a conflict never displaces the memory's current human translation
    (the units are no translator's edits, e.g. an alignment's).
    """
    report = ImportReport(subject, memory.name, dry_run=dry_run)
    with memory.transaction(rollback=dry_run) as session:
        operation = session.begin(kind, subject)
        sources = [unit.source for unit in units]
        machine = {
            source: {comparable(target) for target in targets}
            for source, targets in session.machine_targets(sources).items()
        }
        for unit in units:
            source, target = unit.source, unit.target
            if not source.strip() or not target.strip() or not unit.translated:
                report.untranslated += 1
                continue
            if comparable(target) in machine.get(source, set()):
                report.unchanged_machine += 1
                continue
            if source not in machine and unit.is_machine and not as_human:
                # no machine translation to compare with: the file's own marker decides
                report.machine_marked += 1
                continue
            date = timestamp(unit.changed) if unit.changed is not None else file_date
            current = session.current_human([source]).get(source)
            if current is None:
                session.add_human(source, target, date, unit.document, operation)
                report.stored += 1
                continue
            if comparable(current.target) == comparable(target):
                report.unchanged_human += 1
                continue
            if date == current.changed and not keep_current:
                # The unit was made from the current version: the file edits it.
                later = max(file_date, timestamp())
                session.add_human(source, target, later, unit.document, operation)
                report.stored += 1
                continue
            known = {
                comparable(text): changed
                for text, changed in session.human_targets([source]).get(source, {}).items()
            }
            winner = "file" if date >= current.changed and not keep_current else "memory"
            if winner == "file" or known.get(comparable(target), "") < date < current.changed:
                session.add_human(source, target, date, unit.document, operation)
            report.conflicts.append(Conflict(source, current.target, target, winner, unit.line))
        session.finish(operation, report.counts())
        report.operation = None if dry_run else operation
    return report


def _file_date(path: Path) -> str:
    return timestamp(datetime.fromtimestamp(path.stat().st_mtime, UTC))


def export_file(
    memory: TranslationMemory, path: Path, fmt: str, document: str | None = None
) -> int:
    """Write the current translation of every segment (or of one document's segments, in
    order) as TMX 1.4, XLIFF 2.1, XLIFF 1.2 or TSV; the file is replaced atomically.

    Machine translations are marked as such in every format, so importing the file back
    unedited stores nothing. Returns how many units were written.
    """
    path = Path(path)
    if memory.is_stored_in(path):
        raise BilingualError(f"{path}: is the translation memory itself; choose another file")
    header = FileHeader(datetime.now(UTC), document=document, original=document)
    units = _units(memory.iter_current(document), document)
    return exchange.write_units(path, units, header, fmt)


def _units(entries: Iterator[MemoryEntry], document: str | None) -> Iterator[TranslationUnit]:
    for entry in entries:
        human = entry.origin is Origin.HUMAN
        yield TranslationUnit(
            source=entry.source,
            target=entry.target,
            origin=entry.origin,
            engine=entry.engine,
            document=document or entry.document,
            created=parse_timestamp(entry.created),
            # a human version's date lets a later import tell an edit of it from a conflict
            changed=parse_timestamp(entry.changed) if human else None,
        )
