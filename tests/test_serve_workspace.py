"""The workspace as a library: edits from Python, and two servers (two translators) on one memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_helpers import FORMATS, NAME, copy_memory, filled_memory, needs_apertium, write_sources

from bilingual.document import Origin
from bilingual.glossary import make_entry
from bilingual.pipeline import BuildConfig
from bilingual.serve.workspace import (
    EditRefused,
    NotFound,
    StaleVersion,
    Workspace,
    segment_version,
)

pytestmark = [needs_apertium, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_memory(tmp_path_factory.mktemp("template"))


def open_workspace(folder: Path, memory: Path, output: str = "out") -> Workspace:
    text, glossary = write_sources(folder / "sources")
    config = BuildConfig(
        output_dir=folder / output,
        engine="apertium",
        formats=FORMATS,
        glossary_path=glossary,
        memory_path=memory,
    )
    return Workspace.build([text], config)


@pytest.fixture
def pair(tmp_path: Path, template: Path) -> Iterator[tuple[Workspace, Workspace]]:
    """Two servers on one memory, each with its own output folder."""
    memory = copy_memory(template, tmp_path)
    first = open_workspace(tmp_path, memory, "first")
    second = open_workspace(tmp_path, memory, "second")
    yield first, second
    first.close()
    second.close()


def test_a_second_server_refuses_an_edit_made_on_what_the_first_changed(
    pair: tuple[Workspace, Workspace],
) -> None:
    first, second = pair
    seen = segment_version(second.unit(NAME, 1))
    first.edit(NAME, 1, "From the first server.", segment_version(first.unit(NAME, 1)))
    with pytest.raises(StaleVersion) as refused:
        second.edit(NAME, 1, "From the second server.", seen)
    # the refusal brings the second server up to date
    assert refused.value.unit.target == "From the first server."
    assert second.unit(NAME, 1).origin is Origin.HUMAN
    history = second.memory.history(second.unit(NAME, 1).source)
    assert [v.target for v in history if v.origin is Origin.HUMAN] == ["From the first server."]
    change = second.edit(NAME, 1, "From the second server.", segment_version(second.unit(NAME, 1)))
    assert change.operation is not None
    assert first.refresh(NAME) == (1,)
    assert first.unit(NAME, 1).target == "From the second server."


def test_edits_reach_every_segment_with_the_same_source(tmp_path: Path, template: Path) -> None:
    memory = copy_memory(template, tmp_path)
    text, glossary = write_sources(tmp_path / "sources")
    twice = tmp_path / "sources" / "twice.txt"
    twice.write_text("Le chat dort sur le canapé.\n\nLe chat dort sur le canapé.\n", "utf-8")
    config = BuildConfig(
        output_dir=tmp_path / "out", engine="apertium", glossary_path=glossary, memory_path=memory
    )
    workspace = Workspace.build([text, twice], config)
    try:
        change = workspace.edit(
            "twice", 2, "The cat is asleep.", segment_version(workspace.unit("twice", 2))
        )
        assert change.segments == (1, 2)
        assert workspace.unit(NAME, 1).target == "The cat is asleep."
        assert workspace.progress(NAME).human == 1
    finally:
        workspace.close()


def test_refusals(pair: tuple[Workspace, Workspace]) -> None:
    workspace, _ = pair
    operations = workspace.memory.operations()
    version = segment_version(workspace.unit(NAME, 1))
    with pytest.raises(EditRefused, match="empty"):
        workspace.edit(NAME, 1, "   ", version)
    with pytest.raises(EditRefused, match="too long"):
        workspace.edit(NAME, 1, "x" * 20_001, version)
    with pytest.raises(NotFound):
        workspace.unit(NAME, 9)
    with pytest.raises(NotFound):
        workspace.undo(NAME)
    assert workspace.memory.operations() == operations


def test_a_glossary_edit_checks_every_text_again(pair: tuple[Workspace, Workspace]) -> None:
    workspace, _ = pair
    changed = workspace.add_term(make_entry("maison", "home", "pas house"))
    assert changed == {NAME: (2,)}
    kinds = [finding.kind for finding in workspace.unit(NAME, 2).findings]
    assert kinds == ["term-missing"]
    assert workspace.document(NAME).glossary is not None
    assert workspace.document(NAME).glossary.entries == 2


def test_outputs_are_written_from_a_snapshot(pair: tuple[Workspace, Workspace]) -> None:
    workspace, _ = pair
    snapshot = workspace.snapshot()
    workspace.edit(NAME, 1, "After the snapshot.", segment_version(workspace.unit(NAME, 1)))
    workspace.write_outputs(snapshot)
    tmx = (workspace.output_dir / f"{NAME}.tmx").read_text(encoding="utf-8")
    assert "After the snapshot." not in tmx
    workspace.write_outputs(workspace.snapshot())
    assert "After the snapshot." in (workspace.output_dir / f"{NAME}.tmx").read_text("utf-8")


def test_an_output_folder_of_build_is_served_in_place(tmp_path: Path, template: Path) -> None:
    import json
    import signal
    import subprocess
    import sys
    import urllib.request

    from bilingual.pipeline import build
    from bilingual.serve.workspace import built_folder

    memory = copy_memory(template, tmp_path)
    text, glossary = write_sources(tmp_path / "sources")
    out = tmp_path / "out"
    config = BuildConfig(
        output_dir=out,
        engine="apertium",
        formats=("html", "xliff"),
        glossary_path=glossary,
        memory_path=memory,
    )
    build([text], config)
    folder = built_folder(out)
    assert folder is not None
    assert (folder.sources, folder.formats, folder.glossary) == (
        [text.resolve()],
        ("html", "xliff"),
        glossary,
    )
    assert built_folder(tmp_path / "sources") is None
    process = subprocess.Popen(
        [sys.executable, "-c", "from bilingual.cli import main; raise SystemExit(main())",
         "serve", str(out), "--memory", str(memory), "--engine", "apertium", "--port", "0", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert f"from {out} at http://127.0.0.1:" in line, process.stderr
        url = line.rsplit(" at ", 1)[1].strip()
        with urllib.request.urlopen(url + "api/texts", timeout=60) as answer:
            texts = json.load(answer)["texts"]
        assert [(t["name"], t["segments"]) for t in texts] == [(NAME, 4)]
        with urllib.request.urlopen(url + "api/glossary", timeout=60) as answer:
            assert [e["source"] for e in json.load(answer)["entries"]] == ["modèle"]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    assert process.returncode == 0
