"""The PostgreSQL memory's own behaviour: connecting, its schema, locks, never showing a password.

Everything a memory does is tested on both backends by the ``memory`` and ``locations``
fixtures (tests/test_memory.py and the CLI tests); this covers what only a server has.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from memory_helpers import ENGINE

from bilingual.cli import cli
from bilingual.errors import TranslationMemoryError
from bilingual.memory import SCHEMA_VERSION, open_memory
from bilingual.memory import postgres as backend

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed (pip install -e '.[postgres]')"
)

#: Nothing listens on port 1 of the loopback interface: connecting fails at once.
UNREACHABLE = "postgresql://ana:s3cret-word@127.0.0.1:1/team"


@pytest.fixture
def url(postgres_server) -> Iterator[str]:
    location = postgres_server.acquire()
    yield location
    postgres_server.release(location)


def execute(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    with pytest.raises(TranslationMemoryError) as caught:
        open_memory(UNREACHABLE)
    message = str(caught.value)
    assert message.startswith("postgresql://ana@127.0.0.1:1/team: cannot connect (")
    assert message.endswith("; is the server running?")
    assert "s3cret" not in message and "\n" not in message


def test_the_cli_reports_an_unreachable_server_on_one_line() -> None:
    result = CliRunner().invoke(cli, ["memory", "stats", "--memory", UNREACHABLE])
    assert result.exit_code == 1
    assert result.output.startswith("Error: postgresql://ana@127.0.0.1:1/team: cannot connect")
    assert len(result.output.splitlines()) == 1 and "s3cret" not in result.output


def test_the_memory_url_can_come_from_the_environment(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tsv = tmp_path / "fixes.tsv"
    tsv.write_text("Oui.\tYes.\n", encoding="utf-8")
    monkeypatch.setenv("BILINGUAL_MEMORY_URL", url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert CliRunner().invoke(cli, ["memory", "import", str(tsv)]).exit_code == 0
    with open_memory(url) as memory:
        assert memory.lookup("Oui.", None, "").target == "Yes."
    assert not (tmp_path / "data").exists()  # the default file was never created


def test_reading_never_creates_the_schema(url: str) -> None:
    with pytest.raises(TranslationMemoryError, match="no translation memory here yet"):
        open_memory(url, create=False)
    with psycopg.connect(url) as connection:
        assert connection.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'bilingual'"
        ).fetchone() == (0,)


def test_tables_of_another_program_are_refused_and_left_untouched(url: str) -> None:
    execute(url, "CREATE SCHEMA bilingual", "CREATE TABLE bilingual.invoices (total numeric)",
            "INSERT INTO bilingual.invoices VALUES (12.5)")
    with pytest.raises(TranslationMemoryError, match="another program.*invoices"):
        open_memory(url)
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT total FROM bilingual.invoices").fetchall() == [(12.5,)]


def test_a_newer_schema_is_refused(url: str) -> None:
    open_memory(url).close()
    execute(url, f"UPDATE bilingual.memory_schema SET version = {SCHEMA_VERSION + 1}")
    with pytest.raises(TranslationMemoryError, match="newer bilingual"):
        open_memory(url)


def test_a_missing_table_is_reported_as_corrupt(url: str) -> None:
    open_memory(url).close()
    execute(url, "DROP TABLE bilingual.checked")
    with pytest.raises(TranslationMemoryError, match="lacks tables checked; it looks corrupt"):
        open_memory(url)


def test_a_database_not_in_utf8_is_refused(postgres_server) -> None:
    name = "latin_memory"
    execute(postgres_server.url(), f"CREATE DATABASE {name} ENCODING 'LATIN1' "
            "LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
    with pytest.raises(TranslationMemoryError, match="LATIN1.*needs a UTF8 database"):
        open_memory(postgres_server.url(name))


def test_a_writer_waiting_too_long_gets_a_clear_error(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backend, "BUSY_TIMEOUT_SECONDS", 1.0)
    with open_memory(url) as memory, psycopg.connect(url) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (backend._WRITE_LOCK,))
        with pytest.raises(TranslationMemoryError, match="locked by another client for 1 s"):
            memory.store_machine("d", [("Oui.", "Yes.", "")], ENGINE)
        assert memory.lookup("Oui.", ENGINE, "") is None  # reading never waits
        other.execute("SELECT pg_advisory_unlock(%s)", (backend._WRITE_LOCK,))
        memory.store_machine("d", [("Oui.", "Yes.", "")], ENGINE)
        assert memory.lookup("Oui.", ENGINE, "").target == "Yes."


def test_a_segment_that_postgresql_cannot_store_is_a_clear_error(url: str) -> None:
    with open_memory(url) as memory:
        with pytest.raises(TranslationMemoryError, match="cannot use the memory: .*NUL"):
            memory.store_machine("d", [("Nul\x00.", "Null.", "")], ENGINE)
        assert memory.stats().segments == 0


def test_without_psycopg_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(TranslationMemoryError, match=r"needs psycopg.*bilingual\[postgres\]"):
        open_memory(UNREACHABLE)


def test_sqlite_memories_never_import_psycopg(tmp_path: Path) -> None:
    code = (
        "import sys; from bilingual.cli import main; "
        f"main(['memory', 'import', {str(tmp_path / 'fixes.tsv')!r}, '--memory', "
        f"{str(tmp_path / 'memory.sqlite')!r}]); "
        "assert 'psycopg' not in sys.modules, 'psycopg imported'"
    )
    (tmp_path / "fixes.tsv").write_text("Oui.\tYes.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
