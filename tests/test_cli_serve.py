"""``bilingual serve`` on the command line: what it refuses before serving anything."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from bilingual.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["serve", *args])
    return result.exit_code, result.output


def test_another_host_than_loopback_must_be_meant(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "a.txt"), "--host", "0.0.0.0")
    assert code == 2 and "--allow-remote" in output


def test_serving_needs_the_memory(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "a.txt"), "--no-memory")
    assert code == 2 and "drop --no-memory" in output


def test_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Bonjour.\n", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = run(str(text), "--port", str(port), "--memory", str(tmp_path / "m.sqlite"))
    assert code == 1
    assert (
        output
        == f"Error: 127.0.0.1:{port} is in use; choose another port with --port (0: any free one)\n"
    )


def test_help_has_an_example() -> None:
    code, output = run("--help")
    assert code == 0 and "Example:" in output and "bilingual serve chapitre.txt" in output
