from __future__ import annotations

import re
from pathlib import Path

import pytest
from glossary_helpers import copy_engine, forbidden, glossary_of, sample_glossary

from bilingual.document import Severity
from bilingual.glossary import check_unit, findings_summary, load_glossary, protect

ROOT = Path(__file__).resolve().parents[1]


def test_placeholders_are_plain_ascii_and_restore_inflected_targets(tmp_path: Path) -> None:
    glossary = sample_glossary(tmp_path)
    source = "Meta publie des modèles à poids ouvert et des puces."
    matches = glossary.match_source(source)
    protected = protect(source, matches, "placeholders")
    assert "Meta" not in protected.text and "puces" not in protected.text
    assert all(re.fullmatch(r"[A-Za-z0-9]+", p) for p in re.findall(r"Zx\d+q", protected.text))
    fake_engine_output = protected.text.replace("publie des", "publishes").replace(
        " et des ", " and "
    )
    restored = protected.restore(fake_engine_output)
    assert restored == "Meta publishes open-weight models and chips."
    findings = check_unit(source, restored, matches, glossary)
    assert [f.kind for f in findings] == ["term-ok"] * 3


def test_argos_strategy_writes_targets_inline_and_copy_model_keeps_them(tmp_path: Path) -> None:
    glossary = sample_glossary(tmp_path)
    source = "L'écosystème de Meta et ses puces."
    matches = glossary.match_source(source)
    protected = protect(source, matches, "inline")
    assert protected.text == "L'ecosystem de Meta et ses chips."
    translation = protected.restore(copy_engine([protected.text])[0])
    assert {f.kind for f in check_unit(source, translation, matches, glossary)} == {"term-ok"}


def test_inline_strategy_writes_the_approved_term_into_the_french(tmp_path: Path) -> None:
    glossary = sample_glossary(tmp_path)
    protected = protect("une puce", glossary.match_source("une puce"), "inline")
    assert protected.text == "une chip" and protected.restore("a chip") == "a chip"


def test_lost_placeholder_is_reported_and_no_text_dropped(tmp_path: Path) -> None:
    glossary = sample_glossary(tmp_path)
    source = "Le modèle de Meta."
    matches = glossary.match_source(source)
    protected = protect(source, matches, "placeholders")
    restored = protected.restore("The model of Zx1.")  # damaged by the engine
    assert restored == "The model of Zx1."
    assert [e.source for e in protected.lost] == ["Meta"]
    kinds = [f.kind for f in check_unit(source, restored, matches, glossary)]
    assert kinds == ["term-missing"]
    damaged = protected.restore("The model of Zx1q Zx7q.")
    assert [f.kind for f in check_unit(source, damaged, matches, glossary)] == [
        "term-ok",
        "protection-failed",
    ]


def test_findings_ok_missing_forbidden_with_spans() -> None:
    glossary = glossary_of(
        ("Meta", "Meta"),
        forbidden("Meta", "Dip"),
        ("puce", "chip"),
        ("IA", "AI"),
        ("IA full-stack", "full-stack AI"),
    )
    source = "Meta, ses puces et l'IA full-stack de l'IA."
    matches = glossary.match_source(source)
    target = "Dip, its chips and the full-stack AI of the AI."
    findings = check_unit(source, target, matches, glossary)
    assert [(f.kind, f.severity) for f in findings] == [
        ("term-forbidden", Severity.ERROR),
        ("term-ok", Severity.INFO),
        ("term-ok", Severity.INFO),
        ("term-ok", Severity.INFO),
    ]
    first = findings[0]
    assert (first.term, first.expected, first.status) == ("Meta", "Meta", "do-not-translate")
    assert (
        source[slice(*first.source_span)] == "Meta" and target[slice(*first.target_span)] == "Dip"
    )
    ok_spans = [target[slice(*f.target_span)] for f in findings[1:]]
    assert ok_spans == ["chips", "full-stack AI", "AI"]
    missing = check_unit(source, "Meta, its chips.", matches, glossary)
    assert findings_summary([findings, missing]) == "8 terms: 5 ok, 2 missing, 1 forbidden"


@pytest.mark.skipif(
    not __import__("bilingual.engines.apertium", fromlist=["x"]).ApertiumEngine.is_available(),
    reason="apertium fr-es/spa-eng not installed",
)
def test_apertium_term_accuracy_on_the_seeds_is_at_least_95_percent() -> None:
    from bilingual.engines.apertium import ApertiumEngine

    glossary = load_glossary(ROOT / "glossary")
    segments = [
        part.strip()
        for seed in sorted((ROOT / "seeds").glob("*.txt"))
        for part in re.split(r"(?<=[.!?»])\s+|\n+", seed.read_text(encoding="utf-8"))
        if part.strip()
    ]
    matches = [glossary.match_source(s) for s in segments]
    protected = [protect(s, m, "placeholders") for s, m in zip(segments, matches)]
    outputs = ApertiumEngine().translate([p.text for p in protected])
    findings = [
        check_unit(s, p.restore(o), m, glossary)
        for s, m, p, o in zip(segments, matches, protected, outputs)
    ]
    kinds = [f.kind for unit in findings for f in unit]
    terms = [k for k in kinds if k.startswith("term-")]
    assert len(terms) >= 100
    assert kinds.count("term-ok") / len(terms) >= 0.95
    unprotected = ApertiumEngine().translate(segments)
    baseline = [
        f.kind
        for s, m, o in zip(segments, matches, unprotected)
        for f in check_unit(s, o, m, glossary)
    ]
    assert baseline.count("term-ok") < kinds.count("term-ok")
    assert "Dip" not in " ".join(p.restore(o) for p, o in zip(protected, outputs))


def test_a_word_apertium_lower_cases_after_an_opening_code_is_capitalised_again() -> None:
    from bilingual.document import Tag

    source = "Le capitaine dort. Puis le chat."
    protected = protect(source, [], "placeholders", (Tag(0, 0, 12), Tag(1, 19, 23)))
    assert protected.text == "Zx1q Le capitaine Zx2q dort. Zx3q Puis Zx4q le chat."
    # Apertium takes each placeholder for a sentence's first word and lower-cases the next
    restored = protected.restore("Zx1q the captain Zx2q sleeps. Zx3q then Zx4q the cat.")
    assert restored == "<g1>The captain</g1> sleeps. <g2>Then</g2> the cat."
