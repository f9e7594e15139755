"""``bilingual qa``: the checks on TMX, XLIFF and TSV files, text and JSON output, the exit code
CI relies on, the glossary, and pofilter as the reference for what must be flagged."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual import exchange
from bilingual.cli import cli
from bilingual.document import Origin
from bilingual.exchange import FileHeader, TranslationUnit
from bilingual.exchange.xml import load_xml_safely, local_name
from bilingual.quality.lexicons import lexicon

DATA = Path(__file__).resolve().parents[1] / "bench" / "data" / "quality"
HEADER = FileHeader(datetime(2026, 1, 1, tzinfo=UTC), "review")

needs_word_lists = pytest.mark.skipif(
    not lexicon("en") or not lexicon("fr"), reason="Debian word lists (wamerican, wfrench) missing"
)

#: Human translations with defects a reviewer (and pofilter) catches, among clean ones.
REVIEWED = [
    ("Consultez https://www.bordeaux.fr/Plan-Tram-2030.pdf avant le 15 mars.", "See https://www.bordeaux.fr/plan-tram-2030.pdf before 15 March."),
    ("Écrivez à tram@bordeaux-metropole.fr pour tout renseignement.", "Write to tram@bordeaux-metropole.com for any information."),
    ("La ligne D compte 12 stations et 9 km de voies.", "Line D has 21 stations and 9 km of track."),
    ("Les stations (Quinconces, Gambetta) ouvrent à 5 h.", "The stations (Quinconces, Gambetta open at 5 a.m."),
    ("Le maire a salué un projet attendu.", "The mayor welcomed a a long-awaited project."),
    ("Mme Martin habite près de la Garonne.", "Ms Martin lives near the Garonne."),
    ("Le chantier coûtera 180 millions d'euros.", "The works will cost 180 million euros."),
    ("Les riverains ont été consultés en 2024.", "Residents were consulted in 2024."),
    ("Contact : info@lyon.fr ou https://www.lyon.fr/tram.", "Contact: info@lyon.fr or https://www.lyon.fr/tram."),
    ("Les lignes [A] et [B] ferment le dimanche.", "Lines [A] and B] close on Sundays."),
]  # fmt: skip
#: pofilter's tests that ``bilingual qa`` must cover.
POFILTER_TESTS = ("urls", "emails", "numbers", "brackets", "doublewords")


def write(path: Path, pairs: list[tuple[str, str]], name: str | None = None) -> Path:
    units = [TranslationUnit(source, target, origin=Origin.HUMAN) for source, target in pairs]
    exchange.write_units(path, units, HEADER, name)
    return path


def french_segments(path: Path) -> set[str]:
    """The French texts of a file pofilter wrote (an XLIFF it labels 1.1, or TMX)."""
    tree = load_xml_safely(path)
    sources = {
        "".join(element.itertext())
        for element in tree.iter()
        if isinstance(element.tag, str) and local_name(element) == "source"
    }
    for variant in tree.iter("tuv"):
        if variant.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr":
            sources.add("".join(variant.find("seg").itertext()))
    return sources


def qa(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["qa", *arguments])
    return result.exit_code, result.output


@needs_word_lists
@pytest.mark.parametrize(("suffix", "name"), [(".tmx", None), (".xlf", "xliff12"), (".xlf", None), (".tsv", None)])
def test_defects_are_reported_with_file_line_and_segment(tmp_path: Path, suffix: str, name: str | None) -> None:
    path = write(tmp_path / f"reviewed{suffix}", REVIEWED, name)
    code, output = qa(str(path))
    assert code == 1  # an error (the changed URL, the wrong address) fails the run
    assert f"{path}:" in output
    lines = output.splitlines()
    url = next(line for line in lines if "url-mismatch" in line)
    assert url.startswith(f"{path}:") and ": error url-mismatch: " in url
    assert lines[lines.index(url) + 1].strip() == f"fr: {REVIEWED[0][0]}"
    for code_name in ("email-mismatch", "number-missing", "brackets-mismatch", "repeated-word"):
        assert code_name in output
    assert "units checked" in lines[-1]


@needs_word_lists
def test_json_output_one_object_per_file(tmp_path: Path) -> None:
    first = write(tmp_path / "a.tsv", REVIEWED[:2])
    second = write(tmp_path / "b.tsv", REVIEWED[5:8])
    code, output = qa("--json", str(first), str(second))
    reports = [json.loads(line) for line in output.splitlines()]
    assert code == 1
    assert [report["file"] for report in reports] == [str(first), str(second)]
    assert reports[0]["counts"]["error"] == 2 and reports[0]["checked"] == 2
    kinds = {f["kind"] for unit in reports[0]["units"] for f in unit["findings"]}
    assert {"url-mismatch", "email-mismatch"} <= kinds
    unit = reports[0]["units"][0]
    assert unit["source"] == REVIEWED[0][0] and unit["line"] is not None
    assert reports[1]["units"] == []


@needs_word_lists
def test_clean_file_exits_zero(tmp_path: Path) -> None:
    path = write(tmp_path / "clean.tmx", REVIEWED[5:9])
    code, output = qa(str(path))
    assert code == 0, output
    assert output.strip() == f"{path}: 4 units checked, 0 flagged (0 errors, 0 warnings, 0 info)"


@needs_word_lists
@pytest.mark.parametrize("name", ["news", "legal", "novel"])
def test_clean_human_translations_no_errors_few_warnings(tmp_path: Path, name: str) -> None:
    french = (DATA / f"{name}.fr.txt").read_text(encoding="utf-8").splitlines()
    english = (DATA / f"{name}.en.txt").read_text(encoding="utf-8").splitlines()
    path = write(tmp_path / f"{name}.xlf", list(zip(french, english, strict=True)))
    code, output = qa("--json", str(path))
    (report,) = [json.loads(line) for line in output.splitlines()]
    assert code == 0 and report["counts"]["error"] == 0
    assert report["counts"]["warning"] <= len(french) // 10, report["units"]


def test_glossary_terms_are_checked(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.utf8"
    glossary.write_text("avenant\tamendment\n", encoding="utf-8")
    path = write(tmp_path / "contract.tsv", [("Un avenant écrit est signé.", "A written rider is signed.")])
    code, output = qa(str(path), "--glossary", str(glossary))
    assert "term-missing" in output and "amendment" in output
    assert code == 0  # a missing term is a warning
    assert "term-missing" not in qa(str(path))[1]


def test_untranslated_units_are_counted_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "todo.tsv"
    path.write_text("Bonjour.\t\nAu revoir.\tGoodbye.\n", encoding="utf-8")
    code, output = qa(str(path))
    assert code == 0
    assert "1 units checked" in output and "1 not translated yet" in output


def test_unreadable_file_is_one_error_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>", encoding="utf-8")
    code, output = qa(str(broken))
    assert code == 1
    assert output.startswith(f"Error: {broken}") and "Traceback" not in output
    assert qa(str(tmp_path / "memory.doc"))[0] == 1


@needs_word_lists
@pytest.mark.parametrize(("suffix", "name"), [(".xlf", "xliff12"), (".tmx", None)])
def test_we_flag_every_unit_pofilter_flags(tmp_path: Path, suffix: str, name: str | None) -> None:
    pofilter = shutil.which("pofilter") or str(Path(sys.executable).with_name("pofilter"))
    if not Path(pofilter).exists():
        pytest.skip("pofilter (translate-toolkit) not installed")
    path = write(tmp_path / f"reviewed{suffix}", REVIEWED, name)
    out = tmp_path / f"pofilter{suffix}"
    tests = [argument for test in POFILTER_TESTS for argument in ("-t", test)]
    subprocess.run([pofilter, *tests, str(path), str(out)], check=True, capture_output=True)
    flagged_by_pofilter = french_segments(out)
    assert len(flagged_by_pofilter) >= 5  # the comparison is not vacuous
    _, output = qa("--json", "--min-severity", "info", str(path))
    (report,) = [json.loads(line) for line in output.splitlines()]
    ours = {unit["source"] for unit in report["units"]}
    assert flagged_by_pofilter <= ours, flagged_by_pofilter - ours
