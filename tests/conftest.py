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

from bilingual.engines.argos_packages import ModelInfo, install_model_file

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
