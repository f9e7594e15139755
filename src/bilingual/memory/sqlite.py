"""The translation memory in one SQLite file: the default, nothing to install or run.

The memory lives outside the output folder (users delete and regenerate that), by default at
``$XDG_DATA_HOME/bilingual/memory.sqlite``. ``PRAGMA application_id`` = :data:`APPLICATION_ID`
says the file is a bilingual memory and ``PRAGMA user_version`` its schema version; a version 1
memory is upgraded in place, in one transaction. The database runs in WAL mode with a busy
timeout, and every write is a ``BEGIN IMMEDIATE`` transaction, so concurrent builds on one
memory wait for each other instead of failing, and readers never wait.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import TranslationMemoryError
from .base import (
    BUSY_TIMEOUT_SECONDS,
    SCHEMA_VERSION,
    Rows,
    TranslationMemory,
)

#: ``PRAGMA application_id`` of a bilingual memory: the bytes "BLTM".
APPLICATION_ID = 0x424C544D

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


class SQLiteMemory(TranslationMemory):
    """A translation memory in the SQLite file ``location`` (created with its folders unless
    ``create`` is false, for commands that only read)."""

    def __init__(self, location: str | Path, create: bool = True) -> None:
        self.path = Path(location)
        self.location = self.path
        self.name = str(self.path)
        if self.path.is_dir():
            raise TranslationMemoryError(f"{self.path}: is a folder; give a file path to --memory")
        if not create and not self.path.exists():
            raise TranslationMemoryError(
                f"{self.path}: no translation memory here yet; run `bilingual build` or "
                "`bilingual memory import` first, or pass --memory"
            )
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
        self._switch_to_wal()
        # FULL: a committed batch survives a power cut too, not only a killed process.
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")

    def _switch_to_wal(self) -> None:
        """Put the file in WAL mode, waiting while other clients hold it.

        SQLite answers "locked" at once, without its busy timeout, when a client opening the
        file in rollback-journal mode holds a lock the switch needs: a new memory opened by
        several clients at once hit that. The switch is retried until the busy timeout.
        """
        connection = self._connection
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        pause = 0.001
        while connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            try:
                connection.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)

    def _create_schema(self) -> None:
        with self._write():
            connection = self._connection
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
        with self._write():
            connection = self._connection
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
        tables = self._connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        self._refuse_unusable_schema(
            version if version >= 1 else None, (row[0] for row in tables), _TABLES
        )

    # -- the backend contract ----------------------------------------------------------------

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
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
        except sqlite3.ProgrammingError:
            raise  # a bug here (a connection used from another thread...), not a bad file
        except sqlite3.DatabaseError as error:
            raise TranslationMemoryError(
                f"{self.path}: not a usable translation memory ({error}); "
                "it was left untouched: restore a backup or give another file to --memory"
            ) from None

    @contextlib.contextmanager
    def _write(self, rollback: bool = False) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so a concurrent writer waits on the busy
        # timeout instead of failing on a lock upgrade.
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("ROLLBACK" if rollback else "COMMIT")

    def _execute(self, query: str, parameters: Sequence[object] = ()) -> Rows:
        return self._connection.execute(query, _unbound(parameters))

    def _executemany(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        self._connection.executemany(query, map(_unbound, rows))

    def _stream(self, query: str, parameters: Sequence[object] = ()) -> Iterator[Any]:
        yield from self._connection.execute(query, _unbound(parameters))

    def _sources_clause(self, column: str, sources: Sequence[str]) -> tuple[str, list[object]]:
        return f"{column} IN ({','.join('?' * len(sources))})", list(sources)

    def _storage_check(self) -> list[str]:
        rows = self._connection.execute("PRAGMA integrity_check").fetchall()
        return [row[0] for row in rows if row[0] != "ok"]

    def is_stored_in(self, path: Path) -> bool:
        return path.exists() and path.resolve() == self.path.resolve()

    def close(self) -> None:
        self._connection.close()


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    # executescript would COMMIT the caller's transaction first: run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


def _unbound(parameters: Sequence[object]) -> Sequence[object]:
    """``parameters`` with each non-ASCII string copied.

    sqlite3 binds a string through its UTF-8 form, which CPython then keeps inside the string
    for good: a build's segments, bound as they are stored and looked up, would each carry a
    second copy of their text for as long as the build holds them (~50 of the ~1,450 bytes a
    segment of French clauses cost, measured). A copy is bound instead and dropped.

    >>> text = "Clause 12 : l'acheteur paie à réception."
    >>> _unbound([text, 12])[0] == text, _unbound([text, 12])[0] is text, _unbound(["abc"])[0]
    (True, False, 'abc')
    """
    if not any(type(value) is str and not value.isascii() for value in parameters):
        return parameters
    return [
        value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
        if type(value) is str and not value.isascii()
        else value
        for value in parameters
    ]
