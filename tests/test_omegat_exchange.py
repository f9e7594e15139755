"""What OmegaT 3.6 itself makes of our files: it loads every segment of the build's XLIFF 1.2,
and what a translator saves in OmegaT (``project_save.tmx``) imports back as human work."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from omegat_helpers import JAVA, OMEGAT_JAR, make_project, translate_project

from bilingual.cli import cli
from bilingual.engines.apertium import ApertiumEngine
from bilingual.memory import open_memory

pytestmark = [
    pytest.mark.skipif(JAVA is None, reason="java is not installed"),
    pytest.mark.skipif(not OMEGAT_JAR.is_file(), reason="OmegaT is not installed"),
    pytest.mark.skipif(not ApertiumEngine.is_available(), reason="apertium is not installed"),
]

TEXT = (
    "La réunion commence à dix heures. Les enfants jouent dans le jardin.\n\n"
    "Nous partirons demain matin. Le train arrive en retard. Elle lit un livre."
)
XLIFF12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(*arguments: str) -> str:
    result = CliRunner().invoke(cli, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("omegat-exchange")
    (folder / "texte.txt").write_text(TEXT, encoding="utf-8")
    run("build", str(folder / "texte.txt"), "-o", str(folder / "out"), "--engine", "apertium",
        "--format", "tmx,xliff12", "--no-glossary", "--memory", str(folder / "memory.sqlite"),
        "--quiet")
    return folder


def test_omegat_loads_every_unit_of_our_xliff_1_2(built: Path, tmp_path: Path) -> None:
    xliff = built / "out" / "texte.xliff12.xlf"
    units = list(etree.parse(str(xliff)).getroot().iter(f"{XLIFF12}trans-unit"))
    assert all(unit.find(f"{XLIFF12}target") is not None for unit in units)
    project = make_project(tmp_path, [xliff])
    shutil.copy(built / "out" / "texte.tmx", project / "tm" / "auto" / "texte.tmx")
    outcome = translate_project(project)
    segments, _remaining = outcome.files[xliff.name]
    assert segments >= len(units) == 5


def test_a_translator_s_project_save_tmx_imports_as_human_work(built: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    memory = tmp_path / "memory.sqlite"
    shutil.copy(built / "memory.sqlite", memory)
    run("omegat", "init", str(project), str(built / "texte.txt"), "--engine", "apertium",
        "--no-glossary", "--memory", str(memory), "--quiet")
    saved = translate_project(project).project_save
    untouched = json.loads(run("memory", "import", str(saved), "--memory", str(memory), "--json"))
    assert (untouched["stored"], untouched["unchanged_machine"]) == (0, 5)
    # What OmegaT writes when the translator changes two segments: new text, newer dates.
    tree = etree.parse(str(saved))
    edited = []
    for tu in list(tree.getroot().iter("tu"))[:2]:
        source, target = tu.findall("tuv")
        target.find("seg").text = f"Edited: {source.findtext('seg')}"
        target.set("changedate", "20300101T000000Z")
        target.set("changeid", "ana")
        edited.append(source.findtext("seg"))
    tree.write(str(saved), encoding="utf-8", xml_declaration=True)
    report = json.loads(run("memory", "import", str(saved), "--memory", str(memory), "--json"))
    assert (report["stored"], report["unchanged_machine"], report["units"]) == (2, 3, 5)
    with open_memory(memory) as opened:
        for source in edited:
            hit = opened.lookup(source, None, "")
            assert hit is not None and hit.target == f"Edited: {source}"
            assert hit.changed == "2030-01-01T00:00:00Z"
