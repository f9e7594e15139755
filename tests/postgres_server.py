"""A throwaway PostgreSQL server for the tests and the memory benchmark.

Debian's ``postgresql`` package puts the server binaries in ``/usr/lib/postgresql/VERSION/bin``
and starts nothing we could rely on; this starts a private cluster on a random loopback port
in a temporary folder, with durability switched off (it lives for one test session), and stops
it at the end. The server refuses to run as root, so as root it runs as the ``postgres`` user.
"""

from __future__ import annotations

import itertools
import os
import pwd
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

USER = "bilingual"
#: A test session's cluster loses nothing it needs without these, and runs much faster.
_FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def server_binaries() -> Path | None:
    """The newest installed server's ``bin`` folder, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    return found[-1].parent if found else None


def unavailable_reason() -> str | None:
    """Why a server cannot be started here, or None when it can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    if server_binaries() is None:
        return (
            "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin): install "
            "Debian's postgresql package (scripts/install-system-packages --test)"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
    return None


class PostgresServer:
    """One private cluster: :meth:`start`, :meth:`create_database`, :meth:`stop`."""

    def __init__(self) -> None:
        binaries = server_binaries()
        if binaries is None:
            raise RuntimeError(unavailable_reason())
        self.binaries = binaries
        # Not under pytest's own temporary folder: that one is private to root.
        self.folder = Path(tempfile.mkdtemp(prefix="bilingual-postgres-"))
        self.data = self.folder / "data"
        self.port = 0
        self._numbers = itertools.count()
        self._created: set[str] = set()
        self._free: list[str] = []
        self._owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None

    def _run(self, program: str, *arguments: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.binaries / program), *arguments]
        if self._owner is not None:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> None:
        if self._owner is not None:
            os.chown(self.folder, self._owner.pw_uid, self._owner.pw_gid)
        self.folder.chmod(0o700)
        result = self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", USER, "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed: {result.stderr.strip()}")
        for _attempt in range(5):  # a random port may be taken: try another
            self.port = random.randint(20_000, 60_000)
            options = " ".join(
                [f"-p {self.port}", f"-k {self.folder}", "-c listen_addresses=127.0.0.1"]
                + [f"-c {setting}" for setting in _FAST_SETTINGS]
            )
            result = self._run(
                "pg_ctl", "-D", str(self.data), "-o", options, "-l",
                str(self.folder / "server.log"), "-w", "-t", "60", "start",
            )
            if result.returncode == 0:
                return
            time.sleep(0.2)
        log = self.folder / "server.log"
        raise RuntimeError(
            f"pg_ctl start failed: {result.stderr.strip()} {log.read_text() if log.exists() else ''}"
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``); returns its URL."""
        from psycopg import sql

        # FILE_COPY: twice as fast as the default for the tests' many small databases.
        statement = sql.SQL("CREATE DATABASE {} STRATEGY FILE_COPY").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self._administer(statement)
        return self.url(name)

    def acquire(self) -> str:
        """The URL of an empty database: a released one, else a new one (creating a database
        takes a tenth of a second or more; emptying one, a hundredth)."""
        name = self._free.pop() if self._free else f"memory_{next(self._numbers)}"
        return self.url(name) if name in self._created else self._create(name)

    def release(self, url: str) -> None:
        """Empty the database at ``url`` (a memory's schema, its clients) for :meth:`acquire`."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        self._administer(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP SCHEMA IF EXISTS bilingual CASCADE")
        self._free.append(name)

    def copy(self, url: str) -> str:
        """A new database holding what the one at ``url`` holds (it must have no client)."""
        name = f"memory_{next(self._numbers)}"
        self._created.add(name)
        return self.create_database(name, template=url.rsplit("/", 1)[1])

    def _create(self, name: str) -> str:
        self._created.add(name)
        return self.create_database(name)

    def _administer(self, statement: Any, parameters: tuple[object, ...] = ()) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(statement, parameters)

    def stop(self) -> None:
        if self.port:
            self._run("pg_ctl", "-D", str(self.data), "stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
