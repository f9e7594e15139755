"""JSON export: the aligned document and the glossary report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bilingual.document import (
    Document,
    EngineInfo,
    Finding,
    GlossaryInfo,
    Origin,
    Segment,
    Severity,
    Suggestion,
    Unit,
)
from bilingual.export.jsonout import write_glossary_json, write_json

ENGINE = EngineInfo("apertium", "3.8.3", "fr-en")
TEXT = "Le modèle est prêt.\n\nIl « parle » 😀 bien. Fin."


def segment(text: str, paragraph: int = 0) -> Segment:
    start = TEXT.index(text)
    return Segment(start, start + len(text), text, paragraph)


def make_document() -> Document:
    first = Unit(
        segment("Le modèle est prêt."),
        "The pattern is ready.",
        findings=[
            Finding(
                "term-missing",
                Severity.WARNING,
                "'modèle' should be 'model'",
                term="modèle",
                expected="model",
                source_span=(3, 9),
            ),
            Finding("number-missing", Severity.ERROR, "no number"),
        ],
    )
    second = Unit(
        segment("Il « parle » 😀 bien.", paragraph=1),
        "He “speaks” 😀 well.",
        origin=Origin.MEMORY,
        suggestion=Suggestion(
            "He speaks well.",
            0.82,
            Origin.HUMAN,
            ((0, "Il "), (1, "« "), (0, "parle"), (1, " » 😀"), (0, " bien.")),
        ),
        findings=[
            Finding(
                "term-ok",
                Severity.INFO,
                "ok",
                term="parle",
                source_span=(5, 10),
                target_span=(4, 10),
            )
        ],
    )
    third = Unit(segment("Fin.", paragraph=1), "End.")
    document = Document(
        "doc",
        TEXT,
        source_path=Path("texts/doc.txt"),
        units=[first, second, third],
        engine=ENGINE,
        glossary=GlossaryInfo("terms.tsv", "0" * 64, 12),
        created=datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC),
    )
    return document


def test_document_json_has_every_unit_with_offsets_into_the_text(tmp_path: Path) -> None:
    write_json(make_document(), tmp_path / "doc.json")
    data = json.loads((tmp_path / "doc.json").read_text("utf-8"))
    assert data["format"] == "bilingual-document" and data["version"] == 1
    assert (data["name"], data["source_lang"], data["target_lang"]) == ("doc", "fr", "en")
    assert data["created"] == "2025-03-04T05:06:07+00:00"
    assert data["engine"]["signature"] == ENGINE.signature()
    assert data["glossary"] == {"path": "terms.tsv", "sha256": "0" * 64, "entries": 12}
    for unit in data["units"]:
        assert data["text"][unit["start"] : unit["end"]] == unit["source"]
    assert [(u["index"], u["paragraph"], u["origin"]) for u in data["units"]] == [
        (0, 0, "machine"),
        (1, 1, "memory"),
        (2, 1, "machine"),
    ]


def test_units_carry_findings_suggestion_and_engine(tmp_path: Path) -> None:
    write_json(make_document(), tmp_path / "doc.json")
    first, second, third = json.loads((tmp_path / "doc.json").read_text("utf-8"))["units"]
    assert first["findings"][0] == {
        "kind": "term-missing",
        "severity": "warning",
        "message": "'modèle' should be 'model'",
        "term": "modèle",
        "expected": "model",
        "source_span": [3, 9],
    }
    assert first["engine"]["signature"] == ENGINE.signature()
    assert first["suggestion"] is None
    assert second["engine"] is None  # reused from the memory: not this build's engine
    assert second["suggestion"] == {
        "source": "Il parle bien.",
        "target": "He speaks well.",
        "similarity": 0.82,
        "origin": "human",
        "diff": [[0, "Il "], [1, "« "], [0, "parle"], [1, " » 😀"], [0, " bien."]],
    }
    assert third["findings"] == []


def test_json_is_utf8_text_not_escaped(tmp_path: Path) -> None:
    write_json(make_document(), tmp_path / "doc.json")
    raw = (tmp_path / "doc.json").read_bytes()
    assert "« parle » 😀".encode() in raw
    assert raw.endswith(b"}\n")


def test_glossary_report_lists_only_units_with_glossary_findings(tmp_path: Path) -> None:
    write_glossary_json(make_document(), tmp_path / "doc.glossary.json")
    report = json.loads((tmp_path / "doc.glossary.json").read_text("utf-8"))
    assert report["format"] == "bilingual-glossary-report"
    assert (report["units_checked"], report["units_with_findings"]) == (3, 2)
    assert report["counts"] == {"term-missing": 1, "term-ok": 1}
    assert [unit["index"] for unit in report["units"]] == [0, 1]
    first, second = report["units"]
    # the number check is not a glossary finding
    assert [finding["kind"] for finding in first["findings"]] == ["term-missing"]
    assert second["findings"][0]["source_span"] == [5, 10]
    assert second["findings"][0]["target_span"] == [4, 10]
    assert second["target"] == "He “speaks” 😀 well."


def test_glossary_report_of_a_text_without_findings_is_empty(tmp_path: Path) -> None:
    document = Document("plain", "Oui.", units=[Unit(Segment(0, 4, "Oui."), "Yes.")])
    write_glossary_json(document, tmp_path / "plain.glossary.json")
    report = json.loads((tmp_path / "plain.glossary.json").read_text("utf-8"))
    assert report["units"] == [] and report["counts"] == {} and report["glossary"] is None
