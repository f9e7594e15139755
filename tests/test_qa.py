"""The QA checks: planted defects are flagged, clean human translations are left alone, and
everything pofilter flags for URLs, e-mails, numbers, brackets and double words we flag too."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.document import Segment, Severity, Unit
from bilingual.qa import check_pair, qa_findings
from bilingual.quality.lexicons import lexicon

DATA = Path(__file__).resolve().parents[1] / "bench" / "data" / "quality"

needs_word_lists = pytest.mark.skipif(
    not lexicon("en") or not lexicon("fr"), reason="Debian word lists (wamerican, wfrench) missing"
)

# (source, defective translation, code expected)
PLANTED = [
    ("Voir https://www.bordeaux.fr/Plan-Tram-2030.pdf.", "See https://www.bordeaux.fr/plan-tram-2030.pdf.", "url-mismatch"),
    ("Écrire à tram@bordeaux.fr.", "Write to tram@bordeaux.com.", "email-mismatch"),
    ("Le projet coûtera 180 millions.", "The project will cost 18 million.", "number-missing"),
    ("Les travaux commencent le 15 mars.", "Work begins on 15 walks.", "date-missing"),
    ("Une hausse de 40 %.", "A rise of 40.", "unit-missing"),
    ("Le tram (ligne A) passe.", "The tram (line A passes.", "brackets-mismatch"),
    ("Il a dit : « oui ».", "He said: “yes.", "quotes-unbalanced"),
    ("Le chat dort.", "The the cat sleeps.", "repeated-word"),
    ("Vient-il demain ?", "Is he coming tomorrow.", "end-punctuation"),
    ("Le tram arrive.", "the tram arrives.", "start-capital"),
    ("Le tramway traverse toute la ville du nord au sud chaque matin.", "The tram.", "length-ratio"),
    ("Une vingtaine de riverains se plaignent.", "A veintena of residents complain.", "foreign-word"),
    ("Les pannes se multiplient.", "The pannes are increasing.", "untranslated-word"),
    ("%d fichiers dans {dossier}.", "%d files in {folder}.", "placeholder-mismatch"),
    ("Un <b>gros</b> chat.", "A <b>big cat.", "markup-mismatch"),
    ("Le modèle est ouvert à tous.", "Le modèle est ouvert à tous.", "untranslated"),
    ("Bonjour tout le monde.", "", "empty-translation"),
]  # fmt: skip


@needs_word_lists
@pytest.mark.parametrize(("source", "target", "code"), PLANTED)
def test_planted_defect_is_flagged_with_spans(source: str, target: str, code: str) -> None:
    findings = [f for f in check_pair(source, target) if f.kind == code]
    assert findings, check_pair(source, target)
    for finding in findings:
        for span, text in ((finding.source_span, source), (finding.target_span, target)):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(text)


@needs_word_lists
def test_foreign_word_spans_point_at_the_word_in_both_languages() -> None:
    source, target = "Les pannes se multiplient.", "The pannes are increasing."
    (finding,) = [f for f in check_pair(source, target) if f.kind == "untranslated-word"]
    assert finding.target_span is not None and finding.source_span is not None
    assert target[slice(*finding.target_span)] == source[slice(*finding.source_span)] == "pannes"


@needs_word_lists
@pytest.mark.parametrize("name", ["news", "legal", "novel"])
def test_clean_human_translations_raise_no_false_alarm(name: str) -> None:
    french = (DATA / f"{name}.fr.txt").read_text(encoding="utf-8").splitlines()
    english = (DATA / f"{name}.en.txt").read_text(encoding="utf-8").splitlines()
    alarms = [
        (source, finding)
        for source, target in zip(french, english, strict=True)
        for finding in check_pair(source, target)
        if finding.severity is not Severity.INFO
    ]
    assert alarms == []


def test_findings_reach_the_unit() -> None:
    source = "Voir https://a.fr/Plan.pdf"
    unit = Unit(Segment(0, len(source), source), "See https://a.fr/plan.pdf")
    assert [f.kind for f in qa_findings(unit)] == ["url-mismatch"]


# ---------- pofilter as the reference ----------

POFILTER_CHECKS = ("urls", "emails", "numbers", "brackets", "doublewords")
#: Our code for each pofilter test.
OURS = {
    "urls": {"url-mismatch"},
    "emails": {"email-mismatch"},
    "numbers": {"number-missing", "date-missing"},
    "brackets": {"brackets-mismatch"},
    "doublewords": {"repeated-word"},
}
POFILTER_PAIRS = [
    *[(source, target) for source, target, _ in PLANTED if target],
    ("Consultez https://example.org/doc et écrivez à a.b@example.org.", "See https://example.org/doc and write to a.b@example.org."),
    ("Consultez https://example.org/Doc.", "See https://example.org/doc."),
    ("Écrivez à contact@ville.fr (service client).", "Write to contact@ville.fr customer service)."),
    ("Il y a 3 trains et 12 bus.", "There are 3 trains and 21 buses."),
    ("Il y a 3 trains et 12 bus.", "There are 3 trains and 12 buses."),
    ("Les lignes [A] et [B] ferment.", "Lines [A] and B] close."),
    ("Il pleut beaucoup.", "It rains a lot lot."),
    ("Le tram part à 8 h 15 le 2 mai.", "The tram leaves at 8:15 on May 2."),
    ("Le chiffre 2025 est important.", "The figure 2026 is important."),
]  # fmt: skip


def test_we_flag_everything_pofilter_flags(tmp_path: Path) -> None:
    pytest.importorskip("translate.filters.checks")
    from translate.filters import checks
    from translate.filters.checks import FilterFailure

    checker = checks.StandardChecker()
    flagged_by_pofilter = 0
    for source, target in POFILTER_PAIRS:
        ours = {finding.kind for finding in check_pair(source, target)}
        for test in POFILTER_CHECKS:
            try:
                getattr(checker, test)(source, target)
            except FilterFailure:
                flagged_by_pofilter += 1
                assert ours & OURS[test], (test, source, target, ours)
    assert flagged_by_pofilter >= 8  # the comparison is not vacuous


def test_pofilter_cli_agrees_on_a_po_file(tmp_path: Path) -> None:
    """The same comparison through the ``pofilter`` command on a PO file, as a user runs it."""
    import shutil
    import subprocess

    pofilter = shutil.which("pofilter") or str(Path(__import__("sys").executable).with_name("pofilter"))
    if not Path(pofilter).exists():
        pytest.skip("pofilter not installed")
    from translate.storage import po

    store = po.pofile()
    for number, (source, target) in enumerate(POFILTER_PAIRS):
        unit = store.addsourceunit(source)
        unit.target = target
        unit.setcontext(str(number))
    path, out = tmp_path / "pairs.po", tmp_path / "flagged.po"
    path.write_bytes(bytes(store))
    tests = [arg for test in POFILTER_CHECKS for arg in ("-t", test)]
    subprocess.run([pofilter, *tests, str(path), str(out)], check=True, capture_output=True)
    flagged = po.pofile(out.read_bytes())
    assert flagged.units
    for unit in flagged.units:
        if unit.isheader():
            continue
        source, target = POFILTER_PAIRS[int(unit.getcontext())]
        assert check_pair(source, target), (source, target)
