"""The translation memory: every source segment with its translations, in one SQLite file.

The memory lives outside the output folder (users delete and regenerate that), by default at
``$XDG_DATA_HOME/bilingual/memory.sqlite``. A build looks every segment up before sending it to
the engine, stores each engine batch in its own transaction (so a killed build loses nothing it
had finished), and asks for fuzzy matches for the segments it still had to translate.

Schema (``PRAGMA application_id`` = :data:`APPLICATION_ID`, ``PRAGMA user_version`` =
:data:`SCHEMA_VERSION`)::

    segment(id INTEGER PRIMARY KEY, source TEXT UNIQUE, length INTEGER,
            fuzzy_indexed INTEGER, created TEXT)
        one row per distinct French source text; ``length`` in characters feeds the fuzzy
        length filter; ``fuzzy_indexed`` is 1 once its words are in ``fuzzy_token`` (only
        segments with a translation are indexed, so every fuzzy candidate has one).
    translation(id INTEGER PRIMARY KEY, segment_id → segment, target TEXT,
                origin TEXT 'machine'|'human', engine TEXT, glossary_key TEXT,
                document TEXT NULL, created TEXT, updated TEXT,
                UNIQUE(segment_id, origin, engine, glossary_key))
        machine rows carry the engine signature (name:version:model) and the glossary key they
        were made with, so changing either simply misses them; human rows have engine = '' and
        glossary_key = '' (one human translation per source, the latest import wins).
    document_segment(document TEXT, position INTEGER, segment_id → segment)
        the segments of each document in order, for exporting one document.
    fuzzy_token(token TEXT, length INTEGER, segment_id INTEGER) WITHOUT ROWID
        inverted index of lowercased words; ``length`` (the segment's) lets one index range
        scan apply both the word and the length filter.
    token_df(token TEXT PRIMARY KEY, df INTEGER)
        how many indexed segments hold each word, to probe the rarest words first.
    checked(key TEXT PRIMARY KEY, findings TEXT) WITHOUT ROWID
        the quality findings of a (source, target, glossary entries) triple, as JSON, keyed by
        a hash the pipeline computes: a rebuild re-checks only what changed.

Timestamps are ISO 8601 UTC strings (``2024-05-01T12:00:00Z``). The database runs in WAL mode
with a busy timeout, and every write is a ``BEGIN IMMEDIATE`` transaction, so concurrent builds
on one memory wait for each other instead of failing.

Fuzzy similarity is ``1 - distance / max(len)``, the distance counted in characters over a
word-level diff (see :func:`similarity`). A stored segment can reach 75 % only if its length
is within 75 %..133 % of the new one and it shares words with it, so the inverted index finds
a few candidates in milliseconds and only those get the edit distance.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from diff_match_patch import diff_match_patch
from lxml import etree

from .errors import BilingualError, FormatError, TranslationMemoryError
from .export.tmx import xml_text
from .document import EngineInfo, Origin, Suggestion
from .textio import atomic_output, read_bytes
from .validate import load_xml_safely

#: ``PRAGMA application_id`` of a bilingual memory: the bytes "BLTM".
APPLICATION_ID = 0x424C544D
SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30.0
FUZZY_THRESHOLD = 0.75
EXPORT_FORMATS = ("tmx", "tsv", "xliff")
IMPORT_FORMATS = ("tmx", "tsv", "xliff")

#: How many variables one ``IN (...)`` query binds: far below SQLite's limit, large enough
#: that a 1 MB text needs only a few dozen queries.
_CHUNK = 500
#: A stored segment must share at least this fraction of the new segment's distinct words to
#: be a fuzzy candidate; probing the rarest ``n - ceil(n * f) + 1`` words then finds them all.
_MIN_SHARED_WORDS = 0.5
#: Candidates ranked by shared rare words, then by word overlap, before the edit distance.
_CANDIDATE_POOL = 100
_EDIT_DISTANCE_CANDIDATES = 8
#: Longer runs of changed words are counted as wholly replaced (see :func:`similarity`).
_CHARACTER_DIFF_LIMIT = 40

_SCHEMA = """
CREATE TABLE segment (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    length INTEGER NOT NULL,
    fuzzy_indexed INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
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
    UNIQUE (segment_id, origin, engine, glossary_key)
);
CREATE TABLE document_segment (
    document TEXT NOT NULL,
    position INTEGER NOT NULL,
    segment_id INTEGER NOT NULL REFERENCES segment(id),
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
_TABLES = frozenset(
    {"segment", "translation", "document_segment", "fuzzy_token", "token_df", "checked"}
)

_WORD = re.compile(r"\w+")
_DIFF_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


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


@dataclass(frozen=True, slots=True)
class MemoryHit:
    """An exact match: a stored translation of the very same source text."""

    target: str
    origin: Origin  # HUMAN, or MEMORY for a reused machine translation
    engine: str | None  # engine signature of a machine translation
    glossary_key: str
    document: str | None
    updated: str


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
        }


@dataclass(frozen=True, slots=True)
class MemoryStats:
    path: str
    segments: int
    translated_segments: int
    human: int
    machine: int
    documents: int
    engines: tuple[tuple[str, int], ...]  # (signature, machine translations), most first
    oldest: str | None
    newest: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "segments": self.segments,
            "translated_segments": self.translated_segments,
            "human": self.human,
            "machine": self.machine,
            "documents": self.documents,
            "engines": {signature: count for signature, count in self.engines},
            "oldest": self.oldest,
            "newest": self.newest,
        }


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


def word_diff(old: str, new: str) -> tuple[tuple[int, str], ...]:
    """Word-level diff-match-patch ops turning ``old`` into ``new`` (-1 delete, 0 equal, 1 insert).

    Words, runs of spaces and punctuation marks are mapped to one character each (the
    ``diff_linesToChars`` trick on words), diffed, and mapped back, so no word is ever split.

    >>> word_diff("Le chat dort.", "Le chien dort.")
    ((0, 'Le '), (-1, 'chat'), (1, 'chien'), (0, ' dort.'))
    """
    token_array: list[str] = [""]  # index 0 unused, as in diff_linesToChars
    token_codes: dict[str, str] = {}

    def encode(text: str) -> str:
        chars = []
        for token in _DIFF_TOKEN.findall(text):
            code = token_codes.get(token)
            if code is None:
                token_array.append(token)
                code = token_codes[token] = chr(len(token_array) - 1)
            chars.append(code)
        return "".join(chars)

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # word sequences are short: always compute the exact diff
    diffs = dmp.diff_main(encode(old), encode(new), False)
    # Fold a lone space between two changed words into one change: easier to read, and it
    # turns unrelated sentences into a few long runs that similarity() need not diff.
    dmp.diff_cleanupSemantic(diffs)
    dmp.diff_charsToLines(diffs, token_array)
    return tuple((op, text) for op, text in diffs)


def similarity(a: str, b: str) -> float:
    """``1 - distance / max(len)``, the distance counted in characters over the word diff.

    Each run of changed words costs its character Levenshtein distance (a replaced word costs
    its differing letters, not the whole word), and a run longer than
    :data:`_CHARACTER_DIFF_LIMIT` costs its full length: such a run makes the pair dissimilar
    anyway, and diffing unrelated text character by character is what would make a lookup slow.

    >>> round(similarity("Le chat dort.", "Le chat dort bien."), 2)
    0.72
    >>> round(similarity("Le petit chat dort.", "Le petit chien dort."), 2)
    0.85
    >>> similarity("", "")
    1.0
    """
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    dmp = diff_match_patch()
    distance = 0
    deleted = inserted = ""
    for op, text in (*word_diff(a, b), (0, "")):
        if op == -1:
            deleted += text
        elif op == 1:
            inserted += text
        elif deleted or inserted:
            if max(len(deleted), len(inserted)) <= _CHARACTER_DIFF_LIMIT:
                distance += dmp.diff_levenshtein(dmp.diff_main(deleted, inserted, False))
            else:
                distance += max(len(deleted), len(inserted))
            deleted = inserted = ""
    # Runs counted apart can add up past the true distance, which never exceeds the longest.
    return 1.0 - min(distance, longest) / longest


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
            self._check_version(connection.execute("PRAGMA user_version").fetchone()[0])
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
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

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
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: take the write lock up front so a concurrent
        writer waits on the busy timeout instead of failing on a lock upgrade."""
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

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

    # -- storing -------------------------------------------------------------------------

    def _segment_ids(self, sources: Iterable[str], now: str) -> dict[str, int]:
        """Ids of ``sources``, inserting the missing ones (inside the caller's transaction)."""
        connection = self._connection
        unique = list(dict.fromkeys(sources))
        connection.executemany(
            "INSERT OR IGNORE INTO segment (source, length, created) VALUES (?, ?, ?)",
            [(source, len(source), now) for source in unique],
        )
        ids: dict[str, int] = {}
        for chunk in _chunks(unique):
            ids.update(
                connection.execute(
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
                for token in _words(source)
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

    def _store(
        self,
        document: str | None,
        rows: Sequence[tuple[str, str, str]],
        origin: str,
        engine: str,
    ) -> int:
        now = _timestamp()
        ids = self._segment_ids((source for source, _, _ in rows), now)
        self._connection.executemany(
            "INSERT INTO translation (segment_id, target, origin, engine, glossary_key, "
            "document, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (segment_id, origin, engine, glossary_key) DO UPDATE SET "
            "target = excluded.target, document = coalesce(excluded.document, document), "
            "updated = excluded.updated",
            [
                (ids[source], target, origin, engine, glossary_key, document, now, now)
                for source, target, glossary_key in rows
            ],
        )
        self._index_for_fuzzy(ids.values())
        return len(rows)

    def store_machine(
        self, document: str, rows: Sequence[tuple[str, str, str]], engine: EngineInfo
    ) -> None:
        """Store one engine batch, ``(source, target, glossary_key)`` rows, in one transaction."""
        with self._guard(), self._write():
            self._store(document, rows, "machine", engine.signature())

    def store_human(self, document: str | None, pairs: Iterable[tuple[str, str]]) -> int:
        """Store post-edited ``(source, target)`` pairs in one transaction; return how many.

        Empty sources or targets are skipped: they translate nothing.
        """
        rows = [
            (source, target, "") for source, target in pairs if source.strip() and target.strip()
        ]
        with self._guard(), self._write():
            return self._store(document, rows, "human", "")

    def record_document(self, document: str, sources: Sequence[str]) -> None:
        """Record that ``document`` consists of ``sources``, in order (replacing its old list)."""
        with self._guard(), self._write() as connection:
            ids = self._segment_ids(sources, _timestamp())
            connection.execute("DELETE FROM document_segment WHERE document = ?", (document,))
            connection.executemany(
                "INSERT INTO document_segment (document, position, segment_id) VALUES (?, ?, ?)",
                [(document, position, ids[source]) for position, source in enumerate(sources)],
            )

    def recall_checks(self, keys: Sequence[str]) -> list[str | None]:
        """The stored findings (JSON) for each key, or None where the pair was never checked."""
        found: dict[str, str] = {}
        with self._guard():
            for start in range(0, len(keys), _CHUNK):
                chunk = list(dict.fromkeys(keys[start : start + _CHUNK]))
                marks = ",".join("?" * len(chunk))
                found.update(
                    self._connection.execute(
                        f"SELECT key, findings FROM checked WHERE key IN ({marks})", chunk
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

        A human translation wins whatever the engine and glossary; otherwise only a machine
        translation by the same engine signature and glossary key is reused.
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
        unique = list(dict.fromkeys(sources))
        with self._guard():
            for chunk in _chunks(unique):
                rows = self._connection.execute(
                    "SELECT s.source, t.target, t.origin, t.engine, t.glossary_key, t.document, "
                    "t.updated FROM segment s JOIN translation t ON t.segment_id = s.id "
                    f"WHERE s.source IN ({_placeholders(len(chunk))}) "
                    "AND (t.origin = 'human' OR t.engine = ?)",
                    [*chunk, signature],
                )
                for source, target, origin, engine_signature, key, document, updated in rows:
                    if origin == "human":
                        human[source] = MemoryHit(
                            target, Origin.HUMAN, None, key, document, updated
                        )
                    else:
                        machine[(source, key)] = MemoryHit(
                            target, Origin.MEMORY, engine_signature, key, document, updated
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
            candidates = self._fuzzy_candidates(source, threshold)
            best: tuple[float, int, str] | None = None
            for segment_id, stored in candidates:
                if exclude_exact and stored == source:
                    continue
                score = similarity(stored, source)
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, segment_id, stored)
            if best is None:
                return None
            score, segment_id, stored = best
            target, origin = self._preferred_translation(segment_id)
        return Suggestion(
            source=stored,
            target=target,
            similarity=round(score, 4),
            origin=Origin.HUMAN if origin == "human" else Origin.MEMORY,
            diff=word_diff(stored, source),
        )

    def fuzzy_many(
        self, sources: Sequence[str], threshold: float = FUZZY_THRESHOLD
    ) -> list[Suggestion | None]:
        return [self.fuzzy(source, threshold) for source in sources]

    def _fuzzy_candidates(self, source: str, threshold: float) -> list[tuple[int, str]]:
        """A few stored segments that may reach ``threshold``, best word overlap first."""
        words = _words(source)
        if not words or threshold <= 0:
            return []
        connection = self._connection
        placeholders = _placeholders(len(words))
        frequency = dict(
            connection.execute(
                f"SELECT token, df FROM token_df WHERE token IN ({placeholders})", list(words)
            ).fetchall()
        )
        # Any segment sharing at least `needed` of the n words holds one of the n - needed + 1
        # rarest (pigeonhole), so the frequent words never need to be scanned.
        needed = max(1, math.ceil(len(words) * _MIN_SHARED_WORDS))
        rarest = sorted(words, key=lambda word: frequency.get(word, 0))[: len(words) - needed + 1]
        probe = [word for word in rarest if word in frequency]
        if not probe:
            return []
        shortest = math.ceil(len(source) * threshold)
        longest = math.floor(len(source) / threshold)
        pool = connection.execute(
            "SELECT segment_id, count(*) AS shared FROM fuzzy_token "
            f"WHERE token IN ({_placeholders(len(probe))}) AND length BETWEEN ? AND ? "
            "GROUP BY segment_id ORDER BY shared DESC LIMIT ?",
            [*probe, shortest, longest, _CANDIDATE_POOL],
        ).fetchall()
        if not pool:
            return []
        ids = [segment_id for segment_id, _ in pool]
        stored = connection.execute(
            f"SELECT id, source FROM segment WHERE id IN ({_placeholders(len(ids))})", ids
        ).fetchall()

        ranked: list[tuple[float, int, str]] = []
        for segment_id, text in stored:
            other = _words(text)
            shared = len(words & other)
            if shared >= needed:
                ranked.append((2 * shared / (len(words) + len(other)), segment_id, text))
        ranked.sort(reverse=True)
        return [(segment_id, text) for _, segment_id, text in ranked[:_EDIT_DISTANCE_CANDIDATES]]

    def _preferred_translation(self, segment_id: int) -> tuple[str, str]:
        row = self._connection.execute(
            "SELECT target, origin FROM translation WHERE segment_id = ? "
            "ORDER BY origin = 'human' DESC, updated DESC, id DESC LIMIT 1",
            (segment_id,),
        ).fetchone()
        return row[0], row[1]

    # -- reading the whole memory ------------------------------------------------------------

    def documents(self) -> list[str]:
        with self._guard():
            return [
                row[0]
                for row in self._connection.execute(
                    "SELECT DISTINCT document FROM document_segment ORDER BY document"
                )
            ]

    def iter_entries(self, document: str | None = None) -> Iterator[MemoryEntry]:
        """Every stored translation (of one recorded document, in its order), human first."""
        columns = (
            "s.source, t.target, t.origin, t.engine, t.glossary_key, t.document, "
            "t.created, t.updated"
        )
        if document is None:
            query = (
                f"SELECT {columns} FROM translation t JOIN segment s ON s.id = t.segment_id "
                "ORDER BY s.id, t.origin = 'human' DESC, t.updated DESC, t.id"
            )
            parameters: tuple[str, ...] = ()
        else:
            if document not in self.documents():
                known = ", ".join(self.documents()) or "none yet"
                raise BilingualError(
                    f"{self.path}: no document named {document!r} in the memory; known: {known}"
                )
            # A segment repeated in the document is exported once, at its first position.
            query = (
                f"SELECT {columns} FROM (SELECT segment_id, min(position) AS position "
                "FROM document_segment WHERE document = ? GROUP BY segment_id) d "
                "JOIN segment s ON s.id = d.segment_id "
                "JOIN translation t ON t.segment_id = s.id "
                "ORDER BY d.position, t.origin = 'human' DESC, t.updated DESC, t.id"
            )
            parameters = (document,)
        with self._guard():
            cursor = self._connection.execute(query, parameters)
            for row in cursor:
                yield _entry(row)

    def search(self, phrase: str, limit: int = 20) -> list[MemoryEntry]:
        """Stored translations whose source is ``phrase`` or contains it (or whose target does),
        exact source matches first."""
        pattern = "%" + re.sub(r"([%_\\])", r"\\\1", phrase) + "%"
        with self._guard():
            rows = self._connection.execute(
                "SELECT s.source, t.target, t.origin, t.engine, t.glossary_key, t.document, "
                "t.created, t.updated FROM translation t JOIN segment s ON s.id = t.segment_id "
                "WHERE s.source = ? OR s.source LIKE ? ESCAPE '\\' OR t.target LIKE ? ESCAPE '\\' "
                "ORDER BY s.source = ? DESC, length(s.source), t.origin = 'human' DESC, "
                "t.updated DESC LIMIT ?",
                (phrase, pattern, pattern, phrase, limit),
            ).fetchall()
        return [_entry(row) for row in rows]

    def stats(self) -> MemoryStats:
        connection = self._connection
        with self._guard():
            segments = connection.execute("SELECT count(*) FROM segment").fetchone()[0]
            translated, human, machine, oldest, newest = connection.execute(
                "SELECT count(DISTINCT segment_id), coalesce(sum(origin = 'human'), 0), "
                "coalesce(sum(origin = 'machine'), 0), min(created), max(updated) "
                "FROM translation"
            ).fetchone()
            documents = connection.execute(
                "SELECT count(DISTINCT document) FROM document_segment"
            ).fetchone()[0]
            engines = connection.execute(
                "SELECT engine, count(*) FROM translation WHERE origin = 'machine' "
                "GROUP BY engine ORDER BY count(*) DESC, engine"
            ).fetchall()
        return MemoryStats(
            path=str(self.path),
            segments=segments,
            translated_segments=translated,
            human=human,
            machine=machine,
            documents=documents,
            engines=tuple((engine, count) for engine, count in engines),
            oldest=oldest,
            newest=newest,
        )

    def integrity_check(self) -> str:
        """SQLite's own full check: ``"ok"`` or the first problems found."""
        with self._guard():
            rows = self._connection.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(row[0] for row in rows)


def _entry(row: tuple[str, str, str, str, str, str | None, str, str]) -> MemoryEntry:
    source, target, origin, engine, glossary_key, document, created, updated = row
    return MemoryEntry(
        source=source,
        target=target,
        origin=Origin(origin),
        engine=engine or None,
        glossary_key=glossary_key,
        document=document,
        created=created,
        updated=updated,
    )


# -- exchange files ----------------------------------------------------------------------------
#
# Imports are parsed completely before anything is stored, and stored in one transaction, so a
# malformed file changes nothing. Entries this program exported as machine translations (TMX
# prop, XLIFF state, TSV origin column) are skipped on import: only post-edits become human.

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
#: Inline elements whose content is native markup (formatting codes), not text.
_NATIVE_CODE = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})
#: XLIFF 1.2 / 2.x states whose target is no translation yet.
_UNTRANSLATED_STATES = frozenset({"new", "needs-translation", "initial"})
#: The prop that marks a unit's origin in our TMX; units not marked "human" are not imported.
_ORIGIN_PROP = "x-origin"


def import_file(memory: TranslationMemory, path: Path, fmt: str | None = None) -> int:
    """Store the translations of a TMX, XLIFF (1.2 or 2.x) or TSV file as human translations.

    The format comes from ``fmt`` or the extension. Returns how many translations were stored.
    A malformed or unsafe file raises :class:`FormatError` with its line and stores nothing.
    """
    path = Path(path)
    fmt = fmt or _format_from_extension(path)
    readers = {"tmx": _read_tmx, "xliff": _read_xliff, "tsv": _read_tsv}
    if fmt not in readers:
        raise FormatError(
            path, f"unknown format {fmt!r}; choose one of: {', '.join(IMPORT_FORMATS)}"
        )
    pairs = readers[fmt](path)
    return memory.store_human(None, pairs)


def export_file(
    memory: TranslationMemory, path: Path, fmt: str, document: str | None = None
) -> int:
    """Write every stored translation (or one document's) as TMX 1.4, TSV or XLIFF 1.2.

    The file is replaced atomically; returns how many translations were written.
    """
    writers = {"tmx": _write_tmx, "xliff": _write_xliff, "tsv": _write_tsv}
    if fmt not in writers:
        raise BilingualError(
            f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}"
        )
    entries = memory.iter_entries(document)
    with atomic_output(Path(path)) as stream:
        return writers[fmt](stream, entries, document)


def _format_from_extension(path: Path) -> str:
    suffix = path.suffix.lower()
    by_suffix = {".tmx": "tmx", ".xlf": "xliff", ".xliff": "xliff", ".tsv": "tsv", ".tab": "tsv"}
    if suffix not in by_suffix:
        raise FormatError(
            path, "cannot tell the format from the extension; pass --format tmx, xliff or tsv"
        )
    return by_suffix[suffix]


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _inline_text(element: etree._Element) -> str:
    """The text of a TMX ``<seg>`` or XLIFF ``<source>``/``<target>``, without formatting codes."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child)
        if name == "cp":  # XLIFF 2 code point of a character XML cannot carry
            with contextlib.suppress(TypeError, ValueError):
                parts.append(chr(int(child.get("hex", ""), 16)))
        elif name and name not in _NATIVE_CODE:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _primary_language(tag: str | None) -> str:
    return (tag or "").replace("_", "-").split("-")[0].lower()


def _read_tmx(path: Path) -> list[tuple[str, str]]:
    root = load_xml_safely(path).getroot()
    if _local(root) != "tmx":
        raise FormatError(
            path, f"root element is <{_local(root)}>, not <tmx>", line=root.sourceline
        )
    bodies = _children(root, "body")
    if not bodies:
        raise FormatError(path, "<tmx> has no <body>", line=root.sourceline)
    pairs: list[tuple[str, str]] = []
    for unit in _children(bodies[0], "tu"):
        origins = {
            prop.text for prop in _children(unit, "prop") if prop.get("type") == _ORIGIN_PROP
        }
        if origins - {Origin.HUMAN.value}:  # our own machine or memory output
            continue
        texts: dict[str, str] = {}
        for variant in _children(unit, "tuv"):
            language = _primary_language(variant.get(_XML_LANG) or variant.get("lang"))
            if not language:
                raise FormatError(path, "<tuv> without xml:lang", line=variant.sourceline)
            segments = _children(variant, "seg")
            if not segments:
                raise FormatError(path, "<tuv> without <seg>", line=variant.sourceline)
            texts.setdefault(language, _inline_text(segments[0]))
        for language, name in (("fr", "French"), ("en", "English")):
            if language not in texts:
                raise FormatError(
                    path,
                    f"<tu> has no {name} ({language}) variant; languages found: "
                    f"{', '.join(sorted(texts)) or 'none'}",
                    line=unit.sourceline,
                )
        pairs.append((texts["fr"], texts["en"]))
    return pairs


def _read_xliff(path: Path) -> list[tuple[str, str]]:
    root = load_xml_safely(path).getroot()
    if _local(root) != "xliff":
        raise FormatError(
            path, f"root element is <{_local(root)}>, not <xliff>", line=root.sourceline
        )
    version = root.get("version", "")
    if version.startswith("2"):
        _check_languages(path, root, root.get("srcLang"), root.get("trgLang"))
        unit_name = "segment"
    elif version.startswith("1"):
        for file in (element for element in root.iter() if _local(element) == "file"):
            _check_languages(path, file, file.get("source-language"), file.get("target-language"))
        unit_name = "trans-unit"
    else:
        raise FormatError(
            path, f"unsupported XLIFF version {version!r}; use 1.2 or 2.x", line=root.sourceline
        )
    pairs: list[tuple[str, str]] = []
    for unit in (element for element in root.iter() if _local(element) == unit_name):
        sources = _children(unit, "source")
        if not sources:
            raise FormatError(path, f"<{unit_name}> without <source>", line=unit.sourceline)
        targets = _children(unit, "target")
        if not targets or _is_unreviewed(unit, targets[0]):
            continue
        pairs.append((_inline_text(sources[0]), _inline_text(targets[0])))
    return pairs


def _check_languages(
    path: Path, element: etree._Element, source: str | None, target: str | None
) -> None:
    if source and _primary_language(source) != "fr":
        raise FormatError(
            path, f"source language is {source!r}, not French (fr)", line=element.sourceline
        )
    if target and _primary_language(target) != "en":
        raise FormatError(
            path, f"target language is {target!r}, not English (en)", line=element.sourceline
        )


def _is_unreviewed(unit: etree._Element, target: etree._Element) -> bool:
    """True for a target that is no post-edit: untranslated, or our own unreviewed machine
    translation (XLIFF 2 keeps ``state`` on ``<segment>``, 1.2 on ``<target>``)."""
    state = target.get("state") or unit.get("state") or ""
    if state in _UNTRANSLATED_STATES:
        return True
    return state == "needs-review-translation" and target.get("state-qualifier") == "mt-suggestion"


def _read_tsv(path: Path) -> list[tuple[str, str]]:
    data = read_bytes(path, FormatError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(
            path,
            "not valid UTF-8; re-save the file as UTF-8",
            line=data.count(b"\n", 0, error.start) + 1,
        ) from None
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        columns = line.split("\t")
        if len(columns) < 2:
            raise FormatError(
                path, "expected tab-separated columns: French source, English target", line=number
            )
        if len(columns) > 2 and columns[2] == "machine":
            continue
        pairs.append((_tsv_unescape(columns[0]), _tsv_unescape(columns[1])))
    return pairs


_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _tsv_escape(text: str) -> str:
    """
    >>> _tsv_escape("a\\tb\\\\c")
    'a\\\\tb\\\\\\\\c'
    >>> _tsv_unescape(_tsv_escape("a\\tb\\\\c\\nd")) == "a\\tb\\\\c\\nd"
    True
    """
    return re.sub(r"[\\\t\n\r]", lambda match: _TSV_ESCAPES[match.group()], text)


def _tsv_unescape(text: str) -> str:
    # An unknown escape (a Windows path, say) is kept as written.
    return re.sub(r"\\(.)", lambda match: _TSV_UNESCAPES.get(match.group(1), match.group()), text)


def _write_tmx(stream: IO[bytes], entries: Iterable[MemoryEntry], document: str | None) -> int:
    from .export.tmx import TmxHeader, TmxUnit, stream_units_tmx

    units = (
        TmxUnit(
            source=entry.source,
            target=entry.target,
            document=entry.document,
            engine=entry.engine,
            origin=entry.origin,
            created=_parse_timestamp(entry.created),
            changed=_parse_timestamp(entry.updated),
            props=(("x-glossary-key", entry.glossary_key),) if entry.glossary_key else (),
        )
        for entry in entries
    )
    header_props = (("x-document", document),) if document is not None else ()
    return stream_units_tmx(stream, units, TmxHeader(datetime.now(UTC), props=header_props))


def _parse_timestamp(timestamp: str) -> datetime:
    return datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _write_xliff(stream: IO[bytes], entries: Iterable[MemoryEntry], document: str | None) -> int:
    from . import __version__

    count = 0
    with etree.xmlfile(stream, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("xliff", version="1.2", nsmap={None: _XLIFF12_NS}):
            with xml.element(
                f"{{{_XLIFF12_NS}}}file",
                original=document or "translation-memory",
                datatype="plaintext",
                attrib={"source-language": "fr", "target-language": "en"},
            ):
                header = etree.Element(f"{{{_XLIFF12_NS}}}header", nsmap={None: _XLIFF12_NS})
                etree.SubElement(
                    header,
                    f"{{{_XLIFF12_NS}}}tool",
                    attrib={
                        "tool-id": "bilingual",
                        "tool-name": "bilingual",
                        "tool-version": __version__,
                    },
                )
                xml.write("\n", header)
                with xml.element(f"{{{_XLIFF12_NS}}}body"):
                    for entry in entries:
                        count += 1
                        xml.write("\n", _xliff_unit(entry, count))
                    xml.write("\n")
            xml.write("\n")
    return count


def _xliff_unit(entry: MemoryEntry, number: int) -> etree._Element:
    # Elements written one by one into the stream each declare the default namespace.
    unit = etree.Element(f"{{{_XLIFF12_NS}}}trans-unit", id=str(number), nsmap={None: _XLIFF12_NS})
    unit.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    etree.SubElement(unit, f"{{{_XLIFF12_NS}}}source").text = xml_text(entry.source)
    target = etree.SubElement(unit, f"{{{_XLIFF12_NS}}}target")
    target.text = xml_text(entry.target)
    if entry.origin is Origin.HUMAN:
        target.set("state", "translated")
        note = "human translation"
    else:
        target.set("state", "needs-review-translation")
        target.set("state-qualifier", "mt-suggestion")
        note = f"machine translation by {entry.engine}"
    if entry.document:
        note += f" for {entry.document}"
    etree.SubElement(unit, f"{{{_XLIFF12_NS}}}note", attrib={"from": "bilingual"}).text = xml_text(
        note
    )
    return unit


def _write_tsv(stream: IO[bytes], entries: Iterable[MemoryEntry], document: str | None) -> int:
    count = 0
    for entry in entries:
        columns = (
            entry.source,
            entry.target,
            entry.origin.value,
            entry.engine or "",
            entry.document or "",
        )
        stream.write(("\t".join(_tsv_escape(column) for column in columns) + "\n").encode("utf-8"))
        count += 1
    return count
