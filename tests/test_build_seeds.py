"""End to end on the seed texts with the real Apertium engine and the project glossary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from exchange_helpers import tmx_problems
from lxml import etree

from bilingual.cli import cli
from bilingual.engines.apertium import ApertiumEngine
from bilingual.exchange.xml import load_xml_safely

ROOT = Path(__file__).resolve().parents[1]
SHARED_DTD = ROOT.parent / "shared" / "schemas" / "tmx14.dtd"

pytestmark = pytest.mark.skipif(
    not ApertiumEngine.is_available(), reason="Debian's apertium fr-es/spa-eng not installed"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("seeds-out")
    memory = tmp_path_factory.mktemp("tm") / "memory.sqlite"
    result = CliRunner().invoke(cli, [
        "build", str(ROOT / "seeds"), "-o", str(out), "--engine", "apertium",
        "--glossary", str(ROOT / "glossary"), "--memory", str(memory), "--format", "all", "--json",
    ])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_every_segment_has_an_english_translation(built: tuple[Path, dict]) -> None:
    out, summary = built
    for document in summary["documents"]:
        data = json.loads((out / document["files"]["json"]).read_text())
        units = data["units"]
        assert len(units) == document["segments"] > 0
        assert all(unit["target"].strip() for unit in units)
        assert document["engine"].startswith("apertium:")


def test_tmx_is_valid_and_records_the_engine(built: tuple[Path, dict]) -> None:
    out, summary = built
    for document in summary["documents"]:
        path = out / document["files"]["tmx"]
        assert tmx_problems(path) == []
        tree = load_xml_safely(path)
        assert tree.getroot().find("header").get("srclang") == "fr"
        units = tree.getroot().findall("body/tu")
        assert len(units) == document["segments"]
        engines = {prop.text for prop in tree.getroot().iterfind("body/tu/prop[@type='x-engine']")}
        assert len(engines) == 1 and engines.pop().startswith("apertium:")
        if SHARED_DTD.is_file():
            assert etree.DTD(str(SHARED_DTD)).validate(tree)
    assert tmx_problems(out / "memory.tmx") == []


def test_tmx_loads_in_translate_toolkit(built: tuple[Path, dict]) -> None:
    from translate.storage import tmx

    out, summary = built
    for document in summary["documents"]:
        store = tmx.tmxfile.parsefile(str(out / document["files"]["tmx"]))
        units = [unit for unit in store.units if unit.source]
        assert len(units) == document["segments"]
        assert all(unit.target for unit in units)


def test_pages_and_index_are_written(built: tuple[Path, dict]) -> None:
    out, summary = built
    index = (out / "index.html").read_text()
    for document in summary["documents"]:
        assert (out / document["files"]["html"]).is_file()
        assert document["files"]["html"] in index
        assert (out / document["files"]["glossary"]).is_file()


def test_glossary_protects_names_from_apertium(built: tuple[Path, dict]) -> None:
    out, summary = built
    targets = []
    for document in summary["documents"]:
        data = json.loads((out / document["files"]["json"]).read_text())
        units = data["units"]
        targets.extend(unit["target"] for unit in units)
    english = " ".join(targets)
    assert "Meta" in english and "Dip" not in english
    assert "Hugging Face" in english
