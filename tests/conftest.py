"""Shared test fixtures.

The block below runs before any test module is imported, on purpose: argostranslate reads its
settings from the environment once, at first import, and creates its data, config and cache
folders then. Pointing them into a throw-away folder keeps the tests away from ``$HOME`` and from
whatever Argos packages the machine has.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# --- Argos Translate sandbox (must stay above every other import) ------------------------------
# The folder name must not contain "stanza": argostranslate picks its sentence splitter by
# substring match on package paths, and Stanza downloads from the network.
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="bilingual-tests-argos-"))
atexit.register(shutil.rmtree, _ARGOS_HOME, ignore_errors=True)
for _variable in [name for name in os.environ if name.startswith("ARGOS_")]:
    del os.environ[_variable]  # a developer's own Argos settings must not leak into the tests
os.environ.update(
    {
        "ARGOS_PACKAGES_DIR": str(_ARGOS_HOME / "packages"),
        "XDG_DATA_HOME": str(_ARGOS_HOME / "data"),
        "XDG_CONFIG_HOME": str(_ARGOS_HOME / "config"),
        "XDG_CACHE_HOME": str(_ARGOS_HOME / "cache"),
        # CTranslate2's default thread count makes small jobs several times slower.
        "ARGOS_INTRA_THREADS": "1",
    }
)

import socket
from collections.abc import Iterator
from typing import NoReturn

import pytest
from postgres_server import PostgresServer
from postgres_server import unavailable_reason as postgres_unavailable

from bilingual.engines.argos_packages import ModelInfo, install_model_file
from bilingual.memory import TranslationMemory, open_memory

# --- Argos models and network guard ------------------------------------------------------------


@pytest.fixture(scope="session")
def copy_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny fr→en ``.argosmodel`` that "translates" by copying its input (built once)."""
    from argos_model import build_copy_model  # needs ctranslate2: only for the tests using it

    return build_copy_model(tmp_path_factory.mktemp("copy-model"))


@pytest.fixture
def copy_model(copy_model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> ModelInfo:
    """The copy model installed in a fresh packages folder (``copy_model.path.parent``)."""
    return install_model_file(copy_model_file, tmp_path_factory.mktemp("argos-packages"))


class NetworkBlocked(OSError):
    """Raised by the ``no_network`` fixture: an OSError, as a real outage would be."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail the test if it tries to reach the network, even if the code swallows the error.

    Yields the list of attempts. Local (Unix) sockets stay allowed.
    """
    attempts: list[str] = []

    def refuse(what: str) -> NoReturn:
        attempts.append(what)
        raise NetworkBlocked(f"network access attempted during a test: {what}")

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        refuse(f"connect {address!r}")

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family == socket.AF_UNIX:
            return real_connect_ex(self, address)
        refuse(f"connect_ex {address!r}")

    def create_connection(address: object, *args: object, **kwargs: object) -> socket.socket:
        refuse(f"create_connection {address!r}")

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list[object]:
        refuse(f"getaddrinfo {host!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    if attempts:
        pytest.fail(f"the test tried to use the network: {'; '.join(attempts)}")


# --- Translation memory backends ---------------------------------------------------------------

MEMORY_BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the whole session (skips where none can run)."""
    reason = postgres_unavailable()
    if reason is not None:
        pytest.skip(f"PostgreSQL memory tests: {reason}")
    server = PostgresServer()
    try:
        server.start()
    except RuntimeError as error:
        server.stop()
        pytest.skip(f"PostgreSQL memory tests: cannot start a throwaway server: {error}")
    yield server
    server.stop()


class MemoryLocations:
    """Fresh translation memory locations of one backend: files in a folder, or databases
    on the session's PostgreSQL server (emptied for the next test by :meth:`release_all`)."""

    def __init__(self, backend: str, folder: Path, server: PostgresServer | None) -> None:
        self.backend = backend
        self.folder = folder
        self.server = server
        self.databases: list[str] = []

    def new(self, name: str = "memory") -> str | Path:
        """The location of a memory that does not exist yet."""
        if self.server is None:
            return self.folder / f"{name}.sqlite"
        self.databases.append(self.server.acquire())
        return self.databases[-1]

    def copy(self, location: str | Path, name: str) -> str | Path:
        """A copy of the (closed) memory at ``location``."""
        if self.server is None:
            copied = self.folder / f"{name}.sqlite"
            shutil.copy(location, copied)
            return copied
        self.databases.append(self.server.copy(str(location)))
        return self.databases[-1]

    def release_all(self) -> None:
        if self.server is not None:
            for url in self.databases:
                self.server.release(url)


def memory_locations(
    request: pytest.FixtureRequest, backend: str, folder: Path
) -> Iterator[MemoryLocations]:
    server = request.getfixturevalue("postgres_server") if backend == "postgresql" else None
    locations = MemoryLocations(backend, folder, server)
    yield locations
    locations.release_all()


@pytest.fixture(params=MEMORY_BACKENDS)
def locations(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MemoryLocations]:
    """Memory locations on each backend in turn: every test using it runs on both."""
    yield from memory_locations(request, request.param, tmp_path)


@pytest.fixture
def memory(locations: MemoryLocations) -> Iterator[TranslationMemory]:
    """A new, empty translation memory on each backend in turn."""
    with open_memory(locations.new()) as opened:
        yield opened
