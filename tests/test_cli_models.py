"""`bilingual models` and an Argos build, end to end on the copy model built by the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual.cli import cli

pytest.importorskip("ctranslate2")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_install_list_remove(copy_model_file: Path, tmp_path: Path, no_network: list[str]) -> None:
    packages = str(tmp_path / "packages")
    code, output = run("models", "install", str(copy_model_file), "--packages-dir", packages)
    assert code == 0, output
    assert "installed fr→en" in output

    code, output = run("models", "list", "--packages-dir", packages)
    assert code == 0 and output.startswith("fr→en"), output
    code, output = run("models", "list", "--json", "--packages-dir", packages)
    assert [(m["from"], m["to"]) for m in json.loads(output)] == [("fr", "en")]

    code, output = run("models", "remove", "fr", "en", "--packages-dir", packages)
    assert code == 0 and "removed fr→en" in output
    code, output = run("models", "remove", "fr", "en", "--packages-dir", packages)
    assert code == 1 and output.startswith("Error: no fr→en model is installed")
    assert no_network == []


def test_install_of_a_broken_file_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.argosmodel"
    broken.write_bytes(b"not a zip")
    code, output = run("models", "install", str(broken), "--packages-dir", str(tmp_path / "p"))
    assert code == 1
    assert len(output.strip().splitlines()) == 1 and "broken.argosmodel" in output


def test_build_with_argos_copies_and_protects_terms(
    copy_model_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_network: list[str]
) -> None:
    packages = tmp_path / "packages"
    assert run("models", "install", str(copy_model_file), "--packages-dir", str(packages))[0] == 0
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    source = tmp_path / "texte.txt"
    source.write_text("Le modèle de Meta est ouvert. Il est rapide.", encoding="utf-8")
    glossary = tmp_path / "g.utf8"
    glossary.write_text("Meta\tMeta\tcompany\tstatus=do-not-translate\n", encoding="utf-8")
    code, output = run(
        "build", str(source), "-o", str(tmp_path / "out"), "--engine", "auto",
        "--glossary", str(glossary), "--no-memory", "--format", "json", "--json",
    )
    assert code == 0, output
    summary = json.loads(output)
    assert summary["documents"][0]["engine"].startswith("argos:")
    data = json.loads((tmp_path / "out" / "texte.json").read_text())
    # the copy model returns its input: the segments come back unchanged, Meta included
    assert [unit["target"] for unit in data["units"]] == ["Le modèle de Meta est ouvert.", "Il est rapide."]
    assert no_network == []
