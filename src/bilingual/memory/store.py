"""The translation memory: every source segment with every version of its translations, in one
SQLite file.

The memory lives outside the output folder (users delete and regenerate that), by default at
``$XDG_DATA_HOME/bilingual/memory.sqlite``. A build looks every segment up before sending it to
the engine, stores each engine batch in its own transaction (so a killed build loses nothing it
had finished), and asks for fuzzy matches for the segments it still had to translate.

Human translations are never overwritten: every version is a row of its own, the newest (by the
date the translation was made) is the one used, and each import, removal or edit is a recorded
*operation* that :meth:`TranslationMemory.undo` takes back.

Schema (``PRAGMA application_id`` = :data:`APPLICATION_ID`, ``PRAGMA user_version`` =
:data:`SCHEMA_VERSION`; a version 1 memory is upgraded in place, in one transaction)::

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

Timestamps are ISO 8601 UTC strings (``2024-05-01T12:00:00Z``), which sort as text. The database
runs in WAL mode with a busy timeout, and every write is a ``BEGIN IMMEDIATE`` transaction, so
concurrent builds on one memory wait for each other instead of failing.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from ..document import EngineInfo, Origin, Suggestion
from ..errors import BilingualError, TranslationMemoryError
from .fuzzy import (
    CANDIDATE_POOL,
    FUZZY_THRESHOLD,
    length_range,
    rank_candidates,
    similarity,
    word_diff,
    words,
    words_needed,
)

#: ``PRAGMA application_id`` of a bilingual memory: the bytes "BLTM".
APPLICATION_ID = 0x424C544D
SCHEMA_VERSION = 2
BUSY_TIMEOUT_SECONDS = 30.0

#: How many variables one ``IN (...)`` query binds: far below SQLite's limit, large enough
#: that a 1 MB text needs only a few dozen queries.
_CHUNK = 500

_TABLES_V2 = """
CREATE TABLE operation (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    created TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    undone TEXT
);
CREATE TABLE translation (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segment(id),
    target TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('machine', 'human')),
    engine TEXT NOT NULL,
    glossary_key TEXT NOT NULL,
    document TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    changed TEXT NOT NULL,
    operation_id INTEGER REFERENCES operation(id),
    removed_by INTEGER REFERENCES operation(id)
);
CREATE UNIQUE INDEX translation_machine ON translation (segment_id, engine, glossary_key)
    WHERE origin = 'machine';
CREATE INDEX translation_segment ON translation (segment_id);
CREATE INDEX translation_operation ON translation (operation_id);
CREATE TABLE document (
    name TEXT PRIMARY KEY,
    engine TEXT,
    updated TEXT NOT NULL
) WITHOUT ROWID;
"""
_SCHEMA = (
    """
CREATE TABLE segment (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    length INTEGER NOT NULL,
    fuzzy_indexed INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    operation_id INTEGER
);
CREATE TABLE document_segment (
    document TEXT NOT NULL,
    position INTEGER NOT NULL,
    segment_id INTEGER NOT NULL REFERENCES segment(id),
    glossary_key TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (document, position)
) WITHOUT ROWID;
CREATE TABLE fuzzy_token (
    token TEXT NOT NULL,
    length INTEGER NOT NULL,
    segment_id INTEGER NOT NULL,
    PRIMARY KEY (token, length, segment_id)
) WITHOUT ROWID;
CREATE TABLE token_df (
    token TEXT PRIMARY KEY,
    df INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE checked (
    key TEXT PRIMARY KEY,
    findings TEXT NOT NULL
) WITHOUT ROWID;
"""
    + _TABLES_V2
)
#: Version 1 kept one human translation per segment (the last import won) and no operations.
_UPGRADE_FROM_1 = (
    """
ALTER TABLE segment ADD COLUMN operation_id INTEGER;
ALTER TABLE document_segment ADD COLUMN glossary_key TEXT NOT NULL DEFAULT '';
ALTER TABLE translation RENAME TO translation_v1;
"""
    + _TABLES_V2
    + """
INSERT INTO translation (id, segment_id, target, origin, engine, glossary_key, document,
                         created, updated, changed)
    SELECT id, segment_id, target, origin, engine, glossary_key, document, created, updated,
           updated FROM translation_v1;
DROP TABLE translation_v1;
"""
)
_TABLES = frozenset(
    {
        "segment",
        "translation",
        "operation",
        "document",
        "document_segment",
        "fuzzy_token",
        "token_df",
        "checked",
    }
)
_LIVE = "t.removed_by IS NULL"


def default_memory_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the memory lives unless ``--memory`` says otherwise (XDG base directories).

    >>> default_memory_path({"XDG_DATA_HOME": "/data", "HOME": "/home/ana"}).as_posix()
    '/data/bilingual/memory.sqlite'
    >>> default_memory_path({"HOME": "/home/ana"}).as_posix()
    '/home/ana/.local/share/bilingual/memory.sqlite'
    """
    # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    data_home = environ.get("XDG_DATA_HOME", "")
    if not data_home or not os.path.isabs(data_home):
        home = environ.get("HOME") or os.path.expanduser("~")
        data_home = os.path.join(home, ".local", "share")
    return Path(data_home) / "bilingual" / "memory.sqlite"


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
    path: str
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
            "path": self.path,
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


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


class TranslationMemory:
    """One open translation memory database; use as a context manager.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with TranslationMemory(Path(folder) / "memory.sqlite") as memory:
    ...         memory.store_human("doc", [("Bonjour.", "Hello.")])
    ...         memory.lookup("Bonjour.", None, "").target
    1
    'Hello.'
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise TranslationMemoryError(f"{self.path}: is a folder; give a file path to --memory")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TranslationMemoryError(
                f"{self.path.parent}: cannot create the memory folder ({error.strerror})"
            ) from None
        with self._guard():
            self._connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
        try:
            with self._guard():
                self._open_schema()
        except BaseException:
            self._connection.close()
            raise

    # -- opening -------------------------------------------------------------------------

    def _open_schema(self) -> None:
        connection = self._connection
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        # Reading the header first makes a non-SQLite file fail here, before anything is written.
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        if application_id == APPLICATION_ID:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                self._upgrade()
            else:
                self._check_version(version)
        else:
            self._create_schema()
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed batch survives a power cut too, not only a killed process.
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")

    def _create_schema(self) -> None:
        with self._write() as connection:
            # Re-read inside the write lock: another process may have created it meanwhile.
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            if application_id == APPLICATION_ID:
                self._check_version(connection.execute("PRAGMA user_version").fetchone()[0])
                return
            tables = [
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            if application_id != 0 or tables:
                raise TranslationMemoryError(
                    f"{self.path}: is an SQLite database of another program "
                    f"(application_id {application_id:#x}, tables: {', '.join(tables) or 'none'}); "
                    "it was left untouched: give another file to --memory"
                )
            _run_script(connection, _SCHEMA)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _upgrade(self) -> None:
        """Bring an older memory to this schema, in one transaction (all or nothing)."""
        with self._write() as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:  # another process upgraded it meanwhile
                self._check_version(version)
                return
            if version != 1:
                raise TranslationMemoryError(
                    f"{self.path}: has no schema version; it looks corrupt"
                )
            _run_script(connection, _UPGRADE_FROM_1)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._check_version(SCHEMA_VERSION)

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise TranslationMemoryError(
                f"{self.path}: was written by a newer bilingual (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade bilingual to use it"
            )
        if version < 1:
            raise TranslationMemoryError(f"{self.path}: has no schema version; it looks corrupt")
        missing = _TABLES - {
            row[0]
            for row in self._connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if missing:
            raise TranslationMemoryError(
                f"{self.path}: translation memory lacks tables {', '.join(sorted(missing))}; "
                "it looks corrupt"
            )

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite failures into one error naming the memory file."""
        try:
            yield
        except sqlite3.OperationalError as error:
            message = str(error)
            if "locked" in message or "busy" in message:
                raise TranslationMemoryError(
                    f"{self.path}: the memory stayed locked by another process for "
                    f"{BUSY_TIMEOUT_SECONDS:.0f} s; retry when it has finished"
                ) from None
            raise TranslationMemoryError(f"{self.path}: cannot use the memory: {message}") from None
        except sqlite3.DatabaseError as error:
            raise TranslationMemoryError(
                f"{self.path}: not a usable translation memory ({error}); "
                "it was left untouched: restore a backup or give another file to --memory"
            ) from None

    @contextlib.contextmanager
    def _write(self, rollback: bool = False) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: take the write lock up front so a concurrent
        writer waits on the busy timeout instead of failing on a lock upgrade. With
        ``rollback``, everything done inside is undone at the end (a dry run)."""
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("ROLLBACK" if rollback else "COMMIT")

    @contextlib.contextmanager
    def transaction(self, rollback: bool = False) -> Iterator[MemoryTransaction]:
        """A write transaction with the reads and writes an import needs (see
        :mod:`bilingual.memory.transfer`); with ``rollback`` nothing it does is kept."""
        with self._guard(), self._write(rollback):
            yield MemoryTransaction(self)

    def close(self) -> None:
        self._connection.close()

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
        connection = self._connection
        unique = list(dict.fromkeys(sources))
        connection.executemany(
            "INSERT OR IGNORE INTO segment (source, length, created, operation_id) "
            "VALUES (?, ?, ?, ?)",
            [(source, len(source), now, operation_id) for source in unique],
        )
        return self._known_ids(unique)

    def _known_ids(self, sources: Sequence[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for chunk in _chunks(list(dict.fromkeys(sources))):
            ids.update(
                self._connection.execute(
                    f"SELECT source, id FROM segment WHERE source IN ({_placeholders(len(chunk))})",
                    chunk,
                ).fetchall()
            )
        return ids

    def _index_for_fuzzy(self, segment_ids: Iterable[int]) -> None:
        connection = self._connection
        wanted = sorted(set(segment_ids))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = connection.execute(
                f"SELECT id, source, length FROM segment WHERE fuzzy_indexed = 0 "
                f"AND id IN ({_placeholders(len(chunk))})",
                chunk,
            ).fetchall()
            postings = [
                (token, length, segment_id)
                for segment_id, source, length in rows
                for token in words(source)
            ]
            connection.executemany(
                "INSERT INTO fuzzy_token (token, length, segment_id) VALUES (?, ?, ?)", postings
            )
            connection.executemany(
                "INSERT INTO token_df (token, df) VALUES (?, 1) "
                "ON CONFLICT (token) DO UPDATE SET df = df + 1",
                [(token,) for token, _, _ in postings],
            )
            connection.executemany(
                "UPDATE segment SET fuzzy_indexed = 1 WHERE id = ?", [(row[0],) for row in rows]
            )

    def _unindex(self, segment_ids: Sequence[int]) -> None:
        """Take segments out of the fuzzy index (before they are deleted)."""
        connection = self._connection
        for segment_id in segment_ids:
            row = connection.execute(
                "SELECT source, length FROM segment WHERE id = ? AND fuzzy_indexed = 1",
                (segment_id,),
            ).fetchone()
            if row is None:
                continue
            tokens = [(token,) for token in words(row[0])]
            connection.executemany(
                "DELETE FROM fuzzy_token WHERE token = ? AND length = ? AND segment_id = ?",
                [(token, row[1], segment_id) for (token,) in tokens],
            )
            connection.executemany("UPDATE token_df SET df = df - 1 WHERE token = ?", tokens)
        connection.execute("DELETE FROM token_df WHERE df <= 0")

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
        self._connection.execute(
            "INSERT INTO translation (segment_id, target, origin, engine, glossary_key, document, "
            "created, updated, changed, operation_id) "
            "VALUES (?, ?, 'human', '', '', ?, ?, ?, ?, ?)",
            (segment_id, target, document, now, now, changed, operation_id),
        )
        self._index_for_fuzzy([segment_id])

    def _new_operation(self, kind: str, subject: str) -> int:
        cursor = self._connection.execute(
            "INSERT INTO operation (kind, subject, created) VALUES (?, ?, ?)",
            (kind, subject, timestamp()),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _finish_operation(self, operation_id: int, counts: Mapping[str, int]) -> None:
        self._connection.execute(
            "UPDATE operation SET counts = ? WHERE id = ?",
            (json.dumps(dict(counts)), operation_id),
        )

    # -- storing -------------------------------------------------------------------------

    def store_machine(
        self, document: str, rows: Sequence[tuple[str, str, str]], engine: EngineInfo
    ) -> None:
        """Store one engine batch, ``(source, target, glossary_key)`` rows, in one transaction."""
        with self._guard(), self._write() as connection:
            now = timestamp()
            ids = self._segment_ids((source for source, _, _ in rows), now)
            connection.executemany(
                "INSERT INTO translation (segment_id, target, origin, engine, glossary_key, "
                "document, created, updated, changed) VALUES (?, ?, 'machine', ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (segment_id, engine, glossary_key) WHERE origin = 'machine' "
                "DO UPDATE SET target = excluded.target, "
                "document = coalesce(excluded.document, document), updated = excluded.updated, "
                "changed = CASE WHEN target = excluded.target THEN changed ELSE excluded.changed "
                "END, removed_by = NULL",
                [
                    (ids[source], target, engine.signature(), key, document, now, now, now)
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
        with self._guard(), self._write() as connection:
            now = timestamp()
            ids = self._segment_ids(sources, now)
            connection.execute("DELETE FROM document_segment WHERE document = ?", (document,))
            connection.executemany(
                "INSERT INTO document_segment (document, position, segment_id, glossary_key) "
                "VALUES (?, ?, ?, ?)",
                [
                    (document, position, ids[source], key)
                    for position, (source, key) in enumerate(zip(sources, keys, strict=True))
                ],
            )
            connection.execute(
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
                    self._connection.execute(
                        f"SELECT key, findings FROM checked WHERE key IN ({_placeholders(len(chunk))})",
                        chunk,
                    ).fetchall()
                )
        return [found.get(key) for key in keys]

    def store_checks(self, rows: Sequence[tuple[str, str]]) -> None:
        """Store ``(key, findings JSON)`` rows in one transaction."""
        if not rows:
            return
        with self._guard(), self._write() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO checked (key, findings) VALUES (?, ?)", rows
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
                rows = self._connection.execute(
                    "SELECT s.source, t.target, t.origin, t.engine, t.glossary_key, t.document, "
                    "t.updated, t.changed FROM segment s JOIN translation t ON t.segment_id = s.id "
                    f"WHERE s.source IN ({_placeholders(len(chunk))}) AND {_LIVE} "
                    "AND (t.origin = 'human' OR t.engine = ?) ORDER BY t.changed, t.id",
                    [*chunk, signature],
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
        with self._guard():
            scored: list[tuple[float, int, str]] = []
            for segment_id, stored in self._fuzzy_candidates(source, threshold):
                if exclude_exact and stored == source:
                    continue
                score = similarity(stored, source)
                if score >= threshold:
                    scored.append((score, segment_id, stored))
            for score, segment_id, stored in sorted(scored, key=lambda item: -item[0]):
                preferred = self._preferred_translation(segment_id)
                if preferred is None:  # every translation of it was removed
                    continue
                target, origin = preferred
                return Suggestion(
                    source=stored,
                    target=target,
                    similarity=round(score, 4),
                    origin=Origin.HUMAN if origin == "human" else Origin.MEMORY,
                    diff=word_diff(stored, source),
                )
        return None

    def fuzzy_many(
        self, sources: Sequence[str], threshold: float = FUZZY_THRESHOLD
    ) -> list[Suggestion | None]:
        return [self.fuzzy(source, threshold) for source in sources]

    def _fuzzy_candidates(self, source: str, threshold: float) -> list[tuple[int, str]]:
        """A few stored segments that may reach ``threshold``, best word overlap first."""
        wanted = words(source)
        if not wanted or threshold <= 0:
            return []
        connection = self._connection
        frequency = dict(
            connection.execute(
                f"SELECT token, df FROM token_df WHERE token IN ({_placeholders(len(wanted))})",
                list(wanted),
            ).fetchall()
        )
        # Any segment sharing at least `needed` of the n words holds one of the n - needed + 1
        # rarest (pigeonhole), so the frequent words never need to be scanned.
        needed = words_needed(len(wanted))
        rarest = sorted(wanted, key=lambda word: frequency.get(word, 0))[: len(wanted) - needed + 1]
        probe = [word for word in rarest if word in frequency]
        if not probe:
            return []
        shortest, longest = length_range(len(source), threshold)
        pool = connection.execute(
            "SELECT segment_id, count(*) AS shared FROM fuzzy_token "
            f"WHERE token IN ({_placeholders(len(probe))}) AND length BETWEEN ? AND ? "
            "GROUP BY segment_id ORDER BY shared DESC LIMIT ?",
            [*probe, shortest, longest, CANDIDATE_POOL],
        ).fetchall()
        if not pool:
            return []
        ids = [segment_id for segment_id, _ in pool]
        stored = connection.execute(
            f"SELECT id, source FROM segment WHERE id IN ({_placeholders(len(ids))})", ids
        ).fetchall()
        return rank_candidates(wanted, stored)

    def _preferred_translation(self, segment_id: int) -> tuple[str, str] | None:
        row = self._connection.execute(
            f"SELECT target, origin FROM translation t WHERE segment_id = ? AND {_LIVE} "
            "ORDER BY origin = 'human' DESC, changed DESC, updated DESC, id DESC LIMIT 1",
            (segment_id,),
        ).fetchone()
        return (row[0], row[1]) if row is not None else None

    # -- history, operations, undo, removal --------------------------------------------------

    def segment_source(self, segment_id: int) -> str:
        with self._guard():
            row = self._connection.execute(
                "SELECT source FROM segment WHERE id = ?", (segment_id,)
            ).fetchone()
        if row is None:
            raise BilingualError(f"{self.path}: no segment #{segment_id} in the memory")
        return str(row[0])

    def history(self, source: str) -> list[Version]:
        """Every version of ``source``'s translations, newest first, removed ones included."""
        with self._guard():
            row = self._connection.execute(
                "SELECT id FROM segment WHERE source = ?", (source,)
            ).fetchone()
            if row is None:
                return []
            operations = {op.id: op for op in self.operations()}
            rows = self._connection.execute(
                "SELECT id, target, origin, engine, document, changed, created, operation_id, "
                "removed_by FROM translation WHERE segment_id = ? "
                "ORDER BY changed DESC, id DESC",
                (row[0],),
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
            rows = self._connection.execute(query + " ORDER BY id", parameters).fetchall()
        return [
            Operation(identifier, kind, subject, created, json.loads(counts), undone)
            for identifier, kind, subject, created, counts, undone in rows
        ]

    def operation(self, operation_id: int) -> Operation:
        for candidate in self.operations():
            if candidate.id == operation_id:
                return candidate
        raise BilingualError(
            f"{self.path}: no operation #{operation_id}; `bilingual memory imports` lists them"
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
                f"{self.path}: {target.describe()} was already undone at {target.undone}"
            )
        with self._guard(), self._write() as connection:
            if target.kind == "remove":
                changed = connection.execute(
                    "UPDATE translation SET removed_by = NULL WHERE removed_by = ?", (operation_id,)
                ).rowcount
            else:
                changed = connection.execute(
                    "DELETE FROM translation WHERE operation_id = ?", (operation_id,)
                ).rowcount
                orphans = [
                    row[0]
                    for row in connection.execute(
                        "SELECT s.id FROM segment s WHERE s.operation_id = ? "
                        "AND NOT EXISTS (SELECT 1 FROM translation t WHERE t.segment_id = s.id) "
                        "AND NOT EXISTS (SELECT 1 FROM document_segment d WHERE d.segment_id = s.id)",
                        (operation_id,),
                    )
                ]
                self._unindex(orphans)
                connection.executemany("DELETE FROM segment WHERE id = ?", [(i,) for i in orphans])
            connection.execute(
                "UPDATE operation SET undone = ? WHERE id = ?", (timestamp(), operation_id)
            )
        return target, changed

    def remove(self, source: str) -> tuple[Operation, int]:
        """Retire every live translation of ``source`` (one recorded, undoable removal)."""
        with self._guard(), self._write() as connection:
            row = connection.execute(
                "SELECT id FROM segment WHERE source = ?", (source,)
            ).fetchone()
            count = 0
            if row is not None:
                count = connection.execute(
                    "SELECT count(*) FROM translation WHERE segment_id = ? AND removed_by IS NULL",
                    (row[0],),
                ).fetchone()[0]
            if not count:
                raise BilingualError(f"{self.path}: no translation of {source!r} to remove")
            operation_id = self._new_operation("remove", source)
            connection.execute(
                "UPDATE translation SET removed_by = ? WHERE segment_id = ? AND removed_by IS NULL",
                (operation_id, row[0]),
            )
            self._finish_operation(operation_id, {"removed": count})
        return self.operation(operation_id), count

    # -- reading the whole memory ------------------------------------------------------------

    def documents(self) -> list[str]:
        with self._guard():
            return [
                row[0]
                for row in self._connection.execute(
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
            for row in self._connection.execute(query):
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
            for row in self._connection.execute(query, parameters):
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
                f"{self.path}: no document named {document!r} in the memory; known: {known}"
            )
        with self._guard():
            row = self._connection.execute(
                "SELECT engine FROM document WHERE name = ?", (document,)
            ).fetchone()
        return str(row[0]) if row is not None and row[0] is not None else None

    def search(self, phrase: str, limit: int = 20) -> list[MemoryEntry]:
        """Live translations whose source is ``phrase`` or contains it (or whose target does),
        exact source matches first."""
        pattern = "%" + re.sub(r"([%_\\])", r"\\\1", phrase) + "%"
        with self._guard():
            rows = self._connection.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM translation t JOIN segment s ON s.id = t.segment_id "
                f"WHERE {_LIVE} AND (s.source = ? OR s.source LIKE ? ESCAPE '\\' "
                "OR t.target LIKE ? ESCAPE '\\') "
                "ORDER BY s.source = ? DESC, length(s.source), t.origin = 'human' DESC, "
                "t.changed DESC LIMIT ?",
                (phrase, pattern, pattern, phrase, limit),
            ).fetchall()
        return [_entry(row) for row in rows]

    def stats(self) -> MemoryStats:
        connection = self._connection
        with self._guard():
            segments = connection.execute("SELECT count(*) FROM segment").fetchone()[0]
            translated, human, versions, machine, oldest, newest = connection.execute(
                "SELECT count(DISTINCT segment_id), "
                "count(DISTINCT CASE WHEN origin = 'human' THEN segment_id END), "
                "coalesce(sum(origin = 'human'), 0), coalesce(sum(origin = 'machine'), 0), "
                f"min(created), max(updated) FROM translation t WHERE {_LIVE}"
            ).fetchone()
            documents = connection.execute(
                "SELECT count(DISTINCT document) FROM document_segment"
            ).fetchone()[0]
            engines = connection.execute(
                f"SELECT engine, count(*) FROM translation t WHERE origin = 'machine' AND {_LIVE} "
                "GROUP BY engine ORDER BY count(*) DESC, engine"
            ).fetchall()
            operations = connection.execute(
                "SELECT count(*) FROM operation WHERE undone IS NULL"
            ).fetchone()[0]
        return MemoryStats(
            path=str(self.path),
            segments=segments,
            translated_segments=translated,
            human=human,
            human_versions=versions,
            machine=machine,
            documents=documents,
            engines=tuple((engine, count) for engine, count in engines),
            oldest=oldest,
            newest=newest,
            operations=operations,
        )

    def integrity_check(self) -> str:
        """SQLite's own full check: ``"ok"`` or the first problems found."""
        with self._guard():
            rows = self._connection.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(row[0] for row in rows)


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
            rows = self._memory._connection.execute(
                "SELECT s.source, t.id, t.target, t.changed FROM segment s "
                f"JOIN translation t ON t.segment_id = s.id WHERE s.source IN "
                f"({_placeholders(len(chunk))}) AND t.origin = 'human' AND {_LIVE} "
                "ORDER BY t.changed, t.id",
                chunk,
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
            rows = self._memory._connection.execute(
                "SELECT s.source, t.target, t.changed FROM segment s "
                f"JOIN translation t ON t.segment_id = s.id WHERE s.source IN "
                f"({_placeholders(len(chunk))}) AND t.origin = ?",
                [*chunk, origin],
            )
            for source, target, changed in rows:
                found.setdefault(source, {})[target] = changed
        return found


_ENTRY_COLUMNS = (
    "s.source, t.target, t.origin, t.engine, t.glossary_key, t.document, t.created, t.updated, "
    "t.changed"
)


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


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    # executescript would COMMIT the caller's transaction first: run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)
