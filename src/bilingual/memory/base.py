"""The translation memory's contract, and everything both backends do the same way.

:class:`TranslationMemory` is the one interface every command and the pipeline use; it is
implemented by :class:`~bilingual.memory.sqlite.SQLiteMemory` (one file, the default) and
:class:`~bilingual.memory.postgres.PostgresMemory` (a server a team shares), both opened by
:func:`bilingual.memory.open_memory`. The behaviour lives here, written once in SQL both
engines run; a backend only connects, creates its schema, runs statements, and turns its
driver's errors into :class:`~bilingual.errors.TranslationMemoryError`.

What every backend guarantees:

* Human translations are never overwritten: every version is a row of its own, the newest (by
  the date the translation was made) is the one used, and each import, removal or edit is a
  recorded *operation* that :meth:`TranslationMemory.undo` takes back.
* Every write is one transaction, and writers take turns (SQLite's write lock, a PostgreSQL
  advisory lock): a reader sees an engine batch or an import whole or not at all, and several
  builds and imports at once lose nothing. Writers taking turns costs little: each write is
  short (the engine's work is done outside it) and they would queue on the same rows anyway
  (the document frequency of words like "de" and "la").
* Reads never block and never write: several processes (or threads, each with its own
  memory opened from :attr:`TranslationMemory.location`) may look up at once.

Tables (the backends differ only in column types and in how they record the schema version)::

    segment(id, source UNIQUE, length, fuzzy_indexed, created, operation_id)
        one row per distinct French source text; ``length`` feeds the fuzzy length filter;
        ``fuzzy_indexed`` is 1 once its words are in ``fuzzy_token``; ``operation_id`` is the
        import that brought it in (NULL: a build), so undoing the import can drop it again.
    translation(id, segment_id, target, origin 'machine'|'human', engine, glossary_key,
                document, created, updated, changed, operation_id, removed_by)
        machine rows carry the engine signature (name:version:model) and the glossary key they
        were made with (one row per segment, engine and key: changing either simply misses
        them); human rows are versions: engine = glossary_key = '', ``changed`` is when the
        translation was made (the file's date for an import), ``operation_id`` the import or
        edit that stored it. ``removed_by`` retires a row without losing it.
    operation(id, kind, subject, created, counts, undone)
        every import ('import', 'align'), edit ('edit') and removal ('remove'): what it was
        about (a file, a source text), when, what it did (JSON counts), and when it was undone.
    document(name, engine, updated), document_segment(document, position, segment_id,
                                                      glossary_key)
        the segments of each document in order, with the engine and glossary key its last build
        used, so exporting a document gives the translations a build would use.
    fuzzy_token(token, length, segment_id), token_df(token, df)
        inverted index of lowercased words (``length`` lets one index range scan apply both the
        word and the length filter) and how many segments hold each word (rarest probed first).
    checked(key, findings)
        the quality findings of a (source, target, glossary entries) triple, as JSON, keyed by
        a hash the pipeline computes: a rebuild re-checks only what changed.

Timestamps are ISO 8601 UTC strings (``2024-05-01T12:00:00Z``), which sort as text.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Protocol, Self, TypeVar

from ..document import EngineInfo, Origin, Suggestion
from ..errors import BilingualError, TranslationMemoryError
from ..userdirs import xdg_home
from .fuzzy import (
    FUZZY_THRESHOLD,
    CandidatePool,
    CandidateScan,
    Posting,
    best_match,
    index_words,
    length_range,
    plan_scans,
    word_diff,
)

_T = TypeVar("_T")

SCHEMA_VERSION = 2
#: How long a writer waits for another one before giving up with a clear error.
BUSY_TIMEOUT_SECONDS = 30.0

#: How many values one ``IN (...)`` list binds: far below either engine's limit, large enough
#: that a 1 MB text needs only a few dozen queries.
_CHUNK = 500
#: How many sources one fuzzy round handles: its posting scans go out as one statement.
FUZZY_BATCH = 50
_LIVE = "t.removed_by IS NULL"
_ENTRY_COLUMNS = (
    "s.source, t.target, t.origin, t.engine, t.glossary_key, t.document, t.created, t.updated, "
    "t.changed"
)


def default_memory_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the memory lives unless ``--memory`` says otherwise (XDG base directories).

    >>> default_memory_path({"XDG_DATA_HOME": "/data", "HOME": "/home/ana"}).as_posix()
    '/data/bilingual/memory.sqlite'
    >>> default_memory_path({"HOME": "/home/ana"}).as_posix()
    '/home/ana/.local/share/bilingual/memory.sqlite'
    """
    return xdg_home("XDG_DATA_HOME", ".local/share", environ) / "bilingual" / "memory.sqlite"


def timestamp(moment: datetime | None = None) -> str:
    """A memory timestamp (ISO 8601, UTC, seconds): now, or ``moment``.

    >>> timestamp(datetime(2025, 1, 31, 23, 5, 9, 500, tzinfo=UTC))
    '2025-01-31T23:05:09Z'
    """
    moment = datetime.now(UTC) if moment is None else moment
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class MemoryHit:
    """An exact match: a stored translation of the very same source text."""

    target: str
    origin: Origin  # HUMAN, or MEMORY for a reused machine translation
    engine: str | None  # engine signature of a machine translation
    glossary_key: str
    document: str | None
    updated: str
    changed: str  # when the translation was made


@dataclass(frozen=True, slots=True)
class MemoryEntry:
    """One stored translation, as exported and searched."""

    source: str
    target: str
    origin: Origin  # HUMAN or MACHINE
    engine: str | None
    glossary_key: str
    document: str | None
    created: str
    updated: str
    changed: str

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "origin": self.origin.value,
            "engine": self.engine,
            "glossary_key": self.glossary_key,
            "document": self.document,
            "created": self.created,
            "updated": self.updated,
            "changed": self.changed,
        }


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a segment's translation, as :meth:`TranslationMemory.history` lists it."""

    id: int
    target: str
    origin: Origin  # HUMAN or MACHINE
    engine: str | None
    document: str | None
    changed: str
    created: str
    operation: Operation | None
    removed_by: int | None
    current: bool  # the version a build uses (the newest live human one, if any)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "target": self.target,
            "origin": self.origin.value,
            "engine": self.engine,
            "document": self.document,
            "changed": self.changed,
            "stored": self.created,
            "operation": self.operation.to_json() if self.operation else None,
            "removed_by": self.removed_by,
            "current": self.current,
        }


@dataclass(frozen=True, slots=True)
class Operation:
    """A recorded change to the memory: an import, an edit or a removal."""

    id: int
    kind: str
    subject: str
    created: str
    counts: dict[str, int] = field(default_factory=dict)
    undone: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "created": self.created,
            "counts": self.counts,
            "undone": self.undone,
        }

    def describe(self) -> str:
        """
        >>> Operation(3, "import", "edited.tmx", "2025-01-01T00:00:00Z").describe()
        'import #3 (edited.tmx)'
        """
        return f"{self.kind} #{self.id} ({self.subject})"


@dataclass(frozen=True, slots=True)
class MemoryStats:
    memory: str  # the memory's name: its file, or its URL without the password
    segments: int
    translated_segments: int
    human: int  # segments with a human translation
    human_versions: int  # every human version kept, the older ones included
    machine: int
    documents: int
    engines: tuple[tuple[str, int], ...]  # (signature, machine translations), most first
    oldest: str | None
    newest: str | None
    operations: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "memory": self.memory,
            "segments": self.segments,
            "translated_segments": self.translated_segments,
            "human": self.human,
            "human_versions": self.human_versions,
            "machine": self.machine,
            "documents": self.documents,
            "engines": {signature: count for signature, count in self.engines},
            "oldest": self.oldest,
            "newest": self.newest,
            "operations": self.operations,
        }


@dataclass(frozen=True, slots=True)
class HumanVersion:
    """The live human translation of a segment that a lookup or an import compares with."""

    id: int
    target: str
    changed: str


class Rows(Protocol):
    """What a statement returns, in both drivers: rows to fetch or iterate, and a count."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


def _chunks(items: Sequence[_T], size: int = _CHUNK) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


class TranslationMemory(ABC):
    """One open translation memory; use as a context manager.

    Open one with :func:`bilingual.memory.open_memory` (a path or a ``postgresql://`` URL).
    Every method is one transaction or one consistent read; none keeps state between calls,
    so a memory may be closed and reopened (:attr:`location`) at any point.

    >>> import tempfile
    >>> from bilingual.memory import open_memory
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open_memory(Path(folder) / "memory.sqlite") as memory:
    ...         memory.store_human("doc", [("Bonjour.", "Hello.")])
    ...         memory.lookup("Bonjour.", None, "").target
    1
    'Hello.'
    """

    #: ``LIKE`` as :meth:`search` needs it: case-insensitive (SQLite's LIKE already is).
    _LIKE: ClassVar[str] = "LIKE"

    #: Shown in every message: the file, or the URL without its password.
    name: str
    #: What :func:`~bilingual.memory.open_memory` was given: open it again in a worker.
    location: str | Path

    # -- what a backend provides -------------------------------------------------------------

    @abstractmethod
    def __init__(self, location: str | Path, create: bool = True) -> None:
        """Open (and unless ``create`` is false, create) the memory at ``location``."""

    @abstractmethod
    def _execute(self, query: str, parameters: Sequence[object] = ()) -> Rows:
        """Run one statement (``?`` placeholders) on the memory's connection."""

    @abstractmethod
    def _executemany(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        """Run one statement once per row of parameters."""

    def _insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
    ) -> None:
        """Insert rows no constraint can refuse (the bulk of what a build writes)."""
        self._executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_placeholders(len(columns))})",
            rows,
        )

    @abstractmethod
    def _stream(self, query: str, parameters: Sequence[object] = ()) -> Iterator[Any]:
        """The rows of a long query, fetched as they are consumed."""

    @abstractmethod
    def _write(self, rollback: bool = False) -> contextlib.AbstractContextManager[None]:
        """One write transaction; writers take turns. With ``rollback`` everything done inside
        is undone at the end (a dry run)."""

    @abstractmethod
    def _guard(self) -> contextlib.AbstractContextManager[None]:
        """Turn the driver's failures into one :class:`TranslationMemoryError` naming the
        memory."""

    @abstractmethod
    def _sources_clause(self, column: str, sources: Sequence[str]) -> tuple[str, list[object]]:
        """``column IN (...)`` for these source texts, with its parameters (PostgreSQL matches
        a hash: its indexes cannot hold a ten-megabyte segment)."""

    @abstractmethod
    def _storage_check(self) -> list[str]:
        """The engine's own consistency problems (empty when there are none)."""

    @abstractmethod
    def close(self) -> None: ...

    def _refuse_unusable_schema(
        self, version: int | None, tables: Iterable[str], required: frozenset[str]
    ) -> None:
        """Refuse a memory without a schema version, one a newer bilingual wrote, or one that
        lacks some of the ``required`` tables."""
        if version is None:
            raise TranslationMemoryError(f"{self.name}: has no schema version; it looks corrupt")
        if version > SCHEMA_VERSION:
            raise TranslationMemoryError(
                f"{self.name}: was written by a newer bilingual (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade bilingual to use it"
            )
        missing = required - set(tables)
        if missing:
            raise TranslationMemoryError(
                f"{self.name}: translation memory lacks tables {', '.join(sorted(missing))}; "
                "it looks corrupt"
            )

    def is_stored_in(self, path: Path) -> bool:
        """Whether ``path`` is the memory itself (an export must never overwrite it)."""
        return False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- storing (inside the caller's transaction) ---------------------------------------------

    def _segment_ids(
        self, sources: Iterable[str], now: str, operation_id: int | None = None
    ) -> dict[str, int]:
        """Ids of ``sources``, inserting the missing ones."""
        unique = list(dict.fromkeys(sources))
        self._executemany(
            "INSERT INTO segment (source, length, created, operation_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(source, len(source), now, operation_id) for source in unique],
        )
        return self._known_ids(unique)

    def _known_ids(self, sources: Sequence[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for chunk in _chunks(list(dict.fromkeys(sources))):
            clause, parameters = self._sources_clause("source", chunk)
            ids.update(self._execute(f"SELECT source, id FROM segment WHERE {clause}", parameters))
        return ids

    def _index_for_fuzzy(self, segment_ids: Iterable[int]) -> None:
        for chunk in _chunks(sorted(set(segment_ids))):
            rows = self._execute(
                f"SELECT id, source, length FROM segment WHERE fuzzy_indexed = 0 "
                f"AND id IN ({_placeholders(len(chunk))})",
                chunk,
            ).fetchall()
            postings = sorted(
                (token, length, segment_id)
                for segment_id, source, length in rows
                for token in index_words(source)
            )
            self._insert_rows("fuzzy_token", ("token", "length", "segment_id"), postings)
            counts: dict[str, int] = {}
            for token, _, _ in postings:
                counts[token] = counts.get(token, 0) + 1
            self._executemany(
                "INSERT INTO token_df (token, df) VALUES (?, ?) "
                "ON CONFLICT (token) DO UPDATE SET df = token_df.df + excluded.df",
                sorted(counts.items()),
            )
            indexed = [row[0] for row in rows]
            if indexed:
                self._execute(
                    "UPDATE segment SET fuzzy_indexed = 1 WHERE id IN "
                    f"({_placeholders(len(indexed))})",
                    indexed,
                )

    def _unindex(self, segment_ids: Sequence[int]) -> None:
        """Take segments out of the fuzzy index (before they are deleted)."""
        for segment_id in segment_ids:
            row = self._execute(
                "SELECT source, length FROM segment WHERE id = ? AND fuzzy_indexed = 1",
                (segment_id,),
            ).fetchone()
            if row is None:
                continue
            tokens = sorted(index_words(row[0]))
            self._executemany(
                "DELETE FROM fuzzy_token WHERE token = ? AND length = ? AND segment_id = ?",
                [(token, row[1], segment_id) for token in tokens],
            )
            self._executemany(
                "UPDATE token_df SET df = df - 1 WHERE token = ?", [(token,) for token in tokens]
            )
        self._execute("DELETE FROM token_df WHERE df <= 0")

    def _add_human(
        self,
        source: str,
        target: str,
        changed: str,
        document: str | None,
        operation_id: int,
    ) -> None:
        now = timestamp()
        segment_id = self._segment_ids([source], now, operation_id)[source]
        self._execute(
            "INSERT INTO translation (segment_id, target, origin, engine, glossary_key, document, "
            "created, updated, changed, operation_id) "
            "VALUES (?, ?, 'human', '', '', ?, ?, ?, ?, ?)",
            (segment_id, target, document, now, now, changed, operation_id),
        )
        self._index_for_fuzzy([segment_id])

    def _new_operation(self, kind: str, subject: str) -> int:
        row = self._execute(
            "INSERT INTO operation (kind, subject, created) VALUES (?, ?, ?) RETURNING id",
            (kind, subject, timestamp()),
        ).fetchone()
        return int(row[0])

    def _finish_operation(self, operation_id: int, counts: Mapping[str, int]) -> None:
        self._execute(
            "UPDATE operation SET counts = ? WHERE id = ?",
            (json.dumps(dict(counts)), operation_id),
        )

    # -- storing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, rollback: bool = False) -> Iterator[MemoryTransaction]:
        """A write transaction with the reads and writes an import needs (see
        :mod:`bilingual.memory.transfer`); with ``rollback`` nothing it does is kept."""
        with self._guard(), self._write(rollback):
            yield MemoryTransaction(self)

    def store_machine(
        self, document: str, rows: Sequence[tuple[str, str, str]], engine: EngineInfo
    ) -> None:
        """Store one engine batch, ``(source, target, glossary_key)`` rows, in one transaction."""
        if not rows:
            return
        with self._guard(), self._write():
            now = timestamp()
            ids = self._segment_ids((source for source, _, _ in rows), now)
            signature = engine.signature()
            self._executemany(
                "INSERT INTO translation (segment_id, target, origin, engine, glossary_key, "
                "document, created, updated, changed) VALUES (?, ?, 'machine', ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (segment_id, engine, glossary_key) WHERE origin = 'machine' "
                "DO UPDATE SET target = excluded.target, "
                "document = coalesce(excluded.document, translation.document), "
                "updated = excluded.updated, changed = CASE WHEN translation.target = "
                "excluded.target THEN translation.changed ELSE excluded.changed END, "
                "removed_by = NULL",
                [
                    (ids[source], target, signature, key, document, now, now, now)
                    for source, target, key in rows
                ],
            )
            self._index_for_fuzzy(ids.values())

    def store_human(
        self, document: str | None, pairs: Iterable[tuple[str, str]], subject: str = "python"
    ) -> int:
        """Store post-edited ``(source, target)`` pairs as one recorded edit; return how many
        new versions were stored.

        Empty sources or targets, and targets equal to the current human translation, store
        nothing. Every stored pair is a new version: no human translation is overwritten.
        """
        with self.transaction() as session:
            operation = session.begin("edit", subject)
            stored = 0
            for source, target in pairs:
                if not source.strip() or not target.strip():
                    continue
                current = session.current_human([source]).get(source)
                if current is not None and current.target == target:
                    continue
                session.add_human(source, target, timestamp(), document, operation)
                stored += 1
            session.finish(operation, {"stored": stored})
        return stored

    def record_document(
        self,
        document: str,
        sources: Sequence[str],
        engine: EngineInfo | None = None,
        glossary_keys: Sequence[str] | None = None,
    ) -> None:
        """Record that ``document`` consists of ``sources``, in order (replacing its old list),
        built with ``engine`` and these glossary keys (one per source)."""
        keys = list(glossary_keys) if glossary_keys is not None else [""] * len(sources)
        with self._guard(), self._write():
            now = timestamp()
            ids = self._segment_ids(sources, now)
            self._execute("DELETE FROM document_segment WHERE document = ?", (document,))
            self._insert_rows(
                "document_segment",
                ("document", "position", "segment_id", "glossary_key"),
                [
                    (document, position, ids[source], key)
                    for position, (source, key) in enumerate(zip(sources, keys, strict=True))
                ],
            )
            self._execute(
                "INSERT INTO document (name, engine, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET engine = excluded.engine, "
                "updated = excluded.updated",
                (document, engine.signature() if engine else None, now),
            )

    def recall_checks(self, keys: Sequence[str]) -> list[str | None]:
        """The stored findings (JSON) for each key, or None where the pair was never checked."""
        found: dict[str, str] = {}
        with self._guard():
            for chunk in _chunks(list(dict.fromkeys(keys))):
                found.update(
                    self._execute(
                        f"SELECT key, findings FROM checked WHERE key IN ({_placeholders(len(chunk))})",
                        chunk,
                    ).fetchall()
                )
        return [found.get(key) for key in keys]

    def store_checks(self, rows: Sequence[tuple[str, str]]) -> None:
        """Store ``(key, findings JSON)`` rows in one transaction."""
        if not rows:
            return
        with self._guard(), self._write():
            self._executemany(
                "INSERT INTO checked (key, findings) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET findings = excluded.findings",
                sorted(dict(rows).items()),
            )

    # -- exact lookups ---------------------------------------------------------------------

    def lookup(self, source: str, engine: EngineInfo | None, glossary_key: str) -> MemoryHit | None:
        """The stored translation to reuse for ``source``, or None.

        The newest live human translation wins whatever the engine and glossary; otherwise only
        a machine translation by the same engine signature and glossary key is reused.
        """
        return self.lookup_many([source], engine, [glossary_key])[0]

    def lookup_many(
        self, sources: Sequence[str], engine: EngineInfo | None, glossary_keys: Sequence[str]
    ) -> list[MemoryHit | None]:
        """:meth:`lookup` for many sources with one query per chunk."""
        if len(sources) != len(glossary_keys):
            raise ValueError("lookup_many needs one glossary key per source")
        signature = engine.signature() if engine is not None else None
        human: dict[str, MemoryHit] = {}
        machine: dict[tuple[str, str], MemoryHit] = {}
        with self._guard():
            for chunk in _chunks(list(dict.fromkeys(sources))):
                clause, parameters = self._sources_clause("s.source", chunk)
                rows = self._execute(
                    "SELECT s.source, t.target, t.origin, t.engine, t.glossary_key, t.document, "
                    "t.updated, t.changed FROM segment s JOIN translation t ON t.segment_id = s.id "
                    f"WHERE {clause} AND {_LIVE} "
                    "AND (t.origin = 'human' OR t.engine = ?) ORDER BY t.changed, t.id",
                    [*parameters, signature],
                )
                for source, target, origin, signature_, key, document, updated, changed in rows:
                    if origin == "human":  # ordered by date: the newest comes last and stays
                        human[source] = MemoryHit(
                            target, Origin.HUMAN, None, key, document, updated, changed
                        )
                    else:
                        machine[(source, key)] = MemoryHit(
                            target, Origin.MEMORY, signature_, key, document, updated, changed
                        )
        return [
            human.get(source) or machine.get((source, key))
            for source, key in zip(sources, glossary_keys, strict=True)
        ]

    # -- fuzzy matches -----------------------------------------------------------------------

    def fuzzy(
        self, source: str, threshold: float = FUZZY_THRESHOLD, exclude_exact: bool = True
    ) -> Suggestion | None:
        """The most similar stored segment (≥ ``threshold``) with its preferred translation.

        The suggestion's ``diff`` is the word-level diff from the stored source to ``source``.
        """
        return self.fuzzy_many([source], threshold, exclude_exact)[0]

    def fuzzy_many(
        self,
        sources: Sequence[str],
        threshold: float = FUZZY_THRESHOLD,
        exclude_exact: bool = True,
    ) -> list[Suggestion | None]:
        """:meth:`fuzzy` for many sources, :data:`FUZZY_BATCH` at a time with a few statements
        per batch; the work per source is bounded however alike the stored segments are (see
        :func:`~bilingual.memory.fuzzy.plan_scans` and :func:`~bilingual.memory.fuzzy.best_match`),
        so the time grows linearly with the number of sources. Read-only: several processes
        may run it at once, each on its own memory."""
        results: list[Suggestion | None] = []
        with self._guard():
            for batch in _chunks(sources, FUZZY_BATCH):
                results.extend(self._fuzzy_batch(batch, threshold, exclude_exact))
        return results

    def _fuzzy_batch(
        self, sources: Sequence[str], threshold: float, exclude_exact: bool
    ) -> list[Suggestion | None]:
        wanted = [index_words(source) for source in sources]
        if threshold <= 0:
            return [None] * len(sources)
        frequency = self._document_frequencies(set().union(*wanted))
        plans = [
            plan_scans(words_, frequency, *length_range(len(source), threshold), len(source))
            for source, words_ in zip(sources, wanted, strict=True)
        ]
        postings = self._scan_postings([scan for plan in plans for scan in plan])
        candidates = [
            CandidatePool(plan, postings, len(source))
            for source, plan in zip(sources, plans, strict=True)
        ]
        held = self._held_postings({check for pool in candidates for check in pool.checks()})
        pools = [pool.best(held) for pool in candidates]
        texts = self._translated_sources({segment_id for pool in pools for segment_id in pool})
        stored = {segment_id: (text, index_words(text)) for segment_id, text in texts.items()}
        best: list[tuple[float, int, str] | None] = []
        for source, words_, pool in zip(sources, wanted, pools, strict=True):
            candidates_ = [
                (segment_id, *stored[segment_id])
                for segment_id in pool
                if segment_id in stored and not (exclude_exact and texts[segment_id] == source)
            ]
            best.append(best_match(source, words_, candidates_, threshold))
        preferred = self._preferred_translations([match[1] for match in best if match])
        return [
            None
            if match is None
            else Suggestion(
                target=preferred[match[1]][0],
                similarity=round(match[0], 4),
                origin=Origin.HUMAN if preferred[match[1]][1] == "human" else Origin.MEMORY,
                diff=word_diff(match[2], source),
            )
            for source, match in zip(sources, best, strict=True)
        ]

    def _document_frequencies(self, tokens: set[str]) -> dict[str, int]:
        frequency: dict[str, int] = {}
        for chunk in _chunks(sorted(tokens)):
            frequency.update(
                self._execute(
                    f"SELECT token, df FROM token_df WHERE token IN ({_placeholders(len(chunk))})",
                    chunk,
                ).fetchall()
            )
        return frequency

    def _scan_postings(
        self, scans: Sequence[CandidateScan]
    ) -> dict[CandidateScan, list[tuple[int, int]]]:
        """The ``(segment_id, length)`` each bounded index range scan finds, in few statements:
        each scan is one ``LIMIT`` subquery of a ``UNION ALL`` (one index seek, at most
        ``limit`` rows)."""
        found: dict[CandidateScan, list[tuple[int, int]]] = {}
        # SQLite allows at most 500 terms in one compound statement.
        for chunk in _chunks(list(dict.fromkeys(scans)), 400):
            terms: list[str] = []
            parameters: list[object] = []
            for number, scan in enumerate(chunk):
                order = "DESC" if scan.downward else ""
                terms.append(
                    f"SELECT {number} AS scan, segment_id, length FROM (SELECT segment_id, length "
                    "FROM fuzzy_token WHERE token = ? AND length BETWEEN ? AND ? "
                    f"ORDER BY length {order}, segment_id {order} LIMIT ?) AS p{number}"
                )
                parameters.extend((scan.token, scan.shortest, scan.longest, scan.limit))
            results: list[list[tuple[int, int]]] = [[] for _ in chunk]
            for number, segment_id, length in self._execute(" UNION ALL ".join(terms), parameters):
                results[number].append((segment_id, length))
            found.update(zip(chunk, results, strict=True))
        return found

    def _held_postings(self, postings: set[Posting]) -> set[Posting]:
        """Which of these postings the index holds: one primary-key lookup each."""
        held: set[Posting] = set()
        for chunk in _chunks(sorted(postings), 300):
            rows = ",".join(["(?, ?, ?)"] * len(chunk))
            held.update(
                (token, length, segment_id)
                for token, length, segment_id in self._execute(
                    f"WITH wanted (token, length, segment_id) AS (VALUES {rows}) "
                    "SELECT f.token, f.length, f.segment_id FROM wanted JOIN fuzzy_token f "
                    "ON f.token = wanted.token AND f.length = wanted.length "
                    "AND f.segment_id = wanted.segment_id",
                    [value for posting in chunk for value in posting],
                )
            )
        return held

    def _translated_sources(self, segment_ids: set[int]) -> dict[int, str]:
        """The source text of each of these segments that still has a live translation."""
        texts: dict[int, str] = {}
        for chunk in _chunks(sorted(segment_ids)):
            texts.update(
                self._execute(
                    f"SELECT s.id, s.source FROM segment s WHERE s.id IN "
                    f"({_placeholders(len(chunk))}) AND EXISTS (SELECT 1 FROM translation t "
                    f"WHERE t.segment_id = s.id AND {_LIVE})",
                    chunk,
                ).fetchall()
            )
        return texts

    def _preferred_translations(self, segment_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Each segment's ``(target, origin)`` a build would use: the newest live human
        translation, else the latest machine one."""
        preferred: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(sorted(set(segment_ids))):
            rows = self._execute(
                f"SELECT t.segment_id, t.target, t.origin FROM translation t "
                f"WHERE t.segment_id IN ({_placeholders(len(chunk))}) AND {_LIVE} "
                "ORDER BY t.segment_id, t.origin = 'human' DESC, t.changed DESC, t.updated DESC, "
                "t.id DESC",
                chunk,
            )
            for segment_id, target, origin in rows:
                preferred.setdefault(segment_id, (target, origin))
        return preferred

    # -- history, operations, undo, removal --------------------------------------------------

    def segment_source(self, segment_id: int) -> str:
        with self._guard():
            row = self._execute("SELECT source FROM segment WHERE id = ?", (segment_id,)).fetchone()
        if row is None:
            raise BilingualError(f"{self.name}: no segment #{segment_id} in the memory")
        return str(row[0])

    def _segment_id(self, source: str) -> int | None:
        clause, parameters = self._sources_clause("source", [source])
        row = self._execute(f"SELECT id FROM segment WHERE {clause}", parameters).fetchone()
        return None if row is None else int(row[0])

    def history(self, source: str) -> list[Version]:
        """Every version of ``source``'s translations, newest first, removed ones included."""
        with self._guard():
            segment_id = self._segment_id(source)
            if segment_id is None:
                return []
            operations = {op.id: op for op in self.operations()}
            rows = self._execute(
                "SELECT id, target, origin, engine, document, changed, created, operation_id, "
                "removed_by FROM translation WHERE segment_id = ? "
                "ORDER BY changed DESC, id DESC",
                (segment_id,),
            ).fetchall()
        live = [r for r in rows if r[8] is None]
        current_id = next((r[0] for r in live if r[2] == "human"), None)
        if current_id is None and live:
            current_id = max(live, key=lambda r: (r[6], r[0]))[0]  # the latest machine one
        return [
            Version(
                id=identifier,
                target=target,
                origin=Origin(origin),
                engine=engine or None,
                document=document,
                changed=changed,
                created=created,
                operation=operations.get(operation_id) if operation_id is not None else None,
                removed_by=removed_by,
                current=identifier == current_id,
            )
            for identifier, target, origin, engine, document, changed, created, operation_id, removed_by in rows
        ]

    def operations(self, kinds: Sequence[str] | None = None) -> list[Operation]:
        """The recorded operations, oldest first."""
        query = "SELECT id, kind, subject, created, counts, undone FROM operation"
        parameters: list[str] = []
        if kinds:
            query += f" WHERE kind IN ({_placeholders(len(kinds))})"
            parameters = list(kinds)
        with self._guard():
            rows = self._execute(query + " ORDER BY id", parameters).fetchall()
        return [
            Operation(identifier, kind, subject, created, json.loads(counts), undone)
            for identifier, kind, subject, created, counts, undone in rows
        ]

    def operation(self, operation_id: int) -> Operation:
        for candidate in self.operations():
            if candidate.id == operation_id:
                return candidate
        raise BilingualError(
            f"{self.name}: no operation #{operation_id}; `bilingual memory imports` lists them"
        )

    def undo(self, operation_id: int) -> tuple[Operation, int]:
        """Take back one operation; return it and how many translations changed.

        An import or edit is removed with everything it brought (its translations, and the
        segments only it brought); a removal is reversed. The memory is then as it was before
        the operation, but for what later operations did.
        """
        target = self.operation(operation_id)
        if target.undone is not None:
            raise BilingualError(
                f"{self.name}: {target.describe()} was already undone at {target.undone}"
            )
        with self._guard(), self._write():
            if target.kind == "remove":
                changed = self._execute(
                    "UPDATE translation SET removed_by = NULL WHERE removed_by = ?", (operation_id,)
                ).rowcount
            else:
                changed = self._execute(
                    "DELETE FROM translation WHERE operation_id = ?", (operation_id,)
                ).rowcount
                orphans = [
                    int(row[0])
                    for row in self._execute(
                        "SELECT s.id FROM segment s WHERE s.operation_id = ? "
                        "AND NOT EXISTS (SELECT 1 FROM translation t WHERE t.segment_id = s.id) "
                        "AND NOT EXISTS (SELECT 1 FROM document_segment d WHERE d.segment_id = s.id) "
                        "ORDER BY s.id",
                        (operation_id,),
                    ).fetchall()
                ]
                self._unindex(orphans)
                self._executemany("DELETE FROM segment WHERE id = ?", [(i,) for i in orphans])
            self._execute(
                "UPDATE operation SET undone = ? WHERE id = ?", (timestamp(), operation_id)
            )
        return target, changed

    def remove(self, source: str) -> tuple[Operation, int]:
        """Retire every live translation of ``source`` (one recorded, undoable removal)."""
        with self._guard(), self._write():
            segment_id = self._segment_id(source)
            count = 0
            if segment_id is not None:
                count = self._execute(
                    "SELECT count(*) FROM translation WHERE segment_id = ? AND removed_by IS NULL",
                    (segment_id,),
                ).fetchone()[0]
            if not count:
                raise BilingualError(f"{self.name}: no translation of {source!r} to remove")
            operation_id = self._new_operation("remove", source)
            self._execute(
                "UPDATE translation SET removed_by = ? WHERE segment_id = ? AND removed_by IS NULL",
                (operation_id, segment_id),
            )
            self._finish_operation(operation_id, {"removed": count})
        return self.operation(operation_id), count

    # -- reading the whole memory ------------------------------------------------------------

    def documents(self) -> list[str]:
        with self._guard():
            return [
                row[0]
                for row in self._execute(
                    "SELECT DISTINCT document FROM document_segment ORDER BY document"
                )
            ]

    def iter_entries(self) -> Iterator[MemoryEntry]:
        """Every live translation, segment by segment, human versions first (newest first)."""
        query = (
            f"SELECT {_ENTRY_COLUMNS} FROM translation t JOIN segment s ON s.id = t.segment_id "
            f"WHERE {_LIVE} ORDER BY s.id, t.origin = 'human' DESC, t.changed DESC, t.id DESC"
        )
        with self._guard():
            for row in self._stream(query):
                yield _entry(row)

    def iter_current(self, document: str | None = None) -> Iterator[MemoryEntry]:
        """The translation a build would use for each segment.

        For the whole memory: one entry per translated segment (its newest human translation,
        else its latest machine one). For a recorded ``document``: one entry per segment
        position, in order, with the machine translation of the engine and glossary key its
        last build used (else the latest machine one); positions without a translation are
        left out.
        """
        if document is None:
            query = (
                f"SELECT {_ENTRY_COLUMNS} FROM translation t JOIN segment s ON s.id = t.segment_id "
                f"WHERE {_LIVE} ORDER BY s.id, t.origin = 'human' DESC, t.changed DESC, "
                "t.updated DESC, t.id DESC"
            )
            parameters: tuple[str, ...] = ()
        else:
            engine = self._document_engine(document)
            query = (
                f"SELECT d.position, {_ENTRY_COLUMNS} FROM document_segment d JOIN segment s ON s.id = d.segment_id "
                f"JOIN translation t ON t.segment_id = s.id WHERE d.document = ? AND {_LIVE} "
                "ORDER BY d.position, t.origin = 'human' DESC, t.changed DESC, "
                "(t.engine = ? AND t.glossary_key = d.glossary_key) DESC, t.updated DESC, t.id DESC"
            )
            parameters = (document, engine or "")
        with self._guard():
            last = None
            for row in self._stream(query, parameters):
                # rows come best first: keep the first per position (document) or per source
                if row[0] == last:
                    continue
                last = row[0]
                yield _entry(row[1:] if document is not None else row)

    def _document_engine(self, document: str) -> str | None:
        """The engine signature the last build of ``document`` used (None before schema 2)."""
        if document not in self.documents():
            known = ", ".join(self.documents()) or "none yet"
            raise BilingualError(
                f"{self.name}: no document named {document!r} in the memory; known: {known}"
            )
        with self._guard():
            row = self._execute(
                "SELECT engine FROM document WHERE name = ?", (document,)
            ).fetchone()
        return str(row[0]) if row is not None and row[0] is not None else None

    def search(self, phrase: str, limit: int = 20) -> list[MemoryEntry]:
        """Live translations whose source is ``phrase`` or contains it (or whose target does),
        exact source matches first."""
        pattern = "%" + re.sub(r"([%_\\])", r"\\\1", phrase) + "%"
        like = self._LIKE
        with self._guard():
            rows = self._execute(
                f"SELECT {_ENTRY_COLUMNS} FROM translation t JOIN segment s ON s.id = t.segment_id "
                f"WHERE {_LIVE} AND (s.source = ? OR s.source {like} ? ESCAPE '\\' "
                f"OR t.target {like} ? ESCAPE '\\') "
                "ORDER BY s.source = ? DESC, length(s.source), t.origin = 'human' DESC, "
                "t.changed DESC LIMIT ?",
                (phrase, pattern, pattern, phrase, limit),
            ).fetchall()
        return [_entry(row) for row in rows]

    def stats(self) -> MemoryStats:
        with self._guard():
            segments = self._execute("SELECT count(*) FROM segment").fetchone()[0]
            translated, human, versions, machine, oldest, newest = self._execute(
                "SELECT count(DISTINCT segment_id), "
                "count(DISTINCT CASE WHEN origin = 'human' THEN segment_id END), "
                "coalesce(sum(CASE WHEN origin = 'human' THEN 1 ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN origin = 'machine' THEN 1 ELSE 0 END), 0), "
                f"min(created), max(updated) FROM translation t WHERE {_LIVE}"
            ).fetchone()
            documents = self._execute(
                "SELECT count(DISTINCT document) FROM document_segment"
            ).fetchone()[0]
            engines = self._execute(
                f"SELECT engine, count(*) FROM translation t WHERE origin = 'machine' AND {_LIVE} "
                "GROUP BY engine ORDER BY count(*) DESC, engine"
            ).fetchall()
            operations = self._execute(
                "SELECT count(*) FROM operation WHERE undone IS NULL"
            ).fetchone()[0]
        return MemoryStats(
            memory=self.name,
            segments=int(segments),
            translated_segments=int(translated),
            human=int(human),
            human_versions=int(versions),
            machine=int(machine),
            documents=int(documents),
            engines=tuple((engine, int(count)) for engine, count in engines),
            oldest=oldest,
            newest=newest,
            operations=int(operations),
        )

    def integrity_check(self) -> str:
        """``"ok"``, or the problems found: the engine's own check, then the fuzzy index (each
        word's count must be the number of segments holding it)."""
        with self._guard():
            problems = self._storage_check()
            drift = self._execute(
                "SELECT count(*) FROM (SELECT token, count(*) AS postings FROM fuzzy_token "
                "GROUP BY token) f FULL OUTER JOIN token_df d ON d.token = f.token "
                "WHERE coalesce(d.df, 0) <> coalesce(f.postings, 0)"
            ).fetchone()[0]
        if drift:
            problems.append(f"{drift} word counts of the fuzzy index disagree with its postings")
        return "\n".join(problems) or "ok"


class MemoryTransaction:
    """What an import does inside its one transaction: read what the memory holds for a
    source, record the operation, add human versions (see :meth:`TranslationMemory.transaction`)."""

    def __init__(self, memory: TranslationMemory) -> None:
        self._memory = memory

    def begin(self, kind: str, subject: str) -> int:
        return self._memory._new_operation(kind, subject)

    def finish(self, operation_id: int, counts: Mapping[str, int]) -> None:
        self._memory._finish_operation(operation_id, counts)

    def add_human(
        self, source: str, target: str, changed: str, document: str | None, operation_id: int
    ) -> None:
        self._memory._add_human(source, target, changed, document, operation_id)

    def current_human(self, sources: Sequence[str]) -> dict[str, HumanVersion]:
        """The newest live human translation of each source that has one."""
        found: dict[str, HumanVersion] = {}
        for chunk in _chunks(list(dict.fromkeys(sources))):
            clause, parameters = self._memory._sources_clause("s.source", chunk)
            rows = self._memory._execute(
                "SELECT s.source, t.id, t.target, t.changed FROM segment s "
                f"JOIN translation t ON t.segment_id = s.id WHERE {clause} "
                f"AND t.origin = 'human' AND {_LIVE} ORDER BY t.changed, t.id",
                parameters,
            )
            for source, identifier, target, changed in rows:
                found[source] = HumanVersion(identifier, target, changed)
        return found

    def human_targets(self, sources: Sequence[str]) -> dict[str, dict[str, str]]:
        """Every human version ever stored for each source: target → its date."""
        return self._targets(sources, "human")

    def machine_targets(self, sources: Sequence[str]) -> dict[str, dict[str, str]]:
        """Every machine translation ever stored for each source (any engine, removed ones
        too): target → its date."""
        return self._targets(sources, "machine")

    def _targets(self, sources: Sequence[str], origin: str) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for chunk in _chunks(list(dict.fromkeys(sources))):
            clause, parameters = self._memory._sources_clause("s.source", chunk)
            rows = self._memory._execute(
                "SELECT s.source, t.target, t.changed FROM segment s "
                f"JOIN translation t ON t.segment_id = s.id WHERE {clause} AND t.origin = ? "
                "ORDER BY t.id",
                [*parameters, origin],
            )
            for source, target, changed in rows:
                found.setdefault(source, {})[target] = changed
        return found


def _entry(row: Sequence[object]) -> MemoryEntry:
    source, target, origin, engine, glossary_key, document, created, updated, changed = row
    return MemoryEntry(
        source=str(source),
        target=str(target),
        origin=Origin(origin),
        engine=str(engine) if engine else None,
        glossary_key=str(glossary_key),
        document=str(document) if document is not None else None,
        created=str(created),
        updated=str(updated),
        changed=str(changed),
    )
